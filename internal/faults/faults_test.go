package faults_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/internal/faults"
)

func TestPlanQueuesPerKeyInOrder(t *testing.T) {
	var p faults.Plan
	p.Add("/a", 2, faults.Fault{Status: 429})
	p.Add("/a", 1, faults.Fault{Status: 503})
	p.Add("pattern", 1, faults.Fault{Status: 500})
	var got []int
	for range 4 {
		f, ok := p.Take("/a", "pattern")
		if ok {
			got = append(got, f.Status)
		}
	}
	if want := []int{429, 429, 503, 500}; !slices.Equal(got, want) {
		t.Errorf("took %v, want %v", got, want)
	}
	if _, ok := p.Take("/a", "pattern"); ok {
		t.Error("a fault left after the queue was used up")
	}
	p.Add("/b", 3, faults.Fault{Status: 500})
	p.Add("/b", 0, faults.Fault{})
	if _, ok := p.Take("/b"); ok {
		t.Error("n <= 0 did not clear the queue")
	}
	p.Add("/c", 1, faults.Fault{Status: 500})
	p.Add("/d", 1, faults.Fault{Status: 500})
	p.Reset()
	if _, ok := p.Take("/c", "/d"); ok {
		t.Error("Reset left a fault")
	}
	p.Add("/c", 1, faults.Fault{Status: 501})
	if f, ok := p.Take("/c"); !ok || f.Status != 501 {
		t.Errorf("after Reset, Take = %v, %v; want the new fault", f, ok)
	}
}

func TestPlayAnswers(t *testing.T) {
	body := func(status int) []byte { return []byte(`{"message":"` + http.StatusText(status) + `"}`) }
	cases := []struct {
		f      faults.Fault
		status int
		body   string
		done   bool
	}{
		{faults.Fault{Status: 429}, 429, `{"message":"Too Many Requests"}`, true},
		{faults.Fault{Status: 500, Body: `{"x":1}`}, 500, `{"x":1}`, true},
		{faults.Fault{MalformedBody: true}, 200, `{"trunc`, true},
		{faults.Fault{Delay: time.Millisecond}, 0, "", false},
	}
	for _, c := range cases {
		w := httptest.NewRecorder()
		o := faults.Player{ErrorBody: body, Malformed: []byte(`{"trunc`), MaxBody: 1 << 10}.Play(w, httptest.NewRequest("GET", "/", nil), c.f)
		if o.Done != c.done || o.Status != c.status || (c.done && w.Body.String() != c.body) || o.Detail == "" {
			t.Errorf("%v: outcome %+v, body %q", c.f, o, w.Body.String())
		}
		if c.done && w.Header().Get("Content-Type") != "application/json" {
			t.Errorf("%v: Content-Type %q", c.f, w.Header().Get("Content-Type"))
		}
	}
}

// TestPlayWithTheFakesOwnWriter: a fake with headers of its own writes
// the answer, and without ErrorBody an empty Body is sent empty.
func TestPlayWithTheFakesOwnWriter(t *testing.T) {
	p := faults.Player{Malformed: []byte(`{"trunc`), Write: func(w http.ResponseWriter, status int, body []byte) {
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		w.Write(append([]byte("own:"), body...))
	}}
	for _, c := range []struct {
		f      faults.Fault
		status int
		body   string
	}{
		{faults.Fault{Status: 503}, 503, "own:"},
		{faults.Fault{Status: 500, Body: "x"}, 500, "own:x"},
		{faults.Fault{MalformedBody: true}, 200, `own:{"trunc`},
	} {
		w := httptest.NewRecorder()
		o := p.Play(w, httptest.NewRequest("GET", "/", nil), c.f)
		if !o.Done || o.Status != c.status || w.Code != c.status || w.Body.String() != c.body || w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%v: outcome %+v, answer %d %q %v", c.f, o, w.Code, w.Body, w.Header())
		}
	}
}

func TestPlayDelayEndsWhenTheClientLeaves(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequest("GET", "/", nil).WithContext(ctx)
	o := faults.Player{}.Play(httptest.NewRecorder(), r, faults.Fault{Delay: time.Hour, Status: 500})
	if !o.Done || o.Status != 0 || !o.ClientLeft {
		t.Errorf("outcome %+v, want done without an answer, the client gone", o)
	}
	o = faults.Player{}.Play(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil), faults.Fault{Delay: time.Millisecond})
	if o.Done || o.ClientLeft {
		t.Errorf("a delay the client waited out: outcome %+v", o)
	}
}

func TestDropClosesTheConnection(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := (faults.Player{}).Play(w, r, faults.Fault{DropConnection: true}); o.Drop {
			faults.Drop(w)
		}
	}))
	defer ts.Close()
	c := &http.Client{Timeout: 5 * time.Second}
	if resp, err := c.Get(ts.URL); err == nil {
		resp.Body.Close()
		t.Fatalf("status %d, want a dropped connection", resp.StatusCode)
	}
}

func TestCheckRefusesFaultsThatCannotBePlayed(t *testing.T) {
	for _, c := range []struct {
		f   faults.Fault
		err string
	}{
		{faults.Fault{Status: 42}, "status 42 is not a final HTTP status"},
		{faults.Fault{Status: 100}, "status 100"},
		{faults.Fault{Delay: -time.Second}, "negative delay"},
		{faults.Fault{Body: "x"}, "never sent"},
		{faults.Fault{Status: 500, Body: "x", DropConnection: true}, "never sent"},
		{faults.Fault{Status: 503, Body: "{}", Delay: time.Second}, ""},
	} {
		err := c.f.Check()
		if (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%+v: Check = %v, want %q", c.f, err, c.err)
		}
	}
}
