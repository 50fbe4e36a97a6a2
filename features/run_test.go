package features_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/asksim/asksim/features"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/model"
)

// exampleSuite is a suite of the example skill for the test.
func exampleSuite(t *testing.T, cfg features.Config) *features.Suite {
	t.Helper()
	suite, err := features.NewSuite(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { suite.Close() })
	return suite
}

// writeFeature writes a feature file into dir and returns its path.
func writeFeature(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// run runs opts with the output in a buffer.
func run(t *testing.T, suite *features.Suite, opts features.RunOptions) (int, string, error) {
	t.Helper()
	var out, errs bytes.Buffer
	opts.Output, opts.Errors, opts.NoColors = &out, &errs, true
	status, err := suite.Run(opts)
	return status, out.String() + errs.String(), err
}

const mixedFeature = `@mixed
Feature: mixed

  @smoke
  Scenario: greets
    When the user opens the skill
    Then Alexa says something containing "Welcome"

  @slow @smoke
  Scenario: reads the email
    Given the consent scenario "email"
    When the user invokes "GetEmailIntent"
    Then Alexa says "Your email is jane@example.com."

  @wip
  Scenario: not done
    When the user opens the skill
    Then Alexa says "Hello there"

  Scenario Outline: each consent
    Given the consent scenario "<consent>"
    When the user invokes "GetNameIntent"
    Then Alexa says something matching "<speech>"

    @names
    Examples: named
      | consent | speech                    |
      | name    | ^Your name is Jane Doe\.$ |
      | email   | ^I need your permission   |

    Examples: wrong
      | consent | speech |
      | name    | ^Nope  |
`

// cucumberScenarios returns "file:line" of every scenario a cucumber
// report holds, in its order.
func cucumberScenarios(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var report []struct {
		URI      string `json:"uri"`
		Elements []struct {
			Line int `json:"line"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatalf("cucumber report: %v", err)
	}
	var out []string
	for _, f := range report {
		for _, e := range f.Elements {
			out = append(out, fmt.Sprintf("%s:%d", f.URI, e.Line))
		}
	}
	return out
}

// Cucumber tag expressions select, and --list prints exactly what the run
// plays, outline rows included, whatever the tags, the shard and the
// shuffle (defects 2 and 4: --list ignored --tags, disagreed with --shard
// and showed an outline once).
func TestList_IsWhatTheRunPlays(t *testing.T) {
	suite := exampleSuite(t, features.Config{})
	dir := t.TempDir()
	f := writeFeature(t, dir, "mixed.feature", mixedFeature)
	uri := filepath.ToSlash(filepath.Clean(f))
	cases := []struct {
		opts features.RunOptions
		want []int // lines, in file order; nil: check only that list and run agree
	}{
		{features.RunOptions{Tags: "not @wip"}, []int{5, 10, 28, 29, 33}},
		{features.RunOptions{Tags: "@smoke and not @slow"}, []int{5}},
		{features.RunOptions{Tags: "@smoke or @names"}, []int{5, 10, 28, 29}},
		{features.RunOptions{Tags: "(@wip or @slow) and @mixed"}, []int{10, 16}},
		{features.RunOptions{Tags: "not @wip", Shard: features.Shard{Index: 2, Total: 2}}, []int{10, 29}},
		{features.RunOptions{Tags: "not @wip", Random: 7}, nil},
		{features.RunOptions{Random: 42, Concurrency: 2}, nil},
	}
	for _, c := range cases {
		c.opts.Paths = []string{f}
		list, _, err := features.List(c.opts)
		if err != nil {
			t.Fatalf("%+v: %v", c.opts, err)
		}
		if c.want != nil {
			var want []string
			for _, l := range c.want {
				want = append(want, fmt.Sprintf("%s:%d", uri, l))
			}
			if !slices.Equal(list, want) {
				t.Errorf("tags %q shard %v: --list %v, want %v", c.opts.Tags, c.opts.Shard, list, want)
			}
		}
		report := filepath.Join(dir, "cucumber.json")
		c.opts.Formats = []string{"cucumber:" + report}
		if _, out, err := run(t, suite, c.opts); err != nil {
			t.Fatalf("%+v: %v\n%s", c.opts, err, out)
		}
		played := cucumberScenarios(t, report)
		if c.opts.Concurrency <= 1 && !slices.Equal(played, list) || !sameSet(played, list) {
			t.Errorf("tags %q shard %v seed %d: the run played %v, --list said %v", c.opts.Tags, c.opts.Shard, c.opts.Random, played, list)
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// An expression that cannot be read names --tags and is an error before
// anything runs, never a panic; a selection of nothing is an error, never
// a green run of nothing (defect 2).
func TestTags_BadExpressionsAndEmptySelectionsAreConfigErrors(t *testing.T) {
	suite := exampleSuite(t, features.Config{})
	dir := t.TempDir()
	f := writeFeature(t, dir, "mixed.feature", mixedFeature)
	empty := writeFeature(t, dir, "empty.feature", "")
	cases := []struct {
		paths []string
		tags  string
		want  string
	}{
		{[]string{f}, "@a &&", `--tags "@a &&": ~, && and , are godog's old syntax; as a Cucumber tag expression this reads --tags "@a"`},
		{[]string{f}, "@a,", `--tags "@a,"`},
		{[]string{f}, "&& @a", `--tags "&& @a"`},
		{[]string{f}, "@smoke && ~@slow", `this reads --tags "@smoke and not @slow"`},
		{[]string{f}, "@a and", `--tags "@a and": an operator lacks its operand`},
		{[]string{f}, "not", `--tags "not": an operator lacks its operand`},
		{[]string{f}, "(@a or @b", `--tags "(@a or @b": Unmatched (`},
		{[]string{f}, "@a @b", `--tags "@a @b": Expected operator`},
		{[]string{f}, "smoke", `--tags "smoke": "smoke" is not a tag: tags start with @`},
		{[]string{f}, "@smokee", `no scenarios matched: --tags "@smokee" selects none of the 6 scenarios`},
		{[]string{f}, "@smoke and @wip", "no scenarios matched"},
		// Counted and named among the scenarios the lines chose, not the
		// whole file's.
		{[]string{f + ":5"}, "@wip", `no scenarios matched: --tags "@wip" selects none of the 1 scenarios in ` + f + `:5 (tags in use: @mixed, @smoke)`},
		{[]string{empty}, "", "no scenarios matched: " + empty + " hold no scenario"},
		{[]string{empty}, "not @wip", "no scenarios matched"},
	}
	for _, c := range cases {
		opts := features.RunOptions{Paths: c.paths, Tags: c.tags}
		status, out, err := run(t, suite, opts)
		var ce *features.ConfigError
		if status != 2 || !errors.As(err, &ce) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("--tags %q: status %d, err %v; want 2 and a ConfigError naming %q\n%s", c.tags, status, err, c.want, out)
		}
		if _, _, err := features.List(opts); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("--list --tags %q: %v, want %q", c.tags, err, c.want)
		}
	}
	// A tag no scenario carries is worth a warning, even where the rest of
	// the expression selects.
	status, out, err := run(t, suite, features.RunOptions{Paths: []string{f}, Tags: "@smoke and not @wipp", Formats: []string{"progress"}})
	if status != 0 || err != nil || !strings.Contains(out, "warning: --tags names @wipp, which no scenario carries") {
		t.Errorf("misspelt negated tag: status %d, %v\n%s", status, err, out)
	}
}

// FILE:LINE runs exactly the scenario, Examples block or row at the line
// (defect 5: file:line was refused as a path), and the rerun format writes
// the failed ones so that a second run plays just them.
func TestFileLine_AndRerun(t *testing.T) {
	suite := exampleSuite(t, features.Config{})
	dir := t.TempDir()
	f := writeFeature(t, dir, "mixed.feature", mixedFeature)
	uri := filepath.ToSlash(filepath.Clean(f))
	lines := func(ls ...int) []string {
		var out []string
		for _, l := range ls {
			out = append(out, fmt.Sprintf("%s:%d", uri, l))
		}
		return out
	}
	cases := []struct {
		path string
		want []string
	}{
		{f + ":10", lines(10)},
		{f + ":12", lines(10)},         // a step line: its scenario
		{f + ":9", lines(10)},          // its tags
		{f + ":20", lines(28, 29, 33)}, // the outline: every row
		{f + ":29", lines(29)},         // one row
		{f + ":26", lines(28, 29)},     // an Examples block
		{f + ":25", lines(28, 29)},     // its tags
		{f + ":27", lines(28, 29)},     // its header
		{f + ":5:33", lines(5, 33)},    // several lines
		{f + ":33:5:33", lines(5, 33)}, // each once, in file order
	}
	for _, c := range cases {
		got, _, err := features.List(features.RunOptions{Paths: []string{c.path}})
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%s: %v %v, want %v", c.path, got, err, c.want)
		}
	}
	for _, bad := range []string{f + ":1", f + ":3", f + ":99"} {
		_, _, err := features.List(features.RunOptions{Paths: []string{bad}})
		if err == nil || !strings.Contains(err.Error(), "no scenario at line") {
			t.Errorf("%s: %v, want no scenario at line", bad, err)
		}
	}
	emptyRerun := writeFeature(t, dir, "empty-rerun.txt", "\n")
	if _, _, err := features.List(features.RunOptions{Paths: []string{"@" + emptyRerun}}); err == nil || !strings.Contains(err.Error(), "no scenarios matched: @"+emptyRerun+" lists no scenario") {
		t.Errorf("an empty rerun file: %v", err)
	}
	if _, _, err := features.List(features.RunOptions{Paths: []string{dir + ":3"}}); err == nil || !strings.Contains(err.Error(), "a directory takes no :LINE") {
		t.Errorf("dir:line: %v", err)
	}

	rerun := filepath.Join(dir, "out", "rerun.txt") // out/ does not exist yet
	status, out, err := run(t, suite, features.RunOptions{Paths: []string{f}, Formats: []string{"progress", "rerun:" + rerun}})
	if status != 1 || err != nil {
		t.Fatalf("status %d, %v\n%s", status, err, out)
	}
	data, err := os.ReadFile(rerun)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Fields(string(data)), lines(16, 33); !slices.Equal(got, want) {
		t.Errorf("rerun file %q, want %v", data, want)
	}
	got, _, err := features.List(features.RunOptions{Paths: []string{"@" + rerun}})
	if err != nil || !slices.Equal(got, lines(16, 33)) {
		t.Errorf("@rerun: %v %v", got, err)
	}
	report := filepath.Join(dir, "again.json")
	status, _, err = run(t, suite, features.RunOptions{Paths: strings.Fields(string(data)), Formats: []string{"cucumber:" + report}})
	if status != 1 || err != nil || !slices.Equal(cucumberScenarios(t, report), lines(16, 33)) {
		t.Errorf("rerun: status %d, %v, played %v", status, err, cucumberScenarios(t, report))
	}
	// The steps of a row chosen out of its outline keep their keywords and
	// lines: godog's ids for them are not the selection's.
	data, _ = os.ReadFile(report)
	var steps []struct {
		Elements []struct {
			Steps []struct {
				Keyword string `json:"keyword"`
				Line    int    `json:"line"`
			} `json:"steps"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(data, &steps); err != nil {
		t.Fatal(err)
	}
	row := steps[0].Elements[1].Steps
	if len(row) != 3 || row[0].Keyword != "Given " || row[0].Line != 21 || row[2].Keyword != "Then " || row[2].Line != 23 {
		t.Errorf("the row's steps: %+v", row)
	}
}

// Formats that would mix on standard output or overwrite one file are
// usage errors before anything runs (defect 12); a file format's directory
// is made (README's CI example once failed without reports/).
func TestFormats_CollisionsAreErrorsAndDirectoriesAreMade(t *testing.T) {
	suite := exampleSuite(t, features.Config{})
	dir := t.TempDir()
	f := writeFeature(t, dir, "ok.feature", "Feature: ok\n  Scenario: s\n    When the user opens the skill\n")
	same := filepath.Join(dir, "r.out")
	cases := []struct {
		formats []string
		want    string
	}{
		{[]string{"pretty", "junit"}, "--format pretty and --format junit both write to standard output"},
		{[]string{"progress", "cucumber", "html:" + filepath.Join(dir, "x.html")}, "--format progress and --format cucumber both write to standard output"},
		{[]string{"junit:" + same, "cucumber:" + same}, "both write " + same},
		{[]string{"junit:" + same, "html:" + filepath.Join(dir, ".", "r.out")}, "both write"},
		{[]string{"teamcity"}, `unknown format "teamcity"`},
		{[]string{"junit:"}, "empty file name"},
	}
	for _, c := range cases {
		status, _, err := run(t, suite, features.RunOptions{Paths: []string{f}, Formats: c.formats})
		if status != 2 || err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: status %d, %v; want 2, %q", c.formats, status, err, c.want)
		}
	}
	junit := filepath.Join(dir, "reports", "ci", "junit.xml")
	status, out, err := run(t, suite, features.RunOptions{Paths: []string{f}, Formats: []string{"progress", "junit:" + junit, "html:" + filepath.Join(dir, "reports", "r.html")}})
	if status != 0 || err != nil {
		t.Fatalf("status %d, %v\n%s", status, err, out)
	}
	if _, err := os.Stat(junit); err != nil {
		t.Errorf("the junit report's directory was not made: %v", err)
	}
}

// A configuration error leaves the report files as they were: a clash of
// two formats found after the first file was created truncated a report of
// an earlier run, and so did an endpoint that does not answer. Nothing is
// created either, not even a report's directory.
func TestFormats_ConfigErrorsLeaveReportsAlone(t *testing.T) {
	dir := t.TempDir()
	f := writeFeature(t, dir, "ok.feature", "Feature: ok\n  Scenario: s\n    When the user opens the skill\n")
	junit := writeFeature(t, dir, "junit.xml", "an earlier run's report")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String() + "/alexa"
	l.Close()
	ep, err := simulator.HTTPEndpoint(closed)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		suite   *features.Suite
		formats []string
		want    string
	}{
		{exampleSuite(t, features.Config{}), []string{"junit:" + junit, "cucumber:" + junit}, "both write"},
		{exampleSuite(t, features.Config{}), []string{"junit:" + junit, "html:" + filepath.Join(dir, "new", "r.html"), "progress", "pretty"}, "both write to standard output"},
		{exampleSuite(t, features.Config{Endpoint: ep}), []string{"junit:" + junit, "html:" + filepath.Join(dir, "new", "r.html")}, "does not answer"},
	}
	for _, c := range cases {
		writeFeature(t, dir, "junit.xml", "an earlier run's report")
		if err := os.RemoveAll(filepath.Join(dir, "new")); err != nil {
			t.Fatal(err)
		}
		status, out, err := run(t, c.suite, features.RunOptions{Paths: []string{f}, Formats: c.formats})
		if status != 2 || err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: status %d, %v; want 2, %q\n%s", c.formats, status, err, c.want, out)
		}
		if b, err := os.ReadFile(junit); err != nil || string(b) != "an earlier run's report" {
			t.Errorf("%v: the earlier report became %q (%v)", c.formats, b, err)
		}
		if _, err := os.Stat(filepath.Join(dir, "new")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%v: a report directory was made before the error: %v", c.formats, err)
		}
	}
}

const failingOutline = `Feature: outline
  Scenario Outline: speech
    Given the consent scenario "email"
    When the user invokes "GetEmailIntent"
    Then Alexa says "<speech>"
    And the session stays open

    Examples:
      | speech                          |
      | Your email is jane@example.com. |
      | Hello there                     |
`

// Without colour, a log still tells passed, failed and skipped steps
// apart, names the failing outline row, shows the step definitions
// nowhere, and tells each failure once, under its step (defects 3 and 8).
func TestPretty_MarksWithoutColourAndEachFailureOnce(t *testing.T) {
	suite := exampleSuite(t, features.Config{})
	f := writeFeature(t, t.TempDir(), "outline.feature", failingOutline)
	status, out, err := run(t, suite, features.RunOptions{Paths: []string{f}, Version: "v9.9.9"})
	if status != 1 || err != nil {
		t.Fatalf("status %d, %v\n%s", status, err, out)
	}
	if strings.Contains(out, "\x1b[") {
		t.Errorf("colour codes without colour:\n%q", out)
	}
	for _, want := range []string{
		"asksim v9.9.9 · bundled example skill · Alexa API http://127.0.0.1:", // the header
		"    ✔ Given the consent scenario \"email\"",
		"    ✘ Then Alexa says \"Hello there\"",
		"    ↷ And the session stays open",
		"Examples row [speech=Hello there]",
		"        expected Alexa to say \"Hello there\"\n        got:     \"Your email is jane@example.com.\"",
		"        Conversation so far",
		"2 scenarios (1 passed, 1 failed)",
		"8 steps (6 passed, 1 failed, 1 skipped)",
		"Failed scenarios:\n  " + filepath.ToSlash(filepath.Clean(f)) + ":11  # speech [speech=Hello there]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("pretty output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, `expected Alexa to say "Hello there"`); n != 1 {
		t.Errorf("the failure is told %d times, want once:\n%s", n, out)
	}
	for _, gone := range []string{"steps.go", "-> *world", "after scenario hook", "step error"} {
		if strings.Contains(out, gone) {
			t.Errorf("pretty output holds %q:\n%s", gone, out)
		}
	}
	// A turn's latency is on its step.
	if !regexp.MustCompile(`✔ When the user invokes "GetEmailIntent"  [0-9.]+ ms`).MatchString(out) {
		t.Errorf("no latency on the turn's step:\n%s", out)
	}
}

// JUnit carries each failure once: a classname, the first line in the
// message attribute, the detail in the element, the conversation in
// <system-out>; Cucumber JSON carries the failure once in its step and the
// turns' JSON and the conversation as embeddings; each step names its own
// definition (defects 3 and 13: "after scenario hook failed", and every
// step at steps.go:48 -> *world).
func TestMachineReports_FailureOnceWithTranscripts(t *testing.T) {
	suite := exampleSuite(t, features.Config{})
	dir := t.TempDir()
	f := writeFeature(t, dir, "outline.feature", failingOutline)
	junitFile, cukeFile := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "cucumber.json")
	status, out, err := run(t, suite, features.RunOptions{Paths: []string{f}, Formats: []string{"progress", "junit:" + junitFile, "cucumber:" + cukeFile}})
	if status != 1 || err != nil {
		t.Fatalf("status %d, %v\n%s", status, err, out)
	}
	if n := strings.Count(out, `expected Alexa to say "Hello there"`); n != 1 {
		t.Errorf("progress tells the failure %d times:\n%s", n, out)
	}
	data, _ := os.ReadFile(junitFile)
	var suites struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Classname string `xml:"classname,attr"`
				Name      string `xml:"name,attr"`
				Failures  []struct {
					Message string `xml:"message,attr"`
					Body    string `xml:",chardata"`
				} `xml:"failure"`
				SystemOut string `xml:"system-out"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &suites); err != nil {
		t.Fatalf("junit: %v\n%s", err, data)
	}
	if suites.Tests != 2 || suites.Failures != 1 || len(suites.Suites) != 1 || len(suites.Suites[0].Cases) != 2 {
		t.Fatalf("junit counts: %+v", suites)
	}
	for _, c := range suites.Suites[0].Cases {
		if c.Classname != "outline" {
			t.Errorf("classname %q, want the feature's name", c.Classname)
		}
		if !strings.Contains(c.SystemOut, `1. User: invokes "GetEmailIntent"`) || !strings.Contains(c.SystemOut, "Alexa API: GET /v2/accounts/~current/settings/Profile.email → 200") {
			t.Errorf("system-out of %q lacks the conversation:\n%s", c.Name, c.SystemOut)
		}
	}
	failed := suites.Suites[0].Cases[1]
	if len(failed.Failures) != 1 || failed.Failures[0].Message != `expected Alexa to say "Hello there"` ||
		strings.Count(failed.Failures[0].Body, "got:") != 1 || !strings.Contains(failed.Failures[0].Body, "outline.feature:5") {
		t.Errorf("junit failure: %+v", failed.Failures)
	}
	if failed.Name != "speech [speech=Hello there]" {
		t.Errorf("the row's testcase is named %q", failed.Name)
	}
	if strings.Contains(string(data), "hook") {
		t.Errorf("junit mentions a hook:\n%s", data)
	}

	data, _ = os.ReadFile(cukeFile)
	var report []struct {
		Elements []struct {
			Steps []struct {
				Name  string `json:"name"`
				Match struct {
					Location string `json:"location"`
				} `json:"match"`
				Result struct {
					Status string `json:"status"`
					Error  string `json:"error_message"`
				} `json:"result"`
				Embeddings []struct {
					MimeType string `json:"mime_type"`
					Data     []byte `json:"data"`
					Name     string `json:"name"`
				} `json:"embeddings"`
			} `json:"steps"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "expected Alexa to say"); n != 1 {
		t.Errorf("cucumber JSON tells the failure %d times (embeddings are base64)", n)
	}
	steps := report[0].Elements[1].Steps
	locations := map[string]bool{}
	for _, st := range steps {
		if !regexp.MustCompile(`^features/steps\.go:\d+$`).MatchString(st.Match.Location) {
			t.Errorf("step %q defined at %q", st.Name, st.Match.Location)
		}
		locations[st.Match.Location] = true
	}
	if len(locations) != len(steps) {
		t.Errorf("%d steps, %d definitions: %v", len(steps), len(locations), locations)
	}
	invoke, says := steps[1], steps[2]
	if len(invoke.Embeddings) != 2 || invoke.Embeddings[0].MimeType != "application/json" || !json.Valid(invoke.Embeddings[0].Data) ||
		!strings.Contains(string(invoke.Embeddings[0].Data), `"GetEmailIntent"`) || !strings.Contains(string(invoke.Embeddings[1].Data), "Your email is") {
		t.Errorf("the invoking step's embeddings: %+v", invoke.Embeddings)
	}
	if len(says.Embeddings) != 1 || says.Embeddings[0].MimeType != "text/plain" || !strings.Contains(string(says.Embeddings[0].Data), "1. User: invokes \"GetEmailIntent\"") {
		t.Errorf("the failing step carries no conversation: %+v", says.Embeddings)
	}
	if says.Result.Status != "failed" || strings.Contains(says.Result.Error, "Conversation so far") || steps[3].Result.Status != "skipped" {
		t.Errorf("step results: %+v / %+v", says.Result, steps[3].Result)
	}
}

// misbehaving answers every request with speech that breaks the SSML
// rules: the contract fails it, unless the run is lenient.
var misbehaving = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, `{"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":"<speak>Bye & thanks.</speak>"},"shouldEndSession":true}}`)
})

// Cucumber JSON gives each tag the line it is written on, as
// cucumber-js does: a scenario carries its feature's, its own and its
// Examples' tags, each at its own line, not all at the scenario's line.
func TestCucumber_TagsAtTheirOwnLines(t *testing.T) {
	suite := exampleSuite(t, features.Config{})
	dir := t.TempDir()
	f := writeFeature(t, dir, "mixed.feature", mixedFeature)
	cukeFile := filepath.Join(dir, "cucumber.json")
	status, out, err := run(t, suite, features.RunOptions{Paths: []string{f}, Tags: "@smoke or @names", Formats: []string{"progress", "cucumber:" + cukeFile}})
	if status != 0 || err != nil {
		t.Fatalf("status %d, %v\n%s", status, err, out)
	}
	data, err := os.ReadFile(cukeFile)
	if err != nil {
		t.Fatal(err)
	}
	type tag struct {
		Name string `json:"name"`
		Line int    `json:"line"`
	}
	var report []struct {
		Line     int   `json:"line"`
		Tags     []tag `json:"tags"`
		Elements []struct {
			Line int   `json:"line"`
			Tags []tag `json:"tags"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatal(err)
	}
	if len(report) != 1 {
		t.Fatalf("%d features in the report", len(report))
	}
	if want := []tag{{"@mixed", 1}}; !slices.Equal(report[0].Tags, want) {
		t.Errorf("the feature's tags: %v, want %v", report[0].Tags, want)
	}
	want := map[int][]tag{
		5:  {{"@mixed", 1}, {"@smoke", 4}},
		10: {{"@mixed", 1}, {"@slow", 9}, {"@smoke", 9}},
		28: {{"@mixed", 1}, {"@names", 25}},
		29: {{"@mixed", 1}, {"@names", 25}},
	}
	if len(report[0].Elements) != len(want) {
		t.Errorf("%d scenarios in the report, want %d", len(report[0].Elements), len(want))
	}
	for _, el := range report[0].Elements {
		if !slices.Equal(el.Tags, want[el.Line]) {
			t.Errorf("the scenario at line %d has tags %v, want %v", el.Line, el.Tags, want[el.Line])
		}
	}
}

// A lenient run passes a contract violation but says so, under the step
// that played the turn, as `send --lenient` does (defect 6: test --lenient
// hid them).
func TestLenient_ShowsWarnings(t *testing.T) {
	f := writeFeature(t, t.TempDir(), "bye.feature", "Feature: bye\n  Scenario: s\n    When the user opens the skill\n    Then the session ends\n")
	strict := exampleSuite(t, features.Config{Endpoint: simulator.HandlerEndpoint(misbehaving)})
	status, out, _ := run(t, strict, features.RunOptions{Paths: []string{f}})
	if status != 1 || !strings.Contains(out, "ssml-escape") {
		t.Errorf("strict: status %d\n%s", status, out)
	}
	lenient := exampleSuite(t, features.Config{Endpoint: simulator.HandlerEndpoint(misbehaving), Lenient: true})
	status, out, err := run(t, lenient, features.RunOptions{Paths: []string{f}})
	if status != 0 || err != nil {
		t.Fatalf("lenient: status %d, %v\n%s", status, err, out)
	}
	if !strings.Contains(out, "✔ When the user opens the skill") || !strings.Contains(out, "        ⚠ warning: ssml-escape at response.outputSpeech.ssml: unescaped '&'") {
		t.Errorf("lenient run hides the violation:\n%s", out)
	}
}

// delegating is a skill that delegates BookIntent's dialog to Alexa and
// never speaks during it.
var delegating = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	var env simulator.Envelope
	_ = json.NewDecoder(r.Body).Decode(&env)
	w.Header().Set("Content-Type", "application/json")
	if env.Request.Type == simulator.TypeIntentRequest && env.Request.DialogState != simulator.DialogCompleted {
		fmt.Fprint(w, `{"version":"1.0","response":{"directives":[{"type":"Dialog.Delegate"}],"shouldEndSession":false}}`)
		return
	}
	fmt.Fprint(w, `{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"Booked."},"shouldEndSession":true}}`)
})

const tripModel = `{"interactionModel":{"languageModel":{"invocationName":"trip planner",
 "intents":[{"name":"AMAZON.StopIntent","samples":[]},
  {"name":"BookIntent","slots":[{"name":"city","type":"AMAZON.City","samples":["to {city}","{city}"]}],
   "samples":["book a trip","book a trip to {city}"]}]},
 "dialog":{"delegationStrategy":"SKILL_RESPONSE","intents":[
   {"name":"BookIntent","confirmationRequired":false,"prompts":{},
    "slots":[{"name":"city","type":"AMAZON.City","elicitationRequired":true,"confirmationRequired":false,"prompts":{"elicitation":"Elicit.City"}}]}]},
 "prompts":[{"id":"Elicit.City","variations":[{"type":"PlainText","value":"Where to?"}]}]}}`

// On a delegated turn Alexa speaks the model's prompt, and the transcript
// says so (defect 11: it showed "Alexa: (nothing)" while the step
// asserting the prompt passed).
func TestTranscript_DelegatedTurnShowsWhatAlexaSpoke(t *testing.T) {
	m, err := model.ParseModel("trip.json", []byte(tripModel))
	if err != nil {
		t.Fatal(err)
	}
	suite := exampleSuite(t, features.Config{Endpoint: simulator.HandlerEndpoint(delegating), Model: m})
	f := writeFeature(t, t.TempDir(), "trip.feature", `Feature: trip
  Scenario: s
    When the user says "book a trip"
    Then Alexa says "Where to?"
    And Alexa says "Somewhere else"
`)
	status, out, _ := run(t, suite, features.RunOptions{Paths: []string{f}})
	if status != 1 {
		t.Fatalf("status %d\n%s", status, out)
	}
	if !strings.Contains(out, "✔ Then Alexa says \"Where to?\"") || !strings.Contains(out, `Alexa (dialog model): "Where to?"`) || strings.Contains(out, "(nothing)") {
		t.Errorf("the transcript contradicts the passing step:\n%s", out)
	}
	if !strings.Contains(out, "heard: BookIntent") || !strings.Contains(out, "sent: IntentRequest BookIntent (STARTED)") {
		t.Errorf("the transcript lacks what Alexa heard and sent:\n%s", out)
	}
}

// heard: names a launch, and the slots of an intent (defect 13).
func TestTranscript_HeardShowsLaunchAndSlots(t *testing.T) {
	suite := exampleSuite(t, features.Config{})
	f := writeFeature(t, t.TempDir(), "heard.feature", `Feature: heard
  Scenario: s
    When the user says "open example skill"
    And the user says "order two coffees"
    Then Alexa says "nothing of the kind"
`)
	_, out, _ := run(t, suite, features.RunOptions{Paths: []string{f}})
	for _, want := range []string{"1. User: says \"open example skill\"\n             heard: LaunchRequest", `heard: OrderIntent item="coffees" → "coffee" quantity="2"`} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q:\n%s", want, out)
		}
	}
}
