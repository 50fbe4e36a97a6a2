// Package jsonlimit bounds the nesting depth of JSON from outside the
// process before a decoder sees it.
//
// encoding/json stops at 10000 levels, but a decoder built on its Token
// stream (to keep line numbers, say) recurses once per level and has no
// limit at all: a file of five million '[' then ends in a fatal stack
// overflow, which no recover can catch. Fixture files and request bodies
// nest a handful of levels; anything deeper is an error to report, naming
// the line, before any recursion starts.
package jsonlimit

import (
	"fmt"
	"io"
)

// DefaultMaxDepth is deep enough for any fixture, configuration or request
// body asksim reads, and shallow enough that a recursive reader's stack
// stays small.
const DefaultMaxDepth = 64

// DepthError reports JSON nested deeper than allowed.
type DepthError struct {
	Max    int   // the limit that was crossed
	Offset int64 // byte offset of the '[' or '{' one level too deep
	Line   int   // 1-based line of Offset
}

func (e *DepthError) Error() string {
	return fmt.Sprintf("JSON nests arrays and objects deeper than %d levels (line %d, byte %d)", e.Max, e.Line, e.Offset+1)
}

// CheckDepth returns a *DepthError when data opens more than max arrays or
// objects inside each other, and nil otherwise. It checks nothing else:
// invalid JSON is left to the decoder that runs next. One pass, no
// allocation.
func CheckDepth(data []byte, max int) error {
	s := scanner{max: max, line: 1}
	return s.scan(data)
}

// NewReader returns a reader of r's bytes that fails with a *DepthError
// once they nest deeper than max, for decoders fed from a stream (an HTTP
// body, say). The bytes of the Read that crosses the limit are withheld.
func NewReader(r io.Reader, max int) io.Reader {
	return &reader{r: r, s: scanner{max: max, line: 1}}
}

type reader struct {
	r   io.Reader
	s   scanner
	err error
}

func (r *reader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.r.Read(p)
	if serr := r.s.scan(p[:n]); serr != nil {
		r.err = serr
		return 0, serr
	}
	return n, err
}

// scanner tracks depth across chunks: strings may hold brackets, and a
// string or escape may span two chunks.
type scanner struct {
	max      int
	depth    int
	inString bool
	escaped  bool
	off      int64
	line     int
}

func (s *scanner) scan(data []byte) error {
	for i, c := range data {
		if c == '\n' {
			s.line++
		}
		if s.inString {
			switch {
			case s.escaped:
				s.escaped = false
			case c == '\\':
				s.escaped = true
			case c == '"':
				s.inString = false
			}
			continue
		}
		switch c {
		case '"':
			s.inString = true
		case '[', '{':
			if s.depth++; s.depth > s.max {
				return &DepthError{Max: s.max, Offset: s.off + int64(i), Line: s.line}
			}
		case ']', '}':
			if s.depth > 0 {
				s.depth--
			}
		}
	}
	s.off += int64(len(data))
	return nil
}
