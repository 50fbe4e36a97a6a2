package testutil

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/oauth"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/apitoken"
)

// FixedTime is the clock of every reproducible envelope.
var FixedTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// Root returns the repository's root directory: the nearest directory above
// the working directory (a package's, under go test) that holds go.mod.
func Root() string {
	dir, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			panic("testutil: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Fixture returns the path of a file under fixtures/.
func Fixture(elem ...string) string {
	return filepath.Join(append([]string{Root(), "fixtures"}, elem...)...)
}

// Signer returns the signer of fixtures/keys/test-key.pem on FixedTime, the
// same for every test, so tokens are the same run after run.
var Signer = sync.OnceValue(func() *apitoken.Signer {
	key, err := apitoken.LoadKeyFile(Fixture("keys", "test-key.pem"))
	if err != nil {
		panic(err)
	}
	return apitoken.NewSigner(key, apitoken.WithClock(func() time.Time { return FixedTime }))
})

// Deterministic returns a simulator whose envelopes are the same on every
// run: FixedTime, ids seeded with 1, Signer's key. opts come after those.
func Deterministic(t testing.TB, opts ...simulator.Option) *simulator.Simulator {
	t.Helper()
	base := []simulator.Option{
		simulator.WithClock(func() time.Time { return FixedTime }),
		simulator.WithSeed(1),
		simulator.WithSigner(Signer()),
	}
	sim, err := simulator.New(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return sim
}

// Generic decodes JSON into maps and slices, for structural comparisons.
func Generic(t testing.TB, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode: %v\n%s", err, b)
	}
	return v
}

// Object decodes a JSON object, failing the test on anything else: an
// error body, a token answer.
func Object(t testing.TB, b []byte) map[string]any {
	t.Helper()
	m, ok := Generic(t, b).(map[string]any)
	if !ok {
		t.Fatalf("want a JSON object, got %s", b)
	}
	return m
}

// At walks a decoded JSON document along object keys; ok is false when a
// key is missing.
func At(v any, keys ...string) (any, bool) {
	for _, k := range keys {
		m, isMap := v.(map[string]any)
		if !isMap {
			return nil, false
		}
		v, isMap = m[k]
		if !isMap {
			return nil, false
		}
	}
	return v, true
}

// Clock is a settable clock, safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a Clock set to t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock forward by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// OAuthFake serves the OAuth fake, configured as fixtures/oauth/default.json
// and then by mod (when not nil), on a loopback server that closes when the
// test ends.
func OAuthFake(t testing.TB, mod func(*oauth.Config)) (*oauth.Server, *httptest.Server) {
	t.Helper()
	cfg := oauth.DefaultConfig()
	if mod != nil {
		mod(&cfg)
	}
	srv, err := oauth.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Reading the body first lets net/http notice a client that hangs up,
	// so a delayed answer ends when the client gives up (the server starts
	// watching the connection only once the body is consumed).
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		r.Body = io.NopCloser(bytes.NewReader(body))
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return srv, ts
}

// ChromiumPath is where Debian's chromium package puts the browser.
const ChromiumPath = "/usr/bin/chromium"

// Chromium returns the path of a headless-capable Chromium for tests that
// read pages as a person does. Without one the test is skipped, except
// under CI (CI set), where .ci/run installs it and its absence fails the
// test: a green CI must have run it.
func Chromium(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err == nil {
		return ChromiumPath
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("chromium is not installed; .ci/run installs it (apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed: run 'apt-get update && apt-get install -y chromium' (Debian) to drive pages in a browser")
	return ""
}
