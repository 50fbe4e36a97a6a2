package alexaapi_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/alexaapi"
	"github.com/asksim/asksim/fakes/serve"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/alexa"
	"github.com/asksim/asksim/simulator/apitoken"
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

// TestLog_OutsideInputCannotForgeLines is issue 14 defect 6 for the Alexa
// API fake: %0A in a URL path once started a log line of the sender's
// choosing; so could a user id in a token or a detail quoting a body.
func TestLog_OutsideInputCannotForgeLines(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	f := newFixture(t, func(c *alexaapi.Config) {
		c.Logf = func(format string, args ...any) {
			mu.Lock()
			lines = append(lines, fmt.Sprintf(format, args...))
			mu.Unlock()
		}
	})
	token, err := signer(t).APIAccessToken(apitoken.For{UserID: "amzn1.ask.account.A\r\nGET /", DeviceID: "amzn1.ask.device.D",
		Scopes: []string{alexa.ScopeEmail}})
	if err != nil {
		t.Fatal(err)
	}
	forged := "%0D%0AGET%20" + url.PathEscape(pathEmail) + "%20-%3E%20200%20granted"
	call(t, http.MethodGet, f.ts.URL+pathEmail+forged, token, "")
	call(t, http.MethodGet, f.ts.URL+pathEmail, token, "")
	call(t, http.MethodPost, f.ts.URL+pathDirectives, token, "{\"header\":\n\u2028")

	mu.Lock()
	defer mu.Unlock()
	if len(lines) != 3 {
		t.Fatalf("%d log calls for 3 requests: %q", len(lines), lines)
	}
	for _, l := range lines {
		if strings.ContainsAny(l, "\r\n\u2028\u2029\u0085") {
			t.Errorf("log line breaks: %q", l)
		}
	}
	for i, want := range []string{
		`GET "` + pathEmail + `\r\nGET ` + pathEmail + ` -> 200 granted" -> 404 not-found`,
		`GET ` + pathEmail + ` -> 200 granted user …"A\r\nGET /"`,
		`POST /v1/directives -> 400 bad-request`,
	} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("line %d = %s\nwant it to contain %s", i, lines[i], want)
		}
	}
}

// TestParseProfiles_DeepNesting is issue 14 defect 3 for the profiles
// file: 5 MB of '[' ended in "fatal error: stack overflow" at about 1 GB.
func TestParseProfiles_DeepNesting(t *testing.T) {
	_, err := alexaapi.ParseProfiles([]byte(strings.Repeat("[", 5<<20)), "deep.json")
	if err == nil || err.Error() != "deep.json:1: JSON nests arrays and objects deeper than 64 levels" {
		t.Errorf("5 MB of '[': %v", err)
	}
	// The limit leaves room: a comment may hold nested JSON of its own.
	nest := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	if _, err := alexaapi.ParseProfiles([]byte(`{"$comment": `+nest(63)+`, "email": "a@b.c"}`), "ok.json"); err != nil {
		t.Errorf("64 levels: %v", err)
	}
	_, err = alexaapi.ParseProfiles([]byte("{\"users\": {\n\"u\": {\"$comment\": "+nest(63)+"}}}"), "p.json")
	if err == nil || err.Error() != "p.json:2: JSON nests arrays and objects deeper than 64 levels" {
		t.Errorf("65 levels: %v", err)
	}
}

// TestFault_DelayOutlastsTheServersTimeouts: fakes/serve now bounds how
// long a request and its answer may take (issue 14 defect 5); a scripted
// delay is meant to be long, and its answer, scripted or real, arrives.
func TestFault_DelayOutlastsTheServersTimeouts(t *testing.T) {
	f := newFixture(t, nil)
	s, err := serve.Start(f.api, serve.Options{ReadTimeout: 200 * time.Millisecond, WriteTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, token, _ := f.conversation(simulator.ConsentEmail)
	delay := 600 * time.Millisecond
	for path, fault := range map[string]alexaapi.Fault{pathEmail: {Delay: delay, Status: 429}, pathDirectives: {Delay: delay}} {
		if err := f.api.Fail(path, 1, fault); err != nil {
			t.Fatal(err)
		}
	}
	if got := call(t, http.MethodGet, s.URL+pathEmail, token, ""); got.status != 429 {
		t.Errorf("scripted answer after the delay: %d %s", got.status, got.body)
	}
	body := `{"header":{"requestId":"amzn1.echo-api.request.1"},"directive":{"type":"VoicePlayer.Speak","speech":"One moment"}}`
	if got := call(t, http.MethodPost, s.URL+pathDirectives, token, body); got.status != 204 {
		t.Errorf("real answer after the delay, body read after the read timeout: %d %s", got.status, got.body)
	}
}
