package model

// runtimeToManifest lists the runtime scopes whose manifest permission name
// differs. Runtime scopes are what a skill puts in a consent card and what an
// Alexa API call needs; manifest names are what skill.json declares.
// Sources: /work/shared/alexa-contract.md §4.2, §4.4 and checklist item 4;
// ask-smapi-model v1.skill.Manifest.PermissionName.
var runtimeToManifest = map[string]string{
	"read::alexa:device:all:address":                         "alexa::devices:all:address:full:read",
	"read::alexa:device:all:address:country_and_postal_code": "alexa:devices:all:address:country_and_postal_code:read",
	"read::alexa:household:list":                             "alexa::household:lists:read",
	"write::alexa:household:list":                            "alexa::household:lists:write",
}

// ManifestPermissionFor returns the skill.json permission name that grants a
// runtime scope. Scopes spelled the same in both places (the profile scopes,
// alexa::devices:all:geolocation:read, reminders, timers) come back unchanged.
func ManifestPermissionFor(runtimeScope string) string {
	if name, ok := runtimeToManifest[runtimeScope]; ok {
		return name
	}
	return runtimeScope
}
