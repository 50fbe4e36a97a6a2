package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() { os.Exit(asksimMain()) }

// asksimMain is main short of os.Exit: the testscript scripts run it as
// their asksim command, so they pin the very code the binary runs.
func asksimMain() int {
	// SIGHUP too: a closed terminal must not kill asksim before its
	// deferred cleanup (temporary keys, servers) has run.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	return run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}
