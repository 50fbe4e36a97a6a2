package simulator

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/asksim/asksim/simulator/signing"
)

// Alexa's request headers (docs/alexa-contract.md §1).
const (
	HeaderSignature             = signing.HeaderSignature
	HeaderSignature256          = signing.HeaderSignature256
	HeaderSignatureCertChainURL = signing.HeaderSignatureCertChainURL
	// UserAgent is the User-Agent Alexa's requests carry.
	UserAgent = "Apache-HttpClient/4.5.13 (Java/1.8.0_172)"
)

// Request signing is off unless asked for: no SDK verifier can accept a
// signature made outside Amazon, and two RSA signatures a turn cost more
// than the rest of a turn (docs/request-signing.md). When it is on, a
// signing.Authority signs as Alexa does, with a chain a skill's own
// verifier can be configured to trust.

// WithRequestSigning signs every request (Signature-256, Signature,
// SignatureCertChainUrl) when on, with WithRequestSigner's Authority or
// signing.Default(). Off by default.
func WithRequestSigning(on bool) Option { return func(s *Simulator) { s.sign.on = on } }

// WithRequestSigner sets the Authority that signs requests when signing is
// on (WithRequestSigning, Conversation.SetRequestSigning). Without it, the
// process's signing.Default() signs.
func WithRequestSigner(a *signing.Authority) Option {
	return func(s *Simulator) { s.signAuthority = a }
}

// WithSigningFault signs every request with fault f, so that each is one a
// verifier must refuse. It turns signing on.
func WithSigningFault(f signing.Fault) Option {
	return func(s *Simulator) {
		if _, err := signing.ParseFault(string(f)); err != nil {
			s.errs = append(s.errs, err)
			return
		}
		s.sign = signPlan{on: true, fault: f}
	}
}

// signPlan says whether requests are signed, and with which fault.
type signPlan struct {
	on    bool
	fault signing.Fault
}

// RequestSigner returns the Authority requests are signed with:
// WithRequestSigner's, else signing.Default(), made on the first call.
func (s *Simulator) RequestSigner() (*signing.Authority, error) {
	if s.signAuthority != nil {
		return s.signAuthority, nil
	}
	return signing.Default()
}

// SetRequestSigning signs this conversation's later requests, or not,
// whatever the simulator's setting. A fault other than signing.FaultNone
// makes each of them a request a verifier must refuse; it needs on.
func (c *Conversation) SetRequestSigning(on bool, f signing.Fault) error {
	if _, err := signing.ParseFault(string(f)); err != nil {
		return err
	}
	if f != signing.FaultNone && !on {
		return fmt.Errorf("signing fault %q needs request signing on", string(f))
	}
	c.sign = &signPlan{on: on, fault: f}
	return nil
}

// RequestSigning reports whether the conversation's requests are signed,
// and with which fault.
func (c *Conversation) RequestSigning() (on bool, f signing.Fault) {
	p := c.signPlan()
	return p.on, p.fault
}

func (c *Conversation) signPlan() signPlan {
	if c.sign != nil {
		return *c.sign
	}
	return c.sim.sign
}

// requestHeader returns the headers of one request with body, signed as p
// says.
func (s *Simulator) requestHeader(body []byte, p signPlan) (http.Header, error) {
	h := make(http.Header, 8)
	h["Content-Type"] = []string{"application/json; charset=utf-8"}
	h["Accept"] = []string{"application/json"}
	h["Accept-Charset"] = []string{"utf-8"}
	h["User-Agent"] = []string{UserAgent}
	if !p.on {
		return h, nil
	}
	a, err := s.RequestSigner()
	if err != nil {
		return nil, fmt.Errorf("request signing: %w", err)
	}
	if err := a.Sign(h, body, p.fault); err != nil {
		return nil, err
	}
	return h, nil
}

var errStaleWholeEnvelope = errors.New("signing fault stale-timestamp applies to envelopes asksim builds; a whole envelope keeps the timestamp it has, so write an old one into it")
