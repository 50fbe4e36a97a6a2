package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/asksim/asksim/fakes/oauth"
	exampleskill "github.com/asksim/asksim/fixtures/skill"
	"github.com/asksim/asksim/internal/smapisim"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/alexa"
	"github.com/asksim/asksim/simulator/apitoken"
	"github.com/spf13/pflag"
)

// smapiOpts are the flags of the Login with Amazon and SMAPI fakes.
type smapiOpts struct {
	addr         string
	skillPackage string
	skillID      string
	endpoint     string
	consent      string
	grants       []string
	accessToken  string
	askEnv       string
}

func (o *smapiOpts) register(fs *pflag.FlagSet) {
	fs.StringVar(&o.addr, "smapi-addr", "", "serve Login with Amazon and SMAPI for the ASK CLI on HOST:PORT (port 0: a free port)")
	fs.StringVar(&o.skillPackage, "skill-package", "", "with --smapi-addr: the skill package `DIR` (or ASK CLI project) SMAPI serves (default: ./skill-package when present, else the bundled example skill)")
	fs.StringVar(&o.skillID, "skill-id", "", "with --smapi-addr: the skill's id (default: the skillId in the project's .ask/ask-states.json, else "+simulator.DefaultSkillID+")")
	fs.StringVar(&o.endpoint, "endpoint", "", "with --smapi-addr: the skill's `URL`, where simulations and invocations go (default: the manifest's endpoint)")
	fs.StringVar(&o.consent, "consent", simulator.ScenarioNone, "with --smapi-addr: the simulated user's consent: "+strings.Join(simulator.Scenarios(), ", "))
	fs.StringArrayVar(&o.grants, "grant", nil, "with --smapi-addr: grant a permission as well: "+strings.Join(alexa.ShortNames(), ", ")+" or a full scope (repeatable)")
	fs.StringVar(&o.accessToken, "access-token", "", "with --smapi-addr: the simulated user's linked-account token (implies a linked account)")
	fs.StringVar(&o.askEnv, "ask-env", "", "with --smapi-addr: also write the ASK CLI's export lines to `FILE` (mode 0600), for 'source FILE'")
}

// check refuses SMAPI flags without --smapi-addr.
func (o *smapiOpts) check(fs *pflag.FlagSet) error {
	if o.addr != "" {
		return nil
	}
	for _, name := range []string{"skill-package", "skill-id", "endpoint", "consent", "grant", "access-token", "ask-env"} {
		if fs.Changed(name) {
			return usagef("--%s needs --smapi-addr", name)
		}
	}
	return nil
}

// smapiSkill is the skill the fakes serve, and where it came from.
type smapiSkill struct {
	id, idFrom string
	files      map[string][]byte
	source     string
}

// skill reads the skill package and finds its id.
func (o *smapiOpts) skill() (*smapiSkill, error) {
	sk := &smapiSkill{}
	projectDirs := []string{"."}
	var err error
	switch {
	case o.skillPackage != "":
		sk.source = "skill package " + filepath.Clean(o.skillPackage)
		if sk.files, err = smapisim.ReadSkillPackage(o.skillPackage); err != nil {
			return nil, &configError{"--skill-package: " + err.Error()}
		}
		projectDirs = []string{o.skillPackage, filepath.Dir(filepath.Clean(o.skillPackage))}
	case exists(filepath.Join(defaultSkillPackageDir, "skill.json")):
		sk.source = "skill package " + defaultSkillPackageDir
		if sk.files, err = smapisim.ReadSkillPackage(defaultSkillPackageDir); err != nil {
			return nil, &configError{err.Error()}
		}
	default:
		sk.source = "the bundled example skill (no --skill-package, no ./skill-package)"
		if sk.files, err = smapisim.PackageFiles(exampleskill.Package()); err != nil {
			return nil, err
		}
	}
	sk.id, sk.idFrom = o.skillID, "--skill-id"
	for _, dir := range projectDirs {
		if sk.id != "" {
			break
		}
		id, found, err := smapisim.ProjectSkillID(dir)
		if err != nil {
			return nil, &configError{err.Error()}
		}
		if found {
			sk.id, sk.idFrom = id, filepath.Join(dir, smapisim.ASKStatesFile)
		}
	}
	if sk.id == "" {
		sk.id, sk.idFrom = simulator.DefaultSkillID, "asksim's default"
	}
	return sk, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, fs.ErrNotExist)
}

// stack builds the fakes: simulations sign with signer, whose tokens the
// Alexa API fake at apiURL accepts.
func (o *smapiOpts) stack(sk *smapiSkill, apiURL string, signer *apitoken.Signer, logf func(string, ...any)) (*smapisim.Stack, error) {
	consent, err := parseConsent(o.consent, o.grants, o.accessToken)
	if err != nil {
		return nil, err
	}
	cfg := smapisim.Config{Consent: consent,
		Options: []simulator.Option{simulator.WithSigner(signer), simulator.WithAPIEndpoint(apiURL)}}
	if o.endpoint != "" {
		if cfg.Endpoint, err = simulator.HTTPEndpoint(o.endpoint); err != nil {
			return nil, usagef("--endpoint: %v", err)
		}
	}
	st, err := smapisim.NewStack(smapisim.StackConfig{SkillID: sk.id, Files: sk.files, Backend: cfg, Logf: logf})
	if err != nil {
		return nil, &configError{fmt.Sprintf("%s (%s): %v", sk.source, sk.idFrom, err)}
	}
	return st, nil
}

// announce prints where the fakes are and how to point the ASK CLI at
// them, and writes --ask-env.
func (o *smapiOpts) announce(w io.Writer, st *smapisim.Stack, sk *smapiSkill, url, caFile string) error {
	env, err := st.CLIEnv(url, caFile)
	if err != nil {
		return err
	}
	if o.askEnv != "" {
		if err := env.WriteFile(o.askEnv); err != nil {
			return usagef("--ask-env: %v", err)
		}
	}
	endpoint := st.Backend.Endpoint(sk.id)
	if endpoint == "" {
		endpoint = "none: the manifest has no endpoint; give --endpoint"
	}
	fmt.Fprintf(w, "LWA + SMAPI:  %s\n", url)
	fmt.Fprintf(w, "Developer:    %s / %s (vendor %s)\n", oauth.LWADeveloper, oauth.LWADeveloperPassword, env.VendorID)
	fmt.Fprintf(w, "Skill:        %s (id from %s), from %s\n", sk.id, sk.idFrom, sk.source)
	fmt.Fprintf(w, "Endpoint:     %s\n", endpoint)
	if o.askEnv != "" {
		fmt.Fprintf(w, "ASK CLI:      source %s   (these lines:)\n", o.askEnv)
	} else {
		fmt.Fprintf(w, "ASK CLI:      run these lines in your shell:\n")
	}
	var exports strings.Builder
	env.WriteExports(&exports)
	for _, line := range strings.SplitAfter(exports.String(), "\n") {
		if line != "" {
			fmt.Fprint(w, "  "+line)
		}
	}
	locale := "en-US"
	if locs := smapisim.ModelLocales(sk.files); len(locs) > 0 {
		locale = locs[0]
	}
	fmt.Fprintf(w, "  ask dialog --skill-id %s --locale %s\n", sk.id, locale)
	return nil
}
