package features_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/asksim/asksim/features"
	"github.com/asksim/asksim/fixtures/skill"
	"github.com/asksim/asksim/internal/testutil"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/signing"
)

// Requests carry no signature unless the suite signs them (Config.Sign);
// signed, they pass a verifier that trusts the suite's chain, whose root
// the suite wrote to SignRootFile.
func TestSuiteRequestSigning(t *testing.T) {
	feature := filepath.Join(t.TempDir(), "hello.feature")
	if err := os.WriteFile(feature, []byte("Feature: x\n  Scenario: y\n    When the user opens the skill\n    Then Alexa says \"Hi\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, sign := range []bool{false, true} {
		var suite *features.Suite
		var verified atomic.Value
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			a, err := suite.RequestSigner()
			if err == nil {
				err = testutil.VerifierFor(t, a).Verify(r.Header, body)
			}
			verified.Store(err == nil)
			_, _ = io.WriteString(w, `{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"Hi"}}}`)
		}))
		ep, err := simulator.HTTPEndpoint(ts.URL)
		if err != nil {
			t.Fatal(err)
		}
		root := filepath.Join(t.TempDir(), "root.pem")
		cfg := features.Config{Endpoint: ep, Sign: sign}
		if sign {
			cfg.SignRootFile = root
		}
		suite, err = features.NewSuite(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		status, err := suite.Run(features.RunOptions{Paths: []string{feature}, Formats: []string{"progress"}, Output: io.Discard})
		a, _ := suite.RequestSigner()
		suite.Close()
		ts.Close()
		if err != nil || status != 0 {
			t.Fatalf("sign=%v: status %d, %v", sign, status, err)
		}
		if verified.Load() != sign {
			t.Errorf("sign=%v: request verified = %v", sign, verified.Load())
		}
		if got, _ := os.ReadFile(root); sign && string(got) != string(a.RootPEM()) {
			t.Errorf("SignRootFile holds %q, want the suite's root", got)
		}
	}
}

// signingSuite runs testdata/signing.feature against the example skill,
// behind the reference verifier when verify is set, and returns the run's
// status and report.
func signingSuite(t *testing.T, verify bool) (int, string) {
	t.Helper()
	a, err := signing.New(signing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var h http.Handler = skill.New(skill.Options{})
	if verify {
		h = testutil.VerifierFor(t, a).Handler(h)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	ep, err := simulator.HTTPEndpoint(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	suite, err := features.NewSuite(context.Background(), features.Config{Endpoint: ep, RequestSigner: a})
	if err != nil {
		t.Fatal(err)
	}
	defer suite.Close()
	var report strings.Builder
	status, err := suite.Run(features.RunOptions{Paths: []string{filepath.Join("testdata", "signing.feature")},
		Formats: []string{"progress"}, NoColors: true, Output: &report})
	if err != nil {
		t.Fatal(err)
	}
	return status, report.String()
}

// A verifier that follows Amazon's rules, configured for asksim's chain,
// accepts the correct request and refuses every fault and the unsigned
// one; the skill answers again once the signature is right.
func TestSigningFeature_AgainstAVerifyingSkill(t *testing.T) {
	status, report := signingSuite(t, true)
	if status != 0 || !strings.Contains(report, "11 scenarios (11 passed)") {
		t.Fatalf("status %d\n%s", status, report)
	}
}

// The same feature against a skill that verifies nothing: every scenario
// that expects a refusal fails, and says which request was not refused.
func TestSigningFeature_AgainstASkillThatDoesNotVerify(t *testing.T) {
	status, report := signingSuite(t, false)
	if status != 1 || !strings.Contains(report, "11 scenarios (1 passed, 10 failed)") {
		t.Fatalf("status %d\n%s", status, report)
	}
	for _, want := range []string{
		"expected the skill to refuse the request with an HTTP 4xx status, as a verifier refuses a request signed with a tampered body",
		"as a verifier refuses an unsigned request",
		"signed with a certificate URL on another port",
		"got:     an answer (HTTP 200)",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q\n%s", want, report)
		}
	}
}
