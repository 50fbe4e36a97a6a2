package link_test

// End-to-end: the linker against asksim's strict OAuth fake. This external
// test package may import fakes; package simulator never does.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/oauth"
	"github.com/asksim/asksim/internal/testutil"
	"github.com/asksim/asksim/simulator/link"
)

type fakeAS struct {
	*oauth.Server
	ts *httptest.Server
}

func newFake(t *testing.T, mod func(*oauth.Config)) *fakeAS {
	t.Helper()
	srv, ts := testutil.OAuthFake(t, mod)
	return &fakeAS{srv, ts}
}

func (f *fakeAS) config() link.Config {
	return link.Config{
		AuthorizationURL: f.ts.URL + "/authorize",
		TokenURL:         f.ts.URL + "/token",
		ClientID:         "alexa-skill",
		ClientSecret:     "alexa-skill-secret",
		Scopes:           []string{"profile", "user-read-email"},
		Username:         "alice",
		Password:         "alice-password",
		HTTPClient:       f.ts.Client(),
	}
}

func TestLinkFakeEndToEnd(t *testing.T) {
	for _, region := range []string{"NA", "EU", "FE"} {
		t.Run(region, func(t *testing.T) {
			f := newFake(t, nil)
			cfg := f.config()
			cfg.Region = region
			cfg.PKCE = region == "EU"
			res := runLink(t, cfg)
			if res.Report.Failed() {
				t.Fatalf("the fake failed:\n%s", res.Report)
			}
			for _, c := range res.Report.Checks {
				if c.Status != link.Pass && c.Rule != link.RuleHTTPS {
					t.Errorf("%s %s: %s", c.Status, c.Rule, c.Message)
				}
			}
			var grants []string
			for _, r := range f.RequestsTo("/token") {
				if r.AuthScheme != oauth.SchemeHTTPBasic || r.Outcome != "ok" {
					t.Errorf("token request %+v", r)
				}
				grants = append(grants, r.Grant)
			}
			if strings.Join(grants, ",") != "authorization_code,refresh_token" {
				t.Errorf("grants %v", grants)
			}
			// The token is the fake's own: its resource server knows alice.
			tok, err := res.Account.AccessToken(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest(http.MethodGet, f.ts.URL+"/userinfo", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := f.ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var claims map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&claims); err != nil || claims["sub"] != "alice" {
				t.Errorf("userinfo %d %v %v", resp.StatusCode, claims, err)
			}
		})
	}
}

func TestLinkFakeRefreshOnExpiry(t *testing.T) {
	clock := newClock()
	f := newFake(t, func(c *oauth.Config) { c.Now = clock.Now })
	cfg := f.config()
	cfg.Now = clock.Now
	res := runLink(t, cfg)
	if res.Account == nil {
		// Once seen in CI on a loaded machine: say why, not a nil panic.
		t.Fatalf("not linked:\n%s", res.Report)
	}
	before := res.Account.Tokens()
	clock.Add(time.Hour + time.Second)
	tok, err := res.Account.AccessToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok == before.AccessToken || res.Account.Tokens().RefreshToken == before.RefreshToken {
		t.Error("expired token not refreshed (the fake rotates refresh tokens)")
	}
	if n := len(f.RequestsTo("/token")); n != 3 {
		t.Errorf("%d token requests, want 3 (code, link-time refresh, expiry refresh)", n)
	}
}

func TestLinkFakeBodySchemeRefused(t *testing.T) {
	f := newFake(t, nil)
	cfg := f.config()
	cfg.Scheme = "body" // the fake's client is registered HTTP_BASIC (row B6)
	res := runLink(t, cfg)
	wantCheck(t, res.Report, link.RuleTokenResponse, link.Fail, "401", "invalid_client")
	onlyFailure(t, res.Report, link.RuleTokenResponse)
}

func TestLinkFakeWrongPassword(t *testing.T) {
	f := newFake(t, nil)
	cfg := f.config()
	cfg.Password = "wrong"
	res := runLink(t, cfg)
	wantCheck(t, res.Report, link.RuleAuthorizeRedir, link.Fail, "login form came back", "Wrong username or password.")
}

func TestLinkFakeUnknownVendor(t *testing.T) {
	f := newFake(t, nil)
	cfg := f.config()
	cfg.VendorID = "M9OTHERVENDOR"
	res := runLink(t, cfg)
	wantCheck(t, res.Report, link.RuleAuthorizePage, link.Fail, "400")
}

func TestLinkFakeScopeRefused(t *testing.T) {
	f := newFake(t, nil)
	cfg := f.config()
	cfg.Scopes = []string{"admin"}
	res := runLink(t, cfg)
	wantCheck(t, res.Report, link.RuleAuthorizeCode, link.Fail, "error=invalid_scope")
}

// TestLinkFakeSlowToken: the fake delays /token by 6 s; the linker's
// Timeout is lowered to 100ms so the test does not wait (the default,
// 4.5 s, is asserted in TestLinkAlexaTimeoutDefault).
func TestLinkFakeSlowToken(t *testing.T) {
	f := newFake(t, nil)
	f.Fail("/token", 1, oauth.Fault{Delay: 6 * time.Second})
	cfg := f.config()
	cfg.Timeout = 100 * time.Millisecond
	start := time.Now()
	res := runLink(t, cfg)
	wantCheck(t, res.Report, link.RuleTokenLatency, link.Fail, "no answer within 100ms")
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestLinkFakeFaults(t *testing.T) {
	cases := []struct {
		name  string
		real  int // token answers left alone before the fault
		fault oauth.Fault
		rule  string
		msg   string
	}{
		{"malformed JSON", 0, oauth.Fault{MalformedBody: true}, link.RuleTokenResponse, "not a JSON object"},
		{"server error", 0, oauth.Fault{Status: 503, Body: `{"error":"temporarily_unavailable"}`}, link.RuleTokenResponse, "503 Service Unavailable error=temporarily_unavailable"},
		{"dropped connection", 0, oauth.Fault{DropConnection: true}, link.RuleTokenResponse, "EOF"},
		{"refresh refused", 1, oauth.Fault{Status: 400, Body: `{"error":"invalid_grant"}`}, link.RuleRefreshResponse, "400 Bad Request error=invalid_grant"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, nil)
			if tc.real > 0 {
				f.Fail("/token", tc.real, oauth.Fault{}) // an empty fault lets the real handler answer
			}
			f.Fail("/token", 1, tc.fault)
			res := runLink(t, f.config())
			wantCheck(t, res.Report, tc.rule, link.Fail, tc.msg)
			onlyFailure(t, res.Report, tc.rule)
		})
	}
}

// TestAccountRequestToken plays what Alexa puts in user.accessToken before
// each request (docs/alexa-contract.md §8.6) against the fake's tokens.
func TestAccountRequestToken(t *testing.T) {
	setup := func(t *testing.T) (*fakeAS, *link.Account, *testutil.Clock) {
		clock := newClock()
		f := newFake(t, func(c *oauth.Config) { c.Now = clock.Now })
		cfg := f.config()
		cfg.Now = clock.Now
		return f, runLink(t, cfg).Account, clock
	}
	ctx := context.Background()

	t.Run("valid token as it is", func(t *testing.T) {
		_, acct, _ := setup(t)
		tok, note, err := acct.RequestToken(ctx)
		if err != nil || tok != acct.Tokens().AccessToken || note != "" {
			t.Errorf("RequestToken = %.12q, %q, %v", tok, note, err)
		}
	})
	t.Run("expired: refreshed first", func(t *testing.T) {
		f, acct, clock := setup(t)
		old := acct.Tokens()
		clock.Add(time.Hour)
		tok, note, err := acct.RequestToken(ctx)
		if err != nil || tok == old.AccessToken || !strings.Contains(note, "refreshed") {
			t.Fatalf("RequestToken = %.12q, %q, %v", tok, note, err)
		}
		if _, why := introspect(t, f, tok); why != "" {
			t.Errorf("refreshed token: %s", why)
		}
	})
	t.Run("refresh refused: tokens deleted, no token sent", func(t *testing.T) {
		f, acct, _ := setup(t)
		if err := f.RevokeGrant(acct.Tokens().RefreshToken); err != nil {
			t.Fatal(err)
		}
		acct.Expire()
		tok, note, err := acct.RequestToken(ctx)
		if err != nil || tok != "" || !strings.Contains(note, "invalid_grant") || !strings.Contains(note, "link again") {
			t.Fatalf("RequestToken = %q, %q, %v", tok, note, err)
		}
		if acct.Linked() || acct.Tokens() != (link.Tokens{}) {
			t.Errorf("tokens kept after a refused refresh: linked %v, %+v", acct.Linked(), acct.Tokens())
		}
		n := len(f.RequestsTo("/token"))
		if tok, note, err := acct.RequestToken(ctx); tok != "" || note != "" || err != nil {
			t.Errorf("after deletion: %q, %q, %v", tok, note, err)
		}
		if _, err := acct.AccessToken(ctx); !errors.Is(err, link.ErrRelinkRequired) {
			t.Errorf("AccessToken after deletion: %v", err)
		}
		if got := len(f.RequestsTo("/token")); got != n {
			t.Errorf("Alexa asked the token endpoint again after deleting the tokens")
		}
	})
	t.Run("refresh fails otherwise: the expired token is sent", func(t *testing.T) {
		f, acct, _ := setup(t)
		old := acct.Tokens()
		acct.Expire()
		f.Fail("/token", 1, oauth.Fault{Status: 503})
		tok, note, err := acct.RequestToken(ctx)
		if err != nil || tok != old.AccessToken || !strings.Contains(note, "503") || !acct.Linked() {
			t.Fatalf("RequestToken = %.12q, %q, %v, linked %v", tok, note, err, acct.Linked())
		}
		// The next request tries again, and the server is back.
		if tok, note, _ := acct.RequestToken(ctx); tok == old.AccessToken || !strings.Contains(note, "refreshed") {
			t.Errorf("second try: %.12q, %q", tok, note)
		}
	})
	t.Run("no refresh token: the expired token is sent", func(t *testing.T) {
		clock := newClock()
		f := newFake(t, func(c *oauth.Config) {
			c.Now = clock.Now
			c.Clients[0].Grants = []string{oauth.GrantAuthorizationCode}
		})
		cfg := f.config()
		cfg.Now = clock.Now
		res, err := link.Run(ctx, cfg) // the report fails its refresh rules; the account still links
		if res == nil || res.Account == nil {
			t.Fatalf("Run: %v", err)
		}
		old := res.Account.Tokens()
		clock.Add(time.Hour)
		tok, note, err := res.Account.RequestToken(ctx)
		if err != nil || tok != old.AccessToken || !strings.Contains(note, "no refresh token") || !res.Account.Linked() {
			t.Errorf("RequestToken = %.12q, %q, %v", tok, note, err)
		}
	})
	t.Run("ctx ended", func(t *testing.T) {
		_, acct, _ := setup(t)
		acct.Expire()
		done, cancel := context.WithCancel(ctx)
		cancel()
		if _, _, err := acct.RequestToken(done); !errors.Is(err, context.Canceled) {
			t.Errorf("RequestToken with an ended ctx: %v", err)
		}
	})
}

// introspect asks the fake whether tok is active; why is "" when it is.
func introspect(t *testing.T, f *fakeAS, tok string) (map[string]any, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.ts.URL+"/introspect", strings.NewReader("token="+tok))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("alexa-skill", "alexa-skill-secret")
	resp, err := f.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	json.NewDecoder(resp.Body).Decode(&m)
	if m["active"] != true {
		return m, "inactive"
	}
	return m, ""
}

// The evidence of a failed login shows what the page said, not only its
// title: the fake's message sits past the first 512 bytes of the page.
func TestLinkFakeWrongPasswordEvidence(t *testing.T) {
	f := newFake(t, nil)
	cfg := f.config()
	cfg.Password = "wrong"
	res := runLink(t, cfg)
	c := wantCheck(t, res.Report, link.RuleAuthorizeRedir, link.Fail)
	if c.Evidence == nil || c.Evidence.Response == nil {
		t.Fatalf("no response evidence: %+v", c)
	}
	r := c.Evidence.Response
	if r.Message != "Wrong username or password." || !strings.Contains(r.Text, "Wrong username or password.") {
		t.Errorf("evidence: message %q, text %q", r.Message, r.Text)
	}
	if strings.Contains(r.Body, "Wrong username") {
		t.Fatal("the message is within the body excerpt: this test no longer tests the cut")
	}
	if text := res.Report.String(); !strings.Contains(text, `page says: "Wrong username or password."`) {
		t.Errorf("the text report does not show what the page said:\n%s", text)
	}
}
