package main

import (
	"context"
	"fmt"

	"github.com/spf13/pflag"
)

func init() {
	register(&command{
		name:    "envelope",
		summary: "Print a request envelope as Alexa would send it",
		usage:   "<launch | intent NAME | session-ended | can-fulfill NAME | permission-response [SCOPE...] | session-resumed [SCOPE...] | exception | audioplayer EVENT> [flags]",
		long: `Prints the JSON envelope, indented, with a signed apiAccessToken. Give the
same --key to 'asksim fakes' and the fake Alexa APIs accept the token.

permission-response is the Connections.Response answering a voice permission
request (Connections.SendRequest AskFor), in the shape of its --permission-version;
session-resumed is the SessionResumedRequest answering voice-forward consent
(Connections.StartConnection to AMAZON.AskForPermissionsConsent/2).
See docs/alexa-contract.md §2.7 and §2.10.`,
		examples: `  asksim envelope launch --consent email
  asksim envelope intent OrderIntent --slot item=coffee --slot quantity=2
  asksim envelope intent GetEmailIntent --consent email+linked --access-token abc123
  asksim envelope launch --grant address --grant "given name" --device echo-show
  asksim envelope launch --key key.pem --api-endpoint http://127.0.0.1:8700
  asksim envelope permission-response reminders --status DENIED --token t1
  asksim envelope permission-response timers --permission-version 1
  asksim envelope session-resumed email --status ACCEPTED --token my-token    # voice-forward consent
  asksim envelope session-resumed email --code 400                            # a scope the manifest lacks`,
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
				if consent.Linked && sf.accessToken == "" {
					fmt.Fprintln(st.err, "asksim envelope: warning: user.accessToken is a placeholder that no OAuth server accepts; for a real one, link against a running 'asksim fakes' (its banner prints the 'asksim link … --print-token' command) and pass --access-token")
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
