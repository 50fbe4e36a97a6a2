package voice

import (
	"context"
	"errors"
	"fmt"

	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/model"
)

// DefaultMaxAutoTurns bounds the requests Alexa sends the skill on its own
// within one Say: the IntentRequests with dialogState COMPLETED that follow a
// Dialog.Delegate with nothing left to ask. A skill that delegates again
// each time would otherwise loop for ever.
const DefaultMaxAutoTurns = 10

// ErrDialogLoop is returned (wrapped, with the intent and directive named)
// when a Say would send the skill more than its limit of automatic turns.
var ErrDialogLoop = errors.New("dialog loop")

// NotForSkillError is an utterance said after the skill's session ended
// without the skill's invocation phrase: a device hands it to Alexa, so it
// never reaches the skill (docs/alexa-contract.md §6.2).
type NotForSkillError struct {
	Utterance      string
	InvocationName string
}

func (e *NotForSkillError) Error() string {
	return fmt.Sprintf("%q was said after the session ended, without the invocation phrase: Alexa, not the skill, would hear it. "+
		"Start with the invocation name, e.g. \"ask %s %s\" or \"open %s\"", e.Utterance, e.InvocationName, e.Utterance, e.InvocationName)
}

// Voice plays Alexa between what the user says and the skill: it resolves
// each utterance against the skill's interaction model, sends the request
// that Alexa would send over one Conversation, and runs Alexa's side of the
// dialog (Dialog.Delegate, ElicitSlot, ConfirmSlot, ConfirmIntent and auto
// delegation) from the model's dialog model and prompts.
//
// A Voice belongs to one Conversation and, like it, must not be used from two
// goroutines at once. It never changes the Model, which may be shared; set
// Model.Clock (AMAZON.DATE's "today") before sharing it. Entity-resolution
// authorities carry the simulator's skill id, as the envelope's
// applicationId does, whatever Model.SkillID says.
type Voice struct {
	conv    *simulator.Conversation
	m       *model.Model
	maxAuto int
	seed    int
	pending *pendingDialog
}

// Option configures a Voice.
type Option func(*Voice)

// WithMaxAutoTurns sets how many automatic COMPLETED turns one Say may send
// before it fails with ErrDialogLoop. Defaults to DefaultMaxAutoTurns; n < 1
// keeps the default.
func WithMaxAutoTurns(n int) Option {
	return func(v *Voice) {
		if n >= 1 {
			v.maxAuto = n
		}
	}
}

// WithPromptSeed chooses which variation of a model prompt Alexa speaks (see
// model.Prompt.Pick). Defaults to 0, the first variation, so transcripts are
// stable.
func WithPromptSeed(seed int) Option { return func(v *Voice) { v.seed = seed } }

// New returns a Voice that speaks to conv's skill with interaction model
// m.
func New(conv *simulator.Conversation, m *model.Model, opts ...Option) *Voice {
	v := &Voice{conv: conv, m: m, maxAuto: DefaultMaxAutoTurns}
	for _, o := range opts {
		o(v)
	}
	return v
}

// Conversation returns the conversation the Voice speaks in.
func (v *Voice) Conversation() *simulator.Conversation { return v.conv }

// Model returns the interaction model the Voice resolves with.
func (v *Voice) Model() *model.Model { return v.m }

// Heard says how Alexa took an utterance.
type Heard string

const (
	// HeardLaunch: "open <invocation name>", a LaunchRequest.
	HeardLaunch Heard = "launch"
	// HeardIntent: an utterance resolved to an intent of the model.
	HeardIntent Heard = "intent"
	// HeardSlotValue: an answer to a slot elicitation.
	HeardSlotValue Heard = "slot value"
	// HeardConfirmation: a yes or no to a slot or intent confirmation.
	HeardConfirmation Heard = "confirmation"
)

// Exchange is what one utterance led to.
type Exchange struct {
	Utterance string
	Heard     Heard
	// Resolution is how the model read the utterance, for HeardLaunch and
	// HeardIntent (with Resolution.Why); nil otherwise.
	Resolution *model.Resolution
	// Answer is the slot value read from an answer to an elicitation
	// (HeardSlotValue); Confirmation is CONFIRMED or DENIED for
	// HeardConfirmation.
	Answer       *model.SlotMatch
	Confirmation string
	// Turns are the requests sent to the skill, in order, with its answers:
	// usually one; more when Alexa sent the intent back with dialogState
	// COMPLETED after a Dialog.Delegate; none when Alexa handled the
	// utterance itself (an auto-delegated dialog still asking).
	Turns []*simulator.Turn
	// Speech is what Alexa said to the user at the end, as text: the last
	// answer's speech, or the model prompt Alexa spoke for a Dialog.Delegate
	// or auto delegation. Reprompt likewise.
	Speech   string
	Reprompt string
	// Dialog is what Alexa waits for next; its zero value when no dialog is
	// open.
	Dialog DialogStep
}

// Last returns the last skill turn, nil when none was sent.
func (e *Exchange) Last() *simulator.Turn {
	if e == nil || len(e.Turns) == 0 {
		return nil
	}
	return e.Turns[len(e.Turns)-1]
}

// Dialog returns the dialog step Alexa waits for (the zero DialogStep when
// none is open). A step belongs to a session: once the session ends, it is
// gone.
func (v *Voice) Dialog() DialogStep {
	if p := v.open(); p != nil {
		return p.step
	}
	return DialogStep{}
}

// Say speaks utterance to the skill as Alexa would hear it, and returns the
// exchange it led to. In order:
//
//   - "open|start|launch <invocation name>" sends a LaunchRequest (new session).
//   - "ask|tell <invocation name> to <words>" ends the open session and sends
//     the intent <words> resolve to in a new one.
//   - While a dialog step is open (Dialog): an answer to a confirmation ("yes",
//     "no", the model's own Yes/No samples) sets confirmationStatus CONFIRMED
//     or DENIED on the slot or intent; an answer to an elicitation fills the
//     slot from the slot's own samples, with entity resolution. An utterance
//     that answers neither, or that fills the slot only with words its type
//     does not know while it is another intent's sample ("stop", "help", "what's
//     the weather"), leaves the dialog: it is taken as a fresh utterance, as
//     Alexa does. An utterance that matches the
//     dialog's own intent fills every slot it carries.
//     Then the intent goes back to the skill with dialogState IN_PROGRESS
//     (the directive's updatedIntent, else the intent sent last, plus the
//     answer) or, in an auto-delegated dialog, Alexa takes its next step.
//   - Otherwise the utterance resolves against the model (see model.Resolve)
//     and is sent as an IntentRequest in the open session, or a new one. Every
//     slot of the intent is present, filled or not; custom slot types carry
//     entity resolution in resolutions and slotValue.resolutions. Intents with
//     an entry in the dialog model carry dialogState STARTED; others none.
//
// After each answer Alexa follows its Dialog directive: ElicitSlot,
// ConfirmSlot and ConfirmIntent open a step that the next Say answers;
// Dialog.Delegate makes Alexa take the dialog model's next step (see
// DialogStep) and speak its prompt, or, with nothing left to elicit or
// confirm, send the intent straight back with dialogState COMPLETED, within
// the same Say. An intent whose delegationStrategy is ALWAYS (auto
// delegation) is never sent with STARTED or IN_PROGRESS: Alexa elicits and
// confirms on its own and sends it once, COMPLETED. A model with
// delegationStrategy unset is treated as SKILL_RESPONSE.
//
// Once a session has ended (Conversation.SessionEnded), an utterance that
// does not name the skill ("open <invocation name>", "ask <invocation name>
// to …") fails with a *NotForSkillError and nothing is sent: a device
// hands it to Alexa, not to the skill. At the start of a conversation, with
// no session yet, it is sent in a new session, as if the user had named
// the skill.
//
// Errors: a *model.NoMatchError when nothing matches and the model has no
// AMAZON.FallbackIntent (nothing is sent and an open dialog step stays
// open); the errors of Conversation.Send, with the Exchange holding the
// turns so far; ErrDialogLoop past the automatic-turn limit; an error naming
// the directive when a Dialog directive cannot be followed.
func (v *Voice) Say(ctx context.Context, utterance string) (*Exchange, error) {
	ex := &Exchange{Utterance: utterance}
	res, resErr := v.m.Resolve(utterance)
	if p := v.open(); p != nil {
		if intent, ok := v.answer(ex, p, res); ok {
			v.pending = nil
			if p.auto {
				return ex, v.delegate(ctx, ex, intent, true)
			}
			return ex, v.sendIntent(ctx, ex, intent, simulator.DialogInProgress)
		}
	}
	if resErr != nil {
		return ex, resErr
	}
	if res.Kind == model.KindIntent && !res.NewSession && v.conv.SessionEnded() {
		ex.Resolution = res
		return ex, &NotForSkillError{Utterance: utterance, InvocationName: v.m.InvocationName}
	}
	v.pending = nil
	ex.Resolution = res
	if res.Kind == model.KindLaunch {
		ex.Heard = HeardLaunch
		turn, err := v.conv.Send(ctx, simulator.LaunchRequest())
		return ex, v.follow(ctx, ex, turn, err, nil)
	}
	ex.Heard = HeardIntent
	if res.NewSession {
		v.conv.EndSession()
	}
	intent := v.intentFrom(res)
	if d := v.m.Dialog(res.Intent); d != nil && d.Delegation == "ALWAYS" {
		return ex, v.delegate(ctx, ex, intent, true)
	}
	return ex, v.sendIntent(ctx, ex, intent, simulator.DialogStarted)
}

// intentFrom builds the request's intent from a resolution: every slot of
// the intent, filled or not.
func (v *Voice) intentFrom(res *model.Resolution) simulator.Intent {
	in := simulator.Intent{Name: res.Intent, ConfirmationStatus: simulator.ConfirmationNone, Slots: map[string]simulator.Slot{}}
	for _, sm := range res.Slots {
		in.Slots[sm.Name] = v.slotFrom(sm)
	}
	return in
}

// slotFrom builds a request slot as Alexa fills it from speech.
func (v *Voice) slotFrom(sm model.SlotMatch) simulator.Slot {
	if !sm.Filled() {
		return simulator.Slot{Name: sm.Name, ConfirmationStatus: simulator.ConfirmationNone}
	}
	s := simulator.SpokenSlot(sm.Name, sm.Value)
	if sm.Resolved != nil {
		var vals []simulator.ResolvedValue
		if sm.Resolved.Status == model.ERSuccessMatch {
			for _, rv := range sm.Resolved.Values {
				vals = append(vals, simulator.ResolvedValue{Name: rv.Name, ID: rv.ID})
			}
		}
		s = s.Resolved(simulator.CustomAuthority(v.conv.Simulator().SkillID(), sm.Type), vals...)
	}
	return s
}

// answer reads the utterance as an answer to the open step p. ok is false
// when it is not one, and the utterance is then taken afresh.
func (v *Voice) answer(ex *Exchange, p *pendingDialog, res *model.Resolution) (simulator.Intent, bool) {
	if res != nil && (res.Kind == model.KindLaunch || res.NewSession) {
		return simulator.Intent{}, false
	}
	intent := cloneIntent(p.intent)
	switch {
	case p.step.ConfirmSlot != "" || p.step.ConfirmIntent:
		yes, ok := v.m.ResolveConfirmation(ex.Utterance)
		if !ok {
			return simulator.Intent{}, false
		}
		status := simulator.ConfirmationDenied
		if yes {
			status = simulator.ConfirmationConfirmed
		}
		if p.step.ConfirmIntent {
			intent.ConfirmationStatus = status
		} else {
			s := intent.Slots[p.step.ConfirmSlot]
			s.ConfirmationStatus = status
			intent.Slots[p.step.ConfirmSlot] = s
		}
		ex.Heard, ex.Confirmation = HeardConfirmation, status
		return intent, true
	case p.step.ElicitSlot != "":
		slot := p.step.ElicitSlot
		if res != nil && res.Intent == intent.Name && res.Slot(slot) != nil && res.Slot(slot).Filled() {
			// The user answered with a whole utterance of the intent: keep
			// every slot it fills.
			for _, sm := range res.Slots {
				if sm.Filled() {
					intent.Slots[sm.Name] = v.slotFrom(sm)
				}
			}
			sm := *res.Slot(slot)
			ex.Heard, ex.Answer = HeardSlotValue, &sm
			return intent, true
		}
		sm, err := v.m.ResolveSlot(intent.Name, slot, ex.Utterance)
		if err != nil {
			return simulator.Intent{}, false
		}
		if !sm.Recognized && res != nil && res.Kind == model.KindIntent && res.Intent != intent.Name &&
			res.Intent != model.FallbackIntent && res.Score.Literal > 0 {
			return simulator.Intent{}, false // another intent's sample, not a value of the slot
		}
		intent.Slots[slot] = v.slotFrom(*sm)
		ex.Heard, ex.Answer = HeardSlotValue, sm
		return intent, true
	}
	return simulator.Intent{}, false
}

// Send sends req as built, not resolved from words (an IntentRequest a test
// wrote, say), and then plays Alexa's part as after Say: a Dialog.Delegate
// answer makes Alexa speak the dialog model's prompt or send the intent back
// COMPLETED, and an ElicitSlot, ConfirmSlot or ConfirmIntent opens the step
// the next Say answers.
func (v *Voice) Send(ctx context.Context, req simulator.Request) (*Exchange, error) {
	ex := &Exchange{Heard: HeardIntent}
	v.pending = nil
	var sent *simulator.Intent
	if req.Intent != nil {
		in := cloneIntent(*req.Intent)
		sent = &in
	}
	turn, err := v.conv.Send(ctx, req)
	return ex, v.follow(ctx, ex, turn, err, sent)
}

// sendIntent sends intent with dialogState state (dropped for intents with
// no dialog model) and follows the skill's answer.
func (v *Voice) sendIntent(ctx context.Context, ex *Exchange, intent simulator.Intent, state string) error {
	turn, err := v.conv.Send(ctx, v.intentRequest(intent, state))
	return v.follow(ctx, ex, turn, err, &intent)
}

func (v *Voice) intentRequest(intent simulator.Intent, state string) simulator.Request {
	in := cloneIntent(intent)
	r := simulator.Request{Type: simulator.TypeIntentRequest, Intent: &in}
	if v.m.Dialog(intent.Name) != nil {
		r.DialogState = state
	}
	return r
}

// speak records what Alexa says at the end of the exchange.
func (ex *Exchange) speak(speech, reprompt string) { ex.Speech, ex.Reprompt = speech, reprompt }

func (ex *Exchange) record(turn *simulator.Turn) {
	if turn == nil {
		return
	}
	ex.Turns = append(ex.Turns, turn)
	ex.speak(turn.Response.Speech(), turn.Response.RepromptSpeech())
}

// loopError names the loop that hit the automatic-turn limit.
func (v *Voice) loopError(intent string) error {
	return fmt.Errorf("%w: the skill answered %d automatic COMPLETED requests for %s with Dialog.Delegate and nothing left to elicit or confirm; Alexa would send it back again for ever (limit WithMaxAutoTurns(%d))",
		ErrDialogLoop, v.maxAuto, intent, v.maxAuto)
}
