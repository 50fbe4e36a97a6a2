package features_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/serve"
	"github.com/asksim/asksim/features"
)

// TestPythonSDKSkill drives a skill built on the official ASK SDK for
// Python (fixtures/python-skill, the SDK vendored unmodified) through its
// features, as `asksim test --tls` does: the SDK refuses an http://
// apiEndpoint, so the fakes are served over HTTPS from a persistent CA in
// a fresh --ca-dir, which the skill, started first, trusts through
// REQUESTS_CA_BUNDLE and nothing else. .ci/run installs the SDK's Debian
// dependencies; without them the test fails under CI and skips elsewhere.
func TestPythonSDKSkill(t *testing.T) {
	dir := filepath.Join("..", "fixtures", "python-skill")
	python := sdkPython()
	if python == "" {
		msg := "no python3 with requests, dateutil and six: apt-get install python3-requests python3-dateutil python3-six (.ci/run does)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	ca, _, err := serve.LoadOrCreateCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// No .pyc files in the fixture; the SDK's model is large to import.
	ctx, url := startSkill(t, 30*time.Second, dir,
		[]string{"REQUESTS_CA_BUNDLE=" + ca.CertFile(), "PYTHONDONTWRITEBYTECODE=1"}, python, "skill.py")
	suite := runSkillFeatures(t, ctx, url, features.Config{CA: ca}, filepath.Join(dir, "features"), "9 scenarios (9 passed)")
	if !strings.HasPrefix(suite.APIURL(), "https://") {
		t.Errorf("Alexa API fake at %s, want https", suite.APIURL())
	}
}

// sdkPython returns a Python 3 that has the SDK's dependencies: the one on
// PATH, else Debian's, where .ci/run installs them (a python3 on PATH may
// be another build, e.g. pyenv's, that does not see Debian's packages).
func sdkPython() string {
	var candidates []string
	if p, err := exec.LookPath("python3"); err == nil {
		candidates = append(candidates, p)
	}
	candidates = append(candidates, "/usr/bin/python3")
	for _, p := range candidates {
		if exec.Command(p, "-c", "import requests, dateutil, six").Run() == nil {
			return p
		}
	}
	return ""
}
