package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/apitoken"
)

// buildAsksim builds the real binary, so that the test crosses processes
// as a developer's shell does.
func buildAsksim(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "asksim")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// fakesProc is a running `asksim fakes`.
type fakesProc struct {
	cmd    *exec.Cmd
	lines  map[string]string // "Alexa APIs" → URL, …, from its stdout
	banner []string          // every line of the banner
	stderr *bytes.Buffer
	exited chan struct{} // closed once the process has been waited for
	err    error         // its exit, valid after exited
}

// startFakes runs `asksim fakes args…` and reads its banner.
func startFakes(t *testing.T, bin string, args ...string) *fakesProc {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"fakes"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &fakesProc{cmd: cmd, lines: map[string]string{}, stderr: &bytes.Buffer{}, exited: make(chan struct{})}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			cmd.Process.Kill()
			select {
			case <-p.exited:
			case <-time.After(10 * time.Second):
				t.Error("asksim fakes did not die within 10s of SIGKILL")
			}
		}
	})
	banner := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.banner = append(p.banner, sc.Text())
			k, v, ok := strings.Cut(sc.Text(), ":")
			if ok && !strings.HasPrefix(k, " ") {
				p.lines[k] = strings.TrimSpace(v)
			}
			if strings.HasPrefix(sc.Text(), "Serving until interrupted") {
				banner <- nil
				io.Copy(io.Discard, stdout)
				break
			}
		}
		banner <- errors.New("stdout ended before the banner")
		p.err = cmd.Wait()
		close(p.exited)
	}()
	select {
	case err := <-banner:
		if err != nil {
			t.Fatalf("%v; stderr: %s", err, p.stderr)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("no banner after 30s; stderr: %s", p.stderr)
	}
	return p
}

// stop interrupts the process as Ctrl-C does and wants a clean exit.
func (p *fakesProc) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
		if p.err != nil {
			t.Errorf("asksim fakes exited with %v; stderr: %s", p.err, p.stderr)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("asksim fakes did not stop within 15s of SIGINT")
	}
}

// envelope runs `asksim envelope launch args…` and returns the apiEndpoint
// and apiAccessToken a skill would read.
func envelope(t *testing.T, bin string, args ...string) (endpoint, token string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, append([]string{"envelope", "launch"}, args...)...).Output()
	if err != nil {
		t.Fatalf("asksim envelope: %v", err)
	}
	var env simulator.Envelope
	if err := json.Unmarshal(out, &env); err != nil {
		t.Fatalf("envelope output: %v\n%s", err, out)
	}
	return env.Context.System.APIEndpoint, env.Context.System.APIAccessToken
}

func profileEmail(t *testing.T, client *http.Client, endpoint, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, endpoint+"/v2/accounts/~current/settings/Profile.email", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestFakesAcceptEnvelopesFromAnotherProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the asksim binary; skipped with -short")
	}
	bin := buildAsksim(t)
	client := &http.Client{Timeout: 10 * time.Second}

	t.Run("shared key", func(t *testing.T) {
		key, err := apitoken.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		keyFile := filepath.Join(t.TempDir(), "key.pem")
		if err := os.WriteFile(keyFile, apitoken.EncodeKeyPEM(key), 0o600); err != nil {
			t.Fatal(err)
		}
		p := startFakes(t, bin, "--key", keyFile, "--api-addr", "127.0.0.1:0")
		url := p.lines["Alexa APIs"]
		if !strings.HasPrefix(url, "http://127.0.0.1:") {
			t.Fatalf("Alexa APIs URL %q", url)
		}
		endpoint, token := envelope(t, bin, "--consent", "email", "--key", keyFile, "--api-endpoint", url)
		if endpoint != url {
			t.Errorf("envelope apiEndpoint %q, want %q", endpoint, url)
		}
		if status, body := profileEmail(t, client, endpoint, token); status != 200 || body != `"jane@example.com"` {
			t.Errorf("Profile.email with consent email = %d %s, want 200", status, body)
		}
		_, token = envelope(t, bin, "--consent", "none", "--key", keyFile, "--api-endpoint", url)
		if status, _ := profileEmail(t, client, endpoint, token); status != 403 {
			t.Errorf("Profile.email with consent none = %d, want 403", status)
		}
		// An envelope signed with another key is refused.
		_, token = envelope(t, bin, "--consent", "email", "--api-endpoint", url)
		if status, _ := profileEmail(t, client, endpoint, token); status != 401 {
			t.Errorf("Profile.email with a token of another key = %d, want 401", status)
		}
		p.stop(t)
		if !strings.Contains(p.stderr.String(), "GET /v2/accounts/~current/settings/Profile.email -> 200 granted") {
			t.Errorf("stderr does not log the call:\n%s", p.stderr)
		}
	})

	t.Run("generated key and TLS from the persistent CA", func(t *testing.T) {
		caDir := t.TempDir()
		caOut := filepath.Join(t.TempDir(), "ca.pem")
		// The skill trusts the CA before the fakes start, as a skill
		// started with REQUESTS_CA_BUNDLE=$(asksim ca path) does.
		pathOut, err := exec.Command(bin, "ca", "path", "--ca-dir", caDir).Output()
		if err != nil {
			t.Fatal(err)
		}
		caFile := strings.TrimSpace(string(pathOut))
		if caFile != filepath.Join(caDir, "rootCA.pem") {
			t.Fatalf("ca path = %q", caFile)
		}
		caPEM, err := os.ReadFile(caFile)
		if err != nil {
			t.Fatal(err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(caPEM) {
			t.Fatal("no certificate in the CA file")
		}
		trusting := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
		for run := range 2 {
			p := startFakes(t, bin, "--tls", "--ca-dir", caDir, "--ca-out", caOut, "--quiet")
			url, keyFile := p.lines["Alexa APIs"], strings.Fields(p.lines["Signing key"])[0]
			if !strings.HasPrefix(url, "https://127.0.0.1:") || p.lines["CA cert"] != caFile {
				t.Fatalf("run %d: banner %q", run, p.lines)
			}
			if copied, _ := os.ReadFile(caOut); !bytes.Equal(copied, caPEM) {
				t.Errorf("run %d: --ca-out holds another certificate than %s", run, caFile)
			}
			endpoint, token := envelope(t, bin, "--consent", "email+linked", "--key", keyFile, "--api-endpoint", url)
			if status, body := profileEmail(t, trusting, endpoint, token); status != 200 || body != `"jane@example.com"` {
				t.Errorf("run %d: Profile.email over TLS = %d %s, want 200", run, status, body)
			}
			p.stop(t)
			if _, err := os.Stat(keyFile); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("generated key %s still exists after exit (%v)", keyFile, err)
			}
		}
	})
}

// TestFakesOAuthAPI follows the banner of asksim fakes as a developer
// would: run the printed link command for a token, then read the OAuth
// fake's API with it.
func TestFakesOAuthAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the asksim binary; skipped with -short")
	}
	bin := buildAsksim(t)
	p := startFakes(t, bin)
	api := strings.Fields(p.lines["OAuth API"])
	if len(api) < 2 || api[0] != "GET" || !strings.HasSuffix(api[1], "/v1/me/playlists") {
		t.Fatalf("OAuth API line %q", p.lines["OAuth API"])
	}
	var linkCmd []string
	for i, l := range p.banner {
		if strings.HasPrefix(l, "A token for it") && i+1 < len(p.banner) {
			linkCmd = strings.Fields(p.banner[i+1])
		}
	}
	if len(linkCmd) < 2 || linkCmd[0] != "asksim" || linkCmd[1] != "link" {
		t.Fatalf("no link command in the banner:\n%s", strings.Join(p.banner, "\n"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, linkCmd[1:]...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(linkCmd, " "), err, stderr.String())
	}
	token := strings.TrimSpace(string(out))
	if strings.ContainsAny(token, " \n") || len(token) < 40 || !strings.Contains(stderr.String(), "LINKED:") {
		t.Fatalf("stdout %q, want the token alone; stderr:\n%s", out, stderr.String())
	}
	get := func(auth string) (int, string, string) {
		req, _ := http.NewRequest(http.MethodGet, api[1], nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("WWW-Authenticate"), string(b)
	}
	if status, _, body := get("Bearer " + token); status != 200 || !strings.Contains(body, "Morning Run") {
		t.Errorf("with the printed token: %d %s", status, body)
	}
	if status, challenge, _ := get(""); status != 401 || challenge != `Bearer realm="asksim-oauth"` {
		t.Errorf("without a token: %d %q", status, challenge)
	}
	p.stop(t)
	log := p.stderr.String()
	if !strings.Contains(log, `GET /v1/me/playlists client="alexa-skill" grant="" user="alice" -> 200 ok`) || strings.Contains(log, token) {
		t.Errorf("the log does not show the call, or shows the token:\n%s", log)
	}
}
