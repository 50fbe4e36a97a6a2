package simulator_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

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
