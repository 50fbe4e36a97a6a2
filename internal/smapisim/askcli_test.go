package smapisim_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/oauth"
	"github.com/asksim/asksim/fakes/smapi"
	"github.com/asksim/asksim/internal/testutil"
)

// askCLI returns the official ASK CLI that .ci/run installs
// (fixtures/ask-cli, pinned to 2.30.7). Without it the test fails under
// CI and skips elsewhere.
func askCLI(t *testing.T) string {
	t.Helper()
	bin := testutil.Fixture("ask-cli", "node_modules", ".bin", "ask")
	_, statErr := os.Stat(bin)
	if _, nodeErr := exec.LookPath("node"); statErr != nil || nodeErr != nil {
		msg := "the ASK CLI is not installed: run `npm ci --prefix fixtures/ask-cli` (.ci/run does)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return bin
}

// cliRun is the ASK CLI pointed at a stack through its environment profile,
// in a scratch HOME, with nothing leaving the machine.
type cliRun struct {
	bin string
	env []string
	dir string
}

// newCLIRun points the CLI at the stack with a refresh token of the
// developer's holding scopes (nil: every SMAPI scope, as asksim fakes
// prints).
func newCLIRun(t *testing.T, s *stack, scopes []string) *cliRun {
	home := t.TempDir()
	env, err := s.CLIEnv(s.ts.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	if scopes != nil {
		tok, err := s.LWA.IssueLWATokens(oauth.LWADeveloper, oauth.LWAClientID, scopes)
		if err != nil {
			t.Fatal(err)
		}
		env.RefreshToken = tok.RefreshToken
	}
	vars := append(env.Environ(), "HOME="+home, "PATH="+os.Getenv("PATH"), "NO_COLOR=1", "FORCE_COLOR=0",
		// The environment profile always sends telemetry to Amazon at exit
		// (docs/smapi-contract.md §1.1); a proxy on a closed loopback port
		// makes it fail at once, and loopback itself is not proxied.
		"HTTPS_PROXY=http://127.0.0.1:9", "HTTP_PROXY=http://127.0.0.1:9", "NO_PROXY=127.0.0.1,localhost")
	return &cliRun{bin: askCLI(t), env: vars, dir: t.TempDir()}
}

// run runs ask with args, stdin as given, and a deadline.
func (c *cliRun) run(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.bin, args...)
	cmd.Env, cmd.Dir, cmd.WaitDelay = c.env, c.dir, 5*time.Second
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("ask %s did not finish within 90 s:\n%s\n%s", strings.Join(args, " "), out.String(), errb.String())
	}
	return out.String(), errb.String(), err
}

func (c *cliRun) write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(c.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestASKCLI drives the official ASK CLI 2.30.7 against the fakes and the
// bundled example skill: the commands of README's "The ASK CLI, offline".
func TestASKCLI(t *testing.T) {
	s := newStack(t)
	cli := newCLIRun(t, s, nil)

	t.Run("get-skill-manifest", func(t *testing.T) {
		out, errOut, err := cli.run(t, "", "smapi", "get-skill-manifest", "--skill-id", skillID)
		if err != nil {
			t.Fatalf("%v\n%s\n%s", err, out, errOut)
		}
		var got, want any
		if json.Unmarshal([]byte(out), &got) != nil || json.Unmarshal(s.files["skill.json"], &want) != nil || !jsonEqual(got, want) {
			t.Errorf("manifest printed:\n%s", out)
		}
	})

	t.Run("set-interaction-model then dialog --replay", func(t *testing.T) {
		model := strings.Replace(string(s.files["interactionModels/custom/en-US.json"]), `"what's my email"`, `"what's my email", "spell my inbox"`, 1)
		out, errOut, err := cli.run(t, "", "smapi", "set-interaction-model", "--skill-id", skillID, "--locale", "en-US",
			"--interaction-model", "file:"+cli.write(t, "model.json", model))
		if err != nil || !strings.Contains(out+errOut, "get-skill-status") {
			t.Fatalf("set-interaction-model: %v\n%s\n%s", err, out, errOut)
		}
		replay := `{"skillId":"` + skillID + `","locale":"en-US","type":"text","userInput":["open example skill","spell my inbox","stop",".quit"]}`
		out, errOut, err = cli.run(t, "", "dialog", "--replay", cli.write(t, "replay.json", replay))
		if err != nil {
			t.Fatalf("dialog: %v\n%s\n%s", err, out, errOut)
		}
		for _, want := range []string{"Alexa > Welcome to Example Skill.", "Alexa > Your email", "Session ended"} {
			if !strings.Contains(out, want) {
				t.Errorf("dialog output lacks %q:\n%s\n%s", want, out, errOut)
			}
		}
		// Each turn answered SUCCESSFUL on the first GET: ask dialog
		// polls once per utterance.
		var posts, gets int
		for _, r := range s.SMAPI.Requests() {
			switch r.Operation {
			case "simulate-skill":
				posts++
			case "get-skill-simulation":
				gets++
				if r.Detail != smapi.StatusSuccessful {
					t.Errorf("GET simulation: %s", r.Detail)
				}
			}
		}
		if posts != 3 || gets != 3 {
			t.Errorf("%d simulation POSTs and %d GETs, want 3 and 3", posts, gets)
		}
		// The environment profile refreshed before every call, with the
		// same refresh token each time: LWA's never rotate.
		refreshes := s.LWA.RequestsTo("/auth/o2/token")
		if len(refreshes) < posts+gets+3 {
			t.Errorf("%d token refreshes for %d SMAPI calls", len(refreshes), posts+gets+3)
		}
		for _, r := range refreshes {
			if r.Status != http.StatusOK || r.Grant != "refresh_token" {
				t.Errorf("refresh %+v", r)
			}
		}
	})

	t.Run("a narrower token is refused with 403", func(t *testing.T) {
		ro := newCLIRun(t, s, []string{smapi.ScopeSkillsRead})
		if out, errOut, err := ro.run(t, "", "smapi", "get-skill-manifest", "--skill-id", skillID); err != nil {
			t.Fatalf("skills:read may read the manifest: %v\n%s\n%s", err, out, errOut)
		}
		out, errOut, err := ro.run(t, "", "smapi", "get-interaction-model", "--skill-id", skillID, "--locale", "en-US")
		if err == nil || !strings.Contains(out+errOut, "status code 403") {
			t.Errorf("models:read missing: %v\n%s\n%s", err, out, errOut)
		}
		log := s.SMAPI.Requests()
		if last := log[len(log)-1]; last.Decision != smapi.DecisionMissingScope || last.Status != http.StatusForbidden {
			t.Errorf("last call %+v", last)
		}
	})

	t.Run("generate-lwa-tokens --no-browser", func(t *testing.T) {
		scopes := smapi.ScopeSkillsRead + " " + smapi.ScopeSkillsTest
		tokens := cli.generateTokens(t, scopes)
		user, granted, ok := s.LWA.AccessToken(tokens.AccessToken)
		if !ok || user != oauth.LWADeveloper || strings.Join(granted, " ") != scopes {
			t.Errorf("the CLI's token: %q %v %v", user, granted, ok)
		}
		if !strings.HasPrefix(tokens.RefreshToken, "Atzr|") || tokens.ExpiresIn != 3600 {
			t.Errorf("tokens %+v", tokens)
		}
	})
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

type cliTokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int    `json:"expires_in"`
}

var urlRE = regexp.MustCompile(`http://127\.0\.0\.1:\d+/ap/oa\?\S+`)
var codeRE = regexp.MustCompile(`<code id="authorization-code">([^<]+)</code>`)

// generateTokens runs `ask util generate-lwa-tokens --no-browser`: it reads
// the URL the CLI prints, signs in at it as a browser would, reads the code
// off the page and types it at the CLI's prompt.
func (c *cliRun) generateTokens(t *testing.T, scopes string) cliTokens {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.bin, "util", "generate-lwa-tokens", "--no-browser", "--scopes", scopes)
	cmd.Env, cmd.Dir, cmd.WaitDelay = c.env, c.dir, 5*time.Second
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var printed bytes.Buffer
	lines := bufio.NewScanner(io.TeeReader(stdout, &printed))
	lines.Buffer(nil, 1<<20)
	authURL := ""
	for authURL == "" && lines.Scan() {
		authURL = urlRE.FindString(lines.Text())
	}
	if authURL == "" {
		cmd.Wait()
		t.Fatalf("no authorization URL printed:\n%s\n%s", printed.String(), errb.String())
	}
	code := signIn(t, authURL)
	// The prompt reads the line; closing stdin before the CLI has read it
	// would end the prompt with nothing.
	io.WriteString(stdin, code+"\n")
	for lines.Scan() {
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("generate-lwa-tokens: %v\n%s\n%s", err, printed.String(), errb.String())
	}
	out := printed.String()
	start := strings.Index(out, "{")
	var tokens cliTokens
	if start < 0 || json.NewDecoder(strings.NewReader(out[start:])).Decode(&tokens) != nil {
		t.Fatalf("no tokens printed:\n%s\nstderr:\n%s", out, errb.String())
	}
	return tokens
}

// signIn opens the authorization URL, submits the login form with the
// developer's credentials and returns the code the page shows.
func signIn(t *testing.T, authURL string) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	page := fetch(t, browser, http.MethodGet, authURL, nil)
	form := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], htmlUnescape(m[2]))
	}
	form.Set("username", oauth.LWADeveloper)
	form.Set("password", oauth.LWADeveloperPassword)
	form.Set("action", "approve")
	u, _ := url.Parse(authURL)
	page = fetch(t, browser, http.MethodPost, u.Scheme+"://"+u.Host+"/ap/oa", form)
	m := codeRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no code on the page:\n%s", page)
	}
	return htmlUnescape(m[1])
}

func fetch(t *testing.T, c *http.Client, method, u string, form url.Values) string {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, u, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %s", method, u, resp.StatusCode, data)
	}
	return string(data)
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`).Replace(s)
}
