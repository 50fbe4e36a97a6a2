package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/asksim/asksim/fakes/oauth"
	"github.com/asksim/asksim/fakes/serve"
	"github.com/asksim/asksim/features"
	"github.com/asksim/asksim/simulator/link"
	"github.com/spf13/pflag"
)

// Environment variables that keep secrets out of the process list.
const (
	envLinkPassword     = "ASKSIM_LINK_PASSWORD"
	envLinkClientSecret = "ASKSIM_LINK_CLIENT_SECRET"
)

type linkFlags struct {
	authURL, tokenURL, clientID, clientSecret string
	scheme                                    string
	scopes                                    []string
	username, password                        string
	userField, passField                      string
	vendorID, region                          string
	pkce, manual, json, printToken            bool
}

func init() {
	register(&command{
		name:    "link",
		summary: "Link an account as Alexa does and report every rule the OAuth server breaks",
		usage:   "[flags]",
		long: `Plays Alexa's side of OAuth 2.0 account linking (authorization code grant):
opens the authorization URL, logs in through the login form, stops at the
redirect to Alexa's redirect_uri, checks state, redeems the code at the token
URL, and refreshes once. Prints a report of every rule: PASS, WARN (what
Alexa's production rules flag but a local server may lack, such as plain
http) or FAIL.

Without server flags it starts asksim's OAuth fake on a free loopback port
and links its first user (alice) with the password fixtures/oauth/default.json
gives her; --username picks another of its users. With --authorization-url, --token-url and
--client-id it links against your server. Secrets may come from the
environment instead of flags: ` + envLinkPassword + `, ` + envLinkClientSecret + `.

--manual prints the authorization URL for you to open in a browser; log in,
then paste the URL the browser was sent to (it starts with Alexa's redirect
URI; the page itself does not need to load).

--print-token prints only the access token on stdout, the report going to
stderr, for 'asksim send --access-token' or a Bearer header. Against
'asksim fakes' (it prints the command), the token reads the OAuth fake's
API; the in-process fake, and so its tokens, end with this command.

Exit status: 0 linked and no rule failed, 1 a rule failed, 2 usage error.`,
		examples: `  asksim link
  asksim link --json
  TOKEN=$(asksim link --authorization-url http://127.0.0.1:8701/authorize --token-url http://127.0.0.1:8701/token \
      --client-id alexa-skill --client-secret … --username alice --password … --print-token)
  asksim link --authorization-url https://auth.example.com/authorize \
      --token-url https://auth.example.com/token --client-id alexa \
      --client-secret s3cret --scope profile --scope orders.read \
      --username tester --password hunter2
  asksim link --scheme body --username-field email --password-field pass ...
  asksim link --manual --authorization-url ... --token-url ... --client-id ...
  TOKEN=$(asksim link --authorization-url http://127.0.0.1:8701/authorize \
      --token-url http://127.0.0.1:8701/token --client-id alexa-skill \
      --client-secret alexa-skill-secret --username alice --password alice-password --print-token)`,
		setup: func(fs *pflag.FlagSet) func(context.Context, *stdio, []string) error {
			var f linkFlags
			fs.StringVar(&f.authURL, "authorization-url", "", "your authorization URI (default: the in-process OAuth fake)")
			fs.StringVar(&f.tokenURL, "token-url", "", "your access-token URI")
			fs.StringVar(&f.clientID, "client-id", "", "client id configured in the skill")
			fs.StringVar(&f.clientSecret, "client-secret", "", "client secret (or $"+envLinkClientSecret+")")
			fs.StringVar(&f.scheme, "scheme", link.SchemeBasic, "token endpoint authentication: basic (HTTP_BASIC) or body (REQUEST_BODY_CREDENTIALS)")
			fs.StringArrayVar(&f.scopes, "scope", nil, "scope to request (repeatable)")
			fs.StringVar(&f.username, "username", "", "user who logs in (fake: its first user, alice)")
			fs.StringVar(&f.password, "password", "", "that user's password (or $"+envLinkPassword+"; fake: the one it knows)")
			fs.StringVar(&f.userField, "username-field", "username", "name of the login form's username input")
			fs.StringVar(&f.passField, "password-field", "password", "name of the login form's password input")
			fs.StringVar(&f.vendorID, "vendor-id", link.DefaultVendorID, "vendor id in Alexa's redirect URI")
			fs.StringVar(&f.region, "region", link.DefaultRegion, "region of Alexa's redirect URI: NA, EU or FE")
			fs.BoolVar(&f.pkce, "pkce", false, "send an S256 code challenge (PKCE)")
			fs.BoolVar(&f.manual, "manual", false, "log in yourself in a browser and paste the redirect URL")
			fs.BoolVar(&f.json, "json", false, "print the report as JSON")
			fs.BoolVar(&f.printToken, "print-token", false, "print the linked account's access token on stdout (the report goes to stderr), for --access-token of envelope and send")
			return func(ctx context.Context, st *stdio, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q: link takes only flags", args[0])
				}
				return runLink(ctx, st, fs, f)
			}
		},
	})
}

// linkFlagOf maps link.Config fields to the flags that set them.
var linkFlagOf = map[string]string{
	"AuthorizationURL": "--authorization-url", "TokenURL": "--token-url", "ClientID": "--client-id",
	"Scheme": "--scheme", "Scopes": "--scope", "Region": "--region", "RedirectURI": "--vendor-id",
}

func (f *linkFlags) config(fs *pflag.FlagSet) (link.Config, error) {
	if f.clientSecret == "" {
		f.clientSecret = os.Getenv(envLinkClientSecret)
	}
	if f.password == "" {
		f.password = os.Getenv(envLinkPassword)
	}
	server := false
	for _, n := range []string{"authorization-url", "token-url", "client-id", "client-secret"} {
		server = server || fs.Changed(n)
	}
	if server {
		for _, n := range []string{"authorization-url", "token-url", "client-id"} {
			if !fs.Changed(n) {
				return link.Config{}, usagef("--%s is required when linking against your own server (with --authorization-url, --token-url, --client-id)", n)
			}
		}
		if !f.manual && (f.username == "" || f.password == "") {
			return link.Config{}, usagef("--username and --password (or $%s) are required against your own server, unless --manual", envLinkPassword)
		}
	}
	if f.vendorID == "" {
		return link.Config{}, usagef("--vendor-id must not be empty")
	}
	if f.userField == "" || f.passField == "" {
		return link.Config{}, usagef("--username-field and --password-field must not be empty")
	}
	cfg := link.Config{
		AuthorizationURL: f.authURL, TokenURL: f.tokenURL, ClientID: f.clientID, ClientSecret: f.clientSecret,
		Scheme: f.scheme, Scopes: f.scopes, Username: f.username, Password: f.password,
		UsernameField: f.userField, PasswordField: f.passField, VendorID: f.vendorID, Region: f.region, PKCE: f.pkce,
	}
	// Validate now, so that flag mistakes are usage errors before any
	// server starts; AuthorizationRequest has no side effects.
	probe := cfg
	if !server {
		probe.AuthorizationURL, probe.TokenURL, probe.ClientID = "http://127.0.0.1/authorize", "http://127.0.0.1/token", "alexa-skill"
	}
	if _, _, _, err := link.AuthorizationRequest(probe); err != nil {
		return cfg, linkUsage(err)
	}
	return cfg, nil
}

func linkUsage(err error) error {
	var ce *link.ConfigError
	if errors.As(err, &ce) {
		if flag, ok := linkFlagOf[ce.Field]; ok {
			return usagef("%s: %s", flag, ce.Msg)
		}
	}
	return err
}

func runLink(ctx context.Context, st *stdio, fs *pflag.FlagSet, f linkFlags) error {
	cfg, err := f.config(fs)
	if err != nil {
		return err
	}
	fake := cfg.AuthorizationURL == ""
	if fake {
		stop, err := linkFake(st, &cfg)
		if err != nil {
			return err
		}
		defer stop()
		if f.printToken {
			fmt.Fprintln(st.err, "asksim link: this OAuth fake stops with the command, and its tokens with it; for a token that keeps working, link against 'asksim fakes' (it prints the command)")
		}
	}
	var res *link.Result
	if f.manual {
		res, err = linkManual(ctx, st, cfg)
	} else {
		res, err = link.Run(ctx, cfg)
	}
	if res == nil {
		return linkUsage(err)
	}
	reportOut := st.out
	if f.printToken {
		reportOut = st.err
	}
	if f.json {
		enc := json.NewEncoder(reportOut)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res.Report); err != nil {
			return err
		}
	} else if err := res.Report.WriteText(reportOut); err != nil {
		return err
	}
	if res.Report.Failed() {
		if c, ok := res.Report.Check(link.RuleAuthorizeRedir); ok && c.Status == link.Fail && strings.Contains(c.Message, "wrong username or password") {
			fmt.Fprintf(st.err, "asksim link: the login as %q failed: %s\n", cfg.Username, loginHint(fake))
		}
		return &exitError{exitFailed}
	}
	if f.printToken {
		if res.Account == nil {
			return fmt.Errorf("linked, but no account came back to take a token from")
		}
		tok, err := res.Account.AccessToken(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(st.out, tok)
	}
	return nil
}

// loginHint says what to do about a refused login.
func loginHint(fake bool) string {
	if !fake {
		return "check --username and --password (or $" + envLinkPassword + "), and --username-field and --password-field if the form names them otherwise"
	}
	var users []string
	for _, u := range oauth.DefaultConfig().Users {
		users = append(users, u.Username)
	}
	return "the OAuth fake knows the users " + strings.Join(users, " and ") + " (fixtures/oauth/default.json); without --password asksim logs in with the password the fake gives them"
}

// linkManual prints the authorization URL and reads the pasted redirect.
func linkManual(ctx context.Context, st *stdio, cfg link.Config) (*link.Result, error) {
	authURL, state, verifier, err := link.AuthorizationRequest(cfg)
	if err != nil {
		return nil, err
	}
	redirect, _ := link.RedirectURI(cfg.Region, cfg.VendorID)
	fmt.Fprintf(st.err, "Open this URL in a browser and log in:\n\n  %s\n\n", authURL)
	fmt.Fprintf(st.err, "The browser then goes to %s?… (the page need not load).\nPaste that URL here and press Enter:\n", redirect)
	line := make(chan string, 1)
	readErr := make(chan error, 1)
	go func() {
		s, err := bufio.NewReader(st.in).ReadString('\n')
		if strings.TrimSpace(s) != "" {
			line <- s
			return
		}
		if err == nil || err == io.EOF {
			err = errors.New("no URL pasted on standard input")
		}
		readErr <- err
	}()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case err := <-readErr:
		return nil, err
	case s := <-line:
		return link.CompleteManual(ctx, cfg, s, state, verifier)
	}
}

// linkFake serves the OAuth fake's default configuration on a free
// loopback port and points cfg at it, with the credentials and scopes of
// the fake's client and of the user cfg names (its first user when none);
// a password or scopes given on the command line still win.
func linkFake(st *stdio, cfg *link.Config) (stop func(), err error) {
	fakeCfg := oauth.DefaultConfig()
	h, err := oauth.New(fakeCfg)
	if err != nil {
		return nil, err
	}
	srv, err := serve.Start(h, serve.Options{})
	if err != nil {
		if srv, err = serve.Start(h, serve.Options{Addr: "[::1]:0"}); err != nil {
			return nil, fmt.Errorf("OAuth fake: no loopback port: %w", err)
		}
	}
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}
	fake, err := features.LinkConfig(fakeCfg, srv.URL, cfg.Username)
	if err != nil {
		stop()
		return nil, usagef("--username: %v", err)
	}
	cfg.AuthorizationURL, cfg.TokenURL = fake.AuthorizationURL, fake.TokenURL
	cfg.ClientID, cfg.ClientSecret, cfg.Username = fake.ClientID, fake.ClientSecret, fake.Username
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = fake.Scopes // as Alexa sends the skill's configured scopes
	}
	if cfg.Password == "" {
		cfg.Password = fake.Password
	}
	fmt.Fprintf(st.err, "asksim link: OAuth fake at %s (client %s, user %s)\n", srv.URL, cfg.ClientID, cfg.Username)
	return stop, nil
}
