package model_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/asksim/asksim/simulator/model"
)

func TestDialogModel(t *testing.T) {
	m := loadTravel(t)
	if !m.HasDialog() {
		t.Fatal("HasDialog = false")
	}
	if m.Dialog("GetWeatherIntent") != nil {
		t.Error("GetWeatherIntent has a dialog, want none")
	}
	d := m.Dialog("BookFlightIntent")
	if d == nil {
		t.Fatal("no dialog for BookFlightIntent")
	}
	if d.Delegation != "ALWAYS" || !d.ConfirmationRequired || d.ConfirmationPrompt != "Confirm.Intent.BookFlight" {
		t.Errorf("dialog = %+v", d)
	}
	var required []string
	for _, s := range d.Required() {
		required = append(required, s.Name)
	}
	if got := strings.Join(required, ","); got != "toCity,fromCity,travelDate" {
		t.Errorf("Required = %s, want toCity,fromCity,travelDate (dialog order)", got)
	}
	to := d.Slot("toCity")
	if to == nil || !to.ConfirmationRequired || to.ElicitationPrompt != "Elicit.Slot.toCity" || to.ConfirmationPrompt != "Confirm.Slot.toCity" {
		t.Errorf("toCity = %+v", to)
	}
	pax := d.Slot("passengers")
	if pax == nil || len(pax.Validations) != 1 {
		t.Fatalf("passengers = %+v, want one validation kept", pax)
	}
	var v struct{ Type, Prompt string }
	if err := json.Unmarshal(pax.Validations[0], &v); err != nil || v.Type != "isGreaterThan" || v.Prompt != "Slot.Validation.passengers" {
		t.Errorf("validation = %s (%v)", pax.Validations[0], err)
	}
	if d.Slot("nope") != nil {
		t.Error("Slot(nope) != nil")
	}
}

func TestPrompts(t *testing.T) {
	m := loadTravel(t)
	p := m.Prompt("Elicit.Slot.toCity")
	if p == nil {
		t.Fatal("no prompt Elicit.Slot.toCity")
	}
	for seed, want := range map[int]string{
		0: "Where would you like to fly to?", 1: "Which city are you flying to?", 2: "Where would you like to fly to?",
		-1: "Which city are you flying to?",
	} {
		if got := p.Pick(seed).Value; got != want {
			t.Errorf("Pick(%d) = %q, want %q", seed, got, want)
		}
	}
	if got := m.Prompt("missing").Pick(0); got != (model.Variation{}) {
		t.Errorf("missing prompt Pick = %+v, want zero", got)
	}
	confirm := m.Prompt("Confirm.Intent.BookFlight").Pick(0)
	got := confirm.Render(map[string]string{"fromCity": "london", "toCity": "paris"})
	if want := "I'll book a flight from london to paris on {travelDate}. Shall I go ahead?"; got != want {
		t.Errorf("Render = %q, want %q", got, want)
	}
	ssml := m.Prompt("Elicit.Slot.travelDate").Pick(0)
	if ssml.Type != "SSML" || ssml.Render(map[string]string{"toCity": "tokyo"}) != "<speak>When do you want to fly to tokyo?</speak>" {
		t.Errorf("SSML prompt = %+v", ssml)
	}
	if got := (model.Variation{Value: "odd {brace"}).Render(map[string]string{"brace": "x"}); got != "odd {brace" {
		t.Errorf("Render with an unclosed brace = %q", got)
	}
}

func TestResolveSlot(t *testing.T) {
	m := loadTravel(t)
	tests := []struct {
		intent, slot, utterance string
		value, status, id       string
	}{
		{"BookFlightIntent", "toCity", "to the big apple", "the big apple", model.ERSuccessMatch, "NYC"},
		{"BookFlightIntent", "toCity", "Paris", "paris", model.ERSuccessMatch, "PAR"},
		{"BookFlightIntent", "toCity", "I'm flying to London.", "london", model.ERSuccessMatch, "LON"},
		{"BookFlightIntent", "toCity", "atlantis", "atlantis", model.ERSuccessNoMatch, ""}, // a custom slot takes any words
		{"BookFlightIntent", "fromCity", "i'm leaving from frisco", "frisco", model.ERSuccessMatch, "SFO"},
		{"BookFlightIntent", "travelDate", "on june fifth", "2025-06-05", "", ""},
		{"BookFlightIntent", "travelDate", "tomorrow", "2025-06-05", "", ""},
		{"BookFlightIntent", "passengers", "three", "3", "", ""}, // no slot samples: the bare value
		{"BookFlightIntent", "travelClass", "business", "business", model.ERSuccessMatch, "BUSINESS"},
	}
	for _, tc := range tests {
		sm, err := m.ResolveSlot(tc.intent, tc.slot, tc.utterance)
		if err != nil {
			t.Errorf("ResolveSlot(%s, %q): %v", tc.slot, tc.utterance, err)
			continue
		}
		if sm.Name != tc.slot || sm.Value != tc.value {
			t.Errorf("ResolveSlot(%s, %q) = %s=%q, want %q", tc.slot, tc.utterance, sm.Name, sm.Value, tc.value)
		}
		switch {
		case tc.status == "" && sm.Resolved != nil:
			t.Errorf("ResolveSlot(%s, %q) has a resolution for a built-in type", tc.slot, tc.utterance)
		case tc.status != "" && (sm.Resolved == nil || sm.Resolved.Status != tc.status):
			t.Errorf("ResolveSlot(%s, %q) resolution = %+v, want %s", tc.slot, tc.utterance, sm.Resolved, tc.status)
		case tc.id != "" && (len(sm.Resolved.Values) != 1 || sm.Resolved.Values[0].ID != tc.id):
			t.Errorf("ResolveSlot(%s, %q) values = %+v, want id %s", tc.slot, tc.utterance, sm.Resolved.Values, tc.id)
		}
	}

	var nm *model.NoMatchError
	if _, err := m.ResolveSlot("BookFlightIntent", "travelDate", "whenever"); !errors.As(err, &nm) ||
		len(nm.Closest) == 0 || !strings.HasPrefix(nm.Closest[0], "BookFlightIntent: ") {
		t.Errorf("ResolveSlot(travelDate, whenever) = %v, want NoMatchError with slot samples", err)
	}
	if _, err := m.ResolveSlot("NoSuchIntent", "x", "y"); err == nil || !strings.Contains(err.Error(), `no intent "NoSuchIntent"`) {
		t.Errorf("unknown intent: %v", err)
	}
	if _, err := m.ResolveSlot("BookFlightIntent", "hotel", "y"); err == nil || !strings.Contains(err.Error(), `has no slot "hotel"`) {
		t.Errorf("unknown slot: %v", err)
	}
	if _, err := m.ResolveSlot("BookFlightIntent", "toCity", "..."); !errors.Is(err, model.ErrEmptyUtterance) {
		t.Errorf("empty answer: %v", err)
	}
}

func TestResolveConfirmation(t *testing.T) {
	m := loadTravel(t)
	for u, want := range map[string][2]bool{
		"yes": {true, true}, "Yeah!": {true, true}, "sure": {true, true}, "That's right.": {true, true},
		"go ahead": {true, true}, // the model's own AMAZON.YesIntent sample
		"no":       {false, true}, "nope": {false, true}, "no thanks": {false, true},
		"maybe": {false, false}, "": {false, false}, "yes no": {false, false}, "paris": {false, false},
	} {
		yes, ok := m.ResolveConfirmation(u)
		if yes != want[0] || ok != want[1] {
			t.Errorf("ResolveConfirmation(%q) = %v, %v; want %v, %v", u, yes, ok, want[0], want[1])
		}
	}
}
