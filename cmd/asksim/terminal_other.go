//go:build !(aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || zos || windows)

package main

// terminalFd: where no terminal can be asked for its settings, there is no
// terminal to prompt at.
func terminalFd(uintptr) bool { return false }
