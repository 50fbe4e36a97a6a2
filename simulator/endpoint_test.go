package simulator_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/asksim/asksim/internal/testutil"
	"github.com/asksim/asksim/simulator"
)

// By default requests carry Alexa's headers but no signature: signing is
// opt-in (docs/request-signing.md).
func TestAlexaHeaders_UnsignedByDefault(t *testing.T) {
	var got http.Header
	sim, _ := httpSim(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, silent)
	})
	send(t, sim.NewConversation(simulator.ConsentNone), simulator.LaunchRequest())
	for name, want := range map[string]string{
		"Content-Type":   "application/json; charset=utf-8",
		"Accept":         "application/json",
		"Accept-Charset": "utf-8",
		"User-Agent":     simulator.UserAgent,
	} {
		if g := got.Get(name); g != want {
			t.Errorf("%s: %q, want %q", name, g, want)
		}
	}
	for _, h := range []string{"Signature", "Signature-256", "SignatureCertChainUrl"} {
		if got.Get(h) != "" {
			t.Errorf("%s sent without signing", h)
		}
	}
}

func TestSendEnvelopeSendsBytesAsGiven(t *testing.T) {
	var body []byte
	var hdr http.Header
	sim, _ := httpSim(t, func(w http.ResponseWriter, r *http.Request) {
		_, body = received(t, r)
		hdr = r.Header.Clone()
		_, _ = io.WriteString(w, `{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"Bye"}}}`)
	}, simulator.WithRequestSigning(true), simulator.WithRequestSigner(authority(t)))
	in := []byte(`{ "version": "1.0",
  "context": {"System": {"application": {"applicationId": "x"}, "user": {"userId": "u"}, "apiEndpoint": "https://api.amazonalexa.com"}},
  "request": {"type": "SessionEndedRequest", "requestId": "r", "timestamp": "2026-01-02T15:04:05Z", "reason": "USER_INITIATED", "custom": [1]} }`)
	turn, err := sim.SendEnvelope(context.Background(), in)
	if !bytes.Equal(body, in) {
		t.Fatalf("skill got\n%s\nwant the bytes given", body)
	}
	// Signed over the bytes given.
	v := testutil.VerifierFor(t, authority(t))
	v.Skip = "timestamp" // the envelope's own, from 2026
	check(t, v.Verify(hdr, in))
	var ce *simulator.ContractError
	if !errors.As(err, &ce) || ce.Violations[0].Rule != simulator.RuleSpeechOnSessionless {
		t.Fatalf("err = %v, want speech-on-sessionless judged against the given request", err)
	}
	if turn.Request.Request.Type != simulator.TypeSessionEndedRequest {
		t.Errorf("Turn.Request = %+v", turn.Request.Request)
	}
	if _, err := sim.SendEnvelope(context.Background(), []byte(`{"request":{}}`)); err == nil || !strings.Contains(err.Error(), "request.type") {
		t.Errorf("envelope without request type: %v", err)
	}
	if _, err := sim.SendEnvelope(context.Background(), []byte(`{"request":`)); err == nil || !strings.Contains(err.Error(), "envelope") {
		t.Errorf("truncated envelope: %v", err)
	}
}

func TestKeepAliveReusesOneConnection(t *testing.T) {
	var conns atomic.Int32
	ts := httptest.NewUnstartedServer(answer(fmtKeepOpen(`{}`)))
	ts.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	ts.Start()
	t.Cleanup(ts.Close)
	ep, err := simulator.HTTPEndpoint(ts.URL)
	check(t, err)
	sim := newSim(t, ep)
	for i := 0; i < 3; i++ {
		conv := sim.NewConversation(simulator.ConsentNone)
		for j := 0; j < 4; j++ {
			send(t, conv, simulator.IntentRequest("HelloIntent"))
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections for 12 sequential turns, want 1 reused", n)
	}
}

func fmtKeepOpen(attrs string) string { return strings.Replace(keepOpen, "%s", attrs, 1) }

func TestHTTPSWithExtraCA(t *testing.T) {
	ts := httptest.NewTLSServer(answer(silent))
	t.Cleanup(ts.Close)

	// Unknown CA: a connection fault naming the certificate problem.
	ep, err := simulator.HTTPEndpoint(ts.URL)
	check(t, err)
	_, err = newSim(t, ep).NewConversation(simulator.ConsentNone).Send(context.Background(), simulator.LaunchRequest())
	var se *simulator.SkillError
	if !errors.As(err, &se) || se.Kind != simulator.FaultConnection || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("untrusted TLS: %v", err)
	}

	caFile := filepath.Join(t.TempDir(), "ca.pem")
	check(t, os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw}), 0o600))
	pool := ts.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	for name, opt := range map[string]simulator.HTTPOption{"WithCAFile": simulator.WithCAFile(caFile), "WithRootCAs": simulator.WithRootCAs(pool)} {
		ep, err := simulator.HTTPEndpoint(ts.URL, opt)
		check(t, err)
		if _, err := newSim(t, ep).NewConversation(simulator.ConsentNone).Send(context.Background(), simulator.LaunchRequest()); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestEndpointConfigErrors(t *testing.T) {
	notPEM := filepath.Join(t.TempDir(), "ca.txt")
	check(t, os.WriteFile(notPEM, []byte("hello"), 0o600))
	for _, tc := range []struct {
		name string
		make func() (simulator.Endpoint, error)
		want string
	}{
		{"relative URL", func() (simulator.Endpoint, error) { return simulator.HTTPEndpoint("localhost:3000") }, `endpoint "localhost:3000"`},
		{"ftp", func() (simulator.Endpoint, error) { return simulator.HTTPEndpoint("ftp://x/") }, "http:// or https://"},
		{"missing CA file", func() (simulator.Endpoint, error) {
			return simulator.HTTPEndpoint("https://x/", simulator.WithCAFile("/nonexistent/ca.pem"))
		}, "CA file /nonexistent/ca.pem: no such file or directory"},
		{"CA file without PEM", func() (simulator.Endpoint, error) {
			return simulator.HTTPEndpoint("https://x/", simulator.WithCAFile(notPEM))
		}, notPEM + ": no PEM CERTIFICATE"},
		{"lambda odd path", func() (simulator.Endpoint, error) { return simulator.LambdaEndpoint("http://localhost:9000/invoke") }, "base URL"},
		{"zero timeout", func() (simulator.Endpoint, error) {
			return simulator.HTTPEndpoint("http://x/", simulator.WithHTTPTimeout(0))
		}, "timeout"},
	} {
		if _, err := tc.make(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
	if _, err := simulator.New(simulator.WithTimeout(-1)); err == nil {
		t.Error("negative timeout accepted")
	}
	// A bad CA file is told apart from a bad endpoint, also for Lambda.
	for _, build := range []func() (simulator.Endpoint, error){
		func() (simulator.Endpoint, error) {
			return simulator.HTTPEndpoint("https://x/", simulator.WithCAFile(notPEM))
		},
		func() (simulator.Endpoint, error) {
			return simulator.LambdaEndpoint("http://localhost:9000", simulator.WithCAFile("/nonexistent/ca.pem"))
		},
	} {
		if _, err := build(); !errors.Is(err, simulator.ErrCAFile) || strings.HasPrefix(err.Error(), "lambda") {
			t.Errorf("err = %v, want ErrCAFile, not about the endpoint", err)
		}
	}
	if _, err := simulator.HTTPEndpoint("localhost:3000", simulator.WithCAFile(notPEM)); errors.Is(err, simulator.ErrCAFile) {
		t.Errorf("a bad URL reported as a bad CA file: %v", err)
	}
}

// fakeRIE is the Lambda Runtime Interface Emulator's invoke API running a
// function.
func fakeRIE(t *testing.T, fn func(event []byte) (result []byte, fnErr bool)) *httptest.Server {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != simulator.LambdaInvocationsPath {
			http.NotFound(w, r)
			return
		}
		ev, _ := io.ReadAll(r.Body)
		out, fnErr := fn(ev)
		if fnErr {
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
		}
		_, _ = w.Write(out)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func TestLambdaEndpoint(t *testing.T) {
	var mu sync.Mutex
	mode := "ok"
	ts := fakeRIE(t, func(ev []byte) ([]byte, bool) {
		mu.Lock()
		defer mu.Unlock()
		switch mode {
		case "error":
			return []byte(`{"errorMessage":"Cannot read properties of undefined (reading 'name')","errorType":"TypeError","stackTrace":["at handler (index.js:12)"]}`), true
		case "error-no-header":
			return []byte(`{"errorType":"Runtime.HandlerNotFound","errorMessage":"index.handler is undefined or not exported"}`), false
		}
		var env simulator.Envelope
		if err := json.Unmarshal(ev, &env); err != nil || env.Request.Type == "" {
			return []byte(`{"errorMessage":"bad event","errorType":"Error"}`), true
		}
		return []byte(`{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"Hi from Lambda"}}}`), false
	})
	for _, u := range []string{ts.URL, ts.URL + "/", ts.URL + simulator.LambdaInvocationsPath} {
		ep, err := simulator.LambdaEndpoint(u)
		check(t, err)
		if ep.String() != ts.URL+simulator.LambdaInvocationsPath {
			t.Errorf("LambdaEndpoint(%q) = %s", u, ep)
		}
		turn := send(t, newSim(t, ep).NewConversation(simulator.ConsentNone), simulator.LaunchRequest())
		if turn.Response.Speech() != "Hi from Lambda" {
			t.Errorf("%s: speech %q", u, turn.Response.Speech())
		}
	}
	ep, err := simulator.LambdaEndpoint(ts.URL)
	check(t, err)
	sim := newSim(t, ep)
	for m, want := range map[string]string{
		"error":           "function error (X-Amz-Function-Error: Unhandled): TypeError: Cannot read properties of undefined (reading 'name')",
		"error-no-header": "function error: Runtime.HandlerNotFound: index.handler is undefined or not exported",
	} {
		mu.Lock()
		mode = m
		mu.Unlock()
		_, err := sim.NewConversation(simulator.ConsentNone).Send(context.Background(), simulator.IntentRequest("HelloIntent"))
		var se *simulator.SkillError
		if !errors.As(err, &se) || se.Kind != simulator.FaultFunction || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "HelloIntent") {
			t.Errorf("%s: err = %v, want a function-error fault saying %q", m, err, want)
		}
	}
}

func TestHandlerEndpointServesInProcess(t *testing.T) {
	var sawURL, sawSig string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		env, _ := received(t, r)
		sawURL, sawSig = r.URL.String(), r.Header.Get("Signature-256")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(mustJSON(t, map[string]any{"version": "1.0", "response": map[string]any{
			"outputSpeech": map[string]string{"type": "PlainText", "text": "You said " + env.Request.Intent.Slots["item"].Value},
		}}))
	})
	sim := newSim(t, simulator.HandlerEndpoint(h), simulator.WithRequestSigning(true), simulator.WithRequestSigner(authority(t)))
	turn := send(t, sim.NewConversation(simulator.ConsentNone), simulator.IntentRequest("OrderIntent", simulator.WithSlot("item", "tea")))
	if turn.Response.Speech() != "You said tea" || turn.Status != 200 {
		t.Errorf("speech %q status %d", turn.Response.Speech(), turn.Status)
	}
	if !strings.HasPrefix(sawURL, "https://") || sawSig == "" {
		t.Errorf("handler saw URL %q, Signature-256 %q", sawURL, sawSig)
	}
}

// Probe tells a live endpoint from one nobody serves, within its bound,
// without sending the skill a request.
func TestProbe(t *testing.T) {
	var hits int
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits++ }))
	defer srv.Close()
	up, err := simulator.HTTPEndpoint(srv.URL + "/alexa")
	if err != nil {
		t.Fatal(err)
	}
	if err := simulator.Probe(context.Background(), up); err != nil || hits != 0 {
		t.Errorf("live endpoint: %v, %d requests", err, hits)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	for _, mk := range []func(string, ...simulator.HTTPOption) (simulator.Endpoint, error){simulator.HTTPEndpoint, simulator.LambdaEndpoint} {
		down, err := mk("http://" + addr)
		if err != nil {
			t.Fatal(err)
		}
		err = simulator.Probe(context.Background(), down)
		if !errors.Is(err, simulator.ErrNotAnswering) || !strings.Contains(err.Error(), addr) || !strings.Contains(err.Error(), "refused") {
			t.Errorf("down endpoint: %v", err)
		}
	}
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	defer tlsSrv.Close()
	untrusted, _ := simulator.HTTPEndpoint(tlsSrv.URL)
	if err := simulator.Probe(context.Background(), untrusted); err == nil || !strings.Contains(err.Error(), "TLS handshake") {
		t.Errorf("untrusted certificate: %v", err)
	}
	trusted, _ := simulator.HTTPEndpoint(tlsSrv.URL, simulator.WithRootCAs(certPool(tlsSrv)))
	if err := simulator.Probe(context.Background(), trusted); err != nil {
		t.Errorf("trusted certificate: %v", err)
	}
	if err := simulator.Probe(context.Background(), simulator.HandlerEndpoint(http.NotFoundHandler())); err != nil {
		t.Errorf("handler endpoint: %v", err)
	}
}

func certPool(srv *httptest.Server) *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(srv.Certificate())
	return p
}
