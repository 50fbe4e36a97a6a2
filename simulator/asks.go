package simulator

import (
	"encoding/json"
	"strconv"
)

// What an answer asks the user to consent to, read once for the session
// rules (Send), the manifest rule (CheckPermissions) and the feature steps.

// ScopeRequest is one permission scope an answer asks the user to grant.
type ScopeRequest struct {
	Scope string
	// Path is where the answer asks for it, e.g. response.card.permissions.0.
	Path string
	// Voice is true for a voice permission request (Connections.SendRequest
	// AskFor), false for an AskForPermissionsConsent card.
	Voice bool
}

// ScopeRequests lists the scopes r asks consent for: those of an
// AskForPermissionsConsent card, then those of each voice request in order
// (Connections.SendRequest AskFor, Connections.StartConnection to
// AMAZON.AskForPermissionsConsent). Empty scope strings are left out.
func (r *ResponseEnvelope) ScopeRequests() []ScopeRequest {
	if r == nil {
		return nil
	}
	var out []ScopeRequest
	body := &r.Response
	if c := body.Card; c != nil && c.Type == "AskForPermissionsConsent" {
		for i, s := range c.Permissions {
			if s != "" {
				out = append(out, ScopeRequest{Scope: s, Path: "response.card.permissions." + strconv.Itoa(i)})
			}
		}
	}
	for i, d := range body.Directives {
		pr, ok := voicePermissionRequest(d)
		if !ok {
			continue
		}
		base := "response.directives." + strconv.Itoa(i) + "." + pr.payloadKey + "."
		for j, s := range pr.Scopes {
			if s == "" {
				continue
			}
			path := base + "permissionScopes." + strconv.Itoa(j) + ".permissionScope"
			if pr.single {
				path = base + "permissionScope"
			}
			out = append(out, ScopeRequest{Scope: s, Voice: true, Path: path})
		}
	}
	return out
}

// How a skill asks for a permission by voice (docs/alexa-contract.md §5).
const (
	// FlowAskFor is a Connections.SendRequest directive named AskFor,
	// answered by a Connections.Response (§2.7).
	FlowAskFor = "AskFor"
	// FlowVoiceForward is voice-forward consent: a
	// Connections.StartConnection directive to VoiceForwardConsentURI,
	// answered by a SessionResumedRequest (§2.10).
	FlowVoiceForward = "VoiceForward"
)

// VoiceForwardConsentURI is the task a skill starts for voice-forward
// consent.
const VoiceForwardConsentURI = "connection://AMAZON.AskForPermissionsConsent/2"

// PermissionRequest is a voice permission request a skill sent (contract
// §5): a Connections.SendRequest AskFor, or a Connections.StartConnection
// to AMAZON.AskForPermissionsConsent.
type PermissionRequest struct {
	// Flow is FlowAskFor or FlowVoiceForward.
	Flow string
	// Version is the payload's @version: "1" asks for a single
	// permissionScope and is answered with one, "2" (and voice-forward
	// consent) asks and is answered with a permissionScopes list.
	Version string
	Scopes  []string
	// ConsentLevels holds each scope's consentLevel (ACCOUNT or PERSON),
	// "" where the skill gave none.
	ConsentLevels []string
	// ConsentLevel is the first scope's consentLevel.
	ConsentLevel string
	// Token is echoed in the answer.
	Token string

	// payloadKey is where the scopes are, "payload" or "input"; single is
	// true for a v1 payload's permissionScope.
	payloadKey string
	single     bool
}

// askForPayload is the payload of an AskFor, or the input of a
// voice-forward consent StartConnection.
type askForPayload struct {
	Version          string `json:"@version"`
	PermissionScopes []struct {
		PermissionScope string `json:"permissionScope"`
		ConsentLevel    string `json:"consentLevel"`
	} `json:"permissionScopes"`
	// v1 payloads carry a single scope.
	PermissionScope string `json:"permissionScope"`
	ConsentLevel    string `json:"consentLevel"`
}

type voiceDirective struct {
	Name    string        `json:"name"`
	URI     string        `json:"uri"`
	Token   string        `json:"token"`
	Payload askForPayload `json:"payload"`
	Input   askForPayload `json:"input"`
}

// voicePermissionRequest reads d as a voice permission request; ok is false
// for any other directive.
func voicePermissionRequest(d Directive) (pr PermissionRequest, ok bool) {
	var vd voiceDirective
	var p *askForPayload
	switch {
	case d.Type == "Connections.SendRequest":
		if json.Unmarshal(d.Raw, &vd) != nil || vd.Name != "AskFor" {
			return pr, false
		}
		pr = PermissionRequest{Flow: FlowAskFor, Token: vd.Token, Version: vd.Payload.Version, payloadKey: "payload"}
		p = &vd.Payload
	case d.Type == "Connections.StartConnection":
		if json.Unmarshal(d.Raw, &vd) != nil || vd.URI != VoiceForwardConsentURI {
			return pr, false
		}
		pr = PermissionRequest{Flow: FlowVoiceForward, Token: vd.Token, Version: vd.Input.Version, payloadKey: "input"}
		p = &vd.Input
	default:
		return pr, false
	}
	for _, ps := range p.PermissionScopes {
		pr.Scopes = append(pr.Scopes, ps.PermissionScope)
		pr.ConsentLevels = append(pr.ConsentLevels, ps.ConsentLevel)
	}
	if p.PermissionScope != "" {
		pr.Scopes = append(pr.Scopes, p.PermissionScope)
		pr.ConsentLevels = append(pr.ConsentLevels, p.ConsentLevel)
		pr.single = len(p.PermissionScopes) == 0
	}
	if pr.Version == "" && pr.single {
		pr.Version = "1"
	}
	if len(pr.ConsentLevels) > 0 {
		pr.ConsentLevel = pr.ConsentLevels[0]
	}
	return pr, true
}

// connectionsRequest finds a Connections.SendRequest among ds and the voice
// permission request (AskFor, or voice-forward consent) ds make, if any.
func connectionsRequest(ds []Directive) (sendRequest bool, asked *PermissionRequest) {
	for _, d := range ds {
		if d.Type == "Connections.SendRequest" {
			sendRequest = true
		}
		if pr, ok := voicePermissionRequest(d); ok {
			asked = &pr
		}
	}
	return sendRequest, asked
}
