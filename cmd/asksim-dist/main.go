// Command asksim-dist builds asksim's release into a directory:
//
//	go run ./cmd/asksim-dist --out dist --version 1.2.3
//
// writes dist/bin/ (a static binary per platform), dist/npm/ (the package
// asksim and one package per platform, on esbuild's pattern), dist/pypi/ (a
// wheel per platform, holding the binary as a script) and dist/SHA256SUMS.
// Two runs with the same version and commit write the same bytes. The work
// is done by package internal/dist.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/asksim/asksim/internal/dist"
	"github.com/spf13/pflag"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("asksim-dist", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	var cfg dist.Config
	var platforms []string
	var quiet bool
	fs.StringVar(&cfg.Out, "out", "", "output directory (required); its bin/, npm/, pypi/ and SHA256SUMS are replaced")
	fs.StringVar(&cfg.Version, "version", "", "release version, e.g. 1.2.3 or 1.3.0-rc.1 (default: the commit's vX.Y.Z tag, else 0.0.0-dev.<commit time>)")
	fs.StringVar(&cfg.Commit, "commit", "", "commit to stamp (default: git rev-parse HEAD)")
	fs.StringVar(&cfg.Date, "date", "", "commit time to stamp and to give every archive entry, RFC 3339 (default: the commit's, from git)")
	fs.StringSliceVar(&platforms, "platform", nil, "build only these GOOS/GOARCH platforms (repeatable or comma-separated; default all six)")
	fs.BoolVarP(&quiet, "quiet", "q", false, "print only errors")
	if err := fs.Parse(args); err != nil {
		if err == pflag.ErrHelp {
			fmt.Fprintf(stdout, "Builds asksim's release: binaries, npm packages, Python wheels and SHA256SUMS.\n\nUsage:\n  go run ./cmd/asksim-dist --out DIR [--version V] [flags]\n\nFlags:\n%s", fs.FlagUsages())
			return 0
		}
		fmt.Fprintf(stderr, "asksim-dist: %v\nRun 'go run ./cmd/asksim-dist --help' for usage.\n", err)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "asksim-dist: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if cfg.Out == "" {
		fmt.Fprintf(stderr, "asksim-dist: --out DIR is required\n")
		return 2
	}
	for _, s := range platforms {
		p, err := dist.ParsePlatform(strings.TrimSpace(s))
		if err != nil {
			fmt.Fprintf(stderr, "asksim-dist: --platform: %v\n", err)
			return 2
		}
		cfg.Platforms = append(cfg.Platforms, p)
	}
	if _, err := dist.ParseVersion(cfg.Version); cfg.Version != "" && err != nil {
		fmt.Fprintf(stderr, "asksim-dist: --version: %v\n", err)
		return 2
	}
	if !quiet {
		cfg.Log = stderr
	}
	rel, err := dist.Build(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "asksim-dist: %v\n", err)
		return 1
	}
	if !quiet {
		for _, a := range rel.Artifacts {
			fmt.Fprintf(stdout, "%10d  %x  %s\n", a.Size, a.SHA256[:8], a.Path)
		}
		if rel.Modified {
			fmt.Fprintf(stderr, "asksim-dist: warning: the tree has uncommitted changes; the binaries say so (+modified)\n")
		}
	}
	return 0
}
