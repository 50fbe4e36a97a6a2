package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	exampleskill "github.com/asksim/asksim/fixtures/skill"
	"github.com/asksim/asksim/internal/testutil"
)

// TestFakesSMAPI runs `asksim fakes --smapi-addr` as README's "The ASK
// CLI, offline" does: an ASK CLI project, the example skill running
// elsewhere, --ask-env. The environment file is sourced by a shell and its
// variables drive the LWA and SMAPI fakes over HTTP; with the official
// ASK CLI installed (fixtures/ask-cli), `ask dialog --replay` runs too.
func TestFakesSMAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the asksim binary; skipped with -short")
	}
	bin := buildAsksim(t)
	skillSrv := httptest.NewServer(exampleskill.New(exampleskill.Options{}))
	t.Cleanup(skillSrv.Close)

	// An ASK CLI project: skill-package/ and the skill id in .ask/.
	const projectSkillID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"
	project := t.TempDir()
	for _, name := range []string{"skill.json", "interactionModels/custom/en-US.json"} {
		data, err := os.ReadFile(testutil.Fixture("skill", "skill-package", name))
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(project, "skill-package", filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(project, ".ask"), 0o755)
	states := `{"askcliStatesVersion":"2020-03-31","profiles":{"default":{"skillId":"` + projectSkillID + `"}}}`
	if err := os.WriteFile(filepath.Join(project, ".ask", "ask-states.json"), []byte(states), 0o644); err != nil {
		t.Fatal(err)
	}
	envFile := filepath.Join(t.TempDir(), "ask.env")

	p := startFakes(t, bin, "--smapi-addr", "127.0.0.1:0", "--skill-package", project, "--endpoint", skillSrv.URL,
		"--consent", "email", "--ask-env", envFile, "--quiet")
	base := p.lines["LWA + SMAPI"]
	if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.Contains(p.lines["Skill"], projectSkillID+" (id from "+filepath.Join(project, ".ask", "ask-states.json")) ||
		p.lines["Endpoint"] != skillSrv.URL || !strings.HasPrefix(p.lines["Developer"], "developer / developer-password") {
		t.Fatalf("banner %q", p.lines)
	}
	if st, err := os.Stat(envFile); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("--ask-env file: %v, %v; want mode 0600", st, err)
	}
	env := sourced(t, envFile)
	if env["ASK_SMAPI_SERVER_BASE_URL"] != base || env["ASK_LWA_TOKEN_HOST"] != base || env["ASK_VENDOR_ID"] != "M2ASKSIMVENDOR" ||
		!strings.HasPrefix(env["ASK_REFRESH_TOKEN"], "Atzr|") || env["AWS_ACCESS_KEY_ID"] == "" || env["ASK_SKIP_NEW_VERSION_REMINDER"] == "" {
		t.Fatalf("sourced environment %v", env)
	}

	// What the CLI's environment profile does: refresh, then call SMAPI
	// with the bare token, as ask dialog does.
	client := &http.Client{Timeout: 20 * time.Second}
	refresh, _ := json.Marshal(map[string]string{"grant_type": "refresh_token", "refresh_token": env["ASK_REFRESH_TOKEN"],
		"client_id": env["ASK_LWA_CLIENT_ID"], "client_secret": env["ASK_LWA_CLIENT_CONFIRMATION"]})
	var tok struct {
		AccessToken string `json:"access_token"`
		Scope       string `json:"scope"`
	}
	call(t, client, http.MethodPost, env["ASK_LWA_TOKEN_HOST"]+"/auth/o2/token", "", string(refresh), 200, &tok)
	if !strings.Contains(tok.Scope, "alexa::ask:skills:test") {
		t.Errorf("refreshed scope %q", tok.Scope)
	}
	sims := base + "/v2/skills/" + projectSkillID + "/stages/development/simulations"
	for _, turn := range []struct{ say, mode, want string }{
		{"open example skill", `,"session":{"mode":"FORCE_NEW_SESSION"}`, "Welcome to Example Skill. You can ask for your email, your name, or your account."},
		// The consent reaches the skill, which reads the email from the
		// Alexa API fake of the same asksim process.
		{"what's my email", "", "Your email is jane@example.com."},
	} {
		var post struct{ ID string }
		call(t, client, http.MethodPost, sims, tok.AccessToken, `{"input":{"content":"`+turn.say+`"},"device":{"locale":"en-US"}`+turn.mode+`}`, 200, &post)
		var got struct {
			Status string
			Result struct {
				AlexaExecutionInfo struct {
					AlexaResponses []struct{ Content struct{ Caption string } }
				}
			}
		}
		call(t, client, http.MethodGet, sims+"/"+post.ID, tok.AccessToken, "", 200, &got)
		if r := got.Result.AlexaExecutionInfo.AlexaResponses; got.Status != "SUCCESSFUL" || len(r) != 1 || r[0].Content.Caption != turn.want {
			t.Errorf("%q: %+v, want %q", turn.say, got, turn.want)
		}
	}

	t.Run("ask dialog from the sourced file", func(t *testing.T) {
		ask := testutil.Fixture("ask-cli", "node_modules", ".bin")
		if _, err := os.Stat(filepath.Join(ask, "ask")); err != nil {
			t.Skip("the ASK CLI is not installed (npm ci --prefix fixtures/ask-cli); internal/smapisim's TestASKCLI requires it under CI")
		}
		replay := filepath.Join(project, "replay.json")
		os.WriteFile(replay, []byte(`{"skillId":"`+projectSkillID+`","locale":"en-US","type":"text","userInput":["open example skill","what's my email",".quit"]}`), 0o644)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "sh", "-c", `. "$1" && ask dialog --replay "$2"`, "sh", envFile, replay)
		cmd.Dir, cmd.WaitDelay = project, 5*time.Second
		// A scratch HOME; telemetry (always on with the environment
		// profile) goes to a closed loopback port.
		cmd.Env = []string{"PATH=" + ask + string(os.PathListSeparator) + os.Getenv("PATH"), "HOME=" + t.TempDir(),
			"HTTPS_PROXY=http://127.0.0.1:9", "HTTP_PROXY=http://127.0.0.1:9", "NO_PROXY=127.0.0.1,localhost"}
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "Alexa > Your email is jane@example.com.") {
			t.Errorf("ask dialog: %v\n%s", err, out)
		}
	})
	p.stop(t)
}

// sourced runs `. FILE` in a shell and returns the variables it set.
func sourced(t *testing.T, file string) map[string]string {
	t.Helper()
	out, err := exec.Command("sh", "-c", `. "$1" && env`, "sh", file).Output()
	if err != nil {
		t.Fatalf("sourcing %s: %v", file, err)
	}
	env := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			env[k] = v
		}
	}
	return env
}

// call sends a JSON request (token bare, as ask dialog sends it) and
// decodes the answer into v after checking the status.
func call(t *testing.T, c *http.Client, method, url, token, body string, status int, v any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("authorization", token)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status || json.NewDecoder(bytes.NewReader(data)).Decode(v) != nil {
		t.Fatalf("%s %s: %d %s, want %d", method, url, resp.StatusCode, data, status)
	}
}
