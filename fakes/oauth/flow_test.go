package oauth_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/asksim/asksim/fakes/oauth"
)

// TestFlow_FullBrowserLink plays account linking end to end, as the Alexa
// app's browser and the Alexa service would: login form → code → tokens →
// /userinfo → refresh (rotation) → revoke → /introspect inactive.
func TestFlow_FullBrowserLink(t *testing.T) {
	e := newEnv(t)

	// 1. The browser opens the authorization URI and gets the login form.
	q := authQuery("scope", "profile user-read-email", "state", "A2SAAEAE-state", "code_challenge", challenge, "code_challenge_method", "S256")
	page := e.authorize(q)
	wantStatus(t, page, http.StatusOK)

	// 2. The user types a wrong password, then the right one.
	retry := e.submitLogin(page, "alice", "alice-pasword", "approve")
	wantStatus(t, retry, http.StatusOK)
	done := e.submitLogin(retry, "alice", "alice-password", "approve")
	wantStatus(t, done, http.StatusSeeOther)
	loc := done.location(t)
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != pitangui || loc.Query().Get("state") != "A2SAAEAE-state" {
		t.Fatalf("redirected to %s", loc)
	}

	// 3. Alexa redeems the code with HTTP Basic.
	tok := e.exchange(loc.Query().Get("code"), "code_verifier", verifier)
	wantStatus(t, tok, http.StatusOK)
	at, rt := tok.str(t, "access_token"), tok.str(t, "refresh_token")
	if tok.str(t, "scope") != "profile user-read-email" {
		t.Errorf("scope %q", tok.str(t, "scope"))
	}

	// 4. The skill calls the resource server with the access token.
	userinfo := func(token string) result {
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/userinfo", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		return e.do(req)
	}
	if u := userinfo(at); u.status != 200 || u.str(t, "email") != "alice@example.com" || u.str(t, "sub") != "alice" {
		t.Fatalf("userinfo %d %s", u.status, u.body)
	}

	// 5. An hour later Alexa refreshes; the refresh token rotates.
	e.clock.Add(3600e9)
	if u := userinfo(at); u.status != http.StatusUnauthorized {
		t.Errorf("expired access token: userinfo %d", u.status)
	}
	ref := e.refresh(rt)
	wantStatus(t, ref, http.StatusOK)
	at2, rt2 := ref.str(t, "access_token"), ref.str(t, "refresh_token")
	if rt2 == rt || at2 == at {
		t.Fatal("refresh did not rotate")
	}
	if u := userinfo(at2); u.status != 200 {
		t.Fatalf("userinfo with refreshed token: %d", u.status)
	}

	// 6. The user unlinks: the skill revokes the refresh token.
	wantStatus(t, e.post("/revoke", form("token", rt2), skillAuth), http.StatusOK)
	for _, tk := range []string{at2, rt2} {
		if info := e.introspect(tk); len(info) != 1 || info["active"] != false {
			t.Errorf("after revoke: %v", info)
		}
	}
	if u := userinfo(at2); u.status != http.StatusUnauthorized {
		t.Errorf("revoked token: userinfo %d", u.status)
	}

	// The log tells the story without secrets.
	var steps []string
	for _, r := range e.srv.Requests() {
		steps = append(steps, r.Method+" "+r.Endpoint+" "+r.Outcome)
	}
	want := "GET /authorize login_page|POST /authorize login_failed|POST /authorize approved|POST /token ok|GET /userinfo ok|" +
		"GET /userinfo invalid_token|POST /token ok|GET /userinfo ok|POST /revoke ok|POST /introspect ok|POST /introspect ok|GET /userinfo invalid_token"
	if got := strings.Join(steps, "|"); got != want {
		t.Errorf("log:\n got %s\nwant %s", got, want)
	}
}

func reportRate(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkBaselineLoopbackPOST is the same-run baseline: a form POST with
// Basic auth over loopback to a handler that does nothing.
func BenchmarkBaselineLoopbackPOST(b *testing.B) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	}))
	defer ts.Close()
	e := &env{t: b, ts: ts, http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}}
	f := form("grant_type", "authorization_code", "code", strings.Repeat("c", 43), "redirect_uri", pitangui)
	b.ResetTimer()
	for b.Loop() {
		if res := e.post("/token", f, skillAuth); res.status != 200 {
			b.Fatal(res.status)
		}
	}
	reportRate(b)
}

func benchmarkExchange(b *testing.B, adjust ...func(*oauth.Config)) {
	e := newEnv(b, adjust...)
	e.http.Transport = &http.Transport{MaxIdleConnsPerHost: 4}
	e.srv.IssueTokens("alice", skillID, nil) // generate the signing key before timing
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		code, err := e.srv.IssueCode("alice", skillID, pitangui, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if res := e.exchange(code); res.status != 200 {
			b.Fatalf("status %d: %s", res.status, res.body)
		}
	}
	reportRate(b)
}

// BenchmarkExchangeCode redeems a code for a JWT access token (RS256) and
// a refresh token over loopback.
func BenchmarkExchangeCode(b *testing.B) { benchmarkExchange(b) }

// BenchmarkExchangeCodeOpaque is the same without RSA signing.
func BenchmarkExchangeCodeOpaque(b *testing.B) {
	benchmarkExchange(b, func(c *oauth.Config) { c.AccessTokenFormat = oauth.FormatOpaque })
}

// BenchmarkRefresh rotates a refresh token per iteration.
func BenchmarkRefresh(b *testing.B) {
	e := newEnv(b)
	e.http.Transport = &http.Transport{MaxIdleConnsPerHost: 4}
	toks, err := e.srv.IssueTokens("alice", skillID, nil)
	if err != nil {
		b.Fatal(err)
	}
	rt := toks.RefreshToken
	for b.Loop() {
		res := e.refresh(rt)
		if res.status != 200 {
			b.Fatalf("status %d: %s", res.status, res.body)
		}
		rt = res.str(b, "refresh_token")
	}
	reportRate(b)
}
