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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}
