package testutil

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asksim/asksim/simulator/signing"
)

// Verifier is a reference verifier of Alexa's request signatures, written
// from Amazon's rules (docs/alexa-contract.md §7.1) for asksim's tests: a
// skill's own verifier should do what it does. It differs from one for
// production in configuration only: the host and port its certificate URLs
// may name and the roots its chains must reach. The zero value is Amazon's
// configuration, which refuses asksim's requests at the URL.
type Verifier struct {
	// Host is the host certificate URLs must name, any case; defaults to
	// s3.amazonaws.com.
	Host string
	// Port is the port they must name, or leave out for 443; defaults to
	// 443.
	Port string
	// Roots are the trusted roots; nil means the system's.
	Roots *x509.CertPool
	// Client fetches chains; it must trust the chain server's certificate.
	// Defaults to a client trusting Roots, with a 5 s timeout.
	Client *http.Client
	// Now is the clock for the timestamp and the certificates.
	Now func() time.Time
	// Skip leaves out one check: "url", "signature" or "timestamp". Only
	// for tests that show a fault breaks that rule and no other: the
	// verifier without it must then accept.
	Skip string

	mu     sync.Mutex
	chains map[string][]*x509.Certificate
}

// Tolerance is how far a request's timestamp may be from now.
const Tolerance = 150 * time.Second

// echoAPISAN is the name the signing certificate must carry.
const echoAPISAN = "echo-api.amazon.com"

// Verify checks a request's signature headers and body in Amazon's order:
// the certificate URL, the chain it names, the signature over the exact
// body, then the timestamp. The error names the rule broken.
func (v *Verifier) Verify(h http.Header, body []byte) error {
	raw := header(h, "SignatureCertChainUrl")
	if v.Skip != "url" {
		if err := v.checkURL(raw); err != nil {
			return err
		}
	}
	chain, err := v.chain(raw)
	if err != nil {
		return err
	}
	pub, ok := chain[0].PublicKey.(*rsa.PublicKey)
	if !ok {
		return fmt.Errorf("signing certificate: %T key, want RSA", chain[0].PublicKey)
	}
	sig, err := base64.StdEncoding.DecodeString(header(h, "Signature-256"))
	if err != nil || len(sig) == 0 {
		return errors.New("Signature-256: missing or not base64")
	}
	digest := sha256.Sum256(body)
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil && v.Skip != "signature" {
		return fmt.Errorf("Signature-256 does not verify over the body: %w", err)
	}
	if v.Skip == "timestamp" {
		return nil
	}
	var env struct {
		Request struct {
			Timestamp string `json:"timestamp"`
		} `json:"request"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return fmt.Errorf("body: %w", err)
	}
	ts, err := time.Parse(time.RFC3339, env.Request.Timestamp)
	if err != nil {
		return fmt.Errorf("request.timestamp %q: %w", env.Request.Timestamp, err)
	}
	if d := v.now().Sub(ts); d > Tolerance || d < -Tolerance {
		return fmt.Errorf("request.timestamp %s is %v from now, more than %v", env.Request.Timestamp, d.Round(time.Second), Tolerance)
	}
	return nil
}

// header reads a header in any case: HTTP names are case-insensitive, and
// asksim, like Alexa, writes SignatureCertChainUrl in its own case, which a
// header map handed over without a round trip through a server keeps.
func header(h http.Header, name string) string {
	if v := h.Get(name); v != "" {
		return v
	}
	for k, v := range h {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// checkURL applies the URL rules: https (any case), the host (any case),
// the port or none for 443, and a path under /echo.api/ (case-sensitive)
// once normalized.
func (v *Verifier) checkURL(raw string) error {
	if raw == "" {
		return errors.New("SignatureCertChainUrl is missing")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("SignatureCertChainUrl %q: %w", raw, err)
	}
	host, port := v.Host, v.Port
	if host == "" {
		host = "s3.amazonaws.com"
	}
	if port == "" {
		port = "443"
	}
	switch got := u.Port(); {
	case !strings.EqualFold(u.Scheme, "https"):
		return fmt.Errorf("SignatureCertChainUrl %q: scheme is not https", raw)
	case !strings.EqualFold(u.Hostname(), host):
		return fmt.Errorf("SignatureCertChainUrl %q: host is not %s", raw, host)
	case got != port && !(got == "" && port == "443"):
		return fmt.Errorf("SignatureCertChainUrl %q: port is not %s", raw, port)
	case !strings.HasPrefix(path.Clean(u.Path), "/echo.api/"):
		return fmt.Errorf("SignatureCertChainUrl %q: path is not under /echo.api/ once normalized", raw)
	}
	return nil
}

// chain fetches, checks and caches the chain at raw: PEM certificates, the
// signing one first, valid now, for echo-api.amazon.com, reaching a root.
func (v *Verifier) chain(raw string) ([]*x509.Certificate, error) {
	v.mu.Lock()
	c, ok := v.chains[raw]
	v.mu.Unlock()
	if ok {
		return c, nil
	}
	client := v.Client
	if client == nil {
		client = NewTrustingClient(v.Roots)
	}
	resp, err := client.Get(raw)
	if err != nil {
		return nil, fmt.Errorf("fetch the certificate chain: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil || resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch the certificate chain: status %d, %v", resp.StatusCode, err)
	}
	var certs []*x509.Certificate
	for rest := data; ; {
		var block *pem.Block
		if block, rest = pem.Decode(rest); block == nil {
			break
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("certificate chain: %w", err)
		}
		certs = append(certs, cert)
	}
	if len(certs) == 0 {
		return nil, errors.New("certificate chain: no PEM certificate")
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	opts := x509.VerifyOptions{DNSName: echoAPISAN, Roots: v.Roots, Intermediates: inter, CurrentTime: v.now(),
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}
	if _, err := certs[0].Verify(opts); err != nil {
		return nil, fmt.Errorf("signing certificate: %w", err)
	}
	v.mu.Lock()
	if v.chains == nil {
		v.chains = map[string][]*x509.Certificate{}
	}
	v.chains[raw] = certs
	v.mu.Unlock()
	return certs, nil
}

// VerifierFor returns the reference verifier configured as a skill's own
// verifier must be to accept a's requests: its URL's host and port, its
// root.
func VerifierFor(t testing.TB, a *signing.Authority) *Verifier {
	t.Helper()
	u, err := url.Parse(a.CertURL())
	if err != nil {
		t.Fatal(err)
	}
	return &Verifier{Host: u.Hostname(), Port: u.Port(), Roots: a.CertPool()}
}

// NewTrustingClient returns an HTTP client that trusts roots (the system's
// when nil), with a 5 s timeout.
func NewTrustingClient(roots *x509.CertPool) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: roots}
	return &http.Client{Transport: tr, Timeout: 5 * time.Second}
}

// Handler verifies each request before next sees it, answering 400 with
// the reason when verification fails, as the SDKs' adapters do
// (docs/alexa-contract.md §7.2).
func (v *Verifier) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, "read body: "+err.Error(), http.StatusBadRequest)
			return
		}
		if err := v.Verify(r.Header, body); err != nil {
			http.Error(w, "Request verification failed: "+err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}
