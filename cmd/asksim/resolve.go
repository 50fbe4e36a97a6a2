package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/model"
	"github.com/spf13/pflag"
)

func init() {
	register(&command{
		name:    "resolve",
		summary: "Show which intent and slots an utterance resolves to, and why",
		usage:   `"<utterance>" [flags]`,
		long: `Resolves an utterance against the skill's own interaction model as asksim's
Voice does before sending it: "open <invocation name>" launches, "ask <invocation
name> to …" starts a new session, anything else is matched against the sample
utterances. Prints the intent, the sample that matched, each slot with its value
and entity resolution, and why this intent won.

Matching is by sample: the words must fit one of the model's sample utterances,
with case, punctuation and contractions ("what's" = "what is") aside. Alexa's
statistical language model also understands phrasings that no sample covers;
asksim does not guess at those.

Exits 1 when nothing matches (and the model has no AMAZON.FallbackIntent), listing
the closest samples; 2 when the skill package cannot be read.`,
		examples: `  asksim resolve "order two coffees"
  asksim resolve "ask example skill to order a latte" --skill-package fixtures/skill/skill-package
  asksim resolve "book a flight to paris" --skill-package fixtures/models/travel --json`,
		setup: func(fs *pflag.FlagSet) func(context.Context, *stdio, []string) error {
			var pkg skillPackageFlag
			pkg.register(fs)
			locale := fs.String("locale", simulator.DefaultLocale, "locale of the interaction model, e.g. en-GB")
			skillID := fs.String("skill-id", simulator.DefaultSkillID, "skill id in entity-resolution authorities")
			asJSON := fs.Bool("json", false, "print the resolution as JSON")
			return func(ctx context.Context, st *stdio, args []string) error {
				if len(args) == 0 {
					return usagef(`want an utterance, e.g. asksim resolve "order two coffees"`)
				}
				if err := simulator.CheckSkillID(*skillID); err != nil {
					return usagef("--skill-id: %v", err)
				}
				if err := simulator.CheckLocale(*locale); err != nil {
					return usagef("--locale: %v", err)
				}
				utterance := strings.Join(args, " ")
				src, err := pkg.load(true)
				if err != nil {
					return err
				}
				m, err := src.model(*locale)
				if err != nil {
					return err
				}
				m.SkillID = *skillID
				res, err := m.Resolve(utterance)
				var nm *model.NoMatchError
				switch {
				case errors.As(err, &nm):
					if *asJSON {
						if err := printJSON(st.out, nm); err != nil {
							return err
						}
					}
					fmt.Fprintf(st.err, "asksim resolve: %v (%s)\n%s\n", err, src.describe(), model.MatchingNote)
					return &exitError{exitFailed}
				case errors.Is(err, model.ErrEmptyUtterance):
					return usagef("the utterance has no words")
				case err != nil:
					return err
				}
				if *asJSON {
					return printJSON(st.out, res)
				}
				return res.WriteText(st.out)
			}
		},
	})
}

func printJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeJSONIndent(w, b)
}
