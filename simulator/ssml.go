package simulator

import (
	"fmt"
	"strings"
)

// ssmlTags are the tags Alexa speaks (docs/alexa-contract.md §6.3).
var ssmlTags = map[string]bool{
	"speak": true, "break": true, "emphasis": true, "lang": true, "p": true, "phoneme": true,
	"prosody": true, "s": true, "say-as": true, "sub": true, "voice": true, "w": true, "audio": true,
	"amazon:domain": true, "amazon:effect": true, "amazon:emotion": true,
}

// checkSSML reports the first problem of each kind in an SSML document:
// the <speak> wrapper and well-formedness (RuleSSMLWellFormed), tags Alexa
// does not know (RuleSSMLTag) and unescaped & and < (RuleSSMLEscape). It is a
// hand-written scanner rather than encoding/xml: it runs on every turn, and it
// must tell an unescaped "<" or "&" apart from other malformed XML.
func checkSSML(ssml string, add func(rule, msg string)) {
	var seen uint8 // one bit per rule: report the first problem of each kind
	report := func(rule, msg string) {
		bit := uint8(1)
		switch rule {
		case RuleSSMLTag:
			bit = 2
		case RuleSSMLEscape:
			bit = 4
		}
		if seen&bit == 0 {
			seen |= bit
			add(rule, msg)
		}
	}
	s := strings.TrimSpace(ssml)
	if !strings.HasPrefix(s, "<speak>") && !strings.HasPrefix(s, "<speak ") || !strings.HasSuffix(s, "</speak>") {
		report(RuleSSMLWellFormed, "SSML must be wrapped in <speak>…</speak>")
	}
	stack := make([]string, 0, 8)
	closedRoot := false
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '&':
			if n := entityLen(s[i:]); n > 0 {
				i += n
			} else {
				report(RuleSSMLEscape, fmt.Sprintf("unescaped '&' at offset %d (%s): write &amp;", i, quoteAround(s, i)))
				i++
			}
			if closedRoot {
				report(RuleSSMLWellFormed, "text after </speak>")
			}
		case c != '<':
			if closedRoot && c != ' ' && c != '\t' && c != '\n' && c != '\r' {
				report(RuleSSMLWellFormed, "text after </speak>")
			}
			i++
		case strings.HasPrefix(s[i:], "<!--"):
			end := strings.Index(s[i+4:], "-->")
			if end < 0 {
				report(RuleSSMLWellFormed, fmt.Sprintf("comment at offset %d is not closed", i))
				return
			}
			i += 4 + end + 3
		case i+1 < len(s) && s[i+1] == '/':
			name, n, ok := scanName(s, i+2)
			j := skipSpace(s, n)
			if !ok || j >= len(s) || s[j] != '>' {
				report(RuleSSMLWellFormed, fmt.Sprintf("malformed closing tag at offset %d (%s)", i, quoteAround(s, i)))
				return
			}
			switch {
			case len(stack) == 0:
				report(RuleSSMLWellFormed, fmt.Sprintf("</%s> at offset %d closes nothing", name, i))
			case stack[len(stack)-1] != name:
				report(RuleSSMLWellFormed, fmt.Sprintf("</%s> at offset %d closes <%s>", name, i, stack[len(stack)-1]))
				return
			default:
				stack = stack[:len(stack)-1]
				closedRoot = len(stack) == 0
			}
			i = j + 1
		default:
			name, n, ok := scanName(s, i+1)
			if !ok {
				report(RuleSSMLEscape, fmt.Sprintf("unescaped '<' at offset %d (%s): write &lt;", i, quoteAround(s, i)))
				i++
				continue
			}
			if closedRoot {
				report(RuleSSMLWellFormed, fmt.Sprintf("<%s> after </speak>", name))
			}
			if !ssmlTags[name] {
				report(RuleSSMLTag, fmt.Sprintf("<%s> is not an SSML tag Alexa supports", name))
			} else if name == "speak" && len(stack) > 0 {
				report(RuleSSMLTag, "<speak> inside <speak>")
			}
			j, selfClosing, err := scanAttributes(s, n)
			if err != "" {
				report(RuleSSMLWellFormed, fmt.Sprintf("<%s> at offset %d: %s", name, i, err))
				return
			}
			if !selfClosing {
				stack = append(stack, name)
			}
			i = j
		}
	}
	if len(stack) > 0 {
		report(RuleSSMLWellFormed, fmt.Sprintf("<%s> is not closed", stack[len(stack)-1]))
	}
}

// entityLen returns the length of the XML entity reference at the start of
// s, or 0 when s does not start with one.
func entityLen(s string) int {
	for _, e := range [...]string{"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"} {
		if strings.HasPrefix(s, e) {
			return len(e)
		}
	}
	if !strings.HasPrefix(s, "&#") {
		return 0
	}
	i, hex := 2, false
	if i < len(s) && s[i] == 'x' {
		i, hex = 3, true
	}
	start := i
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || hex && (s[i]|0x20 >= 'a' && s[i]|0x20 <= 'f')) {
		i++
	}
	if i == start || i >= len(s) || s[i] != ';' {
		return 0
	}
	return i + 1
}

func isNameStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':'
}

func isNameChar(c byte) bool {
	return isNameStart(c) || c >= '0' && c <= '9' || c == '-' || c == '.'
}

// scanName reads an XML name at s[i:].
func scanName(s string, i int) (name string, end int, ok bool) {
	if i >= len(s) || !isNameStart(s[i]) {
		return "", i, false
	}
	j := i + 1
	for j < len(s) && isNameChar(s[j]) {
		j++
	}
	return s[i:j], j, true
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// scanAttributes reads the attributes of an opening tag from s[i:] up to
// and including its '>'.
func scanAttributes(s string, i int) (end int, selfClosing bool, problem string) {
	for {
		j := skipSpace(s, i)
		if j >= len(s) {
			return j, false, "tag is not closed with '>'"
		}
		switch {
		case s[j] == '>':
			return j + 1, false, ""
		case strings.HasPrefix(s[j:], "/>"):
			return j + 2, true, ""
		case j == i:
			return j, false, fmt.Sprintf("unexpected %q in tag", s[j])
		}
		attr, k, ok := scanName(s, j)
		if !ok {
			return j, false, fmt.Sprintf("unexpected %q in tag", s[j])
		}
		k = skipSpace(s, k)
		if k >= len(s) || s[k] != '=' {
			return k, false, fmt.Sprintf("attribute %s has no value", attr)
		}
		k = skipSpace(s, k+1)
		if k >= len(s) || s[k] != '"' && s[k] != '\'' {
			return k, false, fmt.Sprintf("value of attribute %s is not quoted", attr)
		}
		q := s[k]
		v := strings.IndexByte(s[k+1:], q)
		if v < 0 {
			return k, false, fmt.Sprintf("value of attribute %s is not closed", attr)
		}
		val := s[k+1 : k+1+v]
		if strings.IndexByte(val, '<') >= 0 {
			return k, false, fmt.Sprintf("value of attribute %s holds '<'", attr)
		}
		for a := strings.IndexByte(val, '&'); a >= 0; {
			if entityLen(val[a:]) == 0 {
				return k, false, fmt.Sprintf("value of attribute %s holds an unescaped '&'", attr)
			}
			next := strings.IndexByte(val[a+1:], '&')
			if next < 0 {
				break
			}
			a += 1 + next
		}
		i = k + 1 + v + 1
	}
}

// quoteAround quotes a few characters of s around i.
func quoteAround(s string, i int) string {
	from, to := max(i-12, 0), min(i+12, len(s))
	return fmt.Sprintf("%q", s[from:to])
}
