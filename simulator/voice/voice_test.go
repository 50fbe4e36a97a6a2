package voice_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/asksim/asksim/internal/testutil"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/alexa"
	"github.com/asksim/asksim/simulator/model"
	"github.com/asksim/asksim/simulator/voice"
)

// sayOK speaks and fails the test on error.
func sayOK(t *testing.T, v *voice.Voice, utterance string) *voice.Exchange {
	t.Helper()
	ex, err := v.Say(context.Background(), utterance)
	if err != nil {
		t.Fatalf("Say(%q): %v", utterance, err)
	}
	return ex
}

func wantSpeech(t *testing.T, ex *voice.Exchange, want string) {
	t.Helper()
	if ex.Speech != want {
		t.Errorf("Say(%q): Alexa says %q, want %q", ex.Utterance, ex.Speech, want)
	}
}

func wantStep(t *testing.T, ex *voice.Exchange, want voice.DialogStep) {
	t.Helper()
	if ex.Dialog != want {
		t.Errorf("Say(%q): dialog step %+v, want %+v", ex.Utterance, ex.Dialog, want)
	}
}

// TestVoice_ExampleSkillOrder plays the example skill's auto-delegated
// order: Alexa confirms the intent from the model's prompt without asking
// the skill, then sends one COMPLETED request.
func TestVoice_ExampleSkillOrder(t *testing.T) {
	v := exampleVoice(t)
	ex := sayOK(t, v, "open example skill")
	if ex.Heard != voice.HeardLaunch || len(ex.Turns) != 1 || ex.Last().Request.Request.Type != simulator.TypeLaunchRequest {
		t.Fatalf("open: heard %q, %d turns", ex.Heard, len(ex.Turns))
	}
	wantSpeech(t, ex, "Welcome to Example Skill. You can ask for your email, your name, or your account.")
	session := v.Conversation().SessionID()

	ex = sayOK(t, v, "order two coffees")
	if len(ex.Turns) != 0 {
		t.Fatalf("auto-delegated order sent %d requests before the dialog completed, want 0", len(ex.Turns))
	}
	wantStep(t, ex, voice.DialogStep{Intent: "OrderIntent", ConfirmIntent: true, PromptID: "Confirm.Intent.OrderIntent"})
	wantSpeech(t, ex, "That's 2 coffees. Shall I place the order?")
	if ex.Resolution == nil || ex.Resolution.Intent != "OrderIntent" {
		t.Fatalf("resolution = %+v", ex.Resolution)
	}

	ex = sayOK(t, v, "yes")
	if ex.Heard != voice.HeardConfirmation || ex.Confirmation != simulator.ConfirmationConfirmed || len(ex.Turns) != 1 {
		t.Fatalf("yes: heard %q %q, %d turns", ex.Heard, ex.Confirmation, len(ex.Turns))
	}
	env := turnEnvelope(t, ex.Last())
	if s, _ := dialogState(env); s != "COMPLETED" {
		t.Errorf("dialogState = %q, want COMPLETED", s)
	}
	if c, _ := testutil.At(env, "request", "intent", "confirmationStatus"); c != "CONFIRMED" {
		t.Errorf("intent.confirmationStatus = %v, want CONFIRMED", c)
	}
	if id, _ := testutil.At(env, "session", "sessionId"); id != session {
		t.Errorf("session %v, want the launch's %s", id, session)
	}
	item := ex.Last().Request.Request.Intent.Slots["item"]
	wantAuth := simulator.CustomAuthority(v.Conversation().Simulator().SkillID(), "ItemType")
	if item.Value != "coffees" || item.Resolutions == nil || item.Resolutions.ResolutionsPerAuthority[0].Authority != wantAuth ||
		item.Resolutions.ResolutionsPerAuthority[0].Values[0].Value != (simulator.ResolvedValue{Name: "coffee", ID: "COFFEE"}) {
		t.Errorf("item slot = %+v", item)
	}
	wantSpeech(t, ex, "Ordering 2 coffees.")
	if ex.Dialog.Open() || v.Dialog().Open() {
		t.Errorf("dialog still open after the order: %v", v.Dialog())
	}
}

// TestVoice_ExampleSkillElicitsThenDenied: "ask … to" opens a new session;
// Alexa elicits the missing quantity with the model's prompt; a "no" to
// the intent confirmation reaches the skill as DENIED.
func TestVoice_ExampleSkillElicitsThenDenied(t *testing.T) {
	v := exampleVoice(t)
	sayOK(t, v, "open example skill")
	first := v.Conversation().SessionID()

	ex := sayOK(t, v, "ask example skill to order a latte")
	if !ex.Resolution.NewSession || v.Conversation().SessionID() != "" {
		t.Errorf("ask … to: NewSession %v, session %q; want the launch's session ended", ex.Resolution.NewSession, v.Conversation().SessionID())
	}
	wantStep(t, ex, voice.DialogStep{Intent: "OrderIntent", ElicitSlot: "quantity", PromptID: "Elicit.Slot.OrderIntent.quantity"})
	wantSpeech(t, ex, "How many would you like?")

	ex = sayOK(t, v, "make it three")
	if ex.Heard != voice.HeardSlotValue || ex.Answer == nil || ex.Answer.Value != "3" {
		t.Fatalf("answer: heard %q, %+v", ex.Heard, ex.Answer)
	}
	wantSpeech(t, ex, "That's 3 latte. Shall I place the order?")

	ex = sayOK(t, v, "no")
	if len(ex.Turns) != 1 {
		t.Fatalf("%d turns, want 1", len(ex.Turns))
	}
	r := ex.Last().Request
	if r.Session.SessionID == first || !r.Session.New {
		t.Errorf("order went to session %s (new %v), want a new session after the launch's %s", r.Session.SessionID, r.Session.New, first)
	}
	if r.Request.DialogState != "COMPLETED" || r.Request.Intent.ConfirmationStatus != "DENIED" {
		t.Errorf("dialogState %q, confirmation %q; want COMPLETED, DENIED", r.Request.DialogState, r.Request.Intent.ConfirmationStatus)
	}
	wantSpeech(t, ex, "Okay, I won't place that order.")
}

// TestVoice_NoDialogStateWithoutDialogModel: intents outside the dialog
// model get no dialogState; FallbackIntent catches what nothing matches.
func TestVoice_NoDialogStateWithoutDialogModel(t *testing.T) {
	v := exampleVoice(t)
	for utt, intent := range map[string]string{"help": "AMAZON.HelpIntent", "sing me a song about ducks": "AMAZON.FallbackIntent"} {
		ex := sayOK(t, v, utt)
		env := turnEnvelope(t, ex.Last())
		if intentName(env) != intent {
			t.Errorf("%q → %s, want %s", utt, intentName(env), intent)
		}
		if s, ok := dialogState(env); ok {
			t.Errorf("%q: dialogState %q sent for an intent with no dialog model", utt, s)
		}
	}
}

// TestVoice_SlotsInRequest checks the request's slots: every slot present,
// entity resolution in both places, NO_MATCH for values outside the type,
// dialogState STARTED.
func TestVoice_SlotsInRequest(t *testing.T) {
	s := &voiceScript{reply: func(map[string]any) any { return say("Okay.") }}
	v := scriptedVoice(t, s, tripModelFor(t), nil)
	auth := simulator.CustomAuthority(simulator.DefaultSkillID, "CityType")
	cases := []struct {
		utt, value, status, id string
	}{
		{"book a trip to the big apple", "the big apple", "", ""}, // "the" is not a synonym
		{"book a trip to big apple", "big apple", "ER_SUCCESS_MATCH", "NYC"},
		{"book a trip to Paris!", "paris", "ER_SUCCESS_MATCH", "PAR"},
		{"book a trip to atlantis", "atlantis", "ER_SUCCESS_NO_MATCH", ""},
	}
	for _, c := range cases {
		ex, err := v.Say(context.Background(), c.utt)
		if err != nil {
			t.Fatalf("%q: %v", c.utt, err)
		}
		env := turnEnvelope(t, ex.Last())
		if st, _ := dialogState(env); st != "STARTED" || intentName(env) != "BookIntent" {
			t.Errorf("%q: %s with dialogState %q, want BookIntent STARTED", c.utt, intentName(env), st)
		}
		if got, _ := slotField(env, "city", "value"); got != c.value {
			t.Errorf("%q: city = %v, want %q", c.utt, got, c.value)
		}
		if date, ok := slotField(env, "date"); !ok || fmt.Sprint(date) != "map[confirmationStatus:NONE name:date]" {
			t.Errorf("%q: unfilled date slot = %v, want name and confirmationStatus only", c.utt, date)
		}
		if c.status == "" {
			continue
		}
		for _, base := range [][]string{{"resolutions"}, {"slotValue", "resolutions"}} {
			per, _ := slotField(env, "city", append(base, "resolutionsPerAuthority")...)
			list, _ := per.([]any)
			if len(list) != 1 {
				t.Fatalf("%q: %v.resolutionsPerAuthority = %v", c.utt, base, per)
			}
			r := list[0].(map[string]any)
			code, _ := testutil.At(r, "status", "code")
			if r["authority"] != auth || code != c.status {
				t.Errorf("%q: %v: authority %v code %v, want %s %s", c.utt, base, r["authority"], code, auth, c.status)
			}
			id, _ := testutil.At(r, "values")
			if c.id == "" && id != nil || c.id != "" && fmt.Sprint(id) != fmt.Sprintf("[map[value:map[id:%s name:%s]]]", c.id, map[string]string{"NYC": "new york", "PAR": "paris"}[c.id]) {
				t.Errorf("%q: %v values = %v, want id %q", c.utt, base, id, c.id)
			}
		}
	}
}

// bookingSkill delegates every BookIntent turn until COMPLETED and then
// books.
func bookingSkill() *voiceScript {
	return &voiceScript{reply: func(env map[string]any) any {
		if reqType(env) == "LaunchRequest" {
			return say("Welcome to trip planner.")
		}
		if st, _ := dialogState(env); st == "COMPLETED" || intentName(env) != "BookIntent" {
			city, _ := slotField(env, "city", "value")
			date, _ := slotField(env, "date", "value")
			return say(fmt.Sprintf("%s: %v on %v.", intentName(env), city, date))
		}
		return delegateAnswer()
	}}
}

// TestVoice_DelegateWalksTheDialogModel goes through a manually delegated
// dialog: elicitation and confirmation prompts rendered from the model,
// each answer back IN_PROGRESS, a denied slot asked again, and the final
// COMPLETED request sent without the user.
func TestVoice_DelegateWalksTheDialogModel(t *testing.T) {
	s := bookingSkill()
	v := scriptedVoice(t, s, tripModelFor(t), nil)
	steps := []struct {
		utt    string
		speech string
		step   voice.DialogStep
		states []string // dialogStates of the requests sent
	}{
		{"book a trip", "Where to?", voice.DialogStep{Intent: "BookIntent", ElicitSlot: "city", Directive: "Dialog.Delegate", PromptID: "Elicit.City"}, []string{"STARTED"}},
		{"to the city of light", "the city of light, right?", voice.DialogStep{Intent: "BookIntent", ConfirmSlot: "city", Directive: "Dialog.Delegate", PromptID: "Confirm.City"}, []string{"IN_PROGRESS"}},
		{"no", "Where to?", voice.DialogStep{Intent: "BookIntent", ElicitSlot: "city", Directive: "Dialog.Delegate", PromptID: "Elicit.City"}, []string{"IN_PROGRESS"}},
		{"paris", "paris, right?", voice.DialogStep{Intent: "BookIntent", ConfirmSlot: "city", Directive: "Dialog.Delegate", PromptID: "Confirm.City"}, []string{"IN_PROGRESS"}},
		{"yeah", "When do you go to paris?", voice.DialogStep{Intent: "BookIntent", ElicitSlot: "date", Directive: "Dialog.Delegate", PromptID: "Elicit.Date"}, []string{"IN_PROGRESS"}},
		{"on tomorrow", "Book paris on 2026-01-03?", voice.DialogStep{Intent: "BookIntent", ConfirmIntent: true, Directive: "Dialog.Delegate", PromptID: "Confirm.Book"}, []string{"IN_PROGRESS"}},
		{"yes", "BookIntent: paris on 2026-01-03.", voice.DialogStep{}, []string{"IN_PROGRESS", "COMPLETED"}},
	}
	for _, st := range steps {
		before := len(s.requests())
		ex := sayOK(t, v, st.utt)
		wantSpeech(t, ex, st.speech)
		wantStep(t, ex, st.step)
		if v.Dialog() != st.step {
			t.Errorf("%q: Voice.Dialog() = %+v, want %+v", st.utt, v.Dialog(), st.step)
		}
		reqs := s.requests()[before:]
		var states []string
		for _, r := range reqs {
			st, _ := dialogState(r)
			states = append(states, st)
		}
		if strings.Join(states, ",") != strings.Join(st.states, ",") || len(ex.Turns) != len(reqs) {
			t.Errorf("%q: sent dialogStates %v (%d turns), want %v", st.utt, states, len(ex.Turns), st.states)
		}
	}
	reqs := s.requests()
	// The denial reached the skill with the value, and the next request had
	// the slot cleared.
	if c, _ := slotField(reqs[2], "city", "confirmationStatus"); c != "DENIED" {
		t.Errorf("after no: city confirmationStatus %v, want DENIED", c)
	}
	if val, ok := slotField(reqs[3], "city", "value"); !ok || val != "paris" {
		t.Errorf("re-elicited city = %v", val)
	}
	last := reqs[len(reqs)-1]
	c, _ := testutil.At(last, "request", "intent", "confirmationStatus")
	cc, _ := slotField(last, "city", "confirmationStatus")
	if c != "CONFIRMED" || cc != "CONFIRMED" {
		t.Errorf("COMPLETED request: intent %v, city %v; want both CONFIRMED", c, cc)
	}
}

// TestVoice_SkillDirectives: ElicitSlot with and without updatedIntent,
// ConfirmSlot and ConfirmIntent, each answered into an IN_PROGRESS request.
func TestVoice_SkillDirectives(t *testing.T) {
	turn := 0
	s := &voiceScript{reply: func(env map[string]any) any {
		turn++
		switch turn {
		case 1: // STARTED: ask for the date, adding a city the skill chose
			return say("Which day?", map[string]any{"type": "Dialog.ElicitSlot", "slotToElicit": "date",
				"updatedIntent": map[string]any{"name": "BookIntent", "confirmationStatus": "NONE",
					"slots": map[string]any{"city": map[string]any{"name": "city", "value": "paris", "confirmationStatus": "NONE"}}}})
		case 2:
			return say("Friday, right?", map[string]any{"type": "Dialog.ConfirmSlot", "slotToConfirm": "date"})
		case 3:
			return say("Shall I book it?", map[string]any{"type": "Dialog.ConfirmIntent"})
		default:
			return say("Cancelled.")
		}
	}}
	v := scriptedVoice(t, s, tripModelFor(t), nil)
	ex := sayOK(t, v, "book a trip")
	wantStep(t, ex, voice.DialogStep{Intent: "BookIntent", ElicitSlot: "date", Directive: "Dialog.ElicitSlot"})
	wantSpeech(t, ex, "Which day?")
	ex = sayOK(t, v, "friday")
	wantStep(t, ex, voice.DialogStep{Intent: "BookIntent", ConfirmSlot: "date", Directive: "Dialog.ConfirmSlot"})
	ex = sayOK(t, v, "yep")
	wantStep(t, ex, voice.DialogStep{Intent: "BookIntent", ConfirmIntent: true, Directive: "Dialog.ConfirmIntent"})
	ex = sayOK(t, v, "nope")
	wantStep(t, ex, voice.DialogStep{})
	wantSpeech(t, ex, "Cancelled.")

	reqs := s.requests()
	if len(reqs) != 4 {
		t.Fatalf("%d requests, want 4", len(reqs))
	}
	for i, r := range reqs[1:] {
		if st, _ := dialogState(r); st != "IN_PROGRESS" {
			t.Errorf("request %d: dialogState %q, want IN_PROGRESS", i+2, st)
		}
		if city, _ := slotField(r, "city", "value"); city != "paris" {
			t.Errorf("request %d: city %v, want the updatedIntent's paris", i+2, city)
		}
		if date, _ := slotField(r, "date", "value"); date != "2026-01-02" {
			t.Errorf("request %d: date %v, want 2026-01-02", i+2, date)
		}
	}
	if c, _ := slotField(reqs[2], "date", "confirmationStatus"); c != "CONFIRMED" {
		t.Errorf("after yep: date confirmationStatus %v, want CONFIRMED", c)
	}
	if c, _ := testutil.At(reqs[3], "request", "intent", "confirmationStatus"); c != "DENIED" {
		t.Errorf("after nope: intent confirmationStatus %v, want DENIED", c)
	}
}

// TestVoice_UtteranceThatDoesNotFillIsFresh: while Alexa waits for a slot,
// another intent's sample, a built-in like "stop", or words the slot type
// cannot take start afresh; words that are not any intent stay an error
// and keep the question open.
func TestVoice_UtteranceThatDoesNotFillIsFresh(t *testing.T) {
	for _, c := range []struct {
		eliciting string // what the skill asks for
		utt       string
		intent    string
	}{
		{"date", "what's the weather", "WeatherIntent"},
		{"city", "what's the weather", "WeatherIntent"}, // a custom slot takes any words, but these are another intent's
		{"city", "stop", "AMAZON.StopIntent"},
		{"date", "help", "AMAZON.HelpIntent"},
	} {
		s := &voiceScript{reply: func(env map[string]any) any {
			if intentName(env) == "BookIntent" {
				return say("Which?", map[string]any{"type": "Dialog.ElicitSlot", "slotToElicit": c.eliciting})
			}
			return say("Other.")
		}}
		v := scriptedVoice(t, s, tripModelFor(t), nil)
		sayOK(t, v, "book a trip")
		ex := sayOK(t, v, c.utt)
		if ex.Heard != voice.HeardIntent || intentName(turnEnvelope(t, ex.Last())) != c.intent {
			t.Errorf("eliciting %s, %q: heard %q, sent %s; want %s afresh", c.eliciting, c.utt, ex.Heard, intentName(turnEnvelope(t, ex.Last())), c.intent)
		}
		if _, ok := dialogState(turnEnvelope(t, ex.Last())); ok {
			t.Errorf("%q: dialogState sent for an intent without dialog model", c.utt)
		}
		if v.Dialog().Open() {
			t.Errorf("%q: dialog still open: %v", c.utt, v.Dialog())
		}
	}

	// Nothing matches: an error with the closest samples, nothing sent, the
	// question still open.
	s := &voiceScript{reply: func(env map[string]any) any {
		return say("Which day?", map[string]any{"type": "Dialog.ElicitSlot", "slotToElicit": "date"})
	}}
	v := scriptedVoice(t, s, tripModelFor(t), nil)
	sayOK(t, v, "book a trip to paris")
	_, err := v.Say(context.Background(), "purple monkey dishwasher")
	var nm *model.NoMatchError
	if !errors.As(err, &nm) || len(nm.Closest) == 0 || !strings.Contains(err.Error(), "closest samples") {
		t.Fatalf("err = %v, want a NoMatchError listing the closest samples", err)
	}
	if len(s.requests()) != 1 || v.Dialog().ElicitSlot != "date" {
		t.Errorf("after no match: %d requests, dialog %v; want 1 and still eliciting date", len(s.requests()), v.Dialog())
	}
	// The same answer within a sample of the dialog's intent fills it.
	ex := sayOK(t, v, "book a trip to new york on saturday")
	if ex.Heard != voice.HeardSlotValue || ex.Answer.Value != "2026-01-03" {
		t.Errorf("whole utterance: heard %q answer %+v", ex.Heard, ex.Answer)
	}
	r := ex.Last().Request.Request
	if r.DialogState != "IN_PROGRESS" || r.Intent.Slots["city"].Value != "new york" {
		t.Errorf("whole utterance: %s city %q, want IN_PROGRESS with city new york", r.DialogState, r.Intent.Slots["city"].Value)
	}
}

// TestVoice_NoMatchWithoutFallback: the model's NoMatchError, nothing sent.
func TestVoice_NoMatchWithoutFallback(t *testing.T) {
	s := bookingSkill()
	v := scriptedVoice(t, s, tripModelFor(t), nil)
	ex, err := v.Say(context.Background(), "book a flight")
	var nm *model.NoMatchError
	if !errors.As(err, &nm) || !strings.Contains(strings.Join(nm.Closest, "|"), "BookIntent: book a trip") {
		t.Fatalf("err = %v, want a NoMatchError naming BookIntent's sample", err)
	}
	if ex == nil || len(ex.Turns) != 0 || len(s.requests()) != 0 {
		t.Errorf("no match sent requests: %d", len(s.requests()))
	}
}

// TestVoice_DelegateLoopIsCapped: a skill that delegates a dialog with
// nothing to ask gets COMPLETED back up to the cap, then Say fails naming
// the loop.
func TestVoice_DelegateLoopIsCapped(t *testing.T) {
	s := &voiceScript{reply: func(map[string]any) any { return delegateAnswer() }}
	v := scriptedVoice(t, s, tripModelFor(t), nil, voice.WithMaxAutoTurns(3))
	ex, err := v.Say(context.Background(), "loop forever")
	if !errors.Is(err, voice.ErrDialogLoop) || !strings.Contains(err.Error(), "LoopIntent") {
		t.Fatalf("err = %v, want ErrDialogLoop naming LoopIntent", err)
	}
	if len(ex.Turns) != 4 || len(s.requests()) != 4 {
		t.Errorf("%d turns, %d requests; want 4 (STARTED and 3 automatic)", len(ex.Turns), len(s.requests()))
	}
	for i, r := range s.requests()[1:] {
		if st, _ := dialogState(r); st != "COMPLETED" {
			t.Errorf("automatic request %d: dialogState %q", i+1, st)
		}
	}
}

// TestVoice_BadDialogDirective: a directive Alexa cannot follow is an error
// naming the field.
func TestVoice_BadDialogDirective(t *testing.T) {
	for _, c := range []struct {
		directive map[string]any
		want      string
	}{
		{map[string]any{"type": "Dialog.ElicitSlot", "slotToElicit": "town"}, `response.directives.0.slotToElicit: "town" is not a slot of BookIntent (it has city, date)`},
		{map[string]any{"type": "Dialog.ConfirmSlot"}, "response.directives.0.slotToConfirm"},
		{map[string]any{"type": "Dialog.Delegate", "updatedIntent": map[string]any{"name": "NopeIntent"}}, `response.directives.0.updatedIntent.name: "NopeIntent" is not an intent`},
	} {
		s := &voiceScript{reply: func(map[string]any) any { return say("Hm.", c.directive) }}
		v := scriptedVoice(t, s, tripModelFor(t), nil)
		_, err := v.Say(context.Background(), "book a trip")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want %q", c.directive, err, c.want)
		}
	}
}

// TestVoice_AskToEndsSession: "ask <invocation> to …" starts a new session.
func TestVoice_AskToEndsSession(t *testing.T) {
	s := bookingSkill()
	v := scriptedVoice(t, s, tripModelFor(t), nil)
	sayOK(t, v, "open trip planner")
	sayOK(t, v, "what's the weather")
	ex := sayOK(t, v, "ask trip planner how is the weather")
	reqs := s.requests()
	id := func(i int) any { v, _ := testutil.At(reqs[i], "session", "sessionId"); return v }
	isNew := func(i int) any { v, _ := testutil.At(reqs[i], "session", "new"); return v }
	if id(0) != id(1) || isNew(1) != false {
		t.Errorf("second utterance: session %v new %v, want the launch's session continued", id(1), isNew(1))
	}
	if id(2) == id(1) || isNew(2) != true || !ex.Resolution.NewSession {
		t.Errorf("ask … : session %v new %v, want a new session", id(2), isNew(2))
	}
}

// TestVoice_ManifestViolation: the example skill asks by voice for the name
// permission; a manifest without it breaks the rule.
func TestVoice_ManifestViolation(t *testing.T) {
	pkg, _ := exampleModel(t)
	v := exampleVoice(t, simulator.WithSkillPackage(pkg))
	if _, err := v.Say(context.Background(), "use my name"); err != nil {
		t.Fatalf("with the example manifest: %v", err)
	}

	v = exampleVoice(t, simulator.WithManifestPermissions(alexa.ScopeEmail))
	ex, err := v.Say(context.Background(), "use my name")
	var ce *simulator.ContractError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a ContractError", err)
	}
	want := simulator.Violation{Rule: simulator.RulePermissionNotInManifest, Path: "response.directives.0.payload.permissionScopes.0.permissionScope",
		Message: `asks consent for "alexa::profile:name:read" but skill.json does not declare the permission "alexa::profile:name:read"`}
	if len(ex.Last().Violations) != 1 || ex.Last().Violations[0] != want {
		t.Errorf("violations = %+v, want %+v", ex.Last().Violations, want)
	}

	v = exampleVoice(t, simulator.WithManifestPermissions(), simulator.WithLenient(true))
	ex, err = v.Say(context.Background(), "use my name")
	if err != nil || len(ex.Last().Warnings) != 1 || ex.Last().Warnings[0].Rule != simulator.RulePermissionNotInManifest {
		t.Errorf("lenient: err %v, warnings %+v; want one warning", err, ex.Last().Warnings)
	}
}

// TestCheckPermissions covers cards, v1 and v2 AskFor payloads and the
// runtime-scope/manifest-name mapping.
func TestCheckPermissions(t *testing.T) {
	manifest := []string{"alexa::profile:email:read", "alexa::devices:all:address:full:read"}
	decode := func(s string) *simulator.ResponseEnvelope {
		t.Helper()
		vs := simulator.CheckResponse(nil, []byte(s), 0)
		if len(vs) != 0 {
			t.Fatalf("fixture breaks the contract: %v", vs)
		}
		var r simulator.ResponseEnvelope
		if err := json.Unmarshal([]byte(s), &r); err != nil {
			t.Fatal(err)
		}
		return &r
	}
	cases := []struct {
		name, body string
		paths      []string
	}{
		{"declared scopes", `{"version":"1.0","response":{"card":{"type":"AskForPermissionsConsent","permissions":["alexa::profile:email:read","read::alexa:device:all:address"]}}}`, nil},
		{"card", `{"version":"1.0","response":{"card":{"type":"AskForPermissionsConsent","permissions":["alexa::profile:email:read","read::alexa:device:all:address:country_and_postal_code"]}}}`,
			[]string{"response.card.permissions.1"}},
		{"v2 AskFor", `{"version":"1.0","response":{"directives":[{"type":"Hint"},{"type":"Connections.SendRequest","name":"AskFor","payload":{"@type":"AskForPermissionsConsentRequest","@version":"2","permissionScopes":[{"permissionScope":"alexa::profile:email:read","consentLevel":"ACCOUNT"},{"permissionScope":"alexa::alerts:reminders:skill:readwrite","consentLevel":"ACCOUNT"}]},"token":""}]}}`,
			[]string{"response.directives.1.payload.permissionScopes.1.permissionScope"}},
		{"v1 AskFor", `{"version":"1.0","response":{"directives":[{"type":"Connections.SendRequest","name":"AskFor","payload":{"@type":"AskForPermissionsConsentRequest","@version":"1","permissionScope":"alexa::alerts:timers:skill:readwrite"},"token":""}]}}`,
			[]string{"response.directives.0.payload.permissionScope"}},
		{"not AskFor", `{"version":"1.0","response":{"directives":[{"type":"Connections.SendRequest","name":"Buy","payload":{},"token":""}]}}`, nil},
	}
	for _, c := range cases {
		var paths []string
		for _, v := range simulator.CheckPermissions(decode(c.body), manifest) {
			if v.Rule != simulator.RulePermissionNotInManifest {
				t.Errorf("%s: rule %q", c.name, v.Rule)
			}
			paths = append(paths, v.Path)
		}
		if strings.Join(paths, " ") != strings.Join(c.paths, " ") {
			t.Errorf("%s: paths %v, want %v", c.name, paths, c.paths)
		}
	}
	v := simulator.CheckPermissions(decode(cases[1].body), nil)
	if len(v) != 2 || !strings.Contains(v[1].Message, `"alexa:devices:all:address:country_and_postal_code:read" (the manifest name of that scope)`) {
		t.Errorf("no manifest permissions: %+v", v)
	}
}

// TestVoice_ExampleSkillRejectsItem: after the auto-delegated dialog, the
// example skill elicits an item that is not on the menu itself; the answer
// goes back IN_PROGRESS with the skill's updatedIntent.
func TestVoice_ExampleSkillRejectsItem(t *testing.T) {
	v := exampleVoice(t)
	wantSpeech(t, sayOK(t, v, "order two pizzas"), "That's 2 pizzas. Shall I place the order?")
	ex := sayOK(t, v, "yes")
	wantSpeech(t, ex, "Sorry, we don't have pizzas. You can order coffee, latte, or tea. What would you like?")
	wantStep(t, ex, voice.DialogStep{Intent: "OrderIntent", ElicitSlot: "item", Directive: "Dialog.ElicitSlot"})
	if item := ex.Last().Request.Request.Intent.Slots["item"]; item.Resolutions.ResolutionsPerAuthority[0].Status.Code != "ER_SUCCESS_NO_MATCH" {
		t.Errorf("pizzas resolved as %+v", item.Resolutions)
	}
	ex = sayOK(t, v, "I'd like a latte")
	r := ex.Last().Request.Request
	if r.DialogState != "IN_PROGRESS" || r.Intent.Slots["item"].Value != "latte" || r.Intent.Slots["quantity"].Value != "2" || r.Intent.ConfirmationStatus != "CONFIRMED" {
		t.Errorf("answer sent %s %+v", r.DialogState, r.Intent)
	}
	wantSpeech(t, ex, "Ordering 2 lattes.")
}

// TestVoice_SendFollowsDelegate: a request built by hand (not from words)
// answered with Dialog.Delegate makes Alexa speak the model's prompt, and
// the next utterance answers it.
func TestVoice_SendFollowsDelegate(t *testing.T) {
	s := bookingSkill()
	v := scriptedVoice(t, s, tripModelFor(t), nil)
	ex, err := v.Send(context.Background(), simulator.IntentRequest("BookIntent",
		simulator.WithSlot("city", ""), simulator.WithSlot("date", ""), simulator.WithDialogState(simulator.DialogStarted)))
	if err != nil {
		t.Fatal(err)
	}
	if ex.Speech != "Where to?" || ex.Dialog.ElicitSlot != "city" || len(ex.Turns) != 1 {
		t.Fatalf("speech %q, dialog %v, %d turns; want the model's elicitation prompt for city", ex.Speech, ex.Dialog, len(ex.Turns))
	}
	ex, err = v.Say(context.Background(), "paris")
	if err != nil {
		t.Fatal(err)
	}
	if ex.Heard != voice.HeardSlotValue || ex.Dialog.ConfirmSlot != "city" {
		t.Errorf("answer: heard %s, dialog %v", ex.Heard, ex.Dialog)
	}
}

// After the session ends, words without the invocation phrase are Alexa's,
// not the skill's: Say fails naming the phrase, and sends nothing; with
// the phrase they reach the skill in a new session.
func TestVoice_AfterTheSessionEndedTheSkillMustBeNamed(t *testing.T) {
	v := exampleVoice(t)
	ctx := context.Background()
	if _, err := v.Say(ctx, "what is my email"); err != nil {
		t.Fatalf("first words of a conversation: %v, want them sent in a new session", err)
	}
	if _, err := v.Say(ctx, "stop"); err != nil {
		t.Fatal(err)
	}
	if !v.Conversation().SessionEnded() {
		t.Fatal("stop did not end the session")
	}
	ex, err := v.Say(ctx, "what's my email")
	var nf *voice.NotForSkillError
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), `"ask example skill what's my email"`) || !strings.Contains(err.Error(), "invocation phrase") {
		t.Fatalf("Say after the session ended = %v, want a NotForSkillError naming the invocation phrase", err)
	}
	if len(ex.Turns) != 0 {
		t.Errorf("%d requests sent to the skill, want none", len(ex.Turns))
	}
	ex, err = v.Say(ctx, "ask example skill what's my email")
	if err != nil || len(ex.Turns) != 1 || ex.Last().Request.Session == nil || !ex.Last().Request.Session.New {
		t.Errorf("with the invocation phrase: %v, want one request in a new session", err)
	}
}
