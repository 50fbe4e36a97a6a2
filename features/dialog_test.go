package features_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/features"
	"github.com/asksim/asksim/simulator"
)

// A dialog driven by a script prints what each turn did, and what it
// records `asksim test` replays green.
func TestDialog_RecordReplaysGreen(t *testing.T) {
	suite := exampleSuite(t, features.Config{})
	dir := t.TempDir()
	rec := filepath.Join(dir, "recorded", "dialog.feature")
	script := `open example skill
order two coffees
yes
.consent email+linked
ask example skill what's my email
.intent AccountIntent
.intent OrderIntent item=tea
.bogus
.new
ask example skill help
.json
.quit
never read
`
	var out strings.Builder
	err := suite.Dialog(context.Background(), features.DialogOptions{In: strings.NewReader(script), Out: &out, Record: rec})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	o := out.String()
	for _, want := range []string{
		"> open example skill\n  Alexa: \"Welcome to Example Skill.",
		"    heard: LaunchRequest\n",
		`  Alexa (dialog model): "That's 2 coffees. Shall I place the order?"`,
		`    heard: OrderIntent item="coffees" → "coffee" quantity="2"`,
		"    sent: IntentRequest OrderIntent (COMPLETED) → HTTP 200 in ",
		"    Alexa API: GET /v2/accounts/~current/settings/Profile.email → 200 (granted)",
		"    OAuth: GET /userinfo → 200",
		"You are linked as Alice Example",
		"    directives: Dialog.ElicitSlot",
		"    session: open, attributes {\"turns\":",
		"  ! unknown command .bogus (.help lists them)",
		"    session: ended",
		"request:\n{\n  \"version\": \"1.0\"",
		"answer (HTTP 200):",
		"  recorded ",
	} {
		if !strings.Contains(o, want) {
			t.Errorf("the dialog's output lacks %q:\n%s", want, o)
		}
	}
	if strings.Contains(o, "never read") {
		t.Error(".quit did not end the dialog")
	}
	feature, err := os.ReadFile(rec)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`When the user says "ask example skill what's my email"`, `Given the consent scenario "email+linked"`,
		"When the user invokes \"OrderIntent\" with:\n      | item | tea |", `Then Alexa says "Your email is jane@example.com."`, "When the user ends the session"} {
		if !strings.Contains(string(feature), want) {
			t.Errorf("the recording lacks %q:\n%s", want, feature)
		}
	}
	status, runOut, err := run(t, suite, features.RunOptions{Paths: []string{rec}, Formats: []string{"progress"}})
	if status != 0 || err != nil {
		t.Errorf("the recording does not replay green: %d %v\n%s\n%s", status, err, runOut, feature)
	}
}

// The recording's header tells the time by the suite's clock, so a test
// with a fixed clock can compare the whole file; the time is in UTC
// whatever the clock's zone.
func TestDialog_RecordTellsTheSuitesTime(t *testing.T) {
	at := time.Date(2026, 3, 4, 7, 6, 59, 0, time.FixedZone("UTC+2", 2*60*60))
	suite := exampleSuite(t, features.Config{Now: func() time.Time { return at }})
	rec := filepath.Join(t.TempDir(), "dialog.feature")
	var out strings.Builder
	err := suite.Dialog(context.Background(), features.DialogOptions{In: strings.NewReader("open example skill\n.quit\n"), Out: &out, Consent: "none", Record: rec})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	got, err := os.ReadFile(rec)
	if err != nil {
		t.Fatal(err)
	}
	want := `Feature: A recorded dialog
  Recorded by asksim dialog on 2026-03-04 05:06 UTC.

  Scenario: The dialog as it went
    Given the consent scenario "none"
    When the user says "open example skill"
    Then Alexa says "Welcome to Example Skill. You can ask for your email, your name, or your account."
    And the session stays open
`
	if string(got) != want {
		t.Errorf("recorded:\n%s\nwant:\n%s", got, want)
	}
}

// A turn the skill fails is shown, and the dialog says so when it ends.
func TestDialog_FailedTurn(t *testing.T) {
	suite := exampleSuite(t, features.Config{Endpoint: simulator.HandlerEndpoint(misbehaving)})
	var out strings.Builder
	err := suite.Dialog(context.Background(), features.DialogOptions{In: strings.NewReader(".launch\n.intent AMAZON.StopIntent\n"), Out: &out})
	if !errors.Is(err, features.ErrDialogTurnsFailed) || !strings.Contains(err.Error(), "2 of the dialog's turns") {
		t.Errorf("err = %v\n%s", err, out.String())
	}
	if n := strings.Count(out.String(), "rule of Alexa's response contract"); n != 2 || !strings.Contains(out.String(), "ssml-escape") {
		t.Errorf("output:\n%s", out.String())
	}
}

// A recorded argument reads back as written: only \ and " are escaped.
func TestQuoteArg(t *testing.T) {
	for _, s := range []string{`plain`, `say "hi"`, `back\slash`, `\"both\\`, `^Jane\.Doe$`} {
		q := features.QuoteArg(s)
		if got := features.Unescape(q[1 : len(q)-1]); got != s {
			t.Errorf("%s quoted as %s reads back as %s", s, q, got)
		}
	}
}
