package simulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/asksim/asksim/simulator"
)

const benchResponse = `{"version":"1.0","sessionAttributes":{"turns":2,"cart":["tea"]},"response":{"outputSpeech":{"type":"SSML","ssml":"<speak>You have <say-as interpret-as=\"cardinal\">1</say-as> item &amp; a <emphasis>great</emphasis> day. <break time=\"300ms\"/> Anything else?</speak>"},"reprompt":{"outputSpeech":{"type":"PlainText","text":"Anything else?"}},"card":{"type":"Simple","title":"Cart","content":"tea"},"shouldEndSession":false}}`

// benchSkill is a skill as cheap as one can be while still reading the
// envelope it is sent, as every real skill does.
func benchSkill(w http.ResponseWriter, r *http.Request) {
	var env struct {
		Request struct {
			Type string `json:"type"`
		} `json:"request"`
	}
	if err := json.NewDecoder(r.Body).Decode(&env); err != nil || env.Request.Type == "" {
		http.Error(w, "bad envelope", 400)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, benchResponse)
}

// BenchmarkTurn measures one turn through asksim (envelope with a cached
// token, marshal, headers, send, read, decode, contract check, session
// update) against its baseline in the same run: a bare keep-alive POST of a
// pre-encoded envelope to the same skill, read to the end. The two alternate
// inside each iteration, so both see the same machine state. ns/op is the
// turn; bare-ns/op the baseline; turn/bare their ratio.
func BenchmarkTurn(b *testing.B) {
	for _, bc := range []struct {
		name   string
		signed bool
	}{{"unsigned", false}, {"signed", true}} {
		b.Run(bc.name, func(b *testing.B) {
			ts := httptest.NewServer(http.HandlerFunc(benchSkill))
			defer ts.Close()
			ep, err := simulator.HTTPEndpoint(ts.URL)
			check(b, err)
			sim := newSim(b, ep, simulator.WithRequestSigning(bc.signed))
			conv := sim.NewConversation(simulator.ConsentEmail)
			ctx := context.Background()
			req := simulator.IntentRequest("AddIntent", simulator.WithSlot("item", "tea"))

			// The baseline's body: the same envelope, encoded once.
			env, err := sim.NewConversation(simulator.ConsentEmail).Envelope(req)
			check(b, err)
			body := mustJSON(b, env)
			bare := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
			post := func() {
				resp, err := bare.Post(ts.URL, "application/json; charset=utf-8", bytes.NewReader(body))
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatal(resp.Status)
				}
			}
			turn := func() {
				t, err := conv.Send(ctx, req)
				if err != nil {
					b.Fatal(err)
				}
				if t.Response.Response.Card == nil {
					b.Fatal("no card decoded")
				}
			}
			post()
			turn() // warm connections, key and token caches

			var bareTotal, turnTotal time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				post()
				t1 := time.Now()
				turn()
				turnTotal += time.Since(t1)
				bareTotal += t1.Sub(t0)
			}
			b.StopTimer()
			n := float64(b.N)
			b.ReportMetric(float64(turnTotal.Nanoseconds())/n, "ns/op")
			b.ReportMetric(float64(bareTotal.Nanoseconds())/n, "bare-ns/op")
			b.ReportMetric(float64(turnTotal)/float64(bareTotal), "turn/bare")
		})
	}
}

// BenchmarkCheckResponse is the contract check alone on a typical answer.
func BenchmarkCheckResponse(b *testing.B) {
	req := simulator.IntentRequest("AddIntent")
	raw := []byte(benchResponse)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if v := simulator.CheckResponse(&req, raw, time.Millisecond); v != nil {
			b.Fatal(v)
		}
	}
}
