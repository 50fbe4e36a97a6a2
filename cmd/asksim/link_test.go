package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/oauth"
	"github.com/asksim/asksim/internal/testutil"
)

func runLinkCmd(t *testing.T, stdin io.Reader, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	code = run(ctx, append([]string{"link"}, args...), stdin, &out, &errb)
	return code, out.String(), errb.String()
}

func TestLinkCmdPrintToken(t *testing.T) {
	code, out, errs := runLinkCmd(t, nil, "--print-token")
	if code != exitOK || strings.Count(out, "\n") != 1 || strings.Count(out, ".") != 2 {
		t.Fatalf("exit %d: stdout %q, want one JWT line\nstderr %s", code, out, errs)
	}
	if !strings.Contains(errs, "LINKED:") || !strings.Contains(errs, "stops with the command") {
		t.Errorf("stderr lacks the report or the note on the fake's lifetime:\n%s", errs)
	}
	code, out, errs = runLinkCmd(t, nil, "--print-token", "--password", "wrong")
	if code != exitFailed || out != "" || !strings.Contains(errs, "FAIL") {
		t.Errorf("a failed link: exit %d, stdout %q, stderr %s", code, out, errs)
	}
}

func TestLinkCmdOwnServer(t *testing.T) {
	srv, ts := testutil.OAuthFake(t, func(c *oauth.Config) {
		c.Clients[0].Scheme = oauth.SchemeRequestBody
	})
	t.Setenv(envLinkPassword, "bob-password")
	code, out, errs := runLinkCmd(t, nil, "--authorization-url", ts.URL+"/authorize", "--token-url", ts.URL+"/token",
		"--client-id", "alexa-skill", "--client-secret", "alexa-skill-secret", "--scheme", "body", "--username", "bob", "--region", "EU")
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if strings.Contains(errs, "OAuth fake at") {
		t.Error("started the in-process fake although a server was given")
	}
	for _, r := range srv.RequestsTo("/token") {
		if r.AuthScheme != oauth.SchemeRequestBody {
			t.Errorf("token request %+v", r)
		}
	}
	if n := len(srv.RequestsTo("/token")); n != 2 {
		t.Errorf("%d token requests", n)
	}
}

// promptWriter hands over the authorization URL that --manual prints.
type promptWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	urls chan string
	sent bool
}

func (w *promptWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if m := regexp.MustCompile(`(?m)^  (http://\S+)$`).FindStringSubmatch(w.buf.String()); m != nil && !w.sent {
		w.sent = true
		w.urls <- m[1]
	}
	return len(p), nil
}

func TestLinkCmdManual(t *testing.T) {
	// AutoApprove stands in for the person: the login page redirects at once.
	_, ts := testutil.OAuthFake(t, func(c *oauth.Config) { c.AutoApprove = "alice" })
	stdinR, stdinW := io.Pipe()
	prompt := &promptWriter{urls: make(chan string, 1)}
	var out bytes.Buffer
	done := make(chan int, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		done <- run(ctx, []string{"link", "--manual", "--authorization-url", ts.URL + "/authorize", "--token-url", ts.URL + "/token",
			"--client-id", "alexa-skill", "--client-secret", "alexa-skill-secret", "--pkce"}, stdinR, &out, prompt)
	}()
	var authURL string
	select {
	case authURL = <-prompt.urls:
	case <-time.After(10 * time.Second):
		t.Fatal("no authorization URL printed")
	}
	client := ts.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, "https://pitangui.amazon.com/api/skill/link/M2ASKSIMVENDOR?") {
		t.Fatalf("redirect %d %q", resp.StatusCode, loc)
	}
	if _, err := io.WriteString(stdinW, loc+"\n"); err != nil {
		t.Fatal(err)
	}
	if code := <-done; code != exitOK {
		t.Fatalf("exit %d\n%s", code, out.String())
	}
	if !strings.Contains(out.String(), "PASS  refresh.response") || strings.Contains(out.String(), "authorize.form") {
		t.Errorf("manual report:\n%s", out.String())
	}
}
