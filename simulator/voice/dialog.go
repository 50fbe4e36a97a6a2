package voice

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strings"

	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/model"
)

// Dialog directive types (Dialog interface reference).
const (
	DirectiveDelegate      = "Dialog.Delegate"
	DirectiveElicitSlot    = "Dialog.ElicitSlot"
	DirectiveConfirmSlot   = "Dialog.ConfirmSlot"
	DirectiveConfirmIntent = "Dialog.ConfirmIntent"
)

// DialogStep is the question Alexa asked and waits for the user to answer:
// one of ElicitSlot, ConfirmSlot or ConfirmIntent, for Intent. The zero
// value means no dialog is open.
type DialogStep struct {
	Intent        string
	ElicitSlot    string // the slot Alexa asked a value for
	ConfirmSlot   string // the slot Alexa asked the user to confirm
	ConfirmIntent bool   // Alexa asked the user to confirm the whole intent
	// Directive is the skill's directive behind the question:
	// Dialog.ElicitSlot, ConfirmSlot or ConfirmIntent when the skill asked
	// (and spoke) itself, Dialog.Delegate when Alexa took the dialog model's
	// step, "" when the intent is auto-delegated and the skill was not asked.
	Directive string
	// PromptID is the model prompt Alexa spoke when it asked on its own; ""
	// when the skill spoke.
	PromptID string
}

// Open reports whether Alexa is waiting for an answer.
func (d DialogStep) Open() bool { return d.ElicitSlot != "" || d.ConfirmSlot != "" || d.ConfirmIntent }

func (d DialogStep) String() string {
	switch {
	case d.ElicitSlot != "":
		return fmt.Sprintf("eliciting slot %q of %s", d.ElicitSlot, d.Intent)
	case d.ConfirmSlot != "":
		return fmt.Sprintf("confirming slot %q of %s", d.ConfirmSlot, d.Intent)
	case d.ConfirmIntent:
		return "confirming intent " + d.Intent
	}
	return "no dialog open"
}

// pendingDialog is an open step with the intent as Alexa holds it.
type pendingDialog struct {
	step   DialogStep
	intent simulator.Intent
	// auto: Alexa runs the dialog itself (auto delegation), so an answer
	// leads to Alexa's next step rather than to an IN_PROGRESS request.
	auto bool
	// session is the session the question was asked in; a step does not
	// outlive it.
	session string
}

// open returns the pending step if it still belongs to the open session.
func (v *Voice) open() *pendingDialog {
	if v.pending != nil && v.pending.session != v.conv.SessionID() {
		v.pending = nil
	}
	return v.pending
}

// delegate takes Alexa's next dialog-model step for intent, or sends the
// intent back COMPLETED when none is left.
func (v *Voice) delegate(ctx context.Context, ex *Exchange, intent simulator.Intent, auto bool) error {
	directive := DirectiveDelegate
	if auto {
		directive = ""
	}
	if step, ok := v.nextStep(&intent, directive); ok {
		v.ask(ex, step, intent, auto)
		return nil
	}
	return v.sendIntent(ctx, ex, intent, simulator.DialogCompleted)
}

// ask opens step and, for a step Alexa takes from the model, speaks its
// prompt with the slot values filled in.
func (v *Voice) ask(ex *Exchange, step DialogStep, intent simulator.Intent, auto bool) {
	v.pending = &pendingDialog{step: step, intent: intent, auto: auto, session: v.conv.SessionID()}
	ex.Dialog = step
	if step.PromptID == "" {
		return
	}
	values := map[string]string{}
	for name, s := range intent.Slots {
		if s.Value != "" {
			values[name] = s.Value
		}
	}
	pv := v.m.Prompt(step.PromptID).Pick(v.seed)
	text := pv.Render(values)
	if pv.Type == "SSML" {
		text = simulator.SSMLText(text)
	}
	ex.speak(text, text)
}

// nextStep is the dialog model's next question for intent, in the order
// Alexa asks: for each slot in dialog-model order, a value when elicitation
// is required and the slot is empty, then a confirmation when it is
// required and not given; last, the intent's confirmation. A slot the user
// denied loses its value and is asked again. An intent the user denied has
// no next step. Validations are not evaluated.
func (v *Voice) nextStep(intent *simulator.Intent, directive string) (DialogStep, bool) {
	d := v.m.Dialog(intent.Name)
	if d == nil || intent.ConfirmationStatus == simulator.ConfirmationDenied {
		return DialogStep{}, false
	}
	step := DialogStep{Intent: intent.Name, Directive: directive}
	for _, ds := range d.Slots {
		s := intent.Slots[ds.Name]
		if s.ConfirmationStatus == simulator.ConfirmationDenied {
			s = simulator.Slot{Name: ds.Name, ConfirmationStatus: simulator.ConfirmationNone}
			intent.Slots[ds.Name] = s
		}
		switch {
		case ds.ElicitationRequired && s.Value == "":
			step.ElicitSlot, step.PromptID = ds.Name, ds.ElicitationPrompt
			return step, true
		case ds.ConfirmationRequired && s.Value != "" && s.ConfirmationStatus != simulator.ConfirmationConfirmed:
			step.ConfirmSlot, step.PromptID = ds.Name, ds.ConfirmationPrompt
			return step, true
		}
	}
	if d.ConfirmationRequired && intent.ConfirmationStatus != simulator.ConfirmationConfirmed {
		step.ConfirmIntent, step.PromptID = true, d.ConfirmationPrompt
		return step, true
	}
	return DialogStep{}, false
}

// follow records a skill turn and does what its Dialog directive asks of
// Alexa, sending the automatic COMPLETED turns a Dialog.Delegate calls for.
// sent is the intent of the request answered (nil for a LaunchRequest).
func (v *Voice) follow(ctx context.Context, ex *Exchange, turn *simulator.Turn, err error, sent *simulator.Intent) error {
	for auto := 0; ; auto++ {
		ex.record(turn)
		if err != nil || turn.Response == nil || v.conv.SessionID() == "" {
			v.pending = nil
			return err
		}
		d, found, derr := v.dialogDirective(turn.Response, sent)
		if derr != nil || !found {
			v.pending = nil
			return derr
		}
		switch d.Type {
		case DirectiveDelegate:
			if step, ok := v.nextStep(&d.intent, DirectiveDelegate); ok {
				v.ask(ex, step, d.intent, false)
				return nil
			}
			if auto >= v.maxAuto {
				v.pending = nil
				return v.loopError(d.intent.Name)
			}
			sent = &d.intent
			turn, err = v.conv.Send(ctx, v.intentRequest(d.intent, simulator.DialogCompleted))
			continue
		case DirectiveElicitSlot:
			v.ask(ex, DialogStep{Intent: d.intent.Name, ElicitSlot: d.SlotToElicit, Directive: d.Type}, d.intent, false)
		case DirectiveConfirmSlot:
			v.ask(ex, DialogStep{Intent: d.intent.Name, ConfirmSlot: d.SlotToConfirm, Directive: d.Type}, d.intent, false)
		case DirectiveConfirmIntent:
			v.ask(ex, DialogStep{Intent: d.intent.Name, ConfirmIntent: true, Directive: d.Type}, d.intent, false)
		}
		return nil
	}
}

// dialogDirective is a Dialog directive as Alexa reads it.
type dialogDirective struct {
	Type          string            `json:"type"`
	SlotToElicit  string            `json:"slotToElicit"`
	SlotToConfirm string            `json:"slotToConfirm"`
	UpdatedIntent *simulator.Intent `json:"updatedIntent"`
	// intent is updatedIntent, else the intent sent, with every slot of the
	// model's intent present.
	intent simulator.Intent
}

// dialogDirective finds the first Delegate, ElicitSlot, ConfirmSlot or
// ConfirmIntent directive of r and checks it against the model. found is
// false when r has none.
func (v *Voice) dialogDirective(r *simulator.ResponseEnvelope, sent *simulator.Intent) (d dialogDirective, found bool, err error) {
	for i, raw := range r.Response.Directives {
		switch raw.Type {
		case DirectiveDelegate, DirectiveElicitSlot, DirectiveConfirmSlot, DirectiveConfirmIntent:
		default:
			continue
		}
		path := fmt.Sprintf("response.directives.%d", i)
		if err := json.Unmarshal(raw.Raw, &d); err != nil {
			return d, true, fmt.Errorf("%s (%s): %v", path, raw.Type, err)
		}
		switch {
		case d.UpdatedIntent != nil:
			d.intent = cloneIntent(*d.UpdatedIntent)
			path += ".updatedIntent"
		case sent != nil:
			d.intent = cloneIntent(*sent)
		default:
			return d, true, fmt.Errorf("%s: %s without updatedIntent in answer to a request with no intent; Alexa cannot tell which intent the dialog is about", path, raw.Type)
		}
		if err := v.complete(&d.intent, path); err != nil {
			return d, true, fmt.Errorf("%s: %w", raw.Type, err)
		}
		check := func(field, slot string) error {
			if slot == "" {
				return fmt.Errorf("response.directives.%d.%s: %s needs the name of a slot of %s", i, field, raw.Type, d.intent.Name)
			}
			if v.m.Intent(d.intent.Name).Slot(slot) == nil {
				return fmt.Errorf("response.directives.%d.%s: %q is not a slot of %s (it has %s)", i, field, slot, d.intent.Name, slotList(v.m.Intent(d.intent.Name)))
			}
			return nil
		}
		switch raw.Type {
		case DirectiveElicitSlot:
			err = check("slotToElicit", d.SlotToElicit)
		case DirectiveConfirmSlot:
			err = check("slotToConfirm", d.SlotToConfirm)
		}
		return d, true, err
	}
	return d, false, nil
}

// complete checks an intent a skill sent back against the model and adds
// what Alexa always sends: every slot of the intent, confirmationStatus NONE
// where missing.
func (v *Voice) complete(in *simulator.Intent, path string) error {
	mi := v.m.Intent(in.Name)
	if mi == nil {
		return fmt.Errorf("%s.name: %q is not an intent of the interaction model", path, in.Name)
	}
	if in.ConfirmationStatus == "" {
		in.ConfirmationStatus = simulator.ConfirmationNone
	}
	if in.Slots == nil {
		in.Slots = map[string]simulator.Slot{}
	}
	for name, s := range in.Slots {
		if mi.Slot(name) == nil {
			return fmt.Errorf("%s.slots.%s: intent %s has no slot %q (it has %s)", path, name, in.Name, name, slotList(mi))
		}
		s.Name = name
		if s.ConfirmationStatus == "" {
			s.ConfirmationStatus = simulator.ConfirmationNone
		}
		in.Slots[name] = s
	}
	for _, ms := range mi.Slots {
		if _, ok := in.Slots[ms.Name]; !ok {
			in.Slots[ms.Name] = simulator.Slot{Name: ms.Name, ConfirmationStatus: simulator.ConfirmationNone}
		}
	}
	return nil
}

func slotList(in *model.Intent) string {
	if len(in.Slots) == 0 {
		return "no slots"
	}
	names := make([]string, len(in.Slots))
	for i, s := range in.Slots {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
}

// cloneIntent copies the intent and its slot map, so that a request already
// sent does not change when Alexa fills the next slot.
func cloneIntent(in simulator.Intent) simulator.Intent {
	in.Slots = maps.Clone(in.Slots)
	if in.Slots == nil {
		in.Slots = map[string]simulator.Slot{}
	}
	return in
}
