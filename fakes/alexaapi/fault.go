package alexaapi

import (
	"net/http"

	"github.com/asksim/asksim/internal/faults"
)

// Fault is an injected failure for the next answers on a path (see
// Server.Fail). Delay applies first; then the first of DropConnection,
// MalformedBody and Status that is set decides the answer; a Status
// without Body answers a JSON error in the API's own shape
// ({"code","message"}, {"type","message"}…). A Fault with only a Delay
// delays the normal answer. Fail refuses a Status outside 200–999 (net/http
// panics outside 100–999, and a 1xx is no final answer), a negative Delay,
// and a Body that would never be sent.
type Fault = faults.Fault

// malformedBody is cut mid-object, as a truncated answer would be.
const malformedBody = `{"code":"UNKNOWN_ERROR","message":"trunc`

// applyFault carries out f. It reports whether the answer is complete, that
// is whether the normal handling must not run.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, c *call, f Fault) (done bool) {
	p := faults.Player{ErrorBody: func(status int) []byte { return errStatus(c.family, status, "").body(c.family) },
		Malformed: []byte(malformedBody), MaxBody: maxDirectiveBody}
	o := p.Play(w, r, f)
	c.detail = o.Detail
	if !o.Done {
		return false
	}
	s.finish(c, o.Status, DecisionFault)
	if o.Drop {
		faults.Drop(w)
	}
	return true
}
