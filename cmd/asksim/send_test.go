package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/serve"
	exampleskill "github.com/asksim/asksim/fixtures/skill"
	"github.com/asksim/asksim/simulator"
)

// skill answers each request type as the test needs and records the last
// body and headers.
type skill struct {
	body   []byte
	header http.Header
}

func (s *skill) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.body, _ = io.ReadAll(r.Body)
	s.header = r.Header.Clone()
	var env simulator.Envelope
	if err := json.Unmarshal(s.body, &env); err != nil {
		http.Error(w, "bad envelope", 400)
		return
	}
	switch {
	case env.Request.Type == "LaunchRequest":
		_, _ = io.WriteString(w, `{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"Welcome"},"shouldEndSession":false}}`)
	case env.Request.Intent != nil && env.Request.Intent.Name == "BadIntent":
		_, _ = io.WriteString(w, `{"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":"<speak>Fish & chips</speak>"}}}`)
	case env.Request.Intent != nil && env.Request.Intent.Name == "CrashIntent":
		http.Error(w, "TypeError: boom", 500)
	default:
		_, _ = io.WriteString(w, `{"version":"1.0","response":{}}`)
	}
}

func runCLIStdin(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestSend(t *testing.T) {
	sk := &skill{}
	ts := httptest.NewServer(sk)
	defer ts.Close()

	code, out, errs := runCLIStdin(t, "", "send", "--endpoint", ts.URL, "launch", "--consent", "email")
	if code != 0 || errs != "" {
		t.Fatalf("valid answer: exit %d, stderr %q", code, errs)
	}
	if want := "{\n  \"version\": \"1.0\",\n  \"response\": {\n    \"outputSpeech\": {\n      \"type\": \"PlainText\",\n      \"text\": \"Welcome\"\n    },\n    \"shouldEndSession\": false\n  }\n}\n"; out != want {
		t.Errorf("stdout\n%s\nwant\n%s", out, want)
	}
	if sk.header.Get("Signature-256") != "" || sk.header.Get("SignatureCertChainUrl") != "" {
		t.Errorf("signed without --sign: %v", sk.header)
	}

	code, out, errs = runCLIStdin(t, "", "send", "--endpoint", ts.URL, "intent", "BadIntent")
	if code != 1 || !strings.Contains(errs, "violation: ssml-escape at response.outputSpeech.ssml") || !strings.Contains(out, "Fish & chips") {
		t.Errorf("violation: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, _, errs = runCLIStdin(t, "", "send", "--endpoint", ts.URL, "--lenient", "intent", "BadIntent")
	if code != 0 || !strings.Contains(errs, "warning: ssml-escape") {
		t.Errorf("lenient: exit %d, stderr %q", code, errs)
	}
	code, out, errs = runCLIStdin(t, "", "send", "--endpoint", ts.URL, "intent", "CrashIntent")
	if code != 1 || out != "" || !strings.Contains(errs, "HTTP status 500") || !strings.Contains(errs, "TypeError: boom") || !strings.Contains(errs, "CrashIntent") {
		t.Errorf("fault: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	// --no-signature is deprecated: it still works, and says so.
	code, _, errs = runCLIStdin(t, "", "send", "--endpoint", ts.URL, "--no-signature", "launch")
	if code != 0 || sk.header.Get("Signature-256") != "" || !strings.Contains(errs, "--no-signature is deprecated and does nothing") {
		t.Errorf("--no-signature: exit %d %q, Signature-256 %q", code, errs, sk.header.Get("Signature-256"))
	}
}

func TestSendWholeEnvelope(t *testing.T) {
	sk := &skill{}
	ts := httptest.NewServer(sk)
	defer ts.Close()
	env := `{"version":"1.0","context":{"System":{"application":{"applicationId":"a"},"user":{"userId":"u"},"apiEndpoint":"https://api.amazonalexa.com"}},` +
		`"request":{"type":"LaunchRequest","requestId":"r","timestamp":"2026-01-02T15:04:05Z","locale":"en-US"}}` + "\n"

	code, _, errs := runCLIStdin(t, env, "send", "--endpoint", ts.URL, "-")
	if code != 0 || string(sk.body) != env {
		t.Fatalf("stdin: exit %d %q; skill got %q", code, errs, sk.body)
	}
	file := filepath.Join(t.TempDir(), "launch.json")
	if err := os.WriteFile(file, []byte(env), 0o600); err != nil {
		t.Fatal(err)
	}
	sk.body = nil
	code, _, errs = runCLIStdin(t, "", "send", "--endpoint", ts.URL, "--file", file)
	if code != 0 || string(sk.body) != env {
		t.Fatalf("--file: exit %d %q; skill got %q", code, errs, sk.body)
	}
}

func TestSendLambda(t *testing.T) {
	rie := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != simulator.LambdaInvocationsPath {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("X-Amz-Function-Error", "Unhandled")
		_, _ = io.WriteString(w, `{"errorType":"TypeError","errorMessage":"handlerInput.foo is undefined"}`)
	}))
	defer rie.Close()
	code, _, errs := runCLIStdin(t, "", "send", "--endpoint", rie.URL, "--lambda", "launch")
	if code != 1 || !strings.Contains(errs, "TypeError: handlerInput.foo is undefined") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

// --tls serves the call's fake over HTTPS from the persistent CA; a skill
// that trusts only that CA reads the email through it.
func TestSendServesTheAlexaAPIOverTLS(t *testing.T) {
	caDir := t.TempDir()
	ca, _, err := serve.LoadOrCreateCA(caDir)
	if err != nil {
		t.Fatal(err)
	}
	var apiEndpoint atomic.Value
	apiEndpoint.Store("")
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.CertPool()}}}
	sk := exampleskill.New(exampleskill.Options{HTTPClient: client})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var env simulator.Envelope
		json.Unmarshal(body, &env)
		apiEndpoint.Store(env.Context.System.APIEndpoint)
		r.Body = io.NopCloser(bytes.NewReader(body))
		sk.ServeHTTP(w, r)
	}))
	defer ts.Close()
	code, out, errs := runCLIStdin(t, "", "send", "--endpoint", ts.URL, "--api-addr", "127.0.0.1:0", "--tls", "--ca-dir", caDir,
		"intent", "GetEmailIntent", "--consent", "email")
	if code != 0 || !strings.Contains(out, "Your email is jane@example.com.") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	if got := apiEndpoint.Load().(string); !strings.HasPrefix(got, "https://127.0.0.1:") {
		t.Errorf("apiEndpoint %q, want https://127.0.0.1:…", got)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--tls", "launch"}, "--tls needs --api-addr"},
		{[]string{"--ca-dir", caDir, "--api-addr", "127.0.0.1:0", "launch"}, "--ca-dir needs --tls"},
	} {
		code, _, errs := runCLIStdin(t, "", append([]string{"send", "--endpoint", ts.URL}, tc.args...)...)
		if code != exitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("send %q: exit %d, stderr %q; want %q", tc.args, code, errs, tc.want)
		}
	}
}
