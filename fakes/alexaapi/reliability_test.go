package alexaapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/alexaapi"
	"github.com/asksim/asksim/simulator"
)

// TestFail_RejectsFaultsItCannotPlay is issue 14 defect 8 for the Alexa
// API fake: a status outside 100–999 panicked in WriteHeader when the
// request came, far from the Fail call that caused it.
func TestFail_RejectsFaultsItCannotPlay(t *testing.T) {
	f := newFixture(t, nil)
	endpoint, token, _ := f.conversation(simulator.ConsentEmail)
	for _, tc := range []struct {
		path string
		f    alexaapi.Fault
		want string
	}{
		{pathEmail, alexaapi.Fault{Status: 42}, "status 42"},
		{pathEmail, alexaapi.Fault{Status: 1000}, "status 1000"},
		{pathEmail, alexaapi.Fault{Status: 199}, "status 199"},
		{pathEmail, alexaapi.Fault{MalformedBody: true, Status: -1}, "status -1"},
		{pathEmail, alexaapi.Fault{Delay: -time.Millisecond}, "negative delay"},
		{pathEmail, alexaapi.Fault{Body: "{}"}, "Body without a Status"},
		{pathEmail, alexaapi.Fault{Status: 500, Body: "x", DropConnection: true}, "never sent"},
		{"v1/directives", alexaapi.Fault{Status: 500}, `path "v1/directives"`},
	} {
		err := f.api.Fail(tc.path, 1, tc.f)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "alexaapi: Fail") {
			t.Errorf("Fail(%q, %+v) = %v, want an error about %s", tc.path, tc.f, err, tc.want)
		}
	}
	if got := call(t, http.MethodGet, endpoint+pathEmail, token, ""); got.status != 200 {
		t.Errorf("a refused fault was played: %d %s", got.status, got.body)
	}
	for _, ok := range []alexaapi.Fault{{Status: 200}, {Status: 999}, {Status: 429, Body: "{}"}, {MalformedBody: true}, {DropConnection: true}, {Delay: time.Millisecond}} {
		if err := f.api.Fail("/v1/devices/{deviceId}/settings/address", 1, ok); err != nil {
			t.Errorf("Fail(%+v) = %v", ok, err)
		}
	}
}
