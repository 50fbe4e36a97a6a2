package oauth

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Error codes: RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1, RFC 7009 §2.2.1.
// These are the only words that appear in an "error" field.
const (
	ErrorInvalidRequest          = "invalid_request"
	ErrorInvalidClient           = "invalid_client"
	ErrorInvalidGrant            = "invalid_grant"
	ErrorUnauthorizedClient      = "unauthorized_client"
	ErrorUnsupportedGrantType    = "unsupported_grant_type"
	ErrorInvalidScope            = "invalid_scope"
	ErrorAccessDenied            = "access_denied"
	ErrorUnsupportedResponseType = "unsupported_response_type"
	ErrorServerError             = "server_error"
	ErrorInvalidToken            = "invalid_token"
	ErrorInsufficientScope       = "insufficient_scope"
)

// Error is an OAuth error answer. Endpoints build it as a value and one
// writer renders it, so every error body has the same shape.
type Error struct {
	Type        string // one of the Error* constants
	Description string // printable ASCII without '"' or '\' (RFC 6749 §5.2)
	Status      int    // HTTP status for JSON answers

	// param names the parameter at fault; LWA's wording quotes it.
	param string
	// challenge, when set, is sent as WWW-Authenticate (401 answers).
	challenge string
}

func (e Error) Error() string {
	if e.Description == "" {
		return "oauth: " + e.Type
	}
	return "oauth: " + e.Type + ": " + e.Description
}

// Constructors keep status codes consistent: invalid_client is 401
// (RFC 6749 §5.2), the other token-endpoint errors 400.
func errRequest(format string, args ...any) *Error {
	return &Error{Type: ErrorInvalidRequest, Description: fmt.Sprintf(format, args...), Status: http.StatusBadRequest}
}

func errGrant(param, format string, args ...any) *Error {
	return &Error{Type: ErrorInvalidGrant, Description: fmt.Sprintf(format, args...), Status: http.StatusBadRequest, param: param}
}

func errClient(challenge bool, format string, args ...any) *Error {
	e := &Error{Type: ErrorInvalidClient, Description: fmt.Sprintf(format, args...), Status: http.StatusUnauthorized}
	if challenge {
		e.challenge = basicChallenge
	}
	return e
}

func newError(typ string, status int, format string, args ...any) *Error {
	return &Error{Type: typ, Description: fmt.Sprintf(format, args...), Status: status}
}

const basicChallenge = `Basic realm="asksim-oauth", charset="UTF-8"`

// cleanDescription keeps error_description inside RFC 6749 §5.2's
// character set: %x20-21 / %x23-5B / %x5D-7E.
func cleanDescription(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '\''
		}
		return r
	}, s)
}

// noStore marks a response as carrying credentials (RFC 6749 §5.1).
func noStore(h http.Header) {
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
}

// writeError is the one writer of JSON OAuth errors.
func writeError(w http.ResponseWriter, r *http.Request, e *Error) {
	entry(r).Outcome = e.Type
	h := w.Header()
	if e.challenge != "" {
		h.Set("WWW-Authenticate", e.challenge)
	}
	body := struct {
		Error       string `json:"error"`
		Description string `json:"error_description,omitempty"`
	}{e.Type, cleanDescription(e.Description)}
	writeJSON(w, e.Status, body)
}

// writeJSON answers v with no-store headers: every JSON answer of this
// server either carries or describes credentials.
func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		// Only plain structs and claim maps from a validated Config reach here.
		status, data = http.StatusInternalServerError, []byte(`{"error":"server_error"}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	noStore(h)
	w.WriteHeader(status)
	w.Write(append(data, '\n'))
}

// allowMethods answers 405 with an Allow header when r.Method is not listed.
func allowMethods(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	writeError(w, r, newError(ErrorInvalidRequest, http.StatusMethodNotAllowed, "method %s not allowed, use %s", r.Method, strings.Join(methods, " or ")))
	return false
}
