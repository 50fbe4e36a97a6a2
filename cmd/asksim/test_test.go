package main

import (
	"encoding/json"
	"encoding/xml"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	exampleskill "github.com/asksim/asksim/fixtures/skill"
)

const passingFeature = `Feature: greeting
  Scenario: the skill greets
    When the user opens the skill
    Then Alexa says something containing "Welcome"
`

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestTest_DefaultRunPassesAndWritesReports(t *testing.T) {
	dir := t.TempDir()
	junit, cucumber := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "cucumber.json")
	code, stdout, stderr := runCLI(t, "test", "--no-color", "--format", "progress,junit:"+junit, "--format", "cucumber:"+cucumber)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "passed") || strings.Contains(stdout, "failed") {
		t.Errorf("summary: %s", stdout)
	}
	var suites struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name string `xml:"name,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, &suites); err != nil {
		t.Fatalf("junit report is not XML: %v", err)
	}
	cases := 0
	for _, s := range suites.Suites {
		cases += len(s.Cases)
	}
	if suites.Tests == 0 || suites.Failures != 0 || cases != suites.Tests {
		t.Errorf("junit: tests=%d failures=%d cases=%d", suites.Tests, suites.Failures, cases)
	}
	var report []struct {
		URI      string `json:"uri"`
		Elements []struct {
			Steps []struct {
				Result struct{ Status string } `json:"result"`
			} `json:"steps"`
		} `json:"elements"`
	}
	data, err = os.ReadFile(cucumber)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatalf("cucumber report is not JSON: %v", err)
	}
	steps := 0
	for _, f := range report {
		for _, e := range f.Elements {
			for _, s := range e.Steps {
				steps++
				if s.Result.Status != "passed" {
					t.Errorf("%s: step status %q", f.URI, s.Result.Status)
				}
			}
		}
	}
	if len(report) == 0 || steps == 0 {
		t.Errorf("cucumber report holds %d features, %d steps", len(report), steps)
	}
}

// Every scenario lands in exactly one shard, for any shard count.
func TestTest_ShardSplitCoversEveryScenarioOnce(t *testing.T) {
	code, all, _ := runCLI(t, "test", "--list")
	if code != 0 {
		t.Fatal("list failed")
	}
	want := strings.Fields(all)
	if len(want) < 5 {
		t.Fatalf("only %d scenarios listed", len(want))
	}
	for n := 1; n <= 5; n++ {
		var got []string
		sizes := map[int]bool{}
		for i := 1; i <= n; i++ {
			_, out, _ := runCLI(t, "test", "--list", "--shard", strings.Join([]string{itoa(i), itoa(n)}, "/"))
			got = append(got, strings.Fields(out)...)
			sizes[len(strings.Fields(out))] = true
		}
		slices.Sort(got)
		sorted := slices.Clone(want)
		slices.Sort(sorted)
		if !slices.Equal(got, sorted) {
			t.Errorf("%d shards: union %v != all %v", n, got, sorted)
		}
		if len(sizes) > 2 {
			t.Errorf("%d shards: sizes %v differ by more than one", n, sizes)
		}
	}
	// A shard runs its scenarios and passes.
	code, stdout, stderr := runCLI(t, "test", "--no-color", "--format", "progress", "--shard", "2/3")
	if code != 0 {
		t.Fatalf("shard 2/3: exit %d\n%s%s", code, stdout, stderr)
	}
}

func itoa(i int) string { return string(rune('0' + i)) }

func TestTest_ParallelRuns(t *testing.T) {
	var wg sync.WaitGroup
	codes := make([]int, 3)
	outs := make([]string, 3)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var stdout, stderr string
			codes[i], stdout, stderr = runCLI(t, "test", "--format", "progress", "--no-color", "--concurrency", "2")
			outs[i] = stdout + stderr
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != 0 {
			t.Errorf("run %d: exit %d\n%s", i, c, outs[i])
		}
	}
}

// An endpoint nothing answers at is a configuration error, told once
// before anything runs (defect 10: every scenario failed with it, exit 1).
func TestTest_UnreachableEndpointIsAConfigurationError(t *testing.T) {
	f := writeFile(t, filepath.Join(t.TempDir(), "ok.feature"), passingFeature+passingFeature[strings.Index(passingFeature, "  Scenario"):])
	code, stdout, stderr := runCLI(t, "test", "--no-color", "--endpoint", "http://127.0.0.1:1/alexa", f)
	if code != 2 || !strings.Contains(stderr, "the skill at http://127.0.0.1:1/alexa does not answer") || strings.Count(stderr, "127.0.0.1:1") != 2 || stdout != "" {
		t.Errorf("exit %d, want 2 naming the endpoint once:\n%s%s", code, stdout, stderr)
	}
}

// Another skill's utterances resolve against the package given.
func TestTest_SkillPackageForUtterances(t *testing.T) {
	url := exampleSkill(t)
	voice := filepath.Join("..", "..", "features", "voice.feature")
	pkg := filepath.Join("..", "..", "fixtures", "skill", "skill-package")
	code, stdout, stderr := runCLI(t, "test", "--no-color", "--format", "progress", "--endpoint", url, "--skill-package", pkg, voice)
	if code != 0 {
		t.Fatalf("with --skill-package: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, "test", "--no-color", "--format", "progress", "--endpoint", url, voice)
	if code != 2 || !strings.Contains(stderr, "--skill-package") || strings.Count(stderr, "no interaction model") != 1 || stdout != "" {
		t.Errorf("without a package: exit %d, want 2 and one hint at --skill-package, before anything runs:\n%s%s", code, stdout, stderr)
	}
	code, _, stderr = runCLI(t, "test", "--endpoint", url, "--skill-package", filepath.Join(t.TempDir(), "nope"), voice)
	if code != 2 || !strings.Contains(stderr, "--skill-package") {
		t.Errorf("missing package: exit %d, %s", code, stderr)
	}
}

// tls: true in asksim.yaml serves the fakes from the persistent CA in
// ca-dir, relative to the file; the bundled features, which read the
// profile and link accounts through the fakes, pass over HTTPS.
func TestTest_TLSFromProjectConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, filepath.Join(dir, "asksim.yaml"), "tls: true\nca-dir: ca\nformat: [progress]\n")
	code, stdout, stderr := runCLI(t, "test", "--config", cfg, "--no-color")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "ca", "rootCA.pem")); err != nil {
		t.Errorf("no CA in ca-dir relative to the config file: %v", err)
	}
	if !strings.Contains(stderr, "created a local CA") {
		t.Errorf("stderr does not say a CA was created:\n%s", stderr)
	}
	code, _, stderr = runCLI(t, "test", "--ca-dir", dir)
	if code != exitUsage || !strings.Contains(stderr, "--ca-dir needs --tls") {
		t.Errorf("--ca-dir without --tls: exit %d, %s", code, stderr)
	}
}

// exampleSkill serves the example skill, which reads the profile through
// the envelope's apiEndpoint.
func exampleSkill(t *testing.T) string {
	t.Helper()
	ts := httptest.NewServer(exampleskill.New(exampleskill.Options{}))
	t.Cleanup(ts.Close)
	return ts.URL
}
