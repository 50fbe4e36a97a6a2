package smapi

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/asksim/asksim/internal/faults"
)

// Decisions recorded in Request.Decision.
const (
	DecisionOK               = "ok"
	DecisionBadToken         = "bad-token"           // 401: no token, or one the LWA fake did not issue or that expired
	DecisionMissingScope     = "missing-scope"       // 403: the token lacks the operation's scope
	DecisionForbidden        = "forbidden"           // 403: another vendor
	DecisionNotFound         = "not-found"           // 404: unknown path, skill, stage, locale or simulation
	DecisionBadRequest       = "bad-request"         // 400: a parameter or body is invalid
	DecisionConflict         = "conflict"            // 409: a simulation is in progress for the developer
	DecisionPrecondition     = "precondition-failed" // 412: If-Match does not match
	DecisionMethodNotAllowed = "method-not-allowed"  // 405
	DecisionFault            = "fault"               // an injected fault answered
)

// apiError is an error answer: {"message"} or {"message","violations"}
// (docs/smapi-contract.md §4.1), always JSON so that the ASK CLI's internal
// client can show it (§4.2).
type apiError struct {
	status     int
	decision   string
	message    string
	violations []violation
}

type violation struct {
	Code              string             `json:"code,omitempty"`
	Message           string             `json:"message"`
	ValidationDetails *validationDetails `json:"validationDetails,omitempty"`
}

type validationDetails struct {
	OriginalInstance instance `json:"originalInstance"`
}

// instance names the element at fault as SMAPI does: a JSONPath from $ in
// the request body.
type instance struct {
	PropertyPath string `json:"propertyPath"`
	Type         string `json:"type"`
}

// bodyViolation is a violation at path ("$" for the whole body).
func bodyViolation(code, path, format string, args ...any) violation {
	return violation{Code: code, Message: fmt.Sprintf(format, args...),
		ValidationDetails: &validationDetails{OriginalInstance: instance{PropertyPath: path, Type: "BODY"}}}
}

func errorf(status int, decision, format string, args ...any) *apiError {
	return &apiError{status: status, decision: decision, message: fmt.Sprintf(format, args...)}
}

func badRequest(message string, v ...violation) *apiError {
	return &apiError{status: http.StatusBadRequest, decision: DecisionBadRequest, message: message, violations: v}
}

func notFound(format string, args ...any) *apiError {
	return errorf(http.StatusNotFound, DecisionNotFound, format, args...)
}

func (e *apiError) body() []byte {
	b, _ := json.Marshal(struct {
		Message    string      `json:"message"`
		Violations []violation `json:"violations,omitempty"`
	}{e.message, e.violations})
	return b
}

// statusBody is the error body of a bare status, for faults.
func statusBody(status int) []byte {
	return (&apiError{message: http.StatusText(status)}).body()
}

// writeJSON answers v as JSON; an empty answer (202, 204) has no body and
// no Content-Type.
func writeJSON(w http.ResponseWriter, status int, v any) {
	if v == nil {
		w.WriteHeader(status)
		return
	}
	if raw, ok := v.(json.RawMessage); ok { // stored documents go out as they are
		faults.WriteJSON(w, status, raw)
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, (&apiError{message: "asksim: cannot encode the answer"}).body()
	}
	faults.WriteJSON(w, status, b)
}
