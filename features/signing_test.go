package features_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/asksim/asksim/features"
	"github.com/asksim/asksim/simulator"
)

// Requests carry Alexa's signature headers unless the suite is unsigned.
func TestSuiteRequestSigning(t *testing.T) {
	feature := filepath.Join(t.TempDir(), "hello.feature")
	if err := os.WriteFile(feature, []byte("Feature: x\n  Scenario: y\n    When the user opens the skill\n    Then Alexa says \"Hi\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, unsigned := range []bool{false, true} {
		var signed atomic.Bool
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			signed.Store(r.Header.Get(simulator.HeaderSignature256) != "" && r.Header.Get(simulator.HeaderSignatureCertChainURL) != "")
			_, _ = io.WriteString(w, `{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"Hi"}}}`)
		}))
		ep, err := simulator.HTTPEndpoint(ts.URL)
		if err != nil {
			t.Fatal(err)
		}
		suite, err := features.NewSuite(context.Background(), features.Config{Endpoint: ep, Unsigned: unsigned})
		if err != nil {
			t.Fatal(err)
		}
		status, err := suite.Run(features.RunOptions{Paths: []string{feature}, Formats: []string{"progress"}, Output: io.Discard})
		suite.Close()
		ts.Close()
		if err != nil || status != 0 {
			t.Fatalf("unsigned=%v: status %d, %v", unsigned, status, err)
		}
		if signed.Load() == unsigned {
			t.Errorf("unsigned=%v: signature headers present = %v", unsigned, signed.Load())
		}
	}
}
