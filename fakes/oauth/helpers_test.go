package oauth_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/oauth"
	"github.com/asksim/asksim/internal/testutil"
)

const (
	pitangui = "https://pitangui.amazon.com/api/skill/link/M2ASKSIMVENDOR"
	layla    = "https://layla.amazon.com/api/skill/link/M2ASKSIMVENDOR"
	skillID  = "alexa-skill"
	skillSec = "alexa-skill-secret"
	// A valid RFC 7636 verifier and its S256 challenge (Appendix B).
	verifier  = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
)

// testKey is generated once per test binary: RSA generation is slow.
var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// env is one server under test, reached over loopback HTTP.
type env struct {
	t     testing.TB
	srv   *oauth.Server
	ts    *httptest.Server
	clock *testutil.Clock
	http  *http.Client // a browser: cookie jar, redirects not followed
}

func newEnv(t testing.TB, adjust ...func(*oauth.Config)) *env {
	t.Helper()
	clk := testutil.NewClock(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))
	cfg := oauth.DefaultConfig()
	cfg.SigningKey = testKey()
	cfg.Now = clk.Now
	for _, a := range adjust {
		a(&cfg)
	}
	srv, err := oauth.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	return &env{t: t, srv: srv, ts: ts, clock: clk, http: &http.Client{
		Timeout:       5 * time.Second,
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// addClient registers an extra client next to the defaults.
func addClient(c oauth.Client) func(*oauth.Config) {
	return func(cfg *oauth.Config) { cfg.Clients = append(cfg.Clients, c) }
}

// editClient changes the default alexa-skill client.
func editClient(f func(*oauth.Client)) func(*oauth.Config) {
	return func(cfg *oauth.Config) { f(&cfg.Clients[0]) }
}

type result struct {
	status int
	header http.Header
	body   []byte
}

func (r result) json(t testing.TB) map[string]any { t.Helper(); return testutil.Object(t, r.body) }

func (r result) str(t testing.TB, key string) string {
	t.Helper()
	s, _ := r.json(t)[key].(string)
	return s
}

// location parses the redirect target.
func (r result) location(t testing.TB) *url.URL {
	t.Helper()
	u, err := url.Parse(r.header.Get("Location"))
	if err != nil || r.header.Get("Location") == "" {
		t.Fatalf("status %d, Location %q: not a redirect (body %.200s)", r.status, r.header.Get("Location"), r.body)
	}
	return u
}

func (e *env) do(req *http.Request) result {
	e.t.Helper()
	resp, err := e.http.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("%s %s: reading body: %v", req.Method, req.URL.Path, err)
	}
	return result{resp.StatusCode, resp.Header, body}
}

func (e *env) get(path string) result {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+path, nil)
	return e.do(req)
}

// post sends a form; opts adjust the request (credentials, headers).
func (e *env) post(path string, form url.Values, opts ...func(*http.Request)) result {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, o := range opts {
		o(req)
	}
	return e.do(req)
}

// basic authenticates as RFC 6749 §2.3.1 says: form-encode, then base64.
func basic(id, secret string) func(*http.Request) {
	return rawBasic(url.QueryEscape(id) + ":" + url.QueryEscape(secret))
}

func rawBasic(userpass string) func(*http.Request) {
	return func(r *http.Request) {
		r.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(userpass)))
	}
}

var skillAuth = basic(skillID, skillSec)

// form builds url.Values from pairs.
func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// authQuery is Alexa's authorization request; pairs override, and an
// empty value deletes the parameter.
func authQuery(kv ...string) url.Values {
	q := form("client_id", skillID, "response_type", "code", "redirect_uri", pitangui, "state", "st-1", "scope", "profile")
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "" {
			q.Del(kv[i])
		} else {
			q.Set(kv[i], kv[i+1])
		}
	}
	return q
}

func (e *env) authorize(q url.Values) result {
	e.t.Helper()
	return e.get("/authorize?" + q.Encode())
}

var inputRE = regexp.MustCompile(`<input[^>]*>`)
var attrRE = regexp.MustCompile(`(name|value|type)="([^"]*)"`)

// formFields returns the name=value pairs of the page's inputs, as a
// browser would submit them (hidden ones carry the request and CSRF token).
func formFields(t testing.TB, page []byte) url.Values {
	t.Helper()
	v := url.Values{}
	for _, in := range inputRE.FindAllString(string(page), -1) {
		attrs := map[string]string{}
		for _, m := range attrRE.FindAllStringSubmatch(in, -1) {
			attrs[m[1]] = html.UnescapeString(m[2])
		}
		if attrs["name"] != "" {
			v.Set(attrs["name"], attrs["value"])
		}
	}
	if !v.Has("csrf_token") {
		t.Fatalf("no csrf_token field in page:\n%s", page)
	}
	return v
}

// submitLogin fills the login page's form as a browser would and posts it.
func (e *env) submitLogin(page result, username, password, action string) result {
	e.t.Helper()
	if page.status != http.StatusOK {
		e.t.Fatalf("login page status %d, body %.300s", page.status, page.body)
	}
	f := formFields(e.t, page.body)
	f.Set("username", username)
	f.Set("password", password)
	f.Set("action", action)
	return e.post("/authorize", f)
}

// code runs the browser flow for alice and returns the authorization code.
func (e *env) code(q url.Values) string {
	e.t.Helper()
	res := e.submitLogin(e.authorize(q), "alice", "alice-password", "approve")
	code := res.location(e.t).Query().Get("code")
	if code == "" {
		e.t.Fatalf("no code in %s", res.header.Get("Location"))
	}
	return code
}

// exchange redeems a code as Alexa does with HTTP_BASIC.
func (e *env) exchange(code string, kv ...string) result {
	e.t.Helper()
	f := form("grant_type", "authorization_code", "code", code, "redirect_uri", pitangui)
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "" {
			f.Del(kv[i])
		} else {
			f.Set(kv[i], kv[i+1])
		}
	}
	return e.post("/token", f, skillAuth)
}

// tokens runs the whole flow and returns the token response.
func (e *env) tokens() (access, refresh string) {
	e.t.Helper()
	res := e.exchange(e.code(authQuery()))
	wantStatus(e.t, res, http.StatusOK)
	return res.str(e.t, "access_token"), res.str(e.t, "refresh_token")
}

func (e *env) refresh(rt string, opts ...func(*http.Request)) result {
	e.t.Helper()
	if len(opts) == 0 {
		opts = append(opts, skillAuth)
	}
	return e.post("/token", form("grant_type", "refresh_token", "refresh_token", rt), opts...)
}

func (e *env) introspect(token string) map[string]any {
	e.t.Helper()
	res := e.post("/introspect", form("token", token), skillAuth)
	wantStatus(e.t, res, http.StatusOK)
	return res.json(e.t)
}

func wantStatus(t testing.TB, r result, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %.300s", r.status, status, r.body)
	}
}

var descRE = regexp.MustCompile(`^[\x20-\x21\x23-\x5B\x5D-\x7E]*$`)

// wantError checks a JSON error (checklist conventions and row G2).
func wantError(t testing.TB, r result, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", cc)
	}
	m := r.json(t)
	if m["error"] != code {
		t.Fatalf("error = %v, want %s; body %s", m["error"], code, r.body)
	}
	if d, ok := m["error_description"].(string); ok && !descRE.MatchString(d) {
		t.Errorf("error_description %q has characters outside RFC 6749 §5.2", d)
	}
	for k := range m {
		if k != "error" && k != "error_description" {
			t.Errorf("unexpected field %q in error body %s", k, r.body)
		}
	}
}

// wantErrorPage checks the no-redirect error page.
func wantErrorPage(t testing.TB, r result) {
	t.Helper()
	if r.status != http.StatusBadRequest {
		t.Fatalf("status = %d, want 400; Location %q", r.status, r.header.Get("Location"))
	}
	if loc := r.header.Get("Location"); loc != "" {
		t.Fatalf("error page has Location %q", loc)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type = %q, want text/html", ct)
	}
}

// wantRedirectError checks a redirect to the registered URI carrying error
// and state, in the query or (implicit) the fragment.
func wantRedirectError(t testing.TB, r result, base, code, state string, fragment bool) {
	t.Helper()
	if r.status != http.StatusFound && r.status != http.StatusSeeOther {
		t.Fatalf("status = %d, want 302 or 303; body %.200s", r.status, r.body)
	}
	u := r.location(t)
	params := u.Query()
	if fragment {
		if u.RawQuery != "" {
			t.Errorf("implicit error has a query %q", u.RawQuery)
		}
		params, _ = url.ParseQuery(u.Fragment)
	} else if u.Fragment != "" {
		t.Errorf("code-flow error has a fragment %q", u.Fragment)
	}
	u.RawQuery, u.Fragment = "", ""
	if u.String() != base {
		t.Errorf("redirected to %s, want %s", u, base)
	}
	if got := params.Get("error"); got != code {
		t.Errorf("error = %q, want %q (Location %s)", got, code, r.header.Get("Location"))
	}
	if got := params.Get("state"); got != state {
		t.Errorf("state = %q, want %q", got, state)
	}
	if d := params.Get("error_description"); !descRE.MatchString(d) {
		t.Errorf("error_description %q has characters outside RFC 6749 §5.2", d)
	}
}

func s256(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
