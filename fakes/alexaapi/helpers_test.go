package alexaapi_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/alexaapi"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/apitoken"
)

// One key for the whole package: generating RSA keys is the slow part.
var (
	keyOnce sync.Once
	testKey *apitoken.Signer
	keyErr  error
)

func signer(t testing.TB) *apitoken.Signer {
	t.Helper()
	keyOnce.Do(func() { testKey, keyErr = apitoken.NewGeneratedSigner() })
	if keyErr != nil {
		t.Fatal(keyErr)
	}
	return testKey
}

// fixture is a fake on a real loopback port plus a simulator whose
// envelopes point at it.
type fixture struct {
	t   testing.TB
	api *alexaapi.Server
	ts  *httptest.Server
	sim *simulator.Simulator
}

func newFixture(t testing.TB, adjust func(*alexaapi.Config)) *fixture {
	t.Helper()
	cfg := alexaapi.Config{Keyfunc: signer(t).Keyfunc()}
	if adjust != nil {
		adjust(&cfg)
	}
	api, err := alexaapi.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(api)
	t.Cleanup(ts.Close)
	sim, err := simulator.New(simulator.WithSigner(signer(t)), simulator.WithAPIEndpoint(ts.URL))
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, api: api, ts: ts, sim: sim}
}

// conversation returns the apiEndpoint, token and identity of a fresh
// conversation's LaunchRequest, as a skill would read them.
func (f *fixture) conversation(c simulator.Consent) (endpoint, token string, id simulator.Identity) {
	f.t.Helper()
	conv := f.sim.NewConversation(c)
	env, err := conv.Envelope(simulator.LaunchRequest())
	if err != nil {
		f.t.Fatal(err)
	}
	return env.Context.System.APIEndpoint, env.Context.System.APIAccessToken, conv.Identity()
}

type answer struct {
	status int
	header http.Header
	body   string
}

// call sends one request the way the SDK clients do: the Bearer token and
// nothing else of note.
func call(t testing.TB, method, url, token, body string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, url, err)
	}
	return answer{resp.StatusCode, resp.Header, string(b)}
}

// Paths of the APIs, as the SDK clients build them.
const (
	pathName       = "/v2/accounts/~current/settings/Profile.name"
	pathGivenName  = "/v2/accounts/~current/settings/Profile.givenName"
	pathEmail      = "/v2/accounts/~current/settings/Profile.email"
	pathMobile     = "/v2/accounts/~current/settings/Profile.mobileNumber"
	pathPersonName = "/v2/persons/~current/profile/name"
	pathDirectives = "/v1/directives"
)

func pathAddress(device string) string { return "/v1/devices/" + device + "/settings/address" }
func pathShortAddress(device string) string {
	return "/v1/devices/" + device + "/settings/address/countryAndPostalCode"
}
func pathSetting(device, name string) string {
	return "/v2/devices/" + device + "/settings/System." + name
}

const (
	bodyNotRequested = `{"code":"ACCESS_DENIED","message":"Access denied with reason: ACCESS_NOT_REQUESTED"}`
	bodyForbidden    = `{"code":"ACCESS_DENIED","message":"Access denied with reason: FORBIDDEN"}`
)
