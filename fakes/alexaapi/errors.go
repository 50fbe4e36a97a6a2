package alexaapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// family is the API a path belongs to. Each has its own error body shape,
// which the SDK clients decode into different models [M services.ups.Error,
// services.deviceAddress.Error, services.directive.Error].
type family int

const (
	familyUPS       family = iota // Customer Profile and Settings: {"code": string, "message"}
	familyAddress                 // Device Address: {"type", "message"}
	familyDirective               // Progressive response: {"code": number, "message"}
)

// familyOf classifies any path, known or not, so that a 404 or an injected
// fault under an API's prefix still answers in that API's shape.
func familyOf(path string) family {
	switch {
	case strings.HasPrefix(path, "/v1/devices/"):
		return familyAddress
	case strings.HasPrefix(path, "/v1/directives"):
		return familyDirective
	}
	return familyUPS
}

// apiError is one error answer: its status, its code (UPS "code", Device
// Address "type"; the directive API puts the status number there) and text.
type apiError struct {
	status  int
	code    string
	message string
}

// Bodies seen from Amazon (docs/alexa-contract.md §4.1, §4.2, from the
// Jovo framework's error mapping). Jovo treats the first two of each API as
// "the user must grant access" and the last as "declare it in the manifest",
// so the texts matter to skills built on it.
const (
	msgNotRequested        = "Access denied with reason: ACCESS_NOT_REQUESTED"
	msgForbidden           = "Access denied with reason: FORBIDDEN"
	msgAddressTokenInvalid = "The authentication token is not valid." // UPS 401 too
	msgAddressNotRequested = "Access to this resource has not yet been requested."
	msgAddressForbidden    = "Access to this resource cannot be requested."
)

func errNotGranted(f family) apiError {
	if f == familyAddress {
		return apiError{http.StatusForbidden, "FORBIDDEN", msgAddressNotRequested}
	}
	return apiError{http.StatusForbidden, "ACCESS_DENIED", msgNotRequested}
}

func errNotInManifest(f family) apiError {
	if f == familyAddress {
		return apiError{http.StatusForbidden, "FORBIDDEN", msgAddressForbidden}
	}
	return apiError{http.StatusForbidden, "ACCESS_DENIED", msgForbidden}
}

// errBadToken answers a missing or unverifiable token. Customer Profile,
// Settings and directives define 401 for it [M UpsServiceClient,
// DirectiveServiceClient]. The Device Address API defines no 401: its 403 is
// "The authentication token is invalid or doesn't have access to the
// resource" [M DeviceAddressServiceClient; PM], so it answers 403.
// The message is exactly Amazon's "The authentication token is not
// valid.", which Jovo compares for equality, in its profile and address
// clients alike, to tell the skill to ask for permission
// (docs/alexa-contract.md §4.1 [JV]). What was wrong with the token goes
// to the X-Asksim-Detail header and the log instead (see DetailHeader).
// INVALID_TOKEN is a code of the UPS error model.
func errBadToken(f family) apiError {
	if f == familyAddress {
		return apiError{http.StatusForbidden, "FORBIDDEN", msgAddressTokenInvalid}
	}
	return apiError{http.StatusUnauthorized, "INVALID_TOKEN", msgAddressTokenInvalid}
}

// DetailHeader is the response header in which the fake says why it
// refused a call (a bad token's fault, a missing manifest permission, an
// injected fault), so that the body can keep Amazon's exact wording,
// which frameworks match on. It is asksim's, not Amazon's.
const DetailHeader = "X-Asksim-Detail"

// errOtherDevice answers a token used for another device's resource: the
// token is valid but has no access to it, which both APIs answer with 403.
// Amazon's text is UNCONFIRMED. The UPS code is one of the Python model's
// ErrorCode enum, which its deserializer insists on (see upsCodes).
func errOtherDevice(f family) apiError {
	if f == familyAddress {
		return apiError{http.StatusForbidden, "FORBIDDEN", "The authentication token does not give access to this device."}
	}
	return apiError{http.StatusForbidden, "INVALID_TOKEN", "The authentication token does not give access to this device."}
}

// upsCodes are the values of the UPS error model's code
// [PM services/ups/error_code.py]. The Python SDK deserializes the body of a
// 401, 403, 429 or 5xx into that model and raises SerializationException
// for any other code, so the fake's own codes come from this list. Amazon's
// ACCESS_DENIED (seen in the wild) is not in it: Python skills get that
// exception from Amazon too, and from the fake, by design.
var upsCodes = []string{"INVALID_KEY", "INVALID_VALUE", "INVALID_TOKEN", "INVALID_URI", "DEVICE_UNREACHABLE", "UNKNOWN_ERROR"}

// errStatus is the default error of a status, e.g. for an injected 429 or
// 500. Amazon's texts are UNCONFIRMED; the shape is what the SDKs parse.
func errStatus(f family, status int, message string) apiError {
	code := strings.ToUpper(strings.ReplaceAll(http.StatusText(status), " ", "_"))
	if code == "" {
		code = "HTTP_" + strconv.Itoa(status)
	}
	if f == familyUPS {
		code = "UNKNOWN_ERROR"
	}
	if message == "" {
		message = http.StatusText(status)
	}
	return apiError{status, code, message}
}

// body renders e in f's shape.
func (e apiError) body(f family) []byte {
	var v any
	switch f {
	case familyAddress:
		v = struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		}{e.code, e.message}
	case familyDirective:
		v = struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		}{e.status, e.message}
	default:
		v = struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		}{e.code, e.message}
	}
	b, _ := json.Marshal(v) // cannot fail for these types
	return b
}

// writeJSON writes a JSON answer. Every body the fake sends, errors
// included, is JSON: Node parses the body before looking at the status and
// Python decodes error bodies, and both fail on anything else (§4.0).
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	w.Write(body)
}
