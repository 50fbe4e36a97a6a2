package features_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/asksim/asksim/features"
	"github.com/asksim/asksim/fixtures/skill"
	"github.com/asksim/asksim/simulator"
	"github.com/cucumber/godog"
)

// A Go skill runs its features from its own go test. The skill here is the
// example skill as an in-process http.Handler; put yours in its place. In a
// real test, set Options.TestingT to the test's *testing.T and every
// scenario becomes a subtest (go test -run 'TestFeatures/Linking').
func ExampleSuite_InitializeScenario() {
	suite, err := features.NewSuite(context.Background(), features.Config{
		Endpoint: simulator.HandlerEndpoint(skill.New(skill.Options{})),
	})
	if err != nil {
		panic(err)
	}
	defer suite.Close()

	var out strings.Builder
	status := godog.TestSuite{
		ScenarioInitializer: suite.InitializeScenario,
		Options: &godog.Options{
			Format: "progress", Output: &out, Strict: true, NoColors: true,
			FeatureContents: []godog.Feature{{Name: "email.feature", Contents: []byte(`
Feature: email
  Scenario: the email needs consent
    Given the consent scenario "email"
    When the user invokes "GetEmailIntent"
    Then Alexa says "Your email is jane@example.com."
    And the skill read the user's email from the profile API
`)}},
		},
	}.Run()
	fmt.Println("status", status)
	fmt.Println(strings.Contains(out.String(), "1 scenarios (1 passed)"))
	// Output:
	// status 0
	// true
}

// List is what `asksim test --list` prints: the scenarios and outline rows
// a run would play, here the bundled ones a tag expression selects.
func ExampleList() {
	lines, _, err := features.List(features.RunOptions{Tags: "@smoke and not @linking", Shard: features.Shard{Index: 1, Total: 2}})
	if err != nil {
		panic(err)
	}
	for _, l := range lines {
		fmt.Println(l)
	}
	// Output:
	// features/consent.feature:9
	// features/permissions.feature:8
	// features/session.feature:7
}

// Run writes its reports as `asksim test --format` does; the rerun format
// lists the failed scenarios as FILE:LINE, here an Examples row.
func ExampleSuite_Run() {
	suite, err := features.NewSuite(context.Background(), features.Config{})
	if err != nil {
		panic(err)
	}
	defer suite.Close()
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	feature := filepath.Join(dir, "greeting.feature")
	err = os.WriteFile(feature, []byte(`Feature: greeting
  Scenario Outline: the skill greets
    When the user opens the skill
    Then Alexa says something containing "<word>"

    Examples:
      | word    |
      | Welcome |
      | Goodbye |
`), 0o644)
	if err != nil {
		panic(err)
	}
	var out strings.Builder
	status, err := suite.Run(features.RunOptions{Paths: []string{feature}, Formats: []string{"rerun"}, Output: &out})
	if err != nil {
		panic(err)
	}
	fmt.Println("status", status)
	fmt.Print(strings.ReplaceAll(out.String(), filepath.ToSlash(dir), "DIR"))
	// Output:
	// status 1
	// DIR/greeting.feature:9
}
