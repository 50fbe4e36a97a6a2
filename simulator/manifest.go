package simulator

import (
	"fmt"
	"slices"

	"github.com/asksim/asksim/simulator/alexa"
	"github.com/asksim/asksim/simulator/model"
)

// RulePermissionNotInManifest is the rule a response breaks when it asks the
// user to consent to a scope that the skill manifest does not declare. Alexa
// cannot grant such a scope: the consent card shows nothing to grant and the
// API call that follows is refused. Checked only when the simulator knows the
// manifest (WithManifestPermissions, WithSkillPackage).
const RulePermissionNotInManifest = "permission-not-in-manifest"

// manifestCheck is the skill manifest's permission list, as Send checks
// responses against it.
type manifestCheck struct {
	declared []string
}

// WithManifestPermissions makes Send check that every scope a response asks
// consent for (an AskForPermissionsConsent card, a Connections.SendRequest
// AskFor) is declared in the skill manifest, whose manifest.permissions[].name
// values are names. An empty list means the manifest declares no permission,
// so any consent request breaks the rule. A breach is a Violation with rule
// RulePermissionNotInManifest, or a warning with WithLenient.
func WithManifestPermissions(names ...string) Option {
	return func(s *Simulator) { s.manifest = &manifestCheck{declared: append([]string{}, names...)} }
}

// WithSkillPackage checks responses against the permissions of the skill
// package's manifest (skill.json), as WithManifestPermissions does.
func WithSkillPackage(p *model.SkillPackage) Option {
	if p == nil {
		return func(s *Simulator) { s.errs = append(s.errs, fmt.Errorf("WithSkillPackage: nil skill package")) }
	}
	return WithManifestPermissions(p.Permissions()...)
}

// CheckPermissions returns a violation for each consent request in r (card
// permissions, Connections.SendRequest AskFor scopes) whose scope needs a
// permission that manifestPermissions, the skill manifest's permission
// names, does not hold. Runtime scopes and manifest names differ for the
// device address and lists (docs/alexa-contract.md §4.2); alexa.ManifestName
// maps one to the other.
func CheckPermissions(r *ResponseEnvelope, manifestPermissions []string) []Violation {
	if r == nil {
		return nil
	}
	declared := make(map[string]bool, len(manifestPermissions))
	for _, p := range manifestPermissions {
		declared[p] = true
	}
	var v []Violation
	for _, a := range r.ScopeRequests() {
		name := alexa.ManifestName(a.Scope)
		if declared[name] {
			continue
		}
		msg := fmt.Sprintf("asks consent for %q but skill.json does not declare the permission %q", a.Scope, name)
		if name != a.Scope {
			msg = fmt.Sprintf("asks consent for %q but skill.json does not declare the permission %q (the manifest name of that scope)", a.Scope, name)
		}
		v = append(v, Violation{Rule: RulePermissionNotInManifest, Path: a.Path, Message: msg})
	}
	return v
}

// violations returns the manifest violations of r; nil when the simulator
// has no manifest.
func (m *manifestCheck) violations(r *ResponseEnvelope) []Violation {
	if m == nil {
		return nil
	}
	return CheckPermissions(r, m.declared)
}

// undeclared returns the scopes whose permission the manifest lacks.
func (m *manifestCheck) undeclared(scopes []string) []string {
	var out []string
	for _, s := range scopes {
		if !slices.Contains(m.declared, alexa.ManifestName(s)) {
			out = append(out, s)
		}
	}
	return out
}
