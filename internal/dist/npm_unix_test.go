//go:build unix

package dist

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// asksim fakes runs until it is stopped: a SIGTERM to the launcher must reach
// the binary, and the launcher must exit as the binary does.
func TestNpmLauncherForwardsSignals(t *testing.T) {
	p := hostPlatform(t)
	out, _ := fakeRelease(t)
	project := installNpm(t, out, &p)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, need(t, "node"), filepath.Join(project, "node_modules", "asksim", "bin", "asksim"), "wait")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	// Its own process group, so that a failure kills the binary too, and no
	// orphan keeps the pipe open.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(stdout)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("the binary never said ready: %v", err)
		}
		if line == "ready\n" {
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(r)
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 7 || string(rest) != "got TERM\n" {
		t.Errorf("after SIGTERM: %v, output %q; want the binary's exit 7 after \"got TERM\"", err, rest)
	}
}
