package logsafe_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/asksim/asksim/internal/logsafe"
)

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"/token":              "/token",
		"st-1":                "st-1",
		"a=b":                 "a=b",
		"":                    `""`,
		"a b":                 `"a b"`,
		"x\r\noauth: GET /":   `"x\r\noauth: GET /"`,
		`say "hi"`:            `"say \"hi\""`,
		`back\slash`:          `"back\\slash"`,
		"line\u2028separator": `"line\u2028separator"`,
		"bad\xffutf8":         `"bad\xffutf8"`,
		"caf\u00e9":           `"café"`,
		"nel\u0085next":       `"nel\u0085next"`,
	} {
		if got := logsafe.Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestText(t *testing.T) {
	for in, want := range map[string]string{
		"fault: status 500":  "fault: status 500",
		"":                   "",
		"bad\ninjected line": `bad\ninjected line`,
		"cr\rlf":             `cr\rlf`,
		`already \n escaped`: `already \\n escaped`,
		"tab\tand\x00nul":    `tab\tand\x00nul`,
		"line\u2028sep":      `line\u2028sep`,
	} {
		got := logsafe.Text(in)
		if got != want {
			t.Errorf("Text(%q) = %s, want %s", in, got, want)
		}
		if strings.ContainsAny(got, "\r\n\u2028\u0085") {
			t.Errorf("Text(%q) = %q still breaks lines", in, got)
		}
	}
}

// FuzzQuote: whatever comes in, the result is one line of printable text
// that reads back (a quoted result unquotes to the input).
func FuzzQuote(f *testing.F) {
	for _, s := range []string{"/token", "a b", "x\r\ny", "\u2028", "\xff", `\"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, got := range []string{logsafe.Quote(s), logsafe.Text(s)} {
			for _, r := range got {
				if r < ' ' || r == 0x7f || r == '\u0085' || r == '\u2028' || r == '\u2029' {
					t.Fatalf("%q: output %q holds %U", s, got, r)
				}
			}
		}
		if q := logsafe.Quote(s); q != s && strings.HasPrefix(q, `"`) {
			if u, err := strconv.Unquote(q); err != nil || u != s {
				t.Fatalf("Quote(%q) = %s does not read back: %q, %v", s, q, u, err)
			}
		}
	})
}
