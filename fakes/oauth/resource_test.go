package oauth_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/oauth"
)

const playlists = "/v1/me/playlists"

// resourceGet reads path with header as Authorization ("" sends none).
func (e *env) resourceGet(path, header string, opts ...func(*http.Request)) result {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+path, nil)
	if header != "" {
		req.Header.Set("Authorization", header)
	}
	for _, o := range opts {
		o(req)
	}
	return e.do(req)
}

// issue mints tokens for user with scopes (nil: all the client's).
func (e *env) issue(user string, scopes []string) oauth.TokenResponse {
	e.t.Helper()
	toks, err := e.srv.IssueTokens(user, skillID, scopes)
	if err != nil {
		e.t.Fatal(err)
	}
	return toks
}

// wantChallenge checks a Bearer error answer: status, JSON error body and
// the WWW-Authenticate parameters of RFC 6750 §3.
func wantChallenge(t *testing.T, r result, status int, code string, params ...string) {
	t.Helper()
	wantError(t, r, status, code)
	ch := r.header.Get("WWW-Authenticate")
	if !strings.HasPrefix(ch, `Bearer realm="asksim-oauth", error="`+code+`"`) {
		t.Errorf("WWW-Authenticate = %q, want Bearer realm and error=%q", ch, code)
	}
	if !strings.Contains(ch, `error_description="`) {
		t.Errorf("WWW-Authenticate = %q: no error_description", ch)
	}
	for _, p := range params {
		if !strings.Contains(ch, p) {
			t.Errorf("WWW-Authenticate = %q, want it to contain %s", ch, p)
		}
	}
}

func TestResource_OKPerUserWithPlaceholders(t *testing.T) {
	e := newEnv(t)
	for user, want := range map[string]string{"alice": "Morning Run", "bob": "Road Trip"} {
		res := e.resourceGet(playlists, "Bearer "+e.issue(user, nil).AccessToken)
		wantStatus(t, res, http.StatusOK)
		if ct, cc := res.header.Get("Content-Type"), res.header.Get("Cache-Control"); ct != "application/json" || cc != "no-store" {
			t.Errorf("%s: Content-Type %q, Cache-Control %q", user, ct, cc)
		}
		var body struct {
			Items []struct {
				Name  string `json:"name"`
				Owner struct {
					ID string `json:"id"`
				} `json:"owner"`
			} `json:"items"`
		}
		if err := json.Unmarshal(res.body, &body); err != nil || len(body.Items) == 0 {
			t.Fatalf("%s: body %s: %v", user, res.body, err)
		}
		if body.Items[0].Name != want || body.Items[0].Owner.ID != user {
			t.Errorf("%s: first playlist %+v, want %q owned by %s", user, body.Items[0], want, user)
		}
	}
}

func TestResource_DefaultBodyAndPlaceholderEscaping(t *testing.T) {
	e := newEnv(t, func(c *oauth.Config) {
		c.Users = append(c.Users, oauth.User{Username: `carol"\`, Password: "pw", Claims: map[string]any{"sub": "sub-\n-carol"}})
		c.Resources = []oauth.Resource{{Path: "/whoami",
			Body: json.RawMessage(`{"user":"{user}","sub":"<{sub}>","client":"{client_id}","literal":"{id}","key {user}":1}`)}}
	})
	res := e.resourceGet("/whoami", "Bearer "+e.issue(`carol"\`, nil).AccessToken)
	wantStatus(t, res, http.StatusOK)
	var got map[string]any
	if err := json.Unmarshal(res.body, &got); err != nil {
		t.Fatalf("body %s is not JSON: %v", res.body, err)
	}
	want := map[string]any{"user": `carol"\`, "sub": "<sub-\n-carol>", "client": skillID, "literal": "{id}", `key carol"\`: 1.0}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %#v, want %#v (body %s)", k, got[k], v, res.body)
		}
	}
	// A HEAD of a GET resource answers its headers.
	req, _ := http.NewRequest(http.MethodHead, e.ts.URL+"/whoami", nil)
	req.Header.Set("Authorization", "Bearer "+e.issue("alice", nil).AccessToken)
	if r := e.do(req); r.status != http.StatusOK || len(r.body) != 0 {
		t.Errorf("HEAD: %d %q", r.status, r.body)
	}
}

func TestResource_R1_MissingTokenIsABareChallenge(t *testing.T) {
	e := newEnv(t)
	for name, h := range map[string]string{"no Authorization": "", "Basic": "Basic YWxpY2U6cHc=", "Digest": "Digest username=x"} {
		res := e.resourceGet(playlists, h)
		if res.status != http.StatusUnauthorized {
			t.Errorf("%s: status %d", name, res.status)
		}
		if ch := res.header.Get("WWW-Authenticate"); ch != `Bearer realm="asksim-oauth"` {
			t.Errorf("%s: WWW-Authenticate %q, want a bare challenge (RFC 6750 §3.1)", name, ch)
		}
		if len(res.body) != 0 {
			t.Errorf("%s: body %q: no error information belongs in it", name, res.body)
		}
		if cc := res.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q", name, cc)
		}
	}
	if got := e.srv.ResourceRequests(); len(got) != 3 || got[0].Outcome != "no_token" || got[0].Status != 401 {
		t.Errorf("log: %+v", got)
	}
}

func TestResource_R2_MalformedRequestIsInvalidRequest(t *testing.T) {
	e := newEnv(t, func(c *oauth.Config) {
		c.Resources = append(c.Resources, oauth.Resource{Method: http.MethodPost, Path: playlists, Scope: "playlist-read-private", Status: 201, Body: json.RawMessage(`{}`)})
	})
	tok := e.issue("alice", nil).AccessToken
	withQuery := func(r *http.Request) { r.URL.RawQuery = "access_token=" + url.QueryEscape(tok) }
	postForm := func(header string) result {
		req, _ := http.NewRequest(http.MethodPost, e.ts.URL+playlists, strings.NewReader("access_token="+url.QueryEscape(tok)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if header != "" {
			req.Header.Set("Authorization", header)
		}
		return e.do(req)
	}
	for name, res := range map[string]result{
		"header and query":    e.resourceGet(playlists, "Bearer "+tok, withQuery),
		"query only":          e.resourceGet(playlists, "", withQuery),
		"header and body":     postForm("Bearer " + tok),
		"body only":           postForm(""),
		"empty token":         e.resourceGet(playlists, "Bearer "),
		"space in token":      e.resourceGet(playlists, "Bearer "+tok[:10]+" "+tok[10:]),
		"repeated header":     e.resourceGet(playlists, "Bearer "+tok, func(r *http.Request) { r.Header.Add("Authorization", "Bearer "+tok) }),
		"non-ASCII in token":  e.resourceGet(playlists, "Bearer "+tok+"é"),
		"query with bad auth": e.resourceGet(playlists, "Bearer ", withQuery),
	} {
		t.Run(name, func(t *testing.T) { wantChallenge(t, res, http.StatusBadRequest, oauth.ErrorInvalidRequest) })
	}
	// net/http's client refuses to send a control character; a raw
	// request reaches the handler all the same.
	raw := httptest.NewRequest(http.MethodGet, playlists, nil)
	raw.Header.Set("Authorization", "Bearer "+tok+"\x01")
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, raw)
	wantChallenge(t, result{rec.Code, rec.Header(), rec.Body.Bytes()}, http.StatusBadRequest, oauth.ErrorInvalidRequest)
	// A GET's body means nothing: access_token in it is not looked at.
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+playlists, strings.NewReader("access_token=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+tok)
	wantStatus(t, e.do(req), http.StatusOK)
	// The POST resource, properly asked, answers its own status; the scheme
	// name is case-insensitive (RFC 7235 §2.1).
	req, _ = http.NewRequest(http.MethodPost, e.ts.URL+playlists, nil)
	req.Header.Set("Authorization", "bearer "+tok)
	wantStatus(t, e.do(req), http.StatusCreated)
}

func TestResource_R3_InvalidToken(t *testing.T) {
	e := newEnv(t, func(c *oauth.Config) {
		c.Clients = append(c.Clients, oauth.Client{ID: "machine", Secret: "m-secret", Scheme: oauth.SchemeRequestBody,
			Grants: []string{oauth.GrantClientCredentials}, Scopes: []string{"playlist-read-private"}})
	})
	toks := e.issue("alice", nil)
	expired := e.issue("alice", nil)
	e.clock.Add(59 * time.Minute)
	revoked := e.issue("alice", nil)
	if err := e.srv.RevokeGrant(revoked.RefreshToken); err != nil {
		t.Fatal(err)
	}
	early := e.issue("alice", nil)
	if err := e.srv.ExpireToken(early.AccessToken); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(2 * time.Minute) // expired's hour is over, toks' too: reissue
	toks = e.issue("alice", nil)
	machine := e.post("/token", form("grant_type", "client_credentials", "client_id", "machine", "client_secret", "m-secret"))
	wantStatus(t, machine, http.StatusOK)
	for name, tc := range map[string]struct{ token, why string }{
		"garbage":           {"garbage", "unknown"},
		"expired":           {expired.AccessToken, "expired"},
		"expired early":     {early.AccessToken, "expired"},
		"revoked grant":     {revoked.AccessToken, "revoked"},
		"refresh token":     {toks.RefreshToken, "refresh token"},
		"client credential": {machine.str(t, "access_token"), "client"},
	} {
		t.Run(name, func(t *testing.T) {
			res := e.resourceGet(playlists, "Bearer "+tc.token)
			wantChallenge(t, res, http.StatusUnauthorized, oauth.ErrorInvalidToken)
			if d := res.str(t, "error_description"); !strings.Contains(d, tc.why) {
				t.Errorf("error_description %q does not say %q", d, tc.why)
			}
		})
	}
	wantStatus(t, e.resourceGet(playlists, "Bearer "+toks.AccessToken), http.StatusOK)
	// Revocation at /revoke (RFC 7009) reaches the resources too.
	wantStatus(t, e.post("/revoke", form("token", toks.AccessToken), skillAuth), http.StatusOK)
	wantChallenge(t, e.resourceGet(playlists, "Bearer "+toks.AccessToken), http.StatusUnauthorized, oauth.ErrorInvalidToken)
	if err := e.srv.ExpireToken("never-issued"); !errors.Is(err, oauth.ErrUnknownToken) {
		t.Errorf("ExpireToken(unknown) = %v", err)
	}
	if err := e.srv.RevokeGrant("never-issued"); !errors.Is(err, oauth.ErrUnknownToken) {
		t.Errorf("RevokeGrant(unknown) = %v", err)
	}
}

func TestResource_ExpiredRefreshTokenCannotRefresh(t *testing.T) {
	e := newEnv(t)
	toks := e.issue("alice", nil)
	if err := e.srv.ExpireToken(toks.RefreshToken); err != nil {
		t.Fatal(err)
	}
	wantError(t, e.refresh(toks.RefreshToken), http.StatusBadRequest, oauth.ErrorInvalidGrant)
	// The access token is another token: it lives on.
	wantStatus(t, e.resourceGet(playlists, "Bearer "+toks.AccessToken), http.StatusOK)
}

func TestResource_R4_InsufficientScope(t *testing.T) {
	e := newEnv(t)
	narrow := e.issue("alice", []string{"user-read-email"})
	res := e.resourceGet(playlists, "Bearer "+narrow.AccessToken)
	wantChallenge(t, res, http.StatusForbidden, oauth.ErrorInsufficientScope, `scope="playlist-read-private"`)
	if d := res.str(t, "error_description"); !strings.Contains(d, "user-read-email") {
		t.Errorf("error_description %q does not say what the token has", d)
	}
	// The same token reads what its scope allows.
	wantStatus(t, e.resourceGet("/v1/me", "Bearer "+narrow.AccessToken), http.StatusOK)
}

func TestResource_R5_WrongMethod(t *testing.T) {
	e := newEnv(t)
	req, _ := http.NewRequest(http.MethodDelete, e.ts.URL+playlists, nil)
	res := e.do(req)
	wantError(t, res, http.StatusMethodNotAllowed, oauth.ErrorInvalidRequest)
	if a := res.header.Get("Allow"); a != "GET, HEAD" {
		t.Errorf("Allow = %q", a)
	}
}

func TestResource_FaultsPerPath(t *testing.T) {
	e := newEnv(t)
	tok := "Bearer " + e.issue("alice", nil).AccessToken
	if err := e.srv.Fail(playlists, 1, oauth.Fault{Status: 503, Body: `{"error":{"status":503,"message":"Service unavailable"}}`}); err != nil {
		t.Fatal(err)
	}
	res := e.resourceGet(playlists, tok)
	if res.status != 503 || !strings.Contains(string(res.body), "Service unavailable") {
		t.Errorf("faulted: %d %s", res.status, res.body)
	}
	wantStatus(t, e.resourceGet(playlists, tok), http.StatusOK)

	if err := e.srv.Fail(playlists, 1, oauth.Fault{DropConnection: true}); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+playlists, nil)
	req.Header.Set("Authorization", tok)
	// A new connection: on a reused one, net/http would retry the GET.
	fresh := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := fresh.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("dropped connection answered %d", resp.StatusCode)
	}
	got := e.srv.ResourceRequests()
	if last := got[len(got)-1]; last.Outcome != "fault" || last.Status != 0 {
		t.Errorf("dropped request logged as %+v", last)
	}
}

func TestResource_GrantScopedBodiesAndFaults(t *testing.T) {
	e := newEnv(t)
	mine, theirs := e.issue("alice", nil), e.issue("alice", nil)
	if err := e.srv.SetGrantBody(mine.AccessToken, "GET "+playlists, []byte(`{"items":[{"name":"Mine of {user}"}]}`)); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.FailGrant(mine.AccessToken, playlists, 1, oauth.Fault{Status: 502}); err != nil {
		t.Fatal(err)
	}
	if res := e.resourceGet(playlists, "Bearer "+theirs.AccessToken); res.status != 200 || !strings.Contains(string(res.body), "Morning Run") {
		t.Errorf("another grant: %d %s", res.status, res.body)
	}
	if res := e.resourceGet(playlists, "Bearer "+mine.AccessToken); res.status != 502 {
		t.Errorf("the grant's fault: %d %s", res.status, res.body)
	}
	// Refreshed, the grant keeps its body.
	next := e.refresh(mine.RefreshToken).str(t, "access_token")
	if res := e.resourceGet(playlists, "Bearer "+next); res.status != 200 || string(res.body) != `{"items":[{"name":"Mine of alice"}]}` {
		t.Errorf("refreshed: %d %s", res.status, res.body)
	}
	// The grant's fault plays only once its token passed the checks.
	e.srv.FailGrant(next, playlists, 1, oauth.Fault{Status: 500})
	narrow := e.issue("alice", []string{"profile"})
	e.srv.FailGrant(narrow.AccessToken, playlists, 1, oauth.Fault{Status: 500})
	wantChallenge(t, e.resourceGet(playlists, "Bearer "+narrow.AccessToken), http.StatusForbidden, oauth.ErrorInsufficientScope)

	for name, err := range map[string]error{
		"unknown route":    e.srv.SetGrantBody(mine.AccessToken, "GET /v1/nowhere", []byte(`{}`)),
		"bad route":        e.srv.SetGrantBody(mine.AccessToken, "FETCH it", []byte(`{}`)),
		"not JSON":         e.srv.SetGrantBody(mine.AccessToken, "GET "+playlists, []byte(`{"a":`)),
		"too deep":         e.srv.SetGrantBody(mine.AccessToken, "GET "+playlists, []byte(strings.Repeat("[", 100)+strings.Repeat("]", 100))),
		"too big":          e.srv.SetGrantBody(mine.AccessToken, "GET "+playlists, []byte(`"`+strings.Repeat("x", 2<<20)+`"`)),
		"unknown token":    e.srv.SetGrantBody("nope", "GET "+playlists, []byte(`{}`)),
		"fault no path":    e.srv.FailGrant(mine.AccessToken, "/token", 1, oauth.Fault{Status: 500}),
		"fault bad status": e.srv.FailGrant(mine.AccessToken, playlists, 1, oauth.Fault{Status: 42}),
	} {
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestResource_R6_LogRedactsAndNamesTheUser(t *testing.T) {
	var log logLines
	e := newEnv(t, func(c *oauth.Config) { c.Logf = log.logf })
	alice, bob := e.issue("alice", nil), e.issue("bob", nil)
	e.resourceGet(playlists, "Bearer "+alice.AccessToken)
	e.resourceGet(playlists, "Bearer "+bob.AccessToken)
	e.resourceGet(playlists, "Bearer "+alice.AccessToken+"x")
	mine := e.srv.ResourceRequests(alice.AccessToken)
	if len(mine) != 1 || mine[0].User != "alice" || mine[0].Token != oauth.Redact(alice.AccessToken) || mine[0].Status != 200 {
		t.Fatalf("alice's requests: %+v", mine)
	}
	all := e.srv.ResourceRequests()
	if len(all) != 3 || all[2].User != "" || all[2].Outcome != oauth.ErrorInvalidToken || !(all[0].Seq < all[1].Seq && all[1].Seq < all[2].Seq) {
		t.Errorf("all: %+v", all)
	}
	lines := strings.Join(log.all(), "\n")
	for _, secret := range []string{alice.AccessToken, bob.AccessToken} {
		if strings.Contains(lines, secret) || strings.Contains(lines, secret[:40]) {
			t.Errorf("a token reached the log:\n%s", lines)
		}
	}
	if !strings.Contains(lines, `GET /v1/me/playlists client="alexa-skill" grant="" user="alice" -> 200 ok`) {
		t.Errorf("log does not name the user:\n%s", lines)
	}
	if got := e.srv.ResourceRequests("never-sent"); len(got) != 0 {
		t.Errorf("requests with a token never sent: %+v", got)
	}
}

func TestResource_ConfigErrorsNameTheField(t *testing.T) {
	base := `{"clients":[{"id":"c","secret":"s","scheme":"HTTP_BASIC","redirect_uris":["https://x.test/cb"]}],
"users":[{"username":"alice","password":"p"}],"resources":[%s]}`
	for _, tc := range []struct{ resources, want string }{
		{`{"method":"FETCH","path":"/a","body":{}}`, `resources[0].method: "FETCH" is not one of GET`},
		{`{"path":"a","body":{}}`, `resources[0].path: "a" does not start with "/"`},
		{`{"path":"/token","body":{}}`, `resources[0].path: "/token" is one of the OAuth fake's own endpoints`},
		{`{"path":"/Auth/O2/Token","body":{}}`, `is one of the OAuth fake's own endpoints`},
		{`{"path":"/a/../b","body":{}}`, `resources[0].path: "/a/../b" is not a clean path`},
		{`{"path":"/a/","body":{}}`, `resources[0].path: "/a/" is not a clean path`},
		{`{"path":"/a/{id}","body":{}}`, `resources[0].path: "/a/{id}" is not a clean path`},
		{`{"path":"/a%20b","body":{}}`, `is not a clean path`},
		{`{"path":"/a","body":{}},{"method":"GET","path":"/a","body":{}}`, `resources[1]: GET /a is already resources[0]`},
		{`{"path":"/a","scope":"a b","body":{}}`, `resources[0].scope: "a b" is not one scope token`},
		{`{"path":"/a","status":42,"body":{}}`, `resources[0].status: 42 is not a final HTTP status`},
		{`{"path":"/a"}`, `resources[0]: no body: give body (for every user) or users`},
		{`{"path":"/a","users":{"carol":{}}}`, `resources[0].users: "carol" is not a configured user`},
		{`{"path":"/a","body":{},"color":"red"}`, `unknown field "color"`},
	} {
		_, err := oauth.ParseConfig([]byte(strings.Replace(base, "%s", tc.resources, 1)), "cfg.json")
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "cfg.json") {
			t.Errorf("%s: error %v, want it to name the file and contain %q", tc.resources, err, tc.want)
		}
	}
	// A Config built in Go is checked the same way, bodies included.
	cfg := oauth.DefaultConfig()
	for name, r := range map[string]oauth.Resource{
		"not JSON": {Path: "/a", Body: json.RawMessage(`{"a":`)},
		"deep":     {Path: "/a", Users: map[string]json.RawMessage{"alice": json.RawMessage(strings.Repeat("[", 65) + strings.Repeat("]", 65))}},
	} {
		c := cfg
		c.Resources = []oauth.Resource{r}
		if _, err := oauth.New(c); err == nil || !strings.Contains(err.Error(), "resources[0].") {
			t.Errorf("%s: New = %v", name, err)
		}
	}
}

func TestResource_RoutesAndParseRoute(t *testing.T) {
	e := newEnv(t)
	var routes []string
	for _, r := range e.srv.Resources() {
		routes = append(routes, r.Route()+" "+r.Scope)
	}
	if got := strings.Join(routes, "|"); got != "GET /v1/me/playlists playlist-read-private|GET /v1/me user-read-email" {
		t.Errorf("routes %q", got)
	}
	for in, want := range map[string]string{"GET /a": "GET /a", "/a": "GET /a", " DELETE  /a ": "DELETE /a"} {
		m, p, err := oauth.ParseRoute(in)
		if err != nil || m+" "+p != want {
			t.Errorf("ParseRoute(%q) = %q %q %v", in, m, p, err)
		}
	}
	for _, in := range []string{"", "GET", "get /a", "GET a", "FETCH /a"} {
		if _, _, err := oauth.ParseRoute(in); err == nil {
			t.Errorf("ParseRoute(%q) accepted", in)
		}
	}
}
