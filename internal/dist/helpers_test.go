package dist

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

var testDate = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// tarEntry is one entry of a tgz as read back, header and contents.
type tarEntry struct {
	hdr  *tar.Header
	data []byte
}

func readTgz(t *testing.T, b []byte) []tarEntry {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	if zr.Name != "" || !zr.ModTime.IsZero() {
		t.Errorf("gzip header carries name %q, time %v: want neither", zr.Name, zr.ModTime)
	}
	tr := tar.NewReader(zr)
	var out []tarEntry
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("tar: %v", err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatalf("tar %s: %v", hdr.Name, err)
		}
		out = append(out, tarEntry{hdr, data})
	}
}

func tgzFile(t *testing.T, entries []tarEntry, name string) tarEntry {
	t.Helper()
	for _, e := range entries {
		if e.hdr.Name == name {
			return e
		}
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.hdr.Name)
	}
	t.Fatalf("no %s in the tarball; it has %q", name, names)
	return tarEntry{}
}

func readZip(t *testing.T, b []byte) *zip.Reader {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("zip: %v", err)
	}
	return zr
}

func zipData(t *testing.T, f *zip.File) []byte {
	t.Helper()
	rc, err := f.Open()
	if err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	return b
}

// hostPlatform is the platform of this machine, skipping the test where
// asksim builds none.
func hostPlatform(t *testing.T) Platform {
	t.Helper()
	p, err := ParsePlatform(runtime.GOOS + "/" + runtime.GOARCH)
	if err != nil {
		t.Skipf("asksim has no release for this machine: %v", err)
	}
	return p
}

// need finds a tool the test drives; under CI its absence fails the test.
func need(t *testing.T, tool string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed; .ci/run needs it", tool)
		}
		t.Skipf("%s is not installed", tool)
	}
	return path
}

// fakeCompile stands in for the Go toolchain: each "binary" is a shell
// script that prints its platform and arguments, and exits with the status
// in $ASKSIM_FAKE_EXIT, so the launchers can be tested without compiling.
func fakeCompile(ctx context.Context, c *Config, p Platform, out string) error {
	script := "#!/bin/sh\n# asksim " + c.Version + " for " + p.String() + "\n" +
		`echo "fake asksim $*"` + "\n" +
		// "wait" waits for SIGTERM, 20 s at most.
		`if [ "$1" = wait ]; then trap 'echo "got TERM"; exit 7' TERM; echo ready; i=0; while [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; exit 9; fi` + "\n" +
		`exit ${ASKSIM_FAKE_EXIT:-0}` + "\n"
	if err := os.WriteFile(out, []byte(script), 0o700); err != nil {
		return err
	}
	// A file time that differs from run to run, which must not reach the
	// release.
	now := time.Now()
	return os.Chtimes(out, now, now)
}

// fakeRelease builds a release with fakeCompile into a new directory.
func fakeRelease(t *testing.T, platforms ...Platform) (string, *Release) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "dist")
	rel, err := Build(context.Background(), Config{Out: out, Version: "1.2.3-rc.1", Commit: "0123456789abcdef0123456789abcdef01234567",
		Date: testDate.Format(time.RFC3339), Platforms: platforms, compile: fakeCompile})
	if err != nil {
		t.Fatal(err)
	}
	return out, rel
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
