package simulator

import (
	"encoding/json"
)

// Envelope is the JSON document Alexa POSTs to a skill
// (docs/alexa-contract.md §2). Session is nil on sessionless requests
// (AudioPlayer events, System.ExceptionEncountered).
type Envelope struct {
	Version string   `json:"version"`
	Session *Session `json:"session,omitempty"`
	Context Context  `json:"context"`
	Request Request  `json:"request"`
}

// Session is the envelope's session object.
type Session struct {
	New         bool        `json:"new"`
	SessionID   string      `json:"sessionId"`
	Application Application `json:"application"`
	// Attributes are exactly the bytes of the sessionAttributes the skill
	// returned on the previous turn; absent on a new session.
	Attributes json.RawMessage `json:"attributes,omitempty"`
	User       User            `json:"user"`
}

// Application names the skill.
type Application struct {
	ApplicationID string `json:"applicationId"`
}

// User is session.user and context.System.user.
type User struct {
	UserID string `json:"userId"`
	// AccessToken is the linked account's token; absent when not linked.
	AccessToken string `json:"accessToken,omitempty"`
	// Permissions is absent when the user granted nothing.
	Permissions *Permissions `json:"permissions,omitempty"`
}

// Permissions is user.permissions.
type Permissions struct {
	// ConsentToken is the deprecated consent JWT.
	ConsentToken string `json:"consentToken,omitempty"`
	// Scopes holds per-scope statuses, used for geolocation.
	Scopes map[string]ScopeStatus `json:"scopes,omitempty"`
}

// ScopeStatus is {"status":"GRANTED"|"DENIED"}.
type ScopeStatus struct {
	Status string `json:"status"`
}

// Context is the envelope's context. Keys asksim does not model (for example
// Geolocation, Extensions or Alexa.Presentation.APL) are kept in Extra and
// written back unchanged.
type Context struct {
	System      System            `json:"System"`
	AudioPlayer *AudioPlayerState `json:"AudioPlayer,omitempty"`
	Viewport    *Viewport         `json:"Viewport,omitempty"`
	Viewports   []APLViewport     `json:"Viewports,omitempty"`

	Extra map[string]json.RawMessage `json:"-"`
}

// System is context.System.
type System struct {
	Application    Application `json:"application"`
	User           User        `json:"user"`
	Device         *Device     `json:"device,omitempty"`
	Person         *Person     `json:"person,omitempty"`
	Unit           *Unit       `json:"unit,omitempty"`
	APIEndpoint    string      `json:"apiEndpoint"`
	APIAccessToken string      `json:"apiAccessToken,omitempty"`
}

// Device is context.System.device.
type Device struct {
	DeviceID             string              `json:"deviceId"`
	PersistentEndpointID string              `json:"persistentEndpointId,omitempty"`
	SupportedInterfaces  SupportedInterfaces `json:"supportedInterfaces"`
}

// SupportedInterfaces maps interface names to their descriptions. It always
// marshals as an object, {} when empty, as Alexa sends it.
type SupportedInterfaces map[string]json.RawMessage

// MarshalJSON writes {} for a nil map.
func (s SupportedInterfaces) MarshalJSON() ([]byte, error) {
	if s == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(map[string]json.RawMessage(s))
}

// Person is context.System.person, the recognised speaker.
type Person struct {
	PersonID    string `json:"personId"`
	AccessToken string `json:"accessToken,omitempty"`
}

// Unit is context.System.unit.
type Unit struct {
	UnitID           string `json:"unitId"`
	PersistentUnitID string `json:"persistentUnitId,omitempty"`
}

// AudioPlayerState is context.AudioPlayer.
type AudioPlayerState struct {
	Token                string `json:"token,omitempty"`
	OffsetInMilliseconds *int64 `json:"offsetInMilliseconds,omitempty"`
	PlayerActivity       string `json:"playerActivity"`
}

// Viewport is context.Viewport of a screen device.
type Viewport struct {
	Experiences        []ViewportExperience `json:"experiences,omitempty"`
	Mode               string               `json:"mode,omitempty"`
	Shape              string               `json:"shape,omitempty"`
	PixelWidth         int                  `json:"pixelWidth,omitempty"`
	PixelHeight        int                  `json:"pixelHeight,omitempty"`
	DPI                int                  `json:"dpi,omitempty"`
	CurrentPixelWidth  int                  `json:"currentPixelWidth,omitempty"`
	CurrentPixelHeight int                  `json:"currentPixelHeight,omitempty"`
	Touch              []string             `json:"touch,omitempty"`
	Keyboard           []string             `json:"keyboard,omitempty"`
	Video              *ViewportVideo       `json:"video,omitempty"`
}

// ViewportExperience is one entry of Viewport.Experiences.
type ViewportExperience struct {
	ArcMinuteWidth  int  `json:"arcMinuteWidth"`
	ArcMinuteHeight int  `json:"arcMinuteHeight"`
	CanRotate       bool `json:"canRotate"`
	CanResize       bool `json:"canResize"`
}

// ViewportVideo lists the video codecs of a viewport.
type ViewportVideo struct {
	Codecs []string `json:"codecs"`
}

// APLViewport is one entry of context.Viewports.
type APLViewport struct {
	Type             string                `json:"type"`
	ID               string                `json:"id,omitempty"`
	Shape            string                `json:"shape,omitempty"`
	DPI              int                   `json:"dpi,omitempty"`
	PresentationType string                `json:"presentationType,omitempty"`
	CanRotate        bool                  `json:"canRotate"`
	Configuration    *APLViewportConfig    `json:"configuration,omitempty"`
	Video            *ViewportVideo        `json:"video,omitempty"`
	Size             *APLViewportSizeRange `json:"size,omitempty"`
}

// APLViewportConfig is an APL viewport's configuration.
type APLViewportConfig struct {
	Current APLViewportCurrent `json:"current"`
}

// APLViewportCurrent is the current APL viewport configuration.
type APLViewportCurrent struct {
	Mode  string          `json:"mode,omitempty"`
	Video *ViewportVideo  `json:"video,omitempty"`
	Size  APLViewportSize `json:"size"`
}

// APLViewportSize is a discrete viewport size.
type APLViewportSize struct {
	Type        string `json:"type"`
	PixelWidth  int    `json:"pixelWidth"`
	PixelHeight int    `json:"pixelHeight"`
}

// APLViewportSizeRange is a continuous viewport size.
type APLViewportSizeRange struct {
	Type           string `json:"type"`
	MinPixelWidth  int    `json:"minPixelWidth,omitempty"`
	MaxPixelWidth  int    `json:"maxPixelWidth,omitempty"`
	MinPixelHeight int    `json:"minPixelHeight,omitempty"`
	MaxPixelHeight int    `json:"maxPixelHeight,omitempty"`
}

// Request is the envelope's request object. One struct covers every request
// type; fields a type does not use stay empty and are omitted. Keys asksim
// does not model are kept in Extra and written back unchanged.
type Request struct {
	Type      string `json:"type"`
	RequestID string `json:"requestId"`
	Timestamp string `json:"timestamp"`
	Locale    string `json:"locale,omitempty"`

	// LaunchRequest.
	ShouldLinkResultBeReturned *bool           `json:"shouldLinkResultBeReturned,omitempty"`
	Task                       json.RawMessage `json:"task,omitempty"`

	// IntentRequest and CanFulfillIntentRequest.
	DialogState string  `json:"dialogState,omitempty"`
	Intent      *Intent `json:"intent,omitempty"`

	// SessionEndedRequest.
	Reason string `json:"reason,omitempty"`

	// Connections.Response.
	Name    string            `json:"name,omitempty"`
	Status  *ConnectionStatus `json:"status,omitempty"`
	Payload json.RawMessage   `json:"payload,omitempty"`

	// Connections.Response and AudioPlayer events.
	Token                *string `json:"token,omitempty"`
	OffsetInMilliseconds *int64  `json:"offsetInMilliseconds,omitempty"`

	// SessionEndedRequest, System.ExceptionEncountered, AudioPlayer.PlaybackFailed.
	Error *Error `json:"error,omitempty"`
	// System.ExceptionEncountered.
	Cause *Cause `json:"cause,omitempty"`
	// AudioPlayer.PlaybackFailed.
	CurrentPlaybackState *AudioPlayerState `json:"currentPlaybackState,omitempty"`

	Extra map[string]json.RawMessage `json:"-"`
}

// Intent is request.intent.
type Intent struct {
	Name               string          `json:"name"`
	ConfirmationStatus string          `json:"confirmationStatus"`
	Slots              map[string]Slot `json:"slots,omitempty"`
}

// Slot is one entry of intent.slots.
type Slot struct {
	Name               string       `json:"name"`
	Value              string       `json:"value,omitempty"`
	ConfirmationStatus string       `json:"confirmationStatus"`
	Source             string       `json:"source,omitempty"`
	Resolutions        *Resolutions `json:"resolutions,omitempty"`
	SlotValue          *SlotValue   `json:"slotValue,omitempty"`
}

// Resolutions holds entity-resolution results.
type Resolutions struct {
	ResolutionsPerAuthority []Resolution `json:"resolutionsPerAuthority"`
}

// Resolution is the result of one entity-resolution authority.
type Resolution struct {
	Authority string             `json:"authority"`
	Status    ResolutionStatus   `json:"status"`
	Values    []ResolutionValues `json:"values,omitempty"`
}

// ResolutionStatus carries an ER_* code.
type ResolutionStatus struct {
	Code string `json:"code"`
}

// ResolutionValues wraps one resolved value.
type ResolutionValues struct {
	Value ResolvedValue `json:"value"`
}

// ResolvedValue is a canonical slot value and its id.
type ResolvedValue struct {
	Name string `json:"name"`
	ID   string `json:"id"`
}

// SlotValue is the newer slot.slotValue: Simple or List.
type SlotValue struct {
	Type        string       `json:"type"`
	Value       string       `json:"value,omitempty"`
	Resolutions *Resolutions `json:"resolutions,omitempty"`
	Values      []SlotValue  `json:"values,omitempty"`
}

// ConnectionStatus is the status of a Connections.Response.
type ConnectionStatus struct {
	// Code is a string, "200", "400" or "500".
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error is the error object of SessionEnded, ExceptionEncountered and
// PlaybackFailed requests.
type Error struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

// Cause is request.cause. In a System.ExceptionEncountered it names the
// request whose response Alexa could not use (RequestID). In a
// SessionResumedRequest it says why the session resumed: Type
// ConnectionCompleted, the skill's token, the connection's status and the
// task's result (docs/alexa-contract.md §2.10).
type Cause struct {
	Type      string            `json:"type,omitempty"`
	RequestID string            `json:"requestId,omitempty"`
	Token     string            `json:"token,omitempty"`
	Status    *ConnectionStatus `json:"status,omitempty"`
	Result    json.RawMessage   `json:"result,omitempty"`
}

// MarshalJSON writes an exception's cause as {"requestId"}, always with
// the key, and a resumed session's as {"type","token","status","result"},
// the token always present (a skill may send "" and gets "" back).
func (c Cause) MarshalJSON() ([]byte, error) {
	if c.Type == "" {
		return json.Marshal(struct {
			RequestID string `json:"requestId"`
		}{c.RequestID})
	}
	return json.Marshal(struct {
		Type      string            `json:"type"`
		RequestID string            `json:"requestId,omitempty"`
		Token     string            `json:"token"`
		Status    *ConnectionStatus `json:"status,omitempty"`
		Result    json.RawMessage   `json:"result,omitempty"`
	}{c.Type, c.RequestID, c.Token, c.Status, c.Result})
}

// The extra-key handling: decode known fields normally and keep the rest.

type contextAlias Context
type requestAlias Request

// MarshalJSON writes the modelled fields followed by Extra.
func (c Context) MarshalJSON() ([]byte, error) {
	return marshalWithExtra(contextAlias(c), c.Extra)
}

// UnmarshalJSON keeps unknown keys in Extra.
func (c *Context) UnmarshalJSON(data []byte) error {
	var a contextAlias
	extra, err := unmarshalWithExtra(data, &a)
	if err != nil {
		return err
	}
	*c = Context(a)
	c.Extra = extra
	return nil
}

// MarshalJSON writes the modelled fields followed by Extra.
func (r Request) MarshalJSON() ([]byte, error) {
	return marshalWithExtra(requestAlias(r), r.Extra)
}

// UnmarshalJSON keeps unknown keys in Extra.
func (r *Request) UnmarshalJSON(data []byte) error {
	var a requestAlias
	extra, err := unmarshalWithExtra(data, &a)
	if err != nil {
		return err
	}
	*r = Request(a)
	r.Extra = extra
	return nil
}
