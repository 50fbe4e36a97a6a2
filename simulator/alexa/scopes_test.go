package alexa_test

import (
	"strings"
	"testing"

	"github.com/asksim/asksim/simulator/alexa"
)

func TestParseScope(t *testing.T) {
	for in, want := range map[string]string{
		"email": alexa.ScopeEmail, "given name": alexa.ScopeGivenName, "given_name": alexa.ScopeGivenName,
		"Mobile Number": alexa.ScopeMobileNumber, "country and postal code": alexa.ScopeCountryAndPostalCode,
		"address": alexa.ScopeAddress, "alexa::alerts:timers:skill:readwrite": alexa.ScopeTimers,
		"read::alexa:household:list": alexa.ScopeListsRead,
	} {
		if got, err := alexa.ParseScope(in); err != nil || got != want {
			t.Errorf("ParseScope(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	_, err := alexa.ParseScope("shoe size")
	if err == nil || !strings.Contains(err.Error(), "name, given_name, email, mobile_number, address, country_and_postal_code, geolocation, reminders, timers") {
		t.Errorf("unknown scope error = %v, want the list of short names", err)
	}
	for _, short := range alexa.ShortNames() {
		scope, err := alexa.ParseScope(short)
		if err != nil || alexa.ShortName(scope) != short {
			t.Errorf("short name %q does not round-trip: %q, %v, back %q", short, scope, err, alexa.ShortName(scope))
		}
	}
	if got := alexa.ShortName(alexa.ScopeListsWrite); got != alexa.ScopeListsWrite {
		t.Errorf("ShortName of a scope without one = %q, want the scope", got)
	}
}

// TestManifestNames pins the names skill.json uses: Amazon spells the
// address and list permissions differently from their runtime scopes.
func TestManifestNames(t *testing.T) {
	for runtime, manifest := range map[string]string{
		"read::alexa:device:all:address":                         "alexa::devices:all:address:full:read",
		"read::alexa:device:all:address:country_and_postal_code": "alexa:devices:all:address:country_and_postal_code:read",
		"read::alexa:household:list":                             "alexa::household:lists:read",
		"write::alexa:household:list":                            "alexa::household:lists:write",
		"alexa::profile:email:read":                              "alexa::profile:email:read",
		"alexa::profile:name:read":                               "alexa::profile:name:read",
		"alexa::devices:all:geolocation:read":                    "alexa::devices:all:geolocation:read",
		"alexa::alerts:reminders:skill:readwrite":                "alexa::alerts:reminders:skill:readwrite",
		"some::unknown:scope":                                    "some::unknown:scope",
	} {
		if got := alexa.ManifestName(runtime); got != manifest {
			t.Errorf("ManifestName(%q) = %q, want %q", runtime, got, manifest)
		}
		scope, ok := alexa.ScopeOfManifestName(manifest)
		if differs := manifest != runtime; ok != differs || ok && scope != runtime {
			t.Errorf("ScopeOfManifestName(%q) = %q, %v; want %q, %v", manifest, scope, ok, runtime, differs)
		}
	}
	for _, p := range alexa.Permissions() {
		if !alexa.Known(p.Scope) {
			t.Errorf("Known(%q) = false for a scope of the table", p.Scope)
		}
	}
	if alexa.Known("alexa::devices:all:address:full:read") {
		t.Error("a manifest name counts as a runtime scope")
	}
}
