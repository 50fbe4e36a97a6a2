package main

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/asksim/asksim/fakes/alexaapi"
	"github.com/asksim/asksim/fakes/oauth"
	"github.com/asksim/asksim/fakes/serve"
	"github.com/asksim/asksim/features"
	"github.com/asksim/asksim/internal/smapisim"
	"github.com/asksim/asksim/simulator/apitoken"
	"github.com/asksim/asksim/simulator/model"
	"github.com/spf13/pflag"
)

type fakesOpts struct {
	apiAddr     string
	oauthAddr   string
	oauthConfig string
	allowRemote bool
	keyFile     string
	tls         bool
	caOut       string
	ca          caFlag
	profiles    string
	manifest    string
	quiet       bool
	smapi       smapiOpts
}

// shutdownTimeout bounds how long calls in flight may take once asksim is
// interrupted.
const shutdownTimeout = 5 * time.Second

func init() {
	register(&command{
		name:    "fakes",
		summary: "Serve the fake Alexa APIs and the OAuth account-linking server",
		usage:   "[flags]",
		long: `Serves Customer Profile, Device Address, Settings and progressive responses
on 127.0.0.1 (a free port unless --api-addr), answering by the consent in each
apiAccessToken, and the OAuth account-linking fake (a free port unless
--oauth-addr; fixtures/oauth/default.json unless --oauth-config) with the
provider API its configuration declares (GET /v1/me/playlists by default),
until interrupted. Each serves its paths at the root of its address. Envelopes from 'asksim envelope' with the
same --key and the printed --api-endpoint are accepted. Without --key a key is
generated into a temporary file, printed, and deleted on exit.

The Python SDK refuses an http:// apiEndpoint: use --tls. The certificates
are signed by asksim's persistent local CA (see 'asksim ca path'), which the
skill trusts once: REQUESTS_CA_BUNDLE=$(asksim ca path) for Python.

With --smapi-addr it also serves Login with Amazon and the Skill Management
API on that address, for the unmodified ASK CLI: 'ask smapi', 'ask dialog'
and 'ask util generate-lwa-tokens' work against the skill package
(--skill-package) and the running skill (--endpoint), offline. It prints
the export lines that point the CLI at the fakes (--ask-env writes them to
a file) and the developer account: developer / developer-password. See
docs/smapi.md.`,
		examples: `  asksim fakes --key key.pem
  asksim fakes --key key.pem --api-addr 127.0.0.1:8700 --profiles fixtures/profiles/users.json
  asksim fakes --tls --manifest skill-package/skill.json
  asksim fakes --tls --ca-dir .asksim-ca --ca-out ca.pem
  asksim fakes --oauth-addr 127.0.0.1:8701 --oauth-config my-oauth.json
  asksim fakes --smapi-addr 127.0.0.1:8765 --endpoint http://127.0.0.1:8080 --consent email --ask-env ask.env`,
		setup: func(fs *pflag.FlagSet) func(context.Context, *stdio, []string) error {
			var o fakesOpts
			fs.StringVar(&o.apiAddr, "api-addr", serve.DefaultAddr, "HOST:PORT of the Alexa API fake (port 0: a free port)")
			fs.StringVar(&o.oauthAddr, "oauth-addr", serve.DefaultAddr, "HOST:PORT of the OAuth fake (port 0: a free port)")
			fs.StringVar(&o.oauthConfig, "oauth-config", "", "OAuth fake configuration, JSON (default: fixtures/oauth/default.json)")
			fs.BoolVar(&o.allowRemote, "allow-remote", false, "allow a --api-addr, --oauth-addr or --smapi-addr that is not loopback")
			fs.StringVar(&o.keyFile, "key", "", "PEM RSA key whose tokens the fakes accept, as given to 'asksim envelope --key'")
			fs.BoolVar(&o.tls, "tls", false, "serve HTTPS with certificates from the persistent local CA ('asksim ca path')")
			o.ca.register(fs)
			fs.StringVar(&o.caOut, "ca-out", "", "with --tls: also copy the CA certificate here")
			fs.StringVar(&o.profiles, "profiles", "", "JSON profiles file (see fixtures/profiles/README.md)")
			fs.StringVar(&o.manifest, "manifest", "", "skill.json whose manifest.permissions the APIs enforce (403 FORBIDDEN otherwise)")
			fs.BoolVarP(&o.quiet, "quiet", "q", false, "do not log each call to stderr")
			o.smapi.register(fs)
			return func(ctx context.Context, st *stdio, args []string) error {
				if len(args) > 0 {
					return usagef("takes no arguments, got %q", args)
				}
				if err := o.smapi.check(fs); err != nil {
					return err
				}
				return runFakes(ctx, st, o)
			}
		},
	})
}

func runFakes(ctx context.Context, st *stdio, o fakesOpts) error {
	if o.caOut != "" && !o.tls {
		return usagef("--ca-out needs --tls")
	}
	if o.ca.dir != "" && !o.tls {
		return usagef("--ca-dir needs --tls")
	}
	// A generated key is written to a file only once everything else has
	// been read and both fakes listen, so that bad input or a taken port
	// leaves nothing behind; from then on a deferred call removes it on
	// every way out: an error, Ctrl-C, SIGTERM, SIGHUP (main.go), a panic.
	var key *rsa.PrivateKey
	var err error
	if o.keyFile != "" {
		if key, err = apitoken.LoadKeyFile(o.keyFile); err != nil {
			return usagef("--key: %v", err)
		}
	} else if key, err = apitoken.GenerateKey(); err != nil {
		return err
	}
	signer := apitoken.NewSigner(key)
	cfg := alexaapi.Config{Keyfunc: signer.Keyfunc()}
	if o.profiles != "" {
		set, err := alexaapi.LoadProfiles(o.profiles)
		if err != nil {
			return usagef("--profiles: %v", err)
		}
		cfg.Profiles, cfg.DefaultProfile = set.Users, &set.Default
	}
	if o.manifest != "" {
		m, err := model.LoadManifest(o.manifest)
		if err != nil {
			return usagef("--manifest: %v", err)
		}
		cfg.ManifestPermissions = m.Permissions
	}
	if !o.quiet {
		cfg.Logf = func(format string, a ...any) { fmt.Fprintf(st.err, "alexa-api: "+format+"\n", a...) }
	}
	api, err := alexaapi.New(cfg)
	if err != nil {
		return err
	}
	sopts := serve.Options{Addr: o.apiAddr, AllowRemote: o.allowRemote,
		Warnf: func(format string, a ...any) { fmt.Fprintf(st.err, "warning: "+format+"\n", a...) }}
	caFile := ""
	if o.tls {
		if sopts.CA, err = o.ca.load(st); err != nil {
			return err
		}
		caFile = sopts.CA.CertFile()
		if o.caOut != "" {
			if err := sopts.CA.WriteFile(o.caOut); err != nil {
				return usagef("--ca-out: %v", err)
			}
		}
	}
	oauthCfg := oauth.DefaultConfig()
	if o.oauthConfig != "" {
		if oauthCfg, err = oauth.LoadConfig(o.oauthConfig); err != nil {
			return usagef("--oauth-config: %v", err)
		}
	}
	if !o.quiet {
		// The OAuth fake starts its lines with "oauth: " itself.
		oauthCfg.Logf = func(format string, a ...any) { fmt.Fprintf(st.err, format+"\n", a...) }
	}
	authServer, err := oauth.New(oauthCfg)
	if err != nil {
		return usagef("--oauth-config: %v", err)
	}
	srv, err := startFake(api, sopts, o.apiAddr, "--api-addr")
	if err != nil {
		return err
	}
	defer srv.Close()
	oauthSrv, err := startFake(authServer, sopts, o.oauthAddr, "--oauth-addr")
	if err != nil {
		return err
	}
	defer oauthSrv.Close()
	servers := []*serve.Server{srv, oauthSrv}
	var smapiStack *smapisim.Stack
	var smapiSrv *serve.Server
	var smapiSkill *smapiSkill
	if o.smapi.addr != "" {
		if smapiSkill, err = o.smapi.skill(); err != nil {
			return err
		}
		var logf func(string, ...any)
		if !o.quiet {
			logf = func(format string, a ...any) { fmt.Fprintf(st.err, format+"\n", a...) }
		}
		if smapiStack, err = o.smapi.stack(smapiSkill, srv.URL, signer, logf); err != nil {
			return err
		}
		defer smapiStack.Close()
		if smapiSrv, err = startFake(smapiStack.Handler(), sopts, o.smapi.addr, "--smapi-addr"); err != nil {
			return err
		}
		defer smapiSrv.Close()
		servers = append(servers, smapiSrv)
	}
	keyFile, keyNote := o.keyFile, ""
	if keyFile == "" {
		var removeKey func()
		if keyFile, removeKey, err = writeTempKey(key); err != nil {
			return err
		}
		defer removeKey()
		keyNote = " (generated for this run, deleted on exit)"
	}
	fmt.Fprintf(st.out, "Alexa APIs:   %s\n", srv.URL)
	fmt.Fprintf(st.out, "OAuth:        %s/authorize  %s/token  %s/userinfo\n", oauthSrv.URL, oauthSrv.URL, oauthSrv.URL)
	writeOAuthAccounts(st.out, oauthCfg)
	printOAuthAPI(st, authServer, oauthCfg, oauthSrv.URL)
	fmt.Fprintf(st.out, "Signing key:  %s%s\n", keyFile, keyNote)
	if caFile != "" {
		fmt.Fprintf(st.out, "CA cert:      %s\n%s", caFile, serve.TrustInstructions(caFile))
	}
	fmt.Fprintf(st.out, "Envelopes for these fakes:\n  asksim envelope launch --key %s --api-endpoint %s\n", keyFile, srv.URL)
	if smapiStack != nil {
		if err := o.smapi.announce(st.out, smapiStack, smapiSkill, smapiSrv.URL, caFile); err != nil {
			return err
		}
	}
	fmt.Fprintf(st.out, "Serving until interrupted (Ctrl-C).\n")

	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	// All at once: Shutdown polls for idle connections, slower in turn.
	errs := make(chan error, len(servers))
	for _, s := range servers {
		go func() { errs <- s.Shutdown(sctx) }()
	}
	for range servers {
		if err := <-errs; err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("shut down: %w", err)
		}
	}
	fmt.Fprintln(st.err, "asksim fakes: stopped")
	return nil
}

// writeOAuthAccounts prints the OAuth fake's clients and users: the fake's
// own credentials, made for local tests.
func writeOAuthAccounts(w io.Writer, cfg oauth.Config) {
	for _, c := range cfg.Clients {
		redirect := ""
		if len(c.RedirectURIs) > 0 {
			redirect = ", redirect " + c.RedirectURIs[0]
		}
		fmt.Fprintf(w, "OAuth client: %s, secret %s (%s%s)\n", c.ID, c.Secret, c.Scheme, redirect)
	}
	var users []string
	for _, u := range cfg.Users {
		users = append(users, u.Username+" / "+u.Password)
	}
	if len(users) > 0 {
		fmt.Fprintf(w, "OAuth users:  %s\n", strings.Join(users, ", "))
	}
}

// printOAuthAPI lists the OAuth fake's protected resources beside its
// endpoints, and the command that links for a token: one they accept, and
// one for the --access-token of envelope and send.
func printOAuthAPI(st *stdio, srv *oauth.Server, cfg oauth.Config, url string) {
	for i, r := range srv.Resources() {
		label := "OAuth API:"
		if i > 0 {
			label = ""
		}
		scope := "any token of a user"
		if r.Scope != "" {
			scope = "scope " + r.Scope
		}
		fmt.Fprintf(st.out, "%-13s %s %s%s  (%s)\n", label, r.Method, url, r.Path, scope)
	}
	lc, err := features.LinkConfig(cfg, url, "")
	if err != nil {
		return
	}
	fmt.Fprintf(st.out, "A token for it and for --access-token (user %s, scopes %s):\n  asksim link --authorization-url %s --token-url %s --client-id %s --client-secret %s --username %s --password %s --print-token\n",
		lc.Username, strings.Join(lc.Scopes, " "), shellQuote(lc.AuthorizationURL), shellQuote(lc.TokenURL), shellQuote(lc.ClientID),
		shellQuote(lc.ClientSecret), shellQuote(lc.Username), shellQuote(lc.Password))
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@=%+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// startFake serves h at addr with the shared options; flag names the
// address flag in errors.
func startFake(h http.Handler, o serve.Options, addr, flag string) (*serve.Server, error) {
	o.Addr = addr
	srv, err := serve.Start(h, o)
	if err != nil {
		switch {
		case errors.Is(err, serve.ErrNotLoopback):
			return nil, usagef("%s: %v; add --allow-remote to serve it anyway", flag, err)
		case errors.Is(err, serve.ErrBadAddr), errors.Is(err, serve.ErrAddrInUse):
			return nil, usagef("%s: %v", flag, err)
		}
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	return srv, nil
}

// writeTempKey writes key to a new temporary file (mode 0600) and returns
// its name and the function that removes it.
func writeTempKey(key *rsa.PrivateKey) (name string, remove func(), err error) {
	f, err := os.CreateTemp("", "asksim-key-*.pem") // mode 0600
	if err != nil {
		return "", nil, err
	}
	name = f.Name()
	remove = func() { os.Remove(name) }
	if _, err := f.Write(apitoken.EncodeKeyPEM(key)); err != nil {
		f.Close()
		remove()
		return "", nil, err
	}
	if err := f.Close(); err != nil {
		remove()
		return "", nil, err
	}
	return name, remove, nil
}
