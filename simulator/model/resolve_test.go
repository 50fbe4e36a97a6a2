package model_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/asksim/asksim/simulator/model"
)

// want describes a filled slot: its value and, for custom types, the
// entity-resolution outcome ("" for built-in types).
type wantSlot struct {
	value  string
	status string // model.ERSuccessMatch, model.ERSuccessNoMatch or "" (no resolution)
	name   string // canonical name on a match
	id     string // id on a match
}

func TestResolveTravel(t *testing.T) {
	m := loadTravel(t)
	cityMatch := func(spoken, name, id string) wantSlot {
		return wantSlot{value: spoken, status: model.ERSuccessMatch, name: name, id: id}
	}
	noMatch := func(spoken string) wantSlot { return wantSlot{value: spoken, status: model.ERSuccessNoMatch} }
	builtin := func(v string) wantSlot { return wantSlot{value: v} }
	tests := []struct {
		name       string
		utterance  string
		kind       model.Kind
		newSession bool
		intent     string
		sample     string
		slots      map[string]wantSlot
		whyHas     string // a phrase Why must contain
	}{
		{name: "open", utterance: "open travel buddy", kind: model.KindLaunch, newSession: true, whyHas: "LaunchRequest"},
		{name: "launch with punctuation and case", utterance: "Launch Travel-Buddy!", kind: model.KindLaunch, newSession: true},
		{name: "ask with nothing else launches", utterance: "ask travel buddy", kind: model.KindLaunch, newSession: true},
		{name: "ask with only a connector launches", utterance: "tell travel buddy that", kind: model.KindLaunch, newSession: true},
		{name: "ask without a connector", utterance: "ask travel buddy what's the weather in paris", kind: model.KindIntent,
			newSession: true, intent: "GetWeatherIntent", slots: map[string]wantSlot{"city": cityMatch("paris", "Paris", "PAR")}},
		{name: "invocation name inside an utterance is not an invocation", utterance: "travel buddy", kind: model.KindIntent,
			intent: "AMAZON.FallbackIntent"},
		{name: "ask to, synonym and date", utterance: "Ask Travel Buddy to book a flight to the Big Apple on June fifth.",
			kind: model.KindIntent, newSession: true, intent: "BookFlightIntent", sample: "book a flight to {toCity} on {travelDate}",
			slots:  map[string]wantSlot{"toCity": cityMatch("the big apple", "New York", "NYC"), "travelDate": builtin("2025-06-05")},
			whyHas: `synonym of "New York" (id NYC)`},
		{name: "tell that", utterance: "tell travel buddy that i want to fly to london", kind: model.KindIntent, newSession: true,
			intent: "BookFlightIntent", sample: "i want to fly to {toCity}",
			slots: map[string]wantSlot{"toCity": cityMatch("london", "London", "LON")}},
		{name: "ask for a built-in", utterance: "ask travel buddy for help", kind: model.KindIntent, newSession: true,
			intent: "AMAZON.HelpIntent", whyHas: `built-in phrase "help"`},
		{name: "open with more words is not an invocation", utterance: "open travel buddy now", kind: model.KindIntent,
			intent: "AMAZON.FallbackIntent"},
		{name: "two cities, one outside the type", utterance: "book a flight from frisco to atlantis", kind: model.KindIntent,
			intent: "BookFlightIntent", sample: "book a flight from {fromCity} to {toCity}",
			slots:  map[string]wantSlot{"fromCity": cityMatch("frisco", "San Francisco", "SFO"), "toCity": noMatch("atlantis")},
			whyHas: "ER_SUCCESS_NO_MATCH, kept as spoken"},
		{name: "multi-word value with literal after it", utterance: "book a flight from new york city to paris on tomorrow",
			kind: model.KindIntent, intent: "BookFlightIntent", sample: "book a flight from {fromCity} to {toCity} on {travelDate}",
			slots: map[string]wantSlot{"fromCity": cityMatch("new york city", "New York", "NYC"), "toCity": cityMatch("paris", "Paris", "PAR"),
				"travelDate": builtin("2025-06-05")}},
		{name: "generated id for a value without one", utterance: "i want to fly to tokyo", kind: model.KindIntent,
			intent: "BookFlightIntent", slots: map[string]wantSlot{"toCity": cityMatch("tokyo", "Tokyo", "535296c75c25a1af724cfc1f11f4bd92")}},
		{name: "ambiguous carrier: custom value decides", utterance: "i want to go to paris", kind: model.KindIntent,
			intent: "BookFlightIntent", slots: map[string]wantSlot{"toCity": cityMatch("paris", "Paris", "PAR")},
			whyHas: "BookFlightIntent won: more slot values recognised (1 vs 0)"},
		{name: "ambiguous carrier: built-in catalogue decides", utterance: "I want to go to France", kind: model.KindIntent,
			intent: "PlanTripIntent", slots: map[string]wantSlot{"country": builtin("france")},
			whyHas: "PlanTripIntent won: more slot values recognised (1 vs 0)"},
		{name: "ambiguous carrier: equal scores go to the earlier intent", utterance: "i want to go to atlantis", kind: model.KindIntent,
			intent: "BookFlightIntent", slots: map[string]wantSlot{"toCity": noMatch("atlantis")},
			whyHas: "same score; BookFlightIntent comes first in the model"},
		{name: "bare slot sample with a known value", utterance: "Paris", kind: model.KindIntent, intent: "GetWeatherIntent", sample: "{city}",
			slots: map[string]wantSlot{"city": cityMatch("paris", "Paris", "PAR")}},
		{name: "bare slot sample does not swallow unknown words", utterance: "atlantis", kind: model.KindIntent, intent: "AMAZON.FallbackIntent",
			whyHas: "no sample of any intent fits"},
		{name: "near miss goes to fallback", utterance: "bok a flite to paris", kind: model.KindIntent, intent: "AMAZON.FallbackIntent",
			whyHas: "BookFlightIntent: book a flight to {toCity}"},
		{name: "more literal words beat a recognised slot", utterance: "what's the weather in paris", kind: model.KindIntent,
			intent: "GetWeatherIntent", sample: "what's the weather in {city}", slots: map[string]wantSlot{"city": cityMatch("paris", "Paris", "PAR")}},
		{name: "date after city without a literal between", utterance: "what's the weather in london next friday", kind: model.KindIntent,
			intent: "GetWeatherIntent", sample: "what's the weather in {city} {date}",
			slots: map[string]wantSlot{"city": cityMatch("london", "London", "LON"), "date": builtin("2025-06-06")}},
		{name: "built-in intent phrase", utterance: "What can I say?", kind: model.KindIntent, intent: "AMAZON.HelpIntent"},
		{name: "model's own sample for a built-in intent", utterance: "how do I book a trip", kind: model.KindIntent,
			intent: "AMAZON.HelpIntent", sample: "how do i book a trip"},
		{name: "yes with model sample", utterance: "book it", kind: model.KindIntent, intent: "AMAZON.YesIntent", sample: "book it"},
		{name: "yes built-in", utterance: "yeah", kind: model.KindIntent, intent: "AMAZON.YesIntent"},
		{name: "no", utterance: "nope", kind: model.KindIntent, intent: "AMAZON.NoIntent"},
		{name: "stop", utterance: "Stop!", kind: model.KindIntent, intent: "AMAZON.StopIntent"},
		{name: "cancel", utterance: "never mind", kind: model.KindIntent, intent: "AMAZON.CancelIntent"},
		{name: "start over own sample", utterance: "plan a new trip", kind: model.KindIntent, intent: "AMAZON.StartOverIntent"},
		{name: "undeclared built-in is not matched", utterance: "next", kind: model.KindIntent, intent: "AMAZON.FallbackIntent"},
		{name: "time", utterance: "remind me to pack at seven thirty pm", kind: model.KindIntent, intent: "RemindMeIntent",
			slots: map[string]wantSlot{"time": builtin("19:30")}},
		{name: "time noon", utterance: "remind me to pack at noon", kind: model.KindIntent, intent: "RemindMeIntent",
			slots: map[string]wantSlot{"time": builtin("12:00")}},
		{name: "duration", utterance: "remind me to pack in an hour and a half", kind: model.KindIntent, intent: "RemindMeIntent",
			slots: map[string]wantSlot{"delay": builtin("PT1H30M")}},
		{name: "unparseable time does not fill", utterance: "remind me to pack at banana", kind: model.KindIntent, intent: "AMAZON.FallbackIntent"},
		{name: "search query takes any words", utterance: "search deals for cheap flights to rome", kind: model.KindIntent,
			intent: "SearchDealsIntent", slots: map[string]wantSlot{"query": builtin("cheap flights to rome")}},
		{name: "first name in list", utterance: "call Alice", kind: model.KindIntent, intent: "CallAgentIntent",
			slots: map[string]wantSlot{"agent": builtin("alice")}},
		{name: "first name outside list still fills", utterance: "call zorblax", kind: model.KindIntent, intent: "CallAgentIntent",
			slots: map[string]wantSlot{"agent": builtin("zorblax")}},
		{name: "literal sample beats slot sample", utterance: "talk to an agent", kind: model.KindIntent, intent: "CallAgentIntent",
			sample: "talk to an agent"},
		{name: "ordinal word", utterance: "choose the third option", kind: model.KindIntent, intent: "ChooseOptionIntent",
			slots: map[string]wantSlot{"position": builtin("3")}},
		{name: "ordinal digits", utterance: "the 22nd one", kind: model.KindIntent, intent: "ChooseOptionIntent",
			slots: map[string]wantSlot{"position": builtin("22")}},
		{name: "color", utterance: "i want the navy blue suitcase", kind: model.KindIntent, intent: "ChooseOptionIntent",
			slots: map[string]wantSlot{"color": builtin("navy blue")}},
		{name: "number words", utterance: "book twenty two seats to tokyo", kind: model.KindIntent, intent: "BookFlightIntent",
			slots: map[string]wantSlot{"passengers": builtin("22"), "toCity": cityMatch("tokyo", "Tokyo", "535296c75c25a1af724cfc1f11f4bd92")}},
		{name: "number that is not a number", utterance: "book many seats to tokyo", kind: model.KindIntent, intent: "AMAZON.FallbackIntent"},
		{name: "built-in city and digits", utterance: "book a hotel in Berlin from tomorrow for 2 nights", kind: model.KindIntent,
			intent: "FindHotelIntent", slots: map[string]wantSlot{"city": builtin("berlin"), "checkIn": builtin("2025-06-05"), "nights": builtin("2")}},
		{name: "custom synonym in class type", utterance: "i need a coach ticket to nyc", kind: model.KindIntent, intent: "BookFlightIntent",
			slots: map[string]wantSlot{"travelClass": {value: "coach", status: model.ERSuccessMatch, name: "economy", id: "ECONOMY"},
				"toCity": cityMatch("nyc", "New York", "NYC")}},
		{name: "multi-word value beats a shorter synonym", utterance: "i need a first class ticket to london", kind: model.KindIntent,
			intent: "BookFlightIntent", slots: map[string]wantSlot{"travelClass": {value: "first class", status: model.ERSuccessMatch, name: "first class", id: "FIRST"},
				"toCity": cityMatch("london", "London", "LON")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := m.Resolve(tc.utterance)
			if err != nil {
				t.Fatalf("Resolve(%q): %v", tc.utterance, err)
			}
			if r.Kind != tc.kind || r.Intent != tc.intent || r.NewSession != tc.newSession {
				t.Fatalf("Resolve(%q) = %s %q new=%v, want %s %q new=%v\nwhy: %s", tc.utterance, r.Kind, r.Intent, r.NewSession,
					tc.kind, tc.intent, tc.newSession, strings.Join(r.Why, "\n  "))
			}
			if tc.sample != "" && r.Sample != tc.sample {
				t.Errorf("Sample = %q, want %q", r.Sample, tc.sample)
			}
			checkSlots(t, m, r, tc.slots)
			if tc.whyHas != "" && !strings.Contains(strings.Join(r.Why, "\n"), tc.whyHas) {
				t.Errorf("Why does not mention %q:\n  %s", tc.whyHas, strings.Join(r.Why, "\n  "))
			}
		})
	}
}

// checkSlots asserts every slot of the intent is present in model order and
// exactly the wanted ones are filled, with the wanted values and resolutions.
func checkSlots(t *testing.T, m *model.Model, r *model.Resolution, want map[string]wantSlot) {
	t.Helper()
	if r.Kind == model.KindLaunch {
		if len(r.Slots) != 0 {
			t.Errorf("launch has slots %v", r.Slots)
		}
		return
	}
	in := m.Intent(r.Intent)
	if len(r.Slots) != len(in.Slots) {
		t.Fatalf("got %d slots, intent %s defines %d", len(r.Slots), in.Name, len(in.Slots))
	}
	for i, sl := range in.Slots {
		got := r.Slots[i]
		if got.Name != sl.Name || got.Type != sl.Type {
			t.Errorf("slot %d = %s (%s), want %s (%s)", i, got.Name, got.Type, sl.Name, sl.Type)
		}
		w, wanted := want[sl.Name]
		if !wanted {
			if got.Filled() || got.Value != "" || got.Resolved != nil {
				t.Errorf("slot %s = %+v, want unfilled", sl.Name, got)
			}
			continue
		}
		if got.Value != w.value {
			t.Errorf("slot %s value = %q, want %q", sl.Name, got.Value, w.value)
		}
		if w.status == "" {
			if got.Resolved != nil {
				t.Errorf("slot %s has resolution %+v, want none (built-in type)", sl.Name, got.Resolved)
			}
			continue
		}
		er := got.Resolved
		if er == nil {
			t.Fatalf("slot %s has no resolution, want %s", sl.Name, w.status)
		}
		wantAuth := "amzn1.er-authority.echo-sdk." + testSkill + "." + sl.Type
		if er.Authority != wantAuth || er.Status != w.status {
			t.Errorf("slot %s resolution = %s %s, want %s %s", sl.Name, er.Authority, er.Status, wantAuth, w.status)
		}
		switch w.status {
		case model.ERSuccessMatch:
			if len(er.Values) != 1 || er.Values[0].Name != w.name || er.Values[0].ID != w.id {
				t.Errorf("slot %s resolved values = %+v, want [{%s %s}]", sl.Name, er.Values, w.name, w.id)
			}
			if !got.Recognized {
				t.Errorf("slot %s matched but Recognized is false", sl.Name)
			}
		case model.ERSuccessNoMatch:
			if len(er.Values) != 0 || got.Recognized {
				t.Errorf("slot %s no-match has values %+v / Recognized %v", sl.Name, er.Values, got.Recognized)
			}
		}
	}
}

func TestResolveNoMatchWithoutFallback(t *testing.T) {
	m, err := model.ParseModel("bare.json", []byte(`{"interactionModel":{"languageModel":{
		"invocationName":"space facts",
		"intents":[
			{"name":"GetFactIntent","samples":["tell me a fact","give me a space fact","a fact about {planet}"],
			 "slots":[{"name":"planet","type":"Planet"}]},
			{"name":"AMAZON.HelpIntent","samples":[]}],
		"types":[{"name":"Planet","values":[{"name":{"value":"mars"}}]}]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Resolve("give me a space fat")
	var nm *model.NoMatchError
	if !errors.As(err, &nm) {
		t.Fatalf("Resolve = %v, want *NoMatchError", err)
	}
	if len(nm.Closest) == 0 || nm.Closest[0] != "GetFactIntent: give me a space fact" {
		t.Errorf("Closest = %q, want first GetFactIntent: give me a space fact", nm.Closest)
	}
	if len(nm.Closest) > 3 {
		t.Errorf("Closest has %d entries, want at most 3", len(nm.Closest))
	}
	if !strings.Contains(err.Error(), `no intent matches "give me a space fat"`) {
		t.Errorf("error text %q does not name the utterance", err)
	}
	// A NoMatch for the rest of an "ask" phrase reports the whole utterance.
	_, err = m.Resolve("ask space facts to sing")
	if !errors.As(err, &nm) || nm.Utterance != "ask space facts to sing" {
		t.Errorf("Resolve(ask … to sing) = %v, want NoMatchError for the whole utterance", err)
	}
}

func TestResolveBadInput(t *testing.T) {
	m := loadTravel(t)
	for _, u := range []string{"", "   ", "?!,.", "{}"} {
		if _, err := m.Resolve(u); !errors.Is(err, model.ErrEmptyUtterance) {
			t.Errorf("Resolve(%q) = %v, want ErrEmptyUtterance", u, err)
		}
	}
	long := strings.Repeat("word ", model.MaxWords+1)
	if _, err := m.Resolve(long); err == nil || !strings.Contains(err.Error(), "more than 64") {
		t.Errorf("Resolve(long) = %v, want a too-long error", err)
	}
}

func TestResolveDeterministic(t *testing.T) {
	m := loadTravel(t)
	first, err := m.Resolve("i want to go to atlantis")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		r, err := m.Resolve("i want to go to atlantis")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(r, first) {
			t.Fatalf("run %d differs:\n%+v\n%+v", i, r, first)
		}
	}
}

func TestResolveConcurrent(t *testing.T) {
	m := loadTravel(t)
	done := make(chan error, 4)
	for g := 0; g < 4; g++ {
		go func() {
			for i := 0; i < 50; i++ {
				r, err := m.Resolve("book a flight from frisco to paris on june fifth")
				if err != nil {
					done <- err
					return
				}
				if r.Slot("travelDate").Value != "2025-06-05" {
					done <- fmt.Errorf("travelDate = %q", r.Slot("travelDate").Value)
					return
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 4; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

func TestWords(t *testing.T) {
	tests := map[string]string{
		"Book a flight, to PARIS!":     "book a flight to paris",
		"What's the weather?":          "what is the weather",
		"twenty-one":                   "twenty one",
		"at 7:30 p.m.":                 "at 7:30 p m",
		"on 2025-06-05":                "on 2025-06-05",
		"'quoted' words":               "quoted words",
		"St. Louis — Zürich":           "st louis zürich",
		"  spaced\tout\nwords ":        "spaced out words",
		"rock 'n' roll; 3.5 stars":     "rock n roll 3.5 stars",
		"O’Hare":                       "o'hare",
		"trailing-":                    "trailing",
		"12:":                          "12",
		"x{slot}y":                     "x slot y",
		"ÉCOLE":                        "école",
		"don't stop":                   "do not stop",
		"1/2":                          "1/2",
		"-5":                           "5",
		"a--b":                         "a b",
		"":                             "",
		"!!!":                          "",
		"new york, new york":           "new york new york",
		"NEW\u00a0YORK":                "new york",
		"the 1st of june, 2025":        "the 1st of june 2025",
		"half past seven (in the a.m)": "half past seven in the a m",
	}
	for in, want := range tests {
		if got := strings.Join(model.Words(in), " "); got != want {
			t.Errorf("Words(%q) = %q, want %q", in, got, want)
		}
	}
}

// Contractions match their written-out samples both ways, as Alexa's NLU
// does: "what's my email" reaches the sample "what is my email".
func TestResolveContractions(t *testing.T) {
	m := mustParse(t, `{"interactionModel":{"languageModel":{"invocationName":"profile reader","intents":[
		{"name":"GetEmailIntent","samples":["what is my email"]},
		{"name":"StopIntent","samples":["I do not want to go on"]},
		{"name":"AMAZON.FallbackIntent","samples":[]}]}}}`)
	for utterance, want := range map[string]string{
		"what's my email":                    "GetEmailIntent",
		"What’s my email?":                   "GetEmailIntent",
		"what is my email":                   "GetEmailIntent",
		"I don't want to go on":              "StopIntent",
		"ask profile reader what's my email": "GetEmailIntent",
		"whats my email":                     "AMAZON.FallbackIntent", // not a contraction: no apostrophe
	} {
		r, err := m.Resolve(utterance)
		if err != nil {
			t.Fatalf("%q: %v", utterance, err)
		}
		if r.Intent != want {
			t.Errorf("%q resolved to %s, want %s", utterance, r.Intent, want)
		}
	}
	// A sample written with a contraction matches the full form too.
	m = mustParse(t, `{"interactionModel":{"languageModel":{"invocationName":"profile reader","intents":[
		{"name":"WhereIntent","samples":["where's my order"]},{"name":"AMAZON.FallbackIntent","samples":[]}]}}}`)
	if r, err := m.Resolve("where is my order"); err != nil || r.Intent != "WhereIntent" {
		t.Errorf("\"where is my order\" against the sample \"where's my order\": %+v, %v", r, err)
	}
	if got := strings.Join(model.Words("John's order won't ship"), " "); got != "john's order will not ship" {
		t.Errorf("Words = %q: a possessive stays, won't is written out", got)
	}
}

// Samples that say the same once contractions are written out are one
// sample within an intent, and a conflict between intents.
func TestContractionSamplesWithinAndAcrossIntents(t *testing.T) {
	mustParse(t, `{"interactionModel":{"languageModel":{"invocationName":"profile reader","intents":[
		{"name":"GetEmailIntent","samples":["what's my email","what is my email"]}]}}}`)
	_, err := model.ParseModel("inline.json", []byte(`{"interactionModel":{"languageModel":{"invocationName":"profile reader","intents":[
		{"name":"GetEmailIntent","samples":["what's my email"]},{"name":"OtherIntent","samples":["what is my email"]}]}}}`))
	if err == nil || !strings.Contains(err.Error(), "conflicts with GetEmailIntent") {
		t.Errorf("the same words in two intents: %v, want a conflict", err)
	}
}
