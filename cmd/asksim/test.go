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
		usage:   "[flags] [feature files or directories]",
		long: `Runs feature files against a skill endpoint, with the Alexa API fake and the
OAuth fake on loopback. Without --endpoint it starts the example skill
in-process; without feature paths it runs the bundled features.

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
configuration error (a feature that does not parse, an undefined step).`,
		examples: `  asksim test
  asksim test --endpoint http://127.0.0.1:3000/alexa features/
  asksim test --format progress --format junit:reports/junit.xml --format cucumber:reports/cucumber.json
  asksim test --tags '@smoke && ~@slow' --concurrency 4
  asksim test --shard 2/4 --random=42
  asksim test --lambda --endpoint http://127.0.0.1:9000 features/
  REQUESTS_CA_BUNDLE=$(asksim ca path) python3 skill.py &    # a Python skill trusts the local CA
  asksim test --tls --endpoint http://127.0.0.1:3000/ features/
  asksim test --endpoint http://127.0.0.1:3000/ --sign --sign-addr 127.0.0.1:8443 --sign-ca signing-root.pem`,
		setup: func(fs *pflag.FlagSet) func(context.Context, *stdio, []string) error {
			var f testFlags
			fs.StringVar(&f.config, "config", "", "project config file (default: asksim.yaml, asksim.yml or asksim.json in the working directory)")
			fs.StringVar(&f.endpoint, "endpoint", "", "skill endpoint URL (default: the example skill, in-process)")
			fs.BoolVar(&f.lambda, "lambda", false, "the endpoint is an AWS Lambda Runtime Interface Emulator")
			fs.StringVar(&f.skillID, "skill-id", simulator.DefaultSkillID, "skill id in requests")
			fs.StringVar(&f.locale, "locale", simulator.DefaultLocale, "locale of requests")
			fs.StringVar(&f.device, "device", simulator.DefaultDevice, "device preset: "+strings.Join(simulator.DeviceNames(), ", "))
			fs.StringArrayVar(&f.formats, "format", nil, "output format: pretty, progress, junit, cucumber, each optionally :FILE (repeatable or comma-separated; default pretty)")
			fs.StringVar(&f.tags, "tags", "", "run only scenarios matching the tag expression, e.g. '@smoke && ~@slow'")
			fs.IntVar(&f.concurrency, "concurrency", 1, "scenarios run at once")
			fs.StringVar(&f.shard, "shard", "", "run shard I of N (I/N) of a stable split of the scenarios, for CI matrices")
			fs.Int64Var(&f.random, "random", 0, "shuffle scenarios; --random alone picks a seed, --random=SEED repeats an order")
			fs.Lookup("random").NoOptDefVal = "-1"
			fs.BoolVar(&f.failFast, "fail-fast", false, "stop at the first failed scenario")
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
			fs.BoolVar(&f.noColor, "no-color", false, "no ANSI colours in the output (the default when stdout is not a terminal, or NO_COLOR is set)")
			fs.BoolVar(&f.list, "list", false, "list the scenarios (file:line) the run would include, and exit")
			f.pkg.register(fs)
			return func(ctx context.Context, st *stdio, args []string) error {
				if err := applyProjectConfig(fs, f.config, &args); err != nil {
					return err
				}
				return runTest(ctx, st, &f, args)
			}
		},
	})
}

// applyProjectConfig sets every flag the command line left alone from the
// project config file, and takes feature paths from its "paths" key when
// none were given.
func applyProjectConfig(fs *pflag.FlagSet, explicit string, args *[]string) error {
	path := explicit
	if path == "" {
		path = features.FindProjectConfig(".")
		if path == "" {
			return nil
		}
	}
	settings, err := features.LoadSettings(path)
	if err != nil {
		if explicit != "" && os.IsNotExist(err) {
			return usagef("--config: %v", err)
		}
		return usagef("%v", err)
	}
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
			var names []string
			fs.VisitAll(func(f *pflag.Flag) {
				if f.Name != "config" {
					names = append(names, f.Name)
				}
			})
			sort.Strings(append(names, "paths"))
			return usagef("%s: unknown setting %q (valid: %s)", s.Where(), s.Key, strings.Join(names, ", "))
		}
		if fl.Changed {
			continue
		}
		for _, v := range s.Values {
			if pathFlags[s.Key] {
				v = relTo(dir, v)
			}
			if strings.HasPrefix(v, "junit:") || strings.HasPrefix(v, "cucumber:") {
				name, file, _ := strings.Cut(v, ":")
				v = name + ":" + relTo(dir, file)
			}
			if err := fl.Value.Set(v); err != nil {
				return usagef("%s: %s: %v", s.Where(), s.Key, err)
			}
		}
	}
	return nil
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
	if err := features.CheckTags(f.tags); err != nil {
		return usagef("--tags: %v", err)
	}
	if f.list && f.tags != "" {
		// The listing does not apply tag expressions (godog's matcher is
		// internal to it); a list that ignored them would be wrong.
		return usagef("--list does not apply --tags: list without --tags, or run with --tags")
	}
	if f.list {
		list, err := features.ShardScenarios(paths, shard)
		if err != nil {
			return &configError{err.Error()}
		}
		for _, l := range list {
			fmt.Fprintln(st.out, l)
		}
		return nil
	}
	if _, err := f.sign.check(st, false); err != nil {
		return err
	}
	if f.lambda && f.sign.sign {
		return usagef("--sign needs an HTTP endpoint: a Lambda invocation carries no HTTP headers, so no signature")
	}
	cfg := features.Config{SkillID: f.skillID, Locale: f.locale, Device: f.device, Timeout: f.timeout,
		Lenient: f.lenient, Sign: f.sign.sign, SignAddr: f.sign.addr, SignRootFile: f.sign.caFile,
		APIAddr: f.apiAddr, OAuthAddr: f.oauthAddr}
	if _, err := simulator.DevicePreset(f.device); err != nil {
		return usagef("--device: %v", err)
	}
	if err := simulator.CheckSkillID(f.skillID); err != nil {
		return usagef("--skill-id: %v", err)
	}
	if err := simulator.CheckLocale(f.locale); err != nil {
		return usagef("--locale: %v", err)
	}
	if f.timeout <= 0 {
		return usagef("--timeout %v: want a positive duration such as 8s", f.timeout)
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
			return endpointUsage(err)
		}
	} else if f.lambda || f.ca != "" {
		return usagef("--lambda and --ca need --endpoint")
	}
	if f.endpoint != "" || f.pkg.path != "" {
		// The example skill brings its own package; any other skill's comes
		// from --skill-package or ./skill-package.
		src, err := f.pkg.load(false)
		if err != nil {
			return err
		}
		if src != nil {
			cfg.SkillPackage, cfg.Model = src.pkg, src.bare
		}
	}
	if f.profiles != "" {
		set, err := alexaapi.LoadProfiles(f.profiles)
		if err != nil {
			return usagef("--profiles: %v", err)
		}
		cfg.Profiles = &set
	}
	if f.oauthConfig != "" {
		oc, err := oauth.LoadConfig(f.oauthConfig)
		if err != nil {
			return usagef("--oauth-config: %v", err)
		}
		cfg.OAuth = &oc
	}
	switch {
	case f.tls:
		ca, err := f.caDir.load(st)
		if err != nil {
			return err
		}
		cfg.CA = ca
	case f.caDir.dir != "":
		return usagef("--ca-dir needs --tls")
	}
	suite, err := features.NewSuite(ctx, cfg)
	if err != nil {
		return usagef("%v", err)
	}
	defer suite.Close()
	status, err := suite.Run(features.RunOptions{
		Paths: paths, Formats: formats, Tags: f.tags, Concurrency: f.concurrency, Shard: shard,
		Random: f.random, FailFast: f.failFast, NoColors: f.noColor || !colorful(st.out), Output: st.out,
	})
	if err != nil {
		return &configError{err.Error()}
	}
	if status != 0 {
		return &exitError{status}
	}
	return nil
}

func init() {
	register(&command{
		name:    "steps",
		summary: "List the Gherkin steps features can use, with an example each",
		usage:   "[flags]",
		examples: `  asksim steps
  asksim steps --patterns`,
		setup: func(fs *pflag.FlagSet) func(context.Context, *stdio, []string) error {
			patterns := fs.Bool("patterns", false, "also print each step's regular expression")
			return func(ctx context.Context, st *stdio, args []string) error {
				if len(args) > 0 {
					return usagef("takes no arguments, got %q", args)
				}
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

// colorful reports whether w is a terminal that wants colours: not a file
// or pipe (CI logs), and no NO_COLOR in the environment (no-color.org).
func colorful(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
