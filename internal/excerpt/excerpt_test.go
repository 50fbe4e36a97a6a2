package excerpt_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/asksim/asksim/internal/excerpt"
)

func TestHead(t *testing.T) {
	for _, c := range []struct {
		s    string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"abcdefghijk", 5, "abcde…"},
		// "é" is two bytes, "€" three, "🙂" four: a cut inside any of them
		// drops the whole character.
		{"abcdé", 5, "abcd…"},
		{"abcdéf", 6, "abcdé…"},
		{"ab€cd", 3, "ab…"},
		{"ab€cd", 4, "ab…"},
		{"ab€cd", 5, "ab€…"},
		{"a🙂b", 2, "a…"},
		{"a🙂b", 4, "a…"},
		{"a🙂b", 5, "a🙂…"},
		// Not UTF-8: the bytes are kept, cut where asked.
		{"\xff\xfe\xfd\xfc", 2, "\xff\xfe…"},
		{"ab\x80\x80\x80\x80\x80", 4, "ab\x80\x80…"},
		{"abc", 0, "…"},
	} {
		got := excerpt.Head(c.s, c.n)
		if got != c.want {
			t.Errorf("Head(%q, %d) = %q, want %q", c.s, c.n, got, c.want)
		}
		if utf8.ValidString(c.s) && !utf8.ValidString(got) {
			t.Errorf("Head(%q, %d) = %q cuts a character", c.s, c.n, got)
		}
	}
	long := strings.Repeat("ü", 150) // 300 bytes
	got := excerpt.Head(long, 199)
	if !utf8.ValidString(got) || got != strings.Repeat("ü", 99)+"…" {
		t.Errorf("Head of 150 ü at 199 bytes = %q", got)
	}
}
