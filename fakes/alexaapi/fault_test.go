package alexaapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/alexaapi"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/alexa"
)

func TestFaultStatus(t *testing.T) {
	f := newFixture(t, nil)
	endpoint, token, id := f.conversation(simulator.ConsentNone.Grant(alexa.ScopeEmail, alexa.ScopeAddress))
	f.api.Fail(pathEmail, 2, alexaapi.Fault{Status: 429})
	f.api.Fail(pathEmail, 1, alexaapi.Fault{Status: 503, Body: `{"code":"X","message":"custom"}`})
	// A pattern reaches every device.
	f.api.Fail("/v1/devices/{deviceId}/settings/address", 1, alexaapi.Fault{Status: 500})
	steps := []struct {
		path   string
		status int
		body   string
	}{
		{pathEmail, 429, `{"code":"UNKNOWN_ERROR","message":"Too Many Requests"}`},
		{pathEmail, 429, `{"code":"UNKNOWN_ERROR","message":"Too Many Requests"}`},
		{pathEmail, 503, `{"code":"X","message":"custom"}`},
		{pathEmail, 200, `"jane@example.com"`},
		{pathAddress(id.DeviceID), 500, `{"type":"INTERNAL_SERVER_ERROR","message":"Internal Server Error"}`},
		{pathAddress(id.DeviceID), 200, ""},
	}
	for i, s := range steps {
		got := call(t, http.MethodGet, endpoint+s.path, token, "")
		if got.status != s.status || (s.body != "" && got.body != s.body) {
			t.Errorf("step %d: GET %s = %d %s, want %d %s", i, s.path, got.status, got.body, s.status, s.body)
		}
	}
	if r := f.api.Requests()[0]; r.Decision != alexaapi.DecisionFault || r.Status != 429 || r.Detail == "" {
		t.Errorf("log %+v, want a fault with status 429", r)
	}
}

func TestFaultClear(t *testing.T) {
	f := newFixture(t, nil)
	endpoint, token, _ := f.conversation(simulator.ConsentEmail)
	f.api.Fail(pathEmail, 5, alexaapi.Fault{Status: 500})
	f.api.Fail(pathEmail, 0, alexaapi.Fault{})
	if got := call(t, http.MethodGet, endpoint+pathEmail, token, ""); got.status != 200 {
		t.Errorf("after clearing: %d", got.status)
	}
}

func TestFaultMalformedBody(t *testing.T) {
	f := newFixture(t, nil)
	endpoint, token, _ := f.conversation(simulator.ConsentEmail)
	f.api.Fail(pathEmail, 1, alexaapi.Fault{MalformedBody: true})
	got := call(t, http.MethodGet, endpoint+pathEmail, token, "")
	var v any
	if got.status != 200 || json.Unmarshal([]byte(got.body), &v) == nil {
		t.Errorf("malformed: %d %q, want 200 with a body that is not JSON", got.status, got.body)
	}
}

func TestFaultDropConnection(t *testing.T) {
	f := newFixture(t, nil)
	endpoint, token, _ := f.conversation(simulator.ConsentEmail)
	f.api.Fail(pathEmail, 1, alexaapi.Fault{DropConnection: true})
	req, _ := http.NewRequest(http.MethodGet, endpoint+pathEmail, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("dropped connection answered %d", resp.StatusCode)
	}
	if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("error %v, want EOF", err)
	}
	if r := f.api.Requests()[0]; r.Decision != alexaapi.DecisionFault || r.Status != 0 {
		t.Errorf("log %+v, want fault with status 0", r)
	}
}

func TestFaultDelay(t *testing.T) {
	f := newFixture(t, nil)
	endpoint, token, _ := f.conversation(simulator.ConsentEmail)
	// The normal answer, late.
	f.api.Fail(pathEmail, 1, alexaapi.Fault{Delay: 50 * time.Millisecond})
	start := time.Now()
	if got := call(t, http.MethodGet, endpoint+pathEmail, token, ""); got.status != 200 || got.body != `"jane@example.com"` {
		t.Errorf("delayed answer: %d %s", got.status, got.body)
	}
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("answered after %s, before the delay", d)
	}
	// A client that gives up frees the handler at once.
	f.api.Fail(pathEmail, 1, alexaapi.Fault{Delay: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+pathEmail, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("an hour's delay answered")
	}
	// Close waits for handlers: it returns only if the delayed one ended.
	done := make(chan struct{})
	go func() { f.ts.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the delayed handler did not end when its client left")
	}
	reqs := f.api.Requests()
	if r := reqs[len(reqs)-1]; r.Decision != alexaapi.DecisionFault || r.Status != 0 {
		t.Errorf("log %+v, want a fault with status 0", r)
	}
}
