package simulator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
)

// handlerURL is the URL an in-process skill sees in its request.
const handlerURL = "https://skill.asksim.local/"

type handlerEndpoint struct{ h http.Handler }

// HandlerEndpoint returns an endpoint that calls h in process, without a
// network: a Go skill's own tests drive its http.Handler with it. The
// handler runs on its own goroutine so that a handler that never returns
// still ends the turn at its timeout; it should return once its request's
// context is done. A panic becomes a FaultStatus with status 500, as
// net/http's server would answer.
func HandlerEndpoint(h http.Handler) Endpoint { return &handlerEndpoint{h: h} }

func (e *handlerEndpoint) String() string { return "in-process handler" }

func (e *handlerEndpoint) Invoke(ctx context.Context, body []byte, header http.Header) (*Reply, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, handlerURL, bytes.NewReader(body))
	if err != nil {
		return nil, &SkillError{Kind: FaultConnection, Endpoint: e.String(), Err: err}
	}
	req.Header = header.Clone()
	req.RemoteAddr = "127.0.0.1:443"
	w := &capWriter{header: http.Header{}, max: MaxResponseBytes}
	done := make(chan any, 1)
	go func() {
		defer func() { done <- recover() }()
		e.h.ServeHTTP(w, req)
	}()
	select {
	case p := <-done:
		if p != nil && p != http.ErrAbortHandler {
			return &Reply{Status: http.StatusInternalServerError, Header: w.header}, &SkillError{
				Kind: FaultStatus, StatusCode: http.StatusInternalServerError, Endpoint: e.String(),
				Err: fmt.Errorf("handler panicked: %v", p)}
		}
	case <-ctx.Done():
		// The handler's goroutine keeps w to itself from here on.
		return nil, transportFault(ctx, e.String(), ctx.Err())
	}
	if w.status == 0 {
		w.status = http.StatusOK
	}
	reply := &Reply{Status: w.status, Header: w.header, Body: w.buf.Bytes()}
	if w.over {
		return reply, &SkillError{Kind: FaultOversize, StatusCode: w.status, BodyStart: bodyStart(reply.Body), Endpoint: e.String(),
			Err: fmt.Errorf("answer is larger than %d bytes", w.max)}
	}
	return reply, statusFault(reply, e.String())
}

// capWriter is a ResponseWriter that keeps at most max bytes.
type capWriter struct {
	header http.Header
	status int
	buf    bytes.Buffer
	max    int
	over   bool
}

func (w *capWriter) Header() http.Header { return w.header }

func (w *capWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

var errWriterFull = errors.New("asksim: response larger than the read cap")

func (w *capWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if room := w.max - w.buf.Len(); len(p) > room {
		w.buf.Write(p[:max(room, 0)])
		w.over = true
		return max(room, 0), errWriterFull
	}
	return w.buf.Write(p)
}
