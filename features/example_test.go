package features_test

import (
	"context"
	"fmt"
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
