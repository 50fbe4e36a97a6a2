package simulator

import (
	"fmt"
	"slices"
	"strings"

	"github.com/asksim/asksim/simulator/alexa"
)

// Consent is what a user has allowed a skill: the permission scopes granted
// in the Alexa app and, when the account is linked, the access token that the
// skill's own OAuth server issued. The zero value is the scenario "none".
//
// Consent is a value: its methods return modified copies.
type Consent struct {
	// Scopes are the granted runtime scopes, sorted and without duplicates.
	Scopes []string
	// Linked says the user linked their account. With an empty AccessToken,
	// a conversation generates an opaque token for it.
	Linked bool
	// AccessToken is the linked account's token, sent as user.accessToken.
	AccessToken string
}

// The named consent scenarios.
const (
	ScenarioNone        = "none"
	ScenarioName        = "name"
	ScenarioEmail       = "email"
	ScenarioEmailLinked = "email+linked"
)

// Scenarios lists the named consent scenarios in their canonical order.
func Scenarios() []string {
	return []string{ScenarioNone, ScenarioName, ScenarioEmail, ScenarioEmailLinked}
}

// Named scenarios as values.
var (
	ConsentNone        = Consent{}
	ConsentName        = Consent{Scopes: []string{alexa.ScopeName}}
	ConsentEmail       = Consent{Scopes: []string{alexa.ScopeEmail}}
	ConsentEmailLinked = Consent{Scopes: []string{alexa.ScopeEmail}, Linked: true}
)

// ParseConsent returns the consent of a named scenario. An empty name is
// "none".
func ParseConsent(name string) (Consent, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", ScenarioNone:
		return ConsentNone, nil
	case ScenarioName:
		return ConsentName.clone(), nil
	case ScenarioEmail:
		return ConsentEmail.clone(), nil
	case ScenarioEmailLinked:
		return ConsentEmailLinked.clone(), nil
	}
	return Consent{}, fmt.Errorf("unknown consent scenario %q (valid: %s)", name, strings.Join(Scenarios(), ", "))
}

func (c Consent) clone() Consent {
	c.Scopes = slices.Clone(c.Scopes)
	return c
}

// Grant returns c with the scopes added.
func (c Consent) Grant(scopes ...string) Consent {
	out := c.clone()
	out.Scopes = append(out.Scopes, scopes...)
	slices.Sort(out.Scopes)
	out.Scopes = slices.Compact(out.Scopes)
	return out
}

// Revoke returns c without the scopes.
func (c Consent) Revoke(scopes ...string) Consent {
	out := c.clone()
	out.Scopes = slices.DeleteFunc(out.Scopes, func(s string) bool { return slices.Contains(scopes, s) })
	return out
}

// Link returns c with a linked account whose token is accessToken; an empty
// token asks the conversation to generate one.
func (c Consent) Link(accessToken string) Consent {
	out := c.clone()
	out.Linked = true
	out.AccessToken = accessToken
	return out
}

// Unlink returns c without a linked account.
func (c Consent) Unlink() Consent {
	out := c.clone()
	out.Linked = false
	out.AccessToken = ""
	return out
}

// Granted reports whether scope was granted.
func (c Consent) Granted(scope string) bool {
	return slices.Contains(c.Scopes, scope)
}

// Scenario returns the name of the scenario c is, or "" when it is none of
// the four.
func (c Consent) Scenario() string {
	for _, name := range Scenarios() {
		s, _ := ParseConsent(name)
		if slices.Equal(s.Scopes, c.normalized().Scopes) && s.Linked == c.Linked {
			return name
		}
	}
	return ""
}

func (c Consent) normalized() Consent { return Consent{}.Grant(c.Scopes...) }

// String describes c: its scenario name, or its scopes and link state.
func (c Consent) String() string {
	if name := c.Scenario(); name != "" {
		return name
	}
	var parts []string
	for _, s := range c.normalized().Scopes {
		parts = append(parts, alexa.ShortName(s))
	}
	if c.Linked {
		parts = append(parts, "linked")
	}
	return strings.Join(parts, "+")
}
