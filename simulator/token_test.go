package simulator_test

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asksim/asksim/simulator"
	"github.com/golang-jwt/jwt/v5"
)

func TestToken_RoundTripThroughJWKS(t *testing.T) {
	signer := testKey()
	jwksJSON, err := json.Marshal(signer.JWKS())
	if err != nil {
		t.Fatal(err)
	}
	// A fake in another process only has the JWKS document.
	var jwks simulator.JWKS
	if err := json.Unmarshal(jwksJSON, &jwks); err != nil {
		t.Fatal(err)
	}
	keyfunc, err := jwks.Keyfunc()
	if err != nil {
		t.Fatal(err)
	}
	f := simulator.TokenFor{SkillID: simulator.DefaultSkillID, UserID: "amzn1.ask.account.U", DeviceID: "amzn1.ask.device.D",
		Scopes: []string{simulator.ScopeEmail, simulator.ScopeName}}
	tok, err := signer.APIAccessToken(f)
	if err != nil {
		t.Fatal(err)
	}
	// Verify with golang-jwt directly, as a skill developer's own code would.
	var raw jwt.MapClaims
	parsed, err := jwt.ParseWithClaims(tok, &raw, keyfunc, jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithTimeFunc(func() time.Time { return fixedTime }), jwt.WithAudience(simulator.TokenAudience))
	if err != nil || !parsed.Valid {
		t.Fatalf("golang-jwt rejects the token: %v", err)
	}
	for k, want := range map[string]any{"typ": "JWT", "alg": "RS256", "kid": "1"} {
		if parsed.Header[k] != want {
			t.Errorf("header %s = %v, want %v", k, parsed.Header[k], want)
		}
	}
	if raw["iss"] != "AlexaSkillKit" || raw["sub"] != simulator.DefaultSkillID || raw["aud"] != simulator.TokenAudience {
		t.Errorf("claims = %v", raw)
	}
	if exp, iat := raw["exp"].(float64), raw["iat"].(float64); exp-iat != 3600 || raw["nbf"] != raw["iat"] {
		t.Errorf("lifetime exp-iat = %v, nbf %v iat %v", exp-iat, raw["nbf"], iat)
	}
	claims, err := simulator.ParseToken(tok, keyfunc, func() time.Time { return fixedTime })
	if err != nil {
		t.Fatal(err)
	}
	scopes, _ := claims.Scopes()
	if strings.Join(scopes, ",") != simulator.ScopeEmail+","+simulator.ScopeName {
		t.Errorf("scopes = %v", scopes)
	}
	if claims.PrivateClaims.UserID != f.UserID || claims.PrivateClaims.DeviceID != f.DeviceID {
		t.Errorf("private claims = %+v", claims.PrivateClaims)
	}
	if claims.Granted(simulator.ScopeMobileNumber) {
		t.Error("mobile number granted without consent")
	}
}

func TestToken_Rejections(t *testing.T) {
	signer := testKey()
	now := func() time.Time { return fixedTime }
	f := simulator.TokenFor{SkillID: simulator.DefaultSkillID, UserID: "amzn1.ask.account.U"}
	good, _ := signer.APIAccessToken(f)
	other, err := simulator.NewGeneratedSigner(simulator.WithSignerClock(now))
	if err != nil {
		t.Fatal(err)
	}
	forged, _ := other.APIAccessToken(f)
	wrongAud := signer.Claims(f)
	wrongAud.Audience = "https://example.com"
	wrongAudTok, _ := signer.Sign(wrongAud)
	noUser := signer.Claims(f)
	noUser.PrivateClaims.UserID = ""
	noUserTok, _ := signer.Sign(noUser)

	cases := []struct {
		name  string
		token string
		now   time.Time
		want  []error
	}{
		{"garbage", "not-a-jwt", fixedTime, []error{simulator.ErrTokenMalformed}},
		{"other key", forged, fixedTime, []error{simulator.ErrTokenInvalid, jwt.ErrTokenSignatureInvalid}},
		{"expired", good, fixedTime.Add(time.Hour + time.Second), []error{simulator.ErrTokenInvalid, jwt.ErrTokenExpired}},
		{"not yet valid", good, fixedTime.Add(-time.Minute), []error{simulator.ErrTokenInvalid}},
		{"wrong audience", wrongAudTok, fixedTime, []error{simulator.ErrTokenInvalid, jwt.ErrTokenInvalidAudience}},
		{"no user", noUserTok, fixedTime, []error{simulator.ErrTokenMalformed}},
	}
	for _, c := range cases {
		_, err := simulator.ParseToken(c.token, signer.Keyfunc(), func() time.Time { return c.now })
		for _, w := range c.want {
			if !errors.Is(err, w) {
				t.Errorf("%s: err = %v, want errors.Is %v", c.name, err, w)
			}
		}
	}
}

func TestToken_CachedUntilNearExpiry(t *testing.T) {
	now := fixedTime
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	signer := simulator.NewSigner(testKey().Key(), simulator.WithSignerClock(clock))
	f := simulator.TokenFor{SkillID: simulator.DefaultSkillID, UserID: "u", DeviceID: "d", Scopes: []string{simulator.ScopeEmail}}
	a, _ := signer.APIAccessToken(f)
	b, _ := signer.APIAccessToken(f)
	if a != b {
		t.Error("second call minted a new token instead of reusing the cached one")
	}
	g := f
	g.Scopes = nil
	if c, _ := signer.APIAccessToken(g); c == a {
		t.Error("different consent got the same token")
	}
	mu.Lock()
	now = now.Add(50 * time.Minute) // well before the last tenth of the hour
	mu.Unlock()
	if c, _ := signer.APIAccessToken(f); c != a {
		t.Error("token replaced long before expiry")
	}
	mu.Lock()
	now = fixedTime.Add(55 * time.Minute) // within the last tenth
	mu.Unlock()
	c, _ := signer.APIAccessToken(f)
	if c == a {
		t.Fatal("token near expiry was reused")
	}
	if _, err := simulator.ParseToken(c, signer.Keyfunc(), clock); err != nil {
		t.Errorf("refreshed token does not verify: %v", err)
	}
}

func TestToken_KeyPEMRoundTripAndErrors(t *testing.T) {
	key := testKey().Key()
	back, err := simulator.ParseKeyPEM(simulator.EncodeKeyPEM(key), "k.pem")
	if err != nil || !back.Equal(key) {
		t.Fatalf("PEM round trip: %v", err)
	}
	for _, c := range []struct{ data, want string }{
		{"hello", "k.pem: no PEM block"},
		{"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", `k.pem: PEM block is "CERTIFICATE"`},
		{"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "k.pem:"},
	} {
		if _, err := simulator.ParseKeyPEM([]byte(c.data), "k.pem"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseKeyPEM(%q) err = %v, want %q", c.data, err, c.want)
		}
	}
	if _, err := simulator.LoadKeyFile("does-not-exist.pem"); err == nil || !strings.Contains(err.Error(), "does-not-exist.pem") {
		t.Errorf("missing file error = %v", err)
	}
}

func TestConsent_ScenariosAndScopes(t *testing.T) {
	for _, name := range simulator.Scenarios() {
		c, err := simulator.ParseConsent(name)
		if err != nil {
			t.Fatal(err)
		}
		if c.Scenario() != name || c.String() != name {
			t.Errorf("ParseConsent(%q).Scenario() = %q", name, c.Scenario())
		}
	}
	if c, _ := simulator.ParseConsent(""); c.Scenario() != "none" {
		t.Error("empty scenario is not none")
	}
	_, err := simulator.ParseConsent("everything")
	if err == nil || !strings.Contains(err.Error(), "none, name, email, email+linked") {
		t.Errorf("unknown scenario error = %v, want the four names", err)
	}
	for in, want := range map[string]string{
		"email": simulator.ScopeEmail, "given name": simulator.ScopeGivenName, "given_name": simulator.ScopeGivenName,
		"Mobile Number": simulator.ScopeMobileNumber, "country and postal code": simulator.ScopeCountryAndPostalCode,
		"address": simulator.ScopeAddress, "alexa::alerts:timers:skill:readwrite": simulator.ScopeTimers,
	} {
		if got, err := simulator.ParseScope(in); err != nil || got != want {
			t.Errorf("ParseScope(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := simulator.ParseScope("shoe size"); err == nil || !strings.Contains(err.Error(), "given_name") {
		t.Errorf("unknown scope error = %v, want the list of short names", err)
	}
	c := simulator.ConsentName.Grant(simulator.ScopeEmail, simulator.ScopeName)
	if len(c.Scopes) != 2 || c.Scenario() != "" || c.String() != "email+name" {
		t.Errorf("granted = %+v %q", c, c)
	}
	if simulator.ConsentName.Granted(simulator.ScopeEmail) || len(simulator.ConsentName.Scopes) != 1 {
		t.Error("Grant modified the shared ConsentName value")
	}
	if got := c.Revoke(simulator.ScopeName).Link("t"); got.Scenario() != "email+linked" || got.Unlink().Scenario() != "email" {
		t.Errorf("Revoke/Link/Unlink: %v", got)
	}
}
