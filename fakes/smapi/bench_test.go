package smapi_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkRead measures an authorised SMAPI read (get-skill-manifest of
// the example skill, token check included) over loopback, against a
// baseline handler that writes the same manifest without doing anything,
// through the same client. The ratio of their ns/op is what the fake adds.
func BenchmarkRead(b *testing.B) {
	e := newEnv(b)
	manifest := examplePackage(b)["skill.json"]
	noop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(manifest)
	}))
	b.Cleanup(noop.Close)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	b.Cleanup(client.CloseIdleConnections)
	run := func(b *testing.B, url string) {
		b.ReportAllocs()
		b.SetParallelism(4)
		b.RunParallel(func(pb *testing.PB) {
			req, _ := http.NewRequest(http.MethodGet, url, nil)
			req.Header.Set("Authorization", "Bearer "+e.token)
			for pb.Next() {
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				n, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || n != int64(len(manifest)) {
					b.Errorf("%d, %d bytes", resp.StatusCode, n)
					return
				}
			}
		})
	}
	b.Run("baseline-noop", func(b *testing.B) { run(b, noop.URL+devA+"/manifest") })
	b.Run("fake", func(b *testing.B) { run(b, e.ts.URL+devA+"/manifest") })
}
