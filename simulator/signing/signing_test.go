package signing_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asksim/asksim/internal/pki"
	"github.com/asksim/asksim/internal/testutil"
	"github.com/asksim/asksim/simulator/signing"
)

// authority is one Authority for the package's tests: three RSA keys are
// worth making once.
var authority = sync.OnceValues(func() (*signing.Authority, error) { return signing.New(signing.Options{}) })

func newAuthority(t *testing.T) *signing.Authority {
	t.Helper()
	a, err := authority()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func envelope(ts time.Time) []byte {
	return fmt.Appendf(nil, `{"version":"1.0","request":{"type":"LaunchRequest","requestId":"amzn1.echo-api.request.1","timestamp":%q,"locale":"en-US"}}`,
		ts.UTC().Format("2006-01-02T15:04:05Z"))
}

func TestSign_AsAlexaSigns(t *testing.T) {
	a := newAuthority(t)
	body := envelope(time.Now())
	h := http.Header{}
	if err := a.Sign(h, body, signing.FaultNone); err != nil {
		t.Fatal(err)
	}
	if err := testutil.VerifierFor(t, a).Verify(h, body); err != nil {
		t.Fatalf("the reference verifier refuses a correct request: %v", err)
	}
	// RSA-2048: 256-byte signatures, 344 base64 characters, like Amazon's.
	for _, name := range []string{signing.HeaderSignature256, signing.HeaderSignature} {
		if n := len(h.Get(name)); n != 344 {
			t.Errorf("%s: %d characters, want 344", name, n)
		}
	}
	// The legacy header is the same over SHA-1.
	sig, _ := base64.StdEncoding.DecodeString(h.Get(signing.HeaderSignature))
	d := sha1.Sum(body)
	if err := rsa.VerifyPKCS1v15(a.Chain()[0].PublicKey.(*rsa.PublicKey), crypto.SHA1, d[:], sig); err != nil {
		t.Errorf("Signature (SHA-1): %v", err)
	}
	if got := h[signing.HeaderSignatureCertChainURL][0]; got != a.CertURL() || !strings.HasPrefix(got, "https://127.0.0.1:") ||
		!strings.Contains(got, signing.ChainDir+"echo-api-cert-asksim-") {
		t.Errorf("SignatureCertChainUrl %q", got)
	}
	leaf := a.Chain()[0]
	if len(leaf.DNSNames) != 1 || leaf.DNSNames[0] != signing.SAN || leaf.PublicKey.(*rsa.PublicKey).N.BitLen() != signing.KeyBits {
		t.Errorf("leaf: SANs %v, %d-bit key", leaf.DNSNames, leaf.PublicKey.(*rsa.PublicKey).N.BitLen())
	}
	if a.Chain()[1].Subject.String() == a.Root().Subject.String() {
		t.Error("the served chain holds the root instead of the intermediate")
	}
}

// Amazon's own rules refuse asksim's URL before anything else: that is why
// no SDK verifier accepts asksim's requests, and why a skill's verifier
// must take the host, port and roots from its configuration.
func TestSign_AmazonsRulesRefuseTheLocalURL(t *testing.T) {
	a := newAuthority(t)
	body := envelope(time.Now())
	h := http.Header{}
	if err := a.Sign(h, body, signing.FaultNone); err != nil {
		t.Fatal(err)
	}
	err := (&testutil.Verifier{}).Verify(h, body)
	if err == nil || !strings.Contains(err.Error(), "host is not s3.amazonaws.com") {
		t.Fatalf("Amazon's configuration: %v, want the host refused", err)
	}
}

// Every fault is refused for the rule it breaks, and only for it: the
// verifier without that one check accepts the same request, so a verifier
// that skips the rule is caught. The bad certificate URLs are served.
func TestSign_EachFaultBreaksOneRule(t *testing.T) {
	a := newAuthority(t)
	cases := []struct {
		fault      signing.Fault
		rule, want string
	}{
		{signing.FaultTamperedBody, "signature", "does not verify over the body"},
		{signing.FaultStaleTimestamp, "timestamp", "more than 2m30s"},
		{signing.FaultCertURLScheme, "url", "scheme is not https"},
		{signing.FaultCertURLHost, "url", "host is not 127.0.0.1"},
		{signing.FaultCertURLPort, "url", "port is not"},
		{signing.FaultCertURLPath, "url", "path is not under /echo.api/"},
		{signing.FaultCertURLPathCase, "url", "path is not under /echo.api/"},
		{signing.FaultCertURLPathTraversal, "url", "path is not under /echo.api/"},
	}
	if len(cases) != len(signing.Faults()) {
		t.Fatalf("%d cases for %d faults", len(cases), len(signing.Faults()))
	}
	for _, c := range cases {
		t.Run(string(c.fault), func(t *testing.T) {
			ts := time.Now()
			if c.fault == signing.FaultStaleTimestamp {
				ts = ts.Add(-signing.StaleAge)
			}
			body := envelope(ts)
			h := http.Header{}
			if err := a.Sign(h, body, c.fault); err != nil {
				t.Fatal(err)
			}
			if err := testutil.VerifierFor(t, a).Verify(h, body); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("verify: %v, want an error containing %q", err, c.want)
			}
			lax := testutil.VerifierFor(t, a)
			lax.Skip = c.rule
			if err := lax.Verify(h, body); err != nil {
				t.Errorf("without the %s check the request should pass: %v", c.rule, err)
			}
			if c.fault != signing.FaultStaleTimestamp && c.fault != signing.FaultTamperedBody && h[signing.HeaderSignatureCertChainURL][0] == a.CertURL() {
				t.Error("a certificate-URL fault kept the correct URL")
			}
		})
	}
}

// A root given in Options anchors the chain: with an intermediate when its
// path length allows one, the leaf alone when not. The root may be ECDSA,
// as asksim's local TLS CA is; the signing key is RSA all the same.
func TestOptions_GivenRoot(t *testing.T) {
	for _, maxPathLen := range []int{1, 0} {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		root, err := pki.Issue(pki.CATemplate("a skill's trusted CA", time.Now(), time.Hour, maxPathLen), nil, &key.PublicKey, key)
		if err != nil {
			t.Fatal(err)
		}
		a, err := signing.New(signing.Options{Root: root, RootKey: key})
		if err != nil {
			t.Fatal(err)
		}
		if want := 2 - boolInt(maxPathLen == 0); len(a.Chain()) != want || a.Root() != root {
			t.Errorf("maxPathLen %d: chain of %d, want %d", maxPathLen, len(a.Chain()), want)
		}
		body := envelope(time.Now())
		h := http.Header{}
		if err := a.Sign(h, body, signing.FaultNone); err != nil {
			t.Fatal(err)
		}
		if err := testutil.VerifierFor(t, a).Verify(h, body); err != nil {
			t.Errorf("maxPathLen %d: %v", maxPathLen, err)
		}
		a.Close()
	}
	if _, err := signing.New(signing.Options{Root: &x509.Certificate{}}); err == nil {
		t.Error("a root without its key was accepted")
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestParseFault(t *testing.T) {
	for _, f := range signing.Faults() {
		if got, err := signing.ParseFault(string(f)); err != nil || got != f {
			t.Errorf("ParseFault(%q) = %q, %v", f, got, err)
		}
		if d := f.Describe(); d == "" || d == signing.FaultNone.Describe() {
			t.Errorf("%s: description %q", f, d)
		}
	}
	_, err := signing.ParseFault("bad-cert-url")
	if err == nil || !strings.Contains(err.Error(), "bad-cert-url:scheme") || !strings.Contains(err.Error(), "tampered-body") {
		t.Errorf("ParseFault(bad-cert-url): %v, want the valid names listed", err)
	}
	if err := newAuthority(t).Sign(http.Header{}, nil, "nope"); err == nil {
		t.Error("Sign accepted an unknown fault")
	}
}

func TestChainServer(t *testing.T) {
	a := newAuthority(t)
	client := testutil.NewTrustingClient(a.CertPool())
	get := func(method, u string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, u, nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, u, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// The chain over HTTPS, and over plain HTTP on the same port.
	for _, u := range []string{a.CertURL(), a.CertURLFor(signing.FaultCertURLScheme), a.CertURLFor(signing.FaultCertURLPort),
		a.CertURLFor(signing.FaultCertURLHost), a.CertURLFor(signing.FaultCertURLPath)} {
		if code, body := get(http.MethodGet, u); code != 200 || body != string(a.ChainPEM()) {
			t.Errorf("GET %s: %d, %d bytes", u, code, len(body))
		}
	}
	if code, _ := get(http.MethodPost, a.CertURL()); code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", code)
	}
	// A client that does not trust the root cannot fetch it.
	if _, err := testutil.NewTrustingClient(nil).Get(a.CertURL()); err == nil {
		t.Error("a client trusting only the system roots fetched the chain")
	}
}

func TestOptions_AddrAndRootFile(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	a, err := signing.New(signing.Options{Addr: addr})
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://" + addr + signing.ChainDir; !strings.HasPrefix(a.CertURL(), want) {
		t.Errorf("CertURL %q, want %q", a.CertURL(), want)
	}
	if _, err := signing.New(signing.Options{Addr: addr}); err == nil || !strings.Contains(err.Error(), addr) {
		t.Errorf("a taken address: %v, want an error naming it", err)
	}
	if _, err := signing.New(signing.Options{Addr: "nope"}); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("a bad address: %v", err)
	}
	f := filepath.Join(t.TempDir(), "root.pem")
	if err := a.WriteRootFile(f); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(f); string(b) != string(a.RootPEM()) || !strings.HasPrefix(string(b), "-----BEGIN CERTIFICATE-----") {
		t.Errorf("root file %q", b)
	}
	if err := a.WriteRootFile(filepath.Join(t.TempDir(), "no", "such", "dir")); err == nil {
		t.Error("WriteRootFile into a missing directory succeeded")
	}

	// A connection that sends nothing is dropped when the server closes,
	// not left waiting for its first byte.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	done := make(chan error, 1)
	go func() { done <- a.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Close hung on a silent connection")
	}
}
