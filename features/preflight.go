package features

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/alexa"
)

// Mistakes in the configuration would otherwise surface late, once in
// every scenario that meets them, as failures: a skill that is not
// running, features that speak to a skill without an interaction model, a
// consent scenario or device that does not exist. preflight finds them in
// the parsed features before anything runs, and says each once, with the
// file and line of the step.

// argCheck checks the arguments of one step, before the run, against the
// fixed sets they come from.
type argCheck func(s *Suite, args []string) error

var argChecks = map[string]argCheck{
	`^the consent scenario ` + quoted + `$`: func(_ *Suite, a []string) error {
		_, err := simulator.ParseConsent(a[0])
		return err
	},
	`^the user has granted the ` + quoted + ` permission$`:       checkScope,
	`^the user has revoked the ` + quoted + ` permission$`:       checkScope,
	`^the response asks for the ` + quoted + ` permission$`:      checkScope,
	`^the skill read the user's (.+) from the profile API$`:      checkScope,
	`^the profile API refused the skill's request for the (.+)$`: checkScope,
	`^the device is ` + quoted + `$`: func(_ *Suite, a []string) error {
		_, err := simulator.DevicePreset(a[0])
		return err
	},
	`^the locale is ` + quoted + `$`: func(_ *Suite, a []string) error { return simulator.CheckLocale(a[0]) },
	`^the user has linked their account as ` + quoted + `$`: func(s *Suite, a []string) error {
		var known []string
		for _, u := range s.oauthCfg.Users {
			if u.Username == a[0] {
				return nil
			}
			known = append(known, u.Username)
		}
		return fmt.Errorf("no user %q in the OAuth fake's configuration (users: %s)", a[0], strings.Join(known, ", "))
	},
}

func checkScope(_ *Suite, a []string) error {
	_, err := alexa.ParseScope(a[0])
	return err
}

// argCheckAt are argChecks by step index; a pattern that names no step is
// a mistake in this file, caught by TestPreflight_ChecksNameSteps.
var argCheckAt = func() []argCheck {
	out := make([]argCheck, len(steps))
	for i, st := range steps {
		out[i] = argChecks[st.Pattern]
	}
	return out
}()

// unmatchedArgChecks lists the patterns of argChecks that are no step's.
func unmatchedArgChecks() []string {
	var out []string
	for _, m := range []map[string]argCheck{argChecks} {
		for p := range m {
			if !slices.ContainsFunc(steps, func(st Step) bool { return st.Pattern == p }) {
				out = append(out, p)
			}
		}
	}
	for p := range argValues {
		if !slices.ContainsFunc(steps, func(st Step) bool { return st.Pattern == p }) {
			out = append(out, p)
		}
	}
	return out
}

var (
	saysPattern   = `^the user says ` + quoted + `$`
	localePattern = `^the locale is ` + quoted + `$`
)

// preflight checks what the selected features need of the configuration.
func (s *Suite) preflight(ctx context.Context, sel *selection) error {
	// Each problem once, with the places it is met.
	var msgs []string
	places := map[string][]string{}
	add := func(msg, where string) {
		if _, seen := places[msg]; !seen {
			msgs = append(msgs, msg)
		}
		if where != "" && !slices.Contains(places[msg], where) {
			places[msg] = append(places[msg], where)
		}
	}
	if ep := s.cfg.Endpoint; ep != nil {
		if err := simulator.Probe(ctx, ep); err != nil {
			add(fmt.Sprintf("the skill at %s does not answer: %v; start it first, or check --endpoint", ep, err), "")
		}
	}
	for _, r := range sel.picked {
		locale := s.sim.Locale()
		for i, ps := range r.pickle.Steps {
			if i >= len(r.defs) || r.defs[i] < 0 {
				continue
			}
			def := r.defs[i]
			args := stepArgs(def, ps.Text)
			where := r.doc.uri
			if st := r.doc.idx.steps[ps.AstNodeIds[0]]; st != nil {
				where = fmt.Sprintf("%s:%d", r.doc.uri, st.Location.Line)
			}
			if r.row != nil {
				where += fmt.Sprintf(" (Examples row at line %d)", r.row.Location.Line)
			}
			if check := argCheckAt[def]; check != nil {
				if err := check(s, args); err != nil {
					add(fmt.Sprintf("%s: %v", ps.Text, err), where)
					continue
				}
			}
			switch steps[def].Pattern {
			case localePattern:
				locale = args[0]
			case saysPattern:
				if _, err := s.model(locale); err != nil {
					add(fmt.Sprintf("`the user says` (locale %s): %v", locale, err), where)
				}
			}
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("the features cannot run as configured:")
	for _, m := range msgs {
		ws := places[m]
		switch {
		case len(ws) == 0:
			fmt.Fprintf(&b, "\n  %s", m)
		case len(ws) == 1:
			fmt.Fprintf(&b, "\n  %s: %s", ws[0], m)
		default:
			const shown = 5
			fmt.Fprintf(&b, "\n  %s: %s", ws[0], m)
			rest := ws[1:min(len(ws), shown)]
			fmt.Fprintf(&b, "\n    also at %s", strings.Join(rest, ", "))
			if len(ws) > shown {
				fmt.Fprintf(&b, " and %d more", len(ws)-shown)
			}
		}
	}
	return &ConfigError{b.String()}
}

// stepArgs returns the arguments step def captures from text, quoted ones
// unescaped as the step receives them.
func stepArgs(def int, text string) []string {
	m := stepRegexps[def].FindStringSubmatch(text)
	if m == nil {
		return nil
	}
	args := m[1:]
	for i := range args {
		if i < len(quotedArgs[def]) && quotedArgs[def][i] {
			args[i] = unescape(args[i])
		}
	}
	return args
}

// Check checks, before a dialog or any use outside Run, that something
// answers at the suite's endpoint.
func (s *Suite) Check(ctx context.Context) error {
	if ep := s.cfg.Endpoint; ep != nil {
		if err := simulator.Probe(ctx, ep); err != nil {
			return fmt.Errorf("the skill at %s does not answer: %v; start it first, or check --endpoint", ep, err)
		}
	}
	return nil
}
