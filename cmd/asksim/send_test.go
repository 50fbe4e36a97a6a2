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
	if err := simulator.VerifyRequestSignature(sk.body, sk.header); err != nil {
		t.Errorf("signature: %v", err)
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
	code, _, errs = runCLIStdin(t, "", "send", "--endpoint", ts.URL, "--no-signature", "launch")
	if code != 0 || sk.header.Get("Signature-256") != "" {
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
	if err := simulator.VerifyRequestSignature(sk.body, sk.header); err != nil {
		t.Errorf("signature over the file's bytes: %v", err)
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

func TestSendUsageErrors(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.json")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{"send", "launch"}, "--endpoint is required"},
		{"", []string{"send", "--endpoint", "http://127.0.0.1:1/"}, "missing request"},
		{"", []string{"send", "--endpoint", "localhost:3000", "launch"}, `endpoint "localhost:3000"`},
		{"", []string{"send", "--endpoint", "http://127.0.0.1:1/", "--file", "x.json", "launch"}, "either --file or a request"},
		{"", []string{"send", "--endpoint", "http://127.0.0.1:1/", "--file", "/nonexistent/x.json"}, "/nonexistent/x.json"},
		{"", []string{"send", "--endpoint", "http://127.0.0.1:1/", "--file", empty}, empty + ": empty"},
		{"{nope", []string{"send", "--endpoint", "http://127.0.0.1:1/", "-"}, "stdin: not an envelope"},
		{`{"request":{}}`, []string{"send", "--endpoint", "http://127.0.0.1:1/", "-"}, "request.type is missing"},
		{"", []string{"send", "--endpoint", "http://127.0.0.1:1/", "--timeout", "0s", "launch"}, "--timeout"},
		{"", []string{"send", "--endpoint", "https://127.0.0.1:1/", "--ca", "/nonexistent/ca.pem", "launch"}, "/nonexistent/ca.pem"},
		{"", []string{"send", "--endpoint", "http://127.0.0.1:1/", "intent"}, "intent takes one argument"},
	} {
		code, _, errs := runCLIStdin(t, tc.stdin, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}

func TestSendConnectionRefusedExits1(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	url := ts.URL
	ts.Close()
	code, _, errs := runCLIStdin(t, "", "send", "--endpoint", url, "--timeout", "2s", "launch")
	if code != 1 || !strings.Contains(errs, "skill fault (connection)") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

// exampleSkill serves the example skill, which reads the profile through
// the envelope's apiEndpoint.
func exampleSkill(t *testing.T) string {
	t.Helper()
	ts := httptest.NewServer(exampleskill.New(exampleskill.Options{}))
	t.Cleanup(ts.Close)
	return ts.URL
}

func TestSendServesTheAlexaAPIForTheCall(t *testing.T) {
	url := exampleSkill(t)
	code, out, errs := runCLIStdin(t, "", "send", "--endpoint", url, "--api-addr", "127.0.0.1:0", "intent", "GetEmailIntent", "--consent", "email")
	if code != 0 || !strings.Contains(out, "Your email is jane@example.com.") || !strings.Contains(errs, "Profile.email -> 200") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	code, out, _ = runCLIStdin(t, "", "send", "--endpoint", url, "--api-addr", "127.0.0.1:0", "intent", "GetEmailIntent")
	if code != 0 || !strings.Contains(out, `"AskForPermissionsConsent"`) {
		t.Errorf("without consent: exit %d, %s", code, out)
	}
	code, _, errs = runCLIStdin(t, "", "send", "--endpoint", url, "--api-addr", "127.0.0.1:0", "--api-endpoint", "http://x", "launch")
	if code != 2 || !strings.Contains(errs, "--api-addr") {
		t.Errorf("both --api-addr and --api-endpoint: exit %d, %s", code, errs)
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

func TestSendSay(t *testing.T) {
	url := exampleSkill(t)
	pkg := filepath.Join("..", "..", "fixtures", "skill", "skill-package")
	code, out, errs := runCLIStdin(t, "", "send", "--endpoint", url, "--skill-package", pkg, "say", "open example skill")
	if code != 0 || !strings.Contains(out, "Welcome to Example Skill") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = runCLIStdin(t, "", "send", "--endpoint", url, "--skill-package", pkg, "say", "order two coffees")
	if code != 0 || !strings.Contains(out, "Alexa (dialog model): ") {
		t.Errorf("auto-delegated dialog: exit %d, %s", code, out)
	}
	code, out, errs = runCLIStdin(t, "", "send", "--endpoint", url, "--skill-package", pkg, "say", "the weather on mars in spring")
	if code != 0 || !strings.Contains(errs, "heard: AMAZON.FallbackIntent") || !strings.Contains(out, "Sorry, I didn&apos;t get that.") {
		t.Errorf("no match goes to the model's fallback intent: exit %d, %s %s", code, out, errs)
	}
	code, _, errs = runCLIStdin(t, "", "send", "--endpoint", url, "--skill-package", filepath.Join(t.TempDir(), "none"), "say", "hi")
	if code != 2 || !strings.Contains(errs, "--skill-package") {
		t.Errorf("missing package: exit %d, %s", code, errs)
	}
}
