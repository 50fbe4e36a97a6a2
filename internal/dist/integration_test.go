package dist

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/internal/buildinfo"
)

// moduleRoot is the repository's root, relative to this package.
const moduleRoot = "../.."

// releaseTests skips the tests that compile asksim unless
// ASKSIM_RELEASE_TESTS is set. With a cold build cache they take minutes of
// both cores; in go test ./... they would run beside every other package's
// tests and squeeze those tests' timeouts, so .ci/release runs them on their
// own instead.
func releaseTests(t *testing.T) {
	t.Helper()
	if testing.Short() || os.Getenv("ASKSIM_RELEASE_TESTS") == "" {
		t.Skip("compiles asksim: run with ASKSIM_RELEASE_TESTS=1 (.ci/release does)")
	}
}

func goCmd(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	return goBin
}

func output(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, b, stderr.String())
	}
	return string(b)
}

// The real toolchain builds a real asksim for this machine: stamped with the
// version, commit and date, static, without build paths, and able to run the
// bundled features from outside the repository, alone and through the npm
// launcher.
func TestBuild_RealBinary(t *testing.T) {
	releaseTests(t)
	p := hostPlatform(t)
	goBin := goCmd(t)
	out := filepath.Join(t.TempDir(), "dist")
	const commit = "0123456789abcdef0123456789abcdef01234567"
	_, err := Build(context.Background(), Config{Out: out, Version: "v1.2.3-rc.1", Commit: commit, Date: "2026-01-02T05:04:05+02:00",
		Platforms: []Platform{p}, Dir: moduleRoot, Go: goBin})
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(out, "bin", p.binName())
	elsewhere := t.TempDir()

	var got buildinfo.Info
	if err := json.Unmarshal([]byte(output(t, elsewhere, nil, bin, "version", "--json")), &got); err != nil {
		t.Fatal(err)
	}
	goVersion := strings.TrimSpace(output(t, moduleRoot, nil, goBin, "env", "GOVERSION"))
	want := buildinfo.Info{Version: "1.2.3-rc.1", Commit: commit, Date: "2026-01-02T03:04:05Z",
		GoVersion: goVersion, OS: p.GOOS, Arch: p.GOARCH}
	if got != want {
		t.Errorf("asksim version --json:\n got %+v\nwant %+v", got, want)
	}

	meta := output(t, moduleRoot, nil, goBin, "version", "-m", bin)
	for _, s := range []string{"build\t-trimpath=true", "build\tCGO_ENABLED=0"} {
		if !strings.Contains(meta, s) {
			t.Errorf("go version -m lacks %q:\n%s", s, meta)
		}
	}
	if strings.Contains(meta, "vcs.") {
		t.Errorf("the binary carries VCS settings, which differ between checkouts:\n%s", meta)
	}
	abs, _ := filepath.Abs(moduleRoot)
	if bytes.Contains(readFile(t, bin), []byte(abs)) {
		t.Errorf("the binary holds the build directory %s", abs)
	}
	if id := strings.TrimSpace(output(t, moduleRoot, nil, goBin, "tool", "buildid", bin)); id != "" {
		t.Errorf("build ID %q, want none", id)
	}

	// The bundled features and the example skill are inside the binary.
	report := output(t, elsewhere, nil, bin, "test", "--format", "progress")
	if !strings.Contains(report, " passed)") || strings.Contains(report, "failed") {
		t.Errorf("asksim test outside the repository:\n%s", report)
	}

	if p.GOOS != "windows" {
		project := installNpm(t, out, &p)
		direct := output(t, elsewhere, nil, bin, "version")
		viaNode, code := runNode(t, project, nil, "version")
		if code != 0 || viaNode != direct {
			t.Errorf("npx asksim version: exit %d, %q; want %q", code, viaNode, direct)
		}
	}
}

// go install github.com/asksim/asksim/cmd/asksim@vX works, without cgo, and
// the binary says vX. The module is served from a file proxy made of this
// checkout, its dependencies from the module cache.
func TestGoInstallAtVersion(t *testing.T) {
	releaseTests(t)
	goBin := goCmd(t)
	git := need(t, "git")
	const mod, version = "github.com/asksim/asksim", "v0.9.9"
	proxy := t.TempDir()
	dir := filepath.Join(proxy, mod, "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	files := strings.Split(strings.TrimSpace(output(t, moduleRoot, nil, git, "ls-files", "--cached", "--others", "--exclude-standard")), "\n")
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(moduleRoot, name))
		if os.IsNotExist(err) {
			continue // deleted in the work tree
		}
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(mod + "@" + version + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	info, _ := json.Marshal(map[string]any{"Version": version, "Time": time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)})
	for name, data := range map[string][]byte{
		"list":            []byte(version + "\n"),
		version + ".info": info,
		version + ".mod":  readFile(t, filepath.Join(moduleRoot, "go.mod")),
		version + ".zip":  zbuf.Bytes(),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	modcache := strings.TrimSpace(output(t, moduleRoot, nil, goBin, "env", "GOMODCACHE"))
	upstream := strings.TrimSpace(output(t, moduleRoot, nil, goBin, "env", "GOPROXY"))
	gobin := t.TempDir()
	env := []string{
		"GOPROXY=file://" + filepath.ToSlash(proxy) + ",file://" + filepath.ToSlash(filepath.Join(modcache, "cache", "download")) + "," + upstream,
		// A module cache of its own, so that this made-up v0.9.9 stays out of
		// the real one.
		"GOMODCACHE=" + t.TempDir(), "GOFLAGS=-modcacherw -trimpath",
		"GONOSUMDB=" + mod, "GOSUMDB=off",
		"GOBIN=" + gobin, "CGO_ENABLED=0", "GOWORK=off", "GOTOOLCHAIN=local",
	}
	output(t, t.TempDir(), env, goBin, "install", mod+"/cmd/asksim@"+version)
	var got buildinfo.Info
	bin := filepath.Join(gobin, "asksim")
	if _, err := os.Stat(bin); err != nil {
		bin += ".exe"
	}
	if err := json.Unmarshal([]byte(output(t, t.TempDir(), nil, bin, "version", "--json")), &got); err != nil {
		t.Fatal(err)
	}
	if got.Version != version || got.Commit != "" || got.Date != "" {
		t.Errorf("asksim from go install @%s says %+v", version, got)
	}
	line := output(t, t.TempDir(), nil, bin, "--version")
	if !strings.HasPrefix(line, "asksim "+version+" (go") {
		t.Errorf("asksim --version: %q", line)
	}
}
