package simulator_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/asksim/asksim/simulator"
)

func TestSpeech(t *testing.T) {
	for _, tc := range []struct{ speech, want string }{
		{`{"type":"SSML","ssml":"<speak>Fish &amp; chips<break time=\"1s\"/>cost &#163;3 &lt; &quot;4&quot;</speak>"}`, `Fish & chips cost £3 < "4"`},
		{`{"type":"SSML","ssml":"<speak>\n  <p>One.</p><p>Two <emphasis level=\"strong\">big</emphasis>\tthings</p>\n</speak>"}`, "One. Two big things"},
		{`{"type":"SSML","ssml":"<speak><say-as interpret-as=\"digits\">12</say-as>th <sub alias=\"aluminium\">Al</sub></speak>"}`, "12th Al"},
		{`{"type":"PlainText","text":"  Hello\n  world  "}`, "Hello world"},
		{`{"type":"PlainText","text":"Fish &amp; chips"}`, "Fish &amp; chips"}, // plain text is not XML
		{`{"type":"PlainText","text":"Hi"}`, "Hi"},
	} {
		var env simulator.ResponseEnvelope
		check(t, json.Unmarshal([]byte(`{"version":"1.0","response":{"outputSpeech":`+tc.speech+`,"reprompt":{"outputSpeech":`+tc.speech+`}}}`), &env))
		if got := env.Speech(); got != tc.want {
			t.Errorf("Speech(%s) = %q, want %q", tc.speech, got, tc.want)
		}
		if got := env.RepromptSpeech(); got != tc.want {
			t.Errorf("RepromptSpeech(%s) = %q, want %q", tc.speech, got, tc.want)
		}
	}
	var none *simulator.ResponseEnvelope
	if none.Speech() != "" || (&simulator.ResponseEnvelope{}).RepromptSpeech() != "" {
		t.Error("speech of nothing is not empty")
	}
}

func TestValueAt(t *testing.T) {
	raw := []byte(`{"version":"1.0","response":{"card":{"type":"Simple"},"directives":[{"type":"Dialog.Delegate"},{"type":"Hint","n":2}],"shouldEndSession":false}}`)
	for path, want := range map[string]any{
		"version":                    "1.0",
		"response.card.type":         "Simple",
		"response.directives.1.type": "Hint",
		"response.directives.1.n":    2.0,
		"response.shouldEndSession":  false,
	} {
		if got, ok := simulator.ValueAt(raw, path); !ok || got != want {
			t.Errorf("ValueAt(%q) = %v, %v; want %v", path, got, ok, want)
		}
	}
	for _, path := range []string{"response.card.title", "response.directives.2.type", "response.directives.x", "version.x", "response.directives.-1"} {
		if got, ok := simulator.ValueAt(raw, path); ok {
			t.Errorf("ValueAt(%q) = %v, want not found", path, got)
		}
	}
	if _, ok := simulator.ValueAt([]byte("not json"), "a"); ok {
		t.Error("ValueAt found a value in non-JSON")
	}
	turn := &simulator.Turn{Raw: raw}
	if v, ok := turn.ValueAt("response.directives.0.type"); !ok || v != "Dialog.Delegate" {
		t.Errorf("Turn.ValueAt = %v, %v", v, ok)
	}
}

func TestDirectivesKeepTheirJSON(t *testing.T) {
	raw := `{"version":"1.0","response":{"directives":[{"type":"AudioPlayer.Play","playBehavior":"ENQUEUE","audioItem":{"stream":{"url":"https://x"}}}]}}`
	var env simulator.ResponseEnvelope
	check(t, json.Unmarshal([]byte(raw), &env))
	if got := env.DirectiveTypes(); len(got) != 1 || got[0] != "AudioPlayer.Play" {
		t.Fatalf("DirectiveTypes = %v", got)
	}
	if string(env.Response.Directives[0].Raw) != `{"type":"AudioPlayer.Play","playBehavior":"ENQUEUE","audioItem":{"stream":{"url":"https://x"}}}` {
		t.Errorf("Raw = %s", env.Response.Directives[0].Raw)
	}
	out, err := json.Marshal(env)
	check(t, err)
	if string(out) != raw {
		t.Errorf("re-encoded\n%s\nwant\n%s", out, raw)
	}
	if end, present := env.ShouldEndSession(); end || present {
		t.Error("shouldEndSession reported present")
	}
}

// TestScopeRequests reads what an answer asks consent for: a card's scopes,
// then each AskFor's, v2 (permissionScopes) and v1 (permissionScope) alike;
// other Connections.SendRequest names ask nothing.
func TestScopeRequests(t *testing.T) {
	var env simulator.ResponseEnvelope
	check(t, json.Unmarshal([]byte(`{"version":"1.0","response":{
		"card":{"type":"AskForPermissionsConsent","permissions":["alexa::profile:email:read",""]},
		"directives":[
			{"type":"Connections.SendRequest","name":"Buy","payload":{"permissionScope":"alexa::profile:name:read"}},
			{"type":"Connections.SendRequest","name":"AskFor","token":"t","payload":{
				"@type":"AskForPermissionsConsentRequest","@version":"2",
				"permissionScopes":[{"permissionScope":"alexa::alerts:reminders:skill:readwrite","consentLevel":"ACCOUNT"}]}},
			{"type":"Connections.SendRequest","name":"AskFor","payload":{"permissionScope":"read::alexa:device:all:address"}}]}}`), &env))
	want := []simulator.ScopeRequest{
		{Scope: "alexa::profile:email:read", Path: "response.card.permissions.0"},
		{Scope: "alexa::alerts:reminders:skill:readwrite", Path: "response.directives.1.payload.permissionScopes.0.permissionScope", Voice: true},
		{Scope: "read::alexa:device:all:address", Path: "response.directives.2.payload.permissionScope", Voice: true},
	}
	if got := env.ScopeRequests(); !reflect.DeepEqual(got, want) {
		t.Errorf("ScopeRequests =\n%+v\nwant\n%+v", got, want)
	}
	var none *simulator.ResponseEnvelope
	if got := none.ScopeRequests(); got != nil {
		t.Errorf("ScopeRequests of no answer = %v", got)
	}
	env.Response.Card.Type = "Simple"
	if got := env.ScopeRequests(); len(got) != 2 || !got[0].Voice {
		t.Errorf("a Simple card's permissions counted: %+v", got)
	}
}
