package features_test

import (
	"context"
	"testing"

	"github.com/asksim/asksim/features"
	"github.com/cucumber/godog"
)

// TestBundledFeatures runs every bundled feature against the example skill,
// each scenario as a subtest.
func TestBundledFeatures(t *testing.T) {
	suite, err := features.NewSuite(context.Background(), features.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { suite.Close() })
	status := godog.TestSuite{
		Name:                "bundled",
		ScenarioInitializer: suite.InitializeScenario,
		Options: &godog.Options{
			Format:   "progress",
			FS:       features.FS,
			Paths:    []string{"."},
			Strict:   true,
			TestingT: t,
		},
	}.Run()
	if status != 0 {
		t.Errorf("godog status %d, want 0", status)
	}
}
