package main

import (
	"context"
	"errors"

	"github.com/asksim/asksim/features"
	"github.com/asksim/asksim/simulator"
	"github.com/spf13/pflag"
)

func init() {
	register(&command{
		name:    "dialog",
		summary: "Talk to a skill line by line, as 'ask dialog' does, and record the conversation as a feature",
		usage:   "[flags]",
		long: `Talks to a local skill interactively: each line is what the user says,
resolved through the skill's interaction model as Alexa hears it, and after
each turn asksim prints Alexa's speech, reprompt, card, directives, what it
heard, the requests with their latency, the calls the skill made to the
Alexa API and OAuth fakes, and the session's state. It takes the flags of
'asksim test' for the skill, its package, the fakes and what requests carry;
without --endpoint it talks to the bundled example skill.

` + features.DialogHelp + `

When standard input is not a terminal, it is read line by line, so a script
can drive the dialog; each line read is echoed. --record FILE writes the
conversation as a feature file of 'the user says' steps and 'Alexa says'
assertions that 'asksim test FILE' replays.

Exit status: 0, or 1 when a turn failed (the skill did not answer, or broke
the response contract) and standard input is not a terminal; 2 usage error.`,
		examples: `  asksim dialog
  asksim dialog --endpoint http://127.0.0.1:3000/alexa --skill-package skill-package
  printf 'open example skill\norder two coffees\nyes\n' | asksim dialog --record order.feature
  asksim test order.feature`,
		setup: func(fs *pflag.FlagSet) func(context.Context, *stdio, []string) error {
			var f testFlags
			var consent, record string
			f.registerSuite(fs)
			fs.StringVar(&consent, "consent", simulator.ScenarioNone, "consent scenario to start with: none, name, email, email+linked")
			fs.StringVar(&record, "record", "", "when the dialog ends, write it to FILE as a feature 'asksim test' replays")
			return func(ctx context.Context, st *stdio, args []string) error {
				if len(args) > 0 {
					return usagef("takes no arguments, got %q: say things on standard input", args)
				}
				if _, err := simulator.ParseConsent(consent); err != nil {
					return usagef("--consent: %v", err)
				}
				cfg, err := f.suiteConfig(st)
				if err != nil {
					return err
				}
				suite, err := features.NewSuite(ctx, cfg)
				if err != nil {
					return usagef("%v", err)
				}
				defer suite.Close()
				if err := suite.Check(ctx); err != nil {
					return &configError{err.Error()}
				}
				interactive := isTerminal(st.in)
				err = suite.Dialog(ctx, features.DialogOptions{In: st.in, Out: st.out, Prompt: interactive, Consent: consent, Record: record})
				if errors.Is(err, features.ErrDialogTurnsFailed) {
					if interactive {
						return nil
					}
					return &exitError{exitFailed}
				}
				return err
			}
		},
	})
}
