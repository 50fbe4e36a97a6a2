package link_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asksim/asksim/simulator/link"
)

func linkConfig(as *testAS) link.Config {
	return link.Config{
		AuthorizationURL: as.URL + "/authorize",
		TokenURL:         as.URL + "/token",
		ClientID:         as.clientID,
		ClientSecret:     as.secret,
		Scopes:           []string{"profile", "orders.read"},
		Username:         "alice",
		Password:         "alice-password",
		HTTPClient:       as.Client(),
	}
}

func runLink(t *testing.T, cfg link.Config) *link.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := link.Run(ctx, cfg)
	if res == nil {
		t.Fatalf("Link: no result: %v", err)
	}
	if (err != nil) != res.Report.Failed() {
		t.Fatalf("Link error %v but report failed=%v:\n%s", err, res.Report.Failed(), res.Report)
	}
	if err != nil && !errors.Is(err, link.ErrFailed) {
		t.Fatalf("Link error %v does not wrap ErrFailed", err)
	}
	return res
}

// wantCheck asserts the status of one rule and that its message says what
// the server got wrong.
func wantCheck(t *testing.T, rep *link.Report, rule string, st link.Status, msgParts ...string) link.Check {
	t.Helper()
	c, ok := rep.Check(rule)
	if !ok {
		t.Fatalf("rule %s not checked:\n%s", rule, rep)
	}
	if c.Status != st {
		t.Fatalf("rule %s: status %s, want %s (%s)\n%s", rule, c.Status, st, c.Message, rep)
	}
	for _, p := range msgParts {
		if !strings.Contains(c.Message, p) {
			t.Errorf("rule %s: message %q lacks %q", rule, c.Message, p)
		}
	}
	return c
}

// onlyFailure asserts that rule is the one and only failure.
func onlyFailure(t *testing.T, rep *link.Report, rule string) {
	t.Helper()
	for _, c := range rep.Checks {
		if c.Status == link.Fail && c.Rule != rule {
			t.Errorf("unexpected failure %s: %s", c.Rule, c.Message)
		}
	}
}

func TestLinkCompliantServer(t *testing.T) {
	as := newTestAS(t)
	res := runLink(t, linkConfig(as))
	rep := res.Report
	if rep.Failed() {
		t.Fatalf("compliant server failed:\n%s", rep)
	}
	// Loopback is plain http: a warning, never a failure.
	wantCheck(t, rep, link.RuleHTTPS, link.Warn, as.URL)
	for _, rule := range link.Rules() {
		if rule.ID == link.RuleHTTPS {
			continue
		}
		wantCheck(t, rep, rule.ID, link.Pass)
	}
	if got, want := as.tokenLog(), []string{"grant=authorization_code auth=basic", "grant=refresh_token auth=basic"}; !slices.Equal(got, want) {
		t.Errorf("token calls %q, want %q", got, want)
	}
	if res.Account == nil {
		t.Fatal("no tokens")
	}
	tok := res.Account.Tokens()
	if !strings.HasPrefix(tok.AccessToken, "at-") || !strings.HasPrefix(tok.RefreshToken, "rt-") || tok.TokenType != "Bearer" {
		t.Errorf("tokens %+v", tok)
	}
	// The login form was submitted as a browser does: the server refuses
	// otherwise (CSRF token from the session cookie, hidden fields, default
	// button only, no unchecked box, no disabled field).
	wantCheck(t, rep, link.RuleAuthorizeForm, link.Pass, `"csrf"`, `"action"`)
}

func TestLinkAuthorizationURL(t *testing.T) {
	cfg := link.Config{AuthorizationURL: "https://auth.example.test/oauth/authorize?tenant=t1", TokenURL: "https://auth.example.test/token",
		ClientID: "alexa-skill", Scopes: []string{"profile", "orders.read"}, PKCE: true, Region: "EU", VendorID: "M3BVP74N95SP1F"}
	raw, state, verifier, err := link.AuthorizationRequest(cfg)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	want := map[string]string{
		"tenant": "t1", "client_id": "alexa-skill", "response_type": "code", "state": state, "scope": "profile orders.read",
		"redirect_uri": "https://layla.amazon.com/api/skill/link/M3BVP74N95SP1F", "code_challenge_method": "S256",
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if !strings.Contains(u.RawQuery, "scope=profile%20orders.read") {
		t.Errorf("scope not space-separated with %%20: %s", u.RawQuery)
	}
	// ≥128 bits of state; a verifier RFC 7636 §4.1 accepts.
	if len(state) < 22 || len(verifier) < 43 || len(verifier) > 128 {
		t.Errorf("state %q verifier %q too short", state, verifier)
	}
	if _, state2, _, _ := link.AuthorizationRequest(cfg); state2 == state {
		t.Error("state repeats")
	}
	for region, host := range map[string]string{"NA": "pitangui.amazon.com", "EU": "layla.amazon.com", "FE": "alexa.amazon.co.jp"} {
		got, err := link.RedirectURI(region, link.DefaultVendorID)
		if err != nil || got != "https://"+host+"/api/skill/link/M2ASKSIMVENDOR" {
			t.Errorf("region %s: %q, %v", region, got, err)
		}
	}
}

func TestLinkAlexaTimeoutDefault(t *testing.T) {
	if link.TokenTimeout != 4500*time.Millisecond {
		t.Fatalf("TokenTimeout = %s, want Alexa's 4.5s", link.TokenTimeout)
	}
	// The report names the limit it applied: with no Timeout set, 4.5s.
	as := newTestAS(t)
	res := runLink(t, linkConfig(as))
	wantCheck(t, res.Report, link.RuleTokenLatency, link.Pass, "(limit 4.5s)")
}

func TestLinkStateChanged(t *testing.T) {
	as := newTestAS(t, func(as *testAS) { as.mangleState = func(s string) string { return s + "x" } })
	res := runLink(t, linkConfig(as))
	c := wantCheck(t, res.Report, link.RuleAuthorizeState, link.Fail, "carries state", "Alexa sent")
	onlyFailure(t, res.Report, link.RuleAuthorizeState)
	if !slices.Contains(res.Report.NotChecked, link.RuleTokenResponse) {
		t.Errorf("not checked %v should list %s", res.Report.NotChecked, link.RuleTokenResponse)
	}
	if res.Account != nil || len(as.tokenLog()) != 0 {
		t.Errorf("redeemed a code despite a changed state: %v", as.tokenLog())
	}
	_ = c
}

func TestLinkStateMissing(t *testing.T) {
	as := newTestAS(t, func(as *testAS) { as.mangleState = func(string) string { return "" } })
	res := runLink(t, linkConfig(as))
	wantCheck(t, res.Report, link.RuleAuthorizeState, link.Fail, "carries state \"\"")
}

func tokenJSON(fields map[string]any) func(*testAS) {
	return func(as *testAS) {
		as.tokenJSON = func(string) map[string]any {
			m := map[string]any{"access_token": "at-" + rnd(), "token_type": "Bearer", "expires_in": 3600, "refresh_token": "rt-" + rnd()}
			for k, v := range fields {
				if v == nil {
					delete(m, k)
				} else {
					m[k] = v
				}
			}
			return m
		}
	}
}

func TestLinkTokenResponseRules(t *testing.T) {
	cases := []struct {
		name   string
		fields map[string]any
		rule   string
		msg    []string
	}{
		{"expires_in string", map[string]any{"expires_in": "3600"}, link.RuleTokenExpiresInt, []string{`the string "3600"`, "RFC 6749 §5.1"}},
		{"expires_in fraction", map[string]any{"expires_in": 3600.5}, link.RuleTokenExpiresInt, []string{"3600.5, not an integer"}},
		{"expires_in below 360", map[string]any{"expires_in": 300}, link.RuleTokenExpiresMin, []string{"expires_in is 300", "at least 360"}},
		{"no refresh token", map[string]any{"refresh_token": nil}, link.RuleTokenRefresh, []string{"no refresh_token"}},
		{"no access token", map[string]any{"access_token": nil}, link.RuleTokenAccess, []string{"no access_token"}},
		{"token_type mac", map[string]any{"token_type": "mac"}, link.RuleTokenType, []string{`"mac", not "Bearer"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			as := newTestAS(t, tokenJSON(tc.fields))
			res := runLink(t, linkConfig(as))
			c := wantCheck(t, res.Report, tc.rule, link.Fail, tc.msg...)
			if c.Evidence == nil || c.Evidence.Request == nil || c.Evidence.Response == nil || c.Evidence.Response.Status != 200 {
				t.Errorf("evidence %+v", c.Evidence)
			}
			if tc.rule != link.RuleTokenRefresh && tc.rule != link.RuleTokenAccess {
				// The refresh repeats the mistake, so it fails too.
				wantCheck(t, res.Report, link.RuleRefreshResponse, link.Fail)
			}
			for _, ch := range res.Report.Checks {
				if ch.Status == link.Fail && ch.Rule != tc.rule && ch.Rule != link.RuleRefreshResponse {
					t.Errorf("unexpected failure %s: %s", ch.Rule, ch.Message)
				}
			}
		})
	}
}

func TestLinkNoRefreshTokenSkipsRefresh(t *testing.T) {
	as := newTestAS(t, tokenJSON(map[string]any{"refresh_token": nil}))
	res := runLink(t, linkConfig(as))
	if _, ok := res.Report.Check(link.RuleRefreshResponse); ok {
		t.Error("refresh attempted without a refresh token")
	}
	if !slices.Contains(res.Report.NotChecked, link.RuleRefreshResponse) {
		t.Errorf("not checked %v lacks %s", res.Report.NotChecked, link.RuleRefreshResponse)
	}
	// The access token is still usable until it expires.
	if res.Account == nil || res.Account.Tokens().AccessToken == "" {
		t.Error("tokens lost")
	}
}

func TestLinkExpiresInAbsentUsesDefault(t *testing.T) {
	as := newTestAS(t, tokenJSON(map[string]any{"expires_in": nil}))
	clock := newClock()
	cfg := linkConfig(as)
	cfg.Now = clock.Now
	res := runLink(t, cfg)
	wantCheck(t, res.Report, link.RuleTokenExpiresInt, link.Pass, "defaultTokenExpirationInSeconds")
	if got, want := res.Account.Tokens().Expiry, clock.Now().Add(link.DefaultTokenLifetime); !got.Equal(want) {
		t.Errorf("expiry %s, want %s", got, want)
	}
}

func TestLinkTokenNotJSON(t *testing.T) {
	as := newTestAS(t, func(as *testAS) { as.tokenRaw = "access_token=abc&token_type=bearer" })
	res := runLink(t, linkConfig(as))
	wantCheck(t, res.Report, link.RuleTokenResponse, link.Fail, "not a JSON object", "text/plain")
	onlyFailure(t, res.Report, link.RuleTokenResponse)
}

// TestLinkSlowTokenEndpoint: a token endpoint that would take 6 s. The
// test sets Timeout to 50ms (the real limit, TokenTimeout, is checked
// in TestLinkAlexaTimeoutDefault) so that it waits 50ms, not 4.5s; the
// handler returns as soon as the linker gives up.
func TestLinkSlowTokenEndpoint(t *testing.T) {
	as := newTestAS(t, func(as *testAS) {
		as.tokenHook = func(r *http.Request) {
			// The server notices a client hanging up only once the body is read.
			_ = r.ParseForm()
			select {
			case <-r.Context().Done():
			case <-time.After(6 * time.Second):
			}
		}
	})
	cfg := linkConfig(as)
	cfg.Timeout = 50 * time.Millisecond
	start := time.Now()
	res := runLink(t, cfg)
	wantCheck(t, res.Report, link.RuleTokenLatency, link.Fail, "no answer within 50ms")
	onlyFailure(t, res.Report, link.RuleTokenLatency)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s: the linker waited for the slow endpoint", d)
	}
}

// TestLinkSlowTokenEndpointClock: the endpoint answers, but 6 s late on
// the injected clock; Alexa would have given up, so the rule fails.
func TestLinkSlowTokenEndpointClock(t *testing.T) {
	clock := newClock()
	as := newTestAS(t, func(as *testAS) {
		as.tokenHook = func(r *http.Request) {
			if r.FormValue("grant_type") == "authorization_code" {
				clock.Add(6 * time.Second)
			}
		}
	})
	cfg := linkConfig(as)
	cfg.Now = clock.Now
	res := runLink(t, cfg)
	wantCheck(t, res.Report, link.RuleTokenLatency, link.Fail, "answered in 6s, more than Alexa's 4.5s")
	wantCheck(t, res.Report, link.RuleRefreshLatency, link.Pass)
	onlyFailure(t, res.Report, link.RuleTokenLatency)
}

func TestLinkCredentialsInBody(t *testing.T) {
	as := newTestAS(t, func(as *testAS) { as.bodyOnly = true })
	cfg := linkConfig(as)

	res := runLink(t, cfg) // Basic, the default: refused
	wantCheck(t, res.Report, link.RuleTokenResponse, link.Fail, "401", "invalid_client")

	cfg.Scheme = "body"
	res = runLink(t, cfg)
	if res.Report.Failed() {
		t.Fatalf("body credentials refused:\n%s", res.Report)
	}
	log := as.tokenLog()
	if got := log[len(log)-2:]; !slices.Equal(got, []string{"grant=authorization_code auth=body", "grant=refresh_token auth=body"}) {
		t.Errorf("token calls %q", got)
	}
}

func TestLinkBasicCredentialsFormEncoded(t *testing.T) {
	as := newTestAS(t, func(as *testAS) { as.clientID, as.secret = "a b", "x+y:z%" })
	res := runLink(t, linkConfig(as))
	if res.Report.Failed() {
		t.Fatalf("RFC 6749 §2.3.1 encoding refused:\n%s", res.Report)
	}
}

func TestLinkPKCE(t *testing.T) {
	as := newTestAS(t)
	cfg := linkConfig(as)
	cfg.PKCE = true
	res := runLink(t, cfg)
	if res.Report.Failed() {
		t.Fatalf("PKCE link failed:\n%s", res.Report)
	}
	if !strings.Contains(res.Report.AuthorizationURL, "code_challenge_method=S256") {
		t.Errorf("authorization URL %s", res.Report.AuthorizationURL)
	}
}

func TestLinkWrongPassword(t *testing.T) {
	as := newTestAS(t)
	cfg := linkConfig(as)
	cfg.Password = "nope"
	res := runLink(t, cfg)
	wantCheck(t, res.Report, link.RuleAuthorizeRedir, link.Fail, "login form came back", "Wrong username or password.")
	onlyFailure(t, res.Report, link.RuleAuthorizeRedir)
}

func TestLinkFormFieldNames(t *testing.T) {
	as := newTestAS(t, func(as *testAS) { as.userField, as.passField = "email", "pass" })
	res := runLink(t, linkConfig(as))
	wantCheck(t, res.Report, link.RuleAuthorizeForm, link.Fail,
		`no field "username" or "password"`, `"csrf", "state", "redirect_uri", "code_challenge", "email", "pass", "action"`)

	cfg := linkConfig(as)
	cfg.UsernameField, cfg.PasswordField = "email", "pass"
	if res := runLink(t, cfg); res.Report.Failed() {
		t.Fatalf("configured field names:\n%s", res.Report)
	}
}

func TestLinkRedirectOffOrigin(t *testing.T) {
	as := newTestAS(t, func(as *testAS) { as.offOriginHop = "http://127.0.0.2:1/elsewhere" })
	res := runLink(t, linkConfig(as))
	wantCheck(t, res.Report, link.RuleAuthorizeRedir, link.Fail, "http://127.0.0.2:1/elsewhere", "does not follow it")
}

func TestLinkErrorRedirect(t *testing.T) {
	// A server that refuses the scope at once: a redirect err (RFC 6749 §4.1.2.1).
	mux := http.NewServeMux()
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		http.Redirect(w, r, q.Get("redirect_uri")+"?error=invalid_scope&error_description=orders.read+unknown&state="+url.QueryEscape(q.Get("state")), http.StatusFound)
	})
	as := &testAS{clientID: "c", secret: "s"}
	as.Server = newServer(t, mux)
	res := runLink(t, linkConfig(as))
	wantCheck(t, res.Report, link.RuleAuthorizeState, link.Pass)
	wantCheck(t, res.Report, link.RuleAuthorizeCode, link.Fail, "error=invalid_scope (orders.read unknown)")
}

func TestLinkSeeOtherAndWarnings(t *testing.T) {
	as := newTestAS(t, func(as *testAS) {
		as.redirectStatus = http.StatusTemporaryRedirect
		as.noStore = true
		as.noFraming = true
	})
	// 307 re-POSTs the form to /approved, which only answers GET.
	res := runLink(t, linkConfig(as))
	wantCheck(t, res.Report, link.RuleAuthorizeRedir, link.Fail, "405")

	as = newTestAS(t, func(as *testAS) { as.noStore = true; as.noFraming = true })
	res = runLink(t, linkConfig(as))
	if res.Report.Failed() {
		t.Fatalf("warnings made linking fail:\n%s", res.Report)
	}
	wantCheck(t, res.Report, link.RuleTokenNoStore, link.Warn, "no-store")
	wantCheck(t, res.Report, link.RuleAuthorizeFrame, link.Warn, "X-Frame-Options")
}

func TestLinkRefreshFails(t *testing.T) {
	as := newTestAS(t, func(as *testAS) {
		as.tokenHook = func(r *http.Request) {
			if r.FormValue("grant_type") == "refresh_token" {
				as.mu.Lock()
				clear(as.refresh) // the server forgot every refresh token
				as.mu.Unlock()
			}
		}
	})
	res := runLink(t, linkConfig(as))
	wantCheck(t, res.Report, link.RuleRefreshResponse, link.Fail, "400", "invalid_grant")
	onlyFailure(t, res.Report, link.RuleRefreshResponse)
}

func TestLinkRedactsSecrets(t *testing.T) {
	// A failing run, so that evidence of every kind is printed.
	as := newTestAS(t, tokenJSON(map[string]any{"expires_in": "3600"}))
	res := runLink(t, linkConfig(as))
	j, err := json.Marshal(res.Report)
	if err != nil {
		t.Fatal(err)
	}
	out := res.Report.String() + string(j)
	tok := res.Account.Tokens()
	for _, secret := range []string{"alice-password", as.secret, tok.AccessToken, tok.RefreshToken, "at-", "rt-"} {
		if strings.Contains(out, secret) {
			t.Errorf("report contains secret %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "Authorization: Basic [redacted]") || !strings.Contains(out, "code=[redacted]") {
		t.Errorf("report lacks redacted evidence:\n%s", res.Report)
	}
}

func TestLinkConfigErrors(t *testing.T) {
	ok := link.Config{AuthorizationURL: "https://a.test/authorize", TokenURL: "https://a.test/token", ClientID: "c"}
	cases := []struct {
		field string
		mod   func(*link.Config)
	}{
		{"AuthorizationURL", func(c *link.Config) { c.AuthorizationURL = "" }},
		{"AuthorizationURL", func(c *link.Config) { c.AuthorizationURL = "auth.test/x" }},
		{"TokenURL", func(c *link.Config) { c.TokenURL = "ftp://a.test/token" }},
		{"ClientID", func(c *link.Config) { c.ClientID = "" }},
		{"Scheme", func(c *link.Config) { c.Scheme = "digest" }},
		{"Scopes", func(c *link.Config) { c.Scopes = []string{"a b"} }},
		{"Region", func(c *link.Config) { c.Region = "US" }},
		{"RedirectURI", func(c *link.Config) { c.RedirectURI = "/relative" }},
	}
	for _, tc := range cases {
		cfg := ok
		tc.mod(&cfg)
		res, err := link.Run(context.Background(), cfg)
		var ce *link.ConfigError
		if res != nil || !errors.As(err, &ce) || ce.Field != tc.field {
			t.Errorf("%s: got %v, %v", tc.field, res, err)
		}
	}
}

func TestLinkManual(t *testing.T) {
	as := newTestAS(t)
	cfg := linkConfig(as)
	cfg.PKCE = true
	authURL, state, verifier, err := link.AuthorizationRequest(cfg)
	if err != nil {
		t.Fatal(err)
	}
	redirect := browserLogin(t, as, authURL)
	res, err := link.CompleteManual(context.Background(), cfg, "  "+redirect+"\n", state, verifier)
	if err != nil {
		t.Fatalf("%v\n%s", err, res.Report)
	}
	if _, ok := res.Report.Check(link.RuleAuthorizeForm); ok {
		t.Error("manual mode claims to have checked the login form")
	}
	wantCheck(t, res.Report, link.RuleRefreshResponse, link.Pass)

	// A pasted URL that is not Alexa's, and one with another state.
	res, _ = link.CompleteManual(context.Background(), cfg, as.URL+"/approved?code=x&state="+state, state, verifier)
	wantCheck(t, res.Report, link.RuleAuthorizeRedir, link.Fail, "is not Alexa's redirect_uri")
	res, _ = link.CompleteManual(context.Background(), cfg, "https://pitangui.amazon.com/api/skill/link/M2ASKSIMVENDOR?code=x&state=other", state, verifier)
	wantCheck(t, res.Report, link.RuleAuthorizeState, link.Fail, `"other"`)
	if _, err := link.CompleteManual(context.Background(), cfg, "not a url", state, verifier); err == nil {
		t.Error("garbage pasted URL accepted")
	}
}

// browserLogin logs in as a person would, by hand-written requests, and
// returns the URL of the redirect to Alexa.
func browserLogin(t *testing.T, as *testAS, authURL string) string {
	t.Helper()
	c := *as.Client()
	c.CheckRedirect = func(r *http.Request, _ []*http.Request) error {
		if r.URL.Host == "pitangui.amazon.com" {
			return http.ErrUseLastResponse
		}
		return nil
	}
	resp, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cookie := resp.Cookies()[0]
	as.mu.Lock()
	csrf := as.sessions[cookie.Value]
	as.mu.Unlock()
	q, _ := url.Parse(authURL)
	form := url.Values{"csrf": {csrf}, "state": {q.Query().Get("state")}, "redirect_uri": {q.Query().Get("redirect_uri")},
		"code_challenge": {q.Query().Get("code_challenge")}, "username": {"alice"}, "password": {"alice-password"}, "action": {"allow"}}
	req, _ := http.NewRequest(http.MethodPost, as.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(cookie)
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

func TestLinkedAccountRefreshesOnce(t *testing.T) {
	clock := newClock()
	as := newTestAS(t)
	cfg := linkConfig(as)
	cfg.Now = clock.Now
	res := runLink(t, cfg)
	acct := res.Account
	first := acct.Tokens()
	ctx := context.Background()
	if tok, err := acct.AccessToken(ctx); err != nil || tok != first.AccessToken {
		t.Fatalf("fresh token: %q, %v", tok, err)
	}
	before := as.refreshN
	clock.Add(time.Hour)
	var wg sync.WaitGroup
	toks := make([]string, 8)
	for i := range toks {
		wg.Go(func() {
			tok, err := acct.AccessToken(ctx)
			if err != nil {
				t.Error(err)
			}
			toks[i] = tok
		})
	}
	wg.Wait()
	as.mu.Lock()
	n := as.refreshN - before
	as.mu.Unlock()
	if n != 1 {
		t.Errorf("%d refreshes for 8 concurrent callers, want 1 (the server rotates refresh tokens)", n)
	}
	for _, tok := range toks {
		if tok != toks[0] || tok == first.AccessToken {
			t.Errorf("tokens %q", toks)
			break
		}
	}
	if tok, err := acct.AccessToken(ctx); err != nil || tok != toks[0] {
		t.Errorf("access token after the shared refresh %q, %v; want %q", tok, err, toks[0])
	}

	// A server that forgot the refresh token: the user must relink.
	as.mu.Lock()
	clear(as.refresh)
	as.mu.Unlock()
	if err := acct.Refresh(ctx); !errors.Is(err, link.ErrRelinkRequired) {
		t.Errorf("refused refresh: %v, want ErrRelinkRequired", err)
	}
}

func TestLinkGetFormConnectionDropRedacted(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<form action="/login"><input name="username"><input type="password" name="password"></form>`))
	})
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	as := &testAS{clientID: "c", secret: "s"}
	as.Server = newServer(t, mux)
	res := runLink(t, linkConfig(as))
	wantCheck(t, res.Report, link.RuleAuthorizeRedir, link.Fail, "GET ", "password=[redacted]", "EOF")
	j, _ := json.Marshal(res.Report)
	if out := res.Report.String() + string(j); strings.Contains(out, "alice-password") {
		t.Errorf("password in the report:\n%s", out)
	}
}
