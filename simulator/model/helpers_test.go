package model_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/asksim/asksim/simulator/model"
)

const (
	travelDir = "../../fixtures/models/travel"
	testSkill = "amzn1.ask.skill.52b86ebd-dd7d-45c3-a763-de584f62b8d6"
)

// refDate is a Wednesday; relative dates in the tests count from it.
var refDate = time.Date(2025, 6, 4, 9, 30, 0, 0, time.UTC)

func loadTravel(t testing.TB) *model.Model {
	t.Helper()
	p, err := model.LoadSkillPackage(travelDir)
	if err != nil {
		t.Fatalf("LoadSkillPackage: %v", err)
	}
	m, err := p.Model("en-US")
	if err != nil {
		t.Fatalf("Model(en-US): %v", err)
	}
	m.SkillID = testSkill
	m.Clock = func() time.Time { return refDate }
	return m
}

// writeFile creates dir/rel with content and returns its path.
func writeFile(t *testing.T, dir, rel, content string) string {
	t.Helper()
	path := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// mustParse parses an interaction model given inline.
func mustParse(t testing.TB, js string) *model.Model {
	t.Helper()
	m, err := model.ParseModel("inline.json", []byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return m
}
