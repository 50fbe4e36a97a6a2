package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/asksim/asksim/internal/buildinfo"
	"github.com/spf13/pflag"
)

func init() {
	register(&command{
		name:    "version",
		summary: "Print asksim's version",
		usage:   "[--json]",
		long: `Prints the version (the release's, or the module version of go install …@vX,
or (devel) for a build from a checkout), the commit and date it was built from
when known, the Go version and the platform. "asksim --version" prints the same.`,
		examples: `  asksim version
  asksim version --json`,
		setup: func(fs *pflag.FlagSet) func(context.Context, *stdio, []string) error {
			asJSON := fs.Bool("json", false, "print the version as a JSON object")
			return func(ctx context.Context, st *stdio, args []string) error {
				if len(args) > 0 {
					return usagef("takes no arguments, got %q", args)
				}
				return printVersion(st, *asJSON)
			}
		},
	})
}

func printVersion(st *stdio, asJSON bool) error {
	info := buildinfo.Get()
	if !asJSON {
		_, err := fmt.Fprintln(st.out, info)
		return err
	}
	b, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(st.out, "%s\n", b)
	return err
}
