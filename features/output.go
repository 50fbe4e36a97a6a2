package features

import (
	"bytes"
	"io"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/formatters"
)

// Without colours, godog wraps each formatter's writer in
// colors.Uncolored, which writes every character with an fmt.Fprint of its
// own: a system call per character of a report written to a file (a
// junit:FILE report of a large run took seconds), a lock and an
// allocation each into Run's buffer. Run asks godog for colours instead,
// which on every platform but Windows passes bytes through, and when the
// run wants none it names each formatter's plain twin, registered here,
// which strips the colours itself in one pass (stripWriter) before godog's
// writer sees them.
const plainPrefix = "asksim-plain-"

// plainTwins are the formatters that have a plain twin.
var plainTwins = map[string]bool{}

func init() {
	godog.Format(prettyName, "godog's pretty, in linear time (concurrency 1, file order)", prettyFormatterFunc)
	for _, name := range append([]string{prettyName}, knownFormats...) {
		plainTwins[name] = true
		inner := godog.FindFmt(name)
		godog.Format(plainPrefix+name, name+" without colours", func(suite string, out io.Writer) formatters.Formatter {
			return inner(suite, &stripWriter{w: out})
		})
	}
}

// stripWriter removes ANSI escape sequences (ESC [ … up to a letter or @)
// with exactly the result of godog's colors.Uncolored for any input,
// writing each Write's result at once: an ESC not followed by [ goes with
// the character after it, a sequence cut off at the end of a Write is
// dropped, and bytes that are not UTF-8 become U+FFFD, as there.
type stripWriter struct {
	w   io.Writer
	buf []byte
}

func (s *stripWriter) Write(p []byte) (int, error) {
	if bytes.IndexByte(p, 0x1b) < 0 && utf8.Valid(p) {
		_, err := s.w.Write(p)
		return len(p), err
	}
	out := s.buf[:0]
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRune(p[i:])
		i += n
		if r != 0x1b {
			out = utf8.AppendRune(out, r)
			continue
		}
		if i == len(p) {
			break
		}
		r, n = utf8.DecodeRune(p[i:])
		i += n
		if r != '[' {
			continue
		}
		for i < len(p) {
			r, n = utf8.DecodeRune(p[i:])
			i += n
			if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || r == '@' {
				break
			}
		}
	}
	s.buf = out
	if len(out) == 0 {
		return len(p), nil
	}
	_, err := s.w.Write(out)
	return len(p), err
}

// Formatters write a line at a time, and a write to a file or pipe is a
// system call: profiled, an exec'd 500-scenario run spent a fifth of its
// CPU in them, about half a millisecond a step on a loaded machine.
// flushWriter gathers the lines and writes them out at most flushDelay
// after the first one waiting, as soon as flushSize bytes wait, and on
// Close, so a person or a CI log watching the run still sees it move.
const (
	flushDelay = 100 * time.Millisecond
	flushSize  = 64 << 10
)

type flushWriter struct {
	mu    sync.Mutex
	w     io.Writer
	buf   []byte
	timer *time.Timer
	err   error
}

func newFlushWriter(w io.Writer) *flushWriter { return &flushWriter{w: w} }

func (f *flushWriter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return 0, f.err
	}
	f.buf = append(f.buf, p...)
	switch {
	case len(f.buf) >= flushSize:
		f.flushLocked()
	case f.timer == nil:
		f.timer = time.AfterFunc(flushDelay, f.flush)
	}
	return len(p), nil
}

func (f *flushWriter) flush() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.flushLocked()
}

func (f *flushWriter) flushLocked() {
	if f.timer != nil {
		f.timer.Stop()
		f.timer = nil
	}
	if len(f.buf) == 0 || f.err != nil {
		return
	}
	_, f.err = f.w.Write(f.buf)
	if cap(f.buf) > flushSize {
		f.buf = nil // a large write once need not stay allocated
	} else {
		f.buf = f.buf[:0]
	}
}

// Close writes what waits and returns the first write error.
func (f *flushWriter) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.flushLocked()
	return f.err
}
