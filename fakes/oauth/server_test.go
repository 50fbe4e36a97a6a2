package oauth_test

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/asksim/asksim/fakes/oauth"
)

func TestRevoke_H1_UnknownToken(t *testing.T) {
	e := newEnv(t)
	res := e.post("/revoke", form("token", "never-issued"), skillAuth)
	wantStatus(t, res, http.StatusOK)
	if len(res.body) != 0 {
		t.Errorf("body %q, want empty", res.body)
	}
}

func TestRevoke_H2_ClientAuthRequired(t *testing.T) {
	e := newEnv(t)
	at, _ := e.tokens()
	wantError(t, e.post("/revoke", form("token", at)), http.StatusUnauthorized, oauth.ErrorInvalidClient)
	wantError(t, e.post("/introspect", form("token", at)), http.StatusUnauthorized, oauth.ErrorInvalidClient)
	wantError(t, e.post("/introspect", form("token", at), basic(skillID, "wrong")), http.StatusUnauthorized, oauth.ErrorInvalidClient)
	if e.introspect(at)["active"] != true {
		t.Error("unauthenticated revoke revoked the token")
	}
}

func TestRevoke_H3_HintOnlyNarrowsSearch(t *testing.T) {
	e := newEnv(t)
	for _, hint := range []string{"refresh_token", "made_up_hint"} {
		at, rt := e.tokens()
		wantStatus(t, e.post("/revoke", form("token", at, "token_type_hint", hint), skillAuth), http.StatusOK)
		if info := e.introspect(at); info["active"] != false {
			t.Errorf("hint %s: access token still active", hint)
		}
		if info := e.introspect(rt); info["active"] != true {
			t.Errorf("hint %s: revoking the access token revoked the refresh token", hint)
		}
	}
}

func TestRevoke_H4_RefreshTokenTakesAccessTokens(t *testing.T) {
	e := newEnv(t)
	at, rt := e.tokens()
	wantStatus(t, e.post("/revoke", form("token", rt, "token_type_hint", "refresh_token"), skillAuth), http.StatusOK)
	if info := e.introspect(at); info["active"] != false {
		t.Errorf("access token active after its refresh token was revoked: %v", info)
	}
	wantError(t, e.refresh(rt), http.StatusBadRequest, oauth.ErrorInvalidGrant)
}

func TestRevoke_OtherClientsTokenRefused(t *testing.T) {
	e := newEnv(t, addClient(oauth.Client{ID: "other", Secret: "other-secret", Scheme: oauth.SchemeHTTPBasic, RedirectURIs: []string{pitangui}}))
	at, _ := e.tokens()
	wantError(t, e.post("/revoke", form("token", at), basic("other", "other-secret")), http.StatusBadRequest, oauth.ErrorUnauthorizedClient)
	if e.introspect(at)["active"] != true {
		t.Error("another client revoked the token")
	}
}

func TestIntrospect_H5_InactiveSaysNothingElse(t *testing.T) {
	e := newEnv(t)
	at, rt := e.tokens()
	active := e.introspect(at)
	if active["active"] != true || active["client_id"] != skillID || active["sub"] != "alice" || active["scope"] != "profile" || active["token_type"] != "Bearer" {
		t.Errorf("active token introspection %v", active)
	}
	revokedAT, _ := e.tokens()
	e.post("/revoke", form("token", revokedAT), skillAuth)
	e.clock.Add(time.Hour) // at expires; rt (no TTL) stays
	for name, tok := range map[string]string{"expired": at, "revoked": revokedAT, "garbage": "xyz"} {
		res := e.post("/introspect", form("token", tok), skillAuth)
		wantStatus(t, res, http.StatusOK)
		if strings.TrimSpace(string(res.body)) != `{"active":false}` {
			t.Errorf("%s: body %s, want exactly {\"active\":false}", name, res.body)
		}
	}
	if e.introspect(rt)["active"] != true {
		t.Error("refresh token without TTL expired with its access token")
	}
}

func TestServer_I1_LoopbackOnly(t *testing.T) {
	for _, ok := range []string{"127.0.0.1:0", "[::1]:8080", "localhost:9", "127.9.9.9:1"} {
		if err := oauth.LoopbackOnly(ok); err != nil {
			t.Errorf("LoopbackOnly(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"0.0.0.0:80", ":80", "10.0.0.1:1", "[::]:1", "example.com:443", "nonsense"} {
		if err := oauth.LoopbackOnly(bad); err == nil {
			t.Errorf("LoopbackOnly(%q) = nil, want an error", bad)
		}
	}
	// The handler itself never listens: the test server chooses the address.
	e := newEnv(t)
	if u, _ := url.Parse(e.ts.URL); u.Hostname() != "127.0.0.1" {
		t.Errorf("test server on %s", u.Host)
	}
}

func TestLog_I2_RequestLogRedacted(t *testing.T) {
	e := newEnv(t, bodyClient)
	code := e.code(authQuery("code_challenge", challenge, "code_challenge_method", "S256"))
	res := e.exchange(code, "code_verifier", verifier)
	at, rt := res.str(t, "access_token"), res.str(t, "refresh_token")
	e.refresh(rt)
	e.post("/revoke", form("token", at), skillAuth)
	bodyCode := e.code(authQuery("client_id", "body-skill"))
	e.post("/token", form("grant_type", "authorization_code", "code", bodyCode, "redirect_uri", pitangui, "client_id", "body-skill", "client_secret", "body-secret"))

	reqs := e.srv.Requests()
	dump := fmt.Sprintf("%+v", reqs)
	for _, secret := range []string{skillSec, "body-secret", "alice-password", code, bodyCode, verifier, at, rt, "Basic YWxle"} {
		if strings.Contains(dump, secret) {
			t.Errorf("log contains %.20s…", secret)
		}
	}
	tokenReqs := e.srv.RequestsTo("/token")
	if len(tokenReqs) != 3 {
		t.Fatalf("%d /token requests logged, want 3", len(tokenReqs))
	}
	first := tokenReqs[0]
	if first.ClientID != skillID || first.Grant != "authorization_code" || first.Outcome != "ok" || first.Status != 200 || first.AuthScheme != oauth.SchemeHTTPBasic {
		t.Errorf("first /token entry %+v", first)
	}
	if got, want := first.Params["code"], oauth.Redact(code); got != want {
		t.Errorf("code shown as %q, want %q", got, want)
	}
	if !strings.HasPrefix(first.Params["authorization"], "Basic sha256:") {
		t.Errorf("authorization shown as %q", first.Params["authorization"])
	}
	if last := tokenReqs[2]; last.AuthScheme != oauth.SchemeRequestBody || last.Params["client_secret"] != oauth.Redact("body-secret") {
		t.Errorf("body-credentials entry %+v", last)
	}
	var logins int
	for _, r := range e.srv.RequestsTo("/authorize") {
		if r.Method == http.MethodPost {
			logins++
			if r.Params["password"] != oauth.Redact("alice-password") {
				t.Errorf("password shown as %q", r.Params["password"])
			}
		}
	}
	if logins != 2 {
		t.Errorf("%d login posts logged, want 2", logins)
	}
	e.srv.Reset()
	if n := len(e.srv.Requests()); n != 0 {
		t.Errorf("%d requests after Reset", n)
	}
}

func TestLog_OutcomeOfErrors(t *testing.T) {
	e := newEnv(t)
	e.exchange("nope")
	reqs := e.srv.RequestsTo("/token")
	if len(reqs) != 1 || reqs[0].Outcome != oauth.ErrorInvalidGrant || reqs[0].Status != 400 {
		t.Errorf("log %+v", reqs)
	}
}

func TestUserinfo_ClaimsPerUser(t *testing.T) {
	e := newEnv(t)
	for user, want := range map[string]map[string]any{
		"alice": {"sub": "alice", "name": "Alice Example", "email": "alice@example.com"},
		"bob":   {"sub": "bob", "name": "Bob Example"},
	} {
		toks, err := e.srv.IssueTokens(user, skillID, nil)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/userinfo", nil)
		req.Header.Set("Authorization", "Bearer "+toks.AccessToken)
		res := e.do(req)
		wantStatus(t, res, http.StatusOK)
		got := res.json(t)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: userinfo %v, want %v", user, got, want)
		}
	}
}

func TestUserinfo_BadTokenChallenge(t *testing.T) {
	e := newEnv(t)
	_, rt := e.tokens()
	for name, h := range map[string]string{"garbage": "Bearer garbage", "refresh token": "Bearer " + rt} {
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/userinfo", nil)
		req.Header.Set("Authorization", h)
		res := e.do(req)
		wantError(t, res, http.StatusUnauthorized, oauth.ErrorInvalidToken)
		if !strings.Contains(res.header.Get("WWW-Authenticate"), `error="invalid_token"`) {
			t.Errorf("%s: WWW-Authenticate %q", name, res.header.Get("WWW-Authenticate"))
		}
	}
	// No bearer credentials at all (none, or another scheme): a bare
	// challenge and no error information (RFC 6750 §3.1).
	for name, h := range map[string]string{"none": "", "basic": "Basic eDp5"} {
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/userinfo", nil)
		if h != "" {
			req.Header.Set("Authorization", h)
		}
		res := e.do(req)
		if res.status != http.StatusUnauthorized || res.header.Get("WWW-Authenticate") != `Bearer realm="asksim-oauth"` || len(res.body) != 0 {
			t.Errorf("%s: status %d, challenge %q, body %q", name, res.status, res.header.Get("WWW-Authenticate"), res.body)
		}
	}
}

func TestDiscovery_D5_MetadataAndJWKS(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"} {
		res := e.get(path)
		wantStatus(t, res, http.StatusOK)
		m := res.json(t)
		if m["issuer"] != e.ts.URL || m["token_endpoint"] != e.ts.URL+"/token" || m["authorization_endpoint"] != e.ts.URL+"/authorize" {
			t.Errorf("%s: %s", path, res.body)
		}
		if fmt.Sprint(m["code_challenge_methods_supported"]) != "[S256]" {
			t.Errorf("%s: code_challenge_methods_supported %v", path, m["code_challenge_methods_supported"])
		}
		if fmt.Sprint(m["token_endpoint_auth_methods_supported"]) != "[client_secret_basic client_secret_post]" {
			t.Errorf("%s: token_endpoint_auth_methods_supported %v", path, m["token_endpoint_auth_methods_supported"])
		}
	}

	// The access token is an RS256 JWT verifiable with the published key.
	at, _ := e.tokens()
	var jwks struct {
		Keys []struct{ Kid, Kty, Alg, N, E string } `json:"keys"`
	}
	if err := json.Unmarshal(e.get("/jwks.json").body, &jwks); err != nil || len(jwks.Keys) != 1 {
		t.Fatalf("jwks: %v %+v", err, jwks)
	}
	claims := jwt.MapClaims{}
	tok, err := jwt.ParseWithClaims(at, claims, func(tok *jwt.Token) (any, error) {
		if tok.Header["kid"] != jwks.Keys[0].Kid {
			return nil, errors.New("unknown kid")
		}
		return rsaKey(t, jwks.Keys[0].N, jwks.Keys[0].E), nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(e.clock.Now), jwt.WithIssuer(e.ts.URL))
	if err != nil || !tok.Valid {
		t.Fatalf("access token does not verify: %v", err)
	}
	if claims["sub"] != "alice" || claims["client_id"] != skillID || claims["scope"] != "profile" {
		t.Errorf("claims %v", claims)
	}
}

func TestConfig_OpaqueAccessTokens(t *testing.T) {
	e := newEnv(t, func(c *oauth.Config) { c.AccessTokenFormat = oauth.FormatOpaque })
	at, _ := e.tokens()
	if strings.Count(at, ".") != 0 || len(at) != 43 {
		t.Errorf("opaque token %q", at)
	}
}

func TestFault_StatusMalformedDrop(t *testing.T) {
	e := newEnv(t)
	e.srv.Fail("/token", 1, oauth.Fault{Status: 503, Body: `{"error":"temporarily_unavailable"}`})
	e.srv.Fail("/token", 1, oauth.Fault{MalformedBody: true})
	e.srv.Fail("/token", 1, oauth.Fault{DropConnection: true})
	code := e.code(authQuery())

	res := e.exchange(code)
	if res.status != 503 || res.header.Get("Content-Type") != "application/json" {
		t.Errorf("scripted status: %d %q", res.status, res.header.Get("Content-Type"))
	}
	res = e.exchange(code)
	if res.status != 200 || json.Valid(res.body) {
		t.Errorf("malformed: status %d body %q", res.status, res.body)
	}
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/token", strings.NewReader(form("grant_type", "authorization_code", "code", code, "redirect_uri", pitangui).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	skillAuth(req)
	if resp, err := e.http.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("dropped connection answered %d", resp.StatusCode)
	}
	wantStatus(t, e.exchange(code), http.StatusOK) // faults used up; the code was never consumed
	if got := e.srv.RequestsTo("/token"); len(got) != 4 || got[0].Outcome != "fault" || got[3].Outcome != "ok" {
		t.Errorf("log %+v", got)
	}
}

func TestFault_DelayHonouredAndCancelled(t *testing.T) {
	e := newEnv(t)
	e.srv.Fail("/auth/O2/token", 1, oauth.Fault{Delay: 50 * time.Millisecond})
	start := time.Now()
	res := e.post("/auth/o2/token", form("grant_type", "client_credentials", "client_id", lwaID, "client_secret", lwaSecret, "scope", "alexa:skill_messaging"))
	wantStatus(t, res, http.StatusOK) // a pure delay lets the real handler answer
	if took := time.Since(start); took < 50*time.Millisecond {
		t.Errorf("answered after %v, want >= 50ms", took)
	}

	// A long delay ends as soon as the client gives up, with or without
	// a scripted answer after it.
	for _, f := range []oauth.Fault{{Delay: time.Hour, Status: 500}, {Delay: time.Hour}} {
		e.srv.Fail("/token", 1, f)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.ts.URL+"/token", strings.NewReader("grant_type=x"))
		if _, err := e.http.Do(req); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want deadline exceeded", err)
		}
		cancel()
	}
	e.ts.Close() // waits for handlers: returns only because the delays stopped
}

func TestFault_NClearedByZero(t *testing.T) {
	e := newEnv(t)
	e.srv.Fail("/userinfo", 5, oauth.Fault{Status: 500})
	e.srv.Fail("/userinfo", 0, oauth.Fault{})
	if res := e.get("/userinfo"); res.status != http.StatusUnauthorized {
		t.Errorf("status %d after clearing faults", res.status)
	}
}

func TestServer_NoCORSAnywhere(t *testing.T) {
	e := newEnv(t)
	for _, p := range []string{"/token", "/userinfo", "/jwks.json", "/.well-known/openid-configuration", "/introspect", "/auth/o2/token"} {
		req, _ := http.NewRequest(http.MethodOptions, e.ts.URL+p, nil)
		req.Header.Set("Origin", "https://evil.test")
		for k := range e.do(req).header {
			if strings.HasPrefix(strings.ToLower(k), "access-control-") {
				t.Errorf("%s: %s", p, k)
			}
		}
	}
}

func TestServer_IssuerFromConfig(t *testing.T) {
	srv, err := oauth.New(func() oauth.Config {
		c := oauth.DefaultConfig()
		c.Issuer = "https://auth.example.test/"
		c.SigningKey = testKey()
		return c
	}())
	if err != nil {
		t.Fatal(err)
	}
	rr := httptest.NewRecorder()
	srv.ServeHTTP(rr, httptest.NewRequest(http.MethodGet, "/.well-known/oauth-authorization-server", nil))
	var m map[string]any
	json.Unmarshal(rr.Body.Bytes(), &m)
	if m["issuer"] != "https://auth.example.test" || m["jwks_uri"] != "https://auth.example.test/jwks.json" {
		t.Errorf("metadata %v", m)
	}
}

func rsaKey(t testing.TB, n, e string) any {
	t.Helper()
	nb, err1 := base64.RawURLEncoding.DecodeString(n)
	eb, err2 := base64.RawURLEncoding.DecodeString(e)
	if err1 != nil || err2 != nil {
		t.Fatalf("jwk: %v %v", err1, err2)
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(nb), E: int(new(big.Int).SetBytes(eb).Int64())}
}
