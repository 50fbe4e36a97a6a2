package alexaapi

import (
	"fmt"
	"sync"
	"time"

	"github.com/asksim/asksim/simulator/apitoken"
	"github.com/golang-jwt/jwt/v5"
)

// verified is a token whose signature and claims were checked once.
type verified struct {
	userID, deviceID string
	scopes           map[string]bool
	nbf, exp         time.Time
}

// tokenCache remembers verified tokens by their raw string. An RS256 check
// plus JSON decoding costs tens of microseconds, more than the rest of a
// call; a skill sends the same token for a whole turn, and tests send it
// thousands of times. Entries are used only between nbf and exp, so an
// expired token is verified again, and refused.
type tokenCache struct {
	keyfunc jwt.Keyfunc
	now     func() time.Time
	max     int

	mu sync.RWMutex
	m  map[string]*verified
}

func newTokenCache(keyfunc jwt.Keyfunc, now func() time.Time, max int) *tokenCache {
	return &tokenCache{keyfunc: keyfunc, now: now, max: max, m: make(map[string]*verified)}
}

// verify returns the token's verified claims, from the cache when it can.
func (c *tokenCache) verify(raw string) (*verified, error) {
	now := c.now()
	c.mu.RLock()
	v := c.m[raw]
	c.mu.RUnlock()
	if v != nil && !now.Before(v.nbf) && now.Before(v.exp) {
		return v, nil
	}
	claims, err := apitoken.Parse(raw, c.keyfunc, c.now)
	if err != nil {
		return nil, err
	}
	scopes, _ := claims.Scopes() // apitoken.Parse has checked they decode
	return c.store(raw, claims, scopes, now), nil
}

// trust caches claims as raw's, unverified; see Server.Trust.
func (c *tokenCache) trust(raw string, claims *apitoken.Claims) error {
	if claims.PrivateClaims.UserID == "" {
		return fmt.Errorf("%w: privateClaims.userId is missing", apitoken.ErrMalformed)
	}
	scopes, err := claims.Scopes()
	if err != nil {
		return err
	}
	c.store(raw, claims, scopes, c.now())
	return nil
}

func (c *tokenCache) store(raw string, claims *apitoken.Claims, scopes []string, now time.Time) *verified {
	v := &verified{
		userID:   claims.PrivateClaims.UserID,
		deviceID: claims.PrivateClaims.DeviceID,
		scopes:   make(map[string]bool, len(scopes)),
		nbf:      time.Unix(claims.NotBefore, 0),
		exp:      time.Unix(claims.ExpiresAt, 0),
	}
	for _, s := range scopes {
		v.scopes[s] = true
	}
	c.mu.Lock()
	if len(c.m) >= c.max {
		c.evictLocked(now)
	}
	c.m[raw] = v
	c.mu.Unlock()
	return v
}

// evictLocked drops expired entries and, if the cache is still full, about
// half of the rest (in map order, which is as good as random here).
func (c *tokenCache) evictLocked(now time.Time) {
	for k, v := range c.m {
		if !now.Before(v.exp) {
			delete(c.m, k)
		}
	}
	for k := range c.m {
		if len(c.m) < c.max/2 {
			break
		}
		delete(c.m, k)
	}
}

func (c *tokenCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}
