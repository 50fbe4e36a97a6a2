package model_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/asksim/asksim/simulator/model"
)

type genSlot struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

type genIntent struct {
	Name    string    `json:"name"`
	Slots   []genSlot `json:"slots"`
	Samples []string  `json:"samples"`
}

// genIntents builds nIntents × nSamples. Samples draw from one shared
// vocabulary, with common words weighted, so many samples share words as in
// real models ("i want to …", "the …"), and carry zero to three slots
// (custom, NUMBER, DATE). It also returns, per intent, an utterance made
// from its last sample with the slots filled.
func genIntents(nIntents, nSamples int) ([]genIntent, []string) {
	rng := rand.New(rand.NewPCG(1, 2))
	common := strings.Fields("i want to the a please my for me can you")
	word := func() string {
		if rng.IntN(3) == 0 {
			return common[rng.IntN(len(common))]
		}
		return fmt.Sprintf("w%03d", rng.IntN(150))
	}
	fill := strings.NewReplacer("{thing}", "blue widget", "{count}", "twenty two", "{day}", "next friday")
	seen := map[string]bool{}
	var intents []genIntent
	var utterances []string
	for i := 0; i < nIntents; i++ {
		in := genIntent{Name: fmt.Sprintf("Intent%02d", i),
			Slots: []genSlot{{"thing", "Thing"}, {"count", "AMAZON.NUMBER"}, {"day", "AMAZON.DATE"}}}
		for len(in.Samples) < nSamples {
			words := make([]string, 3+rng.IntN(4))
			for k := range words {
				words[k] = word()
			}
			if rng.IntN(2) == 0 {
				words = append(words, "{thing}")
			}
			if rng.IntN(3) == 0 {
				words = append([]string{"{count}"}, words...)
			}
			if rng.IntN(4) == 0 {
				words = append(words, "on", "{day}")
			}
			if s := strings.Join(words, " "); !seen[s] {
				seen[s] = true
				in.Samples = append(in.Samples, s)
			}
		}
		utterances = append(utterances, fill.Replace(in.Samples[len(in.Samples)-1]))
		intents = append(intents, in)
	}
	return intents, utterances
}

func genJSON(tb testing.TB, intents []genIntent) []byte {
	tb.Helper()
	var values []any
	for v := 0; v < 20; v++ {
		values = append(values, map[string]any{"name": map[string]any{
			"value": fmt.Sprintf("widget %d", v), "synonyms": []string{fmt.Sprintf("gadget %d", v)}}})
	}
	values = append(values, map[string]any{"name": map[string]any{"value": "blue widget"}})
	data, err := json.Marshal(map[string]any{"interactionModel": map[string]any{"languageModel": map[string]any{
		"invocationName": "bench skill",
		"intents":        intents,
		"types":          []any{map[string]any{"name": "Thing", "values": values}},
	}}})
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func genModel(tb testing.TB, intents []genIntent) *model.Model {
	tb.Helper()
	m, err := model.ParseModel("generated.json", genJSON(tb, intents))
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func TestGeneratedModelResolves(t *testing.T) {
	intents, utts := genIntents(50, 20)
	m := genModel(t, intents)
	for i, u := range utts {
		r, err := m.Resolve(u)
		if err != nil {
			t.Fatalf("Resolve(%q): %v", u, err)
		}
		// Random samples may overlap; if another intent wins, it must have
		// scored at least as well as the utterance's own sample.
		own := genModel(t, intents[i:i+1])
		want, err := own.Resolve(u)
		if err != nil {
			t.Fatalf("own intent: Resolve(%q): %v", u, err)
		}
		if r.Intent != intents[i].Name && (r.Score.Literal < want.Score.Literal ||
			(r.Score.Literal == want.Score.Literal && r.Score.Recognized < want.Score.Recognized)) {
			t.Errorf("Resolve(%q) = %s (%s), own intent %s scores %s", u, r.Intent, r.Score, intents[i].Name, want.Score)
		}
	}
}

// BenchmarkResolve: resolving against 50 intents × 20 samples, with two
// baselines from the same run: normalising the utterance alone, and
// resolving it against a model of just its own intent (1 × 20).
func BenchmarkResolve(b *testing.B) {
	intents, utts := genIntents(50, 20)
	const pick = 37
	u := utts[pick]
	big := genModel(b, intents)
	one := genModel(b, intents[pick:pick+1])
	b.Run("words-only", func(b *testing.B) {
		for b.Loop() {
			model.Words(u)
		}
	})
	b.Run("1x20", func(b *testing.B) {
		for b.Loop() {
			if _, err := one.Resolve(u); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("50x20", func(b *testing.B) {
		for b.Loop() {
			if _, err := big.Resolve(u); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("50x20-nomatch", func(b *testing.B) {
		for b.Loop() {
			if _, err := big.Resolve("this matches nothing in the model at all"); err == nil {
				b.Fatal("matched")
			}
		}
	})
}

// BenchmarkParseModel measures loading (checks and index) of 50 × 20.
func BenchmarkParseModel(b *testing.B) {
	intents, _ := genIntents(50, 20)
	data := genJSON(b, intents)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := model.ParseModel("generated.json", data); err != nil {
			b.Fatal(err)
		}
	}
}
