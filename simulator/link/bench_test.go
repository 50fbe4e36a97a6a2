package link_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/asksim/asksim/simulator/link"
)

// BenchmarkLink is a whole link against the loopback test server; its
// baseline, BenchmarkLinkBaselineRequests, sends the five requests a link
// makes (login page, login POST, same-origin hop, code, refresh) with a
// bare client and no checks, so the ratio is the linker's own cost.
func BenchmarkLink(b *testing.B) {
	as := newTestAS(b)
	cfg := linkConfig(as)
	b.ReportAllocs()
	for b.Loop() {
		res, err := link.Run(context.Background(), cfg)
		if err != nil {
			b.Fatal(err, res.Report)
		}
	}
	b.ReportMetric(5, "requests/op")
}

func BenchmarkLinkBaselineRequests(b *testing.B) {
	as := newTestAS(b)
	// Never follow a redirect: the last one points at Alexa, off loopback.
	c := *as.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	get := func(u string) {
		resp, err := c.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	post := func(u string, form url.Values) {
		resp, err := c.Post(u, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	b.ReportAllocs()
	for b.Loop() {
		get(as.URL + "/authorize?client_id=alexa-skill&response_type=code&redirect_uri=https://pitangui.amazon.com/api/skill/link/X")
		post(as.URL+"/login", url.Values{"a": {"b"}})
		get(as.URL + "/approved?ru=https://pitangui.amazon.com/x")
		post(as.URL+"/token", url.Values{"grant_type": {"x"}})
		post(as.URL+"/token", url.Values{"grant_type": {"y"}})
	}
	b.ReportMetric(5, "requests/op")
}
