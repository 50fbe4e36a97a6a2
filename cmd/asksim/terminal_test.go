package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// /dev/null is a character device but no terminal: asksim dialog with it
// on standard input reads a script (here, none), prints no prompt and no
// greeting, and output sent to it carries no colours.
func TestTerminal_DevNullIsNone(t *testing.T) {
	null, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if isTerminal(null) {
		t.Errorf("%s is taken for a terminal", os.DevNull)
	}
	t.Setenv("NO_COLOR", "")
	if colorful(null) {
		t.Errorf("output to %s would carry colours", os.DevNull)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	file, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	for name, x := range map[string]any{"a pipe": r, "a regular file": file, "a buffer": &bytes.Buffer{}} {
		if isTerminal(x) {
			t.Errorf("%s is taken for a terminal", name)
		}
	}

	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"dialog"}, null, &out, &errb)
	if code != 0 || strings.Contains(out.String(), "Talking to") || strings.Contains(out.String(), "> ") {
		t.Errorf("dialog < %s: exit %d, it prompted:\n%s%s", os.DevNull, code, out.String(), errb.String())
	}
}
