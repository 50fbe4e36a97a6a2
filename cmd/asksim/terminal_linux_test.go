package main

import (
	"os"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// A pseudo-terminal is a terminal: the check can say yes.
func TestTerminal_PseudoTerminalIsOne(t *testing.T) {
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open a pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	fd := int(ptmx.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlock the pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("its number: %v", err)
	}
	pts, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer pts.Close()
	if !isTerminal(pts) {
		t.Error("a pseudo-terminal is not taken for a terminal")
	}
	t.Setenv("NO_COLOR", "")
	if !colorful(pts) {
		t.Error("a terminal without NO_COLOR gets no colours")
	}
	t.Setenv("NO_COLOR", "1")
	if colorful(pts) {
		t.Error("NO_COLOR is not honoured")
	}
}
