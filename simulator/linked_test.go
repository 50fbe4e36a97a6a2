package simulator_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/asksim/asksim/internal/testutil"
	"github.com/asksim/asksim/simulator"
)

// scriptedAccount answers RequestToken from a script, one step per call.
type scriptedAccount struct {
	steps []struct{ token, note string }
	err   error
	calls int
}

func (a *scriptedAccount) RequestToken(ctx context.Context) (string, string, error) {
	if a.err != nil {
		return "", "", a.err
	}
	s := a.steps[min(a.calls, len(a.steps)-1)]
	a.calls++
	return s.token, s.note, nil
}

// TestLinkedAccount_AskedBeforeEachRequest: the token in the envelope is
// the account's answer for that request, in both user objects, and no
// accessToken at all once the account has none (docs/alexa-contract.md §8.6).
func TestLinkedAccount_AskedBeforeEachRequest(t *testing.T) {
	var mu sync.Mutex
	var got []map[string]any
	sim, _ := httpSim(t, func(w http.ResponseWriter, r *http.Request) {
		_, b := received(t, r)
		mu.Lock()
		got = append(got, testutil.Generic(t, b).(map[string]any))
		mu.Unlock()
		answer(`{"version":"1.0","response":{"shouldEndSession":false}}`)(w, r)
	})
	acct := &scriptedAccount{steps: []struct{ token, note string }{
		{"first", ""},
		{"second", "Alexa refreshed the expired access token"},
		{"", "Alexa's refresh was refused: it deleted the tokens"},
		{"", ""},
	}}
	conv := sim.NewConversation(simulator.ConsentEmail)
	conv.SetLinkedAccount(acct)
	if c := conv.Consent(); !c.Linked || c.AccessToken != "" {
		t.Errorf("consent after SetLinkedAccount: %+v", c)
	}
	var notes []string
	for range 4 {
		turn, err := conv.Send(context.Background(), simulator.IntentRequest("X"))
		if err != nil {
			t.Fatal(err)
		}
		notes = append(notes, turn.Linking)
	}
	for i, want := range []string{"first", "second", "", ""} {
		s, sok := testutil.At(got[i], "session", "user", "accessToken")
		c, cok := testutil.At(got[i], "context", "System", "user", "accessToken")
		if want == "" && (sok || cok) || want != "" && (s != want || c != want) {
			t.Errorf("request %d: accessToken session=%v context=%v, want %q", i+1, s, c, want)
		}
	}
	if notes[1] == "" || notes[2] == "" || notes[0] != "" || notes[3] != "" {
		t.Errorf("Turn.Linking = %q", notes)
	}
	if conv.Consent().Linked {
		t.Error("consent still linked after the account lost its tokens")
	}
	if !conv.Consent().Granted("alexa::profile:email:read") {
		t.Error("the permissions went with the token")
	}
	conv.SetLinkedAccount(nil)
	if conv.LinkedAccount() != nil || conv.Consent().Linked {
		t.Error("SetLinkedAccount(nil) kept the account")
	}
	// Without a linked account, a linked consent's token is generated again.
	conv.SetConsent(conv.Consent().Link(""))
	if conv.Consent().AccessToken == "" {
		t.Error("no generated token for a linked consent without an account")
	}
}

func TestLinkedAccount_ErrorStopsTheTurn(t *testing.T) {
	var called atomic.Bool
	sim, _ := httpSim(t, func(w http.ResponseWriter, r *http.Request) { called.Store(true) })
	conv := sim.NewConversation(simulator.ConsentNone)
	conv.SetLinkedAccount(&scriptedAccount{err: context.Canceled})
	if _, err := conv.Send(context.Background(), simulator.LaunchRequest()); !errors.Is(err, context.Canceled) {
		t.Errorf("Send = %v", err)
	}
	if called.Load() {
		t.Error("the skill was called without the linked account's token")
	}
}
