package ring_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/asksim/asksim/internal/ring"
)

func TestBufferKeepsTheNewest(t *testing.T) {
	b := ring.New[int](3)
	if got := b.All(); len(got) != 0 {
		t.Fatalf("empty buffer: %v", got)
	}
	for i := 1; i <= 7; i++ {
		b.Add(i)
		want := []int{}
		for j := max(1, i-2); j <= i; j++ {
			want = append(want, j)
		}
		if got := b.All(); !slices.Equal(got, want) {
			t.Fatalf("after %d adds: %v, want %v", i, got, want)
		}
	}
	b.Reset()
	if b.Len() != 0 || len(b.All()) != 0 {
		t.Errorf("after Reset: %v", b.All())
	}
	b.Add(8)
	if got := b.All(); !slices.Equal(got, []int{8}) {
		t.Errorf("after Reset and Add: %v", got)
	}
}

func TestBufferNeverHoldsMoreThanMax(t *testing.T) {
	b := ring.New[string](1000)
	for i := 0; i < 5000; i++ {
		b.Add(fmt.Sprint(i))
	}
	got := b.All()
	if len(got) != 1000 || got[0] != "4000" || got[999] != "4999" {
		t.Errorf("kept %d entries, %s…%s; want 1000, 4000…4999", len(got), got[0], got[len(got)-1])
	}
	if n := ring.New[int](0); func() int { n.Add(1); n.Add(2); return n.Len() }() != 1 {
		t.Errorf("a buffer of max 0 keeps %d entries, want 1", n.Len())
	}
}

func TestBufferConcurrentUse(t *testing.T) {
	b := ring.New[int](64)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				b.Add(i)
				_ = b.All()
			}
		}()
	}
	wg.Wait()
	if b.Len() != 64 {
		t.Errorf("Len %d, want 64", b.Len())
	}
}

// BenchmarkAdd is the cost of logging one request once the buffer is full.
func BenchmarkAdd(b *testing.B) {
	r := ring.New[[8]int](10000)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r.Add([8]int{i})
	}
}

// Select keeps the order of All, across the wrap-around.
func TestBufferSelect(t *testing.T) {
	b := ring.New[int](5)
	even := func(x *int) bool { return *x%2 == 0 }
	if got := b.Select(even); len(got) != 0 {
		t.Fatalf("empty: %v", got)
	}
	for i := 1; i <= 8; i++ {
		b.Add(i)
	}
	if got, want := b.Select(even), []int{4, 6, 8}; !slices.Equal(got, want) {
		t.Errorf("Select = %v, want %v (All %v)", got, want, b.All())
	}
	if got := b.Select(func(*int) bool { return true }); !slices.Equal(got, b.All()) {
		t.Errorf("Select(all) = %v, All = %v", got, b.All())
	}
}
