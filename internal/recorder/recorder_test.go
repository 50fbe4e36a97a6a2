package recorder_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/asksim/asksim/internal/recorder"
)

func TestWriterKeepsTheFirstStatus(t *testing.T) {
	for name, c := range map[string]struct {
		write func(w http.ResponseWriter)
		want  int
	}{
		"none":        {func(http.ResponseWriter) {}, 0},
		"body only":   {func(w http.ResponseWriter) { w.Write([]byte("x")) }, 200},
		"header":      {func(w http.ResponseWriter) { w.WriteHeader(404); w.Write([]byte("x")) }, 404},
		"two headers": {func(w http.ResponseWriter) { w.WriteHeader(202); w.WriteHeader(500) }, 202},
	} {
		rec := httptest.NewRecorder()
		w := &recorder.Writer{ResponseWriter: rec}
		c.write(w)
		if w.Status != c.want {
			t.Errorf("%s: Status %d, want %d", name, w.Status, c.want)
		}
		if w.Unwrap() != rec {
			t.Errorf("%s: Unwrap lost the writer", name)
		}
	}
}
