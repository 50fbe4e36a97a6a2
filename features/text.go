package features

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/asksim/asksim/fakes/alexaapi"
	"github.com/asksim/asksim/internal/jsonlimit"
	"github.com/asksim/asksim/simulator"
	"github.com/cucumber/godog"
)

// What the steps read from their data tables, and how they word what they
// found instead of what was expected.

// pairs reads a table of two columns, what names its rows in errors
// ("slot table"), cols its columns ("slot and value").
func pairs(table *godog.Table, what, cols string) ([][2]string, error) {
	out := make([][2]string, 0, len(table.Rows))
	for i, row := range table.Rows {
		if len(row.Cells) != 2 {
			return nil, fmt.Errorf("%s row %d has %d cells, want 2: %s", what, i+1, len(row.Cells), cols)
		}
		out = append(out, [2]string{strings.TrimSpace(row.Cells[0].Value), row.Cells[1].Value})
	}
	return out, nil
}

// slotOptions reads a table of slots and their spoken values, and says
// them for the transcript: item="coffee", quantity="2". A first row
// "slot | value" is a header.
func slotOptions(table *godog.Table) ([]simulator.RequestOption, string, error) {
	rows, err := pairs(table, "slot table", "slot and value")
	if err != nil {
		return nil, "", err
	}
	if len(rows) > 0 && strings.EqualFold(rows[0][0], "slot") && strings.EqualFold(strings.TrimSpace(rows[0][1]), "value") {
		rows = rows[1:]
	}
	var opts []simulator.RequestOption
	var said []string
	for _, r := range rows {
		opts = append(opts, simulator.WithSlot(r[0], r[1]))
		said = append(said, fmt.Sprintf("%s=%q", r[0], r[1]))
	}
	return opts, strings.Join(said, ", "), nil
}

// objectFields are the profile fields whose value is an object; a cell for
// one of them is JSON (an object, or null). Every other field is text.
var objectFields = map[string]bool{"mobile": true, "address": true, "settings": true}

// profileFields reads a table of profile fields (dotted, "address.city")
// and values into a profile object as a profiles file holds one. A cell is
// the text as written, "2065550199" included: only null (no such value) is
// special, and the object fields take JSON. Each row is checked on its own,
// so an error names the row, not a line of JSON made from the table.
func profileFields(table *godog.Table, base alexaapi.Profile) ([]byte, error) {
	rows, err := pairs(table, "profile table", "field and value")
	if err != nil {
		return nil, err
	}
	fields := map[string]any{}
	for i, r := range rows {
		field, cell := r[0], strings.TrimSpace(r[1])
		rowErr := func(format string, a ...any) error {
			return fmt.Errorf("profile table row %d (%s = %s): %s", i+1, field, quoteShort(cell), fmt.Sprintf(format, a...))
		}
		var v any = cell
		switch {
		case cell == "null":
			v = nil
		case objectFields[field]:
			var obj map[string]any
			var de *jsonlimit.DepthError
			if errors.As(jsonlimit.CheckDepth([]byte(cell), jsonlimit.DefaultMaxDepth), &de) {
				return nil, rowErr("the value nests JSON arrays and objects deeper than %d levels", de.Max)
			}
			if err := json.Unmarshal([]byte(cell), &obj); err != nil {
				return nil, rowErr("%s is an object: write JSON such as %s, or null", field, objectExample[field])
			}
			v = obj
		}
		one := map[string]any{}
		if err := setPath(one, field, v); err != nil {
			return nil, rowErr("%v", err)
		}
		doc, _ := json.Marshal(one)
		const name = "row"
		if _, err := alexaapi.ParseProfile(doc, name, base); err != nil {
			msg := strings.TrimPrefix(err.Error(), name+":1: ")
			return nil, rowErr("%s", strings.ReplaceAll(msg, strconv.Quote(cell), quoteShort(cell)))
		}
		if err := setPath(fields, field, v); err != nil {
			return nil, rowErr("%v", err)
		}
	}
	return json.Marshal(fields)
}

var objectExample = map[string]string{
	"mobile":   `{"countryCode": "+1", "phoneNumber": "2065550199"}`,
	"address":  `{"city": "Seattle", "postalCode": "98109"}`,
	"settings": `{"timeZone": "Europe/Berlin"}`,
}

// quoteShort quotes s for an error message, cut to a length that fits on a
// line: a 200-character id says no more than its start and end.
func quoteShort(s string) string {
	const max = 48
	if r := []rune(s); len(r) > max {
		s = string(r[:max-12]) + "…" + string(r[len(r)-11:])
	}
	return strconv.Quote(s)
}

// setPath sets a dotted path ("address.city") in a nested map.
func setPath(m map[string]any, path string, v any) error {
	keys := strings.Split(path, ".")
	if len(keys) > jsonlimit.DefaultMaxDepth {
		return fmt.Errorf("field %.40q… has %d dotted parts; no profile field has more than a few", path, len(keys))
	}
	for _, k := range keys[:len(keys)-1] {
		child, ok := m[k].(map[string]any)
		if !ok {
			if _, taken := m[k]; taken {
				return fmt.Errorf("field %q is a value, not an object", k)
			}
			child = map[string]any{}
			m[k] = child
		}
		m = child
	}
	m[keys[len(keys)-1]] = v
	return nil
}

// unescape undoes the two escapes a quoted step argument may hold, \" and
// \\. Every other backslash stays, so that a regular expression works as
// written: "^Jane\.Doe$" keeps its \. and "\S+" its \S.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// describeAsked says what an answer asked consent for instead.
func describeAsked(asked []simulator.ScopeRequest) string {
	var card, voice []string
	for _, a := range asked {
		if a.Voice {
			voice = append(voice, a.Scope)
		} else {
			card = append(card, a.Scope)
		}
	}
	var found []string
	if card != nil {
		found = append(found, fmt.Sprintf("a consent card for %v", card))
	}
	if voice != nil {
		found = append(found, fmt.Sprintf("a voice permission request for %v", voice))
	}
	if len(found) == 0 {
		return "no AskForPermissionsConsent card and no voice permission request (Connections.SendRequest AskFor, Connections.StartConnection to AMAZON.AskForPermissionsConsent)"
	}
	return strings.Join(found, " and ")
}

// describeCalls lists the Alexa API calls a step looked at, with the fake's
// decision on each when decision is set; none when there are none.
func describeCalls(calls []alexaapi.Request, decision bool, none string) string {
	seen := make([]string, 0, len(calls))
	for _, c := range calls {
		s := fmt.Sprintf("%s %s → %d", c.Method, c.Path, c.Status)
		if decision {
			s += " (" + c.Decision + ")"
		}
		seen = append(seen, s)
	}
	if len(seen) == 0 {
		return none
	}
	return strings.Join(seen, "; ")
}

// listOr joins items with commas, or says none when there are none.
func listOr(items []string, none string) string {
	if len(items) == 0 {
		return none
	}
	return strings.Join(items, ", ")
}
