package model

import (
	"strings"
	"unicode"
)

// Words splits text into the lower-case words Resolve compares: case and
// punctuation are dropped, so "Book a flight, to PARIS!" and
// "book a flight to paris" are the same utterance. Kept inside a word: an
// apostrophe between letters ("what's"), and ':' '.' '-' '/' between digits
// ("7:30", "2.5", "2025-06-05"), because built-in slot types read them.
// A hyphen between letters splits ("twenty-one" → "twenty", "one").
func Words(text string) []string {
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
