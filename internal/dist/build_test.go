package dist

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBuild_ReproducibleAcrossRuns(t *testing.T) {
	out1, rel1 := fakeRelease(t)
	// Apart in time, so that any file time that leaked would differ.
	time.Sleep(1100 * time.Millisecond)
	out2, rel2 := fakeRelease(t)
	sums1, sums2 := readFile(t, filepath.Join(out1, "SHA256SUMS")), readFile(t, filepath.Join(out2, "SHA256SUMS"))
	if !bytes.Equal(sums1, sums2) {
		t.Fatalf("two runs differ:\n%s\n---\n%s", sums1, sums2)
	}
	if len(rel1.Artifacts) != 1+3*len(Platforms) || len(rel2.Artifacts) != len(rel1.Artifacts) {
		t.Fatalf("%d artifacts, want %d", len(rel1.Artifacts), 1+3*len(Platforms))
	}
	// SHA256SUMS says what is on disk, sorted, in sha256sum's format.
	lines := strings.Split(strings.TrimSuffix(string(sums1), "\n"), "\n")
	for i, a := range rel1.Artifacts {
		data := readFile(t, filepath.Join(out1, filepath.FromSlash(a.Path)))
		if want := fmt.Sprintf("%x  %s", sha256.Sum256(data), a.Path); lines[i] != want {
			t.Errorf("SHA256SUMS line %d is %q, want %q", i+1, lines[i], want)
		}
		if i > 0 && rel1.Artifacts[i-1].Path >= a.Path {
			t.Errorf("SHA256SUMS not sorted at %s", a.Path)
		}
	}
	if sha, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command(sha, "--check", "--quiet", "SHA256SUMS")
		cmd.Dir = out1
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sha256sum --check: %v\n%s", err, b)
		}
	}
}

func TestBuild_ReplacesItsOwnOutputOnly(t *testing.T) {
	out := filepath.Join(t.TempDir(), "dist")
	stale := filepath.Join(out, "npm", "asksim-0.0.1.tgz")
	keep := filepath.Join(out, "notes.txt")
	for _, f := range []string{stale, keep} {
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Build(context.Background(), Config{Out: out, Version: "1.0.0", Commit: "c", Date: "2026-01-02T03:04:05Z",
		Platforms: []Platform{{"linux", "arm64"}}, compile: fakeCompile})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("a previous run's %s survived: %v", stale, err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("Build removed a file it did not make: %v", err)
	}
	if sums := string(readFile(t, filepath.Join(out, "SHA256SUMS"))); strings.Count(sums, "\n") != 4 || !strings.Contains(sums, "asksim-linux-arm64-1.0.0.tgz") {
		t.Errorf("SHA256SUMS of a linux/arm64 release:\n%s", sums)
	}
}

func TestBuild_ErrorsNameTheFault(t *testing.T) {
	ok := Config{Version: "1.0.0", Commit: "c", Date: "2026-01-02T03:04:05Z", compile: fakeCompile}
	cases := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"no output", func(c *Config) { c.Out = "" }, "no output directory"},
		{"bad version", func(c *Config) { c.Version = "1.0" }, `version "1.0"`},
		{"bad date", func(c *Config) { c.Date = "yesterday" }, `date "yesterday": want RFC 3339`},
		{"date before zip", func(c *Config) { c.Date = "1970-01-01T00:00:00Z" }, "before 1980"},
		{"unknown platform", func(c *Config) { c.Platforms = []Platform{{"plan9", "amd64"}} }, `unknown platform "plan9/amd64"`},
		{"platform twice", func(c *Config) { c.Platforms = []Platform{{"linux", "amd64"}, {"linux", "amd64"}} }, "linux/amd64 given twice"},
		{"not a checkout", func(c *Config) { c.Commit, c.Date, c.Dir = "", "", t.TempDir() }, "outside a git checkout, give the commit and date"},
		{"compiler fails", func(c *Config) {
			c.compile = func(context.Context, *Config, Platform, string) error { return fmt.Errorf("boom") }
		}, "build linux/amd64: boom"},
	}
	for _, c := range cases {
		cfg := ok
		cfg.Out = filepath.Join(t.TempDir(), "dist")
		c.edit(&cfg)
		_, err := Build(context.Background(), cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

// gitRepo makes a repository with one commit at a known time.
func gitRepo(t *testing.T) string {
	t.Helper()
	git := need(t, "git")
	dir := t.TempDir()
	for _, args := range [][]string{
		{"init", "-q"},
		{"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "one"},
	} {
		cmd := exec.Command(git, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_COMMITTER_DATE=2026-01-02T03:04:05+02:00", "GIT_AUTHOR_DATE=2026-01-02T03:04:05+02:00")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", args, err, b)
		}
	}
	return dir
}

func TestBuild_ReadsCommitDateAndTagFromGit(t *testing.T) {
	dir := gitRepo(t)
	build := func() *Release {
		t.Helper()
		rel, err := Build(context.Background(), Config{Out: filepath.Join(t.TempDir(), "dist"), Dir: dir,
			Platforms: []Platform{{"linux", "amd64"}}, compile: fakeCompile})
		if err != nil {
			t.Fatal(err)
		}
		return rel
	}
	rel := build()
	head, _ := (&Config{Dir: dir}).git(context.Background(), "rev-parse", "HEAD")
	if rel.Commit != head || !rel.Date.Equal(time.Date(2026, 1, 2, 1, 4, 5, 0, time.UTC)) || rel.Modified {
		t.Errorf("commit %s, date %v, modified %v; want %s, 2026-01-02T01:04:05Z, false", rel.Commit, rel.Date, rel.Modified, head)
	}
	if rel.Version.Semver != "0.0.0-dev.20260102010405" {
		t.Errorf("untagged version %q, want 0.0.0-dev.20260102010405", rel.Version.Semver)
	}
	tag := exec.Command("git", "tag", "v1.4.0")
	tag.Dir = dir
	if b, err := tag.CombinedOutput(); err != nil {
		t.Fatalf("git tag: %v\n%s", err, b)
	}
	if v := build().Version.Semver; v != "1.4.0" {
		t.Errorf("version of a commit tagged v1.4.0: %q", v)
	}
}
