package features

import (
	"strings"
	"time"

	"github.com/asksim/asksim/fakes/alexaapi"
	"github.com/asksim/asksim/fakes/oauth"
	"github.com/asksim/asksim/features/report"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/model"
	"github.com/asksim/asksim/simulator/voice"
)

// A scenario's conversation, as the reports show it, is built from what the
// world already holds: its turn records, and the fakes' logs of the calls
// the skill made. The logs are bounded rings, so what a report needs of
// them is copied when the scenario ends; the rest waits until a report
// asks.

// convSnapshot is what a conversation needs that changes after the
// scenario: the session's state and the fakes' logs.
type convSnapshot struct {
	consent, user, locale, device string
	open                          bool
	api                           []alexaapi.Request
	oauth                         []oauth.Request
}

// snapshot takes what the conversation needs now; calls copies the fakes'
// logs of the user's calls too.
func (w *world) snapshot(calls bool) convSnapshot {
	c := w.conversation()
	snap := convSnapshot{consent: w.consent().String(), user: tail(c.Identity().UserID, 8), locale: c.Locale(),
		device: c.Device().Name, open: c.SessionID() != ""}
	if !calls || len(w.turns) == 0 {
		return snap
	}
	snap.api = w.suite.api.RequestsFor(c.Identity().UserID)
	if tokens := w.accessTokens(); len(tokens) > 0 {
		for _, r := range w.suite.oauth.Requests() {
			if usesToken(r, tokens) {
				snap.oauth = append(snap.oauth, r)
			}
		}
	}
	return snap
}

// accessTokens are the redacted forms of the linked-account tokens the
// scenario's requests carried, as the OAuth fake's log shows them.
func (w *world) accessTokens() map[string]bool {
	out := map[string]bool{}
	for _, rec := range w.turns {
		for _, t := range recTurns(rec) {
			if tok := t.Request.Context.System.User.AccessToken; tok != "" {
				out[oauth.Redact(tok)] = true
				out["Bearer "+oauth.Redact("Bearer "+tok)] = true
			}
		}
	}
	return out
}

// usesToken reports whether a logged OAuth request carried one of the
// tokens: a skill calling userinfo with the user's token.
func usesToken(r oauth.Request, tokens map[string]bool) bool {
	return tokens[r.Params["authorization"]] || tokens[r.Params["access_token"]]
}

// recTurns are the requests a turn record sent to the skill.
func recTurns(rec turnRecord) []*simulator.Turn {
	if rec.exchange != nil {
		return rec.exchange.Turns
	}
	if rec.turn != nil && rec.turn.Request != nil {
		return []*simulator.Turn{rec.turn}
	}
	return nil
}

// buildConversation turns the world's records into the report's
// conversation.
func (w *world) buildConversation(snap convSnapshot) *report.Conversation {
	c := &report.Conversation{Consent: snap.consent, User: snap.user, Locale: snap.locale, Device: snap.device,
		SessionOpen: snap.open, Turns: make([]report.Turn, len(w.turns))}
	var prevEnd time.Time
	for i, rec := range w.turns {
		t := &c.Turns[i]
		t.Said = rec.said
		for _, st := range recTurns(rec) {
			t.Requests = append(t.Requests, exchangeOf(st))
			t.Latency += st.Duration
			if st.Linking != "" {
				t.Linking = st.Linking
			}
			for _, v := range st.Violations {
				t.Violations = append(t.Violations, report.Violation(v))
			}
			for _, v := range st.Warnings {
				t.Warnings = append(t.Warnings, report.Violation(v))
			}
		}
		if rec.err != nil {
			t.Error = rec.err.Error()
		}
		last := rec.turn
		if ex := rec.exchange; ex != nil {
			heard(t, ex)
			// What Alexa said: the skill's speech, or the dialog model's
			// prompt Alexa spoke for a Delegate.
			t.Speech, t.Reprompt = ex.Speech, ex.Reprompt
			t.DialogModel = len(ex.Turns) == 0 || ex.Dialog.PromptID != ""
			if ex.Dialog.Open() {
				t.Dialog = ex.Dialog.String()
			}
			last = ex.Last()
		} else if last != nil && last.Response != nil {
			t.Speech, t.Reprompt = last.Response.Speech(), last.Response.RepromptSpeech()
		}
		if last != nil && last.Response != nil {
			r := last.Response
			if card := r.Response.Card; card != nil {
				t.Card = &report.Card{Type: card.Type, Title: card.Title, Text: firstNonEmpty(card.Content, card.Text)}
			}
			t.Directives = r.DirectiveTypes()
			if end, present := r.ShouldEndSession(); present {
				t.ShouldEndSession = &end
			}
		}
		lastTurn := i == len(w.turns)-1
		inTurn := func(at time.Time) bool {
			return at.After(prevEnd) && (!at.After(rec.end) || lastTurn) || at.Equal(prevEnd) && i == 0
		}
		for _, call := range snap.api {
			if inTurn(call.Time) {
				t.APICalls = append(t.APICalls, report.Call{Method: call.Method, Path: call.Path, Status: call.Status, Note: call.Decision, Time: call.Time})
			}
		}
		for _, call := range snap.oauth {
			if inTurn(call.Time) {
				t.OAuthCalls = append(t.OAuthCalls, report.Call{Method: call.Method, Path: call.Endpoint, Status: call.Status, Note: call.Outcome, Time: call.Time})
			}
		}
		prevEnd = rec.end
	}
	return c
}

// heard says how Alexa took an utterance.
func heard(t *report.Turn, ex *voice.Exchange) {
	switch ex.Heard {
	case voice.HeardLaunch:
		t.Heard = "LaunchRequest"
	case voice.HeardIntent:
		if ex.Resolution != nil {
			t.Heard = ex.Resolution.Intent
			for _, sl := range ex.Resolution.Slots {
				if sl.Filled() {
					t.Slots = append(t.Slots, slotOf(sl.Name, sl.Value, sl.Resolved))
				}
			}
		}
	case voice.HeardSlotValue:
		t.Heard = "an answer"
		if ex.Answer != nil {
			t.Heard = "the value of slot " + ex.Answer.Name
			t.Slots = append(t.Slots, slotOf(ex.Answer.Name, ex.Answer.Value, ex.Answer.Resolved))
		}
	case voice.HeardConfirmation:
		t.Heard = "a confirmation: " + ex.Confirmation
	}
}

func slotOf(name, value string, er *model.EntityResolution) report.Slot {
	s := report.Slot{Name: name, Value: value}
	if er != nil && len(er.Values) > 0 {
		s.Resolved = er.Values[0].Name
	}
	return s
}

func exchangeOf(t *simulator.Turn) report.Exchange {
	e := report.Exchange{Type: t.Request.Request.Type, DialogState: t.Request.Request.DialogState,
		Request: t.RequestBody, Response: t.Raw, Status: t.Status, Latency: t.Duration}
	if in := t.Request.Request.Intent; in != nil {
		e.Intent = in.Name
	}
	return e
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}
