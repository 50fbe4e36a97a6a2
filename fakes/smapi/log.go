package smapi

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Request is one call the fake answered. It holds no token: Token is its
// digest, enough to tell two apart and useless to replay.
type Request struct {
	Time   time.Time
	Method string
	Path   string // the URL path, unescaped
	// Operation is the ask smapi command the route belongs to, e.g.
	// "get-skill-manifest"; "" when no route matched.
	Operation string
	Developer string // the token's user, when the token was valid
	Token     string // "sha256:" and 8 hex digits of the token's digest, as fakes/oauth logs secrets; "" when none was sent
	RequestID string // the x-amzn-RequestId answered
	Decision  string
	Status    int // 0 when the connection was dropped or the client left
	// Detail says why, for refusals, faults and failed simulations.
	Detail string
}

// DefaultMaxLoggedRequests is the default of Config.MaxLoggedRequests.
const DefaultMaxLoggedRequests = 10000

func redactToken(t string) string {
	if t == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(t))
	return "sha256:" + hex.EncodeToString(sum[:4])
}
