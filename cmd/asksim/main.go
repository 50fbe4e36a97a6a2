// Command asksim simulates Alexa for skill developers: it prints and sends
// request envelopes, serves fakes of the Alexa APIs and an OAuth server, links
// accounts and runs Gherkin features against a skill.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
