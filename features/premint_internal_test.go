package features

import (
	"strings"
	"testing"

	messages "github.com/cucumber/messages/go/v21"

	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/alexa"
)

func pickle(steps ...string) *messages.Pickle {
	p := &messages.Pickle{}
	for _, s := range steps {
		typ := messages.PickleStepType_CONTEXT
		if strings.HasPrefix(s, "When ") {
			typ, s = messages.PickleStepType_ACTION, strings.TrimPrefix(s, "When ")
		}
		p.Steps = append(p.Steps, &messages.PickleStep{Text: s, Type: typ})
	}
	return p
}

func TestPlannedScopes(t *testing.T) {
	cases := []struct {
		steps []string
		want  []string
		ok    bool
	}{
		{nil, nil, true},
		{[]string{`the consent scenario "email+linked"`, "When the user opens the skill"}, []string{alexa.ScopeEmail}, true},
		{[]string{`the consent scenario "name"`, `the user has granted the "email" permission`}, []string{alexa.ScopeEmail, alexa.ScopeName}, true},
		{[]string{`the consent scenario "name"`, "the user has granted no permissions"}, nil, true},
		{[]string{`the user has granted the "email" permission`, `the user has revoked the "email" permission`}, nil, true},
		// Only the steps before the first When count.
		{[]string{"When the user opens the skill", `the user has granted the "email" permission`}, nil, true},
		{[]string{`the consent scenario "all"`}, nil, false},
		{[]string{`the user has granted the "shoe size" permission`}, nil, false},
	}
	for _, c := range cases {
		got, ok := plannedScopes(pickle(c.steps...))
		if ok != c.ok || strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%q: %v %v, want %v %v", c.steps, got, ok, c.want, c.ok)
		}
	}
}

// A scenario takes a preminted identity whose token is already in the
// signer's cache, and only one per scope set that was planned.
func TestPremintPool(t *testing.T) {
	sim, err := simulator.New()
	if err != nil {
		t.Fatal(err)
	}
	p := &premintPool{sim: sim, ahead: make(chan struct{}, 4), ready: map[string][]simulator.Identity{}}
	id := sim.NewIdentity()
	p.ahead <- struct{}{}
	p.ready[alexa.ScopeEmail] = []simulator.Identity{id}
	if _, ok := p.take(simulator.ConsentName); ok {
		t.Error("took an identity minted for another scope set")
	}
	got, ok := p.take(simulator.ConsentEmailLinked)
	if !ok || got != id {
		t.Fatalf("take = %v, %v; want the email identity", got, ok)
	}
	if _, ok := p.take(simulator.ConsentEmail); ok {
		t.Error("an identity was handed out twice")
	}
	if len(p.ahead) != 0 {
		t.Error("taking did not free its place in the window")
	}
	var nilPool *premintPool
	if _, ok := nilPool.take(simulator.ConsentEmail); ok {
		t.Error("nil pool handed out an identity")
	}
}
