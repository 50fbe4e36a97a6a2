package apitoken_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asksim/asksim/internal/testutil"
	"github.com/asksim/asksim/simulator/alexa"
	"github.com/asksim/asksim/simulator/apitoken"
	"github.com/golang-jwt/jwt/v5"
)

func TestToken_RoundTripThroughJWKS(t *testing.T) {
	signer := testutil.Signer()
	jwksJSON, err := json.Marshal(signer.JWKS())
	if err != nil {
		t.Fatal(err)
	}
	// A fake in another process only has the JWKS document.
	var jwks apitoken.JWKS
	if err := json.Unmarshal(jwksJSON, &jwks); err != nil {
		t.Fatal(err)
	}
	keyfunc, err := jwks.Keyfunc()
	if err != nil {
		t.Fatal(err)
	}
	f := apitoken.For{SkillID: skillID, UserID: "amzn1.ask.account.U", DeviceID: "amzn1.ask.device.D",
		Scopes: []string{alexa.ScopeEmail, alexa.ScopeName}}
	tok, err := signer.APIAccessToken(f)
	if err != nil {
		t.Fatal(err)
	}
	// Verify with golang-jwt directly, as a skill developer's own code would.
	var raw jwt.MapClaims
	parsed, err := jwt.ParseWithClaims(tok, &raw, keyfunc, jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithTimeFunc(func() time.Time { return testutil.FixedTime }), jwt.WithAudience(apitoken.Audience))
	if err != nil || !parsed.Valid {
		t.Fatalf("golang-jwt rejects the token: %v", err)
	}
	for k, want := range map[string]any{"typ": "JWT", "alg": "RS256", "kid": "1"} {
		if parsed.Header[k] != want {
			t.Errorf("header %s = %v, want %v", k, parsed.Header[k], want)
		}
	}
	if raw["iss"] != "AlexaSkillKit" || raw["sub"] != skillID || raw["aud"] != apitoken.Audience {
		t.Errorf("claims = %v", raw)
	}
	if exp, iat := raw["exp"].(float64), raw["iat"].(float64); exp-iat != 3600 || raw["nbf"] != raw["iat"] {
		t.Errorf("lifetime exp-iat = %v, nbf %v iat %v", exp-iat, raw["nbf"], iat)
	}
	claims, err := apitoken.Parse(tok, keyfunc, func() time.Time { return testutil.FixedTime })
	if err != nil {
		t.Fatal(err)
	}
	scopes, _ := claims.Scopes()
	if strings.Join(scopes, ",") != alexa.ScopeEmail+","+alexa.ScopeName {
		t.Errorf("scopes = %v", scopes)
	}
	if claims.PrivateClaims.UserID != f.UserID || claims.PrivateClaims.DeviceID != f.DeviceID {
		t.Errorf("private claims = %+v", claims.PrivateClaims)
	}
	if claims.Granted(alexa.ScopeMobileNumber) {
		t.Error("mobile number granted without consent")
	}
}

func TestToken_Rejections(t *testing.T) {
	signer := testutil.Signer()
	now := func() time.Time { return testutil.FixedTime }
	f := apitoken.For{SkillID: skillID, UserID: "amzn1.ask.account.U"}
	good, _ := signer.APIAccessToken(f)
	other, err := apitoken.NewGeneratedSigner(apitoken.WithClock(now))
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
		{"garbage", "not-a-jwt", testutil.FixedTime, []error{apitoken.ErrMalformed}},
		{"other key", forged, testutil.FixedTime, []error{apitoken.ErrInvalid, jwt.ErrTokenSignatureInvalid}},
		{"expired", good, testutil.FixedTime.Add(time.Hour + time.Second), []error{apitoken.ErrInvalid, jwt.ErrTokenExpired}},
		{"not yet valid", good, testutil.FixedTime.Add(-time.Minute), []error{apitoken.ErrInvalid}},
		{"wrong audience", wrongAudTok, testutil.FixedTime, []error{apitoken.ErrInvalid, jwt.ErrTokenInvalidAudience}},
		{"no user", noUserTok, testutil.FixedTime, []error{apitoken.ErrMalformed}},
	}
	for _, c := range cases {
		_, err := apitoken.Parse(c.token, signer.Keyfunc(), func() time.Time { return c.now })
		for _, w := range c.want {
			if !errors.Is(err, w) {
				t.Errorf("%s: err = %v, want errors.Is %v", c.name, err, w)
			}
		}
	}
}

func TestToken_CachedUntilNearExpiry(t *testing.T) {
	now := testutil.FixedTime
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	signer := apitoken.NewSigner(testutil.Signer().Key(), apitoken.WithClock(clock))
	f := apitoken.For{SkillID: skillID, UserID: "u", DeviceID: "d", Scopes: []string{alexa.ScopeEmail}}
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
	now = testutil.FixedTime.Add(55 * time.Minute) // within the last tenth
	mu.Unlock()
	c, _ := signer.APIAccessToken(f)
	if c == a {
		t.Fatal("token near expiry was reused")
	}
	if _, err := apitoken.Parse(c, signer.Keyfunc(), clock); err != nil {
		t.Errorf("refreshed token does not verify: %v", err)
	}
}

func TestToken_KeyPEMRoundTripAndErrors(t *testing.T) {
	key := testutil.Signer().Key()
	back, err := apitoken.ParseKeyPEM(apitoken.EncodeKeyPEM(key), "k.pem")
	if err != nil || !back.Equal(key) {
		t.Fatalf("PEM round trip: %v", err)
	}
	for _, c := range []struct{ data, want string }{
		{"hello", "k.pem: no PEM block"},
		{"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", `k.pem: PEM block is "CERTIFICATE"`},
		{"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "k.pem:"},
	} {
		if _, err := apitoken.ParseKeyPEM([]byte(c.data), "k.pem"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseKeyPEM(%q) err = %v, want %q", c.data, err, c.want)
		}
	}
	if _, err := apitoken.LoadKeyFile("does-not-exist.pem"); err == nil || !strings.Contains(err.Error(), "does-not-exist.pem") {
		t.Errorf("missing file error = %v", err)
	}
}

// skillID is a skill id of Alexa's form.
const skillID = "amzn1.ask.skill.00000000-0000-4000-8000-0000a5c51a00"

func TestDecodeThenVerify(t *testing.T) {
	now := func() time.Time { return testutil.FixedTime }
	f := apitoken.For{SkillID: skillID, UserID: "u", Scopes: []string{alexa.ScopeEmail}}
	tok, err := testutil.Signer().APIAccessToken(f)
	if err != nil {
		t.Fatal(err)
	}
	d, err := apitoken.Decode(" " + tok + "\n")
	if err != nil {
		t.Fatal(err)
	}
	if d.Header["kid"] != "1" || d.Claims["sub"] != skillID || !slices.Equal(d.Scopes, f.Scopes) || d.Verified != nil {
		t.Errorf("decoded %+v", d)
	}
	b, _ := json.Marshal(d)
	if got := string(b); !strings.HasPrefix(got, `{"claims":{`) || strings.Contains(got, `"verified"`) || !strings.Contains(got, `"scopes":["alexa::profile:email:read"]`) {
		t.Errorf("JSON before Verify: %s", got)
	}
	if err := d.Verify(testutil.Signer().Keyfunc(), now); err != nil || d.Verified == nil || !*d.Verified {
		t.Errorf("Verify with the signing key: %v, verified %v", err, d.Verified)
	}
	other, _ := apitoken.NewGeneratedSigner()
	err = d.Verify(other.Keyfunc(), now)
	if !errors.Is(err, apitoken.ErrInvalid) || *d.Verified || d.Scopes != nil || d.Err != err {
		t.Errorf("Verify with another key: %v, %+v", err, d)
	}
	b, _ = json.Marshal(d)
	if got := string(b); !strings.Contains(got, `"verified":false`) || !strings.Contains(got, `"error":"apiAccessToken invalid`) || strings.Contains(got, `"scopes"`) {
		t.Errorf("JSON after a failed Verify: %s", got)
	}

	// A JWT that is not asksim's: no consent token, so no scopes at all.
	foreign := "eyJhbGciOiJub25lIn0." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"x"}`)) + "."
	if d, err := apitoken.Decode(foreign); err != nil || d.Scopes == nil || len(d.Scopes) != 0 {
		t.Errorf("foreign token: %+v, %v; want no scopes, read", d, err)
	}
	for _, bad := range []string{"a.b", "!!.e30.x", "e30.bm90IGpzb24.x"} {
		if _, err := apitoken.Decode(bad); !errors.Is(err, apitoken.ErrMalformed) {
			t.Errorf("Decode(%q) = %v, want ErrMalformed", bad, err)
		}
	}
}
