package features_test

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/asksim/asksim/fakes/serve"
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

// TestBundledFeaturesOverTLS runs the features that call the fakes (the
// profile API, the OAuth server) with both served over HTTPS from a
// persistent CA: the envelopes carry an https apiEndpoint, and the example
// skill and the linker reach the fakes only by trusting that CA.
func TestBundledFeaturesOverTLS(t *testing.T) {
	ca, _, err := serve.LoadOrCreateCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	suite, err := features.NewSuite(context.Background(), features.Config{CA: ca})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { suite.Close() })
	for _, u := range []string{suite.APIURL(), suite.OAuthURL()} {
		if !strings.HasPrefix(u, "https://127.0.0.1:") {
			t.Fatalf("fake at %s, want https://127.0.0.1:…", u)
		}
	}
	status := godog.TestSuite{
		Name:                "bundled-tls",
		ScenarioInitializer: suite.InitializeScenario,
		Options: &godog.Options{
			Format:   "progress",
			FS:       features.FS,
			Paths:    []string{"consent.feature", "linking.feature", "profile.feature", "permissions.feature"},
			Strict:   true,
			TestingT: t,
		},
	}.Run()
	if status != 0 {
		t.Errorf("godog status %d, want 0", status)
	}
	if n := len(suite.AlexaAPI().Requests()); n == 0 {
		t.Error("no call reached the Alexa API fake over TLS")
	}
}

// NewSuite's failures are errors, never a panic: its cleanup of what it
// had started ran Close on a nil suite.
func TestNewSuiteFailsCleanly(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	for name, cfg := range map[string]features.Config{
		"API fake not on loopback": {APIAddr: "0.0.0.0:0"},
		"API fake on a taken port": {APIAddr: taken.Addr().String()},
		// The API fake has started when the OAuth fake fails.
		"OAuth fake on a taken port": {OAuthAddr: taken.Addr().String()},
	} {
		suite, err := features.NewSuite(context.Background(), cfg)
		if err == nil {
			suite.Close()
			t.Errorf("%s: no error", name)
		} else if suite != nil {
			t.Errorf("%s: a suite with the error %v", name, err)
		}
	}
	_, err = features.NewSuite(context.Background(), features.Config{APIAddr: taken.Addr().String()})
	if !errors.Is(err, serve.ErrAddrInUse) {
		t.Errorf("taken port: %v, want serve.ErrAddrInUse", err)
	}
}

// A tag expression with an empty term panicked inside godog; Run returns a
// *ConfigError for it before anything runs.
func TestTagExpressions(t *testing.T) {
	suite, err := features.NewSuite(context.Background(), features.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer suite.Close()
	var ce *features.ConfigError
	if _, err := suite.Run(features.RunOptions{Tags: "@smoke &&", Output: io.Discard}); !errors.As(err, &ce) {
		t.Errorf("Run with tags %q: %v, want a *ConfigError", "@smoke &&", err)
	}
}
