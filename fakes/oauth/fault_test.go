package oauth_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/oauth"
)

// faultAnswer is what docs/faults.md promises a client for a fault.
type faultAnswer struct {
	status      int
	contentType string
	body        string
}

// faultAnswers pins the OAuth fake's own ways, which the other fakes do not
// share: a Content-Type chosen by the body, no-store, and an empty body
// sent empty; every answer, malformed ones too, not to be cached.
var faultAnswers = []struct {
	name  string
	fault oauth.Fault
	want  faultAnswer
}{
	{"JSON body", oauth.Fault{Status: 503, Body: `{"error":"temporarily_unavailable"}`},
		faultAnswer{503, "application/json", `{"error":"temporarily_unavailable"}`}},
	{"text body", oauth.Fault{Status: 500, Body: "upstream down"},
		faultAnswer{500, "text/plain; charset=utf-8", "upstream down"}},
	{"no body", oauth.Fault{Status: 502},
		faultAnswer{502, "text/plain; charset=utf-8", ""}},
	{"malformed", oauth.Fault{MalformedBody: true},
		faultAnswer{200, "application/json", `{"access_token":"trunc`}},
	{"malformed with a status", oauth.Fault{MalformedBody: true, Status: 500},
		faultAnswer{500, "application/json", `{"access_token":"trunc`}},
}

func wantFaultAnswer(t *testing.T, name string, got result, want faultAnswer) {
	t.Helper()
	if got.status != want.status || got.header.Get("Content-Type") != want.contentType || string(got.body) != want.body {
		t.Errorf("%s: %d %q %q, want %d %q %q", name, got.status, got.header.Get("Content-Type"), got.body,
			want.status, want.contentType, want.body)
	}
	if cc := got.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("%s: Cache-Control %q, want no-store", name, cc)
	}
}

// TestFault_AnswersAndLogAsDocumented holds Fail and FailGrant to the
// tables of docs/faults.md: what the client gets and what Requests says.
func TestFault_AnswersAndLogAsDocumented(t *testing.T) {
	e := newEnv(t)
	tok := e.issue("alice", nil).AccessToken
	for _, c := range faultAnswers {
		if err := e.srv.Fail("/userinfo", 1, c.fault); err != nil {
			t.Fatal(err)
		}
		wantFaultAnswer(t, "Fail "+c.name, e.get("/userinfo"), c.want)
		if got := e.srv.RequestsTo("/userinfo"); got[len(got)-1].Outcome != "fault" || got[len(got)-1].Status != c.want.status {
			t.Errorf("Fail %s: logged %+v", c.name, got[len(got)-1])
		}

		if err := e.srv.FailGrant(tok, playlists, 1, c.fault); err != nil {
			t.Fatal(err)
		}
		wantFaultAnswer(t, "FailGrant "+c.name, e.resourceGet(playlists, "Bearer "+tok), c.want)
		if got := e.srv.ResourceRequests(tok); got[len(got)-1].Outcome != "fault" || got[len(got)-1].Status != c.want.status {
			t.Errorf("FailGrant %s: logged %+v", c.name, got[len(got)-1])
		}
	}

	// A dropped grant's connection is logged before it closes.
	if err := e.srv.FailGrant(tok, playlists, 1, oauth.Fault{DropConnection: true}); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+playlists, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	fresh := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := fresh.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("FailGrant drop answered %d", resp.StatusCode)
	}
	if got := e.srv.ResourceRequests(tok); got[len(got)-1].Outcome != "fault" || got[len(got)-1].Status != 0 {
		t.Errorf("FailGrant drop: logged %+v", got[len(got)-1])
	}
}

// TestFault_ClientGoneIsLogged: a client that gives up during a delay
// leaves a log entry saying so, with no status, scripted answer or not.
func TestFault_ClientGoneIsLogged(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, f := range []oauth.Fault{{Delay: time.Hour, Status: 500}, {Delay: time.Hour}} {
		if err := e.srv.Fail("/userinfo", 1, f); err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/userinfo", nil).WithContext(ctx))
		got := e.srv.RequestsTo("/userinfo")
		if last := got[len(got)-1]; last.Outcome != "fault: client gone" || last.Status != 0 || w.Body.Len() != 0 {
			t.Errorf("%+v: logged %+v, answered %q", f, last, w.Body)
		}
	}
}
