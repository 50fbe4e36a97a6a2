package simulator

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Request types (docs/alexa-contract.md §2).
const (
	TypeLaunchRequest          = "LaunchRequest"
	TypeIntentRequest          = "IntentRequest"
	TypeSessionEndedRequest    = "SessionEndedRequest"
	TypeCanFulfillIntent       = "CanFulfillIntentRequest"
	TypeConnectionsResponse    = "Connections.Response"
	TypeSessionResumed         = "SessionResumedRequest"
	TypeExceptionEncountered   = "System.ExceptionEncountered"
	TypePlaybackStarted        = "AudioPlayer.PlaybackStarted"
	TypePlaybackFinished       = "AudioPlayer.PlaybackFinished"
	TypePlaybackStopped        = "AudioPlayer.PlaybackStopped"
	TypePlaybackNearlyFinished = "AudioPlayer.PlaybackNearlyFinished"
	TypePlaybackFailed         = "AudioPlayer.PlaybackFailed"
)

// Confirmation statuses of intents and slots.
const (
	ConfirmationNone      = "NONE"
	ConfirmationConfirmed = "CONFIRMED"
	ConfirmationDenied    = "DENIED"
)

// Dialog states.
const (
	DialogStarted    = "STARTED"
	DialogInProgress = "IN_PROGRESS"
	DialogCompleted  = "COMPLETED"
)

// SessionEndedRequest reasons and error types.
const (
	ReasonUserInitiated        = "USER_INITIATED"
	ReasonError                = "ERROR"
	ReasonExceededMaxReprompts = "EXCEEDED_MAX_REPROMPTS"
)

// Entity-resolution status codes.
const (
	ERSuccessMatch   = "ER_SUCCESS_MATCH"
	ERSuccessNoMatch = "ER_SUCCESS_NO_MATCH"
)

// Voice permission results (Connections.Response payload.status).
const (
	PermissionAccepted    = "ACCEPTED"
	PermissionDenied      = "DENIED"
	PermissionNotAnswered = "NOT_ANSWERED"
)

// Sessionless reports whether requests of type t carry no session
// (AudioPlayer, PlaybackController, skill events, exceptions).
func Sessionless(t string) bool {
	return t == TypeExceptionEncountered ||
		strings.HasPrefix(t, "AudioPlayer.") ||
		strings.HasPrefix(t, "PlaybackController.") ||
		strings.HasPrefix(t, "AlexaSkillEvent.") ||
		strings.HasPrefix(t, "AlexaHouseholdListEvent.") ||
		strings.HasPrefix(t, "Messaging.")
}

// RequestOption adjusts a request built by IntentRequest or
// CanFulfillIntentRequest.
type RequestOption func(*Request)

// LaunchRequest returns a LaunchRequest ("open my skill").
func LaunchRequest() Request {
	f := false
	return Request{Type: TypeLaunchRequest, ShouldLinkResultBeReturned: &f}
}

// IntentRequest returns an IntentRequest for intent name.
func IntentRequest(name string, opts ...RequestOption) Request {
	r := Request{Type: TypeIntentRequest, Intent: &Intent{Name: name, ConfirmationStatus: ConfirmationNone}}
	for _, o := range opts {
		o(&r)
	}
	return r
}

// CanFulfillIntentRequest returns a CanFulfillIntentRequest for intent name.
func CanFulfillIntentRequest(name string, opts ...RequestOption) Request {
	r := IntentRequest(name, opts...)
	r.Type = TypeCanFulfillIntent
	return r
}

// WithSlot fills slot name with the spoken value; an empty value leaves the
// slot defined but unfilled, as Alexa sends every slot of the intent.
func WithSlot(name, value string) RequestOption {
	return WithSlots(SpokenSlot(name, value))
}

// WithSlots adds slots, replacing any of the same name.
func WithSlots(slots ...Slot) RequestOption {
	return func(r *Request) {
		if r.Intent.Slots == nil {
			r.Intent.Slots = map[string]Slot{}
		}
		for _, s := range slots {
			r.Intent.Slots[s.Name] = s
		}
	}
}

// WithDialogState sets request.dialogState (STARTED, IN_PROGRESS, COMPLETED).
func WithDialogState(state string) RequestOption {
	return func(r *Request) { r.DialogState = state }
}

// WithIntentConfirmation sets intent.confirmationStatus.
func WithIntentConfirmation(status string) RequestOption {
	return func(r *Request) { r.Intent.ConfirmationStatus = status }
}

// SpokenSlot returns a slot as Alexa fills it from speech: value, source
// USER, and the same value as a Simple slotValue. An empty value gives an
// unfilled slot.
func SpokenSlot(name, value string) Slot {
	s := Slot{Name: name, ConfirmationStatus: ConfirmationNone}
	if value != "" {
		s.Value = value
		s.Source = "USER"
		s.SlotValue = &SlotValue{Type: "Simple", Value: value}
	}
	return s
}

// Resolved returns s with entity-resolution results from authority, in both
// resolutions and slotValue.resolutions. No values means ER_SUCCESS_NO_MATCH.
func (s Slot) Resolved(authority string, values ...ResolvedValue) Slot {
	res := Resolution{Authority: authority, Status: ResolutionStatus{Code: ERSuccessNoMatch}}
	if len(values) > 0 {
		res.Status.Code = ERSuccessMatch
		for _, v := range values {
			res.Values = append(res.Values, ResolutionValues{Value: v})
		}
	}
	rs := &Resolutions{ResolutionsPerAuthority: []Resolution{res}}
	s.Resolutions = rs
	if s.SlotValue != nil {
		sv := *s.SlotValue
		sv.Resolutions = rs
		s.SlotValue = &sv
	}
	return s
}

// Confirmed returns s with confirmationStatus set.
func (s Slot) Confirmed(status string) Slot {
	s.ConfirmationStatus = status
	return s
}

// ResolvesTo reports whether entity resolution matched s to the canonical
// value name, under any authority. got lists what it matched instead, per
// authority: the value names, or the status code of an authority without
// values; got is empty when s carries no entity resolution.
func (s Slot) ResolvesTo(name string) (ok bool, got []string) {
	if s.Resolutions == nil {
		return false, nil
	}
	for _, rpa := range s.Resolutions.ResolutionsPerAuthority {
		for _, v := range rpa.Values {
			if v.Value.Name == name {
				return true, nil
			}
			got = append(got, v.Value.Name)
		}
		if len(rpa.Values) == 0 {
			got = append(got, rpa.Status.Code)
		}
	}
	return false, got
}

// Summary names r for people: its type, then for an intent request the
// intent and any dialog state, "IntentRequest OrderIntent (dialogState
// COMPLETED)".
func (r *Request) Summary() string {
	s := r.Type
	if r.Intent != nil {
		s += " " + r.Intent.Name
	}
	if r.DialogState != "" {
		s += " (dialogState " + r.DialogState + ")"
	}
	return s
}

// CustomAuthority returns the entity-resolution authority of a custom slot
// type of a skill.
func CustomAuthority(skillID, slotType string) string {
	return "amzn1.er-authority.echo-sdk." + skillID + "." + slotType
}

// SessionEndedRequest returns a SessionEndedRequest. err may be nil; it is
// sent only with reason ERROR.
func SessionEndedRequest(reason string, err *Error) Request {
	if reason == "" {
		reason = ReasonUserInitiated
	}
	r := Request{Type: TypeSessionEndedRequest, Reason: reason}
	if reason == ReasonError {
		r.Error = err
	}
	return r
}

// PermissionResponse returns the Connections.Response Alexa sends after a
// version 2 voice permission request: status ACCEPTED, DENIED or
// NOT_ANSWERED, the scopes the skill asked for (at ACCOUNT level) and the
// token it sent. PermissionAnswer covers version 1, consent levels and
// failures.
func PermissionResponse(status string, scopes []string, token string) Request {
	return PermissionAnswer{Status: status, Scopes: scopes, Token: token}.Request()
}

// Status codes of a voice permission answer (docs/alexa-contract.md §2.7,
// §2.10): a string, as Alexa sends it.
const (
	PermissionCodeOK = "200"
	// PermissionCodeNotInManifest answers a request for a scope the skill
	// manifest does not declare.
	PermissionCodeNotInManifest = "400"
)

// PermissionAnswer is Alexa's answer to a voice permission request, in the
// shape of the request that asked.
type PermissionAnswer struct {
	// Flow is FlowAskFor (the default) or FlowVoiceForward.
	Flow string
	// Version "1" answers an AskFor with a single payload.permissionScope;
	// anything else with the permissionScopes list.
	Version string
	// Status is the user's answer: ACCEPTED, DENIED or NOT_ANSWERED.
	// Empty with a failure Code: the user was not asked.
	Status string
	Scopes []string
	// ConsentLevels parallels Scopes; "" or missing means ACCOUNT.
	ConsentLevels []string
	Token         string
	// Code is status.code, PermissionCodeOK when empty; Message its text.
	Code    string
	Message string
}

type answeredScope struct {
	PermissionScope string `json:"permissionScope"`
	ConsentLevel    string `json:"consentLevel"`
}

// Request returns the request that carries a: a Connections.Response named
// AskFor for FlowAskFor, a SessionResumedRequest for FlowVoiceForward.
func (a PermissionAnswer) Request() Request {
	code, msg := a.Code, a.Message
	if code == "" {
		code = PermissionCodeOK
	}
	if msg == "" {
		msg = permissionCodeText[code]
	}
	st := &ConnectionStatus{Code: code, Message: msg}
	scopes := make([]answeredScope, 0, len(a.Scopes))
	for i, s := range a.Scopes {
		level := "ACCOUNT"
		if i < len(a.ConsentLevels) && a.ConsentLevels[i] != "" {
			level = a.ConsentLevels[i]
		}
		scopes = append(scopes, answeredScope{s, level})
	}
	if a.Flow == FlowVoiceForward {
		// The task's result carries the user's answer; a failed connection
		// has none (contract §2.10).
		result := json.RawMessage(`{}`)
		if a.Status != "" {
			result, _ = json.Marshal(struct {
				Status string `json:"status"`
			}{a.Status})
		}
		return Request{Type: TypeSessionResumed, Cause: &Cause{Type: "ConnectionCompleted", Token: a.Token, Status: st, Result: result}}
	}
	var payload []byte
	if a.Version == "1" {
		one := ""
		if len(a.Scopes) > 0 {
			one = a.Scopes[0]
		}
		payload, _ = json.Marshal(struct {
			Status          string `json:"status,omitempty"`
			IsCardThrown    bool   `json:"isCardThrown"`
			PermissionScope string `json:"permissionScope"`
		}{a.Status, false, one})
	} else {
		payload, _ = json.Marshal(struct {
			Status           string          `json:"status,omitempty"`
			IsCardThrown     bool            `json:"isCardThrown"`
			PermissionScopes []answeredScope `json:"permissionScopes"`
		}{a.Status, false, scopes})
	}
	token := a.Token
	return Request{Type: TypeConnectionsResponse, Name: "AskFor", Status: st, Token: &token, Payload: payload}
}

// permissionCodeText is status.message for each code asksim sends.
var permissionCodeText = map[string]string{
	PermissionCodeOK:            "OK",
	PermissionCodeNotInManifest: "Bad Request",
	"500":                       "Internal Server Error",
}

// ExceptionEncountered returns a System.ExceptionEncountered request about
// the response to the request causeRequestID.
func ExceptionEncountered(errType, message, causeRequestID string) Request {
	if errType == "" {
		errType = "INVALID_RESPONSE"
	}
	return Request{Type: TypeExceptionEncountered, Error: &Error{Type: errType, Message: message},
		Cause: &Cause{RequestID: causeRequestID}}
}

var audioPlayerEvents = map[string]string{
	"PlaybackStarted":        TypePlaybackStarted,
	"PlaybackFinished":       TypePlaybackFinished,
	"PlaybackStopped":        TypePlaybackStopped,
	"PlaybackNearlyFinished": TypePlaybackNearlyFinished,
	"PlaybackFailed":         TypePlaybackFailed,
}

// AudioPlayerEventNames lists the events AudioPlayerEvent accepts.
func AudioPlayerEventNames() []string {
	var names []string
	for n := range audioPlayerEvents {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// AudioPlayerEvent returns an AudioPlayer request. event is the name with or
// without the "AudioPlayer." prefix (PlaybackStarted, PlaybackFinished,
// PlaybackStopped, PlaybackNearlyFinished, PlaybackFailed).
func AudioPlayerEvent(event, token string, offsetMillis int64) (Request, error) {
	t, ok := audioPlayerEvents[strings.TrimPrefix(event, "AudioPlayer.")]
	if !ok {
		return Request{}, fmt.Errorf("unknown AudioPlayer event %q (valid: %s)", event, strings.Join(AudioPlayerEventNames(), ", "))
	}
	r := Request{Type: t, Token: &token, OffsetInMilliseconds: &offsetMillis}
	if t == TypePlaybackFailed {
		r.Error = &Error{Type: "MEDIA_ERROR_UNKNOWN", Message: "playback failed"}
		r.CurrentPlaybackState = &AudioPlayerState{Token: token, OffsetInMilliseconds: &offsetMillis, PlayerActivity: "STOPPED"}
	}
	return r, nil
}
