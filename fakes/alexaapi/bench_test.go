package alexaapi_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/alexa"
	"github.com/asksim/asksim/simulator/apitoken"
)

// BenchmarkProfileEmail measures an authorised Profile.email call over
// loopback, token verification included, against a baseline handler that
// writes the same answer without doing anything, through the same client.
// Run with -cpu 2 to see the 2-core figure.
func BenchmarkProfileEmail(b *testing.B) {
	f := newFixture(b, nil)
	endpoint, token, _ := f.conversation(simulator.ConsentEmail)
	noop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `"jane@example.com"`)
	}))
	b.Cleanup(noop.Close)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	b.Cleanup(client.CloseIdleConnections)

	run := func(b *testing.B, url string, wantBody string) {
		b.ReportAllocs()
		// Several calls in flight per core, as a test suite's parallel
		// scenarios would have; one at a time measures scheduling latency.
		b.SetParallelism(4)
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			req, _ := http.NewRequest(http.MethodGet, url, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			buf := make([]byte, 256)
			for pb.Next() {
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				n, _ := io.ReadFull(resp.Body, buf)
				resp.Body.Close()
				if resp.StatusCode != 200 || string(buf[:n]) != wantBody {
					b.Errorf("%d %q", resp.StatusCode, buf[:n])
					return
				}
			}
		})
		elapsed := time.Since(start)
		b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	}
	b.Run("baseline-noop", func(b *testing.B) { run(b, noop.URL+pathEmail, `"jane@example.com"`) })
	b.Run("fake", func(b *testing.B) { run(b, endpoint+pathEmail, `"jane@example.com"`) })
}

// BenchmarkServeHTTP is the handler alone, without the network: what the
// fake adds to each call, against the same no-op baseline.
func BenchmarkServeHTTP(b *testing.B) {
	f := newFixture(b, nil)
	_, token, _ := f.conversation(simulator.ConsentEmail)
	noop := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `"jane@example.com"`)
	})
	req := httptest.NewRequest(http.MethodGet, pathEmail, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{{"baseline-noop", noop}, {"fake", f.api}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				bc.h.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatal(w.Code)
				}
			}
		})
	}
}

// BenchmarkTokenVerification is what the cache saves on each call: a full
// RS256 verification and claims decoding.
func BenchmarkTokenVerification(b *testing.B) {
	s := signer(b)
	token, err := s.APIAccessToken(apitoken.For{UserID: "amzn1.ask.account.A", DeviceID: "amzn1.ask.device.D", Scopes: []string{alexa.ScopeEmail}})
	if err != nil {
		b.Fatal(err)
	}
	kf := s.Keyfunc()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := apitoken.Parse(token, kf, nil); err != nil {
			b.Fatal(err)
		}
	}
}
