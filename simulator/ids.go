package simulator

import (
	"bufio"
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"io"
	mrand "math/rand/v2"
	"strings"
	"sync"

	"github.com/google/uuid"
)

// Identifier prefixes, as observed in captured Alexa traffic
// (docs/alexa-contract.md §2.2).
const (
	SkillIDPrefix   = "amzn1.ask.skill."
	UserIDPrefix    = "amzn1.ask.account."
	DeviceIDPrefix  = "amzn1.ask.device."
	PersonIDPrefix  = "amzn1.ask.person."
	SessionIDPrefix = "amzn1.echo-api.session."
	RequestIDPrefix = "amzn1.echo-api.request."
)

// Lengths of the base32 bodies of real user and device ids.
const (
	userIDBodyLen   = 207
	deviceIDBodyLen = 181
	personIDBodyLen = 181
)

// idSource turns a stream of random bytes into identifiers. The stream is
// crypto/rand unless the caller injects one, which makes ids reproducible.
type idSource struct {
	mu sync.Mutex
	r  io.Reader
}

func newIDSource(r io.Reader) *idSource {
	if r == nil {
		// Buffered: every turn takes a request id, and an unbuffered read
		// is a getrandom system call on the turn's critical path.
		r = bufio.NewReaderSize(rand.Reader, 4096)
	}
	return &idSource{r: r}
}

// seededReader returns a deterministic byte stream for a seed, for --seed.
func seededReader(seed uint64) io.Reader {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	copy(key[8:], "asksim-deterministic-ids")
	return mrand.NewChaCha8(key)
}

func (g *idSource) read(n int) []byte {
	b := make([]byte, n)
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, err := io.ReadFull(g.r, b); err != nil {
		// An exhausted injected reader is a programming error in a test; fall
		// back to crypto/rand rather than handing out duplicate ids.
		_, _ = rand.Read(b)
	}
	return b
}

func (g *idSource) uuid() string {
	b := g.read(16)
	u, _ := uuid.FromBytes(b)
	u[6] = (u[6] & 0x0f) | 0x40 // version 4
	u[8] = (u[8] & 0x3f) | 0x80 // RFC 4122 variant
	return u.String()
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// base32 returns n characters of [A-Z2-7], the alphabet of real user and
// device ids.
func (g *idSource) base32(n int) string {
	s := b32.EncodeToString(g.read(n*5/8 + 1))
	return s[:n]
}

// NewSkillID returns a fresh skill id in Alexa's format.
func NewSkillID() string { return SkillIDPrefix + newIDSource(nil).uuid() }

func (g *idSource) userID() string    { return UserIDPrefix + g.base32(userIDBodyLen) }
func (g *idSource) deviceID() string  { return DeviceIDPrefix + g.base32(deviceIDBodyLen) }
func (g *idSource) personID() string  { return PersonIDPrefix + g.base32(personIDBodyLen) }
func (g *idSource) sessionID() string { return SessionIDPrefix + g.uuid() }
func (g *idSource) requestID() string { return RequestIDPrefix + g.uuid() }

// linkedToken stands in for a token from the skill's own OAuth server when
// the caller asks for a linked account without running the linking flow.
func (g *idSource) linkedToken() string {
	return "asksim-linked." + strings.ToLower(g.base32(40))
}
