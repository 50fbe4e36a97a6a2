//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || zos

package main

import "golang.org/x/sys/unix"

// terminalFd asks fd for its terminal settings (TCGETS, or TIOCGETA on the
// BSDs), which fails on anything but a terminal.
func terminalFd(fd uintptr) bool {
	_, err := unix.IoctlGetTermios(int(fd), ioctlReadTermios)
	return err == nil
}
