package oauth_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/asksim/asksim/fakes/oauth"
)

func TestAuthorize_A1_UnknownOrMissingClientGetsErrorPage(t *testing.T) {
	e := newEnv(t)
	for name, q := range map[string]url.Values{
		"unknown": authQuery("client_id", "evil-client"),
		"missing": authQuery("client_id", ""),
	} {
		t.Run(name, func(t *testing.T) { wantErrorPage(t, e.authorize(q)) })
	}
}

func TestAuthorize_A2_RedirectURIMustBeByteEqual(t *testing.T) {
	e := newEnv(t)
	for _, bad := range []string{
		pitangui + "/",
		strings.Replace(pitangui, "/api/skill/", "/API/skill/", 1),
		pitangui + "?x=1",
		strings.Replace(pitangui, "https:", "http:", 1),
		strings.Replace(pitangui, "amazon.com/", "amazon.com:8443/", 1),
		"https://pitangui.amazon.com@evil.test/api/skill/link/M2ASKSIMVENDOR",
		"https://evil-pitangui.amazon.com/api/skill/link/M2ASKSIMVENDOR",
		"https://pitangui.amazon.com/api/skill/link/../link/M2ASKSIMVENDOR",
		pitangui + "#frag",
		"https://PITANGUI.amazon.com/api/skill/link/M2ASKSIMVENDOR",
	} {
		t.Run(bad, func(t *testing.T) { wantErrorPage(t, e.authorize(authQuery("redirect_uri", bad))) })
	}
	// Every registered URI works as is.
	for _, good := range oauth.DefaultConfig().Clients[0].RedirectURIs {
		if res := e.authorize(authQuery("redirect_uri", good)); res.status != http.StatusOK {
			t.Errorf("registered %s: status %d, want the login page", good, res.status)
		}
	}
}

func TestAuthorize_A3_OmittedRedirectURIWithSeveralRegistered(t *testing.T) {
	e := newEnv(t)
	wantErrorPage(t, e.authorize(authQuery("redirect_uri", "")))

	// With a single registered URI, omitting it is fine (RFC 6749 §3.1.2.3).
	single := newEnv(t, editClient(func(c *oauth.Client) { c.RedirectURIs = c.RedirectURIs[:1] }))
	res := single.submitLogin(single.authorize(authQuery("redirect_uri", "")), "alice", "alice-password", "approve")
	if u := res.location(t); u.Scheme+"://"+u.Host+u.Path != pitangui || u.Query().Get("code") == "" {
		t.Errorf("Location = %s, want a code at %s", u, pitangui)
	}
}

func TestAuthorize_A4_ResponseType(t *testing.T) {
	e := newEnv(t)
	wantRedirectError(t, e.authorize(authQuery("response_type", "")), pitangui, oauth.ErrorInvalidRequest, "st-1", false)
	wantRedirectError(t, e.authorize(authQuery("response_type", "foo")), pitangui, oauth.ErrorUnsupportedResponseType, "st-1", false)
	wantRedirectError(t, e.authorize(authQuery("response_type", "token")), pitangui, oauth.ErrorUnauthorizedClient, "st-1", true)
}

func TestAuthorize_A5_ScopeNotAllowed(t *testing.T) {
	e := newEnv(t)
	wantRedirectError(t, e.authorize(authQuery("scope", "profile admin")), pitangui, oauth.ErrorInvalidScope, "st-1", false)
}

func TestAuthorize_A6_RepeatedParameters(t *testing.T) {
	e := newEnv(t)
	q := authQuery()
	q.Add("state", "second")
	wantRedirectError(t, e.authorize(q), pitangui, oauth.ErrorInvalidRequest, "st-1", false)
	for _, k := range []string{"client_id", "redirect_uri"} {
		q := authQuery()
		q.Add(k, q.Get(k))
		wantErrorPage(t, e.authorize(q))
	}
}

func TestAuthorize_A7_StateEchoedExactly(t *testing.T) {
	e := newEnv(t)
	page := e.get("/authorize?client_id=alexa-skill&response_type=code&redirect_uri=" + url.QueryEscape(pitangui) + "&state=a%2Bb%20c")
	res := e.submitLogin(page, "alice", "alice-password", "approve")
	loc := res.location(t)
	if got := loc.Query().Get("state"); got != "a+b c" {
		t.Errorf("state = %q, want %q (Location %s)", got, "a+b c", loc)
	}
	// Both '+'-as-space and strict percent decoders must read the same value.
	if !strings.Contains(loc.RawQuery, "state=a%2Bb%20c") {
		t.Errorf("raw query %q, want state=a%%2Bb%%20c", loc.RawQuery)
	}

	res = e.submitLogin(e.authorize(authQuery("state", "")), "alice", "alice-password", "approve")
	if q := res.location(t).Query(); q.Has("state") || q.Get("code") == "" {
		t.Errorf("no state sent: query %v, want a code and no state", q)
	}
}

func TestAuthorize_A8_WrongPasswordInlineAndDeny(t *testing.T) {
	e := newEnv(t)
	page := e.authorize(authQuery())
	res := e.submitLogin(page, "alice", "wrong", "approve")
	wantStatus(t, res, http.StatusOK)
	if loc := res.header.Get("Location"); loc != "" {
		t.Fatalf("wrong password redirected to %s", loc)
	}
	if !strings.Contains(string(res.body), `role="alert"`) || !strings.Contains(string(res.body), "Wrong username or password.") {
		t.Errorf("no inline error in page:\n%s", res.body)
	}
	if !strings.Contains(string(res.body), `value="alice"`) {
		t.Errorf("username not kept in the re-rendered form")
	}
	// The re-rendered form still works, as does an unknown user failing the same way.
	if res := e.submitLogin(res, "mallory", "alice-password", "approve"); res.status != http.StatusOK || !strings.Contains(string(res.body), "Wrong username or password.") {
		t.Errorf("unknown user: status %d", res.status)
	}
	deny := e.submitLogin(page, "", "", "deny")
	wantStatus(t, deny, http.StatusSeeOther)
	wantRedirectError(t, deny, pitangui, oauth.ErrorAccessDenied, "st-1", false)
}

func TestAuthorize_A9_PKCEMethodNotAllowed(t *testing.T) {
	e := newEnv(t)
	wantRedirectError(t, e.authorize(authQuery("code_challenge", challenge, "code_challenge_method", "plain")), pitangui, oauth.ErrorInvalidRequest, "st-1", false)
	wantRedirectError(t, e.authorize(authQuery("code_challenge", challenge)), pitangui, oauth.ErrorInvalidRequest, "st-1", false) // plain is the default method
	wantRedirectError(t, e.authorize(authQuery("code_challenge", challenge, "code_challenge_method", "S512")), pitangui, oauth.ErrorInvalidRequest, "st-1", false)

	plain := newEnv(t, editClient(func(c *oauth.Client) { c.AllowPlainPKCE = true }))
	code := plain.code(authQuery("code_challenge", verifier, "code_challenge_method", "plain"))
	wantStatus(t, plain.exchange(code, "code_verifier", verifier), http.StatusOK)
}

func TestAuthorize_A10_PKCERequiredWithoutChallenge(t *testing.T) {
	e := newEnv(t, editClient(func(c *oauth.Client) { c.PKCE = oauth.PKCERequired }))
	wantRedirectError(t, e.authorize(authQuery()), pitangui, oauth.ErrorInvalidRequest, "st-1", false)
	code := e.code(authQuery("code_challenge", challenge, "code_challenge_method", "S256"))
	wantStatus(t, e.exchange(code, "code_verifier", verifier), http.StatusOK)
}

func TestAuthorize_A11_RedirectAfterLoginIs303(t *testing.T) {
	e := newEnv(t)
	res := e.submitLogin(e.authorize(authQuery()), "alice", "alice-password", "approve")
	wantStatus(t, res, http.StatusSeeOther)
}

func TestAuthorize_A12_FramingReferrerAndNoCORS(t *testing.T) {
	e := newEnv(t)
	page := e.authorize(authQuery())
	req, _ := http.NewRequest(http.MethodOptions, e.ts.URL+"/authorize", nil)
	req.Header.Set("Origin", "https://evil.test")
	req.Header.Set("Access-Control-Request-Method", "POST")
	responses := map[string]result{
		"login page":  page,
		"error page":  e.authorize(authQuery("client_id", "nope")),
		"bad login":   e.submitLogin(page, "alice", "nope", "approve"),
		"approved":    e.submitLogin(page, "alice", "alice-password", "approve"),
		"redirecterr": e.authorize(authQuery("scope", "admin")),
		"preflight":   e.do(req),
	}
	for name, r := range responses {
		h := r.header
		if h.Get("X-Frame-Options") != "DENY" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s: X-Frame-Options %q, CSP %q", name, h.Get("X-Frame-Options"), h.Get("Content-Security-Policy"))
		}
		if h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: Referrer-Policy %q", name, h.Get("Referrer-Policy"))
		}
		for k := range h {
			if strings.HasPrefix(strings.ToLower(k), "access-control-") {
				t.Errorf("%s: CORS header %s", name, k)
			}
		}
	}
}

func TestAuthorize_A13_UnknownParameterIgnored(t *testing.T) {
	e := newEnv(t)
	code := e.code(authQuery("prompt", "login", "nonce", "n-0S6_WzA2Mj", "source", "app"))
	wantStatus(t, e.exchange(code), http.StatusOK)
}

func TestAuthorize_LoginPageAccessibleWithoutJavaScript(t *testing.T) {
	e := newEnv(t)
	page := e.authorize(authQuery())
	body := string(page.body)
	for _, want := range []string{
		`<html lang="en">`, `name="viewport"`, `<label for="username">`, `<label for="password">`,
		`autocomplete="username"`, `autocomplete="current-password"`, `method="post"`, `value="deny"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("login page lacks %s", want)
		}
	}
	if strings.Contains(strings.ToLower(body), "<script") {
		t.Error("login page contains a script")
	}
	if !strings.HasPrefix(page.header.Get("Content-Type"), "text/html") {
		t.Errorf("Content-Type %q", page.header.Get("Content-Type"))
	}
}

func TestAuthorize_CSRFTokenBoundToRequestAndBrowser(t *testing.T) {
	e := newEnv(t)
	page := e.authorize(authQuery())
	f := formFields(t, page.body)
	f.Set("username", "alice")
	f.Set("password", "alice-password")

	tampered := url.Values{}
	for k, v := range f {
		tampered[k] = v
	}
	tampered.Set("scope", "profile user-read-email") // allowed scope, but not what the page was rendered for
	res := e.post("/authorize", tampered)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(string(res.body), "expired") {
		t.Errorf("tampered form accepted or no inline error:\n%.300s", res.body)
	}

	other := newEnv(t) // another browser: no session cookie for this form
	res = other.post("/authorize", f)
	wantStatus(t, res, http.StatusOK)
	if res.header.Get("Location") != "" {
		t.Error("form without the session cookie was approved")
	}
	wantStatus(t, e.post("/authorize", f), http.StatusSeeOther)
}

func TestAuthorize_AutoApprove(t *testing.T) {
	e := newEnv(t, func(c *oauth.Config) { c.AutoApprove = "bob" })
	res := e.authorize(authQuery())
	wantStatus(t, res, http.StatusFound)
	code := res.location(t).Query().Get("code")
	at := e.exchange(code).str(t, "access_token")
	if sub := e.introspect(at)["sub"]; sub != "bob" {
		t.Errorf("sub = %v, want bob", sub)
	}
	// Strictness is unchanged: a bad redirect URI still gets the error page.
	wantErrorPage(t, e.authorize(authQuery("redirect_uri", pitangui+"/")))
}

func implicitClient(c *oauth.Config) {
	c.Clients = append(c.Clients, oauth.Client{ID: "implicit-skill", Secret: "s", Scheme: oauth.SchemeHTTPBasic,
		RedirectURIs: []string{layla}, Scopes: []string{"profile"}, AllowImplicit: true})
}

func TestImplicit_F1_TokenInFragment(t *testing.T) {
	e := newEnv(t, implicitClient)
	res := e.submitLogin(e.authorize(authQuery("client_id", "implicit-skill", "redirect_uri", layla, "response_type", "token")), "alice", "alice-password", "approve")
	u := res.location(t)
	if u.RawQuery != "" {
		t.Errorf("query %q, want nothing in the query", u.RawQuery)
	}
	f, err := url.ParseQuery(u.Fragment)
	if err != nil {
		t.Fatal(err)
	}
	if f.Get("access_token") == "" || f.Get("token_type") != "Bearer" || f.Get("expires_in") != "3600" || f.Get("state") != "st-1" {
		t.Errorf("fragment %v", f)
	}
	if f.Has("refresh_token") || f.Has("code") {
		t.Errorf("implicit answer carries refresh_token or code: %v", f)
	}
	if info := e.introspect(f.Get("access_token")); info["active"] != true {
		t.Errorf("implicit token inactive: %v", info)
	}
}

func TestImplicit_F2_ErrorInFragment(t *testing.T) {
	e := newEnv(t, implicitClient)
	res := e.authorize(authQuery("client_id", "implicit-skill", "redirect_uri", layla, "response_type", "token", "scope", "admin"))
	wantRedirectError(t, res, layla, oauth.ErrorInvalidScope, "st-1", true)
}

func TestImplicit_F3_NotOptedIn(t *testing.T) {
	e := newEnv(t)
	wantRedirectError(t, e.authorize(authQuery("response_type", "token")), pitangui, oauth.ErrorUnauthorizedClient, "st-1", true)
}
