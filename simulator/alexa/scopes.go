package alexa

import (
	"fmt"
	"strings"
)

// Runtime permission scopes, as they appear in apiAccessToken consent,
// AskForPermissionsConsent cards and the Alexa APIs
// (docs/alexa-contract.md §4). The skill manifest names some of them
// differently (§4.2): see ManifestName.
const (
	ScopeName                 = "alexa::profile:name:read"
	ScopeGivenName            = "alexa::profile:given_name:read"
	ScopeEmail                = "alexa::profile:email:read"
	ScopeMobileNumber         = "alexa::profile:mobile_number:read"
	ScopeAddress              = "read::alexa:device:all:address"
	ScopeCountryAndPostalCode = "read::alexa:device:all:address:country_and_postal_code"
	ScopeGeolocation          = "alexa::devices:all:geolocation:read"
	ScopeReminders            = "alexa::alerts:reminders:skill:readwrite"
	ScopeTimers               = "alexa::alerts:timers:skill:readwrite"
	ScopeListsRead            = "read::alexa:household:list"
	ScopeListsWrite           = "write::alexa:household:list"
)

// Permission is one row of the table: a runtime scope, the name skill.json
// declares it under, and its short name.
type Permission struct {
	// Scope is the runtime scope.
	Scope string
	// Manifest is the skill.json manifest.permissions[].name that lets a
	// skill ask for Scope. It equals Scope but for the device address and
	// the household lists (§4.2, checklist item 4; ask-smapi-model
	// v1.skill.Manifest.PermissionName), where even the colons differ.
	Manifest string
	// Short is the name --grant and the feature steps accept ("email",
	// "country_and_postal_code"); "" when there is none.
	Short string
}

// permissions is the table. The order of the short names is the order in
// which errors and help texts list them.
var permissions = []Permission{
	{ScopeName, ScopeName, "name"},
	{ScopeGivenName, ScopeGivenName, "given_name"},
	{ScopeEmail, ScopeEmail, "email"},
	{ScopeMobileNumber, ScopeMobileNumber, "mobile_number"},
	{ScopeAddress, "alexa::devices:all:address:full:read", "address"},
	{ScopeCountryAndPostalCode, "alexa:devices:all:address:country_and_postal_code:read", "country_and_postal_code"},
	{ScopeGeolocation, ScopeGeolocation, "geolocation"},
	{ScopeReminders, ScopeReminders, "reminders"},
	{ScopeTimers, ScopeTimers, "timers"},
	{ScopeListsRead, "alexa::household:lists:read", ""},
	{ScopeListsWrite, "alexa::household:lists:write", ""},
}

// Permissions returns the table, in order.
func Permissions() []Permission { return append([]Permission(nil), permissions...) }

// Known reports whether scope is a runtime scope of the table.
func Known(scope string) bool {
	_, ok := lookup(func(p Permission) bool { return p.Scope == scope })
	return ok
}

// ManifestName returns the skill.json permission name that grants a
// runtime scope. A scope the table does not know comes back unchanged.
func ManifestName(scope string) string {
	if p, ok := lookup(func(p Permission) bool { return p.Scope == scope }); ok {
		return p.Manifest
	}
	return scope
}

// ScopeOfManifestName returns the runtime scope of a skill.json permission
// name that is spelled differently from its scope, the usual mistake on a
// consent card (§10 item 4). ok is false for any other name.
func ScopeOfManifestName(name string) (scope string, ok bool) {
	p, ok := lookup(func(p Permission) bool { return p.Manifest == name && p.Manifest != p.Scope })
	return p.Scope, ok
}

// ShortNames lists the short scope names ParseScope accepts.
func ShortNames() []string {
	var names []string
	for _, p := range permissions {
		if p.Short != "" {
			names = append(names, p.Short)
		}
	}
	return names
}

// ShortName returns the short name of a runtime scope, or the scope itself
// when it has none.
func ShortName(scope string) string {
	if p, ok := lookup(func(p Permission) bool { return p.Scope == scope && p.Short != "" }); ok {
		return p.Short
	}
	return scope
}

// ParseScope turns a short name ("email", "given name",
// "country_and_postal_code") or a full runtime scope string
// ("alexa::profile:email:read") into the runtime scope string.
func ParseScope(s string) (string, error) {
	t := strings.TrimSpace(s)
	if strings.Contains(t, "::") && !strings.ContainsAny(t, " \t") {
		return t, nil
	}
	short := strings.ToLower(strings.Join(strings.FieldsFunc(t, func(r rune) bool {
		return r == ' ' || r == '_' || r == '-' || r == '\t'
	}), "_"))
	if p, ok := lookup(func(p Permission) bool { return p.Short != "" && p.Short == short }); ok {
		return p.Scope, nil
	}
	return "", fmt.Errorf("unknown permission %q: use a full scope string such as %q or one of: %s",
		s, ScopeEmail, strings.Join(ShortNames(), ", "))
}

func lookup(match func(Permission) bool) (Permission, bool) {
	for _, p := range permissions {
		if match(p) {
			return p, true
		}
	}
	return Permission{}, false
}
