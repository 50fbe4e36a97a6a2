package alexaapi

import "time"

// Decisions recorded in Request.Decision.
const (
	DecisionGranted          = "granted"               // 200 with the value (or 204 for a directive)
	DecisionNoValue          = "no-value"              // 204: the user has no such value
	DecisionNotGranted       = "not-granted"           // 403: the token lacks the scope
	DecisionNotInManifest    = "forbidden-by-manifest" // 403: the manifest does not declare it
	DecisionBadToken         = "bad-token"             // 401 (403 on Device Address)
	DecisionOtherDevice      = "other-device"          // 403: {deviceId} is not the token's
	DecisionBadRequest       = "bad-request"           // 400: invalid directive body
	DecisionNotFound         = "not-found"             // 404
	DecisionMethodNotAllowed = "method-not-allowed"    // 405
	DecisionFault            = "fault"                 // an injected fault answered
)

// Request is one call the fake answered. It holds no token.
type Request struct {
	Time     time.Time
	Method   string
	Path     string // the URL path, unescaped
	UserID   string // from the token, when it was valid
	DeviceID string // from the token, when it was valid
	// Scope is the runtime scope the API needs ("" for Settings and
	// directives).
	Scope    string
	Decision string
	Status   int // 0 when the connection was dropped or the client left
	// Detail says why, for bad tokens, faults and bad requests.
	Detail string
}

// Directive is a progressive response a skill sent.
type Directive struct {
	Time      time.Time
	UserID    string
	RequestID string // header.requestId: the request being answered
	Type      string // VoicePlayer.Speak
	Speech    string
}

// DefaultMaxLoggedRequests is the default of Config.MaxLoggedRequests.
const DefaultMaxLoggedRequests = 10000
