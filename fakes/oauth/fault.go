package oauth

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"github.com/asksim/asksim/internal/faults"
)

// Fault scripts a misbehaving answer (see Server.Fail), as in the other
// fakes. The steps run in this order: wait Delay (cut short if the client
// gives up), then DropConnection, else MalformedBody, else Status with
// Body; a Fault with only a Delay lets the real handler answer late (e.g.
// to cross Alexa's 4.5 s token deadline). Here Body is sent as it is, an
// empty one empty, as application/json when it starts with '{', else as
// text/plain; MalformedBody answers {"access_token":"trunc.
type Fault = faults.Fault

// Fail makes the next n answers on path (e.g. "/token") play f. Calls add
// up in order; n <= 0 removes the faults pending on path. A fault that
// cannot be played is refused with an error, and nothing is queued: a
// Status outside 200–999 (net/http panics on a status outside 100–999,
// and a 1xx is no final answer), a negative Delay, a Body that would never
// be sent (no Status, or MalformedBody or DropConnection set), or a path that
// does not start with '/'.
func (s *Server) Fail(path string, n int, f Fault) error {
	if !strings.HasPrefix(path, "/") {
		return fmt.Errorf("oauth: Fail: path %q does not start with \"/\"", path)
	}
	path = canonicalPath(path)
	if n > 0 {
		if err := f.Check(); err != nil {
			return fmt.Errorf("oauth: Fail(%q): %w", path, err)
		}
	}
	s.faults.Add(path, n, f)
	return nil
}

// malformedBody is cut mid-object, as a truncated token answer would be.
const malformedBody = `{"access_token":"trunc`

// player plays faults the OAuth fake's way (see writeFault).
var player = faults.Player{Malformed: []byte(malformedBody), MaxBody: maxBody, Write: writeFault}

// writeFault sends body as it is, an empty one empty, as JSON when it
// looks like JSON (a scripted OAuth error) and as text otherwise, and like
// every answer of an authorization server, not to be cached (RFC 6749
// §5.1).
func writeFault(w http.ResponseWriter, status int, body []byte) {
	ct := "text/plain; charset=utf-8"
	if bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
		ct = "application/json"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	noStore(h)
	w.WriteHeader(status)
	w.Write(body)
}

// playFault plays f and reports whether it answered the request itself,
// noting the outcome in the request's log entry. A dropped connection is
// closed by ServeHTTP once the request is logged, so that a client seeing
// the drop also sees it in Requests.
func (s *Server) playFault(w http.ResponseWriter, r *http.Request, f Fault) (handled bool) {
	o := player.Play(w, r, f)
	if !o.Done {
		return false // a pure delay: the real handler decides the outcome
	}
	rec := entry(r)
	rec.Outcome = "fault"
	if o.ClientLeft {
		rec.Outcome = "fault: client gone"
	}
	if o.Drop {
		if drop, ok := r.Context().Value(dropKey{}).(*bool); ok {
			*drop = true
		} else {
			faults.Drop(w) // outside ServeHTTP (never in practice)
		}
	}
	return true
}
