// Package recorder notes the status a handler answered, for the request
// logs of asksim's fakes.
package recorder

import "net/http"

// Writer passes everything to the ResponseWriter it wraps and keeps the
// first status written: Status is 0 until the handler answers.
type Writer struct {
	http.ResponseWriter
	Status int
}

// WriteHeader records code if it is the first status.
func (w *Writer) WriteHeader(code int) {
	if w.Status == 0 {
		w.Status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write records 200 when nothing was answered yet, as net/http does.
func (w *Writer) Write(b []byte) (int, error) {
	if w.Status == 0 {
		w.Status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (hijack, flush).
func (w *Writer) Unwrap() http.ResponseWriter { return w.ResponseWriter }
