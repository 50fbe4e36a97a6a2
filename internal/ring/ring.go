// Package ring is the bounded log behind the fakes' request records: it
// keeps the newest entries and forgets the oldest, so that a fake serving
// for days holds as much as one serving for a minute.
package ring

import "sync"

// Buffer keeps the last Max entries added. It is safe for concurrent use.
// Adding is O(1) and never copies the kept entries.
type Buffer[T any] struct {
	mu   sync.Mutex
	max  int
	buf  []T // grows up to max, then wraps around
	next int // once full: the oldest entry, which the next Add replaces
}

// New returns an empty buffer of at most n entries (at least one).
func New[T any](n int) *Buffer[T] {
	return &Buffer[T]{max: max(n, 1)}
}

// Add appends e, forgetting the oldest entry when the buffer is full.
func (b *Buffer[T]) Add(e T) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.buf) < b.max {
		if len(b.buf) == cap(b.buf) {
			// Grow by hand: append could overshoot max by up to 25%.
			grown := make([]T, len(b.buf), min(max(2*cap(b.buf), 16), b.max))
			copy(grown, b.buf)
			b.buf = grown
		}
		b.buf = append(b.buf, e)
		return
	}
	b.buf[b.next] = e
	b.next = (b.next + 1) % b.max
}

// All returns a copy of the kept entries, oldest first.
func (b *Buffer[T]) All() []T {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]T, 0, len(b.buf))
	out = append(out, b.buf[b.next:]...)
	return append(out, b.buf[:b.next]...)
}

// Select returns a copy of the kept entries keep accepts, oldest first.
// keep runs under the buffer's lock, and must not use the buffer.
func (b *Buffer[T]) Select(keep func(*T) bool) []T {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []T
	for _, part := range [2][]T{b.buf[b.next:], b.buf[:b.next]} {
		for i := range part {
			if keep(&part[i]) {
				out = append(out, part[i])
			}
		}
	}
	return out
}

// Len returns the number of kept entries.
func (b *Buffer[T]) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.buf)
}

// Reset forgets every entry and releases their memory.
func (b *Buffer[T]) Reset() {
	b.mu.Lock()
	b.buf, b.next = nil, 0
	b.mu.Unlock()
}
