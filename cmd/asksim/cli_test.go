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

func TestCLI_UsageErrorsExit2AndNameTheFault(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"nope"}, `unknown command "nope"`},
		{[]string{"token"}, "missing subcommand: one of decode, keygen"},
		{[]string{"envelope"}, "missing request"},
		{[]string{"envelope", "launch", "--consent", "all"}, "none, name, email, email+linked"},
		{[]string{"envelope", "launch", "--grant", "shoe size"}, "--grant"},
		{[]string{"envelope", "launch", "--device", "echo-plus"}, "echo-dot"},
		{[]string{"envelope", "intent"}, "intent name"},
		{[]string{"envelope", "intent", "X", "--slot", "novalue"}, "--slot \"novalue\": want name=value"},
		{[]string{"envelope", "launch", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"envelope", "launch", "--key", "/does/not/exist.pem"}, "--key"},
		{[]string{"test", "--shard", "0/2"}, "--shard"},
		{[]string{"test", "--concurrency", "0"}, "--concurrency"},
		{[]string{"token", "decode", "abc"}, "TOKEN"},
	}
	for _, c := range cases {
		code, _, stderr := runCLI(t, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("asksim %s: exit %d, stderr %q; want exit 2 naming %q", strings.Join(c.args, " "), code, stderr, c.want)
		}
	}
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
