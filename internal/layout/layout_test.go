package layout_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/asksim/asksim/internal/layout"
)

const module = "github.com/asksim/asksim"

// pkg is what go list says of one package.
type pkg struct {
	ImportPath string
	Dir        string
	Doc        string
	GoFiles    []string
	Imports    []string
}

// listPackages lists every package of the module with its direct imports
// (non-test files, for this platform's build).
func listPackages(t *testing.T) map[string]*pkg {
	t.Helper()
	touchSources(t)
	cmd := exec.Command("go", "list", "-json=ImportPath,Dir,Doc,GoFiles,Imports", module+"/...")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string]*pkg{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		p.ImportPath = strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		var own []string
		for _, imp := range p.Imports {
			if rest, ok := strings.CutPrefix(imp, module+"/"); ok {
				own = append(own, rest)
			}
		}
		p.Imports = own
		pkgs[p.ImportPath] = &p
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages; is the test running inside the module?", len(pkgs))
	}
	return pkgs
}

// touchSources stats every directory and Go file of the module. go list
// reads them in a child process, which go test's cache does not see; what
// this process touches it does, so a changed import or a new package runs
// the test again instead of replaying a stale pass.
func touchSources(t *testing.T) {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	root := strings.TrimSpace(string(out))
	err = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules" || d.Name() == "testdata"):
			return filepath.SkipDir
		case !d.IsDir() && strings.HasSuffix(p, ".go"):
			_, err = os.Stat(p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// deps returns the asksim packages p depends on, directly or not.
func deps(pkgs map[string]*pkg, p string) []string {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(q string) {
		for _, imp := range pkgs[q].Imports {
			if !seen[imp] {
				seen[imp] = true
				walk(imp)
			}
		}
	}
	walk(p)
	out := make([]string, 0, len(seen))
	for d := range seen {
		out = append(out, d)
	}
	slices.Sort(out)
	return out
}

// helper reports whether p is one of the internal leaf helpers that any
// package may use.
func helper(p string) bool {
	return strings.HasPrefix(p, "internal/") && p != "internal/testutil" && p != "internal/smapisim"
}

// allowed says which asksim packages each package may depend on,
// transitively; internal helpers are allowed everywhere. The first rule
// whose pattern matches decides (path.Match, plus "x/..." for x and below).
var allowed = []struct {
	pattern string
	may     []string // nil: anything
}{
	{"simulator/alexa", []string{}},
	{"simulator/apitoken", []string{}},
	{"simulator/link", []string{}},
	{"simulator/signing", []string{}},
	{"simulator/model", []string{"simulator/alexa"}},
	{"simulator/voice", []string{"simulator", "simulator/model", "simulator/alexa", "simulator/apitoken", "simulator/signing"}},
	{"simulator", []string{"simulator/alexa", "simulator/apitoken", "simulator/model", "simulator/signing"}},
	{"fakes/...", []string{"simulator/alexa", "simulator/apitoken", "fixtures/oauth"}},
	{"fixtures/...", []string{"fixtures/..."}},
	{"internal/testutil", nil},
	{"internal/smapisim", []string{"simulator/...", "fakes/smapi", "fakes/oauth", "fixtures/oauth", "internal/..."}},
	{"internal/...", []string{}},
	{"features/report", []string{}},
	{"features/projectconfig", []string{}},
	{"features", []string{"simulator/...", "fakes/...", "fixtures/...", "features/report"}},
	{"cmd/...", nil},
}

func match(pattern, p string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return p == base || strings.HasPrefix(p, base+"/")
	}
	ok, _ := path.Match(pattern, p)
	return ok
}

func TestImportsFormTheDocumentedDAG(t *testing.T) {
	pkgs := listPackages(t)
	for name := range pkgs {
		i := slices.IndexFunc(allowed, func(r struct {
			pattern string
			may     []string
		}) bool {
			return match(r.pattern, name)
		})
		if i < 0 {
			t.Errorf("package %s has no rule in layout_test.go: add one, and say it in doc.go", name)
			continue
		}
		rule := allowed[i]
		for _, d := range deps(pkgs, name) {
			if d == "internal/testutil" {
				t.Errorf("%s depends on internal/testutil, which only tests may import", name)
				continue
			}
			if helper(d) && !strings.HasPrefix(name, "internal/") || rule.may == nil {
				continue
			}
			if !slices.ContainsFunc(rule.may, func(pat string) bool { return match(pat, d) }) {
				t.Errorf("%s depends on %s (via its imports %v); layout allows it only %v", name, d, pkgs[name].Imports, rule.may)
			}
		}
	}
}

func TestPackagesAreDocumentedAndSmall(t *testing.T) {
	for name, p := range listPackages(t) {
		if p.Doc == "" {
			t.Errorf("package %s has no package comment", name)
		}
		lines := 0
		for _, f := range p.GoFiles {
			lines += countLines(t, filepath.Join(p.Dir, f))
		}
		if lines > layout.MaxLines {
			t.Errorf("package %s holds %d lines of non-test Go, more than %d: split it", name, lines, layout.MaxLines)
		}
	}
}

func countLines(t *testing.T, file string) int {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}
