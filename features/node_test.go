package features_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/asksim/asksim/features"
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
	ctx, url := startSkill(t, 10*time.Second, dir, nil, node, "server.js")
	runSkillFeatures(t, ctx, url, features.Config{}, filepath.Join(dir, "features"), "4 scenarios (4 passed)")
}
