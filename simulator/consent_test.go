package simulator_test

import (
	"strings"
	"testing"

	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/alexa"
)

func TestConsent_Scenarios(t *testing.T) {
	for _, name := range simulator.Scenarios() {
		c, err := simulator.ParseConsent(name)
		if err != nil {
			t.Fatal(err)
		}
		if c.Scenario() != name || c.String() != name {
			t.Errorf("ParseConsent(%q).Scenario() = %q", name, c.Scenario())
		}
	}
	if c, _ := simulator.ParseConsent(""); c.Scenario() != "none" {
		t.Error("empty scenario is not none")
	}
	_, err := simulator.ParseConsent("everything")
	if err == nil || !strings.Contains(err.Error(), "none, name, email, email+linked") {
		t.Errorf("unknown scenario error = %v, want the four names", err)
	}
	c := simulator.ConsentName.Grant(alexa.ScopeEmail, alexa.ScopeName)
	if len(c.Scopes) != 2 || c.Scenario() != "" || c.String() != "email+name" {
		t.Errorf("granted = %+v %q", c, c)
	}
	if simulator.ConsentName.Granted(alexa.ScopeEmail) || len(simulator.ConsentName.Scopes) != 1 {
		t.Error("Grant modified the shared ConsentName value")
	}
	if got := c.Revoke(alexa.ScopeName).Link("t"); got.Scenario() != "email+linked" || got.Unlink().Scenario() != "email" {
		t.Errorf("Revoke/Link/Unlink: %v", got)
	}
}
