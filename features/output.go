package features

import (
	"io"
	"sync"
	"time"
)

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
