package features

import (
	"strings"
	"testing"

	messages "github.com/cucumber/messages/go/v21"
)

// TestParseGuarded_RecoversAParserPanic feeds the parser, past the line
// check, the line that made it panic (issue 14 defect 4): the panic
// becomes a problem naming the file.
func TestParseGuarded_RecoversAParserPanic(t *testing.T) {
	data := []byte("Feature: f\n  Scenario: s\n    When the user says \"" + strings.Repeat("a", 70_000) + "\"\n")
	doc, pickles, problems := parseGuarded("long.feature", data, (&messages.Incrementing{}).NewId)
	if doc != nil || pickles != nil || len(problems) != 1 {
		t.Fatalf("parseGuarded = %v, %v, %q; want one problem", doc, pickles, problems)
	}
	if want := "  long.feature: the Gherkin parser failed on this file: "; !strings.HasPrefix(problems[0], want) {
		t.Errorf("problem %q, want it to start %q", problems[0], want)
	}
}
