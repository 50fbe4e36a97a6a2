package oauth_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkResourceRead is an authorised GET /v1/me/playlists (bearer
// lookup, scope check, the user's body with its placeholders filled)
// against a no-op handler that answers the same bytes, over one loopback
// client, interleaved call by call so that both see the same machine.
// resource/noop is the fake's cost on top of HTTP itself.
func BenchmarkResourceRead(b *testing.B) {
	e := newEnv(b)
	token := e.issue("alice", nil).AccessToken
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true}}
	b.Cleanup(client.CloseIdleConnections)
	get := func(url string) []byte {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("%s: %d %s", url, resp.StatusCode, body)
		}
		return body
	}
	want := get(e.ts.URL + playlists)
	noop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(want)
	}))
	b.Cleanup(noop.Close)
	get(noop.URL + playlists) // warm both connections

	var noopTotal, resTotal time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		get(noop.URL + playlists)
		t1 := time.Now()
		get(e.ts.URL + playlists)
		resTotal += time.Since(t1)
		noopTotal += t1.Sub(t0)
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(resTotal.Nanoseconds())/n, "ns/op")
	b.ReportMetric(float64(noopTotal.Nanoseconds())/n, "noop-ns/op")
	b.ReportMetric(float64(resTotal)/float64(noopTotal), "resource/noop")
}

// BenchmarkResourceServeHTTP is the handler alone, without the network:
// what the resource adds per call.
func BenchmarkResourceServeHTTP(b *testing.B) {
	e := newEnv(b)
	req := httptest.NewRequest(http.MethodGet, playlists, nil)
	req.Header.Set("Authorization", "Bearer "+e.issue("alice", nil).AccessToken)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code, w.Body)
		}
	}
}
