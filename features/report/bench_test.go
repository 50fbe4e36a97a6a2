package report_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/features/report"
)

// syntheticRun is a run of n three-turn scenarios shaped like a real one:
// a 2.5 KB request and a small answer a turn, a call to the Alexa API.
func syntheticRun(n int) *report.Run {
	req := []byte(`{"version":"1.0","session":{"new":true,"sessionId":"amzn1.echo-api.session.` + strings.Repeat("x", 36) + `"},"context":{"System":{"apiAccessToken":"` + strings.Repeat("a", 1800) + `"}},"request":{"type":"IntentRequest","intent":{"name":"GetEmailIntent"}}}`)
	resp := []byte(`{"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":"<speak>Your email is jane@example.com.</speak>"},"shouldEndSession":false}}`)
	f := &report.Feature{URI: "features/load.feature", Keyword: "Feature", Name: "load"}
	r := &report.Run{Header: report.Header{Version: "v1", Locale: "en-US", Started: time.Now()}, Features: []*report.Feature{f}}
	for i := range n {
		s := &report.Scenario{Feature: f, Keyword: "Scenario", Name: fmt.Sprintf("reader %d", i), Line: 3 + 7*i}
		for j, text := range []string{`the consent scenario "email"`, "the user opens the skill", `the user invokes "GetEmailIntent"`, `Alexa says "Your email is jane@example.com."`, `the user invokes "AMAZON.StopIntent"`, "the session ends"} {
			st := &report.Step{Keyword: "When ", Text: text, Line: 4 + 7*i + j, Status: report.Passed, Duration: time.Millisecond, Definition: "features/steps.go:99"}
			if j == 1 || j == 2 || j == 4 {
				st.Turns = []int{len(s.Steps)}
				st.Latencies = []time.Duration{2 * time.Millisecond}
			}
			s.Steps = append(s.Steps, st)
		}
		s.SetConversation(func() *report.Conversation {
			c := &report.Conversation{Consent: "email", User: "ABCDEFGH", Locale: "en-US", Device: "echo-dot", SessionOpen: false}
			for range 3 {
				end := false
				c.Turns = append(c.Turns, report.Turn{Said: `invokes "GetEmailIntent"`, Speech: "Your email is jane@example.com.", Reprompt: "What else?",
					ShouldEndSession: &end, Latency: 2 * time.Millisecond,
					Requests: []report.Exchange{{Type: "IntentRequest", Intent: "GetEmailIntent", Request: req, Response: resp, Status: 200, Latency: 2 * time.Millisecond}},
					APICalls: []report.Call{{Method: "GET", Path: "/v2/accounts/~current/settings/Profile.email", Status: 200, Note: "granted"}}})
			}
			return c
		})
		f.Scenarios = append(f.Scenarios, s)
	}
	return r
}

// BenchmarkHTML writes the HTML report of synthetic runs, per scenario.
func BenchmarkHTML(b *testing.B) {
	const n = 200
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		r := syntheticRun(n)
		if err := report.NewHTML(&buf).Finish(r); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/scenario")
	b.ReportMetric(float64(size)/n, "bytes/scenario")
	_ = io.Discard
}
