package simulator_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/internal/testutil"
	"github.com/asksim/asksim/simulator"
)

// cleanResponse uses every part of the contract correctly: every SSML tag,
// entities, a Standard card, a reprompt, a Dialog directive.
const cleanResponse = `{"version":"1.0","sessionAttributes":{"n":1},"userAgent":"ask-node/2.14.0 Node/v18.19.0",
"response":{
 "outputSpeech":{"type":"SSML","playBehavior":"REPLACE_ENQUEUED","ssml":"<speak>Fish &amp; chips &lt; 3 &#163; <break time=\"300ms\"/> <emphasis level=\"strong\">there</emphasis> <say-as interpret-as=\"digits\">12</say-as> <amazon:emotion name=\"excited\" intensity=\"medium\">yay</amazon:emotion> <sub alias=\"aluminium\">Al</sub> <lang xml:lang=\"de-DE\">hallo</lang> <p><s>one</s></p> <phoneme alphabet=\"ipa\" ph=\"pɪˈkɑːn\">pecan</phoneme> <prosody rate=\"slow\">slow</prosody> <voice name='Kendra'>k</voice> <w role=\"amazon:VB\">read</w> <audio src=\"https://example.com/a.mp3?x=1&amp;y=2\"/> <amazon:domain name=\"news\">n</amazon:domain> <amazon:effect name=\"whispered\">w</amazon:effect><!-- a comment --></speak>"},
 "reprompt":{"outputSpeech":{"type":"PlainText","text":"Fish & chips?"}},
 "card":{"type":"Standard","title":"T","text":"body","image":{"smallImageUrl":"https://example.com/s.png","largeImageUrl":"HTTPS://example.com/l.png"}},
 "directives":[{"type":"Dialog.ElicitSlot","slotToElicit":"item"}],
 "shouldEndSession":false}}`

func TestCleanResponsePassesEveryRule(t *testing.T) {
	sim, _ := httpSim(t, answer(cleanResponse))
	turn, err := sim.NewConversation(simulator.ConsentNone).Send(context.Background(), simulator.IntentRequest("OrderIntent"))
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if len(turn.Violations)+len(turn.Warnings) != 0 {
		t.Fatalf("violations %v, warnings %v", turn.Violations, turn.Warnings)
	}
	if turn.Status != 200 || turn.Response == nil || turn.Response.Version != "1.0" {
		t.Fatalf("turn = status %d, response %+v", turn.Status, turn.Response)
	}
	// The other answers a skill may legitimately give.
	for name, body := range map[string]string{
		"empty response":      `{"version":"1.0","response":{}}`,
		"null fields":         `{"version":"1.0","sessionAttributes":null,"response":{"outputSpeech":null,"shouldEndSession":null}}`,
		"simple card":         `{"version":"1.0","response":{"card":{"type":"Simple","title":"T","content":"C"}}}`,
		"link account card":   `{"version":"1.0","response":{"card":{"type":"LinkAccount"}}}`,
		"consent card":        `{"version":"1.0","response":{"card":{"type":"AskForPermissionsConsent","permissions":["alexa::profile:email:read","read::alexa:device:all:address"]}}}`,
		"audio player":        `{"version":"1.0","response":{"directives":[{"type":"AudioPlayer.Play","playBehavior":"REPLACE_ALL","audioItem":{"stream":{"token":"t","url":"https://x/a.mp3","offsetInMilliseconds":0}}}],"shouldEndSession":true}}`,
		"long plain speech":   `{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"` + strings.Repeat("é", simulator.MaxSpeechChars) + `"}}}`,
		"can fulfill":         `{"version":"1.0","response":{"canFulfillIntent":{"canFulfill":"YES","slots":{"item":{"canUnderstand":"YES","canFulfill":"YES"}}}}}`,
		"extra unknown field": `{"version":"1.0","response":{"apiResponse":{"a":1}},"extra":[1,2]}`,
	} {
		if v := simulator.CheckResponse(&turn.Request.Request, []byte(body), time.Second); v != nil {
			t.Errorf("%s: violations %v", name, v)
		}
	}
}

// ruleCases each break exactly one rule, at the paths listed.
var ruleCases = []struct {
	name    string
	rule    string
	paths   []string
	request func() simulator.Request
	body    string
}{
	{"wrong type", simulator.RuleJSON, []string{"response.shouldEndSession", "response.outputSpeech.text"}, nil,
		`{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":42},"shouldEndSession":"no"}}`},
	{"wrong type in array", simulator.RuleJSON, []string{"response.directives.1.type"}, nil,
		`{"version":"1.0","response":{"directives":[{"type":"Hint","hint":{}},{"type":7}]}}`},
	{"not an object", simulator.RuleJSON, []string{""}, nil, `["version","1.0"]`},
	{"no response", simulator.RuleJSON, []string{"response"}, nil, `{"version":"1.0"}`},
	{"attributes not object", simulator.RuleJSON, []string{"sessionAttributes"}, nil, `{"version":"1.0","sessionAttributes":[1],"response":{}}`},
	{"version", simulator.RuleVersion, []string{"version"}, nil, `{"version":"2.0","response":{}}`},
	{"version missing", simulator.RuleVersion, []string{"version"}, nil, `{"response":{}}`},
	{"speech type", simulator.RuleSpeechType, []string{"response.outputSpeech.type"}, nil,
		`{"version":"1.0","response":{"outputSpeech":{"type":"Plain","text":"hi"}}}`},
	{"plain text with ssml", simulator.RuleSpeechType, []string{"response.outputSpeech.ssml", "response.outputSpeech.text"}, nil,
		`{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","ssml":"<speak>hi</speak>"}}}`},
	{"reprompt play behavior", simulator.RuleSpeechType, []string{"response.reprompt.outputSpeech.playBehavior"}, nil,
		`{"version":"1.0","response":{"reprompt":{"outputSpeech":{"type":"PlainText","text":"hi","playBehavior":"LOUD"}}}}`},
	{"ssml unclosed", simulator.RuleSSMLWellFormed, []string{"response.outputSpeech.ssml"}, nil,
		`{"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":"<speak>Hi <emphasis>there</speak>"}}}`},
	{"ssml no speak", simulator.RuleSSMLWellFormed, []string{"response.outputSpeech.ssml"}, nil,
		`{"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":"Hi there"}}}`},
	{"ssml unquoted attribute", simulator.RuleSSMLWellFormed, []string{"response.reprompt.outputSpeech.ssml"}, nil,
		`{"version":"1.0","response":{"reprompt":{"outputSpeech":{"type":"SSML","ssml":"<speak>a <break time=1s/></speak>"}}}}`},
	{"ssml tag", simulator.RuleSSMLTag, []string{"response.outputSpeech.ssml"}, nil,
		`{"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":"<speak>Hi <blink>there</blink> <b>x</b></speak>"}}}`},
	{"ssml ampersand", simulator.RuleSSMLEscape, []string{"response.outputSpeech.ssml"}, nil,
		`{"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":"<speak>Fish & chips &amp; peas & more</speak>"}}}`},
	{"ssml less-than", simulator.RuleSSMLEscape, []string{"response.outputSpeech.ssml"}, nil,
		`{"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":"<speak>1 < 2</speak>"}}}`},
	{"speech length", simulator.RuleSpeechLength, []string{"response.outputSpeech.text"}, nil,
		`{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"` + strings.Repeat("a", simulator.MaxSpeechChars+1) + `"}}}`},
	{"response size", simulator.RuleResponseSize, []string{""}, nil,
		`{"version":"1.0","sessionAttributes":{"blob":"` + strings.Repeat("x", simulator.MaxResponseSize) + `"},"response":{}}`},
	{"card type", simulator.RuleCardType, []string{"response.card.type"}, nil,
		`{"version":"1.0","response":{"card":{"type":"Fancy","title":"T"}}}`},
	{"card fields", simulator.RuleCardFields, []string{"response.card.text"}, nil,
		`{"version":"1.0","response":{"card":{"type":"Simple","title":"T","text":"belongs to Standard"}}}`},
	{"card too long", simulator.RuleCardFields, []string{"response.card"}, nil,
		`{"version":"1.0","response":{"card":{"type":"Simple","title":"T","content":"` + strings.Repeat("c", simulator.MaxCardChars) + `"}}}`},
	{"link account fields", simulator.RuleLinkAccountFields, []string{"response.card"}, nil,
		`{"version":"1.0","response":{"card":{"type":"LinkAccount","title":""}}}`},
	{"permissions empty", simulator.RulePermissionsCard, []string{"response.card.permissions"}, nil,
		`{"version":"1.0","response":{"card":{"type":"AskForPermissionsConsent","permissions":[]}}}`},
	{"permissions manifest name", simulator.RulePermissionsCard, []string{"response.card.permissions.1"}, nil,
		`{"version":"1.0","response":{"card":{"type":"AskForPermissionsConsent","permissions":["alexa::profile:email:read","alexa::devices:all:address:full:read"]}}}`},
	{"card image https", simulator.RuleCardImageHTTPS, []string{"response.card.image.largeImageUrl"}, nil,
		`{"version":"1.0","response":{"card":{"type":"Standard","title":"T","text":"x","image":{"smallImageUrl":"https://e.com/s.png","largeImageUrl":"http://e.com/l.png"}}}}`},
	{"directive type", simulator.RuleDirectiveType, []string{"response.directives.1.type"}, nil,
		`{"version":"1.0","response":{"directives":[{"type":"Hint","hint":{"type":"PlainText","text":"x"}},{"type":"Display.Fancy"}]}}`},
	{"directive without type", simulator.RuleDirectiveType, []string{"response.directives.0.type"}, nil,
		`{"version":"1.0","response":{"directives":[{"slotToElicit":"x"}]}}`},
	{"dialog end session", simulator.RuleDialogEndSession, []string{"response.shouldEndSession"}, nil,
		`{"version":"1.0","response":{"directives":[{"type":"Dialog.Delegate"}],"shouldEndSession":true}}`},
	{"speech on session ended", simulator.RuleSpeechOnSessionless, []string{"response.outputSpeech", "response.card"},
		func() simulator.Request { return simulator.SessionEndedRequest(simulator.ReasonUserInitiated, nil) },
		`{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"Bye"},"card":{"type":"Simple","title":"Bye"}}}`},
	{"speech on audio player", simulator.RuleSpeechOnSessionless, []string{"response.reprompt"},
		func() simulator.Request {
			r, _ := simulator.AudioPlayerEvent("PlaybackStarted", "t1", 0)
			return r
		},
		`{"version":"1.0","response":{"reprompt":{"outputSpeech":{"type":"PlainText","text":"More?"}}}}`},
	{"speech on exception", simulator.RuleSpeechOnSessionless, []string{"response.outputSpeech"},
		func() simulator.Request { return simulator.ExceptionEncountered("", "bad", "r1") },
		`{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"Oops"}}}`},
}

func pathsOf(vs []simulator.Violation, rule string) (paths []string, others []simulator.Violation) {
	for _, v := range vs {
		if v.Rule == rule {
			paths = append(paths, v.Path)
		} else {
			others = append(others, v)
		}
	}
	slices.Sort(paths)
	return paths, others
}

// TestEachRuleThroughHTTP has a skill answer with exactly one rule broken
// and checks that Send fails the turn naming that rule and path, and that
// CheckResponse alone agrees.
func TestEachRuleThroughHTTP(t *testing.T) {
	covered := map[string]bool{simulator.RuleTimeout: true} // TestTimeoutRule
	for _, tc := range ruleCases {
		t.Run(tc.name, func(t *testing.T) {
			covered[tc.rule] = true
			sim, _ := httpSim(t, answer(tc.body))
			req := simulator.IntentRequest("OrderIntent")
			if tc.request != nil {
				req = tc.request()
			}
			turn, err := sim.NewConversation(simulator.ConsentNone).Send(context.Background(), req)
			var ce *simulator.ContractError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *ContractError", err)
			}
			want := slices.Sorted(slices.Values(tc.paths))
			got, others := pathsOf(ce.Violations, tc.rule)
			if !slices.Equal(got, want) || len(others) > 0 {
				t.Fatalf("violations:\n%s\nwant rule %s at %q only", ce.Error(), tc.rule, want)
			}
			if !slices.Equal(turn.Violations, ce.Violations) || len(turn.Warnings) != 0 {
				t.Errorf("turn.Violations = %v, turn.Warnings = %v", turn.Violations, turn.Warnings)
			}
			if !strings.Contains(err.Error(), tc.rule) || !strings.Contains(err.Error(), req.Type) {
				t.Errorf("message %q names neither the rule nor the request", err)
			}
			direct := simulator.CheckResponse(&turn.Request.Request, []byte(tc.body), 0)
			if !slices.Equal(direct, ce.Violations) {
				t.Errorf("CheckResponse = %v, Send = %v", direct, ce.Violations)
			}
		})
	}
	for _, r := range simulator.Rules() {
		// The manifest rule needs a skill package; TestVoice_ManifestViolation
		// has its cases.
		if !covered[r.ID] && r.ID != simulator.RulePermissionNotInManifest {
			t.Errorf("rule %s has no test case", r.ID)
		}
	}
}

func TestTimeoutRule(t *testing.T) {
	clock := testutil.NewClock(testutil.FixedTime)
	slow := func(w http.ResponseWriter, r *http.Request) {
		clock.Add(simulator.ResponseTimeLimit + time.Second) // the skill "took" 9 s
		answer(`{"version":"1.0","response":{}}`)(w, r)
	}
	sim, _ := httpSim(t, slow, simulator.WithClock(clock.Now))
	turn, err := sim.NewConversation(simulator.ConsentNone).Send(context.Background(), simulator.LaunchRequest())
	var ce *simulator.ContractError
	if !errors.As(err, &ce) || len(ce.Violations) != 1 || ce.Violations[0].Rule != simulator.RuleTimeout || ce.Violations[0].Path != "" {
		t.Fatalf("err = %v, want one timeout violation", err)
	}
	if turn.Duration != 9*time.Second {
		t.Errorf("Duration = %v, want 9s", turn.Duration)
	}
}

func TestLenientKeepsViolationsAsWarnings(t *testing.T) {
	body := `{"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":"<speak>Fish & chips</speak>"},"shouldEndSession":false},"sessionAttributes":{"k":"v"}}`
	sim, _ := httpSim(t, answer(body), simulator.WithLenient(true))
	conv := sim.NewConversation(simulator.ConsentNone)
	turn, err := conv.Send(context.Background(), simulator.LaunchRequest())
	if err != nil {
		t.Fatalf("lenient Send: %v", err)
	}
	if len(turn.Violations) != 0 || len(turn.Warnings) != 1 || turn.Warnings[0].Rule != simulator.RuleSSMLEscape {
		t.Fatalf("violations %v, warnings %v; want one ssml-escape warning", turn.Violations, turn.Warnings)
	}
	if conv.SessionID() == "" {
		t.Error("a lenient turn with shouldEndSession false closed the session")
	}
}

func TestStrictViolationEndsSession(t *testing.T) {
	sim, _ := httpSim(t, answer(`{"version":"2.0","response":{"shouldEndSession":false}}`))
	conv := sim.NewConversation(simulator.ConsentNone)
	if _, err := conv.Send(context.Background(), simulator.LaunchRequest()); err == nil {
		t.Fatal("want a contract error")
	}
	if id := conv.SessionID(); id != "" {
		t.Errorf("session %s still open after an invalid answer; Alexa drops it", id)
	}
}

func TestRulesAreDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range simulator.Rules() {
		if r.ID == "" || r.Summary == "" || seen[r.ID] {
			t.Errorf("rule %+v: empty or duplicate", r)
		}
		seen[r.ID] = true
	}
	if len(seen) != 18 {
		t.Errorf("%d rules, want 18", len(seen))
	}
}

func TestViolationString(t *testing.T) {
	v := simulator.Violation{Rule: "version", Path: "version", Message: `version is "2.0", want "1.0"`}
	if got, want := v.String(), `version at version: version is "2.0", want "1.0"`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := fmt.Sprint(simulator.Violation{Rule: "timeout", Message: "late"}); got != "timeout: late" {
		t.Errorf("got %q", got)
	}
}
