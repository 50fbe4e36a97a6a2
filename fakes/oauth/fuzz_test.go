package oauth_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/asksim/asksim/fakes/oauth"
)

// FuzzParseConfig: any bytes as an OAuth config file give a config or an
// error naming the file, never a panic; and whatever ParseConfig accepts,
// New accepts. Seeds: the bundled configuration and the shapes the config
// tests use.
func FuzzParseConfig(f *testing.F) {
	files, _ := filepath.Glob("../../fixtures/oauth/*.json")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"code_ttl":"2m","clients":[{"id":"c","secret":"s","scheme":"REQUEST_BODY_CREDENTIALS","redirect_uris":["https://x.test/cb"],
"refresh_grace_window":"30s","rotate_refresh_tokens":false}],"users":[{"username":"u","password":"p","claims":{"sub":"x","a":[1,{"b":null}]}}]}`))
	f.Add([]byte(`{"clients":[{"id":"c","secret":"s","scheme":"HTTP_BASIC","grants":["client_credentials"]}],"auto_approve":"u"} {}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := oauth.ParseConfig(data, "fuzz.json")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.json") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if _, err := oauth.New(cfg); err != nil {
			t.Fatalf("ParseConfig accepted what New refuses: %v", err)
		}
	})
}

// tokenFuzzServer is one fake for the whole fuzzing process: the store's
// bounds are part of what is fuzzed, so it must live across inputs.
var tokenFuzzServer = sync.OnceValues(func() (*oauth.Server, error) {
	cfg := oauth.DefaultConfig()
	cfg.AccessTokenFormat = oauth.FormatOpaque
	cfg.MaxTokens, cfg.MaxLoggedRequests = 256, 64
	return oauth.New(cfg)
})

// tokenErrors are the error codes a token-style endpoint may answer
// (RFC 6749 §5.2, RFC 7009 §2.2.1).
var tokenErrors = []string{oauth.ErrorInvalidRequest, oauth.ErrorInvalidClient, oauth.ErrorInvalidGrant,
	oauth.ErrorUnauthorizedClient, oauth.ErrorUnsupportedGrantType, oauth.ErrorInvalidScope}

// FuzzTokenEndpoints posts any body, as a form or as JSON, with or without
// client credentials, to the endpoints that parse one. None may panic or
// answer 5xx; every answer is JSON, and every error one of RFC 6749's codes.
// Seeds: the requests the token and LWA tests send, good and bad.
func FuzzTokenEndpoints(f *testing.F) {
	lwaCreds := `"client_id":"` + lwaID + `","client_secret":"` + lwaSecret + `"`
	for _, seed := range []struct {
		endpoint uint8 // /token, /auth/o2/token, /revoke, /introspect
		json     bool
		basic    bool
		body     string
	}{
		{0, false, true, "grant_type=authorization_code&code=nope&redirect_uri=" + pitangui},
		{0, false, true, "grant_type=refresh_token&refresh_token=garbage&scope=profile"},
		{0, false, true, "grant_type=client_credentials&grant_type=x"},
		{0, false, false, "grant_type=authorization_code&client_id=alexa-skill&client_secret=alexa-skill-secret&code=x"},
		{0, true, true, `{"grant_type":"authorization_code"}`},
		{1, true, false, `{"grant_type":"client_credentials","scope":"alexa:skill_messaging",` + lwaCreds + `}`},
		{1, true, false, `{"grant_type":"client_credentials","scope":"a","scope":"b",` + lwaCreds + `}`},
		{1, true, false, `{"grant_type":"refresh_token","refresh_token":"Atzr|x",` + lwaCreds + `} trailing`},
		{1, true, false, `{"grant_type":[[[{"a":1}]]],"n":12.5e3,"z":null}`},
		{1, false, false, "grant_type=client_credentials&scope=alexa:skill_messaging&client_id=" + lwaID + "&client_secret=" + lwaSecret},
		{2, false, true, "token=never-issued&token_type_hint=refresh_token"},
		{3, false, true, "token=x"},
		{3, false, true, "%zz=1&token"},
	} {
		f.Add(seed.endpoint, seed.json, seed.basic, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, endpoint uint8, asJSON, basicAuth bool, body []byte) {
		srv, err := tokenFuzzServer()
		if err != nil {
			t.Fatal(err)
		}
		path := []string{"/token", "/auth/o2/token", "/revoke", "/introspect"}[endpoint%4]
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if asJSON {
			req.Header.Set("Content-Type", "application/json")
		}
		if basicAuth {
			req.SetBasicAuth(skillID, skillSec)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code >= 500 || w.Code < 200 {
			t.Fatalf("POST %s %q: status %d %s", path, body, w.Code, w.Body)
		}
		if path == "/revoke" && w.Code == http.StatusOK {
			return // RFC 7009 §2.2: an empty 200
		}
		if ct := w.Header().Get("Content-Type"); ct != "application/json" {
			t.Fatalf("POST %s %q: Content-Type %q", path, body, ct)
		}
		var m map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
			t.Fatalf("POST %s %q: body %q is not a JSON object", path, body, w.Body)
		}
		if e, _ := m["error"].(string); w.Code >= 400 && !slices.Contains(tokenErrors, e) {
			t.Fatalf("POST %s %q: error %q is not an RFC 6749 code", path, body, m["error"])
		}
		if n := len(srv.Requests()); n > 64 {
			t.Fatalf("request log holds %d entries past its bound", n)
		}
	})
}

// resourceFuzz is one server and one live token for the whole fuzzing
// process: "TOKEN" in an input stands for the token, so that inputs reach
// the scope and body code as well as the parser.
var resourceFuzz = sync.OnceValues(func() (*oauth.Server, error) {
	srv, err := tokenFuzzServer()
	if err != nil {
		return nil, err
	}
	if _, err := srv.IssueTokens("alice", skillID, []string{"user-read-email"}); err != nil {
		return nil, err
	}
	return srv, nil
})

var resourceFuzzToken = sync.OnceValue(func() string {
	srv, _ := resourceFuzz()
	toks, err := srv.IssueTokens("alice", skillID, nil)
	if err != nil {
		panic(err)
	}
	return toks.AccessToken
})

// FuzzResourceBearer sends any Authorization header, query and body to a
// protected resource. Every answer is one RFC 6750 allows: 200 only for the
// live token in the header alone; 400 invalid_request, 401 or 403 with a
// Bearer challenge; a 401 without an error code only with no bearer token
// at all. Never a panic or a 5xx.
func FuzzResourceBearer(f *testing.F) {
	for _, seed := range []struct {
		method, auth, query, body string
	}{
		{"GET", "Bearer TOKEN", "", ""},
		{"GET", "bearer  TOKEN", "", ""},
		{"GET", "Bearer TOKEN", "access_token=TOKEN", ""},
		{"GET", "", "access_token=TOKEN", ""},
		{"POST", "Bearer TOKEN", "", "access_token=TOKEN"},
		{"GET", "Bearer ", "", ""},
		{"GET", "Bearer a b", "", ""},
		{"GET", "Basic eDp5", "", ""},
		{"GET", "Bearer garbage", "", ""},
		{"DELETE", "Bearer TOKEN", "", ""},
		{"HEAD", "Bearer TOKEN", "%zz", "x"},
	} {
		f.Add(seed.method, seed.auth, seed.query, seed.body)
	}
	f.Fuzz(func(t *testing.T, method, auth, query, body string) {
		srv, err := resourceFuzz()
		if err != nil {
			t.Fatal(err)
		}
		tok := resourceFuzzToken()
		auth = strings.ReplaceAll(auth, "TOKEN", tok)
		query = strings.ReplaceAll(query, "TOKEN", tok)
		body = strings.ReplaceAll(body, "TOKEN", tok)
		if !validMethod(method) {
			method = http.MethodGet
		}
		req := httptest.NewRequest(http.MethodGet, "/v1/me/playlists", strings.NewReader(body))
		req.Method, req.URL.RawQuery = method, query
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if auth != "" {
			req.Header["Authorization"] = []string{auth}
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		challenge := w.Header().Get("WWW-Authenticate")
		switch w.Code {
		case http.StatusOK:
			if f := strings.Fields(auth); len(f) != 2 || !strings.EqualFold(f[0], "bearer") || f[1] != tok {
				t.Fatalf("%s %q %q %q: 200 without the token in the header", method, auth, query, body)
			}
		case http.StatusMethodNotAllowed:
		case http.StatusUnauthorized:
			if !strings.HasPrefix(challenge, `Bearer realm="asksim-oauth"`) {
				t.Fatalf("401 with challenge %q", challenge)
			}
			if challenge == `Bearer realm="asksim-oauth"` && strings.HasPrefix(auth, "Bearer ") {
				t.Fatalf("%q: a bare challenge, yet a bearer token was sent", auth)
			}
		case http.StatusBadRequest, http.StatusForbidden:
			if !strings.HasPrefix(challenge, `Bearer realm="asksim-oauth", error="`) {
				t.Fatalf("%d with challenge %q", w.Code, challenge)
			}
		default:
			t.Fatalf("%s %q %q %q: status %d %s", method, auth, query, body, w.Code, w.Body)
		}
		if strings.Contains(challenge, tok) || strings.Contains(w.Body.String(), tok) {
			t.Fatalf("the token was echoed back")
		}
		if n := len(srv.Requests()); n > 64 {
			t.Fatalf("request log holds %d entries past its bound", n)
		}
	})
}

// validMethod keeps to method tokens httptest accepts.
func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		if c := m[i]; c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}
