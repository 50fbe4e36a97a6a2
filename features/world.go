package features

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/asksim/asksim/fakes/alexaapi"
	"github.com/asksim/asksim/features/report"
	"github.com/asksim/asksim/internal/jsonlimit"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/link"
	"github.com/asksim/asksim/simulator/signing"
	"github.com/asksim/asksim/simulator/voice"
	"github.com/cucumber/godog"
)

// world is one scenario's state: its conversation, what it said and what
// came back. Each scenario gets a new one, so scenarios never share state.
type world struct {
	suite *Suite
	// conv is created on first need, so that the Given steps before it set
	// the consent its first token is minted for: minting one per scenario,
	// not one per consent change, keeps RSA signatures off the run.
	conv    *simulator.Conversation
	voice   *voice.Voice
	pending simulator.Consent
	locale  string
	device  *simulator.DeviceProfile
	linked  *link.Account
	// linkedUser is who logged in to link the account.
	linkedUser string
	turns      []turnRecord
	// oauthSeq is the OAuth fake's last request when the scenario began:
	// calls to its API without a token after it are the scenario's.
	oauthSeq uint64
	// api is what the scenario asked the provider's API to answer.
	api apiScript
	// ownProfile says the scenario gave its user a profile of their own.
	ownProfile bool
	// sign is the scenario's request signing, applied when the
	// conversation starts; nil keeps the suite's.
	sign *signSetting
	// pickle and step are the scenario and the step running, so that a
	// When step followed by `the skill refuses the request` can let a
	// refusal through to it.
	pickle *godog.Scenario
	step   *godog.Step
}

type signSetting struct {
	on    bool
	fault signing.Fault
}

// turnRecord is one user turn, for the transcript in failure messages and
// the reports.
type turnRecord struct {
	said string
	turn *simulator.Turn
	err  error
	// exchange is set for what the user said: Alexa may have answered from
	// the dialog model without asking the skill, or asked it twice.
	exchange *voice.Exchange
	// end is when the turn was over, by the suite's clock: the calls the
	// skill made to the fakes before it belong to it.
	end time.Time
}

// skillTurns returns the requests sent to the skill for a user turn.
func (rec turnRecord) skillTurns() []*simulator.Turn {
	if rec.exchange != nil {
		return rec.exchange.Turns
	}
	if rec.turn != nil {
		return []*simulator.Turn{rec.turn}
	}
	return nil
}

func newWorld(s *Suite) *world { return &world{suite: s, oauthSeq: s.oauth.LastSeq()} }

// conversation returns the scenario's conversation, starting it with the
// consent, locale and device the steps so far chose.
func (w *world) conversation() *simulator.Conversation {
	if w.conv == nil {
		w.conv = w.suite.newConversation(w.pending)
		if w.locale != "" {
			_ = w.conv.SetLocale(w.locale) // checked when the step set it
		}
		if w.device != nil {
			w.conv.SetDevice(*w.device)
		}
		if w.sign != nil {
			_ = w.conv.SetRequestSigning(w.sign.on, w.sign.fault) // checked when the step set it
		}
		if w.linked != nil {
			w.conv.SetLinkedAccount(w.linked)
		}
	}
	return w.conv
}

// setSigning signs the scenario's later requests, with fault.
func (w *world) setSigning(on bool, fault signing.Fault) error {
	if w.conv != nil {
		return w.conv.SetRequestSigning(on, fault)
	}
	if _, err := signing.ParseFault(string(fault)); err != nil {
		return err
	}
	w.sign = &signSetting{on, fault}
	return nil
}

// refusalStep is the Then step that expects the skill to refuse a request.
const refusalStep = "the skill refuses the request"

// refusalNext reports whether the step after the running one is
// refusalStep.
func (w *world) refusalNext() bool {
	if w.pickle == nil || w.step == nil {
		return false
	}
	for i, st := range w.pickle.Steps {
		if st.Id == w.step.Id {
			return i+1 < len(w.pickle.Steps) && w.pickle.Steps[i+1].Text == refusalStep
		}
	}
	return false
}

// close releases what the scenario held in shared places, so that a long
// run keeps flat memory.
func (w *world) close() {
	if tok, ok := w.grantToken(); ok {
		// The next sweep forgets the grant's tokens and scripted answers.
		w.suite.oauth.RevokeGrant(tok)
	}
	if w.conv != nil {
		if w.ownProfile {
			w.suite.api.DeleteProfile(w.conv.Identity().UserID)
		}
		w.conv.Close()
	}
}

// consent is what the user has allowed so far.
func (w *world) consent() simulator.Consent {
	if w.conv == nil {
		return w.pending
	}
	return w.conv.Consent()
}

func (w *world) setConsent(c simulator.Consent) {
	if w.conv == nil {
		w.pending = c
		return
	}
	w.conv.SetConsent(c)
}

// last returns the skill's latest answer, or an error that says there is
// none. After an utterance Alexa answered alone, it is the answer before.
func (w *world) last() (*simulator.Turn, error) {
	if len(w.turns) == 0 {
		return nil, errors.New("no turn yet: a When step such as `the user opens the skill` must come first")
	}
	for i := len(w.turns) - 1; i >= 0; i-- {
		rec := w.turns[i]
		if rec.exchange != nil && rec.err == nil && len(rec.exchange.Turns) == 0 {
			continue // Alexa answered from the dialog model
		}
		if rec.turn == nil || rec.turn.Response == nil {
			return nil, fmt.Errorf("the last turn (%s) got no usable answer: %v", rec.said, rec.err)
		}
		return rec.turn, nil
	}
	return nil, errors.New("the skill has not answered yet: Alexa handled every utterance from the dialog model")
}

// lastSpeech returns what Alexa said last and its reprompt: for an
// utterance, what Alexa spoke (a dialog prompt, or the skill's speech).
func (w *world) lastSpeech() (speech, reprompt string, err error) {
	if n := len(w.turns); n > 0 && w.turns[n-1].exchange != nil && w.turns[n-1].err == nil {
		ex := w.turns[n-1].exchange
		return ex.Speech, ex.Reprompt, nil
	}
	t, err := w.last()
	if err != nil {
		return "", "", err
	}
	return t.Response.Speech(), t.Response.RepromptSpeech(), nil
}

// checkSpeech checks what Alexa said last, or its reprompt, with ok; what
// words the expectation in the failure.
func (w *world) checkSpeech(reprompt bool, what string, ok func(got string) bool) error {
	speech, rp, err := w.lastSpeech()
	if err != nil {
		return err
	}
	got, path := normalizeSpeech(speech), "response.outputSpeech"
	if reprompt {
		got, path = normalizeSpeech(rp), "response.reprompt.outputSpeech"
	}
	if !ok(got) {
		return w.expected(what, strconv.Quote(got), path)
	}
	return nil
}

// lastRequest returns the last request sent to the skill.
func (w *world) lastRequest() (*simulator.Request, error) {
	t, err := w.last()
	if err != nil {
		return nil, err
	}
	return &t.Request.Request, nil
}

// lastSlot returns a slot of the last request, which must be an
// IntentRequest that carries it, and its path for messages.
func (w *world) lastSlot(name string) (simulator.Slot, string, error) {
	r, err := w.lastRequest()
	if err != nil {
		return simulator.Slot{}, "", err
	}
	path := "request.intent.slots." + name
	if r.Intent == nil {
		return simulator.Slot{}, path, w.expected("an IntentRequest", r.Type, "request.type")
	}
	sl, ok := r.Intent.Slots[name]
	if !ok {
		return sl, path, w.expected(fmt.Sprintf("slot %q", name), "no such slot", path)
	}
	return sl, path, nil
}

// apiCalls returns the calls the Alexa API fake answered for the
// scenario's user, for scope or, with "", all of them.
func (w *world) apiCalls(scope string) []alexaapi.Request {
	calls := w.suite.api.RequestsFor(w.conversation().Identity().UserID)
	if scope == "" {
		return calls
	}
	return slices.DeleteFunc(calls, func(r alexaapi.Request) bool { return r.Scope != scope })
}

// voiceIfModel returns the scenario's Voice, nil when the skill has no
// interaction model for the locale.
func (w *world) voiceIfModel() *voice.Voice {
	if w.voice == nil {
		m, err := w.suite.model(w.conversation().Locale())
		if err != nil {
			return nil
		}
		w.voice = voice.New(w.conversation(), m)
	}
	return w.voice
}

// say speaks an utterance through the scenario's Voice.
func (w *world) say(ctx context.Context, text string) error {
	if w.voiceIfModel() == nil {
		_, err := w.suite.model(w.conversation().Locale())
		return err
	}
	ex, err := w.voice.Say(ctx, text)
	return w.record(fmt.Sprintf("says %q", text), ex, nil, err)
}

// send plays one user turn. said describes it for the transcript.
func (w *world) send(ctx context.Context, said string, req simulator.Request) error {
	if req.Type == simulator.TypeIntentRequest {
		if v := w.voiceIfModel(); v != nil {
			// Alexa follows the skill's Dialog directives: a Delegate
			// answer is spoken from the dialog model.
			ex, err := v.Send(ctx, req)
			return w.record(said, ex, nil, err)
		}
	}
	turn, err := w.conversation().Send(ctx, req)
	return w.record(said, nil, turn, err)
}

// record keeps a user turn for the transcript: the skill's turn, or what an
// utterance led to. A failed turn fails the step, with the conversation so
// far.
func (w *world) record(said string, ex *voice.Exchange, turn *simulator.Turn, err error) error {
	if ex != nil {
		turn = ex.Last()
	}
	w.turns = append(w.turns, turnRecord{said: said, exchange: ex, turn: turn, err: err, end: w.suite.cfg.Now()})
	if err == nil {
		return nil
	}
	if _, ok := simulator.Refusal(err); ok && w.refusalNext() {
		return nil // the next step judges it
	}
	f := &stepFailure{Failure: report.Failure{Message: err.Error()}}
	var ce *simulator.ContractError
	if errors.As(err, &ce) && len(ce.Violations) > 0 {
		var rules []string
		for _, v := range ce.Violations {
			if !slices.Contains(rules, v.Rule) {
				rules = append(rules, v.Rule)
			}
		}
		f.Rule, f.Path = strings.Join(rules, ", "), ce.Violations[0].Path
	}
	f.Transcript = w.transcript()
	return f
}

// stepFailure is a failed step's error: what failed, in the parts a report
// lays out, and the conversation so far, which its message ends with.
type stepFailure struct{ report.Failure }

func (e *stepFailure) Error() string {
	if e.Transcript == "" {
		return e.Message
	}
	return e.Message + "\n\n" + e.Transcript
}

// fail returns a failure that carries the conversation so far.
func (w *world) fail(format string, a ...any) error {
	return &stepFailure{report.Failure{Message: fmt.Sprintf(format, a...), Transcript: w.transcript()}}
}

// expected returns a failure that shows what was expected and what came,
// with the path into the response when there is one.
func (w *world) expected(what, got, path string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "expected %s\ngot:     %s", what, got)
	if path != "" {
		fmt.Fprintf(&b, "\npath:    %s", path)
	}
	return &stepFailure{report.Failure{Message: b.String(), Expected: what, Got: got, Path: path, Transcript: w.transcript()}}
}

// transcript renders the conversation so far: each user turn and what Alexa
// said, with the session state after it.
func (w *world) transcript() string {
	return w.buildConversation(w.snapshot(true)).Text()
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

func firstLine(err error) string {
	if err == nil {
		return "none"
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// jsonValue parses a value written in a step: JSON when it parses (2,
// true, "x", {"a":1}), otherwise the text as a string. JSON nested deeper
// than jsonlimit.DefaultMaxDepth is an error: no value a step compares or
// sets nests that deep, and as text it would fail to match for no reason
// the user could see.
func jsonValue(text string) (any, error) {
	data := []byte(strings.TrimSpace(text))
	var de *jsonlimit.DepthError
	if errors.As(jsonlimit.CheckDepth(data, jsonlimit.DefaultMaxDepth), &de) {
		return nil, fmt.Errorf("the value nests JSON arrays and objects deeper than %d levels", de.Max)
	}
	var v any
	if err := json.Unmarshal(data, &v); err == nil {
		return v, nil
	}
	return text, nil
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func equalJSONValues(a, b any) bool { return jsonText(a) == jsonText(b) }

// normalizeSpeech collapses whitespace, for comparisons of what Alexa says.
func normalizeSpeech(s string) string { return strings.Join(strings.Fields(s), " ") }
