package report_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/features/report"
)

// A turn near Alexa's 8 s is flagged on its step and counted at the end;
// so are the warnings of a lenient run; marks need no colour.
func TestPretty_SlowTurnsAndWarnings(t *testing.T) {
	f := &report.Feature{URI: "f.feature", Keyword: "Feature", Name: "f"}
	s := &report.Scenario{Feature: f, Keyword: "Scenario", Name: "slow", Line: 2, Steps: []*report.Step{
		{Keyword: "When ", Text: "the user opens the skill", Status: report.Passed, Latencies: []time.Duration{6400 * time.Millisecond},
			Warnings: []report.Violation{{Rule: "ssml-escape", Path: "response.outputSpeech.ssml", Message: "unescaped '&'"}}},
		{Keyword: "And ", Text: "the user invokes \"X\"", Status: report.Passed, Latencies: []time.Duration{120 * time.Millisecond}},
		{Keyword: "Then ", Text: "the session ends", Status: report.Skipped},
	}}
	f.Scenarios = []*report.Scenario{s}
	r := &report.Run{Features: []*report.Feature{f}}
	var out bytes.Buffer
	p := report.NewPretty(&out, false)
	for _, err := range []error{p.Start(&r.Header), p.Scenario(s), p.Finish(r)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{
		"    ✔ When the user opens the skill  6.40 s ⚠ near Alexa's 8 s limit\n",
		"        ⚠ warning: ssml-escape at response.outputSpeech.ssml: unescaped '&'\n",
		"    ✔ And the user invokes \"X\"  120 ms\n",
		"    ↷ Then the session ends\n",
		"⚠ 1 response-contract violations passed as warnings (--lenient)",
		"⚠ 1 turns took 6.00 s or more, near Alexa's 8 s limit",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "\x1b[") {
		t.Error("colour without colour")
	}
}
