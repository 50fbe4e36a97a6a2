package simulator_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asksim/asksim/internal/jsonlimit"
	"github.com/asksim/asksim/simulator"
)

// nested returns a JSON value n arrays deep.
func nested(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }

// TestSendEnvelope_DeepNesting is issue 14 defect 3 for envelopes given
// whole (asksim send --file): past MaxJSONDepth the envelope is refused
// with its line before it is decoded or sent.
func TestSendEnvelope_DeepNesting(t *testing.T) {
	var calls atomic.Int32
	sim, _ := httpSim(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		answer(`{"version":"1.0","response":{}}`)(w, r)
	})
	body := "{\"version\":\"1.0\",\n\"session\":{\"attributes\":{\"a\":" + nested(5<<20) + "}}}"
	_, err := sim.SendEnvelope(context.Background(), []byte(body))
	var de *jsonlimit.DepthError
	if !errors.As(err, &de) || de.Line != 2 {
		t.Fatalf("SendEnvelope = %v, want a *jsonlimit.DepthError on line 2", err)
	}
	if want := "envelope: JSON nests arrays and objects deeper than 128 levels (line 2, byte 173)"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if calls.Load() != 0 {
		t.Error("the envelope was sent")
	}
}

// TestSkillAnswer_DeepNesting: an answer nested past MaxJSONDepth is a
// skill fault that says so, not a crash or a walk 10,000 levels down; one
// within it, with deep sessionAttributes, is an answer like any other.
func TestSkillAnswer_DeepNesting(t *testing.T) {
	deep := `{"version":"1.0","sessionAttributes":{"a":` + nested(10_000) + `},"response":{}}`
	sim, _ := httpSim(t, answer(deep))
	_, err := sim.NewConversation(simulator.ConsentNone).Send(context.Background(), simulator.LaunchRequest())
	var se *simulator.SkillError
	var de *jsonlimit.DepthError
	if !errors.As(err, &se) || se.Kind != simulator.FaultNotJSON || !errors.As(err, &de) {
		t.Fatalf("Send = %v, want a %s fault wrapping a *jsonlimit.DepthError", err, simulator.FaultNotJSON)
	}
	if want := "skill fault (not-json): the body cannot be read: JSON nests arrays and objects deeper than 128 levels (line 1, byte 169); sent LaunchRequest"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q lacks %q", err, want)
	}
	vs := simulator.CheckResponse(nil, []byte(deep), 0)
	if len(vs) != 1 || vs[0].Rule != simulator.RuleJSON || !strings.Contains(vs[0].Message, "deeper than 128 levels") {
		t.Errorf("CheckResponse = %v, want one %s violation about the depth", vs, simulator.RuleJSON)
	}

	ok := `{"version":"1.0","sessionAttributes":{"a":` + nested(simulator.MaxJSONDepth-2) + `},"response":{"shouldEndSession":false}}`
	sim, _ = httpSim(t, answer(ok))
	turn, err := sim.NewConversation(simulator.ConsentNone).Send(context.Background(), simulator.LaunchRequest())
	if err != nil || turn.Response == nil {
		t.Fatalf("Send of an answer %d levels deep = %v", simulator.MaxJSONDepth, err)
	}
}

// TestSkillFaults_BrokenConnections pins what a turn reports when the
// skill's process misbehaves below HTTP, as docs/faults.md lists it: a
// server that accepts and never reads (a stopped process) or answers half
// a body and stalls is a timeout within the turn's deadline; one that
// closes the connection without an answer (a crash) is a connection fault.
func TestSkillFaults_BrokenConnections(t *testing.T) {
	for _, tc := range []struct {
		name  string
		serve func(c net.Conn, stop <-chan struct{})
		kind  simulator.FaultKind
		inMsg string
	}{
		{"accepts and never reads", func(c net.Conn, stop <-chan struct{}) { <-stop; c.Close() }, simulator.FaultTimeout, "no answer within 200ms"},
		{"stalls mid-body", func(c net.Conn, stop <-chan struct{}) {
			readRequest(c)
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"version\":")
			<-stop
			c.Close()
		}, simulator.FaultTimeout, "no answer within 200ms"},
		{"closes without an answer", func(c net.Conn, _ <-chan struct{}) { readRequest(c); c.Close() }, simulator.FaultConnection, "EOF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			check(t, err)
			done, stop := make(chan struct{}), make(chan struct{})
			go func() {
				defer close(done)
				c, err := l.Accept()
				if err == nil {
					tc.serve(c, stop)
				}
			}()
			t.Cleanup(func() { close(stop); l.Close(); <-done })
			ep, err := simulator.HTTPEndpoint("http://" + l.Addr().String() + "/skill")
			check(t, err)
			// As in TestSkillFaults: only a timeout waits for the short
			// limit, so that a loaded machine cannot turn a dropped
			// connection into one.
			limit := 30 * time.Second
			if tc.kind == simulator.FaultTimeout {
				limit = 200 * time.Millisecond
			}
			sim := newSim(t, ep, simulator.WithTimeout(limit))
			_, err = sim.NewConversation(simulator.ConsentNone).Send(context.Background(), simulator.LaunchRequest())
			var se *simulator.SkillError
			if !errors.As(err, &se) || se.Kind != tc.kind || !strings.Contains(err.Error(), tc.inMsg) {
				t.Fatalf("Send = %v, want a %s fault saying %q", err, tc.kind, tc.inMsg)
			}
		})
	}
}

// readRequest reads one request's headers and body from c.
func readRequest(c net.Conn) {
	req, err := http.ReadRequest(bufio.NewReader(c))
	if err == nil {
		io.Copy(io.Discard, req.Body)
	}
}
