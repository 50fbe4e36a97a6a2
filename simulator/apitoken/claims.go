package apitoken

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Facts of the real apiAccessToken (docs/alexa-contract.md §3.1).
const (
	// Audience is the aud of every apiAccessToken, whatever the region.
	Audience = "https://api.amazonalexa.com"
	// Issuer is the iss of every apiAccessToken.
	Issuer = "AlexaSkillKit"
	// DefaultKeyID is the kid Amazon's tokens carry.
	DefaultKeyID = "1"
	// DefaultLifetime is exp-iat of most captured tokens.
	DefaultLifetime = time.Hour
	// KeyBits is the size of generated signing keys, as Amazon's (256-byte
	// signatures).
	KeyBits = 2048
)

// consentTokenPrefix marks the LWA-style consent token inside privateClaims.
// What follows it is asksim's own encoding of the granted scopes; skills treat
// it as opaque, as they must treat Amazon's.
const consentTokenPrefix = "Atza|"

// Claims are the claims of an apiAccessToken. The field set and names are
// Amazon's; aud is a plain string as in the real token.
type Claims struct {
	Audience      string        `json:"aud"`
	Issuer        string        `json:"iss"`
	Subject       string        `json:"sub"`
	ExpiresAt     int64         `json:"exp"`
	IssuedAt      int64         `json:"iat"`
	NotBefore     int64         `json:"nbf"`
	PrivateClaims PrivateClaims `json:"privateClaims"`
}

// PrivateClaims carry the consent, device and user of an apiAccessToken.
type PrivateClaims struct {
	// ConsentToken is null when nothing was granted, "Atza|…" otherwise.
	ConsentToken *string `json:"consentToken"`
	DeviceID     string  `json:"deviceId,omitempty"`
	UserID       string  `json:"userId,omitempty"`
	// IsDeprecated is set on the deprecated user.permissions.consentToken JWT.
	IsDeprecated string `json:"isDeprecated,omitempty"`
}

// consentPayload is what asksim packs behind "Atza|".
type consentPayload struct {
	Scopes []string `json:"scopes"`
}

func encodeConsentToken(scopes []string) *string {
	if len(scopes) == 0 {
		return nil
	}
	b, _ := json.Marshal(consentPayload{Scopes: scopes})
	s := consentTokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return &s
}

// Scopes returns the scopes granted in the token. A token without consent
// grants none.
func (c *Claims) Scopes() ([]string, error) {
	if c.PrivateClaims.ConsentToken == nil || *c.PrivateClaims.ConsentToken == "" {
		return nil, nil
	}
	raw, ok := strings.CutPrefix(*c.PrivateClaims.ConsentToken, consentTokenPrefix)
	if !ok {
		return nil, fmt.Errorf("%w: privateClaims.consentToken does not start with %q", ErrMalformed, consentTokenPrefix)
	}
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: privateClaims.consentToken: %v", ErrMalformed, err)
	}
	var p consentPayload
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%w: privateClaims.consentToken: %v", ErrMalformed, err)
	}
	return p.Scopes, nil
}

// Granted reports whether the token grants scope. A malformed consent token
// grants nothing.
func (c *Claims) Granted(scope string) bool {
	s, err := c.Scopes()
	return err == nil && slices.Contains(s, scope)
}

// The jwt.Claims interface, so that golang-jwt validates exp, nbf and iat.

func (c *Claims) GetExpirationTime() (*jwt.NumericDate, error) {
	return numericDate(c.ExpiresAt), nil
}
func (c *Claims) GetIssuedAt() (*jwt.NumericDate, error)  { return numericDate(c.IssuedAt), nil }
func (c *Claims) GetNotBefore() (*jwt.NumericDate, error) { return numericDate(c.NotBefore), nil }
func (c *Claims) GetIssuer() (string, error)              { return c.Issuer, nil }
func (c *Claims) GetSubject() (string, error)             { return c.Subject, nil }
func (c *Claims) GetAudience() (jwt.ClaimStrings, error) {
	return jwt.ClaimStrings{c.Audience}, nil
}

func numericDate(sec int64) *jwt.NumericDate {
	if sec == 0 {
		return nil
	}
	return jwt.NewNumericDate(time.Unix(sec, 0))
}

// Errors of token verification. They wrap golang-jwt's sentinels, so
// errors.Is(err, jwt.ErrTokenExpired) also works.
var (
	ErrMalformed = errors.New("apiAccessToken malformed")
	ErrInvalid   = errors.New("apiAccessToken invalid")
)

// Parse verifies an apiAccessToken with keyfunc and returns its claims.
// It checks the RS256 signature, aud, iss, exp and nbf, at the time now
// returns (time.Now when nil).
func Parse(token string, keyfunc jwt.Keyfunc, now func() time.Time) (*Claims, error) {
	if now == nil {
		now = time.Now
	}
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}),
		jwt.WithAudience(Audience),
		jwt.WithIssuer(Issuer),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(now),
	)
	var claims Claims
	if _, err := p.ParseWithClaims(token, &claims, keyfunc); err != nil {
		if errors.Is(err, jwt.ErrTokenMalformed) {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if claims.PrivateClaims.UserID == "" {
		return nil, fmt.Errorf("%w: privateClaims.userId is missing", ErrMalformed)
	}
	if _, err := claims.Scopes(); err != nil {
		return nil, err
	}
	return &claims, nil
}
