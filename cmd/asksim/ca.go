package main

import (
	"context"
	"fmt"

	"github.com/asksim/asksim/fakes/serve"
	"github.com/spf13/pflag"
)

// caFlag is --ca-dir, shared by every command that serves the fakes over
// TLS and by 'asksim ca'.
type caFlag struct{ dir string }

func (f *caFlag) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.dir, "ca-dir", "", "directory of the persistent local CA (default $"+serve.CADirEnv+", else asksim under the user config dir)")
}

// load returns the persistent CA, creating it on first use; a note on
// stderr says where a new one was made, since skills must be told to
// trust it.
func (f *caFlag) load(st *stdio) (*serve.CA, error) {
	ca, created, err := f.loadOrCreate()
	if err != nil {
		return nil, err
	}
	if created {
		fmt.Fprintf(st.err, "asksim: created a local CA; skills must trust %s\n", ca.CertFile())
	}
	return ca, nil
}

// loadOrCreate returns the persistent CA of --ca-dir (or the default
// directory), and whether it was just created.
func (f *caFlag) loadOrCreate() (*serve.CA, bool, error) {
	dir, err := serve.ResolveCADir(f.dir)
	if err != nil {
		return nil, false, usagef("--ca-dir: %v", err)
	}
	ca, created, err := serve.LoadOrCreateCA(dir)
	if err != nil {
		return nil, false, &configError{fmt.Sprintf("local CA in %s: %v", dir, err)}
	}
	return ca, created, nil
}

func init() {
	register(&command{
		name:    "ca path",
		summary: "Print the path of the local CA certificate that skills trust with --tls",
		usage:   "[flags]",
		long: `Prints the path of the persistent local CA's certificate, creating the CA on
first use. The fakes' --tls certificates are signed by it, so a skill that
trusts this file once keeps trusting every later run:

  Python:   REQUESTS_CA_BUNDLE=$(asksim ca path) python skill.py
  Node.js:  NODE_EXTRA_CA_CERTS=$(asksim ca path) node index.js
  Java:     import it into a trust store with keytool (see README)

The CA lives in --ca-dir, else $` + serve.CADirEnv + `, else asksim under the user
config directory. Its key (rootCA-key.pem, mode 0600) never leaves it.`,
		examples: `  asksim ca path
  REQUESTS_CA_BUNDLE=$(asksim ca path) python lambda_function.py
  asksim ca path --ca-dir .asksim-ca`,
		setup: func(fs *pflag.FlagSet) func(context.Context, *stdio, []string) error {
			var f caFlag
			f.register(fs)
			return func(ctx context.Context, st *stdio, args []string) error {
				if len(args) > 0 {
					return usagef("takes no arguments, got %q", args)
				}
				ca, err := f.load(st)
				if err != nil {
					return err
				}
				fmt.Fprintln(st.out, ca.CertFile())
				return nil
			}
		},
	})
	register(&command{
		name:    "ca init",
		summary: "Create the local CA for --tls if there is none (for CI set-up)",
		usage:   "[flags]",
		long: `Creates the persistent local CA in --ca-dir (else $` + serve.CADirEnv + `, else asksim
under the user config directory) unless one is there already, and prints
its certificate's path and how each runtime trusts it. Running it again
changes nothing.`,
		examples: `  asksim ca init
  asksim ca init --ca-dir "$RUNNER_TEMP/asksim-ca"`,
		setup: func(fs *pflag.FlagSet) func(context.Context, *stdio, []string) error {
			var f caFlag
			f.register(fs)
			return func(ctx context.Context, st *stdio, args []string) error {
				if len(args) > 0 {
					return usagef("takes no arguments, got %q", args)
				}
				ca, created, err := f.loadOrCreate()
				if err != nil {
					return err
				}
				what := "Local CA (already there)"
				if created {
					what = "Local CA (created)"
				}
				fmt.Fprintf(st.out, "%s: %s\n%s", what, ca.CertFile(), serve.TrustInstructions(ca.CertFile()))
				return nil
			}
		},
	})
}
