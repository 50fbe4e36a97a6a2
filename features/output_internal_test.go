package features

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cucumber/godog/colors"
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

// stripWriter writes what godog's colors.Uncolored writes, for any bytes
// in any two writes: colour sequences, a lone ESC, sequences cut off,
// bytes that are not UTF-8.
func FuzzStripWriter(f *testing.F) {
	for _, s := range []string{"plain text\n", "\x1b[32mgreen\x1b[0m and \x1b[1;31mbold red\x1b[0m\n", "\x1b", "\x1bX rest",
		"\x1b[", "\x1b[12", "\x1b[12;3", "caf\xe9 \xff\xfe", "é\x1b[1;31mx\x1b[0m ü", "\x1b[@x", "a\x1b\x1b[mb"} {
		f.Add([]byte(s), uint8(len(s)/2))
	}
	f.Fuzz(func(t *testing.T, data []byte, cut uint8) {
		i := int(cut) % (len(data) + 1)
		var ours, godogs bytes.Buffer
		sw, nc := &stripWriter{w: &ours}, colors.Uncolored(&godogs)
		for _, part := range [][]byte{data[:i], data[i:]} {
			if n, err := sw.Write(part); n != len(part) || err != nil {
				t.Fatalf("Write = %d, %v", n, err)
			}
			_, _ = nc.Write(part)
		}
		if !bytes.Equal(ours.Bytes(), godogs.Bytes()) {
			t.Fatalf("%q cut at %d:\nours  %q\ngodog %q", data, i, ours.Bytes(), godogs.Bytes())
		}
	})
}

// A colourless write goes through as one write.
func TestStripWriter_OneWrite(t *testing.T) {
	var dst syncBuffer
	sw := &stripWriter{w: &dst}
	_, _ = sw.Write([]byte("\x1b[32m....\x1b[0m 4\n"))
	_, _ = sw.Write([]byte("5 scenarios (5 passed)\n"))
	if got, writes := dst.String(); got != ".... 4\n5 scenarios (5 passed)\n" || writes != 2 {
		t.Errorf("%q in %d writes", got, writes)
	}
}
