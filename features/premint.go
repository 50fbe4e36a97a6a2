package features

import (
	"context"
	"regexp"
	"strings"
	"sync"

	messages "github.com/cucumber/messages/go/v21"

	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/alexa"
)

// An apiAccessToken costs an RSA signature, about 1.5 ms: the largest single
// cost of a short scenario. Before a run, the suite reads each scenario's
// Given steps for the consent its first turn will carry, and a minter signs
// those tokens ahead, a few scenarios in front of the run, for fresh
// identities that scenarios then take from a pool. A sequential run so mints
// on the core it leaves idle; a concurrent one mints no more than it would
// have. A scenario whose consent was not foreseen mints as before.

// premintPool holds identities whose tokens are minted, by scope set.
type premintPool struct {
	sim   *simulator.Simulator
	ahead chan struct{} // one token per identity minted and not yet taken

	mu    sync.Mutex
	ready map[string][]simulator.Identity
}

// startPremint starts minting for plan (one scope set per scenario, in run
// order) until ctx ends, at most window tokens ahead of the run.
func (s *Suite) startPremint(ctx context.Context, plan [][]string, window int) {
	p := &premintPool{sim: s.sim, ahead: make(chan struct{}, window), ready: map[string][]simulator.Identity{}}
	s.premint.Store(p)
	go func() {
		for _, scopes := range plan {
			select {
			case p.ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			id := s.sim.NewIdentity()
			c := simulator.Consent{}.Grant(scopes...)
			if _, err := s.sim.Signer().APIAccessToken(s.sim.TokenFor(id, c)); err != nil {
				<-p.ahead
				continue
			}
			key := strings.Join(c.Scopes, " ")
			p.mu.Lock()
			p.ready[key] = append(p.ready[key], id)
			p.mu.Unlock()
		}
	}()
}

// take returns an identity whose token for c is minted, if the pool has one.
func (p *premintPool) take(c simulator.Consent) (simulator.Identity, bool) {
	if p == nil {
		return simulator.Identity{}, false
	}
	key := strings.Join(simulator.Consent{}.Grant(c.Scopes...).Scopes, " ")
	p.mu.Lock()
	ids := p.ready[key]
	if len(ids) == 0 {
		p.mu.Unlock()
		return simulator.Identity{}, false
	}
	id := ids[0]
	p.ready[key] = ids[1:]
	p.mu.Unlock()
	<-p.ahead
	return id, true
}

// newConversation starts a scenario's conversation, with a preminted
// identity when one fits.
func (s *Suite) newConversation(c simulator.Consent) *simulator.Conversation {
	if id, ok := s.premint.Load().take(c); ok {
		return s.sim.NewConversationAs(id, c)
	}
	return s.sim.NewConversation(c)
}

var (
	planScenario = regexp.MustCompile(`^the consent scenario "([^"]*)"$`)
	planGrant    = regexp.MustCompile(`^the user has granted the "([^"]*)" permission$`)
	planRevoke   = regexp.MustCompile(`^the user has revoked the "([^"]*)" permission$`)
)

// plannedScopes reads the scope set a scenario's first turn will carry from
// its steps before the first When step. ok is false when a step makes it
// uncertain.
func plannedScopes(p *messages.Pickle) (scopes []string, ok bool) {
	c := simulator.Consent{}
	for _, st := range p.Steps {
		if st.Type == messages.PickleStepType_ACTION {
			break
		}
		t := st.Text
		switch {
		case planScenario.MatchString(t):
			sc, err := simulator.ParseConsent(planScenario.FindStringSubmatch(t)[1])
			if err != nil {
				return nil, false
			}
			c = c.Revoke(c.Scopes...).Grant(sc.Scopes...)
		case t == "the user has granted no permissions":
			c = c.Revoke(c.Scopes...)
		case planGrant.MatchString(t):
			scope, err := alexa.ParseScope(planGrant.FindStringSubmatch(t)[1])
			if err != nil {
				return nil, false
			}
			c = c.Grant(scope)
		case planRevoke.MatchString(t):
			scope, err := alexa.ParseScope(planRevoke.FindStringSubmatch(t)[1])
			if err != nil {
				return nil, false
			}
			c = c.Revoke(scope)
		}
	}
	return c.Scopes, true
}

var planLink = regexp.MustCompile(`^the user has linked their account(?: as "(?:[^"\\]|\\.)*")?$`)

// linksAccount reports whether a scenario with these steps links an
// account through the OAuth fake.
func linksAccount(steps []*messages.PickleStep) bool {
	for _, st := range steps {
		if planLink.MatchString(st.Text) {
			return true
		}
		if m := planScenario.FindStringSubmatch(st.Text); m != nil {
			if c, err := simulator.ParseConsent(m[1]); err == nil && c.Linked {
				return true
			}
		}
	}
	return false
}
