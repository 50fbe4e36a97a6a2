// Package logsafe prepares text from outside the process (URL paths, query
// parameters, token claims, error messages quoting them) for a log line.
//
// A CR or LF in a logged value lets whoever sent it start a line of their
// own choosing: a forged request, a fake "token ok". Every such value goes
// through Quote (a field) or Text (free text) first, so that one request
// makes one line and every byte of it is visible.
package logsafe

import "strconv"

// Quote returns s unchanged when it is a plain word (printable ASCII,
// without spaces, quotes or backslashes), else s as a Go string literal:
// "a b", "x\r\ny", "\u2028". Plain words stay unquoted so that ordinary
// lines read as before.
func Quote(s string) string {
	if plain(s) {
		return s
	}
	return strconv.Quote(s)
}

// Text returns s with control characters, invalid UTF-8 and non-printing
// runes escaped as in a Go string literal, without adding quotes: for
// messages whose spaces are part of the text.
func Text(s string) string {
	if printable(s) {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

func plain(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// printable reports whether s is printable ASCII, spaces included, and has
// no backslash (which Text would otherwise leave ambiguous).
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c >= 0x7f || c == '\\' {
			return false
		}
	}
	return true
}
