package simulator

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Facts of the real apiAccessToken (../shared/alexa-contract.md §3.1).
const (
	// TokenAudience is the aud of every apiAccessToken, whatever the region.
	TokenAudience = "https://api.amazonalexa.com"
	// TokenIssuer is the iss of every apiAccessToken.
	TokenIssuer = "AlexaSkillKit"
	// DefaultKeyID is the kid Amazon's tokens carry.
	DefaultKeyID = "1"
	// DefaultTokenLifetime is exp-iat of most captured tokens.
	DefaultTokenLifetime = time.Hour
	// KeyBits is the size of generated signing keys, as Amazon's (256-byte
	// signatures).
	KeyBits = 2048
)

// consentTokenPrefix marks the LWA-style consent token inside privateClaims.
// What follows it is asksim's own encoding of the granted scopes; skills treat
// it as opaque, as they must treat Amazon's.
const consentTokenPrefix = "Atza|"

// TokenClaims are the claims of an apiAccessToken. The field set and names are
// Amazon's; aud is a plain string as in the real token.
type TokenClaims struct {
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
func (c *TokenClaims) Scopes() ([]string, error) {
	if c.PrivateClaims.ConsentToken == nil || *c.PrivateClaims.ConsentToken == "" {
		return nil, nil
	}
	raw, ok := strings.CutPrefix(*c.PrivateClaims.ConsentToken, consentTokenPrefix)
	if !ok {
		return nil, fmt.Errorf("%w: privateClaims.consentToken does not start with %q", ErrTokenMalformed, consentTokenPrefix)
	}
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: privateClaims.consentToken: %v", ErrTokenMalformed, err)
	}
	var p consentPayload
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%w: privateClaims.consentToken: %v", ErrTokenMalformed, err)
	}
	return p.Scopes, nil
}

// Granted reports whether the token grants scope. A malformed consent token
// grants nothing.
func (c *TokenClaims) Granted(scope string) bool {
	s, err := c.Scopes()
	return err == nil && slices.Contains(s, scope)
}

// The jwt.Claims interface, so that golang-jwt validates exp, nbf and iat.

func (c *TokenClaims) GetExpirationTime() (*jwt.NumericDate, error) {
	return numericDate(c.ExpiresAt), nil
}
func (c *TokenClaims) GetIssuedAt() (*jwt.NumericDate, error)  { return numericDate(c.IssuedAt), nil }
func (c *TokenClaims) GetNotBefore() (*jwt.NumericDate, error) { return numericDate(c.NotBefore), nil }
func (c *TokenClaims) GetIssuer() (string, error)              { return c.Issuer, nil }
func (c *TokenClaims) GetSubject() (string, error)             { return c.Subject, nil }
func (c *TokenClaims) GetAudience() (jwt.ClaimStrings, error) {
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
	ErrTokenMalformed = errors.New("apiAccessToken malformed")
	ErrTokenInvalid   = errors.New("apiAccessToken invalid")
)

// ParseToken verifies an apiAccessToken with keyfunc and returns its claims.
// It checks the RS256 signature, aud, iss, exp and nbf, at the time now
// returns (time.Now when nil).
func ParseToken(token string, keyfunc jwt.Keyfunc, now func() time.Time) (*TokenClaims, error) {
	if now == nil {
		now = time.Now
	}
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}),
		jwt.WithAudience(TokenAudience),
		jwt.WithIssuer(TokenIssuer),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(now),
	)
	var claims TokenClaims
	if _, err := p.ParseWithClaims(token, &claims, keyfunc); err != nil {
		if errors.Is(err, jwt.ErrTokenMalformed) {
			return nil, fmt.Errorf("%w: %w", ErrTokenMalformed, err)
		}
		return nil, fmt.Errorf("%w: %w", ErrTokenInvalid, err)
	}
	if claims.PrivateClaims.UserID == "" {
		return nil, fmt.Errorf("%w: privateClaims.userId is missing", ErrTokenMalformed)
	}
	if _, err := claims.Scopes(); err != nil {
		return nil, err
	}
	return &claims, nil
}

// GenerateKey returns a new RSA key of KeyBits bits.
func GenerateKey() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand.Reader, KeyBits)
}

// EncodeKeyPEM encodes key as a PKCS #8 "PRIVATE KEY" PEM block.
func EncodeKeyPEM(key *rsa.PrivateKey) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		// Cannot happen for a valid *rsa.PrivateKey.
		panic("simulator: marshal RSA key: " + err.Error())
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// ParseKeyPEM decodes an RSA private key from PEM (PKCS #1 or PKCS #8). name
// is used in errors, e.g. the file name.
func ParseKeyPEM(data []byte, name string) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("%s: no PEM block found (want an RSA private key, e.g. from `asksim token keygen`)", name)
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		return k, nil
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("%s: key is %T, want RSA (apiAccessTokens are RS256)", name, k)
		}
		return rk, nil
	}
	return nil, fmt.Errorf("%s: PEM block is %q, want \"PRIVATE KEY\" or \"RSA PRIVATE KEY\"", name, block.Type)
}

// LoadKeyFile reads an RSA private key from a PEM file.
func LoadKeyFile(path string) (*rsa.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseKeyPEM(data, path)
}

// Signer mints apiAccessTokens. It caches each token per skill, user, device
// and consent until it nears expiry, since an RSA signature costs about a
// millisecond and would otherwise sit on every turn. A Signer is safe for
// concurrent use.
type Signer struct {
	key      *rsa.PrivateKey
	kid      string
	lifetime time.Duration
	now      func() time.Time

	mu       sync.Mutex
	cache    map[tokenKey]cachedToken
	inflight map[tokenKey]*minting
}

// minting is a token being signed; callers who want the same token wait for
// it instead of signing it again.
type minting struct {
	done  chan struct{}
	token string
	err   error
}

// SignerOption configures a Signer.
type SignerOption func(*Signer)

// WithKeyID sets the kid header. Defaults to DefaultKeyID.
func WithKeyID(kid string) SignerOption { return func(s *Signer) { s.kid = kid } }

// WithLifetime sets exp-iat of minted tokens. Defaults to DefaultTokenLifetime.
func WithLifetime(d time.Duration) SignerOption { return func(s *Signer) { s.lifetime = d } }

// WithSignerClock sets the clock for iat, nbf and exp. For testing.
func WithSignerClock(now func() time.Time) SignerOption { return func(s *Signer) { s.now = now } }

// NewSigner returns a Signer that signs with key.
func NewSigner(key *rsa.PrivateKey, opts ...SignerOption) *Signer {
	s := &Signer{key: key, kid: DefaultKeyID, lifetime: DefaultTokenLifetime, now: time.Now, cache: map[tokenKey]cachedToken{}, inflight: map[tokenKey]*minting{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// NewGeneratedSigner returns a Signer with a freshly generated key.
func NewGeneratedSigner(opts ...SignerOption) (*Signer, error) {
	k, err := GenerateKey()
	if err != nil {
		return nil, err
	}
	return NewSigner(k, opts...), nil
}

// Key returns the signing key.
func (s *Signer) Key() *rsa.PrivateKey { return s.key }

// Lifetime returns exp-iat of the tokens s mints.
func (s *Signer) Lifetime() time.Duration { return s.lifetime }

// TokenFor identifies a token: which skill, user, device and consent it
// speaks for.
type TokenFor struct {
	SkillID  string
	UserID   string
	DeviceID string
	Scopes   []string
}

type tokenKey struct {
	skill, user, device, scopes string
	deprecated                  bool
}

type cachedToken struct {
	token string
	exp   time.Time
}

// refreshBefore is how long before expiry a cached token is replaced: a tenth
// of its lifetime, so a skill never receives one that dies mid-turn.
func (s *Signer) refreshBefore() time.Duration { return s.lifetime / 10 }

// APIAccessToken returns a token for f, minting it only when no cached token
// is still fresh.
func (s *Signer) APIAccessToken(f TokenFor) (string, error) {
	return s.cached(f, false)
}

// ConsentToken returns the deprecated user.permissions.consentToken JWT for
// f, whose privateClaims hold isDeprecated and the consent token.
func (s *Signer) ConsentToken(f TokenFor) (string, error) {
	return s.cached(f, true)
}

func (s *Signer) cached(f TokenFor, deprecated bool) (string, error) {
	k, now := s.tokenKey(f, deprecated), s.now()
	tok, m, owner := s.claim(k, now)
	switch {
	case m == nil:
		return tok, nil
	case owner:
		s.mint(f, k, now, m)
	default:
		<-m.done
	}
	return m.token, m.err
}

func (s *Signer) tokenKey(f TokenFor, deprecated bool) tokenKey {
	if deprecated {
		// The deprecated token names neither user nor device (contract
		// §3.3), so one token serves every user with the same consent: a
		// run signs it once per scope set, not once per scenario.
		f.UserID, f.DeviceID = "", ""
	}
	return tokenKey{f.SkillID, f.UserID, f.DeviceID, strings.Join(f.Scopes, " "), deprecated}
}

// claim returns a fresh cached token, or else the mint of k: a new one the
// caller owns and must complete, or one under way to wait for.
func (s *Signer) claim(k tokenKey, now time.Time) (token string, m *minting, owner bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.cache[k]; ok && now.Before(c.exp.Add(-s.refreshBefore())) {
		return c.token, nil, false
	}
	if m, ok := s.inflight[k]; ok {
		return "", m, false
	}
	m = &minting{done: make(chan struct{})}
	s.inflight[k] = m
	return "", m, true
}

// mint signs the token of k, caches it and releases its waiters.
func (s *Signer) mint(f TokenFor, k tokenKey, now time.Time, m *minting) {
	claims := s.Claims(f)
	if k.deprecated {
		claims.PrivateClaims = PrivateClaims{IsDeprecated: "true", ConsentToken: claims.PrivateClaims.ConsentToken}
	}
	m.token, m.err = s.Sign(claims)
	s.mu.Lock()
	delete(s.inflight, k)
	if m.err == nil {
		if len(s.cache) >= maxCachedTokens {
			s.evictLocked(now)
		}
		s.cache[k] = cachedToken{m.token, time.Unix(claims.ExpiresAt, 0)}
	}
	s.mu.Unlock()
	close(m.done)
}

// Prefetch starts minting the tokens a conversation for f will send (the
// apiAccessToken and, with scopes, the consent token) in the background, in
// parallel, so that no turn waits for an RSA signature. The mints are
// registered before Prefetch returns: a turn that needs one of them waits
// for it rather than signing again.
func (s *Signer) Prefetch(f TokenFor) {
	now := s.now()
	kinds := []bool{false}
	if len(f.Scopes) > 0 {
		kinds = append(kinds, true)
	}
	for _, deprecated := range kinds {
		k := s.tokenKey(f, deprecated)
		if _, m, owner := s.claim(k, now); owner {
			go s.mint(f, k, now, m)
		}
	}
}

// Forget drops the cached apiAccessToken for f, for a conversation that is
// over: a long run of short conversations then holds only the tokens of
// those still going.
func (s *Signer) Forget(f TokenFor) {
	k := s.tokenKey(f, false)
	s.mu.Lock()
	delete(s.cache, k)
	s.mu.Unlock()
}

// maxCachedTokens bounds the cache; past it, stale entries are dropped and,
// if that is not enough, the whole cache.
const maxCachedTokens = 1 << 14

func (s *Signer) evictLocked(now time.Time) {
	for k, c := range s.cache {
		if !now.Before(c.exp.Add(-s.refreshBefore())) {
			delete(s.cache, k)
		}
	}
	if len(s.cache) >= maxCachedTokens {
		clear(s.cache)
	}
}

// Claims returns the claims of a new token for f, valid from now for the
// signer's lifetime.
func (s *Signer) Claims(f TokenFor) *TokenClaims {
	now := s.now().Truncate(time.Second)
	return &TokenClaims{
		Audience:  TokenAudience,
		Issuer:    TokenIssuer,
		Subject:   f.SkillID,
		IssuedAt:  now.Unix(),
		NotBefore: now.Unix(),
		ExpiresAt: now.Add(s.lifetime).Unix(),
		PrivateClaims: PrivateClaims{
			ConsentToken: encodeConsentToken(f.Scopes),
			DeviceID:     f.DeviceID,
			UserID:       f.UserID,
		},
	}
}

// Sign signs claims with RS256, uncached.
func (s *Signer) Sign(claims *TokenClaims) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = s.kid
	return t.SignedString(s.key)
}

// Keyfunc returns the jwt.Keyfunc that verifies tokens s signed.
func (s *Signer) Keyfunc() jwt.Keyfunc { return Keyfunc(&s.key.PublicKey, s.kid) }

// Keyfunc returns a jwt.Keyfunc that accepts tokens signed by pub. A token
// whose kid differs from kid is refused, so that a fake started with another
// key says so instead of reporting a bad signature.
func Keyfunc(pub *rsa.PublicKey, kid string) jwt.Keyfunc {
	return func(t *jwt.Token) (any, error) {
		if got, _ := t.Header["kid"].(string); got != kid {
			return nil, fmt.Errorf("unknown kid %q (this key has kid %q)", got, kid)
		}
		return pub, nil
	}
}

// JWK is one key of a JWKS document (RFC 7517).
type JWK struct {
	KeyType   string `json:"kty"`
	Use       string `json:"use"`
	Algorithm string `json:"alg"`
	KeyID     string `json:"kid"`
	N         string `json:"n"`
	E         string `json:"e"`
}

// JWKS is a JWK set document.
type JWKS struct {
	Keys []JWK `json:"keys"`
}

// JWKS returns the public key of s as a JWK set.
func (s *Signer) JWKS() JWKS {
	pub := s.key.PublicKey
	return JWKS{Keys: []JWK{{
		KeyType:   "RSA",
		Use:       "sig",
		Algorithm: "RS256",
		KeyID:     s.kid,
		N:         base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		E:         base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}}}
}

// Keyfunc returns a jwt.Keyfunc that picks the key named by a token's kid.
func (j JWKS) Keyfunc() (jwt.Keyfunc, error) {
	keys := map[string]*rsa.PublicKey{}
	for i, k := range j.Keys {
		if k.KeyType != "RSA" {
			return nil, fmt.Errorf("keys[%d]: kty %q, want RSA", i, k.KeyType)
		}
		n, err := base64.RawURLEncoding.DecodeString(k.N)
		if err != nil {
			return nil, fmt.Errorf("keys[%d].n: %v", i, err)
		}
		e, err := base64.RawURLEncoding.DecodeString(k.E)
		if err != nil {
			return nil, fmt.Errorf("keys[%d].e: %v", i, err)
		}
		keys[k.KeyID] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	return func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if k, ok := keys[kid]; ok {
			return k, nil
		}
		return nil, fmt.Errorf("unknown kid %q", kid)
	}, nil
}

// KeyFingerprint returns a short, stable fingerprint of a public key, for
// messages that must tell two keys apart without printing them.
func KeyFingerprint(pub *rsa.PublicKey) string {
	der, _ := x509.MarshalPKIXPublicKey(pub)
	sum := sha256.Sum256(der)
	return base64.RawURLEncoding.EncodeToString(sum[:8])
}

// DecodeToken returns the header and claims of a JWT without verifying it,
// for `asksim token decode`.
func DecodeToken(token string) (header, claims map[string]any, err error) {
	parts := strings.Split(strings.TrimSpace(token), ".")
	if len(parts) != 3 {
		return nil, nil, fmt.Errorf("%w: a JWT has 3 dot-separated parts, this has %d", ErrTokenMalformed, len(parts))
	}
	for i, dst := range []*map[string]any{&header, &claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			return nil, nil, fmt.Errorf("%w: part %d: %v", ErrTokenMalformed, i+1, err)
		}
		if err := json.Unmarshal(b, dst); err != nil {
			return nil, nil, fmt.Errorf("%w: part %d: %v", ErrTokenMalformed, i+1, err)
		}
	}
	return header, claims, nil
}
