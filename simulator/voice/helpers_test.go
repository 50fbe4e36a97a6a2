package voice_test

import (
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/asksim/asksim/fixtures/skill"
	"github.com/asksim/asksim/internal/testutil"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/model"
	"github.com/asksim/asksim/simulator/voice"
)

// exampleModel loads the example skill's package from fixtures/.
func exampleModel(t testing.TB) (*model.SkillPackage, *model.Model) {
	t.Helper()
	p, err := model.LoadSkillPackage(testutil.Fixture("skill", "skill-package"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.Model("en-US")
	if err != nil {
		t.Fatal(err)
	}
	return p, m
}

// exampleVoice speaks to the example skill in process.
func exampleVoice(t testing.TB, opts ...simulator.Option) *voice.Voice {
	t.Helper()
	_, m := exampleModel(t)
	sim := testutil.Deterministic(t, append([]simulator.Option{simulator.WithEndpoint(simulator.HandlerEndpoint(skill.New(skill.Options{})))}, opts...)...)
	return voice.New(sim.NewConversation(simulator.ConsentNone), m)
}

// tripModel is a small model for voiceScript skills: a manually delegated
// dialog with slot and intent confirmation, an intent without a dialog
// model, and no AMAZON.FallbackIntent.
const tripModel = `{"interactionModel":{"languageModel":{"invocationName":"trip planner",
 "intents":[
  {"name":"AMAZON.StopIntent","samples":[]},
  {"name":"AMAZON.HelpIntent","samples":[]},
  {"name":"BookIntent","slots":[
     {"name":"city","type":"CityType","samples":["to {city}","{city}"]},
     {"name":"date","type":"AMAZON.DATE","samples":["on {date}","{date}"]}],
   "samples":["book a trip","book a trip to {city}","book a trip to {city} on {date}"]},
  {"name":"WeatherIntent","samples":["what's the weather","how is the weather"]},
  {"name":"LoopIntent","slots":[{"name":"topic","type":"AMAZON.SearchQuery"}],"samples":["loop forever","loop about {topic}"]}],
 "types":[{"name":"CityType","values":[
   {"id":"PAR","name":{"value":"paris","synonyms":["city of light"]}},
   {"id":"NYC","name":{"value":"new york","synonyms":["big apple"]}}]}]},
 "dialog":{"delegationStrategy":"SKILL_RESPONSE","intents":[
   {"name":"BookIntent","confirmationRequired":true,"prompts":{"confirmation":"Confirm.Book"},
    "slots":[
     {"name":"city","type":"CityType","elicitationRequired":true,"confirmationRequired":true,"prompts":{"elicitation":"Elicit.City","confirmation":"Confirm.City"}},
     {"name":"date","type":"AMAZON.DATE","elicitationRequired":true,"confirmationRequired":false,"prompts":{"elicitation":"Elicit.Date"}}]},
   {"name":"LoopIntent","confirmationRequired":false,"prompts":{},
    "slots":[{"name":"topic","type":"AMAZON.SearchQuery","elicitationRequired":false,"confirmationRequired":false,"prompts":{}}]}]},
 "prompts":[
   {"id":"Elicit.City","variations":[{"type":"PlainText","value":"Where to?"},{"type":"PlainText","value":"Which city?"}]},
   {"id":"Confirm.City","variations":[{"type":"PlainText","value":"{city}, right?"}]},
   {"id":"Elicit.Date","variations":[{"type":"SSML","value":"<speak>When do you go to {city}?</speak>"}]},
   {"id":"Confirm.Book","variations":[{"type":"PlainText","value":"Book {city} on {date}?"}]}]}}`

// tripDay is "today" for AMAZON.DATE in tripModel: a Friday.
var tripDay = time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)

func tripModelFor(t testing.TB) *model.Model {
	t.Helper()
	m, err := model.ParseModel("trip.json", []byte(tripModel))
	if err != nil {
		t.Fatal(err)
	}
	m.Clock = func() time.Time { return tripDay }
	return m
}

// voiceScript is a skill whose answers a test writes: it records each request
// envelope, decoded, and answers with reply's value as JSON.
type voiceScript struct {
	mu    sync.Mutex
	reqs  []map[string]any
	reply func(req map[string]any) any
}

func (s *voiceScript) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var env map[string]any
	if err := json.NewDecoder(r.Body).Decode(&env); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, env)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(s.reply(env))
}

func (s *voiceScript) requests() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]map[string]any(nil), s.reqs...)
}

func scriptedVoice(t testing.TB, s *voiceScript, m *model.Model, opts []simulator.Option, vopts ...voice.Option) *voice.Voice {
	t.Helper()
	sim := testutil.Deterministic(t, append([]simulator.Option{simulator.WithEndpoint(simulator.HandlerEndpoint(s))}, opts...)...)
	return voice.New(sim.NewConversation(simulator.ConsentNone), m, vopts...)
}

// Answers of voiceScript skills.

func say(text string, directives ...map[string]any) map[string]any {
	r := map[string]any{"outputSpeech": map[string]any{"type": "PlainText", "text": text}, "shouldEndSession": false}
	if len(directives) > 0 {
		r["directives"] = directives
	}
	return map[string]any{"version": "1.0", "response": r}
}

func delegateAnswer() map[string]any {
	return map[string]any{"version": "1.0", "response": map[string]any{"directives": []any{map[string]any{"type": "Dialog.Delegate"}}}}
}

// request fields of a recorded envelope.
func reqType(env map[string]any) string {
	v, _ := testutil.At(env, "request", "type")
	s, _ := v.(string)
	return s
}

func dialogState(env map[string]any) (string, bool) {
	v, ok := testutil.At(env, "request", "dialogState")
	s, _ := v.(string)
	return s, ok
}

func intentName(env map[string]any) string {
	v, _ := testutil.At(env, "request", "intent", "name")
	s, _ := v.(string)
	return s
}

func slotField(env map[string]any, slot string, keys ...string) (any, bool) {
	return testutil.At(env, append([]string{"request", "intent", "slots", slot}, keys...)...)
}

// turnEnvelope decodes the request a turn sent.
func turnEnvelope(t testing.TB, turn *simulator.Turn) map[string]any {
	t.Helper()
	return testutil.Generic(t, turn.RequestBody).(map[string]any)
}
