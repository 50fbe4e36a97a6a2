package alexaapi

import (
	"fmt"
	"testing"
	"time"

	"github.com/asksim/asksim/simulator/alexa"
	"github.com/asksim/asksim/simulator/apitoken"
	"github.com/golang-jwt/jwt/v5"
)

func TestTokenCacheIsBoundedAndCaches(t *testing.T) {
	signer, err := apitoken.NewGeneratedSigner()
	if err != nil {
		t.Fatal(err)
	}
	verifications := 0
	keyfunc := signer.Keyfunc()
	counting := func(tok *jwt.Token) (any, error) { verifications++; return keyfunc(tok) }
	c := newTokenCache(counting, time.Now, 8)
	tok, err := signer.APIAccessToken(apitoken.For{UserID: "u", DeviceID: "d", Scopes: []string{alexa.ScopeEmail}})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		v, err := c.verify(tok)
		if err != nil || !v.scopes[alexa.ScopeEmail] || v.userID != "u" || v.deviceID != "d" {
			t.Fatalf("verify = %+v, %v", v, err)
		}
	}
	if verifications != 1 {
		t.Errorf("%d verifications of one token, want 1 (cached)", verifications)
	}
	for i := range 50 {
		tok, err := signer.APIAccessToken(apitoken.For{UserID: fmt.Sprint("u", i)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.verify(tok); err != nil {
			t.Fatal(err)
		}
		if n := c.len(); n > 8 {
			t.Fatalf("cache holds %d tokens, bound is 8", n)
		}
	}
}

// A trusted token is honoured without its signature checked, within its
// validity window only; a token not trusted is verified as ever, and a
// deprecated consent token (no user) is not taken.
func TestTokenCache_Trust(t *testing.T) {
	var minted []string
	var claims []*apitoken.Claims
	signer, err := apitoken.NewGeneratedSigner(apitoken.WithMinted(func(tok string, c *apitoken.Claims) {
		minted, claims = append(minted, tok), append(claims, c)
	}))
	if err != nil {
		t.Fatal(err)
	}
	verifications := 0
	refuse := func(*jwt.Token) (any, error) { verifications++; return nil, fmt.Errorf("no key") }
	now := time.Now()
	c := newTokenCache(refuse, func() time.Time { return now }, 8)
	f := apitoken.For{UserID: "u", DeviceID: "d", Scopes: []string{alexa.ScopeEmail}}
	tok, err := signer.APIAccessToken(f)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := signer.APIAccessToken(f); err != nil || len(minted) != 1 || minted[0] != tok {
		t.Fatalf("WithMinted saw %d tokens for one mint and one cache hit (%v)", len(minted), err)
	}
	if err := c.trust(tok, claims[0]); err != nil {
		t.Fatal(err)
	}
	v, err := c.verify(tok)
	if err != nil || v.userID != "u" || !v.scopes[alexa.ScopeEmail] || verifications != 0 {
		t.Fatalf("trusted token: %+v, %v, %d verifications", v, err, verifications)
	}
	other, _ := signer.APIAccessToken(apitoken.For{UserID: "w"})
	if _, err := c.verify(other); err == nil || verifications != 1 {
		t.Errorf("a token not trusted: %v, %d verifications", err, verifications)
	}
	now = now.Add(2 * apitoken.DefaultLifetime)
	if _, err := c.verify(tok); err == nil {
		t.Error("a trusted token was honoured after it expired")
	}
	ct, _ := signer.ConsentToken(f)
	if err := c.trust(ct, claims[len(claims)-1]); err == nil {
		t.Errorf("the deprecated consent token (no user) was trusted")
	}
}
