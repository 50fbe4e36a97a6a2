package excerpt

import "unicode/utf8"

// Head returns s whole when it has at most n bytes; else its first n bytes,
// or fewer when n would split a character, followed by "…". Bytes that are
// not UTF-8 are kept as they are.
func Head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := max(n, 0)
	// The last character that starts before the cut: drop it if the cut
	// splits it.
	for j := cut - 1; j >= 0 && j > cut-utf8.UTFMax; j-- {
		if utf8.RuneStart(s[j]) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if (r != utf8.RuneError || size > 1) && j+size > cut {
				cut = j
			}
			break
		}
	}
	return s[:cut] + "…"
}
