package dist

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// verifyRecord checks a wheel's RECORD as an installer would: it lists every
// other file once with its urlsafe, unpadded SHA-256 and its size, and itself
// last with neither.
func verifyRecord(t *testing.T, name string, zr *zip.Reader) {
	t.Helper()
	distInfo := ""
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, ".dist-info/RECORD") {
			distInfo = strings.TrimSuffix(f.Name, "RECORD")
		}
	}
	if last := zr.File[len(zr.File)-1].Name; distInfo == "" || last != distInfo+"RECORD" {
		t.Fatalf("%s: RECORD is not the last entry (%s is)", name, last)
	}
	rows, err := csv.NewReader(bytes.NewReader(zipData(t, zr.File[len(zr.File)-1]))).ReadAll()
	if err != nil {
		t.Fatalf("%s: RECORD: %v", name, err)
	}
	listed := map[string][]string{}
	for _, r := range rows {
		if len(r) != 3 {
			t.Fatalf("%s: RECORD row %q has %d fields, want 3", name, r, len(r))
		}
		if _, dup := listed[r[0]]; dup {
			t.Errorf("%s: RECORD lists %s twice", name, r[0])
		}
		listed[r[0]] = r
	}
	for _, f := range zr.File {
		r, ok := listed[f.Name]
		if !ok {
			t.Errorf("%s: RECORD does not list %s", name, f.Name)
			continue
		}
		delete(listed, f.Name)
		if f.Name == distInfo+"RECORD" {
			if r[1] != "" || r[2] != "" {
				t.Errorf("%s: RECORD's own row %q, want no hash or size", name, r)
			}
			continue
		}
		data := zipData(t, f)
		sum := sha256.Sum256(data)
		if want := "sha256=" + base64.RawURLEncoding.EncodeToString(sum[:]); r[1] != want {
			t.Errorf("%s: RECORD hash of %s is %s, want %s", name, f.Name, r[1], want)
		}
		if size, err := strconv.Atoi(r[2]); err != nil || size != len(data) {
			t.Errorf("%s: RECORD size of %s is %q, want %d", name, f.Name, r[2], len(data))
		}
	}
	for n := range listed {
		t.Errorf("%s: RECORD lists %s, which the wheel lacks", name, n)
	}
}

func TestWheels(t *testing.T) {
	out, _ := fakeRelease(t)
	wantTag := map[Platform][]string{
		{"linux", "amd64"}:   {"manylinux_2_17_x86_64", "manylinux2014_x86_64", "musllinux_1_1_x86_64"},
		{"linux", "arm64"}:   {"manylinux_2_17_aarch64", "manylinux2014_aarch64", "musllinux_1_1_aarch64"},
		{"darwin", "amd64"}:  {"macosx_12_0_x86_64"},
		{"darwin", "arm64"}:  {"macosx_12_0_arm64"},
		{"windows", "amd64"}: {"win_amd64"},
		{"windows", "arm64"}: {"win_arm64"},
	}
	for _, p := range Platforms {
		name := "asksim-1.2.3rc1-py3-none-" + strings.Join(wantTag[p], ".") + ".whl"
		zr := readZip(t, readFile(t, filepath.Join(out, "pypi", name)))
		verifyRecord(t, name, zr)
		files := map[string]*zip.File{}
		for _, f := range zr.File {
			files[f.Name] = f
		}
		script := "asksim-1.2.3rc1.data/scripts/" + p.Exe()
		if f := files[script]; f == nil || f.Mode() != 0o755 {
			t.Errorf("%s: no executable %s", name, script)
		} else if !bytes.Equal(zipData(t, f), readFile(t, filepath.Join(out, "bin", p.binName()))) {
			t.Errorf("%s: %s differs from bin/%s", name, script, p.binName())
		}
		wheelFile := string(zipData(t, files["asksim-1.2.3rc1.dist-info/WHEEL"]))
		var tags []string
		for _, line := range strings.Split(wheelFile, "\n") {
			if tag, ok := strings.CutPrefix(line, "Tag: "); ok {
				tags = append(tags, tag)
			}
		}
		var want []string
		for _, plat := range wantTag[p] {
			want = append(want, "py3-none-"+plat)
		}
		if !strings.HasPrefix(wheelFile, "Wheel-Version: 1.0\n") || !strings.Contains(wheelFile, "Root-Is-Purelib: false\n") ||
			strings.Join(tags, " ") != strings.Join(want, " ") {
			t.Errorf("%s: WHEEL\n%s\nwant tags %q", name, wheelFile, want)
		}
		meta := string(zipData(t, files["asksim-1.2.3rc1.dist-info/METADATA"]))
		for _, s := range []string{"Metadata-Version: 2.1\n", "Name: asksim\n", "Version: 1.2.3rc1\n", "Requires-Python: >=3.8\n", "\n\n# asksim\n"} {
			if !strings.Contains(meta, s) {
				t.Errorf("%s: METADATA lacks %q", name, s)
			}
		}
		if init := string(zipData(t, files["asksim/__init__.py"])); !strings.Contains(init, `__version__ = "1.2.3rc1"`) {
			t.Errorf("%s: asksim/__init__.py has no __version__", name)
		}
	}
}

// pip itself accepts the host's wheel, installs the binary as an executable
// script, and python -m asksim finds and runs it.
func TestWheelInstallsWithPip(t *testing.T) {
	p := hostPlatform(t)
	if p.GOOS == "windows" {
		t.Skip("the fake binary is a shell script")
	}
	python := need(t, "python3")
	if err := exec.Command(python, "-m", "pip", "--version").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python3 has no pip: %v", err)
		}
		t.Skip("python3 has no pip")
	}
	out, _ := fakeRelease(t)
	target := t.TempDir()
	install := exec.Command(python, "-m", "pip", "install", "--no-index", "--no-deps", "--disable-pip-version-check",
		"--target", target, filepath.Join(out, "pypi", wheelFileName(Version{Semver: "1.2.3-rc.1", Python: "1.2.3rc1"}, p)))
	if b, err := install.CombinedOutput(); err != nil {
		t.Fatalf("pip install: %v\n%s", err, b)
	}
	script := filepath.Join(target, "bin", "asksim")
	if fi, err := os.Stat(script); err != nil || fi.Mode().Perm()&0o111 == 0 {
		t.Fatalf("pip installed no executable %s: %v", script, err)
	}
	run := exec.Command(python, "-m", "asksim", "version", "--json")
	run.Env = append(os.Environ(), "PYTHONPATH="+target, "ASKSIM_FAKE_EXIT=4")
	b, err := run.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 4 || string(b) != "fake asksim version --json\n" {
		t.Errorf("python -m asksim: %v, output %q; want the binary's output and exit 4", err, b)
	}
}
