package alexaapi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// Fault is an injected failure for the next answers on a path (see
// Server.Fail). Delay applies first; then the first of DropConnection,
// MalformedBody and Status that is set decides the answer. A Fault with
// only a Delay delays the normal answer. Fail refuses a Status outside
// 200–999 (net/http panics outside 100–999, and a 1xx is no final answer),
// a negative Delay, and a Body that would never be sent.
type Fault struct {
	// Status answers this HTTP status, e.g. 429 or 500, with Body.
	Status int
	// Body is the body of Status; empty means a JSON error in the API's
	// own shape ({"code","message"}, {"type","message"}…).
	Body string
	// Delay holds the answer back; a client that gives up first (its
	// request context ends) gets nothing, and the call is logged as a fault.
	Delay time.Duration
	// MalformedBody answers Status (200 when 0) with a body that is not
	// JSON, which the SDKs fail to parse.
	MalformedBody bool
	// DropConnection closes the connection without an answer.
	DropConnection bool
}

func (f Fault) String() string {
	switch {
	case f.DropConnection:
		return "dropped connection"
	case f.MalformedBody:
		return "malformed body"
	case f.Status != 0:
		return fmt.Sprintf("status %d", f.Status)
	}
	return fmt.Sprintf("delay %s", f.Delay)
}

// check reports why f cannot be played as documented.
func (f Fault) check() error {
	switch {
	case f.Status != 0 && (f.Status < 200 || f.Status > 999):
		return fmt.Errorf("status %d is not a final HTTP status (200–999)", f.Status)
	case f.Delay < 0:
		return fmt.Errorf("negative delay %v", f.Delay)
	case f.Body != "" && (f.Status == 0 || f.MalformedBody || f.DropConnection):
		return errors.New("Body without a Status, or with MalformedBody or DropConnection, is never sent")
	}
	return nil
}

// delayWriteSlack is the time left to answer once a scripted delay is
// over: fakes/serve's default write timeout.
const delayWriteSlack = 30 * time.Second

type plannedFault struct {
	f    Fault
	left int
}

// faultPlan holds the faults by path or route pattern.
type faultPlan struct {
	mu     sync.Mutex
	byPath map[string][]*plannedFault
}

// add queues n answers of f on path; n <= 0 clears path's plan.
func (p *faultPlan) add(path string, n int, f Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n <= 0 {
		delete(p.byPath, path)
		return
	}
	if p.byPath == nil {
		p.byPath = map[string][]*plannedFault{}
	}
	p.byPath[path] = append(p.byPath[path], &plannedFault{f, n})
}

// take consumes one planned answer for the first key that has one.
func (p *faultPlan) take(keys ...string) (Fault, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.byPath) == 0 {
		return Fault{}, false
	}
	for _, k := range keys {
		q := p.byPath[k]
		if len(q) == 0 {
			continue
		}
		f := q[0].f
		if q[0].left--; q[0].left == 0 {
			q = q[1:]
		}
		if len(q) == 0 {
			delete(p.byPath, k)
		} else {
			p.byPath[k] = q
		}
		return f, true
	}
	return Fault{}, false
}

// malformedBody is cut mid-object, as a truncated answer would be.
const malformedBody = `{"code":"UNKNOWN_ERROR","message":"trunc`

// applyFault carries out f. It reports whether the answer is complete, that
// is whether the normal handling must not run.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, c *call, f Fault) (done bool) {
	c.detail = "fault: " + f.String()
	if f.Delay > 0 {
		// A served fake has read and write timeouts (fakes/serve); this
		// delay is meant, so the answer it holds back gets the delay on
		// top, and the body is read now, before the read timeout, which
		// also lets net/http notice a client that gives up waiting.
		http.NewResponseController(w).SetWriteDeadline(time.Now().Add(f.Delay + delayWriteSlack))
		body, _ := io.ReadAll(io.LimitReader(r.Body, maxDirectiveBody+1))
		r.Body = io.NopCloser(bytes.NewReader(body))
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			c.detail = fmt.Sprintf("fault: client left during a %s delay", f.Delay)
			s.finish(c, 0, DecisionFault)
			return true
		}
	}
	switch {
	case f.DropConnection:
		s.finish(c, 0, DecisionFault)
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return true
			}
		}
		// HTTP/2 and recorders cannot hijack; aborting the handler resets
		// the stream or closes the connection all the same.
		panic(http.ErrAbortHandler)
	case f.MalformedBody:
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		writeJSON(w, status, []byte(malformedBody))
		s.finish(c, status, DecisionFault)
		return true
	case f.Status != 0:
		body := []byte(f.Body)
		if f.Body == "" {
			body = errStatus(c.family, f.Status, "").body(c.family)
		}
		writeJSON(w, f.Status, body)
		s.finish(c, f.Status, DecisionFault)
		return true
	}
	c.detail = fmt.Sprintf("fault: delayed %s", f.Delay)
	return false
}
