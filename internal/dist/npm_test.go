package dist

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestNpmMainPackage(t *testing.T) {
	out, _ := fakeRelease(t)
	entries := readTgz(t, readFile(t, filepath.Join(out, "npm", "asksim-1.2.3-rc.1.tgz")))
	var names []string
	for _, e := range entries {
		names = append(names, e.hdr.Name)
	}
	if want := "package/README.md package/bin/asksim package/package.json"; strings.Join(names, " ") != want {
		t.Errorf("entries %q, want %s", names, want)
	}
	var m struct {
		Name                 string
		Version              string
		Bin                  map[string]string
		OptionalDependencies map[string]string
		Dependencies         map[string]string
	}
	if err := json.Unmarshal(tgzFile(t, entries, "package/package.json").data, &m); err != nil {
		t.Fatal(err)
	}
	if m.Name != "asksim" || m.Version != "1.2.3-rc.1" || m.Bin["asksim"] != "bin/asksim" || m.Dependencies != nil {
		t.Errorf("package.json: %+v", m)
	}
	want := map[string]string{}
	for _, p := range Platforms {
		want[p.NpmName()] = "1.2.3-rc.1" // exact: no ^ or ~
	}
	if len(m.OptionalDependencies) != len(want) {
		t.Errorf("optionalDependencies %v, want %v", m.OptionalDependencies, want)
	}
	for k, v := range want {
		if m.OptionalDependencies[k] != v {
			t.Errorf("optionalDependencies[%s] = %q, want %q", k, m.OptionalDependencies[k], v)
		}
	}
	launcher := tgzFile(t, entries, "package/bin/asksim")
	if launcher.hdr.Mode != 0o755 || !strings.HasPrefix(string(launcher.data), "#!/usr/bin/env node\n") {
		t.Errorf("launcher mode %o, starts %q; want 755 and a node shebang", launcher.hdr.Mode, launcher.data[:min(30, len(launcher.data))])
	}
	for _, s := range []string{`const VERSION = "1.2.3-rc.1";`, `"win32-arm64":"asksim-win32-arm64"`, `"linux-x64":"asksim-linux-x64"`} {
		if !strings.Contains(string(launcher.data), s) {
			t.Errorf("launcher lacks %s", s)
		}
	}
}

func TestNpmPlatformPackages(t *testing.T) {
	out, _ := fakeRelease(t)
	wantOS := map[string]string{"linux": "linux", "darwin": "darwin", "windows": "win32"}
	wantCPU := map[string]string{"amd64": "x64", "arm64": "arm64"}
	for _, p := range Platforms {
		name := "asksim-" + wantOS[p.GOOS] + "-" + wantCPU[p.GOARCH]
		entries := readTgz(t, readFile(t, filepath.Join(out, "npm", name+"-1.2.3-rc.1.tgz")))
		var m struct {
			Name, Version string
			OS, CPU       []string
			Bin           any
		}
		if err := json.Unmarshal(tgzFile(t, entries, "package/package.json").data, &m); err != nil {
			t.Fatal(err)
		}
		if m.Name != name || m.Version != "1.2.3-rc.1" || len(m.OS) != 1 || m.OS[0] != wantOS[p.GOOS] ||
			len(m.CPU) != 1 || m.CPU[0] != wantCPU[p.GOARCH] || m.Bin != nil {
			t.Errorf("%s package.json: %+v", p, m)
		}
		exe := "package/bin/asksim"
		if p.GOOS == "windows" {
			exe += ".exe"
		}
		bin := tgzFile(t, entries, exe)
		if bin.hdr.Mode != 0o755 {
			t.Errorf("%s: %s mode %o, want 755", p, exe, bin.hdr.Mode)
		}
		if want := readFile(t, filepath.Join(out, "bin", p.binName())); string(bin.data) != string(want) {
			t.Errorf("%s: the packaged binary differs from bin/%s", p, p.binName())
		}
	}
}

// installNpm lays out node_modules as npm install of the main package and
// the given platform's package would, from the tarballs alone.
func installNpm(t *testing.T, out string, p *Platform) string {
	t.Helper()
	project := t.TempDir()
	unpack := func(tgzPath, name string) {
		for _, e := range readTgz(t, readFile(t, tgzPath)) {
			path := filepath.Join(project, "node_modules", name, strings.TrimPrefix(e.hdr.Name, "package/"))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, e.data, os.FileMode(e.hdr.Mode)); err != nil {
				t.Fatal(err)
			}
		}
	}
	unpack(filepath.Join(out, "npm", "asksim-1.2.3-rc.1.tgz"), "asksim")
	if p != nil {
		unpack(filepath.Join(out, "npm", p.NpmName()+"-1.2.3-rc.1.tgz"), p.NpmName())
	}
	return project
}

func runNode(t *testing.T, project string, env []string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(need(t, "node"), append([]string{filepath.Join(project, "node_modules", "asksim", "bin", "asksim")}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	outb, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(outb), code
}

func TestNpmLauncherRunsThePlatformBinary(t *testing.T) {
	p := hostPlatform(t)
	if p.GOOS == "windows" {
		t.Skip("the fake binary is a shell script")
	}
	out, _ := fakeRelease(t)
	project := installNpm(t, out, &p)
	got, code := runNode(t, project, nil, "test", "two words", "--flag")
	if code != 0 || got != "fake asksim test two words --flag\n" {
		t.Errorf("launcher: exit %d, output %q", code, got)
	}
	got, code = runNode(t, project, []string{"ASKSIM_FAKE_EXIT=3"}, "test")
	if code != 3 {
		t.Errorf("launcher passed on exit %d (%q), want the binary's 3", code, got)
	}
}

func TestNpmLauncherNamesTheMissingPackage(t *testing.T) {
	p := hostPlatform(t)
	out, _ := fakeRelease(t)
	project := installNpm(t, out, nil)
	got, code := runNode(t, project, nil, "version")
	if code != 1 || !strings.Contains(got, "the package "+p.NpmName()+", which holds the asksim binary") ||
		!strings.Contains(got, "npm install "+p.NpmName()+"@1.2.3-rc.1") {
		t.Errorf("without the platform package: exit %d, output %q", code, got)
	}
}

func TestNpmLauncherRefusesAnotherVersionsBinary(t *testing.T) {
	p := hostPlatform(t)
	out, _ := fakeRelease(t)
	project := installNpm(t, out, &p)
	manifest := filepath.Join(project, "node_modules", p.NpmName(), "package.json")
	b := strings.Replace(string(readFile(t, manifest)), `"version": "1.2.3-rc.1"`, `"version": "1.2.2"`, 1)
	if err := os.WriteFile(manifest, []byte(b), 0o644); err != nil {
		t.Fatal(err)
	}
	got, code := runNode(t, project, nil, "version")
	if code != 1 || !strings.Contains(got, "asksim 1.2.3-rc.1 found "+p.NpmName()+" 1.2.2") {
		t.Errorf("with a mismatched platform package: exit %d, output %q", code, got)
	}
}
