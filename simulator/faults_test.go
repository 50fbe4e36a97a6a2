package simulator_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/simulator"
)

// refusedURL returns the URL of a loopback port nothing listens on.
func refusedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	check(t, err)
	addr := l.Addr().String()
	check(t, l.Close())
	return "http://" + addr + "/skill"
}

func TestSkillFaults(t *testing.T) {
	big := strings.Repeat("x", simulator.MaxResponseBytes+10)
	cases := []struct {
		name     string
		handler  http.HandlerFunc // nil: connect to a closed port
		kind     simulator.FaultKind
		status   int
		inMsg    []string
		bodyFrom string
	}{
		{name: "connection refused", kind: simulator.FaultConnection, inMsg: []string{"refused"}},
		{name: "timeout", kind: simulator.FaultTimeout, inMsg: []string{"no answer within 150ms"},
			handler: func(w http.ResponseWriter, r *http.Request) {
				// Read the envelope first, as a skill does: net/http notices the
				// client hanging up only once the body is consumed.
				_, _ = io.Copy(io.Discard, r.Body)
				<-r.Context().Done()
			}},
		{name: "status 500", kind: simulator.FaultStatus, status: 500, inMsg: []string{"HTTP status 500", `body starts "TypeError: cannot read`}, bodyFrom: "TypeError",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(500)
				_, _ = io.WriteString(w, "TypeError: cannot read property 'slots' of undefined")
			}},
		{name: "status 204", kind: simulator.FaultStatus, status: 204, inMsg: []string{"HTTP status 204", "body is empty"},
			handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }},
		{name: "redirect", kind: simulator.FaultStatus, status: 302, inMsg: []string{"HTTP status 302"},
			handler: func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/elsewhere", http.StatusFound) }},
		{name: "empty body", kind: simulator.FaultEmptyBody, status: 200, inMsg: []string{"empty body"},
			handler: func(w http.ResponseWriter, r *http.Request) {}},
		{name: "not JSON", kind: simulator.FaultNotJSON, status: 200, inMsg: []string{"not JSON", `body starts "<html>`}, bodyFrom: "<html>",
			handler: answer("<html><body>Hello</body></html>")},
		{name: "truncated JSON", kind: simulator.FaultNotJSON, status: 200, inMsg: []string{"not JSON"}, bodyFrom: `{"version"`,
			handler: answer(`{"version":"1.0","response":{`)},
		{name: "oversize with length", kind: simulator.FaultOversize, status: 200, inMsg: []string{"larger than 1048576 bytes"}, bodyFrom: "xxxx",
			handler: answer(big)},
		{name: "oversize streamed", kind: simulator.FaultOversize, status: 200, inMsg: []string{"larger than"}, bodyFrom: "xxxx",
			handler: func(w http.ResponseWriter, r *http.Request) {
				for i := 0; i < 40; i++ { // chunked, no Content-Length
					_, _ = io.WriteString(w, big[:64<<10])
					w.(http.Flusher).Flush()
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			url := refusedURL(t)
			if tc.handler != nil {
				ts := httptest.NewServer(tc.handler)
				t.Cleanup(ts.Close)
				url = ts.URL + "/skill"
			}
			ep, err := simulator.HTTPEndpoint(url)
			check(t, err)
			// Only the timeout case waits for the limit; the others get a
			// limit no loaded CI machine reaches, so that a slow stream is
			// still told as what it is (oversize), not as a timeout.
			limit := 30 * time.Second
			if tc.kind == simulator.FaultTimeout {
				limit = 150 * time.Millisecond
			}
			sim := newSim(t, ep, simulator.WithTimeout(limit))
			conv := sim.NewConversation(simulator.ConsentNone)
			turn, err := conv.Send(context.Background(), simulator.IntentRequest("OrderIntent", simulator.WithSlot("item", "tea")))
			var se *simulator.SkillError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v (%T), want *SkillError", err, err)
			}
			if se.Kind != tc.kind || se.StatusCode != tc.status {
				t.Errorf("kind %s status %d, want %s %d", se.Kind, se.StatusCode, tc.kind, tc.status)
			}
			if se.RequestType != "IntentRequest" || se.Intent != "OrderIntent" || se.Endpoint != url {
				t.Errorf("fault says it sent %s %s to %s", se.RequestType, se.Intent, se.Endpoint)
			}
			if !strings.HasPrefix(se.BodyStart, tc.bodyFrom) || len(se.BodyStart) > 210 {
				t.Errorf("BodyStart %q, want it to start with %q and be short", se.BodyStart, tc.bodyFrom)
			}
			msg := err.Error()
			for _, want := range append(tc.inMsg, "IntentRequest (intent OrderIntent)", url, string(tc.kind)) {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			if turn == nil || turn.Response != nil || len(turn.RequestBody) == 0 {
				t.Errorf("turn = %+v, want what was sent and no response", turn)
			}
			if conv.SessionID() != "" {
				t.Error("the session survived a skill fault")
			}
		})
	}
}

func TestCallerCancelIsNotATimeout(t *testing.T) {
	started := make(chan struct{})
	sim, _ := httpSim(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		close(started)
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	_, err := sim.NewConversation(simulator.ConsentNone).Send(ctx, simulator.LaunchRequest())
	var se *simulator.SkillError
	if !errors.As(err, &se) || se.Kind != simulator.FaultCanceled || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want a canceled fault wrapping context.Canceled", err)
	}
}

func TestHandlerEndpointFaults(t *testing.T) {
	cases := []struct {
		name    string
		handler http.HandlerFunc
		kind    simulator.FaultKind
		inMsg   string
	}{
		{"panic", func(w http.ResponseWriter, r *http.Request) { panic("nil map") }, simulator.FaultStatus, "handler panicked: nil map"},
		{"hang", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }, simulator.FaultTimeout, "no answer within 100ms"},
		{"oversize", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write(make([]byte, simulator.MaxResponseBytes+1))
		}, simulator.FaultOversize, "larger than"},
		{"status", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "nope", 403) }, simulator.FaultStatus, "HTTP status 403"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// As in TestSkillFaults: only the hang waits for the short limit.
			limit := 30 * time.Second
			if tc.kind == simulator.FaultTimeout {
				limit = 100 * time.Millisecond
			}
			sim := newSim(t, simulator.HandlerEndpoint(tc.handler), simulator.WithTimeout(limit))
			_, err := sim.NewConversation(simulator.ConsentNone).Send(context.Background(), simulator.LaunchRequest())
			var se *simulator.SkillError
			if !errors.As(err, &se) || se.Kind != tc.kind || !strings.Contains(err.Error(), tc.inMsg) {
				t.Fatalf("err = %v, want %s fault saying %q", err, tc.kind, tc.inMsg)
			}
			if se.Endpoint != "in-process handler" {
				t.Errorf("Endpoint = %q", se.Endpoint)
			}
		})
	}
}

func TestNoEndpoint(t *testing.T) {
	sim, err := simulator.New(simulator.WithSigner(testSigner()))
	check(t, err)
	if _, err := sim.NewConversation(simulator.ConsentNone).Send(context.Background(), simulator.LaunchRequest()); !errors.Is(err, simulator.ErrNoEndpoint) {
		t.Fatalf("err = %v, want ErrNoEndpoint", err)
	}
}
