package simulator_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/asksim/asksim/internal/testutil"
	"github.com/asksim/asksim/simulator"
)

// keyPaths lists every key path of a decoded JSON document with its JSON
// type, array elements under "[]".
func keyPaths(v any, prefix string, out map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			out[p] = jsonType(child)
			keyPaths(child, p, out)
		}
	case []any:
		for _, child := range x {
			keyPaths(child, prefix+"[]", out)
		}
	}
}

func jsonType(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

func readCaptured(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "fixtures", "captured", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestConformance_GeneratedCarriesEveryCapturedKey decodes captured
// envelopes and checks that asksim, asked for the same kind of request,
// sends every key path they have, with the same JSON type.
func TestConformance_GeneratedCarriesEveryCapturedKey(t *testing.T) {
	cases := []struct {
		file    string
		opts    []simulator.Option
		consent simulator.Consent
		req     simulator.Request
		// continued marks a captured mid-session turn.
		continued json.RawMessage
		// ignore are captured paths asksim deliberately does not produce.
		ignore map[string]string
	}{
		{
			file:    "launch-eu-linked.json",
			opts:    []simulator.Option{simulator.WithRegion("EU"), simulator.WithLocale("en-GB")},
			consent: simulator.ConsentNone.Link("tok"),
			req:     simulator.LaunchRequest(),
		},
		{
			file:      "intent-plant-watered.json",
			opts:      []simulator.Option{simulator.WithDevice("echo-show")},
			consent:   simulator.ConsentName,
			continued: json.RawMessage(`{"turns":1,"lastIntent":"LaunchRequest"}`),
			req: simulator.IntentRequest("PlantWateredIntent", simulator.WithDialogState(simulator.DialogCompleted),
				simulator.WithSlots(simulator.SpokenSlot("plantName", "the cheese plant").Resolved(
					simulator.CustomAuthority(simulator.DefaultSkillID, "PlantName"),
					simulator.ResolvedValue{Name: "the cheese plant", ID: "3e171f9e8e5d85f9b7580d309c4cefd7"})),
				simulator.WithSlot("date", "")),
			ignore: map[string]string{
				"context.Extensions":  "device-specific extension list, not modelled",
				"context.Advertising": "advertising id context, not modelled",
			},
		},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			want := map[string]string{}
			keyPaths(testutil.Generic(t, readCaptured(t, c.file)), "", want)

			sim := testutil.Deterministic(t, c.opts...)
			conv := sim.NewConversation(c.consent)
			if c.continued != nil {
				if _, err := conv.Envelope(simulator.LaunchRequest()); err != nil {
					t.Fatal(err)
				}
				conv.Continue(c.continued)
			}
			env, err := conv.Envelope(c.req)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			keyPaths(envelopeJSON(t, env), "", got)

			var paths []string
			for p := range want {
				paths = append(paths, p)
			}
			sort.Strings(paths)
			for _, p := range paths {
				if _, skip := c.ignore[p]; skip || isUnder(p, c.ignore) {
					continue
				}
				if got[p] == "" {
					t.Errorf("generated envelope lacks %s (%s in the capture)", p, want[p])
				} else if got[p] != want[p] {
					t.Errorf("%s is %s, the capture has %s", p, got[p], want[p])
				}
			}
		})
	}
}

func isUnder(p string, prefixes map[string]string) bool {
	for pre := range prefixes {
		if len(p) > len(pre) && p[:len(pre)+1] == pre+"." {
			return true
		}
	}
	return false
}

// TestConformance_RoundTripLosesNothing decodes each captured envelope into
// the Go types and encodes it again: the JSON must be the same document.
func TestConformance_RoundTripLosesNothing(t *testing.T) {
	for _, file := range []string{"launch-eu-linked.json", "intent-plant-watered.json"} {
		t.Run(file, func(t *testing.T) {
			raw := readCaptured(t, file)
			var env simulator.Envelope
			if err := json.Unmarshal(raw, &env); err != nil {
				t.Fatal(err)
			}
			again, err := json.Marshal(&env)
			if err != nil {
				t.Fatal(err)
			}
			if w, g := testutil.Generic(t, raw), testutil.Generic(t, again); !reflect.DeepEqual(w, g) {
				wp, gp := map[string]string{}, map[string]string{}
				keyPaths(w, "", wp)
				keyPaths(g, "", gp)
				for p := range wp {
					if gp[p] != wp[p] {
						t.Errorf("lost or changed %s", p)
					}
				}
				for p := range gp {
					if wp[p] == "" {
						t.Errorf("added %s", p)
					}
				}
				t.Fatalf("round trip changed the document:\n%s\n%s", raw, again)
			}
		})
	}
}
