package testutil

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
)

// Memory is what a soak samples: the live heap after a collection, and
// the process's resident set, which also counts what the runtime has not
// returned to the system yet.
type Memory struct {
	HeapBytes uint64 // runtime.MemStats.HeapAlloc after a GC
	RSSBytes  uint64 // VmRSS of /proc/self/status; 0 where there is none
}

// SampleMemory collects garbage, returns freed memory to the system and
// reads both figures, so that samples taken at different times compare
// what is live rather than when the collector last ran.
func SampleMemory() Memory {
	debug.FreeOSMemory() // a forced GC, then the scavenger
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return Memory{HeapBytes: ms.HeapAlloc, RSSBytes: rss()}
}

func (m Memory) String() string {
	return fmt.Sprintf("heap %.1f MiB, RSS %.1f MiB", float64(m.HeapBytes)/(1<<20), float64(m.RSSBytes)/(1<<20))
}

// rss reads VmRSS (in kB) from /proc/self/status.
func rss() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}
