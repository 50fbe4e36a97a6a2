package model

import (
	"strings"
	"unicode"
)

// Words splits text into the lower-case words Resolve compares: case and
// punctuation are dropped, so "Book a flight, to PARIS!" and
// "book a flight to paris" are the same utterance. Kept inside a word: an
// apostrophe between letters ("o'clock"), and ':' '.' '-' '/' between
// digits ("7:30", "2.5", "2025-06-05"), because built-in slot types read
// them. A hyphen between letters splits ("twenty-one" → "twenty", "one").
//
// English contractions are written out ("what's" → "what", "is"; "don't"
// → "do", "not"), in utterances and samples alike, so that "what's my
// email" matches the sample "what is my email" as Alexa's language
// understanding does. Only contractions with one reading are expanded: a
// possessive ("john's") stays as it is. A slot filled from such words
// carries the written-out form.
func Words(text string) []string {
	return expandContractions(words(text))
}

func words(text string) []string {
	rs := []rune(text)
	var words []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, cur.String())
			cur.Reset()
		}
	}
	isWordRune := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	for i, r := range rs {
		switch {
		case isWordRune(r):
			cur.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’':
			if cur.Len() > 0 && i+1 < len(rs) && unicode.IsLetter(rs[i+1]) {
				cur.WriteRune('\'')
			}
		case r == ':' || r == '.' || r == '-' || r == '/':
			if i > 0 && i+1 < len(rs) && unicode.IsDigit(rs[i-1]) && unicode.IsDigit(rs[i+1]) && cur.Len() > 0 {
				cur.WriteRune(r)
			} else {
				flush()
			}
		default:
			flush()
		}
	}
	flush()
	return words
}

// normalize is the canonical string form of a phrase: its words joined by
// single spaces.
func normalize(text string) string {
	return strings.Join(Words(text), " ")
}

// contractions are the English contractions Words writes out. Ambiguous
// ones take their commonest reading in requests ("he'd" → "he would").
var contractions = map[string][]string{
	"what's": {"what", "is"}, "that's": {"that", "is"}, "it's": {"it", "is"},
	"there's": {"there", "is"}, "here's": {"here", "is"}, "who's": {"who", "is"},
	"where's": {"where", "is"}, "when's": {"when", "is"}, "how's": {"how", "is"},
	"he's": {"he", "is"}, "she's": {"she", "is"}, "let's": {"let", "us"},
	"i'm": {"i", "am"}, "you're": {"you", "are"}, "we're": {"we", "are"}, "they're": {"they", "are"},
	"i've": {"i", "have"}, "you've": {"you", "have"}, "we've": {"we", "have"}, "they've": {"they", "have"},
	"i'll": {"i", "will"}, "you'll": {"you", "will"}, "he'll": {"he", "will"}, "she'll": {"she", "will"},
	"we'll": {"we", "will"}, "they'll": {"they", "will"}, "it'll": {"it", "will"},
	"i'd": {"i", "would"}, "you'd": {"you", "would"}, "he'd": {"he", "would"}, "she'd": {"she", "would"},
	"we'd": {"we", "would"}, "they'd": {"they", "would"},
	"isn't": {"is", "not"}, "aren't": {"are", "not"}, "wasn't": {"was", "not"}, "weren't": {"were", "not"},
	"don't": {"do", "not"}, "doesn't": {"does", "not"}, "didn't": {"did", "not"},
	"haven't": {"have", "not"}, "hasn't": {"has", "not"}, "hadn't": {"had", "not"},
	"won't": {"will", "not"}, "wouldn't": {"would", "not"}, "shouldn't": {"should", "not"},
	"couldn't": {"could", "not"}, "can't": {"can", "not"}, "cannot": {"can", "not"},
	"mustn't": {"must", "not"},
}

// expandContractions writes out the contractions in toks, reusing toks
// when there are none.
func expandContractions(toks []string) []string {
	i := 0
	for i < len(toks) && contractions[toks[i]] == nil {
		i++
	}
	if i == len(toks) {
		return toks
	}
	out := append(make([]string, 0, len(toks)+4), toks[:i]...)
	for _, t := range toks[i:] {
		if full := contractions[t]; full != nil {
			out = append(out, full...)
		} else {
			out = append(out, t)
		}
	}
	return out
}
