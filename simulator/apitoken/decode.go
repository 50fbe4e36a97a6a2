package apitoken

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/asksim/asksim/internal/jsonlimit"
	"github.com/golang-jwt/jwt/v5"
)

// Decoded is a JWT read without trusting it, for a person to look at: its
// header and claims as sent and, when its consent token is one asksim can
// read, the scopes it grants. Verify checks it.
type Decoded struct {
	Header map[string]any
	Claims map[string]any
	// Scopes are the scopes the consent token grants: empty when it has
	// none, nil when it cannot be read (or Verify failed).
	Scopes []string
	// Verified is nil until Verify is called, then whether the token held.
	Verified *bool
	// Err is why Verify refused the token.
	Err error

	raw string
}

// Decode reads the header and claims of a JWT without verifying it. The
// error wraps ErrMalformed when token is not a JWT of three base64url JSON
// parts.
func Decode(token string) (*Decoded, error) {
	token = strings.TrimSpace(token)
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("%w: a JWT has 3 dot-separated parts, this has %d", ErrMalformed, len(parts))
	}
	d := &Decoded{raw: token}
	for i, dst := range []*map[string]any{&d.Header, &d.Claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			return nil, fmt.Errorf("%w: part %d: %v", ErrMalformed, i+1, err)
		}
		// A JWT's header and claims nest a level or two; its JSON comes
		// from whoever wrote the token.
		if err := jsonlimit.CheckDepth(b, jsonlimit.DefaultMaxDepth); err != nil {
			return nil, fmt.Errorf("%w: part %d: %v", ErrMalformed, i+1, err)
		}
		if err := json.Unmarshal(b, dst); err != nil {
			return nil, fmt.Errorf("%w: part %d: %v", ErrMalformed, i+1, err)
		}
	}
	// The scopes are only as trustworthy as the token's source until
	// Verify has checked the signature.
	var c Claims
	if b, err := json.Marshal(d.Claims); err == nil && json.Unmarshal(b, &c) == nil {
		if scopes, err := c.Scopes(); err == nil {
			d.Scopes = append([]string{}, scopes...)
		}
	}
	return d, nil
}

// Verify checks the token as Parse does, with keyfunc at the time now
// returns (time.Now when nil), and records the outcome in Verified, Err
// and Scopes. It returns Err.
func (d *Decoded) Verify(keyfunc jwt.Keyfunc, now func() time.Time) error {
	c, err := Parse(d.raw, keyfunc, now)
	ok := err == nil
	d.Verified, d.Err = &ok, err
	d.Scopes = nil
	if ok {
		scopes, _ := c.Scopes() // Parse has checked they decode
		d.Scopes = append([]string{}, scopes...)
	}
	return err
}

// MarshalJSON writes the keys header, claims, scopes (when readable),
// verified (after Verify) and error (when Verify failed), sorted.
func (d *Decoded) MarshalJSON() ([]byte, error) {
	out := map[string]any{"header": d.Header, "claims": d.Claims}
	if d.Scopes != nil {
		out["scopes"] = d.Scopes
	}
	if d.Verified != nil {
		out["verified"] = *d.Verified
	}
	if d.Err != nil {
		out["error"] = d.Err.Error()
	}
	return json.Marshal(out)
}
