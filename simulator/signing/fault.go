package signing

import (
	"fmt"
	"strings"
	"time"
)

// Fault makes a signed request one that a verifier following Amazon's rules
// (docs/alexa-contract.md §7.1) must refuse. Each breaks one rule and keeps
// the others, so a verifier that skips that rule accepts the request.
type Fault string

// The faults.
const (
	// FaultNone signs correctly.
	FaultNone Fault = ""
	// FaultTamperedBody: the signatures are of other bytes than the body
	// sent (a field added), as if the body had been changed on the way.
	FaultTamperedBody Fault = "tampered-body"
	// FaultStaleTimestamp: request.timestamp is StaleAge old, past the
	// 150 s Amazon allows; the signatures are correct.
	FaultStaleTimestamp Fault = "stale-timestamp"
	// FaultCertURLScheme: the certificate URL is http, served on the same
	// host, port and path (Amazon's example: http://s3.amazonaws.com/…).
	FaultCertURLScheme Fault = "bad-cert-url:scheme"
	// FaultCertURLHost: another host name for the same server (localhost
	// for 127.0.0.1; Amazon's example: https://notamazon.com/…).
	FaultCertURLHost Fault = "bad-cert-url:host"
	// FaultCertURLPort: another port, serving the same chain (Amazon's
	// example: https://s3.amazonaws.com:563/…).
	FaultCertURLPort Fault = "bad-cert-url:port"
	// FaultCertURLPath: a path outside /echo.api/ (Amazon's example:
	// /invalid.path/…).
	FaultCertURLPath Fault = "bad-cert-url:path"
	// FaultCertURLPathCase: /EcHo.aPi/: the path rule is case-sensitive
	// (Amazon's example).
	FaultCertURLPathCase Fault = "bad-cert-url:path-case"
	// FaultCertURLPathTraversal: /echo.api/../invalid.path/…, which leaves
	// /echo.api/ once normalized; Amazon asks verifiers to normalize first.
	FaultCertURLPathTraversal Fault = "bad-cert-url:path-traversal"
)

// StaleAge is how old FaultStaleTimestamp makes a request: one second past
// the 150 s tolerance Amazon allows and the SDKs cap
// (docs/alexa-contract.md §7.2), so it tests the limit itself.
const StaleAge = 151 * time.Second

var faults = []Fault{FaultTamperedBody, FaultStaleTimestamp, FaultCertURLScheme, FaultCertURLHost,
	FaultCertURLPort, FaultCertURLPath, FaultCertURLPathCase, FaultCertURLPathTraversal}

// Faults returns every fault but FaultNone.
func Faults() []Fault { return append([]Fault(nil), faults...) }

// ParseFault returns the fault named s.
func ParseFault(s string) (Fault, error) {
	f := Fault(strings.TrimSpace(s))
	if err := f.check(); err != nil {
		return "", err
	}
	return f, nil
}

func (f Fault) check() error {
	if f == FaultNone {
		return nil
	}
	for _, g := range faults {
		if f == g {
			return nil
		}
	}
	names := make([]string, len(faults))
	for i, g := range faults {
		names[i] = string(g)
	}
	return fmt.Errorf("signing fault %q: want one of %s", string(f), strings.Join(names, ", "))
}

// Describe says what a fault does, in words for a failure message: "a
// tampered body".
func (f Fault) Describe() string {
	switch f {
	case FaultTamperedBody:
		return "a tampered body"
	case FaultStaleTimestamp:
		return fmt.Sprintf("a timestamp %v old", StaleAge)
	case FaultCertURLScheme:
		return "an http certificate URL"
	case FaultCertURLHost:
		return "a certificate URL on another host"
	case FaultCertURLPort:
		return "a certificate URL on another port"
	case FaultCertURLPath:
		return "a certificate URL outside /echo.api/"
	case FaultCertURLPathCase:
		return "a certificate URL under /EcHo.aPi/ (the path is case-sensitive)"
	case FaultCertURLPathTraversal:
		return "a certificate URL that leaves /echo.api/ through .."
	}
	return "a correct signature"
}
