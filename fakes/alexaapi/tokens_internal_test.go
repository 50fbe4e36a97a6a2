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
