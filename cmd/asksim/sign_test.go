package main

import (
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	exampleskill "github.com/asksim/asksim/fixtures/skill"
	"github.com/asksim/asksim/internal/testutil"
	"github.com/asksim/asksim/simulator/signing"
)

// verifyingSkill serves sk behind the reference verifier, configured as a
// skill's own verifier would be: the chain's host and port fixed in
// advance (--sign-addr), its root read from the file --sign-ca writes,
// again whenever the file changes (each asksim run makes a new root).
func verifyingSkill(t *testing.T, sk http.Handler, addr, rootFile string) *httptest.Server {
	t.Helper()
	host, port, _ := net.SplitHostPort(addr)
	var mu sync.Mutex
	var v *testutil.Verifier
	var loaded string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		pem, err := os.ReadFile(rootFile)
		if string(pem) != loaded {
			pool := x509.NewCertPool()
			if err != nil || !pool.AppendCertsFromPEM(pem) {
				mu.Unlock()
				http.Error(w, fmt.Sprintf("no root in %s: %v", rootFile, err), 500)
				return
			}
			v, loaded = &testutil.Verifier{Host: host, Port: port, Roots: pool}, string(pem)
		}
		cur := v
		mu.Unlock()
		cur.Handler(sk).ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func TestSend_SignedRequestPassesTheSkillsVerifier(t *testing.T) {
	addr, root := freeAddr(t), filepath.Join(t.TempDir(), "root.pem")
	sk := &skill{}
	ts := verifyingSkill(t, sk, addr, root)
	code, out, errs := runCLIStdin(t, "", "send", "--endpoint", ts.URL, "--sign", "--sign-addr", addr, "--sign-ca", root, "launch")
	if code != 0 || !strings.Contains(out, "Welcome") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if got := sk.header.Get("SignatureCertChainUrl"); !strings.HasPrefix(got, "https://"+addr+signing.ChainDir) {
		t.Errorf("SignatureCertChainUrl %q", got)
	}
	// Unsigned, the same skill refuses: exit 1, its 400 reported.
	code, _, errs = runCLIStdin(t, "", "send", "--endpoint", ts.URL, "launch")
	if code != 1 || !strings.Contains(errs, "HTTP status 400") || !strings.Contains(errs, "SignatureCertChainUrl is missing") {
		t.Errorf("unsigned: exit %d, stderr %q", code, errs)
	}
}

// With --sign-fault the check is inverted: exit 0 when the skill refuses,
// 1 when it answers.
func TestSend_SignFault(t *testing.T) {
	addr, root := freeAddr(t), filepath.Join(t.TempDir(), "root.pem")
	verifying := verifyingSkill(t, &skill{}, addr, root)
	lax := httptest.NewServer(&skill{})
	defer lax.Close()
	for _, f := range signing.Faults() {
		code, _, errs := runCLIStdin(t, "", "send", "--endpoint", verifying.URL, "--sign-addr", addr, "--sign-ca", root, "--sign-fault", string(f), "launch")
		if code != 0 || !strings.Contains(errs, "the skill refused the request signed with "+f.Describe()+" (HTTP 400), as a verifier must") {
			t.Errorf("%s against a verifier: exit %d, stderr %q", f, code, errs)
		}
	}
	code, out, errs := runCLIStdin(t, "", "send", "--endpoint", lax.URL, "--sign-fault", "tampered-body", "launch")
	if code != 1 || !strings.Contains(out, "Welcome") || !strings.Contains(errs, "the skill answered a request signed with a tampered body; a verifier must refuse it") {
		t.Errorf("against a skill that does not verify: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestSend_SignUsageErrors(t *testing.T) {
	env := filepath.Join(t.TempDir(), "e.json")
	if err := os.WriteFile(env, []byte(`{"request":{"type":"LaunchRequest"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--sign-fault", "bad-cert-url", "launch"}, "--sign-fault: signing fault \"bad-cert-url\": want one of tampered-body, stale-timestamp, bad-cert-url:scheme"},
		{[]string{"--sign", "--no-signature", "launch"}, "--no-signature contradicts --sign"},
		{[]string{"--sign-ca", "x.pem", "launch"}, "--sign-addr and --sign-ca need --sign or --sign-fault"},
		{[]string{"--sign", "--lambda", "launch"}, "a Lambda invocation carries no HTTP headers"},
		{[]string{"--sign-fault", "stale-timestamp", "--file", env}, "a whole envelope keeps its own timestamp"},
		{[]string{"--sign", "--sign-addr", "nope", "launch"}, `--sign-addr: request-signing address "nope": want HOST:PORT`},
		{[]string{"--sign", "--sign-ca", filepath.Join(t.TempDir(), "no", "dir", "root.pem"), "launch"}, "--sign-ca: write the request-signing root certificate"},
	}
	for _, c := range cases {
		args := append([]string{"send", "--endpoint", "http://127.0.0.1:1/"}, c.args...)
		code, _, errs := runCLIStdin(t, "", args...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 naming %q", strings.Join(c.args, " "), code, errs, c.want)
		}
	}
}

// 'asksim test --sign' (here from asksim.yaml, sign: true, with sign-ca
// relative to the file) signs every request for the skill's verifier; the
// same run unsigned fails at the verifier.
func TestTest_SignFromProjectConfig(t *testing.T) {
	dir := t.TempDir()
	addr, root := freeAddr(t), filepath.Join(dir, "out", "root.pem")
	ts := verifyingSkill(t, exampleskill.New(exampleskill.Options{}), addr, root)
	feature := writeFile(t, filepath.Join(dir, "ok.feature"), `Feature: greeting
  Scenario: the skill greets
    When the user opens the skill
    Then Alexa says something containing "Welcome"
`)
	writeFile(t, filepath.Join(dir, "out", ".keep"), "")
	cfg := writeFile(t, filepath.Join(dir, "asksim.yaml"), "sign: true\nsign-addr: "+addr+"\nsign-ca: out/root.pem\nendpoint: "+ts.URL+"\n")
	code, stdout, stderr := runCLI(t, "test", "--config", cfg, "--no-color", feature)
	if code != 0 {
		t.Fatalf("signed: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, _ = runCLI(t, "test", "--no-color", "--endpoint", ts.URL, "--sign-addr", addr, "--sign-ca", root, feature)
	if code != 1 || !strings.Contains(stdout, "SignatureCertChainUrl is missing") {
		t.Errorf("unsigned: exit %d\n%s", code, stdout)
	}
	code, _, stderr = runCLI(t, "test", "--sign", "--no-signature", feature)
	if code != 2 || !strings.Contains(stderr, "--no-signature contradicts --sign") {
		t.Errorf("--sign --no-signature: exit %d, %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "test", "--sign", "--lambda", "--endpoint", ts.URL, feature)
	if code != 2 || !strings.Contains(stderr, "a Lambda invocation carries no HTTP headers") {
		t.Errorf("--sign --lambda: exit %d, %q", code, stderr)
	}
}
