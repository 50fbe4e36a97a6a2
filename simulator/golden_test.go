package simulator_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asksim/asksim/internal/testutil"
	"github.com/asksim/asksim/simulator"
)

// goldenRequests are the requests every consent scenario has a golden file
// for.
var goldenRequests = []struct {
	name string
	req  func() simulator.Request
}{
	{"launch", simulator.LaunchRequest},
	{"intent-with-slot", func() simulator.Request {
		return simulator.IntentRequest("OrderIntent", simulator.WithSlot("item", "coffee"), simulator.WithSlot("quantity", ""))
	}},
	{"session-ended", func() simulator.Request { return simulator.SessionEndedRequest(simulator.ReasonUserInitiated, nil) }},
}

func TestGoldenEnvelopes(t *testing.T) {
	for _, scenario := range simulator.Scenarios() {
		for _, gr := range goldenRequests {
			t.Run(scenario+"/"+gr.name, func(t *testing.T) {
				consent, err := simulator.ParseConsent(scenario)
				if err != nil {
					t.Fatal(err)
				}
				sim := testutil.Deterministic(t)
				env, err := sim.NewConversation(consent).Envelope(gr.req())
				if err != nil {
					t.Fatal(err)
				}
				got, err := env.Indent()
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, '\n')
				path := filepath.Join("..", "fixtures", "envelopes", scenario, gr.name+".json")
				compareGolden(t, path, got)
			})
		}
	}
}

// compareGolden compares got with the golden file at path; with -update it
// writes the file first, and then always reads it back.
func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./simulator -update` to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the generated envelope (-want +got):\n%s\nRun `go test ./simulator -update` and review `git diff fixtures/` if the change is intended.",
			path, lineDiff(string(want), string(got)))
	}
}

// lineDiff is a small line-by-line diff, enough to point at what moved.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n- %s\n+ %s\n", i+1, wl, gl)
		}
	}
	return b.String()
}
