package report_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/features/report"
	"golang.org/x/net/html"
)

// evil is text that would be markup if it were not escaped.
const evil = `<x-evil onclick="alert(1)">'&amp;"</x-evil>`

// TestHTML_EscapesEverything puts markup into every field a report shows
// and parses what comes out: no element or attribute may come of it, and
// the text must read as it was given.
func TestHTML_EscapesEverything(t *testing.T) {
	f := &report.Feature{URI: evil, Keyword: evil, Name: evil, Description: evil, Tags: []report.Tag{{Name: evil}}}
	end := true
	s := &report.Scenario{Feature: f, Keyword: evil, Name: evil, Line: 3, RowLine: 9, RowHeader: []string{evil}, Row: []string{evil}, Tags: []report.Tag{{Name: evil}},
		Steps: []*report.Step{
			{Keyword: evil, Text: evil, Table: [][]string{{evil, evil}}, DocString: evil, Status: report.Passed, Turns: []int{0},
				Latencies: []time.Duration{7 * time.Second}, Warnings: []report.Violation{{Rule: evil, Path: evil, Message: evil}}},
			{Keyword: evil, Text: evil, Status: report.Failed, Failure: &report.Failure{Message: evil, Expected: evil, Got: evil, Path: evil, Rule: evil, Transcript: evil}},
			{Keyword: evil, Text: evil, Status: report.Failed, Failure: &report.Failure{Message: evil}},
		}}
	s.SetConversation(func() *report.Conversation {
		return &report.Conversation{Consent: evil, User: evil, Locale: evil, Device: evil, Turns: []report.Turn{{
			Said: evil, Heard: evil, Slots: []report.Slot{{Name: evil, Value: evil, Resolved: evil}}, Speech: evil, Reprompt: evil,
			Card: &report.Card{Type: evil, Title: evil, Text: evil}, Directives: []string{evil}, ShouldEndSession: &end, Dialog: evil,
			APICalls: []report.Call{{Method: evil, Path: evil, Status: 200, Note: evil}}, OAuthCalls: []report.Call{{Method: evil, Path: evil, Note: evil}},
			Error: evil, Violations: []report.Violation{{Rule: evil, Path: evil, Message: evil}}, Warnings: []report.Violation{{Rule: evil}},
			Requests: []report.Exchange{{Type: evil, Intent: evil, DialogState: evil, Request: []byte(evil), Response: []byte(evil + "\x00\xff")}},
		}}}
	})
	f.Scenarios = []*report.Scenario{s}
	r := &report.Run{Header: report.Header{Version: evil, Endpoint: evil, SkillPackage: evil, AlexaAPI: evil, OAuth: evil, Locale: evil, Tags: evil, Shard: evil}, Features: []*report.Feature{f}}
	var buf bytes.Buffer
	if err := report.NewHTML(&buf).Finish(r); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	texts := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.Data == "x-evil" {
				t.Errorf("an element came of the text: <%s>", n.Data)
			}
			for _, a := range n.Attr {
				if a.Key == "onclick" {
					t.Errorf("an attribute came of the text: <%s %s=%q>", n.Data, a.Key, a.Val)
				}
			}
		}
		if n.Type == html.TextNode {
			texts += strings.Count(n.Data, `<x-evil onclick="alert(1)">'&amp;"</x-evil>`)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if texts < 40 {
		t.Errorf("the text shows as written %d times; want it in every field", texts)
	}
	if !bytes.Contains(buf.Bytes(), []byte("\uFFFD")) || bytes.ContainsAny(buf.Bytes(), "\x00") {
		t.Error("NUL and invalid UTF-8 must become U+FFFD")
	}
}
