package oauth

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// The store keeps codes and tokens under the SHA-256 of their value, so a
// memory dump or log never shows one that could be replayed. All fields of
// records are guarded by Server.mu.

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

type tokenKind int

const (
	accessToken tokenKind = iota
	refreshToken
)

// family groups every token descended from one grant, so that replay
// detection can revoke all of them at once (RFC 9700 §4.14.2).
type family struct{ revoked bool }

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
	rotatedAt time.Time      // refresh tokens: when a successor was issued
	successor *TokenResponse // answered again within the grace window
}

func digest(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:])
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

// addCode stores a new code.
func (s *Server) addCode(value string, c *codeRecord) {
	s.mu.Lock()
	s.codes[digest(value)] = c
	s.mu.Unlock()
}

// redeemCode consumes a code atomically: of two concurrent redemptions
// exactly one sees it unused. A replay revokes what the first redemption
// issued (RFC 6749 §4.1.2, RFC 6819 §5.2.1.1). Any presentation of a known
// code by an authenticated client burns it, as LWA does.
func (s *Server) redeemCode(value, clientID string) (*codeRecord, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.codes[digest(value)]
	switch {
	case c == nil:
		return nil, errGrant("code", "unknown authorization code")
	case c.used:
		if c.family != nil {
			c.family.revoked = true
		}
		return nil, errGrant("code", "authorization code was already used; tokens issued for it are revoked")
	}
	c.used = true
	switch {
	case !s.now().Before(c.expires):
		return nil, errGrant("code", "authorization code expired")
	case c.clientID != clientID:
		return nil, errGrant("code", "authorization code was issued to another client")
	}
	c.family = &family{}
	cp := *c
	return &cp, nil
}

// addTokens files freshly minted tokens; a family revoked in the meantime
// (code replay racing the first redemption) makes them born inactive.
func (s *Server) addTokens(recs map[string]*tokenRecord) {
	s.mu.Lock()
	for v, rec := range recs {
		s.tokens[digest(v)] = rec
	}
	s.mu.Unlock()
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
