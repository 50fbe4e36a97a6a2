package simulator

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/asksim/asksim/internal/excerpt"
)

// ErrNoEndpoint is returned by Send when the Simulator has no endpoint
// (see WithEndpoint).
var ErrNoEndpoint = errors.New("simulator: no skill endpoint (use WithEndpoint)")

// FaultKind says how a skill failed to answer.
type FaultKind string

// Skill faults. Each ends the turn with a *SkillError.
const (
	// FaultConnection: the connection was refused, reset or not made (DNS,
	// TLS).
	FaultConnection FaultKind = "connection"
	// FaultTimeout: no complete answer within the turn's timeout.
	FaultTimeout FaultKind = "timeout"
	// FaultStatus: an HTTP status other than 200, or a handler panic.
	FaultStatus FaultKind = "status"
	// FaultEmptyBody: HTTP 200 with nothing in the body.
	FaultEmptyBody FaultKind = "empty-body"
	// FaultNotJSON: a body that is not JSON.
	FaultNotJSON FaultKind = "not-json"
	// FaultOversize: a body larger than the endpoint's read cap
	// (MaxResponseBytes by default).
	FaultOversize FaultKind = "oversize"
	// FaultFunction: the Lambda function raised an error.
	FaultFunction FaultKind = "function-error"
	// FaultCanceled: the caller's context was canceled; not the skill's
	// doing, but the turn has no answer all the same.
	FaultCanceled FaultKind = "canceled"
)

// SkillError is a turn the skill did not answer usably. Its message says
// what happened, what was sent and how the body starts.
type SkillError struct {
	Kind FaultKind
	// StatusCode is the HTTP status, 0 when no answer came.
	StatusCode int
	// BodyStart is the start of the answer's body, at most 200 bytes, cut where a character starts.
	BodyStart string
	// RequestType and Intent say what was sent; Intent is empty but for
	// intent requests.
	RequestType string
	Intent      string
	// Endpoint is where it was sent.
	Endpoint string
	// Timeout is the deadline that passed, for FaultTimeout.
	Timeout time.Duration
	// Err is the underlying error.
	Err error
}

func (e *SkillError) Error() string {
	var b strings.Builder
	b.WriteString("skill fault (")
	b.WriteString(string(e.Kind))
	b.WriteString("): ")
	switch {
	case e.Kind == FaultTimeout && e.Timeout > 0:
		fmt.Fprintf(&b, "no answer within %v", e.Timeout)
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	default:
		b.WriteString(string(e.Kind))
	}
	if e.RequestType != "" {
		b.WriteString("; sent ")
		writeRequest(&b, e.RequestType, e.Intent)
	} else {
		b.WriteString("; sent a request")
	}
	if e.Endpoint != "" {
		b.WriteString(" to ")
		b.WriteString(e.Endpoint)
	}
	switch {
	case e.BodyStart != "":
		fmt.Fprintf(&b, "; body starts %q", e.BodyStart)
	case e.StatusCode != 0:
		b.WriteString("; body is empty")
	}
	return b.String()
}

func (e *SkillError) Unwrap() error { return e.Err }

// Refusal returns the HTTP status of err when it is a skill's refusal: a
// *SkillError with a 4xx status, which is how a skill's signature verifier
// turns a request away (the SDKs answer 400; docs/alexa-contract.md §7.2).
func Refusal(err error) (status int, ok bool) {
	var se *SkillError
	if errors.As(err, &se) && se.Kind == FaultStatus && se.StatusCode >= 400 && se.StatusCode < 500 {
		return se.StatusCode, true
	}
	return 0, false
}

// bodyStartLen is how much of a body a SkillError quotes.
const bodyStartLen = 200

// bodyStart returns the start of b, cut where a character starts.
func bodyStart(b []byte) string { return excerpt.Head(string(b), bodyStartLen) }

// ContractError is a turn whose answer breaks Alexa's response contract.
type ContractError struct {
	RequestType string
	Intent      string
	Violations  []Violation
}

func (e *ContractError) Error() string {
	var b strings.Builder
	b.WriteString("response to ")
	writeRequest(&b, e.RequestType, e.Intent)
	if len(e.Violations) == 1 {
		b.WriteString(" breaks 1 rule of Alexa's response contract:")
	} else {
		fmt.Fprintf(&b, " breaks %d rules of Alexa's response contract:", len(e.Violations))
	}
	for _, v := range e.Violations {
		b.WriteString("\n  ")
		b.WriteString(v.String())
	}
	return b.String()
}

// writeRequest names what was sent: "IntentRequest (intent OrderIntent)".
func writeRequest(b *strings.Builder, requestType, intent string) {
	b.WriteString(requestType)
	if intent != "" {
		b.WriteString(" (intent ")
		b.WriteString(intent)
		b.WriteString(")")
	}
}
