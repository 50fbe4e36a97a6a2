package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/asksim/asksim/fakes/alexaapi"
	"github.com/asksim/asksim/fakes/oauth"
	"github.com/asksim/asksim/fakes/serve"
	"github.com/asksim/asksim/features"
	"github.com/asksim/asksim/internal/jsonlimit"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/apitoken"
	"github.com/asksim/asksim/simulator/link"
	"github.com/asksim/asksim/simulator/model"
	"github.com/asksim/asksim/simulator/signing"
	"github.com/asksim/asksim/simulator/voice"
	"github.com/spf13/pflag"
)

// sendFlags are the flags of 'asksim send' beyond those of 'asksim envelope'.
type sendFlags struct {
	endpoint string
	file     string
	lenient  bool
	timeout  time.Duration
	lambda   bool
	caFile   string
	sign     signFlags
	apiAddr  string
	tls      bool
	ca       caFlag
	// oauthAddr and oauthConfig serve the OAuth fake for the call, which
	// a linked consent links through.
	oauthAddr   string
	oauthConfig string
	pkg         skillPackageFlag
}

func (f *sendFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.endpoint, "endpoint", "", "the skill's URL, e.g. http://localhost:3000/ (required)")
	fs.StringVar(&f.file, "file", "", "send this envelope JSON file byte for byte instead of building a request ('-' reads stdin)")
	fs.BoolVar(&f.lenient, "lenient", false, "report contract violations as warnings and exit 0")
	fs.DurationVar(&f.timeout, "timeout", simulator.DefaultTimeout, "how long to wait for the skill")
	fs.BoolVar(&f.lambda, "lambda", false, "the endpoint is an AWS Lambda Runtime Interface Emulator (base or invocations URL)")
	fs.StringVar(&f.caFile, "ca", "", "PEM file of a CA to trust for an https endpoint, besides the system's")
	f.sign.register(fs, true)
	fs.StringVar(&f.apiAddr, "api-addr", "", "serve the Alexa API fake on HOST:PORT for the call (port 0: a free one) and put it in the envelope's apiEndpoint")
	fs.BoolVar(&f.tls, "tls", false, "with --api-addr: serve the fake over HTTPS from the persistent local CA ('asksim ca path')")
	f.ca.register(fs)
	fs.StringVar(&f.oauthAddr, "oauth-addr", "", "with --consent email+linked: serve the OAuth fake on HOST:PORT for the call (default: a free port) and link its first user through it, as 'asksim test' does")
	fs.StringVar(&f.oauthConfig, "oauth-config", "", "the OAuth fake's configuration (default fixtures/oauth/default.json)")
}

// options returns the simulator options for the skill endpoint.
func (f *sendFlags) options() ([]simulator.Option, error) {
	if f.endpoint == "" {
		return nil, usagef("--endpoint is required: the skill's URL, e.g. --endpoint http://localhost:3000/")
	}
	if f.timeout <= 0 {
		return nil, usagef("--timeout %v: want a positive duration such as 8s", f.timeout)
	}
	var hopts []simulator.HTTPOption
	if f.caFile != "" {
		hopts = append(hopts, simulator.WithCAFile(f.caFile))
	}
	newEndpoint := simulator.HTTPEndpoint
	if f.lambda {
		newEndpoint = simulator.LambdaEndpoint
	}
	ep, err := newEndpoint(f.endpoint, hopts...)
	if err != nil {
		return nil, endpointUsage(err)
	}
	return []simulator.Option{
		simulator.WithEndpoint(ep),
		simulator.WithTimeout(f.timeout),
		simulator.WithLenient(f.lenient),
	}, nil
}

// endpointUsage names the flag at fault in an error of building the
// endpoint: --ca for the CA file, else --endpoint.
func endpointUsage(err error) error {
	if errors.Is(err, simulator.ErrCAFile) {
		return usagef("--ca: %v", err)
	}
	return usagef("--endpoint: %v", err)
}

func init() {
	register(&command{
		name:    "send",
		summary: "Send one request to a skill and check its answer against Alexa's rules",
		usage:   "--endpoint URL <request as for 'asksim envelope' | say UTTERANCE> [flags]  |  --endpoint URL --file FILE  |  --endpoint URL -",
		long: `Sends one request as Alexa would, with Alexa's headers, waits for the answer
(8 s by default), prints it indented on stdout and any contract violations on
stderr. Give '-' instead of a request, or --file FILE, to send a whole envelope
byte for byte (with --sign, the signatures are made over those bytes). 'say
UTTERANCE' resolves the words against the skill's interaction model
(--skill-package, default ./skill-package) as Alexa would and sends what they
resolve to; with a skill package, asking for a permission the manifest does
not declare is a contract violation.

Exit status: 0 the answer is valid, 1 the skill failed or broke a rule of the
response contract, 2 usage error. With --lenient violations are warnings.

Requests are unsigned unless --sign is given. --sign signs them as Alexa
does, with a certificate chain asksim serves on loopback (--sign-addr); a
skill's verifier configured to trust its root (--sign-ca writes it) and that
URL can check them. --sign-fault sends a request such a verifier must
refuse, and inverts the check: exit 0 when the skill refuses it with an HTTP
4xx status, 1 when it answers. See docs/request-signing.md.`,
		examples: `  asksim send --endpoint http://localhost:3000/ launch
  asksim send --endpoint http://localhost:3000/ intent OrderIntent --slot item=tea --consent email
  asksim send --endpoint http://localhost:9000 --lambda intent HelloIntent
  asksim envelope launch | asksim send --endpoint https://localhost:8443/ --ca ca.pem -
  asksim send --endpoint http://localhost:3000/ --file captured.json --lenient
  asksim send --endpoint http://localhost:3000/ --api-addr 127.0.0.1:0 intent GetEmailIntent --consent email
  asksim send --endpoint http://localhost:3000/ --api-addr 127.0.0.1:0 --tls intent GetEmailIntent --consent email
  asksim send --endpoint http://localhost:3000/ --consent email+linked --oauth-addr 127.0.0.1:8701 intent AccountIntent
  asksim send --endpoint http://localhost:3000/ --skill-package skill-package say "order two coffees"
  asksim send --endpoint http://localhost:3000/ --sign --sign-addr 127.0.0.1:8443 --sign-ca signing-root.pem launch
  asksim send --endpoint http://localhost:3000/ --sign-addr 127.0.0.1:8443 --sign-fault tampered-body launch`,
		setup: func(fs *pflag.FlagSet) func(context.Context, *stdio, []string) error {
			var sf simFlags
			var rf requestFlags
			var f sendFlags
			f.register(fs)
			sf.register(fs)
			rf.register(fs)
			f.pkg.register(fs)
			return func(ctx context.Context, st *stdio, args []string) error {
				return runSend(ctx, st, &f, &sf, &rf, args)
			}
		},
	})
}

func runSend(ctx context.Context, st *stdio, f *sendFlags, sf *simFlags, rf *requestFlags, args []string) error {
	stdinEnvelope := len(args) == 1 && args[0] == "-"
	say := len(args) > 0 && args[0] == "say"
	switch {
	case len(args) > 1 && args[0] == "-":
		return usagef("- reads a whole envelope from stdin and takes no other arguments, got %q", args[1:])
	case f.file != "" && len(args) > 0:
		return usagef("give either --file or a request, not both (got --file %s and %q)", f.file, args)
	case f.file == "" && len(args) == 0:
		return usagef("missing request: one of %s, or '-' / --file FILE for a whole envelope", requestKinds)
	case say && len(args) != 2:
		return usagef("say takes one argument, the utterance in quotes, got %d: %q", len(args)-1, args[1:])
	}
	opts, err := f.options()
	if err != nil {
		return err
	}
	switch {
	case f.tls && f.apiAddr == "":
		return usagef("--tls needs --api-addr: it serves the Alexa API fake for the call over HTTPS (for a fake running elsewhere, start it with 'asksim fakes --tls')")
	case f.ca.dir != "" && !f.tls:
		return usagef("--ca-dir needs --tls")
	}
	// What is to be sent is checked before anything costly starts: the
	// simulator generates a signing key, --api-addr serves a fake.
	var body []byte // a whole envelope, sent as it is
	var req simulator.Request
	switch {
	case f.file != "" || stdinEnvelope:
		body, err = readEnvelope(st, f.file)
	case !say:
		req, err = rf.build(args)
	}
	if err != nil {
		return err
	}
	fault, err := f.sign.check(st, true)
	if err != nil {
		return err
	}
	signed := f.sign.sign || fault != ""
	if signed && f.lambda {
		return usagef("--sign and --sign-fault need an HTTP endpoint: a Lambda invocation carries no HTTP headers, so no signature")
	}
	if signed && fault == signing.FaultStaleTimestamp && (f.file != "" || stdinEnvelope) {
		return usagef("--sign-fault stale-timestamp applies to requests asksim builds; a whole envelope keeps its own timestamp, so write an old one into it")
	}
	if signed {
		a, err := f.sign.authority()
		if err != nil {
			return err
		}
		defer a.Close()
		opts = append(opts, f.sign.options(a, fault)...)
	}
	report := func(st *stdio, turn *simulator.Turn, err error) error { return reportSigned(st, turn, err, fault) }
	if f.apiAddr != "" {
		if sf.apiEndpoint != "" {
			return usagef("give --api-addr (serve the fake for this call) or --api-endpoint (use one running elsewhere), not both")
		}
		var ca *serve.CA
		if f.tls {
			if ca, err = f.ca.load(st); err != nil {
				return err
			}
		}
		fakeOpts, stop, err := serveAPIForCall(st, f.apiAddr, sf.keyFile, ca)
		if err != nil {
			return err
		}
		defer stop()
		opts = append(opts, fakeOpts...)
	}
	if consent, err := simulator.ParseConsent(sf.consent); err == nil && consent.Linked && sf.accessToken == "" {
		// A linked account, linked for real: the skill's calls to the
		// OAuth fake's /userinfo with the token work.
		tok, stop, err := linkForCall(ctx, st, f.oauthAddr, f.oauthConfig)
		if err != nil {
			return err
		}
		defer stop()
		sf.accessToken = tok
	} else if f.oauthAddr != "" || f.oauthConfig != "" {
		return usagef("--oauth-addr and --oauth-config serve the OAuth fake to link the account through: give --consent email+linked (or --access-token for a token of your own)")
	}
	src, err := f.pkg.load(say)
	if err != nil {
		return err
	}
	opts = append(opts, src.simulatorOptions()...)
	sim, consent, err := sf.simulator(opts...)
	if err != nil {
		return err
	}
	var turn *simulator.Turn
	switch {
	case body != nil:
		turn, err = sim.SendEnvelope(ctx, body)
	case say:
		return sendUtterance(ctx, st, sim, consent, src, args[1], report)
	default:
		turn, err = sim.NewConversation(consent).Send(ctx, req)
	}
	return report(st, turn, err)
}

// sendUtterance says the words to the skill through Alexa's ears: resolved
// against the interaction model, with the dialog model followed.
func sendUtterance(ctx context.Context, st *stdio, sim *simulator.Simulator, consent simulator.Consent, src *skillSource, utterance string,
	report func(*stdio, *simulator.Turn, error) error) error {
	m, err := src.model(sim.Locale())
	if err != nil {
		return err
	}
	m.SkillID = sim.SkillID()
	ex, err := voice.New(sim.NewConversation(consent), m).Say(ctx, utterance)
	if ex != nil && ex.Resolution != nil {
		heard := ex.Resolution.Intent
		if heard == "" { // "open <invocation name>": no intent
			heard = ex.Resolution.Kind.String()
		}
		fmt.Fprintf(st.err, "heard: %s\n", heard)
	}
	if ex != nil && len(ex.Turns) == 0 && err == nil {
		// Alexa answered from the dialog model without asking the skill.
		fmt.Fprintf(st.out, "Alexa (dialog model): %s\n", ex.Speech)
		return nil
	}
	var nm *model.NoMatchError
	if errors.As(err, &nm) {
		fmt.Fprintf(st.err, "%s send: %v\n", programName, err)
		return &exitError{exitFailed}
	}
	return report(st, ex.Last(), err)
}

// readEnvelope reads the envelope of --file or stdin and checks that it is
// one; errors name the file or "stdin".
func readEnvelope(st *stdio, file string) ([]byte, error) {
	in := st.in
	name := "stdin"
	if file != "" && file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return nil, usagef("--file: %v", err)
		}
		defer f.Close()
		in, name = f, file
	}
	// An envelope is a few KiB; the cap is the one on answers, so that any
	// request a skill could have produced the session of fits.
	body, err := io.ReadAll(io.LimitReader(in, simulator.MaxResponseBytes+1))
	switch {
	case err != nil:
		return nil, usagef("--file: %v", err)
	case len(body) > simulator.MaxResponseBytes:
		return nil, usagef("%s: larger than %d bytes, want an envelope JSON", name, simulator.MaxResponseBytes)
	case len(bytes.TrimSpace(body)) == 0:
		return nil, usagef("%s: empty, want an envelope JSON", name)
	}
	var de *jsonlimit.DepthError
	if errors.As(jsonlimit.CheckDepth(body, simulator.MaxJSONDepth), &de) {
		return nil, usagef("%s:%d: not an envelope: JSON nests arrays and objects deeper than %d levels", name, de.Line, de.Max)
	}
	var env simulator.Envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, usagef("%s: not an envelope: %v", name, err)
	}
	if env.Request.Type == "" {
		return nil, usagef("%s: request.type is missing", name)
	}
	return body, nil
}

// reportSigned reports a turn sent with a signing fault: the skill must
// refuse it (HTTP 4xx), and the exit status is 0 when it does, 1 when it
// answers or fails otherwise. Without a fault it is report.
func reportSigned(st *stdio, turn *simulator.Turn, err error, fault signing.Fault) error {
	if fault == signing.FaultNone {
		return report(st, turn, err)
	}
	if status, ok := simulator.Refusal(err); ok {
		fmt.Fprintf(st.err, "%s send: the skill refused the request signed with %s (HTTP %d), as a verifier must\n", programName, fault.Describe(), status)
		return nil
	}
	if rerr := report(st, turn, err); rerr != nil || err != nil {
		return rerr
	}
	fmt.Fprintf(st.err, "%s send: the skill answered a request signed with %s; a verifier must refuse it with an HTTP 4xx status (docs/request-signing.md)\n", programName, fault.Describe())
	return &exitError{exitFailed}
}

// report prints the answer and what is wrong with it; a fault or a
// violation makes the exit status 1.
func report(st *stdio, turn *simulator.Turn, err error) error {
	var se *simulator.SkillError
	var ce *simulator.ContractError
	if turn != nil && turn.Response != nil {
		var out bytes.Buffer
		if json.Indent(&out, bytes.TrimSpace(turn.Raw), "", "  ") == nil {
			out.WriteByte('\n')
			_, _ = st.out.Write(out.Bytes())
		}
	}
	switch {
	case err == nil:
		for _, w := range turn.Warnings {
			fmt.Fprintf(st.err, "warning: %s\n", w)
		}
		return nil
	case errors.As(err, &ce):
		for _, v := range ce.Violations {
			fmt.Fprintf(st.err, "violation: %s\n", v)
		}
		fmt.Fprintf(st.err, "%s %s: the answer breaks %d rule(s) of Alexa's response contract\n", programName, "send", len(ce.Violations))
		return &exitError{exitFailed}
	case errors.As(err, &se):
		fmt.Fprintf(st.err, "%s send: %v\n", programName, err)
		return &exitError{exitFailed}
	}
	return err
}

// linkForCall serves the OAuth fake on addr (a free loopback port when
// empty) for one call, links its first user through it as Alexa does, and
// returns the account's access token.
func linkForCall(ctx context.Context, st *stdio, addr, configFile string) (string, func(), error) {
	cfg := oauth.DefaultConfig()
	if configFile != "" {
		var err error
		if cfg, err = oauth.LoadConfig(configFile); err != nil {
			return "", nil, usagef("--oauth-config: %v", err)
		}
	}
	h, err := oauth.New(cfg)
	if err != nil {
		return "", nil, usagef("--oauth-config: %v", err)
	}
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	srv, err := startFake(h, serve.Options{}, addr, "--oauth-addr")
	if err != nil {
		return "", nil, err
	}
	stop := func() {
		sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}
	lc, err := features.LinkConfig(cfg, srv.URL, "")
	if err != nil {
		stop()
		return "", nil, usagef("--oauth-config: %v", err)
	}
	res, err := link.Run(ctx, lc)
	if err == nil && res.Account == nil {
		err = errors.New("no account came back")
	}
	if err != nil {
		stop()
		if res != nil && res.Report != nil {
			return "", nil, fmt.Errorf("linking through the OAuth fake at %s: %w\n%s", srv.URL, err, res.Report)
		}
		return "", nil, fmt.Errorf("linking through the OAuth fake at %s: %w", srv.URL, err)
	}
	tok, err := res.Account.AccessToken(ctx)
	if err != nil {
		stop()
		return "", nil, err
	}
	fmt.Fprintf(st.err, "asksim send: linked as %s through the OAuth fake at %s (the skill may call %s/userinfo)\n", lc.Username, srv.URL, srv.URL)
	return tok, stop, nil
}

// serveAPIForCall serves the Alexa API fake on addr for one call, so that
// the skill can read the profile, and returns the options that point the
// envelope at it and sign its token with the key the fake trusts.
func serveAPIForCall(st *stdio, addr, keyFile string, ca *serve.CA) ([]simulator.Option, func(), error) {
	var signer *apitoken.Signer
	if keyFile != "" {
		key, err := apitoken.LoadKeyFile(keyFile)
		if err != nil {
			return nil, nil, usagef("--key: %v", err)
		}
		signer = apitoken.NewSigner(key)
	} else {
		var err error
		if signer, err = apitoken.NewGeneratedSigner(); err != nil {
			return nil, nil, err
		}
	}
	api, err := alexaapi.New(alexaapi.Config{Keyfunc: signer.Keyfunc(),
		Logf: func(format string, a ...any) { fmt.Fprintf(st.err, "alexa-api: "+format+"\n", a...) }})
	if err != nil {
		return nil, nil, err
	}
	srv, err := startFake(api, serve.Options{CA: ca}, addr, "--api-addr")
	if err != nil {
		return nil, nil, err
	}
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}
	return []simulator.Option{simulator.WithAPIEndpoint(srv.URL), simulator.WithSigner(signer)}, stop, nil
}
