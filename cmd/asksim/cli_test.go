package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// runCLI runs asksim in-process with args and returns its exit code and
// output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestCLI_HelpOnEveryCommand(t *testing.T) {
	for name := range commands {
		args := append(strings.Fields(name), "--help")
		code, stdout, _ := runCLI(t, args...)
		if code != 0 || !strings.Contains(stdout, "Usage:") {
			t.Errorf("asksim %s --help: exit %d, output %q", name, code, stdout)
		}
		if commands[name].examples != "" && !strings.Contains(stdout, "Examples:") {
			t.Errorf("asksim %s --help shows no examples", name)
		}
	}
	code, stdout, _ := runCLI(t)
	if code != 0 || !strings.Contains(stdout, "envelope") || !strings.Contains(stdout, "test") {
		t.Errorf("overview: exit %d, %q", code, stdout)
	}
}
