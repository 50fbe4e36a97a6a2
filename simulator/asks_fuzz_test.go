package simulator_test

import (
	"encoding/json"
	"testing"

	"github.com/asksim/asksim/simulator"
)

// FuzzScopeRequests reads a skill's answer, outside input, for the scopes
// it asks consent for: card, AskFor of either version, voice-forward
// consent. It must never panic, and every scope it reports is non-empty
// with the path it came from.
func FuzzScopeRequests(f *testing.F) {
	for _, s := range []string{
		`{"response":{"card":{"type":"AskForPermissionsConsent","permissions":["alexa::profile:email:read",""]}}}`,
		`{"response":{"directives":[{"type":"Connections.SendRequest","name":"AskFor","payload":{"@version":"1","permissionScope":"alexa::alerts:timers:skill:readwrite"}}]}}`,
		`{"response":{"directives":[{"type":"Connections.SendRequest","name":"AskFor","payload":{"@version":"2","permissionScopes":[{"permissionScope":"a","consentLevel":"PERSON"}]},"token":"t"}]}}`,
		`{"response":{"directives":[{"type":"Connections.StartConnection","uri":"connection://AMAZON.AskForPermissionsConsent/2","input":{"permissionScopes":[{"permissionScope":"x"}],"permissionScope":"y"}}]}}`,
		`{"response":{"directives":[{"type":"Connections.StartConnection","uri":"connection://AMAZON.AskForPermissionsConsent/2","input":7}]}}`,
		`{"response":{"directives":[{"type":"Connections.SendRequest","name":"AskFor","payload":null}]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r simulator.ResponseEnvelope
		if json.Unmarshal(data, &r) != nil {
			return
		}
		for _, a := range r.ScopeRequests() {
			if a.Scope == "" || a.Path == "" {
				t.Fatalf("scope request %+v from %s", a, data)
			}
		}
		_ = simulator.CheckPermissions(&r, []string{"alexa::profile:email:read"})
	})
}
