package simulator_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/alexa"
	"github.com/asksim/asksim/simulator/apitoken"
)

// scriptedSkill answers each request with the next body of its script and
// records the envelopes it received.
type scriptedSkill struct {
	t      *testing.T
	mu     sync.Mutex
	script []string
	got    []simulator.Envelope
}

func (s *scriptedSkill) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	env, _ := received(s.t, r)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, env)
	if len(s.script) == 0 {
		s.t.Errorf("skill got an unscripted %s", env.Request.Type)
		http.Error(w, "unscripted", 500)
		return
	}
	body := s.script[0]
	s.script = s.script[1:]
	_, _ = w.Write([]byte(body))
}

func (s *scriptedSkill) received(i int) simulator.Envelope {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.got[i]
}

func scripted(t *testing.T, device string, script ...string) (*simulator.Conversation, *scriptedSkill) {
	skill := &scriptedSkill{t: t, script: script}
	sim, _ := httpSim(t, skill.ServeHTTP, simulator.WithDevice(device))
	return sim.NewConversation(simulator.ConsentNone), skill
}

func send(t *testing.T, conv *simulator.Conversation, req simulator.Request) *simulator.Turn {
	t.Helper()
	turn, err := conv.Send(context.Background(), req)
	if err != nil {
		t.Fatalf("Send %s: %v", req.Type, err)
	}
	return turn
}

const (
	keepOpen = `{"version":"1.0","sessionAttributes":%s,"response":{"outputSpeech":{"type":"PlainText","text":"More?"},"shouldEndSession":false}}`
	endIt    = `{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"Bye"},"shouldEndSession":true}}`
	unsaid   = `{"version":"1.0","sessionAttributes":{"a":1},"response":{"outputSpeech":{"type":"PlainText","text":"Hm"}}}`
	silent   = `{"version":"1.0","response":{}}`
)

func TestAttributesCarryAcrossTurns(t *testing.T) {
	conv, skill := scripted(t, "echo-dot",
		fmt.Sprintf(keepOpen, `{"turns":1,"cart":["tea"]}`),
		fmt.Sprintf(keepOpen, `{"turns":2,"cart":["tea","cake"]}`),
		fmt.Sprintf(keepOpen, `null`),
		endIt)
	send(t, conv, simulator.LaunchRequest())
	send(t, conv, simulator.IntentRequest("AddIntent", simulator.WithSlot("item", "cake")))
	send(t, conv, simulator.IntentRequest("ClearIntent"))
	send(t, conv, simulator.IntentRequest("AMAZON.StopIntent"))

	first := skill.received(0).Session
	if !first.New || first.Attributes != nil {
		t.Errorf("turn 1 session new=%v attributes=%s, want new and none", first.New, first.Attributes)
	}
	for i, want := range []string{`{"turns":1,"cart":["tea"]}`, `{"turns":2,"cart":["tea","cake"]}`, ``} {
		s := skill.received(i + 1).Session
		if s.New || s.SessionID != first.SessionID {
			t.Errorf("turn %d: session %s new=%v, want %s continued", i+2, s.SessionID, s.New, first.SessionID)
		}
		if string(s.Attributes) != want {
			t.Errorf("turn %d: attributes %s, want the bytes the skill returned, %s", i+2, s.Attributes, want)
		}
	}
	if conv.SessionID() != "" {
		t.Error("session open after shouldEndSession true")
	}
}

func TestSessionRenewedAfterShouldEndSession(t *testing.T) {
	conv, skill := scripted(t, "echo-dot", fmt.Sprintf(keepOpen, `{"x":1}`), endIt, fmt.Sprintf(keepOpen, `{}`))
	send(t, conv, simulator.LaunchRequest())
	send(t, conv, simulator.IntentRequest("AMAZON.StopIntent"))
	send(t, conv, simulator.IntentRequest("HelloIntent"))
	a, b := skill.received(1).Session, skill.received(2).Session
	if !b.New || b.SessionID == a.SessionID || b.Attributes != nil {
		t.Errorf("after shouldEndSession true: session %s new=%v attributes=%s; want a new one (old %s)", b.SessionID, b.New, b.Attributes, a.SessionID)
	}
}

func TestShouldEndSessionAbsentDependsOnDevice(t *testing.T) {
	for _, tc := range []struct {
		device   string
		stayOpen bool
	}{{"echo-dot", false}, {"headless", false}, {"echo-show", true}, {"fire-tv", true}} {
		t.Run(tc.device, func(t *testing.T) {
			conv, skill := scripted(t, tc.device, unsaid, silent)
			send(t, conv, simulator.LaunchRequest())
			send(t, conv, simulator.IntentRequest("HelloIntent"))
			s := skill.received(1).Session
			if open := !s.New; open != tc.stayOpen {
				t.Errorf("session continued = %v, want %v", open, tc.stayOpen)
			}
			if tc.stayOpen && string(s.Attributes) != `{"a":1}` {
				t.Errorf("attributes %s", s.Attributes)
			}
		})
	}
}

func TestDialogDirectivesKeepSessionOpen(t *testing.T) {
	delegate := `{"version":"1.0","sessionAttributes":{"d":1},"response":{"directives":[{"type":"Dialog.Delegate"}]}}`
	elicitAndPlay := `{"version":"1.0","response":{"directives":[{"type":"Dialog.ElicitSlot","slotToElicit":"x"},{"type":"Hint","hint":{"type":"PlainText","text":"x"}}]}}`
	conv, skill := scripted(t, "echo-dot", delegate, elicitAndPlay, silent)
	send(t, conv, simulator.IntentRequest("OrderIntent", simulator.WithDialogState(simulator.DialogStarted)))
	send(t, conv, simulator.IntentRequest("OrderIntent", simulator.WithDialogState(simulator.DialogInProgress)))
	send(t, conv, simulator.IntentRequest("OrderIntent"))
	if s := skill.received(1).Session; s.New || string(s.Attributes) != `{"d":1}` {
		t.Errorf("after Dialog.Delegate alone: new=%v attributes=%s, want continued", s.New, s.Attributes)
	}
	// Not only Dialog directives, shouldEndSession absent, headless: ends.
	if s := skill.received(2).Session; !s.New {
		t.Error("a response with Dialog and other directives kept a headless session open")
	}
}

func TestSessionEndedRequestEndsSessionWhateverTheAnswer(t *testing.T) {
	conv, skill := scripted(t, "echo-show", fmt.Sprintf(keepOpen, `{}`), `{"version":"1.0","response":{"shouldEndSession":false}}`, fmt.Sprintf(keepOpen, `{}`))
	send(t, conv, simulator.LaunchRequest())
	send(t, conv, simulator.SessionEndedRequest(simulator.ReasonUserInitiated, nil))
	if conv.SessionID() != "" {
		t.Fatal("session open after SessionEndedRequest")
	}
	send(t, conv, simulator.IntentRequest("HelloIntent"))
	if !skill.received(2).Session.New {
		t.Error("the turn after SessionEndedRequest did not open a new session")
	}
}

func TestSessionlessRequestsLeaveTheSessionAlone(t *testing.T) {
	conv, skill := scripted(t, "echo-dot",
		fmt.Sprintf(keepOpen, `{"k":"v"}`),
		`{"version":"1.0","response":{"directives":[{"type":"AudioPlayer.Stop"}],"shouldEndSession":true}}`,
		`{"version":"1.0","response":{"canFulfillIntent":{"canFulfill":"NO"}}}`,
		silent,
		fmt.Sprintf(keepOpen, `{"k":"w"}`))
	send(t, conv, simulator.LaunchRequest())
	id := conv.SessionID()
	ev, err := simulator.AudioPlayerEvent("PlaybackStarted", "tok", 0)
	check(t, err)
	send(t, conv, ev)
	send(t, conv, simulator.CanFulfillIntentRequest("OrderIntent"))
	send(t, conv, simulator.ExceptionEncountered("", "bad", "r1"))
	send(t, conv, simulator.IntentRequest("HelloIntent"))
	if skill.received(1).Session != nil || skill.received(3).Session != nil {
		t.Error("a sessionless request carried a session")
	}
	if cfi := skill.received(2).Session; cfi == nil || !cfi.New || cfi.SessionID == id {
		t.Errorf("CanFulfillIntentRequest session %+v, want a new one of its own", cfi)
	}
	if s := skill.received(4).Session; s.SessionID != id || s.New || string(s.Attributes) != `{"k":"v"}` {
		t.Errorf("after sessionless turns: session %s new=%v attributes=%s, want %s continued with {\"k\":\"v\"}", s.SessionID, s.New, s.Attributes, id)
	}
}

func TestPermissionRequestAnswered(t *testing.T) {
	askFor := `{"version":"1.0","sessionAttributes":{"step":"asked"},"response":{"directives":[{"type":"Connections.SendRequest","name":"AskFor",
		"payload":{"@type":"AskForPermissionsConsentRequest","@version":"2","permissionScopes":[{"permissionScope":"alexa::alerts:reminders:skill:readwrite","consentLevel":"ACCOUNT"}]},
		"token":"tok-7"}],"shouldEndSession":%s}}`
	for _, tc := range []struct {
		shouldEnd string
		// newSession: the answer opens a new session, without the old
		// attributes (contract §2.7).
		newSession bool
	}{{"true", true}, {"false", false}} {
		t.Run("shouldEndSession "+tc.shouldEnd, func(t *testing.T) {
			conv, skill := scripted(t, "echo-dot", fmt.Sprintf(askFor, tc.shouldEnd), endIt)
			if _, ok := conv.PermissionRequest(); ok {
				t.Fatal("a permission request before the skill asked")
			}
			if _, err := conv.AnswerPermissionRequest(simulator.PermissionAccepted); err == nil {
				t.Fatal("answered a request nobody made")
			}
			send(t, conv, simulator.IntentRequest("RemindMeIntent"))
			asking := skill.received(0).Session.SessionID
			pr, ok := conv.PermissionRequest()
			if !ok || pr.Token != "tok-7" || len(pr.Scopes) != 1 || pr.Scopes[0] != alexa.ScopeReminders || pr.ConsentLevel != "ACCOUNT" ||
				pr.Version != "2" || pr.Flow != simulator.FlowAskFor {
				t.Fatalf("PermissionRequest = %+v, %v", pr, ok)
			}
			if open := conv.SessionID() != ""; open == tc.newSession {
				t.Fatalf("session open = %v after AskFor with shouldEndSession %s", open, tc.shouldEnd)
			}
			if _, err := conv.AnswerPermissionRequest("MAYBE"); err == nil {
				t.Error("status MAYBE accepted")
			}
			req, err := conv.AnswerPermissionRequest(simulator.PermissionAccepted)
			check(t, err)
			send(t, conv, req)
			got := skill.received(1)
			if got.Request.Type != simulator.TypeConnectionsResponse || *got.Request.Token != "tok-7" ||
				!strings.Contains(string(got.Request.Payload), `"status":"ACCEPTED"`) || !strings.Contains(string(got.Request.Payload), `"permissionScopes":[{"permissionScope":"`+alexa.ScopeReminders) {
				t.Errorf("Connections.Response = %+v payload %s", got.Request, got.Request.Payload)
			}
			switch {
			case got.Session == nil:
				t.Fatal("Connections.Response without a session")
			case tc.newSession && (!got.Session.New || got.Session.SessionID == asking || got.Session.Attributes != nil):
				t.Errorf("Connections.Response session %+v, want a new session without attributes", got.Session)
			case !tc.newSession && (got.Session.New || got.Session.SessionID != asking || string(got.Session.Attributes) != `{"step":"asked"}`):
				t.Errorf("Connections.Response session %+v, want the asking session continued", got.Session)
			}
			claims, err := apitoken.Parse(got.Context.System.APIAccessToken, testSigner().Keyfunc(), nil)
			check(t, err)
			if !claims.Granted(alexa.ScopeReminders) {
				t.Error("after ACCEPTED the apiAccessToken does not grant the scope")
			}
			if _, ok := conv.PermissionRequest(); ok {
				t.Error("the request is still pending after its answer was sent")
			}
		})
	}
}

// A version 1 AskFor (one permissionScope, as Jovo's AskForPermissionOutput
// and the timers variant send) is answered in the version 1 shape, whose
// payload.permissionScope such skills read.
func TestPermissionRequestV1AnsweredInV1Shape(t *testing.T) {
	askFor := `{"version":"1.0","response":{"directives":[{"type":"Connections.SendRequest","name":"AskFor",
		"payload":{"@type":"AskForPermissionsConsentRequest","@version":"1","permissionScope":"alexa::alerts:timers:skill:readwrite"},
		"token":"t1"}],"shouldEndSession":true}}`
	conv, skill := scripted(t, "echo-dot", askFor, endIt)
	send(t, conv, simulator.IntentRequest("SetTimerIntent"))
	pr, ok := conv.PermissionRequest()
	if !ok || pr.Version != "1" || len(pr.Scopes) != 1 || pr.Scopes[0] != "alexa::alerts:timers:skill:readwrite" {
		t.Fatalf("PermissionRequest = %+v, %v", pr, ok)
	}
	req, err := conv.AnswerPermissionRequest(simulator.PermissionDenied)
	check(t, err)
	send(t, conv, req)
	got := skill.received(1)
	var payload map[string]any
	check(t, json.Unmarshal(got.Request.Payload, &payload))
	if payload["permissionScope"] != "alexa::alerts:timers:skill:readwrite" || payload["status"] != "DENIED" {
		t.Errorf("v1 payload %s, want a single permissionScope and status DENIED", got.Request.Payload)
	}
	if _, ok := payload["permissionScopes"]; ok {
		t.Errorf("v1 payload %s carries the v2 list", got.Request.Payload)
	}
	claims, err := apitoken.Parse(got.Context.System.APIAccessToken, testSigner().Keyfunc(), nil)
	check(t, err)
	if claims.Granted("alexa::alerts:timers:skill:readwrite") {
		t.Error("DENIED granted the scope")
	}
}

// Voice-forward consent: the StartConnection suspends the session, the
// SessionResumedRequest resumes it with the outcome in cause.result.
func TestVoiceForwardConsentResumesTheSession(t *testing.T) {
	start := `{"version":"1.0","sessionAttributes":{"step":"consent"},"response":{"directives":[{"type":"Connections.StartConnection",
		"uri":"connection://AMAZON.AskForPermissionsConsent/2","input":{"@type":"AskForPermissionsConsentRequest","@version":"2",
		"permissionScopes":[{"permissionScope":"alexa::profile:email:read","consentLevel":"PERSON"}]},"token":"vfc"}]}}`
	conv, skill := scripted(t, "echo-dot", start, endIt)
	send(t, conv, simulator.IntentRequest("AskForEmailIntent"))
	pr, ok := conv.PermissionRequest()
	if !ok || pr.Flow != simulator.FlowVoiceForward || pr.Token != "vfc" || pr.ConsentLevel != "PERSON" || pr.Scopes[0] != alexa.ScopeEmail {
		t.Fatalf("PermissionRequest = %+v, %v", pr, ok)
	}
	req, err := conv.AnswerPermissionRequest(simulator.PermissionAccepted)
	check(t, err)
	send(t, conv, req)
	got := skill.received(1)
	if got.Request.Type != simulator.TypeSessionResumed || got.Request.Cause == nil {
		t.Fatalf("answer %+v, want a SessionResumedRequest", got.Request)
	}
	c := got.Request.Cause
	if c.Type != "ConnectionCompleted" || c.Token != "vfc" || c.Status == nil || c.Status.Code != "200" || string(c.Result) != `{"status":"ACCEPTED"}` {
		t.Errorf("cause %+v result %s", c, c.Result)
	}
	first := skill.received(0).Session
	if got.Session == nil || got.Session.New || got.Session.SessionID != first.SessionID || string(got.Session.Attributes) != `{"step":"consent"}` {
		t.Errorf("SessionResumedRequest session %+v, want %s resumed with its attributes", got.Session, first.SessionID)
	}
	claims, err := apitoken.Parse(got.Context.System.APIAccessToken, testSigner().Keyfunc(), nil)
	check(t, err)
	if !claims.Granted(alexa.ScopeEmail) {
		t.Error("after ACCEPTED the apiAccessToken does not grant the email scope")
	}
}

// A scope the manifest does not declare is never put to the user: the
// answer fails with status.code 400 and grants nothing, in either flow.
func TestPermissionRequestOutsideTheManifest(t *testing.T) {
	askFor := `{"version":"1.0","response":{"directives":[{"type":"Connections.SendRequest","name":"AskFor",
		"payload":{"@type":"AskForPermissionsConsentRequest","@version":"2","permissionScopes":[{"permissionScope":"alexa::alerts:reminders:skill:readwrite","consentLevel":"ACCOUNT"}]},
		"token":"t"}],"shouldEndSession":false}}`
	start := `{"version":"1.0","response":{"directives":[{"type":"Connections.StartConnection","uri":"connection://AMAZON.AskForPermissionsConsent/2",
		"input":{"@type":"AskForPermissionsConsentRequest","@version":"2","permissionScopes":[{"permissionScope":"alexa::alerts:reminders:skill:readwrite","consentLevel":"ACCOUNT"}]},"token":"t"}]}}`
	for _, script := range []string{askFor, start} {
		skill := &scriptedSkill{t: t, script: []string{script, endIt}}
		sim, _ := httpSim(t, skill.ServeHTTP, simulator.WithManifestPermissions("alexa::profile:email:read"), simulator.WithLenient(true))
		conv := sim.NewConversation(simulator.ConsentNone)
		turn := send(t, conv, simulator.IntentRequest("RemindMeIntent"))
		if len(turn.Warnings) == 0 {
			t.Error("asking for an undeclared scope is not flagged")
		}
		req, err := conv.AnswerPermissionRequest(simulator.PermissionAccepted)
		check(t, err)
		send(t, conv, req)
		got := skill.received(1).Request
		var code string
		switch got.Type {
		case simulator.TypeConnectionsResponse:
			code = got.Status.Code
			if strings.Contains(string(got.Payload), `"status"`) {
				t.Errorf("payload %s has a user status; the user was not asked", got.Payload)
			}
		case simulator.TypeSessionResumed:
			code = got.Cause.Status.Code
			if string(got.Cause.Result) != `{}` {
				t.Errorf("result %s, want {} (the user was not asked)", got.Cause.Result)
			}
		}
		if code != "400" {
			t.Errorf("%s status.code %q, want \"400\"", got.Type, code)
		}
		if conv.Consent().Granted(alexa.ScopeReminders) {
			t.Errorf("%s: an undeclared scope was granted", got.Type)
		}
	}
}

func TestPurchaseRequestEndsSession(t *testing.T) {
	buy := `{"version":"1.0","response":{"directives":[{"type":"Connections.SendRequest","name":"Buy","payload":{"InSkillProduct":{"productId":"p"}},"token":"t"}],"shouldEndSession":false}}`
	conv, _ := scripted(t, "echo-dot", buy)
	send(t, conv, simulator.IntentRequest("BuyIntent"))
	if conv.SessionID() != "" {
		t.Error("session open after a Buy request, which ends it (contract §6.2)")
	}
	if _, ok := conv.PermissionRequest(); ok {
		t.Error("a Buy request taken for a permission request")
	}
}

// TestParallelConversationsStayApart runs conversations side by side
// against one skill that checks, on every request, that the attributes,
// the session user and the token's user are the conversation's own.
func TestParallelConversationsStayApart(t *testing.T) {
	const convs, turns = 8, 6
	var mu sync.Mutex
	var problems []string
	skill := func(w http.ResponseWriter, r *http.Request) {
		env, _ := received(t, r)
		user := env.Context.System.User.UserID
		claims, err := apitoken.Parse(env.Context.System.APIAccessToken, testSigner().Keyfunc(), nil)
		var attrs struct {
			Owner string `json:"owner"`
			N     int    `json:"n"`
		}
		if env.Session.Attributes != nil {
			_ = json.Unmarshal(env.Session.Attributes, &attrs)
		}
		mu.Lock()
		switch {
		case err != nil:
			problems = append(problems, "token: "+err.Error())
		case claims.PrivateClaims.UserID != user || claims.PrivateClaims.DeviceID != env.Context.System.Device.DeviceID:
			problems = append(problems, "token of another user or device")
		case env.Session.User.UserID != user:
			problems = append(problems, "session.user differs from context user")
		case attrs.Owner != "" && attrs.Owner != user:
			problems = append(problems, "attributes of another conversation")
		}
		mu.Unlock()
		out := mustJSON(t, map[string]any{"owner": user, "n": attrs.N + 1})
		fmt.Fprintf(w, keepOpen, out)
	}
	sim, _ := httpSim(t, skill)
	var wg sync.WaitGroup
	errs := make(chan error, convs*turns)
	for i := 0; i < convs; i++ {
		consent := []simulator.Consent{simulator.ConsentNone, simulator.ConsentEmail, simulator.ConsentEmailLinked, simulator.ConsentName}[i%4]
		conv := sim.NewConversation(consent)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 1; n <= turns; n++ {
				turn, err := conv.Send(context.Background(), simulator.IntentRequest("CountIntent"))
				if err != nil {
					errs <- err
					return
				}
				var a struct{ N int }
				_ = json.Unmarshal(turn.Response.SessionAttributes, &a)
				if a.N != n {
					errs <- fmt.Errorf("turn %d of a conversation counted %d", n, a.N)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

func TestSessionEnded(t *testing.T) {
	conv, _ := scripted(t, "echo-dot", fmt.Sprintf(keepOpen, `{}`), endIt)
	if conv.SessionEnded() {
		t.Error("a new conversation reports an ended session")
	}
	send(t, conv, simulator.LaunchRequest())
	if conv.SessionEnded() {
		t.Error("an open session reported as ended")
	}
	send(t, conv, simulator.IntentRequest("AMAZON.StopIntent"))
	if !conv.SessionEnded() {
		t.Error("shouldEndSession true: the session is not reported as ended")
	}
}
