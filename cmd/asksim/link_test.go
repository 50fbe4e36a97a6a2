package main

import (
	"bytes"
	"context"
	"encoding/json"
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

func TestLinkCmdInProcessFake(t *testing.T) {
	code, out, errs := runLinkCmd(t, nil)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"PASS  token.refresh_token", "PASS  refresh.response", "WARN  transport.https", "LINKED: 17 passed, 1 warning, 0 failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`OAuth fake at http://127\.0\.0\.1:\d+ \(client alexa-skill, user alice\)`).MatchString(errs) {
		t.Errorf("stderr %q", errs)
	}
}

// TestLinkCmdFakeUser logs in as another user of the fake: the fixture
// configuration knows the password.
func TestLinkCmdFakeUser(t *testing.T) {
	code, out, errs := runLinkCmd(t, nil, "--username", "bob")
	if code != exitOK || !strings.Contains(errs, "(client alexa-skill, user bob)") || !strings.Contains(out, "LINKED:") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
}

func TestLinkCmdJSON(t *testing.T) {
	code, out, _ := runLinkCmd(t, nil, "--json", "--pkce", "--region", "FE", "--scope", "profile", "--scope", "email")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	var rep struct {
		Linked           bool
		AuthorizationURL string `json:"authorization_url"`
		RedirectURI      string `json:"redirect_uri"`
		Summary          map[string]int
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !rep.Linked || rep.Summary["fail"] != 0 || rep.RedirectURI != "https://alexa.amazon.co.jp/api/skill/link/M2ASKSIMVENDOR" ||
		!strings.Contains(rep.AuthorizationURL, "scope=profile%20email") || !strings.Contains(rep.AuthorizationURL, "code_challenge_method=S256") {
		t.Errorf("report %+v", rep)
	}
}

func TestLinkCmdRuleFailure(t *testing.T) {
	code, out, _ := runLinkCmd(t, nil, "--scheme", "body")
	if code != exitFailed || !strings.Contains(out, "FAIL  token.response") || !strings.Contains(out, "invalid_client") {
		t.Errorf("exit %d\n%s", code, out)
	}
	code, out, _ = runLinkCmd(t, nil, "--username", "alice", "--password", "nope")
	if code != exitFailed || !strings.Contains(out, `Wrong username or password.`) {
		t.Errorf("exit %d\n%s", code, out)
	}
}

func TestLinkCmdUsage(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--authorization-url", "https://a.test/authorize"}, "--token-url is required"},
		{[]string{"--token-url", "https://a.test/token", "--client-id", "c"}, "--authorization-url is required"},
		{[]string{"--authorization-url", "https://a.test/a", "--token-url", "https://a.test/t"}, "--client-id is required"},
		{[]string{"--authorization-url", "https://a.test/a", "--token-url", "https://a.test/t", "--client-id", "c"}, "--username and --password"},
		{[]string{"--authorization-url", "a.test/a", "--token-url", "https://a.test/t", "--client-id", "c", "--manual"}, "--authorization-url: \"a.test/a\" is not an absolute http(s) URL"},
		{[]string{"--scheme", "digest"}, `--scheme: "digest" is neither "basic" nor "body"`},
		{[]string{"--region", "US"}, `--region: unknown region "US"`},
		{[]string{"--scope", "a b"}, `--scope: "a b" is not a scope token`},
		{[]string{"--username", "carol"}, `--username: no user "carol" in the OAuth fake's configuration (users: alice, bob)`},
		{[]string{"--vendor-id", ""}, "--vendor-id must not be empty"},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"--no-such-flag"}, "unknown flag: --no-such-flag"},
	}
	for _, tc := range cases {
		code, out, errs := runLinkCmd(t, nil, tc.args...)
		if code != exitUsage || !strings.Contains(errs, tc.want) || out != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want 2 and %q", tc.args, code, errs, out, tc.want)
		}
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

func TestLinkCmdManualNothingPasted(t *testing.T) {
	code, _, errs := runLinkCmd(t, strings.NewReader(""), "--manual")
	if code != exitFailed || !strings.Contains(errs, "no URL pasted") {
		t.Errorf("exit %d, %q", code, errs)
	}
}
