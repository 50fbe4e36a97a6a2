package main

// The CLI side of issue 13: selection, formats and reports as a QA user
// meets them, configuration errors before the run, linked accounts outside
// `test`, and the smaller defects of the QA trial.

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/oauth"
	"github.com/asksim/asksim/fakes/serve"
	exampleskill "github.com/asksim/asksim/fixtures/skill"
)

const taggedFeature = `Feature: tagged
  @smoke
  Scenario: greets
    When the user opens the skill
    Then Alexa says something containing "Welcome"

  @wip
  Scenario: not done
    When the user opens the skill
    Then Alexa says "Hello there"

  Scenario Outline: names
    Given the consent scenario "<consent>"
    When the user invokes "GetNameIntent"
    Then Alexa says something matching "<speech>"

    Examples:
      | consent | speech                    |
      | name    | ^Your name is Jane Doe\.$ |
      | none    | ^Nope                     |
`

// Tag expressions that godog panicked on, or that selected nothing and
// exited 0, are usage errors naming --tags (defect 2).
func TestCLI_TagExpressions(t *testing.T) {
	f := writeFile(t, filepath.Join(t.TempDir(), "tagged.feature"), taggedFeature)
	for _, c := range []struct {
		tags, want string
	}{
		{"@a &&", `--tags "@a &&"`},
		{"@a,", `--tags "@a,"`},
		{"&& @a", `--tags "&& @a"`},
		{"@smoke and", "an operator lacks its operand"},
		{"@smok", "no scenarios matched"},
		{"@smoke and @wip", "no scenarios matched"},
	} {
		code, stdout, stderr := runCLI(t, "test", "--no-color", "--tags", c.tags, f)
		if code != 2 || !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("--tags %q: exit %d, want 2 naming %q\n%s%s", c.tags, code, c.want, stdout, stderr)
		}
	}
	empty := writeFile(t, filepath.Join(t.TempDir(), "empty.feature"), "")
	if code, _, stderr := runCLI(t, "test", empty); code != 2 || !strings.Contains(stderr, "no scenarios matched") {
		t.Errorf("an empty feature file: exit %d, %s", code, stderr)
	}
	code, stdout, stderr := runCLI(t, "test", "--no-color", "--format", "progress", "--tags", "not @wip and not @nope", f+":3:19")
	if code != 0 || !strings.Contains(stdout, "2 scenarios (2 passed)") || !strings.Contains(stderr, "@nope, which no scenario carries") {
		t.Errorf("not @wip: exit %d\n%s%s", code, stdout, stderr)
	}
}

// --list prints what the run plays, outline rows included, with --tags and
// --shard applied (defect 4); FILE:LINE is a path (defect 5).
func TestCLI_ListIsTheRun(t *testing.T) {
	f := writeFile(t, filepath.Join(t.TempDir(), "tagged.feature"), taggedFeature)
	uri := filepath.ToSlash(filepath.Clean(f))
	code, stdout, stderr := runCLI(t, "test", "--list", "--tags", "not @wip", f)
	if want := uri + ":3\n" + uri + ":19\n" + uri + ":20\n"; code != 0 || stdout != want {
		t.Errorf("--list --tags 'not @wip': exit %d\n%q, want\n%q\n%s", code, stdout, want, stderr)
	}
	code, stdout, _ = runCLI(t, "test", "--list", "--shard", "2/2", f)
	if want := uri + ":8\n" + uri + ":20\n"; code != 0 || stdout != want {
		t.Errorf("--list --shard 2/2: %q, want %q", stdout, want)
	}
	code, stdout, _ = runCLI(t, "test", "--list", f+":20")
	if code != 0 || stdout != uri+":20\n" {
		t.Errorf("--list FILE:ROW: exit %d %q", code, stdout)
	}
	junit := filepath.Join(t.TempDir(), "j.xml")
	code, _, stderr = runCLI(t, "test", "--format", "junit:"+junit, f+":20")
	data, _ := os.ReadFile(junit)
	if code != 1 || strings.Count(string(data), "<testcase ") != 1 || !strings.Contains(string(data), `name="names [consent=none, speech=^Nope]"`) {
		t.Errorf("FILE:ROW runs the row alone: exit %d, %s\n%s", code, stderr, data)
	}
}

// Without colour the marks tell outcomes apart; the failure is told once,
// with no hook, no step definition column (defects 3 and 8).
func TestCLI_PrettyWithoutColour(t *testing.T) {
	f := writeFile(t, filepath.Join(t.TempDir(), "tagged.feature"), taggedFeature)
	code, stdout, _ := runCLI(t, "test", "--no-color", "--tags", "@wip", f)
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
	for _, want := range []string{"✔ When the user opens the skill", `✘ Then Alexa says "Hello there"`, "1 scenarios (1 failed)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Count(stdout, `expected Alexa to say "Hello there"`) != 1 || strings.Contains(stdout, "hook") || strings.Contains(stdout, "steps.go") {
		t.Errorf("the failure is not told once, plainly:\n%s", stdout)
	}
}

// Two formats on stdout, or two on one file, are usage errors (defect 12);
// a format's missing directory is made (README's CI example, defect 13).
func TestCLI_OutputCollisionsAndReportDirectories(t *testing.T) {
	dir := t.TempDir()
	f := writeFile(t, filepath.Join(dir, "ok.feature"), passingFeature)
	if code, _, stderr := runCLI(t, "test", "--format", "progress", "--format", "junit", f); code != 2 || !strings.Contains(stderr, "both write to standard output") {
		t.Errorf("two on stdout: exit %d, %s", code, stderr)
	}
	same := filepath.Join(dir, "out.xml")
	if code, _, stderr := runCLI(t, "test", "--format", "junit:"+same+",cucumber:"+same, f); code != 2 || !strings.Contains(stderr, "both write "+same) {
		t.Errorf("two on one file: exit %d, %s", code, stderr)
	}
	reports := filepath.Join(dir, "reports")
	code, _, stderr := runCLI(t, "test", "--format", "progress", "--format", "junit:"+reports+"/junit.xml", "--format", "cucumber:"+reports+"/cucumber.json",
		"--format", "html:"+reports+"/report.html", "--format", "rerun:"+reports+"/rerun.txt", f)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{"junit.xml", "cucumber.json", "report.html", "rerun.txt"} {
		if _, err := os.Stat(filepath.Join(reports, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	data, _ := os.ReadFile(filepath.Join(reports, "junit.xml"))
	var suites struct {
		Suites []struct {
			Cases []struct {
				Classname string `xml:"classname,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &suites); err != nil || suites.Suites[0].Cases[0].Classname != "greeting" {
		t.Errorf("junit classname: %v\n%s", err, data)
	}
}

// The rerun file runs the failed scenarios again, and only them.
func TestCLI_Rerun(t *testing.T) {
	dir := t.TempDir()
	f := writeFile(t, filepath.Join(dir, "tagged.feature"), taggedFeature)
	rerun := filepath.Join(dir, "rerun.txt")
	if code, _, stderr := runCLI(t, "test", "--format", "progress", "--format", "rerun:"+rerun, f); code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, _ := os.ReadFile(rerun)
	uri := filepath.ToSlash(filepath.Clean(f))
	if string(data) != uri+":8\n"+uri+":20\n" {
		t.Errorf("rerun file %q", data)
	}
	code, stdout, _ := runCLI(t, "test", "--no-color", "--format", "progress", "@"+rerun)
	if code != 1 || !strings.Contains(stdout, "2 scenarios (2 failed)") {
		t.Errorf("@rerun: exit %d\n%s", code, stdout)
	}
}

// The smaller defects of the QA trial (defect 13).
func TestCLI_SmallerDefects(t *testing.T) {
	if code, _, stderr := runCLI(t, "test", "--timeout", "-1s"); code != 2 || !strings.Contains(stderr, "--timeout -1s: want a positive duration") {
		t.Errorf("--timeout -1s: exit %d, %s", code, stderr)
	}
	for _, args := range [][]string{{"test", "--locale", "xx-YY"}, {"envelope", "launch", "--locale", "xx-YY"}} {
		if code, _, stderr := runCLI(t, args...); code != 2 || !strings.Contains(stderr, `locale "xx-YY": Alexa has no such locale`) {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
	}
	code, stdout, _ := runCLI(t, "token", "--help")
	if code != 0 || !strings.Contains(stdout, "  decode ") || !strings.Contains(stdout, "  keygen ") {
		t.Errorf("token --help: exit %d, %s", code, stdout)
	}
	if code, stdout, _ := runCLI(t, "--version"); code != 0 || !strings.HasPrefix(stdout, "asksim ") {
		t.Errorf("--version: exit %d, %q", code, stdout)
	}

	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "features", "ok.feature"), passingFeature)
	cfg := writeFile(t, filepath.Join(dir, "asksim.yaml"), "paths: [features]\nrandom: true\n")
	if code, stdout, stderr := runCLI(t, "test", "--config", cfg, "--list"); code != 0 || !regexp.MustCompile(`shuffled with --random=\d+`).MatchString(stderr) || stdout == "" {
		t.Errorf("random: true: exit %d\n%s%s", code, stdout, stderr)
	}
	cfg = writeFile(t, filepath.Join(dir, "bad.yaml"), "random: maybe\n")
	if code, _, stderr := runCLI(t, "test", "--config", cfg); code != 2 || !strings.Contains(stderr, `bad.yaml:1: random: "maybe" is not a seed (a whole number), or true to pick one`) || strings.Contains(stderr, "strconv") {
		t.Errorf("random: maybe: exit %d, %s", code, stderr)
	}
	cfg = writeFile(t, filepath.Join(dir, "typo.yaml"), "timout: 3s\n")
	code, _, stderr := runCLI(t, "test", "--config", cfg)
	valid := regexp.MustCompile(`\(valid: (.*)\)`).FindStringSubmatch(stderr)
	if code != 2 || valid == nil || !slices.Contains(strings.Split(valid[1], ", "), "timeout") || !slices.Contains(strings.Split(valid[1], ", "), "paths") {
		t.Errorf("the valid keys: exit %d, %s", code, stderr)
	}
}

// A wrong password says why the login failed and what to do.
func TestCLI_LinkWrongPassword(t *testing.T) {
	code, stdout, stderr := runCLI(t, "link", "--password", "wrong")
	if code != 1 || !strings.Contains(stderr, `the login as "alice" failed: the OAuth fake knows the users alice and bob`) {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if strings.Contains(stdout, "<!doctype") || !strings.Contains(stdout, "Wrong username or password.") || !strings.Contains(stdout, "Not checked, as linking stopped at authorize.redirect") {
		t.Errorf("the report:\n%s", stdout)
	}
}

// safeBuffer is a bytes.Buffer two goroutines may use.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// asksim fakes prints the OAuth fake's users and client credentials and the
// command that gets a token; link --print-token prints a token that fake
// keeps accepting; the fake's log says "oauth:" once a line (defect 13).
func TestCLI_FakesAccountsAndPrintToken(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out, errw safeBuffer
	done := make(chan int, 1)
	oauthAddr := freeAddr(t)
	go func() {
		done <- run(ctx, []string{"fakes", "--oauth-addr", oauthAddr}, strings.NewReader(""), &out, &errw)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), "Serving until interrupted") {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("no banner:\n%s%s", out.String(), errw.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	banner := out.String()
	for _, want := range []string{"OAuth client: alexa-skill, secret ", "OAuth users:  alice / ", ", bob / ", "--print-token"} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	cmdLine := regexp.MustCompile(`asksim (link .*--print-token)`).FindStringSubmatch(banner)
	if cmdLine == nil {
		cancel()
		t.Fatalf("no link command in the banner:\n%s", banner)
	}
	code, token, stderr := runCLI(t, strings.Fields(cmdLine[1])...)
	token = strings.TrimSpace(token)
	if code != 0 || token == "" || strings.Contains(token, "\n") || !strings.Contains(stderr, "PASS") {
		cancel()
		t.Fatalf("link --print-token: exit %d, stdout %q\n%s", code, token, stderr)
	}
	req, _ := http.NewRequest(http.MethodGet, "http://"+oauthAddr+"/userinfo", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "alice") {
		t.Errorf("the printed token at /userinfo: %d %s", resp.StatusCode, body)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("fakes exit %d", code)
	}
	log := errw.String()
	if !strings.Contains(log, "oauth: ") || strings.Contains(log, "oauth: oauth:") {
		t.Errorf("the fakes' log:\n%s", log)
	}
}

// send --consent email+linked links through the OAuth fake it serves, so
// that a skill's userinfo call works, as in `test` (defect 9: a dummy
// token the fake refused).
func TestCLI_SendLinksThroughTheOAuthFake(t *testing.T) {
	oauthAddr := freeAddr(t)
	ts := httptest.NewServer(exampleskill.New(exampleskill.Options{UserInfoURL: "http://" + oauthAddr + "/userinfo"}))
	defer ts.Close()
	code, stdout, stderr := runCLIStdin(t, "", "send", "--endpoint", ts.URL, "--consent", "email+linked", "--oauth-addr", oauthAddr, "intent", "AccountIntent")
	if code != 0 || !strings.Contains(stdout, "You are linked as Alice Example") || !strings.Contains(stderr, "linked as alice through the OAuth fake at http://"+oauthAddr) {
		t.Errorf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if code, _, stderr := runCLIStdin(t, "", "send", "--endpoint", ts.URL, "--oauth-addr", oauthAddr, "launch"); code != 2 || !strings.Contains(stderr, "give --consent email+linked") {
		t.Errorf("--oauth-addr without a linked consent: exit %d, %s", code, stderr)
	}
	code, _, stderr = runCLI(t, "envelope", "launch", "--consent", "email+linked")
	if code != 0 || !strings.Contains(stderr, "placeholder") || !strings.Contains(stderr, "--print-token") {
		t.Errorf("envelope with a placeholder token: exit %d, %s", code, stderr)
	}
	_ = oauth.DefaultConfig
	_ = serve.DefaultAddr
}

// steps --json is the vocabulary for editors: every example matches its
// pattern, with one argument a capture group, and the fixed sets listed.
func TestCLI_StepsJSON(t *testing.T) {
	code, stdout, _ := runCLI(t, "steps", "--json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var steps []struct {
		Kind, Pattern, Example, Doc string
		Arguments                   []struct {
			Quoted bool
			Values []string
		}
	}
	if err := json.Unmarshal([]byte(stdout), &steps); err != nil || len(steps) < 30 {
		t.Fatalf("%v: %d steps", err, len(steps))
	}
	withValues := 0
	for _, s := range steps {
		re, err := regexp.Compile(s.Pattern)
		if err != nil {
			t.Fatalf("%s: %v", s.Pattern, err)
		}
		if !re.MatchString(s.Example) || re.NumSubexp() != len(s.Arguments) || s.Doc == "" || s.Kind == "" {
			t.Errorf("%+v", s)
		}
		for _, a := range s.Arguments {
			if len(a.Values) > 0 {
				withValues++
			}
		}
		if strings.HasPrefix(s.Example, "the consent scenario") && !slices.Contains(s.Arguments[0].Values, "email+linked") {
			t.Errorf("consent scenarios: %+v", s.Arguments)
		}
	}
	if withValues < 9 {
		t.Errorf("%d arguments list their values, want the 9 of fixed sets", withValues)
	}
	code, stdout, _ = runCLI(t, "steps")
	if code != 0 || !strings.Contains(stdout, `\" is a`) || !strings.Contains(stdout, "never read as JSON") {
		t.Errorf("steps does not say how arguments and cells are read:\n%s", stdout[:min(len(stdout), 600)])
	}
}

// asksim dialog reads a script from a stdin that is not a terminal, and
// what it records asksim test replays green.
func TestCLI_DialogRecordsWhatTestReplays(t *testing.T) {
	rec := filepath.Join(t.TempDir(), "dialog.feature")
	code, stdout, stderr := runCLIStdin(t, "open example skill\norder two teas\nno\n.quit\n", "dialog", "--consent", "email", "--record", rec)
	if code != 0 || !strings.Contains(stdout, "> order two teas") || !strings.Contains(stdout, `Alexa: "Okay, I won't place that order."`) {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, "test", "--no-color", "--format", "progress", rec)
	if code != 0 || !strings.Contains(stdout, "1 scenarios (1 passed)") {
		t.Errorf("replay: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := runCLI(t, "dialog", "--consent", "all"); code != 2 || !strings.Contains(stderr, "--consent") {
		t.Errorf("bad consent: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "dialog", "--endpoint", "http://127.0.0.1:1/"); code != 2 || !strings.Contains(stderr, "does not answer") {
		t.Errorf("no skill: exit %d, %s", code, stderr)
	}
}
