package features

import (
	"github.com/asksim/asksim/fakes/oauth"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/alexa"
)

// Escaping and Cells say how step arguments and table cells are read: what
// `asksim steps` prints, and what its JSON carries for editors.
const (
	Escaping = `A quoted argument is the text between the quotes, with two escapes: \" is a quote and \\ a backslash. Any other backslash stays as written, so a regular expression works as Go writes it: "^Jane\.Doe$", "\S+@\S+".`
	Cells    = `A table cell is the text as written, without quotes, and never read as JSON: 2065550199 is the text 2065550199. In the user's profile, null means the user has no such value (the API answers 204), and mobile, address and settings take a JSON object; in the slots of the user invokes … with:, a value is the words spoken.`
)

// Argument is one capture of a step's pattern.
type Argument struct {
	// Quoted arguments are written between double quotes; the others
	// (the session attribute's value, a profile field) are the rest of the
	// line.
	Quoted bool `json:"quoted"`
	// Values are the values the argument takes, when it takes one of a
	// fixed set; preflight refuses others before a run.
	Values []string `json:"values,omitempty"`
}

// Arguments returns the step's arguments, in the order of its pattern.
func (s Step) Arguments() []Argument {
	groups := quotedGroups(s.Pattern)
	out := make([]Argument, len(groups))
	values := argValues[s.Pattern]
	for i, q := range groups {
		out[i] = Argument{Quoted: q}
		if i == 0 && values != nil {
			out[i].Values = values()
		}
	}
	return out
}

// argValues are the fixed sets of the steps argChecks checks.
var argValues = map[string]func() []string{
	`^the consent scenario ` + quoted + `$`:                      simulator.Scenarios,
	`^the user has granted the ` + quoted + ` permission$`:       alexa.ShortNames,
	`^the user has revoked the ` + quoted + ` permission$`:       alexa.ShortNames,
	`^the response asks for the ` + quoted + ` permission$`:      alexa.ShortNames,
	`^the skill read the user's (.+) from the profile API$`:      alexa.ShortNames,
	`^the profile API refused the skill's request for the (.+)$`: alexa.ShortNames,
	`^the device is ` + quoted + `$`:                             simulator.DeviceNames,
	`^the locale is ` + quoted + `$`:                             simulator.Locales,
	`^the user has linked their account as ` + quoted + `$`: func() []string {
		var out []string
		for _, u := range oauth.DefaultConfig().Users {
			out = append(out, u.Username)
		}
		return out
	},
}
