package simulator

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/simulator/alexa"
	"github.com/asksim/asksim/simulator/apitoken"
)

// reference encodes e the slow way, through encoding/json's reflection.
func reference(t *testing.T, e *Envelope) []byte {
	t.Helper()
	type flat struct {
		Version string       `json:"version"`
		Session *Session     `json:"session,omitempty"`
		Context contextAlias `json:"context"`
		Request requestAlias `json:"request"`
	}
	b, err := marshalNoHTML(flat{e.Version, e.Session, contextAlias(e.Context), requestAlias(e.Request)})
	if err != nil {
		t.Fatal(err)
	}
	var generic map[string]any
	if err := json.Unmarshal(b, &generic); err != nil {
		t.Fatal(err)
	}
	// Splice the extras in the way marshalWithExtra would, by re-encoding
	// through the Context and Request marshallers.
	ctx, _ := marshalWithExtra(contextAlias(e.Context), e.Context.Extra)
	req, _ := marshalWithExtra(requestAlias(e.Request), e.Request.Extra)
	var out bytes.Buffer
	out.WriteString(`{"version":`)
	v, _ := marshalNoHTML(e.Version)
	out.Write(v)
	if e.Session != nil {
		s, _ := marshalNoHTML(e.Session)
		out.WriteString(`,"session":`)
		out.Write(s)
	}
	out.WriteString(`,"context":`)
	out.Write(ctx)
	out.WriteString(`,"request":`)
	out.Write(req)
	out.WriteString("}")
	return out.Bytes()
}

// TestAppendJSONMatchesEncodingJSON checks the hand-written encoder against
// encoding/json for every kind of envelope asksim builds or decodes.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	sim, err := New(WithSeed(3), WithClock(func() time.Time { return time.Unix(1e9, 0) }), WithDevice("echo-show"))
	if err != nil {
		t.Fatal(err)
	}
	ap, _ := AudioPlayerEvent("PlaybackFailed", "t<1>&\"x\"", 42)
	reqs := []Request{
		LaunchRequest(),
		IntentRequest("Order", WithSlot("item", "m&m's <large> \"x\" \\ é \u2028"), WithSlot("empty", ""),
			WithDialogState(DialogInProgress), WithIntentConfirmation(ConfirmationDenied),
			WithSlots(SpokenSlot("city", "paris").Resolved(CustomAuthority(DefaultSkillID, "City"), ResolvedValue{"Paris", "P1"}))),
		SessionEndedRequest(ReasonError, &Error{Type: "INVALID_RESPONSE", Message: "bad\nthing"}),
		CanFulfillIntentRequest("Order"),
		PermissionResponse(PermissionAccepted, []string{alexa.ScopeName, alexa.ScopeEmail}, "tok"),
		ExceptionEncountered("", "oops", "amzn1.echo-api.request.x"),
		ap,
	}
	for _, consent := range []Consent{ConsentNone, ConsentEmailLinked} {
		conv := sim.NewConversation(consent)
		for _, r := range reqs {
			env, err := conv.Envelope(r)
			if err != nil {
				t.Fatal(err)
			}
			conv.Continue(json.RawMessage(`{ "turns" : 2, "html": "<b>" }`))
			compareEncodings(t, env)
		}
	}
	for _, f := range []string{"launch-eu-linked.json", "intent-plant-watered.json"} {
		raw, err := os.ReadFile(filepath.Join("..", "fixtures", "captured", f))
		if err != nil {
			t.Fatal(err)
		}
		var env Envelope
		if err := json.Unmarshal(raw, &env); err != nil {
			t.Fatal(err)
		}
		compareEncodings(t, &env)
	}
}

func compareEncodings(t *testing.T, env *Envelope) {
	t.Helper()
	got, err := env.AppendJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := reference(t, env); !bytes.Equal(got, want) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		lo := max(0, i-80)
		t.Errorf("%s: AppendJSON differs from encoding/json at byte %d:\n got …%s\nwant …%s", env.Request.Type, i,
			got[lo:min(len(got), i+80)], want[lo:min(len(want), i+80)])
	}
	if !json.Valid(got) {
		t.Errorf("%s: invalid JSON %s", env.Request.Type, got)
	}
}

func TestPlainASCII(t *testing.T) {
	for i := 0; i < 256; i++ {
		c := byte(i)
		want := c >= 0x20 && c != '"' && c != '\\' && c < 0x80
		for _, pos := range []int{0, 3, 7, 8, 13, 15, 16} {
			b := []byte(strings.Repeat("abcdefgh", 3))
			b[pos] = c
			if got := plainASCII(string(b)); got != want {
				t.Fatalf("plainASCII with byte %#x at %d = %v, want %v", c, pos, got, want)
			}
		}
	}
	if !plainASCII("") || !plainASCII("eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.e30.c2ln-_") {
		t.Error("clean strings reported as needing escapes")
	}
}

// TestEncodeCacheIsAppendJSON checks the per-conversation encoder against
// AppendJSON over a conversation whose context changes under the cache.
func TestEncodeCacheIsAppendJSON(t *testing.T) {
	s, err := apitoken.NewGeneratedSigner()
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
		{"permission response", nil, PermissionResponse(PermissionAccepted, []string{alexa.ScopeReminders}, "tok")},
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
		want, err := env.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: encode\n%s\nAppendJSON\n%s", st.name, got, want)
		}
	}
}
