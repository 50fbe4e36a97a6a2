package features_test

import (
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asksim/asksim/features"
	"github.com/asksim/asksim/fixtures/skill"
	"github.com/asksim/asksim/simulator"
)

// Mistakes of configuration are told once, before anything runs, with the
// places they are met, and exit 2 (defect 10: they surfaced late, in every
// scenario, as failures).
func TestPreflight_ConfigurationErrorsBeforeTheRun(t *testing.T) {
	dir := t.TempDir()
	f := writeFeature(t, dir, "mistakes.feature", `Feature: mistakes
  Scenario Outline: arguments outside their sets
    Given the consent scenario "<consent>"
    And the device is "echo-plus"
    And the user has granted the "shoe size" permission
    And the user has linked their account as "carol"
    When the user opens the skill
    Then the skill read the user's shoe size from the profile API

    Examples:
      | consent |
      | email   |
      | emial   |

  Scenario: a locale without a model
    Given the locale is "de-DE"
    When the user says "open example skill"

  Scenario: a locale Alexa has not
    Given the locale is "xx-YY"
    When the user opens the skill
`)
	suite := exampleSuite(t, features.Config{})
	status, out, err := run(t, suite, features.RunOptions{Paths: []string{f}, Formats: []string{"progress"}})
	if status != 2 || err == nil {
		t.Fatalf("status %d, %v\n%s", status, err, out)
	}
	uri := filepath.ToSlash(filepath.Clean(f))
	msg := err.Error()
	for _, want := range []string{
		uri + `:3 (Examples row at line 13): the consent scenario "emial": unknown consent scenario "emial" (valid: none, name, email, email+linked)`,
		uri + `:4 (Examples row at line 12): the device is "echo-plus": `,
		"echo-dot",
		uri + `:5 (Examples row at line 12): the user has granted the "shoe size" permission: `,
		"also at " + uri + ":5 (Examples row at line 13)",
		uri + `:6 (Examples row at line 12): the user has linked their account as "carol": no user "carol" in the OAuth fake's configuration (users: alice, bob)`,
		uri + `:8 (Examples row at line 12): the skill read the user's shoe size from the profile API: `,
		uri + ":17: `the user says` (locale de-DE): ",
		uri + `:20: the locale is "xx-YY": locale "xx-YY": Alexa has no such locale`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error lacks %q:\n%s", want, msg)
		}
	}
	if out != "" {
		t.Errorf("something ran:\n%s", out)
	}
	if n := strings.Count(msg, "shoe size\" permission"); n != 1 {
		t.Errorf("the bad permission is told %d times:\n%s", n, msg)
	}

	// Speaking without any interaction model: the places, told once.
	noModel := exampleSuite(t, features.Config{Endpoint: simulator.HandlerEndpoint(skill.New(skill.Options{}))})
	status, _, err = run(t, noModel, features.RunOptions{Paths: []string{"voice.feature"}})
	if status != 2 || err == nil || strings.Count(err.Error(), "no interaction model") != 1 || !strings.Contains(err.Error(), "--skill-package") ||
		!strings.Contains(err.Error(), "also at voice.feature:") || !strings.Contains(err.Error(), "more") {
		t.Errorf("no model: status %d, %v", status, err)
	}
}

// An endpoint nothing answers at is one error, before the run, whatever
// the number of scenarios.
func TestPreflight_EndpointNotAnswering(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ep, err := simulator.HTTPEndpoint("http://" + addr + "/alexa")
	if err != nil {
		t.Fatal(err)
	}
	suite := exampleSuite(t, features.Config{Endpoint: ep})
	status, out, err := run(t, suite, features.RunOptions{Paths: []string{"features/consent.feature"}})
	if status != 2 || err == nil || !strings.Contains(err.Error(), "the skill at http://"+addr+"/alexa does not answer: nothing answers at "+addr) ||
		!strings.Contains(err.Error(), "refused") || strings.Count(err.Error(), "does not answer") != 1 {
		t.Errorf("status %d, %v\n%s", status, err, out)
	}
}

// Every check of preflight names a step of the vocabulary: one renamed in
// steps.go must be renamed there too.
func TestPreflight_ChecksNameSteps(t *testing.T) {
	if u := features.UnmatchedArgChecks(); len(u) > 0 {
		t.Errorf("argument checks for no step: %v", u)
	}
}
