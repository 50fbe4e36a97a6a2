package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/asksim/asksim/simulator/apitoken"
	"github.com/spf13/pflag"
)

func init() {
	register(&command{
		name:    "token decode",
		summary: "Print the header and claims of an apiAccessToken",
		usage:   "<TOKEN | -> [flags]",
		long: `Decodes a JWT without trusting it and prints its header, claims and, for
asksim's tokens, the granted scopes. With --key it also verifies the signature,
audience, issuer and expiry, and exits 1 when they do not hold.`,
		examples: `  asksim token decode eyJ0eXAiOiJKV1Qi...
  asksim envelope launch --consent email | jq -r .context.System.apiAccessToken | asksim token decode -
  asksim token decode --key key.pem "$TOKEN"
  asksim token decode --key key.pem --time 2026-01-02T15:04:05Z "$TOKEN"`,
		setup: func(fs *pflag.FlagSet) func(context.Context, *stdio, []string) error {
			keyFile := fs.String("key", "", "verify the token with this PEM RSA key")
			at := fs.String("time", "", "with --key: check expiry as of this RFC 3339 time instead of now, e.g. that given to 'asksim envelope --time'")
			return func(ctx context.Context, st *stdio, args []string) error {
				if len(args) != 1 {
					return usagef("want exactly one TOKEN argument (or - to read it from stdin), got %d", len(args))
				}
				var now func() time.Time // nil: the clock
				if *at != "" {
					if *keyFile == "" {
						return usagef("--time needs --key: without a key nothing is verified")
					}
					t, err := time.Parse(time.RFC3339, *at)
					if err != nil {
						return usagef("--time %q: want RFC 3339, e.g. 2026-01-02T15:04:05Z", *at)
					}
					now = func() time.Time { return t }
				}
				tok := args[0]
				if tok == "-" {
					b, err := io.ReadAll(io.LimitReader(st.in, 1<<20))
					if err != nil {
						return err
					}
					if tok = strings.TrimSpace(string(b)); tok == "" {
						return usagef("TOKEN -: standard input is empty, want a JWT")
					}
				}
				d, err := apitoken.Decode(tok)
				if err != nil {
					return usagef("TOKEN: %v", err)
				}
				var verifyErr error
				if *keyFile != "" {
					key, err := apitoken.LoadKeyFile(*keyFile)
					if err != nil {
						return usagef("--key: %v", err)
					}
					verifyErr = d.Verify(apitoken.NewSigner(key).Keyfunc(), now)
				}
				if err := printJSON(st.out, d); err != nil {
					return err
				}
				if verifyErr != nil {
					fmt.Fprintf(st.err, "asksim token decode: %v\n", verifyErr)
					return &exitError{exitFailed}
				}
				return nil
			}
		},
	})
	register(&command{
		name:    "token keygen",
		summary: "Write a new PEM RSA key for signing apiAccessTokens",
		usage:   "[FILE] [flags]",
		long: `Generates a 2048-bit RSA key and writes it as PEM to FILE (mode 0600), or to
stdout when FILE is omitted. Give the file to --key of 'asksim envelope',
'asksim fakes' and 'asksim send' so that they share one key.`,
		examples: `  asksim token keygen key.pem
  asksim fakes --key key.pem &
  asksim envelope launch --consent email --key key.pem`,
		setup: func(fs *pflag.FlagSet) func(context.Context, *stdio, []string) error {
			force := fs.Bool("force", false, "overwrite FILE if it exists")
			return func(ctx context.Context, st *stdio, args []string) error {
				if len(args) > 1 {
					return usagef("want at most one FILE argument, got %d", len(args))
				}
				key, err := apitoken.GenerateKey()
				if err != nil {
					return err
				}
				pemBytes := apitoken.EncodeKeyPEM(key)
				if len(args) == 0 || args[0] == "-" {
					_, err := st.out.Write(pemBytes)
					return err
				}
				flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
				if *force {
					flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
				}
				f, err := os.OpenFile(args[0], flags, 0o600)
				if errors.Is(err, os.ErrExist) {
					return usagef("%s exists; use --force to overwrite it", args[0])
				}
				if err != nil {
					return err
				}
				// OpenFile's mode applies only to a new file: an existing one
				// overwritten with --force keeps its own, 0644 say, unless set.
				// Set before writing, so the key is never readable by others.
				if err := f.Chmod(0o600); err != nil {
					f.Close()
					return err
				}
				if _, err := f.Write(pemBytes); err != nil {
					f.Close()
					return err
				}
				if err := f.Close(); err != nil {
					return err
				}
				fmt.Fprintf(st.err, "wrote %s (RSA %d, fingerprint %s)\n", args[0], apitoken.KeyBits, apitoken.KeyFingerprint(&key.PublicKey))
				return nil
			}
		},
	})
}
