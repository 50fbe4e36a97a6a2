package oauth

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

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

// delayWriteSlack is the time left to answer once a scripted delay is
// over: fakes/serve's default write timeout.
const delayWriteSlack = 30 * time.Second

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

// playFault reports whether it answered the request itself; drop, when
// set, closes the hijacked connection once the request is logged, so that
// a client seeing the drop also sees it in Requests.
func (s *Server) playFault(w http.ResponseWriter, r *http.Request, f Fault) (handled bool, drop func() error) {
	rec := entry(r)
	rec.Outcome = "fault"
	if f.Delay > 0 {
		// A served fake has a write timeout (fakes/serve); this delay is
		// meant, so the answer it holds back gets the delay on top.
		http.NewResponseController(w).SetWriteDeadline(time.Now().Add(f.Delay + delayWriteSlack))
		// net/http notices a client hanging up only once the body is read;
		// buffer it so the context can end the wait and a late real
		// handler still sees the body.
		body, _ := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		r.Body = io.NopCloser(bytes.NewReader(body))
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			rec.Outcome = "fault: client gone"
			return true, nil
		}
	}
	switch {
	case f.DropConnection:
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			return true, conn.Close
		}
		// HTTP/2 cannot hijack; aborting the handler resets the stream.
		panic(http.ErrAbortHandler)
	case f.MalformedBody:
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write([]byte(`{"access_token":"trunc`))
		return true, nil
	case f.Status != 0:
		ct := "text/plain; charset=utf-8"
		if strings.HasPrefix(strings.TrimSpace(f.Body), "{") {
			ct = "application/json"
		}
		w.Header().Set("Content-Type", ct)
		noStore(w.Header())
		w.WriteHeader(f.Status)
		w.Write([]byte(f.Body))
		return true, nil
	}
	rec.Outcome = "" // a pure delay: the real handler decides the outcome
	return false, nil
}
