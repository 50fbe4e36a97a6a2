package oauth_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/asksim/asksim/fakes/oauth"
)

// newLWAEnv serves DefaultLWAConfig: the developer account and the ASK
// CLI's client.
func newLWAEnv(t testing.TB) *env {
	return newEnv(t, func(c *oauth.Config) {
		lwa := oauth.DefaultLWAConfig()
		c.Clients, c.Users, c.CodeTTL, c.Resources = lwa.Clients, lwa.Users, lwa.CodeTTL, lwa.Resources
	})
}

// cliQuery is the authorization request of `ask util generate-lwa-tokens`
// in its parameter order (docs/smapi-contract.md §2.2).
func cliQuery(redirect, scope string) string {
	return "response_type=code&client_id=" + url.QueryEscape(oauth.LWAClientID) + "&state=1796153856659&scope=" +
		strings.ReplaceAll(url.QueryEscape(scope), "+", "%20") + "&redirect_uri=" + url.QueryEscape(redirect)
}

const cliScopes = "alexa::ask:skills:readwrite alexa::ask:models:readwrite alexa::ask:skills:test alexa::ask:catalogs:read alexa::ask:catalogs:readwrite alexa::ask:subscriptions"

// signIn fills the /ap/oa login page as the developer and submits it.
func (e *env) signIn(page result, password string) result {
	e.t.Helper()
	if page.status != http.StatusOK {
		e.t.Fatalf("login page: status %d, body %.300s", page.status, page.body)
	}
	f := formFields(e.t, page.body)
	f.Set("username", oauth.LWADeveloper)
	f.Set("password", password)
	f.Set("action", "approve")
	return e.post("/ap/oa", f)
}

var codeRE = regexp.MustCompile(`<code id="authorization-code">([^<]*)</code>`)

func TestLWA_LoginPageListsScopesForTheDeveloper(t *testing.T) {
	e := newLWAEnv(t)
	res := e.get("/ap/oa?" + cliQuery(oauth.ASKCLIBrowserRedirectURI, "alexa::ask:skills:read alexa::ask:skills:test"))
	wantStatus(t, res, http.StatusOK)
	page := string(res.body)
	for _, want := range []string{
		"Amazon developer account",
		`<ul id="scopes"><li><code>alexa::ask:skills:read</code></li><li><code>alexa::ask:skills:test</code></li></ul>`,
		`<form method="post" action="/ap/oa">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
	if got := res.header.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("X-Frame-Options = %q", got)
	}
	cookies := (&http.Response{Header: res.header}).Cookies()
	if len(cookies) != 1 || cookies[0].Path != "/ap/oa" || !cookies[0].HttpOnly {
		t.Errorf("CSRF cookie %+v, want one HttpOnly cookie for /ap/oa", cookies)
	}
}

func TestLWA_BrowserModeRedirectsWithCodeFirst(t *testing.T) {
	e := newLWAEnv(t)
	res := e.signIn(e.get("/ap/oa?"+cliQuery(oauth.ASKCLIBrowserRedirectURI, cliScopes)), oauth.LWADeveloperPassword)
	if res.status != http.StatusSeeOther {
		t.Fatalf("status %d, want 303; body %.300s", res.status, res.body)
	}
	loc := res.header.Get("Location")
	// The ASK CLI accepts the callback only when its URL starts /cb?code.
	if !strings.HasPrefix(loc, oauth.ASKCLIBrowserRedirectURI+"?code=") {
		t.Fatalf("Location %s, want %s?code=…", loc, oauth.ASKCLIBrowserRedirectURI)
	}
	var keys []string
	for _, kv := range strings.Split(strings.SplitN(loc, "?", 2)[1], "&") {
		keys = append(keys, strings.SplitN(kv, "=", 2)[0])
	}
	if strings.Join(keys, ",") != "code,scope,state" {
		t.Errorf("parameters %v, want code, scope, state as LWA sends them", keys)
	}
	q := res.location(t).Query()
	if q.Get("scope") != cliScopes || q.Get("state") != "1796153856659" {
		t.Errorf("scope %q, state %q", q.Get("scope"), q.Get("state"))
	}
}

func TestLWA_NoBrowserPageShowsTheCodeAndScopesTravel(t *testing.T) {
	e := newLWAEnv(t)
	narrow := "alexa::ask:skills:read alexa::ask:skills:test"
	res := e.signIn(e.get("/ap/oa?"+cliQuery(oauth.ASKCLINoBrowserRedirectURI, narrow)), oauth.LWADeveloperPassword)
	wantStatus(t, res, http.StatusOK)
	if loc := res.header.Get("Location"); loc != "" {
		t.Fatalf("the no-browser page cannot load offline, yet the fake redirects to %s", loc)
	}
	m := codeRE.FindSubmatch(res.body)
	if m == nil {
		t.Fatalf("no element with id authorization-code:\n%s", res.body)
	}
	code := html.UnescapeString(string(m[1]))

	// The exchange as the CLI posts it: JSON, secret in the body.
	tok := e.postJSON("/auth/o2/token", `{"grant_type":"authorization_code","redirect_uri":"`+oauth.ASKCLINoBrowserRedirectURI+
		`","client_id":"`+oauth.LWAClientID+`","client_secret":"`+oauth.LWAClientSecret+`","code":"`+code+`"}`)
	wantStatus(t, tok, http.StatusOK)
	body := tok.json(t)
	if body["expires_in"] != float64(3600) || body["token_type"] != "bearer" || body["scope"] != narrow {
		t.Errorf("token answer %s", tok.body)
	}
	at, rt := tok.str(t, "access_token"), tok.str(t, "refresh_token")
	if user, scopes, ok := e.srv.AccessToken(at); !ok || user != oauth.LWADeveloper || strings.Join(scopes, " ") != narrow {
		t.Errorf("AccessToken = %q %v %v, want the developer with %s", user, scopes, ok, narrow)
	}

	// Refresh as the CLI's environment mode does before every call: the
	// same refresh token each time, the narrower scope kept.
	var access []string
	for i := range 3 {
		form := i%2 == 0
		var r result
		if form {
			r = e.post("/auth/O2/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt},
				"client_id": {oauth.LWAClientID}, "client_secret": {oauth.LWAClientSecret}})
		} else {
			r = e.postJSON("/auth/o2/token", `{"grant_type":"refresh_token","refresh_token":"`+rt+
				`","client_id":"`+oauth.LWAClientID+`","client_secret":"`+oauth.LWAClientSecret+`"}`)
		}
		wantStatus(t, r, http.StatusOK)
		if got := r.str(t, "refresh_token"); got != rt {
			t.Fatalf("refresh %d rotated the refresh token", i)
		}
		if r.str(t, "scope") != narrow {
			t.Errorf("refresh %d: scope %q, want %q", i, r.str(t, "scope"), narrow)
		}
		access = append(access, r.str(t, "access_token"))
	}
	// Every access token stays valid until it expires: concurrent CLIs
	// share one refresh token.
	for i, a := range append(access, at) {
		if _, scopes, ok := e.srv.AccessToken(a); !ok || !slices.Equal(scopes, strings.Fields(narrow)) {
			t.Errorf("access token %d: ok %v, scopes %v", i, ok, scopes)
		}
	}
	// A code is single use.
	again := e.postJSON("/auth/o2/token", `{"grant_type":"authorization_code","redirect_uri":"`+oauth.ASKCLINoBrowserRedirectURI+
		`","client_id":"`+oauth.LWAClientID+`","client_secret":"`+oauth.LWAClientSecret+`","code":"`+code+`"}`)
	wantStatus(t, again, http.StatusBadRequest)
}

func TestLWA_UnknownScopeRefusedAsLWARefusesIt(t *testing.T) {
	e := newLWAEnv(t)
	res := e.get("/ap/oa?" + cliQuery(oauth.ASKCLIBrowserRedirectURI, "alexa::ask:skills:read alexa::ask:everything"))
	want := oauth.ASKCLIBrowserRedirectURI + "?error_description=An+unknown+scope+was+requested&state=1796153856659&error=invalid_scope"
	if res.status != http.StatusFound || res.header.Get("Location") != want {
		t.Errorf("status %d, Location %q; want 302 to %s", res.status, res.header.Get("Location"), want)
	}
	// The no-browser page shows the error instead of a code.
	res = e.get("/ap/oa?" + cliQuery(oauth.ASKCLINoBrowserRedirectURI, "alexa::ask:everything"))
	wantStatus(t, res, http.StatusBadRequest)
	if res.header.Get("Location") != "" || codeRE.Match(res.body) ||
		!strings.Contains(string(res.body), `<span id="authorization-error">invalid_scope</span>: An unknown scope was requested`) {
		t.Errorf("no-browser error page:\n%s", res.body)
	}
	// At the token endpoint LWA words it as an invalid parameter.
	d := newEnv(t)
	tok := d.post("/auth/o2/token", form("grant_type", "client_credentials", "scope", "alexa::ask:everything",
		"client_id", lwaID, "client_secret", lwaSecret))
	if tok.status != http.StatusBadRequest || string(tok.body) != `{"error_description":"The request has an invalid parameter : scope","error":"invalid_scope"}`+"\n" {
		t.Errorf("token endpoint: %d %s", tok.status, tok.body)
	}
}

func TestLWA_LoginFailuresStayOnThePage(t *testing.T) {
	e := newLWAEnv(t)
	page := e.get("/ap/oa?" + cliQuery(oauth.ASKCLIBrowserRedirectURI, cliScopes))
	res := e.signIn(page, "wrong")
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(string(res.body), "Wrong username or password") || res.header.Get("Location") != "" {
		t.Errorf("wrong password: %s", res.body)
	}
	// A form posted from another site (no session cookie) is refused.
	f := formFields(t, page.body)
	f.Set("username", oauth.LWADeveloper)
	f.Set("password", oauth.LWADeveloperPassword)
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/ap/oa", strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	cross, err := (&http.Client{Timeout: 5e9}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	cross.Body.Close()
	if cross.StatusCode != http.StatusOK || cross.Header.Get("Location") != "" {
		t.Errorf("cross-site post: status %d, Location %q; want the login page again", cross.StatusCode, cross.Header.Get("Location"))
	}
	// Only registered redirect URIs are served.
	wantErrorPage(t, e.get("/ap/oa?"+cliQuery("http://127.0.0.1:9091/cb", cliScopes)))
}

func TestLWA_CodePageURIsMustBeRegistered(t *testing.T) {
	cfg := oauth.DefaultLWAConfig()
	cfg.Clients[0].RedirectURIs = cfg.Clients[0].RedirectURIs[:1]
	if _, err := oauth.New(cfg); err == nil || !strings.Contains(err.Error(), "code page redirect URI") {
		t.Errorf("New = %v, want an error about the code page redirect URI", err)
	}
}

func TestLWA_DefaultConfig(t *testing.T) {
	cfg := oauth.DefaultLWAConfig()
	if len(cfg.Clients) != 1 || len(cfg.Users) != 1 {
		t.Fatalf("clients %d, users %d", len(cfg.Clients), len(cfg.Users))
	}
	c, u := cfg.Clients[0], cfg.Users[0]
	if c.ID != oauth.LWAClientID || c.Secret != oauth.LWAClientSecret || u.Username != oauth.LWADeveloper || u.Password != oauth.LWADeveloperPassword {
		t.Errorf("client %s/%s, user %s/%s", c.ID, c.Secret, u.Username, u.Password)
	}
	if !slices.Equal(c.RedirectURIs, []string{oauth.ASKCLIBrowserRedirectURI, oauth.ASKCLINoBrowserRedirectURI}) {
		t.Errorf("redirect URIs %v", c.RedirectURIs)
	}
	for _, s := range append(strings.Fields(cliScopes), "alexa::ask:skills:read", "alexa::ask:models:read", "alexa::ask:skills:debug") {
		if !slices.Contains(c.Scopes, s) {
			t.Errorf("scope %s missing", s)
		}
	}
	if c.RotateRefreshTokens == nil || *c.RotateRefreshTokens || cfg.CodeTTL.Minutes() != 5 {
		t.Errorf("rotate %v, code TTL %v", c.RotateRefreshTokens, cfg.CodeTTL)
	}
}

func TestLWA_IssueLWATokensRefreshAtTheTokenEndpoint(t *testing.T) {
	e := newLWAEnv(t)
	tok, err := e.srv.IssueLWATokens(oauth.LWADeveloper, oauth.LWAClientID, []string{"alexa::ask:models:read"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok.AccessToken, "Atza|") || !strings.HasPrefix(tok.RefreshToken, "Atzr|") {
		t.Errorf("tokens %.10s… %.10s…", tok.AccessToken, tok.RefreshToken)
	}
	r := e.postJSON("/auth/o2/token", `{"grant_type":"refresh_token","refresh_token":"`+tok.RefreshToken+
		`","client_id":"`+oauth.LWAClientID+`","client_secret":"`+oauth.LWAClientSecret+`"}`)
	wantStatus(t, r, http.StatusOK)
	if r.str(t, "scope") != "alexa::ask:models:read" || r.str(t, "refresh_token") != tok.RefreshToken {
		t.Errorf("refresh answer %s", r.body)
	}
	if _, err := e.srv.IssueLWATokens("nobody", oauth.LWAClientID, nil); err == nil {
		t.Error("IssueLWATokens accepted an unknown user")
	}
	if _, _, ok := e.srv.AccessToken("Atza|not-issued"); ok {
		t.Error("AccessToken accepted a token it never issued")
	}
	e.clock.Add(3601e9)
	if _, _, ok := e.srv.AccessToken(tok.AccessToken); ok {
		t.Error("AccessToken accepted an expired token")
	}
}
