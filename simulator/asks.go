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
// AskForPermissionsConsent card, then those of each Connections.SendRequest
// AskFor, in order. Empty scope strings are left out.
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
		sr, ok := askFor(d)
		if !ok {
			continue
		}
		base := "response.directives." + strconv.Itoa(i) + ".payload."
		for j, ps := range sr.Payload.PermissionScopes {
			if ps.PermissionScope != "" {
				out = append(out, ScopeRequest{Scope: ps.PermissionScope, Voice: true,
					Path: base + "permissionScopes." + strconv.Itoa(j) + ".permissionScope"})
			}
		}
		if s := sr.Payload.PermissionScope; s != "" {
			out = append(out, ScopeRequest{Scope: s, Voice: true, Path: base + "permissionScope"})
		}
	}
	return out
}

// PermissionRequest is a voice permission request a skill sent: a
// Connections.SendRequest directive named AskFor (contract §5).
type PermissionRequest struct {
	Scopes       []string
	ConsentLevel string
	// Token is echoed in the Connections.Response.
	Token string
}

type sendRequestDirective struct {
	Name    string `json:"name"`
	Token   string `json:"token"`
	Payload struct {
		PermissionScopes []struct {
			PermissionScope string `json:"permissionScope"`
			ConsentLevel    string `json:"consentLevel"`
		} `json:"permissionScopes"`
		// v1 payloads carry a single scope.
		PermissionScope string `json:"permissionScope"`
		ConsentLevel    string `json:"consentLevel"`
	} `json:"payload"`
}

// connectionsRequest finds a Connections.SendRequest among ds and, when it
// is an AskFor, the permission request it makes.
func connectionsRequest(ds []Directive) (found bool, asked *PermissionRequest) {
	for _, d := range ds {
		if d.Type != "Connections.SendRequest" {
			continue
		}
		found = true
		sr, ok := askFor(d)
		if !ok {
			continue
		}
		pr := &PermissionRequest{Token: sr.Token, ConsentLevel: sr.Payload.ConsentLevel}
		for _, ps := range sr.Payload.PermissionScopes {
			pr.Scopes = append(pr.Scopes, ps.PermissionScope)
			if pr.ConsentLevel == "" {
				pr.ConsentLevel = ps.ConsentLevel
			}
		}
		if sr.Payload.PermissionScope != "" {
			pr.Scopes = append(pr.Scopes, sr.Payload.PermissionScope)
		}
		asked = pr
	}
	return found, asked
}

// askFor reads d as a Connections.SendRequest named AskFor; ok is false for
// any other directive.
func askFor(d Directive) (sr sendRequestDirective, ok bool) {
	if d.Type != "Connections.SendRequest" || json.Unmarshal(d.Raw, &sr) != nil {
		return sr, false
	}
	return sr, sr.Name == "AskFor"
}
