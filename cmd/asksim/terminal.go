package main

import (
	"io"
	"os"
)

// isTerminal reports whether x is a terminal: a person types at it, or
// reads from it. A character device is not enough: /dev/null is one, and a
// dialog driven from `< /dev/null` must not prompt, nor output sent there
// carry colours. The terminal is asked for its settings, which only a
// terminal has (terminal_*.go).
func isTerminal(x any) bool {
	f, ok := x.(*os.File)
	if !ok {
		return false
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return false
	}
	// Control, not Fd: Fd would switch the file to blocking mode.
	tty := false
	if err := rc.Control(func(fd uintptr) { tty = terminalFd(fd) }); err != nil {
		return false
	}
	return tty
}

// colorful reports whether w is a terminal that wants colours: not a file
// or pipe (CI logs) or /dev/null, and no NO_COLOR in the environment
// (no-color.org).
func colorful(w io.Writer) bool {
	return os.Getenv("NO_COLOR") == "" && isTerminal(w)
}
