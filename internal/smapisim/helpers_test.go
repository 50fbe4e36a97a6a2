package smapisim_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/asksim/asksim/fakes/alexaapi"
	"github.com/asksim/asksim/fixtures/skill"
	"github.com/asksim/asksim/internal/smapisim"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/apitoken"
)

const skillID = "amzn1.ask.skill.00000000-0000-4000-8000-0000a5c51a00"

// world is the example skill, the Alexa API fake and a Backend that
// speaks to the skill with the email consent.
type world struct {
	t       testing.TB
	skill   *httptest.Server
	api     *httptest.Server
	backend *smapisim.Backend
	cfg     smapisim.Config
	files   map[string][]byte
	// requests are the bodies the skill received, in order.
	mu       sync.Mutex
	requests [][]byte
}

func newWorld(t testing.TB) *world {
	t.Helper()
	api, err := alexaapi.New(alexaapi.Config{Keyfunc: signer().Keyfunc()})
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, api: httptest.NewServer(api)}
	t.Cleanup(w.api.Close)
	h := skill.New(skill.Options{})
	w.skill = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		var b bytes.Buffer
		b.ReadFrom(r.Body)
		w.mu.Lock()
		w.requests = append(w.requests, b.Bytes())
		w.mu.Unlock()
		r.Body = http.NoBody
		r2 := r.Clone(r.Context())
		r2.Body = readCloser{bytes.NewReader(b.Bytes())}
		h.ServeHTTP(rw, r2)
	}))
	t.Cleanup(w.skill.Close)
	ep, err := simulator.HTTPEndpoint(w.skill.URL)
	if err != nil {
		t.Fatal(err)
	}
	w.cfg = smapisim.Config{Endpoint: ep, Consent: simulator.ConsentEmail,
		Options: []simulator.Option{simulator.WithSigner(signer()), simulator.WithAPIEndpoint(w.api.URL)}}
	w.backend = smapisim.New(w.cfg)
	if w.files, err = smapisim.PackageFiles(skill.Package()); err != nil {
		t.Fatal(err)
	}
	if err := w.backend.LoadSkill(skillID, w.files); err != nil {
		t.Fatal(err)
	}
	return w
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

func (w *world) lastRequest() []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.requests) == 0 {
		return nil
	}
	return w.requests[len(w.requests)-1]
}

var ctx = context.Background()

// signer signs with the real clock, as the Alexa API fake checks expiry
// against it (testutil.Signer's clock is fixed).
var signer = sync.OnceValue(func() *apitoken.Signer {
	s, err := apitoken.NewGeneratedSigner()
	if err != nil {
		panic(err)
	}
	return s
})
