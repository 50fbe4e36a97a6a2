package model

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// DialogIntent is an intent's entry in the dialog model: what Alexa elicits
// and confirms when the skill delegates the dialog.
type DialogIntent struct {
	Name string
	// Delegation is the intent's delegationStrategy, or the model's when the
	// intent has none ("ALWAYS", "SKILL_RESPONSE" or "").
	Delegation           string
	ConfirmationRequired bool
	ConfirmationPrompt   string // prompt id; "" when none
	Slots                []DialogSlot
}

// DialogSlot is a slot's entry in the dialog model.
type DialogSlot struct {
	Name                 string
	Type                 string
	ElicitationRequired  bool
	ConfirmationRequired bool
	ElicitationPrompt    string // prompt id; "" when none
	ConfirmationPrompt   string // prompt id; "" when none
	// Validations are kept as written; this package does not evaluate them.
	Validations []json.RawMessage
}

// Prompt is an entry of the model's prompts.
type Prompt struct {
	ID         string
	Variations []Variation
}

// Variation is one wording of a prompt.
type Variation struct {
	Type  string // "PlainText" or "SSML"
	Value string
}

// HasDialog reports whether the model has a dialog model, in which case
// Alexa sends dialogState on every IntentRequest.
func (m *Model) HasDialog() bool { return len(m.dialogs) > 0 }

// Dialog returns the dialog model of an intent, or nil when it has none.
func (m *Model) Dialog(intent string) *DialogIntent { return m.dialogByName[intent] }

// Required returns the slots that must be elicited, in dialog-model order,
// which is the order Alexa asks for them.
func (d *DialogIntent) Required() []DialogSlot {
	var out []DialogSlot
	for _, s := range d.Slots {
		if s.ElicitationRequired {
			out = append(out, s)
		}
	}
	return out
}

// Slot returns the dialog entry of a slot, or nil.
func (d *DialogIntent) Slot(name string) *DialogSlot {
	for i := range d.Slots {
		if d.Slots[i].Name == name {
			return &d.Slots[i]
		}
	}
	return nil
}

// Prompt returns the prompt with the given id, or nil.
func (m *Model) Prompt(id string) *Prompt { return m.promptByID[id] }

// Pick chooses a variation deterministically: seed 0 gives the first, any
// other seed the variation at seed modulo the count. A nil prompt gives the
// zero Variation.
func (p *Prompt) Pick(seed int) Variation {
	if p == nil || len(p.Variations) == 0 {
		return Variation{}
	}
	n := len(p.Variations)
	return p.Variations[((seed%n)+n)%n]
}

// Render replaces {slot} references in the variation with slot values, as
// Alexa does when it speaks a prompt. References without a value are left
// as written.
func (v Variation) Render(values map[string]string) string {
	var b strings.Builder
	rest := v.Value
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			break
		}
		name := rest[open+1 : open+end]
		b.WriteString(rest[:open])
		if val, ok := values[name]; ok {
			b.WriteString(val)
		} else {
			b.WriteString(rest[open : open+end+1])
		}
		rest = rest[open+end+1:]
	}
	b.WriteString(rest)
	return b.String()
}

// ResolveSlot reads an answer to a slot elicitation ("to paris", "paris")
// using the slot's own samples from the model and, last, the bare value.
// Unlike Resolve it accepts a sample made only of the slot with words the
// type does not know (a custom slot takes them as spoken), because Alexa
// expects a value here. Callers that let the user leave the dialog ("stop",
// "cancel") should try Resolve first for those intents.
func (m *Model) ResolveSlot(intent, slot, utterance string) (*SlotMatch, error) {
	in := m.intentByName[intent]
	if in == nil {
		return nil, fmt.Errorf("model: no intent %q", intent)
	}
	sl := in.Slot(slot)
	if sl == nil {
		return nil, fmt.Errorf("model: intent %s has no slot %q (it has %s)", intent, slot, slotNames(in))
	}
	toks := Words(utterance)
	if len(toks) == 0 {
		return nil, ErrEmptyUtterance
	}
	if len(toks) > MaxWords {
		return nil, fmt.Errorf("model: utterance has %d words, more than %d", len(toks), MaxWords)
	}
	candidates := append(slices.Clip(in.slotSamples[slot]), &sample{intent: in, text: "{" + slot + "}", parts: []part{{slot: sl}}, nSlots: 1})
	mt := m.newMatcher(toks)
	var best *match
	for _, s := range candidates {
		c, ok := mt.match(s)
		if ok && (best == nil || c.beats(best)) {
			best = c
		}
	}
	if best == nil {
		return nil, &NoMatchError{Utterance: utterance, Closest: m.closest(toks, candidates, 3)}
	}
	for _, sp := range best.spans {
		if sp.slot == sl {
			sm, _ := mt.slotMatch(sl, sp)
			return &sm, nil
		}
	}
	// Every candidate contains the slot (checked at load), so a match has a span for it.
	return nil, fmt.Errorf("model: internal error: sample %q matched without {%s}", best.s.text, slot)
}

// ResolveConfirmation reads an answer to a confirmation question. ok is
// false when the utterance is neither a yes nor a no. The phrases are those
// of AMAZON.YesIntent and AMAZON.NoIntent plus the model's own samples for
// them.
func (m *Model) ResolveConfirmation(utterance string) (yes, ok bool) {
	said := normalize(utterance)
	in := func(intent string, builtin []string) bool {
		for _, p := range builtin {
			if said == p {
				return true
			}
		}
		if it := m.intentByName[intent]; it != nil && len(it.Slots) == 0 {
			for _, s := range it.Samples {
				if normalize(s) == said {
					return true
				}
			}
		}
		return false
	}
	switch {
	case said == "":
		return false, false
	case in("AMAZON.YesIntent", yesPhrases):
		return true, true
	case in("AMAZON.NoIntent", noPhrases):
		return false, true
	}
	return false, false
}
