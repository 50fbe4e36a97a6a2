package features_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/asksim/asksim/features"
	"github.com/cucumber/godog"
)

// TestStepFailureMessages pins what a failing step says: what was
// expected, what came, and the path into the response, before the
// transcript. Each scenario's last step fails.
func TestStepFailureMessages(t *testing.T) {
	suite, err := features.NewSuite(context.Background(), features.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { suite.Close() })
	cases := []struct{ steps, want string }{
		{`When the user opens the skill
    Then Alexa says "Goodbye"`,
			"expected Alexa to say \"Goodbye\"\ngot:     \"Welcome to Example Skill. You can ask for your email, your name, or your account.\"\npath:    response.outputSpeech\n"},
		{`When the user opens the skill
    Then Alexa reprompts "Anything else?"`,
			"expected Alexa to reprompt \"Anything else?\"\ngot:     \"What would you like?\"\npath:    response.reprompt.outputSpeech\n"},
		{`When the user opens the skill
    Then Alexa says nothing`,
			"expected Alexa to say nothing\ngot:     \"Welcome to Example Skill."},
		{`When the user opens the skill
    Then Alexa says something matching "^Bye"`,
			"expected Alexa to say something matching ^Bye\ngot:     \"Welcome"},
		{`When the user opens the skill
    Then the slot "item" is "tea"`,
			"expected an IntentRequest\ngot:     LaunchRequest\npath:    request.type\n"},
		{`When the user invokes "OrderIntent" with:
      | item | coffee |
    Then the slot "size" is "large"`,
			"expected slot \"size\"\ngot:     no such slot\npath:    request.intent.slots.size\n"},
		{`When the user invokes "OrderIntent" with:
      | slot | value  |
      | item | coffee |
    Then the slot "item" is "tea"`,
			"expected \"tea\"\ngot:     \"coffee\"\npath:    request.intent.slots.item.value\n"},
		{`When the user invokes "OrderIntent" with:
      | item | coffee |
    Then the slot "item" resolved to "coffee"`,
			"expected a match to \"coffee\"\ngot:     no entity resolution\npath:    request.intent.slots.item.resolutions\n"},
		{`When the user says "order two coffees"
    And the user says "yes"
    Then the skill received "OrderIntent" with dialog state "STARTED"`,
			"expected the skill to receive IntentRequest OrderIntent (dialogState STARTED)\ngot:     IntentRequest OrderIntent (dialogState COMPLETED)\npath:    request.intent\n"},
		{`When the user opens the skill
    Then the response asks for the "email" permission`,
			"expected a request for the \"alexa::profile:email:read\" permission\ngot:     no AskForPermissionsConsent card and no voice permission request (Connections.SendRequest AskFor, Connections.StartConnection to AMAZON.AskForPermissionsConsent)\npath:    response.card\n"},
		{`When the user invokes "GetEmailIntent"
    Then the response asks for the "name" permission`,
			"expected a request for the \"alexa::profile:name:read\" permission\ngot:     a consent card for [alexa::profile:email:read]\npath:    response.card\n"},
		{`When the user opens the skill
    Then the response has a "Dialog.Delegate" directive`,
			"expected a Dialog.Delegate directive\ngot:     no directives\npath:    response.directives\n"},
		{`When the user opens the skill
    Then the response has a "LinkAccount" card`,
			"expected a LinkAccount card\ngot:     no card\npath:    response.card\n"},
		{`When the user opens the skill
    Then the session ends`,
			"expected the session to end\ngot:     it stayed open\npath:    response.shouldEndSession\n"},
		{`When the user opens the skill
    Then the response at "response.card.type" is "Simple"`,
			"expected \"Simple\"\ngot:     nothing there\npath:    response.card.type\n"},
		{`Given the consent scenario "email"
    When the user invokes "GetEmailIntent"
    Then the profile API refused the skill's request for the email`,
			"expected the Alexa API to refuse (403) a request for alexa::profile:email:read\ngot:     GET /v2/accounts/~current/settings/Profile.email → 200 (granted)\n"},
		{`When the user opens the skill
    Then the skill read the user's email from the profile API`,
			"expected the Alexa API to answer (200) a request for alexa::profile:email:read\ngot:     no request for it\n"},
		{`When the user invokes "GetEmailIntent"
    Then the skill did not call the profile API`,
			"expected no call to the Alexa APIs\ngot:     GET /v2/accounts/~current/settings/Profile.email → 403\n"},
		{`Given the user has linked their account as "carol"`,
			"link the account as \"carol\": no user \"carol\" in the OAuth fake's configuration (users: alice, bob)"},
		{`Given the user's profile:
      | settings.distanceUnits | far |`,
			`profile table row 1 (settings.distanceUnits = "far"): settings.distanceUnits: "far" is not one of METRIC, IMPERIAL`},
		{`Given the user's profile:
      | email |`,
			"profile table row 1 has 1 cells, want 2: field and value"},
		{`Given the user has linked their account
    When the user invokes "PlaylistsIntent"
    Then the skill did not call the API`,
			"expected no call to the API\ngot:     GET /v1/me/playlists → 200\n"},
		{`Given the user's account is not linked
    When the user invokes "PlaylistsIntent"
    Then the skill called "GET /v1/me/playlists"`,
			"expected the skill to call GET /v1/me/playlists\ngot:     no call to the API\n"},
		{`Given the user has linked their account with only the "user-read-email" scope
    When the user invokes "PlaylistsIntent"
    Then the skill called "GET /v1/me/playlists" and got 200`,
			"expected the skill to call GET /v1/me/playlists and get 200\ngot:     GET /v1/me/playlists → 403 (insufficient_scope)\n"},
		{`Given the user has linked their account
    And the user's linked token has expired and cannot be refreshed
    When the user invokes "PlaylistsIntent"
    Then Alexa says "Your playlists"`,
			"expected Alexa to say \"Your playlists\"\ngot:     \"To do that, please link your account in the Alexa app. I've sent you a card to get started.\"\npath:    response.outputSpeech\n\n" +
				"Conversation so far (consent none, user …"},
		{`Given the API "GET /v1/nowhere" fails with status 503`,
			"the OAuth fake serves no GET /v1/nowhere (its API: GET /v1/me/playlists, GET /v1/me; declare more under \"resources\" in its configuration)"},
		{`Given the API "FETCH /v1/me" fails with status 503`,
			"route \"FETCH /v1/me\": want a method and a path, such as \"GET /v1/me/playlists\""},
		{`Given the API "GET /v1/me/playlists" fails with status 42`,
			"GET /v1/me/playlists: status 42 is not a final HTTP status (200–999)"},
		{`Given the API "GET /v1/me/playlists" answers after "soon"`,
			"delay \"soon\": want a positive duration such as \"3s\" or \"500ms\""},
		{`Given the API "GET /v1/me/playlists" answers for "carol":
      """
      {}
      """`,
			"no user \"carol\" in the OAuth fake's configuration (users: alice, bob)"},
		{`Given the API "GET /v1/me/playlists" answers for "alice":
      """
      {"items": [
      """`,
			"the answer of GET /v1/me/playlists for \"alice\" is not JSON: unexpected end of JSON input"},
		{`Given the user's linked token has been revoked`,
			"the user has not linked their account: a step such as `Given the user has linked their account` must come first"},
		{`Given the user has linked their account with only the "admin" scope`,
			"link with the scope \"admin\": the OAuth fake's client alexa-skill may request only profile, playlist-read-private, user-read-email"},
		{`Given the user has linked their account with only the " , " scopes`,
			"no scope in \" , \": name one or more, separated by commas"},
		{`When the user says "open example skill"
    And the user says "stop"
    And the user says "what is my email"`,
			"\"what is my email\" was said after the session ended, without the invocation phrase: Alexa, not the skill, would hear it. Start with the invocation name, e.g. \"ask example skill what is my email\" or \"open example skill\""},
		{`When the user says "open example skill"
    Then Alexa asks for the "item" slot`,
			"expected Alexa to wait for a value for the \"item\" slot\ngot:     nothing: no dialog step is open\n"},
	}
	for _, c := range cases {
		var out bytes.Buffer
		godog.TestSuite{
			ScenarioInitializer: suite.InitializeScenario,
			Options: &godog.Options{
				Format: "cucumber", Output: &out, Strict: true, NoColors: true,
				FeatureContents: []godog.Feature{{Name: "f.feature", Contents: []byte("Feature: f\n  Scenario: s\n    " + c.steps + "\n")}},
			},
		}.Run()
		msg := lastError(t, out.Bytes())
		if !strings.HasPrefix(msg, c.want) {
			t.Errorf("%s\nfails with:\n%s\nwant it to start with:\n%s", c.steps, msg, c.want)
		}
	}
}

// lastError returns the error message of the last step that has one in a
// cucumber JSON report.
func lastError(t *testing.T, report []byte) string {
	t.Helper()
	var features []struct {
		Elements []struct {
			Steps []struct {
				Result struct {
					Status string `json:"status"`
					Error  string `json:"error_message"`
				} `json:"result"`
			} `json:"steps"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(report, &features); err != nil {
		t.Fatalf("cucumber report: %v\n%s", err, report)
	}
	msg := ""
	for _, f := range features {
		for _, e := range f.Elements {
			for _, s := range e.Steps {
				if s.Result.Error != "" {
					msg = s.Result.Error
				}
			}
		}
	}
	return msg
}

// runSteps runs one scenario of steps and returns godog's status and the
// last error its cucumber report holds.
func runSteps(t *testing.T, suite *features.Suite, steps string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	status := godog.TestSuite{
		ScenarioInitializer: suite.InitializeScenario,
		Options: &godog.Options{
			Format: "cucumber", Output: &out, Strict: true, NoColors: true,
			FeatureContents: []godog.Feature{{Name: "f.feature", Contents: []byte("Feature: f\n  Scenario: s\n    " + steps + "\n")}},
		},
	}.Run()
	return status, lastError(t, out.Bytes())
}

// Only \" and \\ are escapes in a quoted argument: a regular expression
// keeps its \. and \S, so that it checks what it says (defect 1: every
// backslash was dropped, and "^Jane\.Doe$" matched "Jane Doe").
func TestStepArguments_OnlyQuoteAndBackslashAreEscapes(t *testing.T) {
	suite, err := features.NewSuite(context.Background(), features.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { suite.Close() })
	cases := []struct {
		steps string
		pass  bool
	}{
		{`Given the consent scenario "email"
    When the user invokes "GetEmailIntent"
    Then Alexa says something matching "^Your email is \S+@\S+\.com\.$"`, true},
		{`Given the consent scenario "name"
    When the user invokes "GetNameIntent"
    Then Alexa says something matching "^Your name is Jane Doe\.$"`, true},
		{`Given the consent scenario "name"
    When the user invokes "GetNameIntent"
    Then Alexa says something matching "^Your name is Jane\.Doe\.$"`, false},
		{`Given the consent scenario "email"
    When the user invokes "GetEmailIntent"
    Then Alexa says something matching "jane@example\.com\.\z"`, true},
		// \" is a quote and \\ a backslash: "\\\\." is the expression \\.,
		// a backslash and any character, which the speech does not hold.
		{`Given the consent scenario "email"
    When the user invokes "GetEmailIntent"
    Then Alexa says something matching "example\\\\.com"`, false},
		{`Given the consent scenario "email"
    When the user invokes "GetEmailIntent"
    Then Alexa says something matching "example\\.com"`, true},
		{`When the user opens the skill
    Then Alexa says something matching "^[^\"]*$"`, true},
	}
	for _, c := range cases {
		status, msg := runSteps(t, suite, c.steps)
		if got := status == 0; got != c.pass {
			t.Errorf("%s\npassed %v, want %v; %s", c.steps, got, c.pass, msg)
		}
	}
}

// The bundled consent outline's rows hold \. and must keep it: with the
// backslash dropped its "Jane Doe." would match "Jane Doe!" too.
func TestUnescape(t *testing.T) {
	for in, want := range map[string]string{
		`^Jane\.Doe$`:    `^Jane\.Doe$`,
		`say \"hi\"`:     `say "hi"`,
		`a\\b`:           `a\b`,
		`\S+@\S+`:        `\S+@\S+`,
		`trailing\`:      `trailing\`,
		`\\\"quoted\\\"`: `\"quoted\"`,
	} {
		if got := features.Unescape(in); got != want {
			t.Errorf("unescape(%s) = %s, want %s", in, got, want)
		}
	}
}

// The example `asksim steps` prints for the user's profile works as written
// (defect 7: cells were parsed as JSON, and 2065550199 is a number), and a
// bad row is named by its row, its long value cut short.
func TestProfileTable_CellsAreTextAndErrorsNameTheRow(t *testing.T) {
	suite, err := features.NewSuite(context.Background(), features.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { suite.Close() })
	var example features.Step
	for _, s := range features.Steps() {
		if strings.HasPrefix(s.Example, "the user's profile") {
			example = s
		}
	}
	var table strings.Builder
	for _, row := range example.Table {
		table.WriteString("\n      | " + strings.Join(row, " | ") + " |")
	}
	status, msg := runSteps(t, suite, `Given the consent scenario "email"
    And `+example.Example+table.String()+`
    When the user invokes "GetEmailIntent"
    Then Alexa says "Your email is alice@example.com."`)
	if status != 0 {
		t.Errorf("the printed example fails: %s", msg)
	}
	long := strings.Repeat("x", 200)
	_, msg = runSteps(t, suite, `Given the user's profile:
      | name                   | Alice |
      | email                  | a@example.com |
      | settings.distanceUnits | `+long+` |`)
	if !strings.HasPrefix(msg, "profile table row 3 (settings.distanceUnits = \"xxx") || strings.Contains(msg, long) || !strings.Contains(msg, "…") {
		t.Errorf("bad row: %s", msg)
	}
	_, msg = runSteps(t, suite, `Given the user's profile:
      | mobile | 2065550199 |`)
	if !strings.HasPrefix(msg, `profile table row 1 (mobile = "2065550199"): mobile is an object: write JSON such as {"countryCode"`) {
		t.Errorf("object field: %s", msg)
	}
}
