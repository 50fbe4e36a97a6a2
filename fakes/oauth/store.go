package oauth

import (
	"cmp"
	"crypto/sha256"
	"slices"
	"sync"
	"time"

	"github.com/asksim/asksim/internal/faults"
)

// The store keeps codes and tokens under the SHA-256 of their value, so a
// memory dump or log never shows one that could be replayed. All fields of
// records are guarded by store.mu.
//
// It stays bounded however long the server runs: a sweep, at most once a
// minute of the server's clock, forgets what can no longer be used
// (expired, revoked, or of a revoked family); and when more than
// Config.MaxTokens codes or tokens are held all the same (refresh tokens
// that never expire, a burst of grants), the oldest are forgotten first.
// Both run while a new record is filed, never on their own: a Server owns
// no goroutine and needs no Close.

type key [sha256.Size]byte

func digest(v string) key { return sha256.Sum256([]byte(v)) }

type store struct {
	mu     sync.Mutex
	codes  map[key]*codeRecord
	tokens map[key]*tokenRecord
	// gen counts Resets, so that a grant that began before one does not
	// file its tokens after it.
	gen       uint64
	nextSweep time.Time

	// hookBeforeRotate, when set (by tests), runs between a refresh grant's
	// check and its rotation: where a Reset or a sweep may intervene.
	hookBeforeRotate func()
}

func newStore() store {
	return store{codes: map[key]*codeRecord{}, tokens: map[key]*tokenRecord{}}
}

// sweepInterval is how often, in the server's clock, expired records are
// looked for. A fake clock moved past it sweeps on the next grant.
const sweepInterval = time.Minute

type codeRecord struct {
	clientID     string
	username     string
	redirectURI  string // the effective one
	redirectSent bool   // redirect_uri was in the authorization request
	scopes       []string
	challenge    string
	method       string
	expires      time.Time
	used         bool
	family       *family // set when redeemed; revoked on replay (RFC 6749 §4.1.2)
}

// dead reports whether the code can be forgotten. A redeemed code is kept
// as long as a token it led to may be used, so that a replay still revokes
// them (RFC 6749 §4.1.2); an unredeemed one only until it expires.
func (c *codeRecord) dead(now time.Time) bool {
	if c.family != nil && (c.family.forever || !c.family.until.IsZero()) {
		return c.family.dead(now)
	}
	return !now.Before(c.expires)
}

type tokenKind int

const (
	accessToken tokenKind = iota
	refreshToken
)

// family groups every token descended from one grant, so that replay
// detection can revoke all of them at once (RFC 9700 §4.14.2).
type family struct {
	revoked bool
	// until is when the family's last token expires, forever when one of
	// them never does; both are zero until a token is filed.
	until   time.Time
	forever bool
	// bodies and faults script what protected resources answer this
	// grant's tokens (SetGrantBody, FailGrant), by route and by path.
	bodies map[string]*bodyTemplate
	faults faults.Plan
}

// extend takes a token just filed into account.
func (f *family) extend(t *tokenRecord) {
	switch {
	case t.expires.IsZero():
		f.forever = true
	case t.expires.After(f.until):
		f.until = t.expires
	}
}

// dead reports whether none of the family's tokens can be used any more.
func (f *family) dead(now time.Time) bool {
	return f.revoked || !f.forever && !f.until.IsZero() && !now.Before(f.until)
}

type tokenRecord struct {
	kind      tokenKind
	clientID  string
	username  string // empty for client_credentials
	scopes    []string
	issuedAt  time.Time
	expires   time.Time // zero: never
	issuer    string
	family    *family
	revoked   bool
	rotated   bool           // refresh tokens: a successor was issued
	rotatedAt time.Time      // when
	successor *TokenResponse // answered again within the grace window, then dropped
}

func (t *tokenRecord) active(now time.Time) bool {
	return !t.revoked && !t.family.revoked && (t.expires.IsZero() || now.Before(t.expires))
}

// lookupToken returns the record of an active token, or nil.
func (s *Server) lookupToken(value string) *tokenRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[digest(value)]
	if t == nil || !t.active(s.now()) {
		return nil
	}
	cp := *t
	return &cp
}

// inspectToken returns a copy of the record of token and, when it cannot
// be used, why: unknown, expired or revoked.
func (s *Server) inspectToken(value string) (*tokenRecord, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[digest(value)]
	switch {
	case t == nil:
		// Forgotten tokens (swept once expired or revoked) land here too.
		return nil, "the access token is unknown, expired or revoked"
	case t.revoked || t.family.revoked:
		return nil, "the access token was revoked"
	case !t.expires.IsZero() && !s.now().Before(t.expires):
		return nil, "the access token expired"
	}
	cp := *t
	return &cp, ""
}

// addCode stores a new code.
func (s *Server) addCode(value string, c *codeRecord) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[digest(value)] = c
	s.maintainLocked()
}

// redeemCode consumes a code atomically: of two concurrent redemptions
// exactly one sees it unused. A replay revokes what the first redemption
// issued (RFC 6749 §4.1.2, RFC 6819 §5.2.1.1). Any presentation of a known
// code by an authenticated client burns it, as LWA does. gen is the
// store's generation, for fileTokens.
func (s *Server) redeemCode(value, clientID string) (c *codeRecord, gen uint64, e *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c = s.codes[digest(value)]
	switch {
	case c == nil:
		return nil, 0, errGrant("code", "unknown authorization code")
	case c.used:
		if c.family != nil {
			c.family.revoked = true
		}
		return nil, 0, errGrant("code", "authorization code was already used; tokens issued for it are revoked")
	}
	c.used = true
	switch {
	case !s.now().Before(c.expires):
		return nil, 0, errGrant("code", "authorization code expired")
	case c.clientID != clientID:
		return nil, 0, errGrant("code", "authorization code was issued to another client")
	}
	c.family = &family{}
	cp := *c
	return &cp, s.gen, nil
}

// addTokens files freshly minted tokens; a family revoked in the meantime
// (code replay racing the first redemption) makes them born inactive.
func (s *Server) addTokens(recs map[string]*tokenRecord) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addTokensLocked(recs)
}

// fileTokens files tokens minted from a code or refresh token read in
// generation gen; it refuses, and reports false, when a Reset came between.
func (s *Server) fileTokens(recs map[string]*tokenRecord, gen uint64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gen != gen {
		return false
	}
	s.addTokensLocked(recs)
	return true
}

func (s *Server) addTokensLocked(recs map[string]*tokenRecord) {
	for v, rec := range recs {
		s.tokens[digest(v)] = rec
		rec.family.extend(rec)
	}
	s.maintainLocked()
}

// revoke revokes the token with value; a refresh token takes its whole
// family along (RFC 7009 §2.1: its access tokens SHOULD go too).
// It reports the owning client, or "" when the token is unknown.
func (s *Server) revoke(value, clientID string) (owner string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[digest(value)]
	if t == nil {
		return ""
	}
	if t.clientID != clientID {
		return t.clientID
	}
	t.revoked = true
	if t.kind == refreshToken {
		t.family.revoked = true
	}
	return t.clientID
}

// resetStore forgets every code and token.
func (s *Server) resetStore() {
	s.mu.Lock()
	s.codes, s.tokens = map[key]*codeRecord{}, map[key]*tokenRecord{}
	s.gen++
	s.nextSweep = time.Time{}
	s.mu.Unlock()
}

// maintainLocked sweeps when a minute has passed since the last sweep, or
// when the codes or tokens outgrow Config.MaxTokens.
func (s *Server) maintainLocked() {
	now := s.now()
	if now.Before(s.nextSweep) && len(s.codes) <= s.cfg.MaxTokens && len(s.tokens) <= s.cfg.MaxTokens {
		return
	}
	s.sweepLocked(now)
}

// sweepLocked forgets the codes and tokens that can no longer be used;
// then, if either map still holds more than MaxTokens, the oldest of it
// down to three quarters of MaxTokens, so that the next such eviction is
// MaxTokens/4 grants away and its sort is paid for over them.
func (s *Server) sweepLocked(now time.Time) {
	s.nextSweep = now.Add(sweepInterval)
	for k, c := range s.codes {
		if c.dead(now) {
			delete(s.codes, k)
		}
	}
	for k, t := range s.tokens {
		switch {
		case !t.active(now):
			// Forgotten, a token is answered as unknown: the same
			// invalid_grant or inactive as an expired or revoked one.
			delete(s.tokens, k)
		case t.successor != nil && now.Sub(t.rotatedAt) > s.clients[t.clientID].RefreshGraceWindow:
			t.successor = nil // only a retry within the grace window gets it
		}
	}
	keep := s.cfg.MaxTokens - s.cfg.MaxTokens/4
	codes := evictOldest(s.codes, s.cfg.MaxTokens, keep, func(a, b *codeRecord) int { return a.expires.Compare(b.expires) })
	// Rotated-out refresh tokens serve only replay detection: they go
	// before any token a client may still use.
	tokens := evictOldest(s.tokens, s.cfg.MaxTokens, keep, func(a, b *tokenRecord) int {
		if a.rotated != b.rotated {
			return cmp.Compare(btoi(!a.rotated), btoi(!b.rotated))
		}
		return a.issuedAt.Compare(b.issuedAt)
	})
	if (codes > 0 || tokens > 0) && s.cfg.Logf != nil {
		s.cfg.Logf("oauth: more than %d codes or tokens are live (Config.MaxTokens): forgot the oldest %d codes and %d tokens", s.cfg.MaxTokens, codes, tokens)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// evictOldest deletes the first entries of m in order until keep are left,
// if it holds more than limit; it returns how many went.
func evictOldest[V any](m map[key]V, limit, keep int, order func(a, b V) int) int {
	if len(m) <= limit {
		return 0
	}
	type entry struct {
		k key
		v V
	}
	all := make([]entry, 0, len(m))
	for k, v := range m {
		all = append(all, entry{k, v})
	}
	slices.SortFunc(all, func(a, b entry) int { return order(a.v, b.v) })
	n := len(m) - keep
	for _, e := range all[:n] {
		delete(m, e.k)
	}
	return n
}
