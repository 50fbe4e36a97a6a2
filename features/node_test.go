package features_test

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/features"
	"github.com/asksim/asksim/simulator"
)

// TestNodeSDKSkill drives a skill built on the official Node.js ASK SDK
// (fixtures/node-skill) through its features: the SDK must parse asksim's
// envelopes and the Alexa API fake's answers as it parses Amazon's. .ci/run
// installs the SDK with npm; without it the test fails under CI and skips
// elsewhere.
func TestNodeSDKSkill(t *testing.T) {
	dir := filepath.Join("..", "fixtures", "node-skill")
	node, err := exec.LookPath("node")
	if _, statErr := os.Stat(filepath.Join(dir, "node_modules", "ask-sdk-core")); err != nil || statErr != nil {
		msg := "the Node.js ASK SDK is not installed: run `npm ci --prefix fixtures/node-skill` (.ci/run does)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, node, "server.js")
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
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
	case <-time.After(10 * time.Second):
		t.Fatal("the Node skill did not print its URL within 10 s")
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("the Node skill printed %q, want its URL", url)
	}
	ep, err := simulator.HTTPEndpoint(url)
	if err != nil {
		t.Fatal(err)
	}
	suite, err := features.NewSuite(ctx, features.Config{Endpoint: ep})
	if err != nil {
		t.Fatal(err)
	}
	defer suite.Close()
	var report strings.Builder
	status, err := suite.Run(features.RunOptions{Paths: []string{filepath.Join(dir, "features")},
		Formats: []string{"progress"}, NoColors: true, Output: &report})
	if err != nil || status != 0 {
		t.Fatalf("status %d, %v\n%s", status, err, report.String())
	}
	if !strings.Contains(report.String(), "4 scenarios (4 passed)") {
		t.Errorf("report: %s", report.String())
	}
}
