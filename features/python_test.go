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

	"github.com/asksim/asksim/fakes/serve"
	"github.com/asksim/asksim/features"
	"github.com/asksim/asksim/simulator"
)

// TestPythonSDKSkill drives a skill built on the official ASK SDK for
// Python (fixtures/python-skill, the SDK vendored unmodified) through its
// features, as `asksim test --tls` does: the SDK refuses an http://
// apiEndpoint, so the fakes are served over HTTPS from a persistent CA,
// which the skill, started first, trusts through REQUESTS_CA_BUNDLE.
// .ci/run installs the SDK's Debian dependencies; without them the test
// fails under CI and skips elsewhere.
func TestPythonSDKSkill(t *testing.T) {
	dir := filepath.Join("..", "fixtures", "python-skill")
	python, err := exec.LookPath("python3")
	if err == nil {
		err = exec.Command(python, "-c", "import requests, dateutil, six").Run()
	}
	if err != nil {
		msg := "python3 with requests, dateutil and six is needed: apt-get install python3-requests python3-dateutil python3-six (.ci/run does)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg, ": ", err)
		}
		t.Skip(msg)
	}
	caDir := t.TempDir()
	ca, _, err := serve.LoadOrCreateCA(caDir)
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, python, "skill.py")
	cmd.Dir = dir
	// requests trusts only this bundle: a fake served with any other
	// certificate would fail the scenarios. No .pyc files in the fixture.
	cmd.Env = append(os.Environ(), "REQUESTS_CA_BUNDLE="+ca.CertFile(), "PYTHONDONTWRITEBYTECODE=1")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
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
	case <-time.After(30 * time.Second): // the SDK's model is large to import
		t.Fatal("the Python skill did not print its URL within 30 s")
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("the Python skill printed %q, want its URL", url)
	}
	ep, err := simulator.HTTPEndpoint(url)
	if err != nil {
		t.Fatal(err)
	}
	suite, err := features.NewSuite(ctx, features.Config{Endpoint: ep, CA: ca})
	if err != nil {
		t.Fatal(err)
	}
	defer suite.Close()
	if !strings.HasPrefix(suite.APIURL(), "https://") {
		t.Fatalf("Alexa API fake at %s, want https", suite.APIURL())
	}
	var report strings.Builder
	status, err := suite.Run(features.RunOptions{Paths: []string{filepath.Join(dir, "features")},
		Formats: []string{"progress"}, NoColors: true, Output: &report})
	if err != nil || status != 0 {
		t.Fatalf("status %d, %v\n%s", status, err, report.String())
	}
	if !strings.Contains(report.String(), "9 scenarios (9 passed)") {
		t.Errorf("report: %s", report.String())
	}
}
