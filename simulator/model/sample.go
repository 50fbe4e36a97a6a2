package model

import (
	"fmt"
	"strings"
)

// sample is a compiled sample utterance: literal words and slot references.
// Model.idx.samples holds them in tie-break order: by intent, then the
// intent's own samples, then its built-in phrases.
type sample struct {
	intent   *Intent
	text     string // as written
	builtin  bool   // a phrase this package adds for a built-in intent
	parts    []part
	literals []int32 // vocabulary ids of the literal words, for the prefilter
	nLiteral int
	nSlots   int
}

// part is a literal word (slot == nil) or a slot reference.
type part struct {
	word string
	slot *Slot
}

// parseSample compiles one sample of intent in. Placeholders must name slots
// of the intent, each at most once.
func parseSample(in *Intent, text string) (*sample, error) {
	s := &sample{intent: in, text: text}
	used := map[string]bool{}
	rest := text
	for rest != "" {
		open := strings.IndexAny(rest, "{}")
		if open < 0 {
			s.addWords(rest)
			break
		}
		if rest[open] == '}' {
			return nil, fmt.Errorf("unbalanced '}' in sample %q", text)
		}
		s.addWords(rest[:open])
		end := strings.IndexAny(rest[open+1:], "{}")
		if end < 0 || rest[open+1+end] != '}' {
			return nil, fmt.Errorf("unclosed '{' in sample %q", text)
		}
		name := rest[open+1 : open+1+end]
		sl := in.Slot(name)
		if sl == nil {
			return nil, fmt.Errorf("unknown slot \"{%s}\" in sample %q (intent %s has %s)", name, text, in.Name, slotNames(in))
		}
		if used[name] {
			return nil, fmt.Errorf("slot {%s} used twice in sample %q", name, text)
		}
		used[name] = true
		s.parts = append(s.parts, part{slot: sl})
		s.nSlots++
		rest = rest[open+1+end+1:]
	}
	if len(s.parts) == 0 {
		return nil, fmt.Errorf("sample %q has no words", text)
	}
	return s, nil
}

func (s *sample) addWords(text string) {
	for _, w := range Words(text) {
		s.parts = append(s.parts, part{word: w})
		s.nLiteral++
	}
}

func (s *sample) uses(sl *Slot) bool {
	for _, p := range s.parts {
		if p.slot == sl {
			return true
		}
	}
	return false
}

// key is the normalized sample with placeholders kept, for conflict checks.
func (s *sample) key() string {
	words := make([]string, len(s.parts))
	for i, p := range s.parts {
		if p.slot != nil {
			words[i] = "{" + p.slot.Name + "}"
		} else {
			words[i] = p.word
		}
	}
	return strings.Join(words, " ")
}

func slotNames(in *Intent) string {
	if len(in.Slots) == 0 {
		return "no slots"
	}
	names := make([]string, len(in.Slots))
	for i, s := range in.Slots {
		names[i] = "{" + s.Name + "}"
	}
	return strings.Join(names, ", ")
}
