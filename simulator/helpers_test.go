package simulator_test

import (
	"encoding/json"
	"flag"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/asksim/asksim/simulator"
)

var update = flag.Bool("update", false, "rewrite golden files under fixtures/ with the current output")

// fixedTime is the clock of every reproducible envelope.
var fixedTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

var testKey = sync.OnceValue(func() *simulator.Signer {
	key, err := simulator.LoadKeyFile(filepath.Join("..", "fixtures", "keys", "test-key.pem"))
	if err != nil {
		panic(err)
	}
	return simulator.NewSigner(key, simulator.WithSignerClock(func() time.Time { return fixedTime }))
})

// newDeterministic returns a simulator whose envelopes are the same on every
// run: fixed clock, seeded ids, the test key.
func newDeterministic(t testing.TB, opts ...simulator.Option) *simulator.Simulator {
	t.Helper()
	base := []simulator.Option{
		simulator.WithClock(func() time.Time { return fixedTime }),
		simulator.WithSeed(1),
		simulator.WithSigner(testKey()),
	}
	sim, err := simulator.New(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return sim
}

// generic decodes JSON into maps and slices, for structural comparisons.
func generic(t testing.TB, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode: %v\n%s", err, b)
	}
	return v
}

func envelopeJSON(t testing.TB, env *simulator.Envelope) map[string]any {
	t.Helper()
	b, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	return generic(t, b).(map[string]any)
}

// at walks a decoded JSON document along keys; ok is false when a key is
// missing.
func at(v any, keys ...string) (any, bool) {
	for _, k := range keys {
		m, isMap := v.(map[string]any)
		if !isMap {
			return nil, false
		}
		v, isMap = m[k]
		if !isMap {
			return nil, false
		}
	}
	return v, true
}
