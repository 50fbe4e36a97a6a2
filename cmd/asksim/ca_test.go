package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCACommands(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ca")
	runCA := func(args ...string) (int, string, string) {
		var out, errw bytes.Buffer
		code := run(context.Background(), args, nil, &out, &errw)
		return code, out.String(), errw.String()
	}
	code, out, _ := runCA("ca", "init", "--ca-dir", dir)
	cert := filepath.Join(dir, "rootCA.pem")
	if code != exitOK || !strings.HasPrefix(out, "Local CA (created): "+cert+"\n") || !strings.Contains(out, "REQUESTS_CA_BUNDLE="+cert) {
		t.Fatalf("ca init: exit %d\n%s", code, out)
	}
	first, err := os.ReadFile(cert)
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCA("ca", "init", "--ca-dir", dir)
	if code != exitOK || !strings.HasPrefix(out, "Local CA (already there): "+cert+"\n") {
		t.Errorf("second ca init: exit %d\n%s", code, out)
	}
	code, out, errOut := runCA("ca", "path", "--ca-dir", dir)
	if code != exitOK || out != cert+"\n" || errOut != "" {
		t.Errorf("ca path: exit %d, stdout %q, stderr %q; want only the path", code, out, errOut)
	}
	if again, _ := os.ReadFile(cert); !bytes.Equal(again, first) {
		t.Error("ca init or ca path replaced the CA")
	}

	// The environment variable chooses the directory; ca path creates the
	// CA on first use, and says so on stderr only.
	envDir := filepath.Join(t.TempDir(), "env-ca")
	t.Setenv("ASKSIM_CAROOT", envDir)
	code, out, errOut = runCA("ca", "path")
	if want := filepath.Join(envDir, "rootCA.pem"); code != exitOK || out != want+"\n" || !strings.Contains(errOut, "created a local CA") {
		t.Errorf("ca path with ASKSIM_CAROOT: exit %d, stdout %q, stderr %q", code, out, errOut)
	}

	// A broken CA directory is a configuration error naming the file.
	broken := t.TempDir()
	os.WriteFile(filepath.Join(broken, "rootCA.pem"), []byte("junk"), 0o644)
	code, _, errOut = runCA("ca", "path", "--ca-dir", broken)
	if code != exitUsage || !strings.Contains(errOut, "rootCA.pem") {
		t.Errorf("broken CA dir: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut = runCA("ca", "path", "extra"); code != exitUsage || !strings.Contains(errOut, "takes no arguments") {
		t.Errorf("ca path extra: exit %d, stderr %q", code, errOut)
	}
}
