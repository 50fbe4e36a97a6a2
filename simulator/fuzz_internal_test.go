package simulator

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/asksim/asksim/internal/jsonlimit"
)

// fixtureFiles returns the contents of the files matching pattern under
// the repository's fixtures/.
func fixtureFiles(f *testing.F, pattern string) [][]byte {
	f.Helper()
	names, err := filepath.Glob(filepath.Join("..", "fixtures", pattern))
	if err != nil || len(names) == 0 {
		f.Fatalf("no fixtures match %s (%v)", pattern, err)
	}
	var out [][]byte
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

// FuzzEnvelope decodes request envelopes as SendEnvelope does, seeded
// with the golden envelopes and the captured ones. Whatever decodes must
// encode again, to JSON that decodes to the same encoding: asksim sends
// what it read, so a lossy or failing round trip is a bug.
func FuzzEnvelope(f *testing.F) {
	for _, pattern := range []string{"envelopes/*/*.json", "captured/*.json"} {
		for _, data := range fixtureFiles(f, pattern) {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"request":{"type":"IntentRequest","intent":{"name":"A","slots":{"s":{"name":"s","value":"v","resolutions":{"resolutionsPerAuthority":[{"status":{"code":"ER_SUCCESS_MATCH"},"values":[{"value":{"name":"n","id":"i"}}]}]}}}}},"x":[1]}`))
	f.Add([]byte(`{"context":{"System":{"device":{"supportedInterfaces":{"Alexa.Presentation.APL":{"runtime":{"maxVersion":"2023.3"}}}}},"Viewports":[{}]},"session":{"attributes":null}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if jsonlimit.CheckDepth(data, MaxJSONDepth) != nil {
			return // SendEnvelope refuses it before decoding
		}
		var env Envelope
		if err := json.Unmarshal(data, &env); err != nil {
			return
		}
		first, err := env.AppendJSON(nil)
		if err != nil {
			t.Fatalf("decoded envelope does not encode: %v", err)
		}
		var again Envelope
		if err := json.Unmarshal(first, &again); err != nil {
			t.Fatalf("re-encoded envelope does not decode: %v\n%s", err, first)
		}
		second, err := again.AppendJSON(nil)
		if err != nil || string(second) != string(first) {
			t.Fatalf("round trip changed the envelope (%v):\n%s\n%s", err, first, second)
		}
		_ = env.Request.Summary()
	})
}

// FuzzResponse checks a skill's answer as a turn does: the Lambda function
// error check, the contract check with its type walk, and what features
// read of the decoded answer. None may panic, a fault must come with a
// reason, and a decoded answer must be readable.
func FuzzResponse(f *testing.F) {
	for _, s := range []string{
		`{"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":"<speak>Hi <break time=\"1s\"/> &amp; bye</speak>"},"shouldEndSession":true}}`,
		`{"version":"1.0","sessionAttributes":{"n":1},"response":{"outputSpeech":{"type":"PlainText","text":"Which city?"},"reprompt":{"outputSpeech":{"type":"PlainText","text":"City?"}},"directives":[{"type":"Dialog.ElicitSlot","slotToElicit":"city"}]}}`,
		`{"version":"1.0","response":{"card":{"type":"AskForPermissionsConsent","permissions":["alexa::profile:email:read"]}}}`,
		`{"version":"1.0","response":{"directives":[{"type":"Connections.SendRequest","name":"AskFor","payload":{"@type":"AskForPermissionsConsentRequest","@version":"2","permissionScopes":[{"permissionScope":"alexa::profile:name:read","consentLevel":"ACCOUNT"}]},"token":""}]}}`,
		`{"version":"1.0","response":{"canFulfillIntent":{"canFulfill":"YES","slots":{"s":{"canUnderstand":"YES","canFulfill":"NO"}}}}}`,
		`{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":5},"card":{"type":"Standard","image":{"smallImageUrl":[]}}}}`,
		`{"errorType":"TypeError","errorMessage":"x is undefined","stackTrace":["at a"]}`,
		`[1,2]`, `"text"`, `<html>`, ``,
	} {
		f.Add([]byte(s), uint8(0))
	}
	requests := []Request{LaunchRequest(), IntentRequest("OrderIntent", WithSlot("item", "tea")), CanFulfillIntentRequest("OrderIntent"),
		SessionEndedRequest(ReasonUserInitiated, nil)}
	f.Fuzz(func(t *testing.T, raw []byte, which uint8) {
		req := requests[int(which)%len(requests)]
		header := http.Header{}
		if which&0x80 != 0 {
			header.Set("X-Amz-Function-Error", "Unhandled")
		}
		if fe := functionError(&Reply{Status: 200, Header: header, Body: raw}); fe != nil && (fe.Kind != FaultFunction || fe.Err == nil) {
			t.Fatalf("functionError = %+v", fe)
		}
		res := decodeResponse(&req, raw, 9*time.Second)
		for _, v := range res.violations {
			if v.Rule == "" || v.Message == "" {
				t.Fatalf("violation without a rule or message: %+v", v)
			}
		}
		if res.syntax != nil {
			var de *jsonlimit.DepthError
			if res.env != nil || len(res.violations) == 0 || (json.Valid(raw) && !errors.As(res.syntax, &de)) {
				t.Fatalf("syntax error %v on %q with env %v, %d violations", res.syntax, raw, res.env, len(res.violations))
			}
			return
		}
		if res.env == nil {
			if len(res.violations) == 0 {
				t.Fatalf("no answer and no violation for %q", raw)
			}
			return
		}
		env := res.env
		_, _ = env.Speech(), env.RepromptSpeech()
		_, _ = env.ShouldEndSession()
		_ = env.DirectiveTypes()
		_ = env.ScopeRequests()
		_, _ = connectionsRequest(env.Response.Directives)
		_, _ = ValueAt(raw, "response.directives.0.type")
	})
}
