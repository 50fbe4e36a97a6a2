package main

import (
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asksim/asksim/simulator"
)

// TestTest_BadFakeAddressExits2NamingTheFlag is issue 14 defect 1 from the
// command line: a taken port or an address other machines could reach
// panicked with a nil pointer; it is a usage error naming the flag.
func TestTest_BadFakeAddressExits2NamingTheFlag(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	taken := l.Addr().String()
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--api-addr", taken}, []string{"--api-addr", taken, "address already in use"}},
		{[]string{"--oauth-addr", taken}, []string{"--oauth-addr", taken, "address already in use"}},
		{[]string{"--api-addr", "192.0.2.1:8700"}, []string{"--api-addr", "192.0.2.1:8700", "not loopback"}},
		{[]string{"--oauth-addr", "8701"}, []string{"--oauth-addr", `"8701"`, "HOST:PORT"}},
	} {
		code, stdout, stderr := runCLI(t, append([]string{"test", "--no-color"}, tc.args...)...)
		if code != 2 {
			t.Errorf("asksim test %s: exit %d, want 2\nstdout: %s\nstderr: %s", strings.Join(tc.args, " "), code, stdout, stderr)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("asksim test %s: stderr %q does not name %q", strings.Join(tc.args, " "), stderr, w)
			}
		}
	}
}

// TestTest_LongFeatureLineExits2NamingFileAndLine is issue 14 defect 4 from
// the command line: a feature line of 64 KiB or more crashed asksim test,
// and --list too, inside the Gherkin parser.
func TestTest_LongFeatureLineExits2NamingFileAndLine(t *testing.T) {
	path := writeFile(t, filepath.Join(t.TempDir(), "long.feature"),
		"Feature: f\n  Scenario: s\n    When the user says \""+strings.Repeat("a", 64<<10)+"\"\n")
	for _, args := range [][]string{{"test", "--list", path}, {"test", "--no-color", path}} {
		code, stdout, stderr := runCLI(t, args...)
		if code != 2 || !strings.Contains(stderr, path+":3: the line is 65561 bytes long, more than 32768 (32 KiB)") {
			t.Errorf("asksim %s: exit %d, stderr %q; want exit 2 naming %s:3", args[:2], code, stderr, path)
		}
		if stdout != "" {
			t.Errorf("asksim %s printed %q", args[:2], stdout)
		}
	}
}

// TestSend_EnvelopeFileLimits is issue 14 defect 3 for asksim send --file
// (500 KiB of '[' here; 5 MB is over the size cap):
// an envelope nested past simulator.MaxJSONDepth is refused with its line,
// and one larger than the cap is refused instead of read whole (a file) or
// cut short (stdin).
func TestSend_EnvelopeFileLimits(t *testing.T) {
	dir := t.TempDir()
	deep := writeFile(t, filepath.Join(dir, "deep.json"), "{\"version\":\"1.0\",\n\"session\":{\"attributes\":{\"a\":"+strings.Repeat("[", 500<<10))
	big := "{\"version\":\"1.0\",\"pad\":\"" + strings.Repeat("x", simulator.MaxResponseBytes) + "\"}"
	bigFile := writeFile(t, filepath.Join(dir, "big.json"), big)
	for _, tc := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{"--file", deep}, deep + ":2: not an envelope: JSON nests arrays and objects deeper than 128 levels"},
		{"", []string{"--file", bigFile}, bigFile + ": larger than 1048576 bytes, want an envelope JSON"},
		{big, []string{"-"}, "stdin: larger than 1048576 bytes"},
	} {
		code, _, stderr := runCLIStdin(t, tc.stdin, append([]string{"send", "--endpoint", "http://127.0.0.1:1/"}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("asksim send %s: exit %d, stderr %.300q; want exit 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}
