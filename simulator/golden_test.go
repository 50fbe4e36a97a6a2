package simulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
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

// TestGoldenPermissionRoundTrips plays each voice permission request a
// skill can make, answers it as the user would, and compares the envelope
// the skill then receives with fixtures/envelopes/voice-permission/: the
// answer in the request's own shape (docs/alexa-contract.md §2.7, §2.10).
func TestGoldenPermissionRoundTrips(t *testing.T) {
	const (
		askForV1 = `{"type":"Connections.SendRequest","name":"AskFor","payload":{"@type":"AskForPermissionsConsentRequest","@version":"1","permissionScope":"alexa::alerts:reminders:skill:readwrite"},"token":"v1-token"}`
		askForV2 = `{"type":"Connections.SendRequest","name":"AskFor","payload":{"@type":"AskForPermissionsConsentRequest","@version":"2","permissionScopes":[{"permissionScope":"alexa::alerts:reminders:skill:readwrite","consentLevel":"ACCOUNT"}]},"token":"v2-token"}`
		forward  = `{"type":"Connections.StartConnection","uri":"connection://AMAZON.AskForPermissionsConsent/2","input":{"@type":"AskForPermissionsConsentRequest","@version":"2","permissionScopes":[{"permissionScope":"alexa::profile:email:read","consentLevel":"ACCOUNT"}]},"token":"vfc-token"}`
	)
	for _, tc := range []struct {
		name, directive, status string
		shouldEnd               bool
		manifest                []string
	}{
		{"askfor-v1-accepted", askForV1, simulator.PermissionAccepted, true, nil},
		{"askfor-v2-accepted", askForV2, simulator.PermissionAccepted, true, nil},
		{"askfor-v2-denied-same-session", askForV2, simulator.PermissionDenied, false, nil},
		{"askfor-v2-not-in-manifest", askForV2, simulator.PermissionAccepted, true, []string{"alexa::profile:email:read"}},
		{"voice-forward-accepted", forward, simulator.PermissionAccepted, false, nil},
		{"voice-forward-not-answered", forward, simulator.PermissionNotAnswered, false, nil},
		{"voice-forward-not-in-manifest", forward, simulator.PermissionAccepted, false, []string{"alexa::profile:name:read"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var bodies [][]byte
			end := ""
			if tc.shouldEnd {
				end = `,"shouldEndSession":true`
			}
			first := `{"version":"1.0","sessionAttributes":{"asked":true},"response":{"directives":[` + tc.directive + `]` + end + `}}`
			answers := []string{first, `{"version":"1.0","response":{"shouldEndSession":true}}`}
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				bodies = append(bodies, b)
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, answers[min(len(bodies), len(answers))-1])
			})
			opts := []simulator.Option{simulator.WithEndpoint(simulator.HandlerEndpoint(h)), simulator.WithLenient(true)}
			if tc.manifest != nil {
				opts = append(opts, simulator.WithManifestPermissions(tc.manifest...))
			}
			sim := testutil.Deterministic(t, opts...)
			conv := sim.NewConversation(simulator.ConsentNone)
			if _, err := conv.Send(context.Background(), simulator.IntentRequest("AskIntent")); err != nil {
				t.Fatal(err)
			}
			req, err := conv.AnswerPermissionRequest(tc.status)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := conv.Send(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := json.Indent(&got, bodies[1], "", "  "); err != nil {
				t.Fatal(err)
			}
			got.WriteByte('\n')
			compareGolden(t, filepath.Join("..", "fixtures", "envelopes", "voice-permission", tc.name+".json"), got.Bytes())
		})
	}
}
