package simulator

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestEncodeIsJSONMarshal checks the hand-assembled envelope against
// json.Marshal over a conversation whose context changes under the cache.
func TestEncodeIsJSONMarshal(t *testing.T) {
	s, err := NewGeneratedSigner()
	if err != nil {
		t.Fatal(err)
	}
	sim, err := New(WithSigner(s), WithSeed(7))
	if err != nil {
		t.Fatal(err)
	}
	conv := sim.NewConversation(ConsentNone)
	show, _ := DevicePreset("echo-show")
	ev, _ := AudioPlayerEvent("PlaybackFailed", "t<&>", 5)
	withExtra := IntentRequest("X")
	withExtra.Extra = map[string]json.RawMessage{"custom": json.RawMessage(`{ "a" : 1 }`)}
	steps := []struct {
		name   string
		change func()
		req    Request
	}{
		{"launch", nil, LaunchRequest()},
		{"intent with attributes", func() { conv.Continue(json.RawMessage(`{ "a": [1, 2], "s": "<b>&" }`)) }, IntentRequest("Order", WithSlot("item", "tea & <cake>"))},
		{"consent changed", func() { conv.SetConsent(ConsentEmailLinked) }, IntentRequest("Order")},
		{"same context again", nil, IntentRequest("Order")},
		{"device changed", func() { conv.SetDevice(show) }, IntentRequest("Order")},
		{"sessionless", nil, ev},
		{"permission response", nil, PermissionResponse(PermissionAccepted, []string{ScopeReminders}, "tok")},
		{"can fulfill", nil, CanFulfillIntentRequest("Order")},
		{"extra keys", nil, withExtra},
		{"consent revoked", func() { conv.SetConsent(ConsentNone) }, SessionEndedRequest(ReasonError, &Error{Type: "INVALID_RESPONSE", Message: "m"})},
	}
	for _, st := range steps {
		if st.change != nil {
			st.change()
		}
		env, err := conv.Envelope(st.req)
		if err != nil {
			t.Fatal(err)
		}
		got, err := conv.encode(env)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(env)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: encode\n%s\njson.Marshal\n%s", st.name, got, want)
		}
	}
}
