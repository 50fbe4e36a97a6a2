package link_test

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asksim/asksim/internal/testutil"
)

// testAS is a small authorization server whose every deviation from what
// Alexa expects is a switch, so each rule of the linker can be shown to
// fail on exactly the server that breaks it.
type testAS struct {
	*httptest.Server
	t testing.TB

	clientID, secret string
	bodyOnly         bool // credentials accepted only in the request body
	userField        string
	passField        string

	// Misbehaviours.
	mangleState    func(string) string
	tokenJSON      func(grant string) map[string]any // overrides the token response
	tokenRaw       string                            // a non-JSON 200 body
	tokenHook      func(r *http.Request)             // runs first in /token (delays)
	noStore        bool                              // omit Cache-Control: no-store
	noFraming      bool                              // omit X-Frame-Options
	redirectStatus int                               // after login; default 303
	offOriginHop   string                            // redirect the login here instead

	mu       sync.Mutex
	sessions map[string]string // session cookie → CSRF token
	codes    map[string]codeGrant
	refresh  map[string]bool
	log      []string // "token grant=… auth=basic|body"
	refreshN int
}

type codeGrant struct{ redirectURI, challenge string }

func newTestAS(t testing.TB, opts ...func(*testAS)) *testAS {
	t.Helper()
	as := &testAS{t: t, clientID: "alexa-skill", secret: "s3cret-value", userField: "username", passField: "password",
		sessions: map[string]string{}, codes: map[string]codeGrant{}, refresh: map[string]bool{}}
	for _, o := range opts {
		o(as)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /authorize", as.authorize)
	mux.HandleFunc("POST /login", as.login)
	mux.HandleFunc("GET /approved", as.approved)
	mux.HandleFunc("POST /token", as.token)
	as.Server = httptest.NewServer(mux)
	t.Cleanup(as.Close)
	return as
}

func rnd() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

var loginTmpl = template.Must(template.New("login").Parse(`<!doctype html>
<html><head><title>Sign in</title></head><body>
<h1>Sign in to Example</h1>
{{if .Error}}<div class="error" role="alert">{{.Error}}</div>{{end}}
<form method="post" action="login">
<input type="hidden" name="csrf" value="{{.CSRF}}">
<input type="hidden" name="state" value="{{.State}}">
<input type="hidden" name="redirect_uri" value="{{.RedirectURI}}">
<input type="hidden" name="code_challenge" value="{{.Challenge}}">
<label>User <input name="{{.UserField}}" type="text"></label>
<label>Password <input name="{{.PassField}}" type="password"></label>
<label><input type="checkbox" name="remember"> Remember me</label>
<input type="text" name="disabled-field" value="x" disabled>
<button type="submit" name="action" value="allow">Allow</button>
<button type="submit" name="action" value="deny">Deny</button>
</form></body></html>`))

func (as *testAS) page(w http.ResponseWriter, sid string, q url.Values, errMsg string) {
	as.mu.Lock()
	csrf := as.sessions[sid]
	as.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if !as.noFraming {
		w.Header().Set("X-Frame-Options", "DENY")
	}
	_ = loginTmpl.Execute(w, map[string]string{"CSRF": csrf, "State": q.Get("state"), "RedirectURI": q.Get("redirect_uri"),
		"Challenge": q.Get("code_challenge"), "UserField": as.userField, "PassField": as.passField, "Error": errMsg})
}

func (as *testAS) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != as.clientID || q.Get("response_type") != "code" || !strings.HasPrefix(q.Get("redirect_uri"), "https://pitangui.amazon.com/api/skill/link/") {
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	sid := rnd()
	as.mu.Lock()
	as.sessions[sid] = rnd()
	as.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: "sid", Value: sid, Path: "/", HttpOnly: true})
	as.page(w, sid, q, "")
}

func (as *testAS) login(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	c, err := r.Cookie("sid")
	if err != nil {
		http.Error(w, "no session cookie", http.StatusBadRequest)
		return
	}
	as.mu.Lock()
	csrf, ok := as.sessions[c.Value]
	as.mu.Unlock()
	if !ok || r.PostForm.Get("csrf") != csrf {
		http.Error(w, "CSRF token missing or wrong", http.StatusForbidden)
		return
	}
	if r.PostForm.Has("disabled-field") || r.PostForm.Has("remember") || r.PostForm.Get("action") != "allow" {
		http.Error(w, "form submitted unlike a browser: "+r.PostForm.Encode(), http.StatusBadRequest)
		return
	}
	if r.PostForm.Get(as.userField) != "alice" || r.PostForm.Get(as.passField) != "alice-password" {
		as.page(w, c.Value, r.PostForm, "Wrong username or password.")
		return
	}
	code := rnd()
	as.mu.Lock()
	as.codes[code] = codeGrant{r.PostForm.Get("redirect_uri"), r.PostForm.Get("code_challenge")}
	as.mu.Unlock()
	if as.offOriginHop != "" {
		http.Redirect(w, r, as.offOriginHop, http.StatusSeeOther)
		return
	}
	// One hop on the server's own origin before the redirect to Alexa.
	next := url.Values{"code": {code}, "state": {r.PostForm.Get("state")}, "ru": {r.PostForm.Get("redirect_uri")}}
	status := http.StatusSeeOther
	if as.redirectStatus != 0 {
		status = as.redirectStatus
	}
	http.Redirect(w, r, "/approved?"+next.Encode(), status)
}

func (as *testAS) approved(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	state := q.Get("state")
	if as.mangleState != nil {
		state = as.mangleState(state)
	}
	http.Redirect(w, r, q.Get("ru")+"?"+url.Values{"state": {state}, "code": {q.Get("code")}}.Encode(), http.StatusFound)
}

func tokenError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
	}
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `{"error":%q}`, code)
}

func (as *testAS) token(w http.ResponseWriter, r *http.Request) {
	if as.tokenHook != nil {
		as.tokenHook(r)
	}
	if err := r.ParseForm(); err != nil || r.URL.RawQuery != "" {
		tokenError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	id, secret, basic := r.BasicAuth()
	auth := "basic"
	if basic {
		// RFC 6749 §2.3.1: form-decode both parts.
		var err1, err2 error
		id, err1 = url.QueryUnescape(id)
		secret, err2 = url.QueryUnescape(secret)
		if err1 != nil || err2 != nil || r.PostForm.Has("client_secret") {
			tokenError(w, http.StatusBadRequest, "invalid_request")
			return
		}
	} else {
		auth = "body"
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	grant := r.PostForm.Get("grant_type")
	as.mu.Lock()
	as.log = append(as.log, "grant="+grant+" auth="+auth)
	as.mu.Unlock()
	if id != as.clientID || secret != as.secret || (as.bodyOnly && basic) {
		tokenError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	switch grant {
	case "authorization_code":
		as.mu.Lock()
		g, ok := as.codes[r.PostForm.Get("code")]
		delete(as.codes, r.PostForm.Get("code"))
		as.mu.Unlock()
		if !ok || g.redirectURI != r.PostForm.Get("redirect_uri") {
			tokenError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
		if g.challenge != "" {
			sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
			if base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
				tokenError(w, http.StatusBadRequest, "invalid_grant")
				return
			}
		} else if r.PostForm.Has("code_verifier") {
			tokenError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
	case "refresh_token":
		as.mu.Lock()
		ok := as.refresh[r.PostForm.Get("refresh_token")]
		delete(as.refresh, r.PostForm.Get("refresh_token")) // rotation
		as.refreshN++
		as.mu.Unlock()
		if !ok {
			tokenError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
	default:
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	if !as.noStore {
		w.Header().Set("Cache-Control", "no-store")
	}
	if as.tokenRaw != "" {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte(as.tokenRaw))
		return
	}
	rt := "rt-" + rnd()
	resp := map[string]any{"access_token": "at-" + rnd(), "token_type": "Bearer", "expires_in": 3600, "refresh_token": rt}
	if as.tokenJSON != nil {
		resp = as.tokenJSON(grant)
	}
	if s, ok := resp["refresh_token"].(string); ok {
		rt = s
	}
	as.mu.Lock()
	as.refresh[rt] = true
	as.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

func (as *testAS) tokenLog() []string {
	as.mu.Lock()
	defer as.mu.Unlock()
	return append([]string(nil), as.log...)
}

// newClock is a settable clock at a fixed start.
func newClock() *testutil.Clock {
	return testutil.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
}

func newServer(t *testing.T, h http.Handler) *httptest.Server {
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}
