package apitoken

import (
	"crypto/rsa"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Signer mints apiAccessTokens. It caches each token per skill, user, device
// and consent until it nears expiry, since an RSA signature costs about a
// millisecond and would otherwise sit on every turn. A Signer is safe for
// concurrent use.
type Signer struct {
	key      *rsa.PrivateKey
	kid      string
	lifetime time.Duration
	now      func() time.Time

	minted func(token string, claims *Claims)

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

// Option configures a Signer.
type Option func(*Signer)

// WithKeyID sets the kid header. Defaults to DefaultKeyID.
func WithKeyID(kid string) Option { return func(s *Signer) { s.kid = kid } }

// WithLifetime sets exp-iat of minted tokens. Defaults to DefaultLifetime.
func WithLifetime(d time.Duration) Option { return func(s *Signer) { s.lifetime = d } }

// WithMinted calls fn with every token the signer mints (not those it
// serves from its cache) and its claims: an Alexa API fake in the same
// process can then take them as verified (alexaapi.Server.Trust).
func WithMinted(fn func(token string, claims *Claims)) Option {
	return func(s *Signer) { s.minted = fn }
}

// WithClock sets the clock for iat, nbf and exp. For testing.
func WithClock(now func() time.Time) Option { return func(s *Signer) { s.now = now } }

// NewSigner returns a Signer that signs with key.
func NewSigner(key *rsa.PrivateKey, opts ...Option) *Signer {
	s := &Signer{key: key, kid: DefaultKeyID, lifetime: DefaultLifetime, now: time.Now, cache: map[tokenKey]cachedToken{}, inflight: map[tokenKey]*minting{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// NewGeneratedSigner returns a Signer with a freshly generated key.
func NewGeneratedSigner(opts ...Option) (*Signer, error) {
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

// For identifies a token: which skill, user, device and consent it
// speaks for.
type For struct {
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
func (s *Signer) APIAccessToken(f For) (string, error) {
	return s.cached(f, false)
}

// ConsentToken returns the deprecated user.permissions.consentToken JWT for
// f, whose privateClaims hold isDeprecated and the consent token.
func (s *Signer) ConsentToken(f For) (string, error) {
	return s.cached(f, true)
}

func (s *Signer) cached(f For, deprecated bool) (string, error) {
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

func (s *Signer) tokenKey(f For, deprecated bool) tokenKey {
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
func (s *Signer) mint(f For, k tokenKey, now time.Time, m *minting) {
	claims := s.Claims(f)
	if k.deprecated {
		claims.PrivateClaims = PrivateClaims{IsDeprecated: "true", ConsentToken: claims.PrivateClaims.ConsentToken}
	}
	m.token, m.err = s.Sign(claims)
	if m.err == nil && s.minted != nil {
		s.minted(m.token, claims)
	}
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
func (s *Signer) Prefetch(f For) {
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
func (s *Signer) Forget(f For) {
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
func (s *Signer) Claims(f For) *Claims {
	now := s.now().Truncate(time.Second)
	return &Claims{
		Audience:  Audience,
		Issuer:    Issuer,
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
func (s *Signer) Sign(claims *Claims) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = s.kid
	return t.SignedString(s.key)
}

// Keyfunc returns the jwt.Keyfunc that verifies tokens s signed.
func (s *Signer) Keyfunc() jwt.Keyfunc { return Keyfunc(&s.key.PublicKey, s.kid) }
