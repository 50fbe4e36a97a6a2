package features

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while the timer writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	n   int // writes
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.n++
	return b.buf.Write(p)
}

func (b *syncBuffer) String() (string, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String(), b.n
}

func TestFlushWriter_GathersLinesAndFlushesOnClose(t *testing.T) {
	var dst syncBuffer
	w := newFlushWriter(&dst)
	for i := range 100 {
		if _, err := w.Write([]byte(strings.Repeat("x", i%7) + "\n")); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, writes := dst.String()
	if strings.Count(got, "\n") != 100 || writes > 2 {
		t.Errorf("%d lines in %d writes, want 100 lines in one or two", strings.Count(got, "\n"), writes)
	}
}

// Without Close, what waits reaches the writer within flushDelay, so a
// slow run still shows its progress.
func TestFlushWriter_FlushesAfterDelay(t *testing.T) {
	var dst syncBuffer
	w := newFlushWriter(&dst)
	defer w.Close()
	start := time.Now()
	if _, err := w.Write([]byte("Feature: x\n")); err != nil {
		t.Fatal(err)
	}
	for {
		if got, _ := dst.String(); got == "Feature: x\n" {
			break
		}
		if time.Since(start) > 10*flushDelay {
			t.Fatalf("nothing written %v after the line", time.Since(start))
		}
		time.Sleep(flushDelay / 10)
	}
}

func TestFlushWriter_LargeOutputFlushesAtOnce(t *testing.T) {
	var dst syncBuffer
	w := newFlushWriter(&dst)
	defer w.Close()
	if _, err := w.Write(bytes.Repeat([]byte("y"), flushSize)); err != nil {
		t.Fatal(err)
	}
	if got, _ := dst.String(); len(got) != flushSize {
		t.Errorf("%d bytes written at once, want %d", len(got), flushSize)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestFlushWriter_ReportsWriteError(t *testing.T) {
	w := newFlushWriter(failWriter{})
	_, _ = w.Write([]byte("a\n"))
	if err := w.Close(); err == nil || err.Error() != "broken pipe" {
		t.Errorf("Close: %v", err)
	}
	if _, err := w.Write([]byte("b\n")); err == nil {
		t.Error("a write after a failed one succeeded")
	}
}
