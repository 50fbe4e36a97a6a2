package oauth

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is safe for concurrent use.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newStoreServer(t testing.TB, adjust func(*Config)) (*Server, *fakeClock) {
	t.Helper()
	clk := &fakeClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	cfg := DefaultConfig()
	cfg.Now = clk.now
	cfg.AccessTokenFormat = FormatOpaque
	if adjust != nil {
		adjust(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, clk
}

func (s *Server) holds(value string) (code, token bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, code = s.codes[digest(value)]
	_, token = s.tokens[digest(value)]
	return code, token
}

func (s *Server) sizes() (codes, tokens int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.codes), len(s.tokens)
}

const alexaPitangui = "https://pitangui.amazon.com/api/skill/link/M2ASKSIMVENDOR"

// post runs a form POST through the handler with the Alexa client's Basic
// credentials.
func (s *Server) post(t testing.TB, path string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("alexa-skill", "alexa-skill-secret")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	return w
}

// TestStore_SweepForgetsWhatCannotBeUsed is issue 14 defect 2's expiry
// half: each record goes once its lifetime is over, and not before.
func TestStore_SweepForgetsWhatCannotBeUsed(t *testing.T) {
	s, clk := newStoreServer(t, func(c *Config) { c.RefreshTokenTTL = 2 * time.Hour })
	unused, _ := s.IssueCode("alice", "alexa-skill", alexaPitangui, nil)
	redeemed, _ := s.IssueCode("alice", "alexa-skill", alexaPitangui, nil)
	if w := s.post(t, "/token", url.Values{"grant_type": {"authorization_code"}, "code": {redeemed}, "redirect_uri": {alexaPitangui}}); w.Code != 200 {
		t.Fatalf("exchange: %d %s", w.Code, w.Body)
	}
	live, _ := s.IssueTokens("alice", "alexa-skill", nil)
	dead, _ := s.IssueTokens("bob", "alexa-skill", nil)
	s.revoke(dead.RefreshToken, "alexa-skill") // takes its access token along

	trigger := func() { s.IssueCode("alice", "alexa-skill", alexaPitangui, nil) } // filing a record sweeps when due
	want := func(step string, value string, kept bool) {
		t.Helper()
		code, token := s.holds(value)
		if code || token != kept {
			t.Errorf("%s: held = %v/%v, want %v", step, code, token, kept)
		}
	}
	wantCode := func(step, value string, kept bool) {
		t.Helper()
		if code, _ := s.holds(value); code != kept {
			t.Errorf("%s: code held = %v, want %v", step, code, kept)
		}
	}

	clk.add(30 * time.Second)
	trigger() // not due: the first sweep ran when the first record was filed
	wantCode("before a minute", unused, true)
	want("before a minute", dead.AccessToken, true)

	clk.add(31 * time.Second) // past the code TTL and the sweep interval
	trigger()
	wantCode("after the code TTL", unused, false)
	wantCode("after the code TTL", redeemed, true) // a replay must still revoke its tokens
	want("revoked family", dead.AccessToken, false)
	want("revoked family", dead.RefreshToken, false)
	want("live", live.AccessToken, true)

	clk.add(time.Hour)
	trigger()
	want("after the access TTL", live.AccessToken, false)
	want("after the access TTL", live.RefreshToken, true)
	wantCode("after the access TTL", redeemed, true)

	clk.add(time.Hour)
	trigger()
	want("after the refresh TTL", live.RefreshToken, false)
	wantCode("after the refresh TTL", redeemed, false) // nothing it led to is left
	if codes, tokens := s.sizes(); codes != 1 || tokens != 0 {
		t.Errorf("after every lifetime: %d codes, %d tokens; want only the newest code", codes, tokens)
	}
}

// TestStore_MaxTokensForgetsTheOldestFirst is the bound for tokens that
// never expire (refresh tokens by default).
func TestStore_MaxTokensForgetsTheOldestFirst(t *testing.T) {
	var logged []string
	s, clk := newStoreServer(t, func(c *Config) {
		c.MaxTokens = 8
		c.Logf = func(f string, a ...any) { logged = append(logged, fmt.Sprintf(f, a...)) }
	})
	var pairs []TokenResponse
	for i := 0; i < 5; i++ { // two tokens each: the fifth pair crosses 8
		clk.add(time.Second)
		p, err := s.IssueTokens("alice", "alexa-skill", nil)
		if err != nil {
			t.Fatal(err)
		}
		pairs = append(pairs, p)
	}
	_, tokens := s.sizes()
	if tokens != 6 { // trimmed to three quarters of MaxTokens
		t.Errorf("%d tokens held, want 6", tokens)
	}
	for i, p := range pairs {
		_, kept := s.holds(p.RefreshToken)
		if kept != (i >= 2) {
			t.Errorf("pair %d kept = %v", i, kept)
		}
	}
	if len(logged) != 1 || !strings.Contains(logged[0], "forgot the oldest 0 codes and 4 tokens") {
		t.Errorf("log %q", logged)
	}

	// Rotated-out refresh tokens go before any token still in use.
	clk.add(time.Second)
	w := s.post(t, "/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {pairs[4].RefreshToken}})
	if w.Code != 200 {
		t.Fatalf("refresh: %d %s", w.Code, w.Body)
	}
	successor := w.Body.String()
	clk.add(time.Second)
	s.IssueTokens("alice", "alexa-skill", nil) // 10 tokens: 4 go
	if _, kept := s.holds(pairs[4].RefreshToken); kept {
		t.Errorf("the rotated-out refresh token outlived older tokens still in use")
	}
	if _, kept := s.holds(pairs[4].AccessToken); !kept {
		t.Errorf("an access token in use went before older ones")
	}
	for _, tok := range []string{pairs[2].AccessToken, pairs[2].RefreshToken} {
		if _, kept := s.holds(tok); kept {
			t.Errorf("the oldest tokens outlived the eviction")
		}
	}
	if !strings.Contains(successor, `"refresh_token"`) {
		t.Errorf("refresh answered %s", successor)
	}
}

// TestRefresh_ResetBetweenCheckAndRotation is issue 14 defect 7 made
// deterministic: the Reset lands exactly between the check of the refresh
// token and its rotation, where the handler once met a nil record.
func TestRefresh_ResetBetweenCheckAndRotation(t *testing.T) {
	off := false
	for name, rotate := range map[string]*bool{"rotation": nil, "no rotation": &off} {
		t.Run(name, func(t *testing.T) {
			s, _ := newStoreServer(t, func(c *Config) { c.Clients[0].RotateRefreshTokens = rotate })
			toks, err := s.IssueTokens("alice", "alexa-skill", nil)
			if err != nil {
				t.Fatal(err)
			}
			s.hookBeforeRotate = s.Reset
			w := s.post(t, "/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {toks.RefreshToken}})
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"invalid_grant"`) {
				t.Errorf("refresh across a Reset: %d %s, want 400 invalid_grant", w.Code, w.Body)
			}
			if codes, tokens := s.sizes(); codes != 0 || tokens != 0 {
				t.Errorf("tokens of a grant begun before Reset were filed after it: %d codes, %d tokens", codes, tokens)
			}
		})
	}
}

// fillStore files n access tokens and n codes, none expired.
func fillStore(s *Server, n int) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	f := &family{forever: true}
	for i := len(s.tokens); i < n; i++ {
		v := fmt.Sprint("token-", i)
		s.tokens[digest(v)] = &tokenRecord{kind: accessToken, clientID: "alexa-skill", issuedAt: now.Add(time.Duration(i)), expires: now.Add(time.Hour), family: f}
	}
	for i := len(s.codes); i < n; i++ {
		s.codes[digest(fmt.Sprint("code-", i))] = &codeRecord{clientID: "alexa-skill", expires: now.Add(time.Minute)}
	}
}

// BenchmarkSweep is what bounding the store costs: a sweep of a full store
// (DefaultMaxTokens codes and as many tokens, none of them expired) and an
// eviction from it, each as a multiple of one token request measured in the
// same run. A sweep runs at most once a minute of the clock; an eviction
// once per DefaultMaxTokens/4 records filed.
func BenchmarkSweep(b *testing.B) {
	// The baseline: a request that files a token and never sweeps (the
	// clock stands still, and the bound is out of reach).
	base, _ := newStoreServer(b, func(c *Config) { c.MaxTokens = 1 << 30 })
	s, _ := newStoreServer(b, nil)
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"amzn1.application-oa2-client.asksim"},
		"client_secret": {"asksim-lwa-secret"}, "scope": {"alexa:skill_messaging"}}
	request := func() {
		req := httptest.NewRequest(http.MethodPost, "/auth/o2/token", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		base.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
	const baseN = 20000
	request() // the first one sweeps the empty store
	start := time.Now()
	for range baseN {
		request()
	}
	perRequest := float64(time.Since(start).Nanoseconds()) / baseN

	b.Run("scan", func(b *testing.B) {
		fillStore(s, DefaultMaxTokens)
		for b.Loop() {
			s.mu.Lock()
			s.sweepLocked(s.now())
			s.mu.Unlock()
		}
		b.ReportMetric(perRequest, "ns/request")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/perRequest, "requests/sweep")
	})
	b.Run("evict", func(b *testing.B) {
		s.Reset()
		var spent time.Duration
		for b.Loop() {
			b.StopTimer()
			fillStore(s, DefaultMaxTokens+1)
			b.StartTimer()
			t0 := time.Now()
			s.mu.Lock()
			s.sweepLocked(s.now())
			s.mu.Unlock()
			spent += time.Since(t0)
		}
		perEvict := float64(spent.Nanoseconds()) / float64(b.N)
		b.ReportMetric(perEvict/perRequest, "requests/evict")
		b.ReportMetric(perEvict/float64(DefaultMaxTokens/4)/perRequest*100, "%-per-grant")
	})
}
