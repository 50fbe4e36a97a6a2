package apitoken_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/asksim/asksim/internal/testutil"
	"github.com/asksim/asksim/simulator/apitoken"
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
