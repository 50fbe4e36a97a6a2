package model_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asksim/asksim/internal/jsonlimit"
	"github.com/asksim/asksim/simulator/model"
)

// TestLoad_DeepNesting is issue 14 defect 3 for skill packages: every file
// of one (skill.json, each interaction model) is refused with its line and
// column when it nests deeper than 64 levels, before anything recurses
// into it, even at 5 MB of '['.
func TestLoad_DeepNesting(t *testing.T) {
	deep := "{\"interactionModel\":\n" + strings.Repeat("[", 5<<20)
	manifest := `{"manifest":{"permissions":[]}}`
	for _, tc := range []struct {
		name          string
		skill, enUS   string
		file, wantPos string
	}{
		{"interaction model", manifest, deep, "en-US.json", ":2:64: "},
		{"skill.json", "{\"manifest\":" + strings.Repeat(`{"a":`, 100), `{}`, "skill.json", ":1:328: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "skill.json"), tc.skill)
			write(t, filepath.Join(dir, "interactionModels", "custom", "en-US.json"), tc.enUS)
			_, err := model.LoadSkillPackage(dir)
			var le *model.LoadError
			var de *jsonlimit.DepthError
			if !errors.As(err, &le) || !errors.As(err, &de) {
				t.Fatalf("LoadSkillPackage = %v, want a *LoadError wrapping a *jsonlimit.DepthError", err)
			}
			want := tc.file + tc.wantPos + "JSON nests arrays and objects deeper than 64 levels"
			if !strings.HasSuffix(err.Error(), want) {
				t.Errorf("error %q, want it to end %q", err, want)
			}
		})
	}
	// Within the limit, depth is the loader's business, not an error.
	if _, err := model.ParseModel("ok.json", []byte(`{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","samples":["a"]}]}}}`)); err != nil {
		t.Errorf("ParseModel of a plain model: %v", err)
	}
	if _, err := model.ParseManifest("skill.json", []byte("{\"manifest\":{\"x\":"+strings.Repeat("[", 62)+strings.Repeat("]", 62)+"}}")); err != nil {
		t.Errorf("ParseManifest of 64 levels: %v", err)
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
