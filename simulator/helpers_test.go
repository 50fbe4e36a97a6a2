package simulator_test

import (
	"encoding/json"
	"flag"
	"testing"

	"github.com/asksim/asksim/internal/testutil"
	"github.com/asksim/asksim/simulator"
)

var update = flag.Bool("update", false, "rewrite golden files under fixtures/ with the current output")

func envelopeJSON(t testing.TB, env *simulator.Envelope) map[string]any {
	t.Helper()
	b, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	return testutil.Generic(t, b).(map[string]any)
}
