package main

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/serve"
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
		{[]string{"--api-addr", taken}, []string{"--api-addr", taken, "address in use"}},
		{[]string{"--oauth-addr", taken}, []string{"--oauth-addr", taken, "address in use"}},
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

// tempDir points os.TempDir, in this process and the ones it starts, at a
// new directory, and returns it.
func tempDir(t *testing.T) string {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	return dir
}

// left lists what is in dir.
func left(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestFakes_TempKeyGoneOnErrors is issue 14 defect 3's other half: a
// profiles file of 5 MB of '[' crashed asksim fakes and left the generated
// signing key behind. Bad input and a taken port now exit 2 without
// having written one.
func TestFakes_TempKeyGoneOnErrors(t *testing.T) {
	tmp := tempDir(t)
	t.Setenv(serve.CADirEnv, t.TempDir())
	inputs := t.TempDir()
	deep := writeFile(t, filepath.Join(inputs, "profiles.json"), "{\"default\":\n"+strings.Repeat("[", 5<<20))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--profiles", deep}, deep + ":2: JSON nests arrays and objects deeper than 64 levels"},
		{[]string{"--oauth-addr", l.Addr().String()}, "--oauth-addr"},
		{[]string{"--tls", "--ca-out", filepath.Join(inputs, "no", "such", "dir", "ca.pem")}, "--ca-out"},
	} {
		code, _, stderr := runCLI(t, append([]string{"fakes", "-q"}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("asksim fakes %s: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
		if names := left(t, tmp); len(names) > 0 {
			t.Errorf("asksim fakes %s left %v in the temporary directory", tc.args, names)
		}
	}
}

// panicWriter panics on the first write, as a bug after the key is
// written would.
type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("a bug after the key was written") }

// TestFakes_TempKeyGoneOnPanic: the banner is printed after the key is
// written; a panic there unwinds through the deferred removal.
func TestFakes_TempKeyGoneOnPanic(t *testing.T) {
	tmp := tempDir(t)
	func() {
		defer func() {
			if r := recover(); r != "a bug after the key was written" {
				t.Fatalf("recovered %v", r)
			}
		}()
		runFakes(context.Background(), &stdio{in: strings.NewReader(""), out: panicWriter{}, err: io.Discard},
			fakesOpts{apiAddr: "127.0.0.1:0", oauthAddr: "127.0.0.1:0", quiet: true})
		t.Fatal("runFakes returned")
	}()
	if names := left(t, tmp); len(names) > 0 {
		t.Errorf("the panic left %v in the temporary directory", names)
	}
}

// TestFakes_TempKeyGoneOnSignals: interrupted (Ctrl-C), terminated or hung
// up on, asksim fakes shuts down and removes the key it generated.
func TestFakes_TempKeyGoneOnSignals(t *testing.T) {
	bin := buildAsksim(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			tmp := tempDir(t)
			p := startFakes(t, bin, "-q")
			key := strings.Fields(p.lines["Signing key"])[0]
			st, err := os.Stat(key)
			if err != nil || filepath.Dir(key) != tmp || st.Mode().Perm() != 0o600 {
				t.Fatalf("key %s: %v, mode %v; want a 0600 file in %s", key, err, st, tmp)
			}
			if len(left(t, tmp)) != 1 {
				t.Fatalf("temporary directory holds %v, want the key alone", left(t, tmp))
			}
			if err := p.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			select {
			case <-p.exited:
				if p.err != nil {
					t.Errorf("asksim fakes exited with %v after %v; stderr: %s", p.err, sig, p.stderr)
				}
			case <-time.After(15 * time.Second):
				t.Fatalf("asksim fakes did not stop within 15s of %v", sig)
			}
			if names := left(t, tmp); len(names) > 0 {
				t.Errorf("after %v the temporary directory holds %v", sig, names)
			}
		})
	}
}
