package features

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/asksim/asksim/fakes/alexaapi"
	messages "github.com/cucumber/messages/go/v21"
)

// FuzzParseFeature feeds feature files, seeded with the bundled ones, to
// the guarded Gherkin parse and then every step's arguments to the parsers
// the steps use: quoted strings (unescape, JSON values, regular
// expressions) and data tables (slots, profile fields). None may panic;
// the recover at the parse boundary counts as a panic here, since it means
// a file slipped past the limits.
func FuzzParseFeature(f *testing.F) {
	seeds, _ := fs.Glob(FS, "*.feature")
	for _, name := range seeds {
		data, err := fs.ReadFile(FS, name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("Feature: f\n  Scenario Outline: o\n    When the user says \"<a>\"\n      \"\"\"json\n      {\"a\":[1,\n      \"\"\"\n    Examples:\n      | a |\n      | \\| |\n"))
	f.Add([]byte("# language: de\nFunktionalität: f\n  Szenario: s\n    Wenn the user opens the skill\n"))
	f.Add([]byte("Feature: f\n  Scenario: s\n    Given the user's profile:\n      | address.city | \"Seattle\" |\n      | address | 1 |\n    Then Alexa says something matching \"(?i)welcome\\\\\"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > MaxFeatureBytes {
			return
		}
		doc, pickles, problems := parseFeature("fuzz.feature", data, (&messages.Incrementing{}).NewId)
		for _, p := range problems {
			if strings.Contains(p, "the Gherkin parser failed") || !strings.HasPrefix(p, "  fuzz.feature") {
				t.Fatalf("problem %q", p)
			}
		}
		if problems != nil {
			return
		}
		if doc == nil {
			t.Fatal("no document and no problem")
		}
		for _, p := range pickles {
			for _, st := range p.Steps {
				stepArguments(t, st)
			}
		}
	})
}

// stepArguments runs a pickle step's arguments through the parsers of the
// step its text matches, as godog would call it.
func stepArguments(t *testing.T, st *messages.PickleStep) {
	for _, re := range stepRegexps {
		m := re.FindStringSubmatch(st.Text)
		if m == nil {
			continue
		}
		for _, arg := range m[1:] {
			s := unescape(arg)
			if v, err := jsonValue(s); err == nil {
				_ = jsonText(v)
			}
			if re, err := regexp.Compile(s); err == nil {
				re.MatchString("Welcome to the example skill.")
			}
		}
		break
	}
	if st.Argument == nil || st.Argument.DataTable == nil {
		return
	}
	table := st.Argument.DataTable
	if _, said, err := slotOptions(table); err == nil && len(table.Rows) > 0 && said == "" && len(table.Rows) > 1 {
		t.Fatalf("slotOptions said nothing of %d rows", len(table.Rows))
	}
	doc, err := profileFields(table, alexaapi.DefaultProfile())
	if err != nil {
		return
	}
	if !json.Valid(doc) {
		t.Fatalf("profileFields wrote invalid JSON %q", doc)
	}
	_, _ = alexaapi.ParseProfile(doc, "the user's profile table", alexaapi.DefaultProfile())
}
