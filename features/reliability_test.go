package features_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/asksim/asksim/fakes/serve"
	"github.com/asksim/asksim/features"
	"github.com/asksim/asksim/simulator"
)

// takenAddr returns the address of a loopback port that stays taken for
// the test.
func takenAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l.Addr().String()
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// TestNewSuite_FailsCleanlyOnABadAddress is issue 14 defect 1: NewSuite's
// deferred cleanup closed its named result, nil on every error path, so a
// taken port or a non-loopback address panicked instead of returning an
// error.
func TestNewSuite_FailsCleanlyOnABadAddress(t *testing.T) {
	taken := takenAddr(t)
	for _, tc := range []struct {
		name string
		cfg  features.Config
		want []string
		is   error
	}{
		{"api port taken", features.Config{APIAddr: taken}, []string{"--api-addr", taken, "address in use"}, serve.ErrAddrInUse},
		{"oauth port taken", features.Config{OAuthAddr: taken}, []string{"--oauth-addr", taken}, nil},
		{"api not loopback", features.Config{APIAddr: "192.0.2.1:8700"}, []string{"--api-addr", "192.0.2.1:8700"}, serve.ErrNotLoopback},
		{"oauth not HOST:PORT", features.Config{OAuthAddr: "localhost"}, []string{"--oauth-addr", `"localhost"`}, serve.ErrBadAddr},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := features.NewSuite(context.Background(), tc.cfg)
			if err == nil {
				s.Close()
				t.Fatal("NewSuite succeeded")
			}
			if s != nil {
				t.Errorf("NewSuite returned a Suite with its error %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v is not %v", err, tc.is)
			}
			// A caller that defers Close before checking the error must
			// not panic either.
			if err := s.Close(); err != nil {
				t.Errorf("Close of the nil Suite: %v", err)
			}
		})
	}
}

// TestNewSuite_ErrorStopsWhatStarted: the Alexa API fake listens before
// the OAuth fake's address fails; the failed NewSuite must not leave it
// holding its port.
func TestNewSuite_ErrorStopsWhatStarted(t *testing.T) {
	api := freeAddr(t)
	_, err := features.NewSuite(context.Background(), features.Config{APIAddr: api, OAuthAddr: takenAddr(t)})
	if err == nil || !strings.Contains(err.Error(), "--oauth-addr") {
		t.Fatalf("NewSuite = %v, want the --oauth-addr error", err)
	}
	l, err := net.Listen("tcp", api)
	if err != nil {
		t.Fatalf("the Alexa API fake still holds %s after NewSuite failed: %v", api, err)
	}
	l.Close()
}

// docString returns a step with a doc string of n lines of width bytes.
func docString(n, width int) string {
	var b strings.Builder
	b.WriteString("    When the user opens the skill\n      \"\"\"\n")
	line := "      " + strings.Repeat("a", width) + "\n"
	for range n {
		b.WriteString(line)
	}
	b.WriteString("      \"\"\"\n")
	return b.String()
}

// TestFeatureLimits is issue 14 defect 4: a line of 64 KiB or more made
// the Gherkin parser panic, in `asksim test` and `--list` alike, and doc
// strings parsed in quadratic time. Each limit is an error naming the
// file and line, found before the parser runs long; what is within the
// limits parses.
func TestFeatureLimits(t *testing.T) {
	const head = "Feature: limits\n  Scenario: s\n"
	over := func(n int) string { return strings.Repeat("a", n) }
	for _, tc := range []struct {
		name    string
		content string
		want    string // "" when the file must parse
	}{
		{"line of 64 KiB", head + `    When the user says "` + over(64<<10) + "\"\n", "big.feature:3: the line is 65561 bytes long, more than 32768"},
		{"line at the limit", head + `    When the user says "` + over(features.MaxFeatureLineBytes-25) + "\"\n", ""},
		{"line past the limit", head + `    When the user says "` + over(features.MaxFeatureLineBytes-24) + "\"\n", "big.feature:3: the line is 32769 bytes long"},
		{"file of 5 MB", head + docString(5<<20/16, 10), "big.feature: the file is larger than 1048576 bytes"},
		{"doc string of too many lines", head + docString(features.MaxDocStringLines+1, 1), "big.feature:4: the doc string holds more than 1000 lines"},
		{"doc string of the most lines", head + docString(features.MaxDocStringLines, 1), ""},
		{"doc string of too many bytes", head + docString(10, 7<<10), "big.feature:4: the doc string holds more than 65536 bytes"},
		{"doc strings of too many bytes in all", head + strings.Repeat(docString(60, 1000), 5), "big.feature:256: the file's doc strings hold more than 262144 bytes (256 KiB) in all"},
		{"doc strings of the most bytes in all", head + strings.Repeat(docString(60, 1000), 4), ""},
		{"outline that expands past the bound", "Feature: f\n  Scenario Outline: o\n" + docString(900, 60) + "    Examples:\n      | n |\n" + strings.Repeat("      | 1 |\n", 700),
			"big.feature:2: the scenarios expand to more than 33554432 bytes (32 MiB) of steps"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFeature(t, t.TempDir(), "big.feature", tc.content)
			list, _, err := features.List(features.RunOptions{Paths: []string{path}})
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("List: %v", err)
			case tc.want == "" && len(list) == 0:
				t.Fatal("List found no scenario")
			case tc.want == "":
			case err == nil:
				t.Fatalf("List = %v, want an error", list)
			default:
				var ce *features.ConfigError
				if !errors.As(err, &ce) || !strings.Contains(err.Error(), filepath.Dir(path)+"/"+tc.want) {
					t.Errorf("error %v (%T), want a *ConfigError naming %q", err, err, tc.want)
				}
			}
		})
	}
}

// TestRun_RefusesALongLine: Suite.Run, what `asksim test` calls, reports
// the line before godog, whose parser panics on it, sees the file.
func TestRun_RefusesALongLine(t *testing.T) {
	path := writeFeature(t, t.TempDir(), "big.feature", "Feature: f\n  Scenario: s\n    When the user says \""+strings.Repeat("a", 70_000)+"\"\n")
	suite, err := features.NewSuite(context.Background(), features.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer suite.Close()
	var out bytes.Buffer
	status, err := suite.Run(features.RunOptions{Paths: []string{path}, Output: &out})
	var ce *features.ConfigError
	if status != 2 || !errors.As(err, &ce) || !strings.Contains(err.Error(), path+":3: the line is 70025 bytes long") {
		t.Fatalf("Run = %d, %v; want 2 and a *ConfigError naming %s:3", status, err, path)
	}
	if out.Len() != 0 {
		t.Errorf("godog ran: %s", out.String())
	}
}

// TestSteps_DeepJSONArguments: a value written in a step is JSON when it
// parses; nested past 64 levels it fails the step with a reason, in a data
// table's object cell (the profile's address) as in a quoted argument (the
// response at a path); a text cell is text, however it looks.
func TestSteps_DeepJSONArguments(t *testing.T) {
	deep := strings.Repeat("[", 100) + strings.Repeat("]", 100)
	path := writeFeature(t, t.TempDir(), "big.feature", `Feature: deep values
  Scenario: a profile cell
    Given the user's profile:
      | address | `+deep+` |

  Scenario: an expected value
    When the user opens the skill
    Then the response at "version" is `+deep+`

  Scenario: a dotted field
    Given the user's profile:
      | `+strings.Repeat("a.", 100)+`b | 1 |
`)
	suite, err := features.NewSuite(context.Background(), features.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer suite.Close()
	var out bytes.Buffer
	status, err := suite.Run(features.RunOptions{Paths: []string{path}, Output: &out, NoColors: true, Formats: []string{"pretty"}})
	if err != nil || status != 1 {
		t.Fatalf("Run = %d, %v, want 1 (failed)\n%s", status, err, out.String())
	}
	for _, want := range []string{
		"profile table row 1 (address = \"[[[[",
		"): the value nests JSON arrays and objects deeper than 64 levels",
		": field \"a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.\"… has 101 dotted parts",
		"3 scenarios (3 failed)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	// The expected value's error stands without the table's prefix.
	if !regexp.MustCompile(`\n +the value nests JSON arrays and objects deeper than 64 levels`).MatchString(out.String()) {
		t.Errorf("the response step's error is missing:\n%s", out.String())
	}
}

// TestRun_SkillFaultFailsTheScenario pins what asksim test shows when the
// skill answers 500, as docs/faults.md describes: the step fails with the
// fault, what was sent and how the body starts, the steps after it are
// skipped, the next scenario runs, and --lenient does not excuse it.
func TestRun_SkillFaultFailsTheScenario(t *testing.T) {
	var calls atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		calls.Add(1)
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, "TypeError: cannot read property 'slots' of undefined")
	}))
	defer ts.Close()
	ep, err := simulator.HTTPEndpoint(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	path := writeFeature(t, t.TempDir(), "big.feature", `Feature: a broken skill
  Scenario: first
    When the user opens the skill
    Then Alexa says "Welcome"

  Scenario: second
    When the user opens the skill
`)
	suite, err := features.NewSuite(context.Background(), features.Config{Endpoint: ep, Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	defer suite.Close()
	var out bytes.Buffer
	status, err := suite.Run(features.RunOptions{Paths: []string{path}, Output: &out, NoColors: true})
	if err != nil || status != 1 {
		t.Fatalf("Run = %d, %v; want 1\n%s", status, err, out.String())
	}
	for _, want := range []string{
		`skill fault (status): HTTP status 500 Internal Server Error, want 200; sent LaunchRequest to ` + ts.URL + `; body starts "TypeError: cannot read property 'slots' of undefined"`,
		"2 scenarios (2 failed)",
		"3 steps (2 failed, 1 skipped)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if calls.Load() != 2 {
		t.Errorf("the skill got %d requests, want one per scenario", calls.Load())
	}
}
