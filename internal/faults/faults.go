// Package faults scripts misbehaving answers for asksim's API fakes: a
// queue of faults per path or route, the checks that refuse a fault that
// cannot be played, and the playing of one fault on an HTTP answer
// (delay, dropped connection, malformed body, error status).
package faults

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Fault is an injected failure for the next answers on a path. Delay
// applies first; then the first of DropConnection, MalformedBody and
// Status that is set decides the answer. A Fault with only a Delay delays
// the normal answer. Check refuses a Status outside 200–999 (net/http
// panics outside 100–999, and a 1xx is no final answer), a negative Delay,
// and a Body that would never be sent.
type Fault struct {
	// Status answers this HTTP status, e.g. 429 or 500, with Body.
	Status int
	// Body is the body of Status; empty means the fake's own error body
	// (Player.ErrorBody), e.g. a JSON error in the API's shape.
	Body string
	// Delay holds the answer back; a client that gives up first (its
	// request context ends) gets nothing, and the call is logged as a fault.
	Delay time.Duration
	// MalformedBody answers Status (200 when 0) with JSON cut short
	// (Player.Malformed), which the SDKs fail to parse.
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

// Check reports why f cannot be played as documented.
func (f Fault) Check() error {
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

type planned struct {
	f    Fault
	left int
}

// Plan holds the faults by path or route pattern. The zero value is ready
// to use and safe for concurrent use.
type Plan struct {
	mu    sync.Mutex
	byKey map[string][]*planned
}

// Add queues n answers of f on key; n <= 0 clears key's queue.
func (p *Plan) Add(key string, n int, f Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n <= 0 {
		delete(p.byKey, key)
		return
	}
	if p.byKey == nil {
		p.byKey = map[string][]*planned{}
	}
	p.byKey[key] = append(p.byKey[key], &planned{f, n})
}

// Reset clears every queue.
func (p *Plan) Reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.byKey = nil
}

// Take consumes one planned answer for the first key that has one.
func (p *Plan) Take(keys ...string) (Fault, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.byKey) == 0 {
		return Fault{}, false
	}
	for _, k := range keys {
		q := p.byKey[k]
		if len(q) == 0 {
			continue
		}
		f := q[0].f
		if q[0].left--; q[0].left == 0 {
			q = q[1:]
		}
		if len(q) == 0 {
			delete(p.byKey, k)
		} else {
			p.byKey[k] = q
		}
		return f, true
	}
	return Fault{}, false
}

// DelayWriteSlack is the time left to answer once a scripted delay is
// over: fakes/serve's default write timeout.
const DelayWriteSlack = 30 * time.Second

// Player plays faults for one fake.
type Player struct {
	// ErrorBody renders the body of a Status fault without Body; nil
	// sends the empty Body as it is.
	ErrorBody func(status int) []byte
	// Malformed is the body of a MalformedBody fault.
	Malformed []byte
	// MaxBody is how much of the request body a delay reads ahead.
	MaxBody int64
	// Write answers status with body, for a fake whose headers differ
	// from WriteJSON's (the default).
	Write func(w http.ResponseWriter, status int, body []byte)
}

// Outcome is what playing a fault did.
type Outcome struct {
	// Done: the answer is complete (or must never come); the real handler
	// must not run.
	Done bool
	// Status is the status written, 0 when none was.
	Status int
	// Detail says what happened, for the request log.
	Detail string
	// Drop: the caller must now end the connection with Drop, after
	// logging, so that a client that sees the drop also finds it logged.
	Drop bool
	// ClientLeft: the client gave up during the delay; nothing was
	// written.
	ClientLeft bool
}

// Play carries out f on w.
func (p Player) Play(w http.ResponseWriter, r *http.Request, f Fault) Outcome {
	if f.Delay > 0 {
		// A served fake has read and write timeouts (fakes/serve); this
		// delay is meant, so the answer it holds back gets the delay on
		// top, and the body is read now, before the read timeout, which
		// also lets net/http notice a client that gives up waiting.
		http.NewResponseController(w).SetWriteDeadline(time.Now().Add(f.Delay + DelayWriteSlack))
		body, _ := io.ReadAll(io.LimitReader(r.Body, p.MaxBody+1))
		r.Body = io.NopCloser(bytes.NewReader(body))
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return Outcome{Done: true, ClientLeft: true, Detail: fmt.Sprintf("fault: client left during a %s delay", f.Delay)}
		}
	}
	write := p.Write
	if write == nil {
		write = WriteJSON
	}
	switch {
	case f.DropConnection:
		return Outcome{Done: true, Drop: true, Detail: "fault: " + f.String()}
	case f.MalformedBody:
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		write(w, status, p.Malformed)
		return Outcome{Done: true, Status: status, Detail: "fault: " + f.String()}
	case f.Status != 0:
		body := []byte(f.Body)
		if f.Body == "" && p.ErrorBody != nil {
			body = p.ErrorBody(f.Status)
		}
		write(w, f.Status, body)
		return Outcome{Done: true, Status: f.Status, Detail: "fault: " + f.String()}
	}
	return Outcome{Detail: fmt.Sprintf("fault: delayed %s", f.Delay)}
}

// Drop closes the connection under w without an answer. HTTP/2 and
// recorders cannot hijack; aborting the handler resets the stream or
// closes the connection all the same.
func Drop(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		conn.Close()
		return
	}
	panic(http.ErrAbortHandler)
}

// WriteJSON answers status with body as application/json.
func WriteJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	w.Write(body)
}
