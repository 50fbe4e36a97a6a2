package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/asksim/asksim/fakes/alexaapi"
	"github.com/asksim/asksim/fakes/oauth"
	"github.com/asksim/asksim/features"
	"github.com/asksim/asksim/features/projectconfig"
	"github.com/asksim/asksim/internal/buildinfo"
	"github.com/asksim/asksim/simulator"
	"github.com/spf13/pflag"
)

type testFlags struct {
	config      string
	endpoint    string
	lambda      bool
	skillID     string
	locale      string
	device      string
	formats     []string
	tags        string
	tagsFrom    string // the config file's place of tags, "" when from --tags or none
	concurrency int
	shard       string
	random      int64
	failFast    bool
	lenient     bool
	sign        signFlags
	apiAddr     string
	oauthAddr   string
	profiles    string
	oauthConfig string
	ca          string
	tls         bool
	caDir       caFlag
	timeout     time.Duration
	noColor     bool
	list        bool
	pkg         skillPackageFlag
}

func init() {
	register(&command{
		name:    "test",
		summary: "Run Gherkin features against a skill",
		usage:   "[flags] [feature files, directories, FILE:LINE or @RERUN_FILE]",
		long: `Runs feature files against a skill endpoint, with the Alexa API fake and the
OAuth fake on loopback. Without --endpoint it starts the example skill
in-process; without feature paths it runs the bundled features.

FILE:LINE runs the scenario at that line, or the Examples row (an Examples
line runs its rows); FILE:LINE:LINE runs several. @FILE reads such paths
from a file, as --format rerun:FILE writes them for the failed scenarios.
--tags takes a Cucumber tag expression: @smoke, 'not @wip', '@a and @b',
'(@a or @b) and not @slow'. --list prints what the run would play, one
FILE:LINE per scenario or outline row, in order.

Formats: pretty (the default), progress, junit, cucumber (JSON, with the
turns' JSON and the conversation as embeddings), html (one self-contained
file with every conversation), rerun (the failed scenarios as FILE:LINE), and
events; each as NAME:FILE writes a file (its directory is made). At most one
format writes to the terminal.

Settings may also come from a project config file (asksim.yaml, asksim.yml or
asksim.json in the working directory, or --config FILE): keys are the flag
names below, lists give repeatable flags several values, relative paths are
relative to the file. Flags override the file.

Requests are unsigned unless --sign is given (or a scenario says
'requests are signed'). Signed, they carry Alexa's signature headers made
with a certificate chain asksim serves on loopback (--sign-addr), whose root
--sign-ca writes for the skill's verifier to trust; steps make requests a
verifier must refuse. See docs/request-signing.md.

Exit status: 0 all scenarios passed, 1 a scenario failed, 2 usage or
configuration error, found before anything runs: a feature that does not
parse, an undefined step, a tag expression that does not parse, no scenario
selected, clashing formats, a skill that does not answer, features that speak
without an interaction model, a step argument outside its set.`,
		examples: `  asksim test
  asksim test --endpoint http://127.0.0.1:3000/alexa features/
  asksim test --format progress --format junit:reports/junit.xml --format html:reports/report.html
  asksim test --tags '@smoke and not @slow' --concurrency 4
  asksim test --format rerun:rerun.txt features/ || asksim test @rerun.txt
  asksim test features/order.feature:14 features/consent.feature:52
  asksim test --shard 2/4 --random=42
  asksim test --lambda --endpoint http://127.0.0.1:9000 features/
  REQUESTS_CA_BUNDLE=$(asksim ca path) python3 skill.py &    # a Python skill trusts the local CA
  asksim test --tls --endpoint http://127.0.0.1:3000/ features/
  asksim test --endpoint http://127.0.0.1:3000/ --sign --sign-addr 127.0.0.1:8443 --sign-ca signing-root.pem`,
		setup: func(fs *pflag.FlagSet) func(context.Context, *stdio, []string) error {
			var f testFlags
			fs.StringVar(&f.config, "config", "", "project config file (default: asksim.yaml, asksim.yml or asksim.json in the working directory)")
			f.registerSuite(fs)
			fs.StringArrayVar(&f.formats, "format", nil, "output format: "+strings.Join(features.Formats, ", ")+", each optionally :FILE (repeatable or comma-separated; default pretty)")
			fs.StringVar(&f.tags, "tags", "", "run only scenarios matching the Cucumber tag expression, e.g. '@smoke and not @slow'")
			fs.IntVar(&f.concurrency, "concurrency", 1, "scenarios run at once")
			fs.StringVar(&f.shard, "shard", "", "run shard I of N (I/N) of a stable split of the scenarios, for CI matrices")
			fs.Int64Var(&f.random, "random", 0, "shuffle scenarios; --random alone picks a seed, --random=SEED repeats an order")
			fs.Lookup("random").NoOptDefVal = "-1"
			fs.BoolVar(&f.failFast, "fail-fast", false, "stop at the first failed scenario")
			fs.BoolVar(&f.noColor, "no-color", false, "no ANSI colours in the output (the default when stdout is not a terminal, or NO_COLOR is set)")
			fs.BoolVar(&f.list, "list", false, "list the scenarios and outline rows (FILE:LINE) the run would play, in order, and exit")
			return func(ctx context.Context, st *stdio, args []string) error {
				from, err := applyProjectConfig(fs, f.config, &args)
				if err != nil {
					return err
				}
				f.tagsFrom = from["tags"]
				return runTest(ctx, st, &f, args)
			}
		},
	})
}

// registerSuite registers the flags that shape the suite: the skill, its
// package, the fakes, what requests carry. test and dialog share them.
func (f *testFlags) registerSuite(fs *pflag.FlagSet) {
	fs.StringVar(&f.endpoint, "endpoint", "", "skill endpoint URL (default: the example skill, in-process)")
	fs.BoolVar(&f.lambda, "lambda", false, "the endpoint is an AWS Lambda Runtime Interface Emulator")
	fs.StringVar(&f.skillID, "skill-id", simulator.DefaultSkillID, "skill id in requests")
	fs.StringVar(&f.locale, "locale", simulator.DefaultLocale, "locale of requests")
	fs.StringVar(&f.device, "device", simulator.DefaultDevice, "device preset: "+strings.Join(simulator.DeviceNames(), ", "))
	fs.BoolVar(&f.lenient, "lenient", false, "report response-contract violations as warnings instead of failures")
	f.sign.register(fs, false)
	fs.StringVar(&f.apiAddr, "api-addr", "", "HOST:PORT of the Alexa API fake (default 127.0.0.1, a free port)")
	fs.StringVar(&f.oauthAddr, "oauth-addr", "", "HOST:PORT of the OAuth fake (default 127.0.0.1, a free port)")
	fs.StringVar(&f.profiles, "profiles", "", "profiles file for the Alexa API fake (see fixtures/profiles)")
	fs.StringVar(&f.oauthConfig, "oauth-config", "", "OAuth fake configuration (default fixtures/oauth/default.json)")
	fs.StringVar(&f.ca, "ca", "", "extra CA certificate (PEM) to trust for an https endpoint")
	fs.BoolVar(&f.tls, "tls", false, "serve the Alexa API and OAuth fakes over HTTPS from the persistent local CA (needed by Python skills; see 'asksim ca path')")
	f.caDir.register(fs)
	fs.DurationVar(&f.timeout, "timeout", simulator.DefaultTimeout, "how long a turn waits for the skill")
	f.pkg.register(fs)
}

// applyProjectConfig sets every flag the command line left alone from the
// project config file, and takes feature paths from its "paths" key when
// none were given. It returns the place ("asksim.yaml:3") of each setting
// it applied, by key, for errors found later in its value.
func applyProjectConfig(fs *pflag.FlagSet, explicit string, args *[]string) (map[string]string, error) {
	path := explicit
	if path == "" {
		path = projectconfig.Find(".")
		if path == "" {
			return nil, nil
		}
	}
	settings, err := projectconfig.Load(path)
	if err != nil {
		if explicit != "" && os.IsNotExist(err) {
			return nil, usagef("--config: %v", err)
		}
		return nil, usagef("%v", err)
	}
	applied := map[string]string{}
	dir := filepath.Dir(path)
	pathFlags := map[string]bool{"profiles": true, "oauth-config": true, "ca": true, "ca-dir": true, "skill-package": true, "sign-ca": true}
	for _, s := range settings {
		if s.Key == "paths" {
			if len(*args) == 0 {
				for _, p := range s.Values {
					*args = append(*args, relTo(dir, p))
				}
			}
			continue
		}
		fl := fs.Lookup(s.Key)
		if fl == nil || s.Key == "config" {
			names := []string{"paths"}
			fs.VisitAll(func(f *pflag.Flag) {
				if f.Name != "config" {
					names = append(names, f.Name)
				}
			})
			sort.Strings(names)
			return nil, usagef("%s: unknown setting %q (valid: %s)", s.Where(), s.Key, strings.Join(names, ", "))
		}
		if fl.Changed {
			continue
		}
		applied[s.Key] = s.Where()
		for _, v := range s.Values {
			if pathFlags[s.Key] {
				v = relTo(dir, v)
			}
			if name, file, ok := strings.Cut(v, ":"); ok && s.Key == "format" {
				v = name + ":" + relTo(dir, file)
			}
			if fl.NoOptDefVal != "" && fl.Value.Type() != "bool" {
				// A flag that may stand alone (--random) is true in YAML
				// when it stands alone, false when it is off.
				switch strings.ToLower(v) {
				case "true":
					v = fl.NoOptDefVal
				case "false":
					continue
				}
			}
			if err := fl.Value.Set(v); err != nil {
				return nil, usagef("%s: %s: %q is not %s", s.Where(), s.Key, v, wantValue(fl))
			}
		}
	}
	return applied, nil
}

// wantValue says what a setting's value must be, for errors.
func wantValue(fl *pflag.Flag) string {
	switch t := fl.Value.Type(); {
	case fl.Name == "random":
		return "a seed (a whole number), or true to pick one"
	case t == "bool":
		return "true or false"
	case t == "duration":
		return "a duration such as 8s or 1m30s"
	case strings.HasPrefix(t, "int") || strings.HasPrefix(t, "uint"):
		return "a whole number"
	default:
		return "a valid " + fl.Name + " (" + fl.Usage + ")"
	}
}

func relTo(dir, p string) string {
	if filepath.IsAbs(p) || dir == "." {
		return p
	}
	return filepath.Join(dir, p)
}

func runTest(ctx context.Context, st *stdio, f *testFlags, paths []string) error {
	var formats []string
	for _, v := range f.formats {
		formats = append(formats, strings.Split(v, ",")...)
	}
	var shard features.Shard
	if f.shard != "" {
		var err error
		if shard, err = features.ParseShard(f.shard); err != nil {
			return usagef("--shard: %v", err)
		}
	}
	if f.concurrency < 1 {
		return usagef("--concurrency %d: want at least 1", f.concurrency)
	}
	run := features.RunOptions{
		Paths: paths, Formats: formats, Tags: f.tags, TagsFrom: f.tagsFrom, Concurrency: f.concurrency, Shard: shard,
		Random: f.random, FailFast: f.failFast, NoColors: f.noColor || !colorful(st.out), Output: st.out, Errors: st.err,
		Version: headerVersion(),
	}
	if f.list {
		list, seed, err := features.List(run)
		if err != nil {
			return &configError{err.Error()}
		}
		for _, l := range list {
			fmt.Fprintln(st.out, l)
		}
		if f.random != 0 {
			fmt.Fprintf(st.err, "shuffled with --random=%d\n", seed)
		}
		return nil
	}
	cfg, err := f.suiteConfig(st)
	if err != nil {
		return err
	}
	suite, err := features.NewSuite(ctx, cfg)
	if err != nil {
		return usagef("%v", err)
	}
	defer suite.Close()
	status, err := suite.Run(run)
	if err != nil {
		return &configError{err.Error()}
	}
	if status != 0 {
		return &exitError{status}
	}
	return nil
}

// suiteConfig is the suite the flags describe.
func (f *testFlags) suiteConfig(st *stdio) (features.Config, error) {
	if f.timeout <= 0 {
		return features.Config{}, usagef("--timeout %v: want a positive duration such as 8s", f.timeout)
	}
	if err := simulator.CheckLocale(f.locale); err != nil {
		return features.Config{}, usagef("--locale: %v", err)
	}
	if err := simulator.CheckSkillID(f.skillID); err != nil {
		return features.Config{}, usagef("--skill-id: %v", err)
	}
	if _, err := f.sign.check(st, false); err != nil {
		return features.Config{}, err
	}
	if f.lambda && f.sign.sign {
		return features.Config{}, usagef("--sign needs an HTTP endpoint: a Lambda invocation carries no HTTP headers, so no signature")
	}
	cfg := features.Config{SkillID: f.skillID, Locale: f.locale, Device: f.device, Timeout: f.timeout,
		Lenient: f.lenient, Sign: f.sign.sign, SignAddr: f.sign.addr, SignRootFile: f.sign.caFile,
		APIAddr: f.apiAddr, OAuthAddr: f.oauthAddr}
	if _, err := simulator.DevicePreset(f.device); err != nil {
		return cfg, usagef("--device: %v", err)
	}
	switch {
	case f.tls:
		ca, err := f.caDir.load(st)
		if err != nil {
			return cfg, err
		}
		cfg.CA = ca
	case f.caDir.dir != "":
		return cfg, usagef("--ca-dir needs --tls")
	}
	if f.endpoint != "" {
		var opts []simulator.HTTPOption
		if f.ca != "" {
			opts = append(opts, simulator.WithCAFile(f.ca))
		}
		var err error
		if f.lambda {
			cfg.Endpoint, err = simulator.LambdaEndpoint(f.endpoint, opts...)
		} else {
			cfg.Endpoint, err = simulator.HTTPEndpoint(f.endpoint, opts...)
		}
		if err != nil {
			return cfg, endpointUsage(err)
		}
	} else if f.lambda || f.ca != "" {
		return cfg, usagef("--lambda and --ca need --endpoint")
	}
	if f.endpoint != "" || f.pkg.path != "" {
		// The example skill brings its own package; any other skill's comes
		// from --skill-package or ./skill-package.
		src, err := f.pkg.load(false)
		if err != nil {
			return cfg, err
		}
		if src != nil {
			cfg.SkillPackage, cfg.Model = src.pkg, src.bare
		}
	}
	if f.profiles != "" {
		set, err := alexaapi.LoadProfiles(f.profiles)
		if err != nil {
			return cfg, usagef("--profiles: %v", err)
		}
		cfg.Profiles = &set
	}
	if f.oauthConfig != "" {
		oc, err := oauth.LoadConfig(f.oauthConfig)
		if err != nil {
			return cfg, usagef("--oauth-config: %v", err)
		}
		cfg.OAuth = &oc
	}
	return cfg, nil
}

func init() {
	register(&command{
		name:    "steps",
		summary: "List the Gherkin steps features can use, with an example each",
		usage:   "[flags]",
		long: `Lists every step features can use, with an example, what it does, and
for steps with a table an example table.

` + features.Escaping + `

` + features.Cells + `

--json prints the vocabulary for editors: each step's kind, pattern,
example, doc, example table, and its arguments, with the values an argument
of a fixed set takes.`,
		examples: `  asksim steps
  asksim steps --patterns
  asksim steps --json | jq -r '.[].example'`,
		setup: func(fs *pflag.FlagSet) func(context.Context, *stdio, []string) error {
			patterns := fs.Bool("patterns", false, "also print each step's regular expression")
			asJSON := fs.Bool("json", false, "print the vocabulary as JSON, for editor completion")
			return func(ctx context.Context, st *stdio, args []string) error {
				if len(args) > 0 {
					return usagef("takes no arguments, got %q", args)
				}
				if *asJSON {
					return printStepsJSON(st.out)
				}
				fmt.Fprintf(st.out, "%s\n\n%s\n", wrap(features.Escaping, 78), wrap(features.Cells, 78))
				kind := ""
				for _, s := range features.Steps() {
					if s.Kind != kind {
						kind = s.Kind
						fmt.Fprintf(st.out, "\n%s\n", kind)
					}
					fmt.Fprintf(st.out, "  %s %s\n", s.Kind, s.Example)
					for _, row := range s.Table {
						fmt.Fprintf(st.out, "      | %s |\n", strings.Join(row, " | "))
					}
					if s.DocString != "" {
						fmt.Fprintf(st.out, "      \"\"\"\n      %s\n      \"\"\"\n", s.DocString)
					}
					fmt.Fprintf(st.out, "      %s\n", s.Doc)
					if *patterns {
						fmt.Fprintf(st.out, "      pattern: %s\n", s.Pattern)
					}
				}
				return nil
			}
		},
	})
}

// stepJSON is one step as `asksim steps --json` prints it.
type stepJSON struct {
	Kind      string              `json:"kind"`
	Pattern   string              `json:"pattern"`
	Example   string              `json:"example"`
	Doc       string              `json:"doc"`
	Table     [][]string          `json:"table,omitempty"`
	DocString string              `json:"doc_string,omitempty"`
	Arguments []features.Argument `json:"arguments"`
}

func printStepsJSON(w io.Writer) error {
	var out []stepJSON
	for _, s := range features.Steps() {
		out = append(out, stepJSON{Kind: s.Kind, Pattern: s.Pattern, Example: s.Example, Doc: s.Doc, Table: s.Table, DocString: s.DocString, Arguments: s.Arguments()})
	}
	return printJSON(w, out)
}

// wrap breaks text into lines of at most width runes, at spaces.
func wrap(text string, width int) string {
	var b strings.Builder
	line := 0
	for i, w := range strings.Fields(text) {
		if i > 0 && line+1+len([]rune(w)) > width {
			b.WriteByte('\n')
			line = 0
		} else if i > 0 {
			b.WriteByte(' ')
			line++
		}
		b.WriteString(w)
		line += len([]rune(w))
	}
	return b.String()
}

// headerVersion is the version the first line of a run names: the
// release's, with the commit when it is known.
func headerVersion() string {
	info := buildinfo.Get()
	if c := info.Commit; c != "" {
		return info.Version + " " + c[:min(len(c), 12)]
	}
	return info.Version
}
