package apitoken_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/asksim/asksim/internal/testutil"
	"github.com/asksim/asksim/simulator/apitoken"
	"github.com/golang-jwt/jwt/v5"
)

// FuzzDecode checks that no input to `asksim token decode` makes Decode or
// Verify panic, that what Decode refuses wraps ErrMalformed, and that what
// it accepts marshals.
func FuzzDecode(f *testing.F) {
	tok, err := testutil.Signer().APIAccessToken(apitoken.For{SkillID: skillID, UserID: "u", Scopes: []string{"alexa::profile:email:read"}})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{tok, "a.b.c", "e30.e30.", "eyJhbGciOiJub25lIn0.eyJwcml2YXRlQ2xhaW1zIjp7ImNvbnNlbnRUb2tlbiI6IkF0emF8ISJ9fQ.", ""} {
		f.Add(s)
	}
	keyfunc := testutil.Signer().Keyfunc()
	f.Fuzz(func(t *testing.T, token string) {
		d, err := apitoken.Decode(token)
		if err != nil {
			if !errors.Is(err, apitoken.ErrMalformed) {
				t.Fatalf("Decode(%q) error %v does not wrap ErrMalformed", token, err)
			}
			return
		}
		if _, err := json.Marshal(d); err != nil {
			t.Fatalf("Decode(%q) does not marshal: %v", token, err)
		}
		if err := d.Verify(keyfunc, nil); (err == nil) != *d.Verified {
			t.Fatalf("Verify(%q) = %v, Verified %v", token, err, *d.Verified)
		}
	})
}

// FuzzParse checks Parse, what the Alexa API fake verifies each bearer
// token with, past the signature: the fuzzed payload is signed with the
// trusted key, so its claims (privateClaims, the consent token inside it)
// are what gets parsed. Parse must not panic, must refuse with ErrMalformed
// or ErrInvalid, and what it accepts must name a user and have scopes that
// Granted agrees with.
func FuzzParse(f *testing.F) {
	signer := testutil.Signer()
	claims := signer.Claims(apitoken.For{SkillID: skillID, UserID: "u", Scopes: []string{"alexa::profile:email:read", "alexa::profile:name:read"}})
	valid, err := json.Marshal(claims)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add([]byte(`{"aud":"https://api.amazonalexa.com","iss":"AlexaSkillKit","exp":4102444800,"privateClaims":{"userId":"u","consentToken":"Atza|e30"}}`))
	f.Add([]byte(`{"aud":["https://api.amazonalexa.com"],"iss":"AlexaSkillKit","exp":1e30,"privateClaims":{"userId":"u","consentToken":"Atza|!!"}}`))
	f.Add([]byte(`{"exp":"soon","privateClaims":null}`))
	// A 1024-bit key of its own: signing every input with the 2048-bit test
	// key left the fuzzer a dozen inputs a second.
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		f.Fatal(err)
	}
	keyfunc := apitoken.NewSigner(key).Keyfunc()
	now := func() time.Time { return testutil.FixedTime }
	sign := func(payload []byte) string {
		signing := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","kid":"1","typ":"JWT"}`)) + "." + base64.RawURLEncoding.EncodeToString(payload)
		sig, err := jwt.SigningMethodRS256.Sign(signing, key)
		if err != nil {
			f.Fatal(err)
		}
		return signing + "." + base64.RawURLEncoding.EncodeToString(sig)
	}
	if _, err := apitoken.Parse(sign(valid), keyfunc, now); err != nil {
		f.Fatalf("the valid seed does not parse: %v", err)
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		c, err := apitoken.Parse(sign(payload), keyfunc, now)
		if err != nil {
			if c != nil || !errors.Is(err, apitoken.ErrMalformed) && !errors.Is(err, apitoken.ErrInvalid) {
				t.Fatalf("Parse(%s) = %v, %v; want nil and ErrMalformed or ErrInvalid", payload, c, err)
			}
			return
		}
		if c.PrivateClaims.UserID == "" {
			t.Fatalf("Parse(%s) accepted a token without a user", payload)
		}
		scopes, err := c.Scopes()
		if err != nil {
			t.Fatalf("Parse(%s) accepted scopes that do not decode: %v", payload, err)
		}
		for _, s := range scopes {
			if !c.Granted(s) {
				t.Fatalf("Parse(%s): scope %q listed but not granted", payload, s)
			}
		}
	})
}
