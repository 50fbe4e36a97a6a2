package link_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/asksim/asksim/simulator/link"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ with the current output")

// golden compares got with testdata/name, rewriting it first with -update;
// the file is always read back and compared.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./simulator/link -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func sampleReport() *link.Report {
	ev := &link.Evidence{
		Request: &link.EvidenceRequest{Method: "POST", URL: "https://auth.example.test/token", Authorization: "Basic [redacted]",
			Form: "code=[redacted]&grant_type=authorization_code&redirect_uri=https%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FM2ASKSIMVENDOR"},
		Response: &link.EvidenceResponse{Status: 200, Headers: map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store"},
			Body: `{"access_token":"[redacted]","expires_in":"3600","token_type":"Bearer"}`},
	}
	return &link.Report{
		AuthorizationURL: "https://auth.example.test/authorize?client_id=alexa-skill&response_type=code&state=S",
		RedirectURI:      "https://pitangui.amazon.com/api/skill/link/M2ASKSIMVENDOR",
		Checks: []link.Check{
			{Rule: link.RuleHTTPS, Status: link.Pass, Message: "both URLs are https on port 443"},
			{Rule: link.RuleAuthorizeFrame, Status: link.Warn, Message: "neither X-Frame-Options nor CSP frame-ancestors",
				Evidence: &link.Evidence{Request: &link.EvidenceRequest{Method: "GET", URL: "https://auth.example.test/authorize?state=S"},
					Response: &link.EvidenceResponse{Status: 200, Headers: map[string]string{"Content-Type": "text/html"}, Body: "<html>\n  <h1>Sign in</h1>", Message: "Sign in", Text: "Sign in"}}},
			{Rule: link.RuleTokenExpiresInt, Status: link.Fail, Message: `expires_in is the string "3600"`, Evidence: ev},
		},
		NotChecked: []string{link.RuleRefreshResponse},
	}
}

func TestLinkReportText(t *testing.T) {
	rep := sampleReport()
	if !rep.Failed() {
		t.Fatal("a report with a failure is not Failed")
	}
	golden(t, "link_report.txt", []byte(rep.String()))

	rep.Checks = rep.Checks[:2] // a warning alone does not fail
	if rep.Failed() {
		t.Fatal("warnings made the report fail")
	}
}

func TestLinkReportJSON(t *testing.T) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(sampleReport()); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	golden(t, "link_report.json", b)
	var back struct {
		Linked  bool
		Summary map[string]int
		Checks  []link.Check
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Linked || back.Summary["fail"] != 1 || back.Summary["warn"] != 1 || back.Checks[2].Evidence.Response.Status != 200 ||
		back.Checks[2].Description != "expires_in, when present, is an integer number of seconds (RFC 6749 §5.1)" {
		t.Errorf("decoded %+v", back)
	}
}

func TestLinkRulesStable(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range link.Rules() {
		if ids[r.ID] || r.Description == "" || (r.Severity != link.Fail && r.Severity != link.Warn) {
			t.Errorf("rule %+v", r)
		}
		ids[r.ID] = true
	}
	// Warnings are exactly the production-only requirements.
	for _, id := range []string{link.RuleHTTPS, link.RuleTokenNoStore, link.RuleAuthorizeFrame, link.RuleAuthorizeSee} {
		for _, r := range link.Rules() {
			if r.ID == id && r.Severity != link.Warn {
				t.Errorf("%s is not a warning", id)
			}
		}
	}
}
