package simulator_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/apitoken"
)

// testSigner spares every test the RSA key generation of New.
var testSigner = sync.OnceValue(func() *apitoken.Signer {
	s, err := apitoken.NewGeneratedSigner()
	if err != nil {
		panic(err)
	}
	return s
})

// newSim returns a simulator driving endpoint with the shared test signer.
func newSim(t testing.TB, ep simulator.Endpoint, opts ...simulator.Option) *simulator.Simulator {
	t.Helper()
	sim, err := simulator.New(append([]simulator.Option{simulator.WithSigner(testSigner()), simulator.WithEndpoint(ep)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return sim
}

// httpSim starts a skill with handler h and returns a simulator driving it
// over HTTP.
func httpSim(t testing.TB, h http.HandlerFunc, opts ...simulator.Option) (*simulator.Simulator, *httptest.Server) {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	ep, err := simulator.HTTPEndpoint(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	return newSim(t, ep, opts...), ts
}

// answer returns a handler that reads the request and answers body.
func answer(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
	}
}

// received decodes the envelope a skill received.
func received(t testing.TB, r *http.Request) (simulator.Envelope, []byte) {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Error(err)
	}
	var env simulator.Envelope
	if err := json.Unmarshal(b, &env); err != nil {
		t.Errorf("skill received a body that is not an envelope: %v", err)
	}
	return env, b
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	check(t, err)
	return b
}

func check(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
