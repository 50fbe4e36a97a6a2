package projectconfig_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/asksim/asksim/features/projectconfig"
)

func write(t testing.TB, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoad_SettingsWithTheirLines(t *testing.T) {
	p := write(t, t.TempDir(), "asksim.yaml", "# CI\nendpoint: http://127.0.0.1:3000/\nformat: [progress, \"junit:out/j.xml\"]\nlenient:\n")
	got, err := projectconfig.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []projectconfig.Setting{
		{Key: "endpoint", Values: []string{"http://127.0.0.1:3000/"}, File: p, Line: 2},
		{Key: "format", Values: []string{"progress", "junit:out/j.xml"}, File: p, Line: 3},
		{Key: "lenient", File: p, Line: 4},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Load = %+v\nwant %+v", got, want)
	}
	if w := got[1].Where(); w != p+":3" {
		t.Errorf("Where = %q", w)
	}
}

func TestLoad_ErrorsNameFileAndLine(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, content, want string }{
		{"list.yaml", "- a\n- b\n", "list.yaml:1: want a mapping of settings (key: value), got a list"},
		{"twice.yaml", "tags: \"@a\"\ntags: \"@b\"\n", `twice.yaml:2: "tags" is set twice (first on line 1)`},
		{"nested.yaml", "format:\n  - [a]\n", "nested.yaml:2: format: list items must be plain values"},
		{"map.yaml", "endpoint:\n  url: x\n", "map.yaml:2: endpoint: want a value or a list of values, got a mapping"},
		{"bad.json", "{\"a\": ", "bad.json: "},
	} {
		_, err := projectconfig.Load(write(t, dir, tc.name, tc.content))
		if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, tc.want)) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	if got, err := projectconfig.Load(write(t, dir, "empty.yaml", "")); err != nil || got != nil {
		t.Errorf("empty file: %v, %v", got, err)
	}
}

// TestLoad_DeepNesting is issue 14 defect 3 for the project config file:
// JSON or YAML nested past 64 levels is refused with its line.
func TestLoad_DeepNesting(t *testing.T) {
	for _, name := range []string{"asksim.json", "asksim.yaml"} {
		path := write(t, t.TempDir(), name, "{\"format\": [\"progress\"],\n\"paths\": "+strings.Repeat("[", 5<<20))
		_, err := projectconfig.Load(path)
		if want := path + ":2: nests lists and mappings deeper than 64 levels"; err == nil || err.Error() != want {
			t.Errorf("Load(%s) = %v, want %q", name, err, want)
		}
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	if got := projectconfig.Find(dir); got != "" {
		t.Errorf("Find in an empty directory = %q", got)
	}
	want := write(t, dir, "asksim.json", "{}")
	write(t, dir, "asksim.yml.bak", "")
	if got := projectconfig.Find(dir); got != want {
		t.Errorf("Find = %q, want %q", got, want)
	}
}

// FuzzLoad: a project config file is outside input; whatever it holds,
// Load returns settings or an error naming the file, and never panics.
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		"endpoint: http://127.0.0.1:3000/\nformat: [pretty, \"junit:r.xml\"]\nconcurrency: 2\n",
		"{\"paths\": [\"features\"], \"tags\": \"not @wip\"}",
		"- a\n", "a: {b: c}\n", "a: &x 1\nb: *x\n", "[[[[", "",
	} {
		f.Add(seed)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, content string) {
		path := write(t, dir, "asksim.yaml", content)
		settings, err := projectconfig.Load(path)
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		for _, s := range settings {
			if s.File != path || s.Line < 1 {
				t.Fatalf("setting %+v: want the file and a line", s)
			}
		}
	})
}

func ExampleLoad() {
	dir, _ := os.MkdirTemp("", "asksim")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "asksim.yaml")
	_ = os.WriteFile(path, []byte("concurrency: 4\nformat: [progress, \"junit:reports/junit.xml\"]\n"), 0o644)
	settings, err := projectconfig.Load(path)
	if err != nil {
		panic(err)
	}
	for _, s := range settings {
		fmt.Println(s.Key, s.Values, "line", s.Line)
	}
	// Output:
	// concurrency [4] line 1
	// format [progress junit:reports/junit.xml] line 2
}
