package features_test

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/features"
	"github.com/asksim/asksim/simulator"
)

// startSkill runs a skill process (name args… in dir, with extra
// environment) that prints its URL as its first line, and returns that
// URL and a context that lives as long as the test. The process is killed
// and waited for when the test ends.
func startSkill(t *testing.T, wait time.Duration, dir string, env []string, name string, args ...string) (context.Context, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	// Stop the skill (the context kills it) before waiting for it.
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	urls := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		urls <- strings.TrimSpace(line)
		io.Copy(io.Discard, out)
	}()
	var url string
	select {
	case url = <-urls:
	case <-time.After(wait):
		t.Fatalf("the skill (%s in %s) did not print its URL within %v", name, dir, wait)
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("the skill printed %q, want its URL", url)
	}
	return ctx, url
}

// runSkillFeatures runs the features in dir against the skill at url with
// cfg, and fails unless all pass and the summary says want.
func runSkillFeatures(t *testing.T, ctx context.Context, url string, cfg features.Config, dir, want string) *features.Suite {
	t.Helper()
	ep, err := simulator.HTTPEndpoint(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Endpoint = ep
	suite, err := features.NewSuite(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { suite.Close() })
	var report strings.Builder
	status, err := suite.Run(features.RunOptions{Paths: []string{dir},
		Formats: []string{"progress"}, NoColors: true, Output: &report})
	if err != nil || status != 0 {
		t.Fatalf("status %d, %v\n%s", status, err, report.String())
	}
	if !strings.Contains(report.String(), want) {
		t.Errorf("report lacks %q: %s", want, report.String())
	}
	return suite
}
