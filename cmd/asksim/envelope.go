package main

import (
	"context"

	"github.com/spf13/pflag"
)

func init() {
	register(&command{
		name:    "envelope",
		summary: "Print a request envelope as Alexa would send it",
		usage:   "<launch | intent NAME | session-ended | can-fulfill NAME | permission-response [SCOPE...] | exception | audioplayer EVENT> [flags]",
		long: `Prints the JSON envelope, indented, with a signed apiAccessToken. Give the
same --key to 'asksim fakes' and the fake Alexa APIs accept the token.`,
		examples: `  asksim envelope launch --consent email
  asksim envelope intent OrderIntent --slot item=coffee --slot quantity=2
  asksim envelope intent GetEmailIntent --consent email+linked --access-token abc123
  asksim envelope launch --grant address --grant "given name" --device echo-show
  asksim envelope launch --key key.pem --api-endpoint http://127.0.0.1:8700
  asksim envelope permission-response name --status DENIED --token t1`,
		setup: func(fs *pflag.FlagSet) func(context.Context, *stdio, []string) error {
			var sf simFlags
			var rf requestFlags
			sf.register(fs)
			rf.register(fs)
			return func(ctx context.Context, st *stdio, args []string) error {
				req, err := rf.build(args)
				if err != nil {
					return err
				}
				sim, consent, err := sf.simulator()
				if err != nil {
					return err
				}
				env, err := sim.NewConversation(consent).Envelope(req)
				if err != nil {
					return err
				}
				b, err := env.Indent()
				if err != nil {
					return err
				}
				return writeJSONIndent(st.out, b)
			}
		},
	})
}
