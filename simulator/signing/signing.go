package signing

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/asksim/asksim/internal/pki"
)

// Alexa's signature headers (docs/alexa-contract.md §1).
const (
	HeaderSignature             = "Signature"
	HeaderSignature256          = "Signature-256"
	HeaderSignatureCertChainURL = "SignatureCertChainUrl"
)

// SAN is the subject alternative name a verifier requires of the signing
// certificate (docs/alexa-contract.md §7.1).
const SAN = "echo-api.amazon.com"

// ChainDir is the directory the chain is served from, as Amazon's are, so
// that a verifier keeps Amazon's path rule and changes only the host, port
// and roots it accepts. The file is named after the signing certificate
// (echo-api-cert-asksim-<hash>.pem), as Amazon's are numbered: a verifier
// that caches chains by URL, as the SDKs do, fetches a new one when the
// key changes.
const ChainDir = "/echo.api/"

// KeyBits is the size of every key of the chain, as Amazon's: a signature
// is 256 bytes, 344 base64 characters.
const KeyBits = 2048

// lifetime bounds the certificates: an Authority lives for one run.
const lifetime = 7 * 24 * time.Hour

// Options configure an Authority.
type Options struct {
	// Addr is the HOST:PORT the chain is served on. Empty means 127.0.0.1 on
	// a free port; a skill whose verifier must know the URL in advance
	// needs a fixed one.
	Addr string
	// Now is the clock of the certificates; defaults to time.Now.
	Now func() time.Time
	// Root and RootKey, when set, are the CA the chain starts from, such as
	// one a skill already trusts; otherwise a root is made. A root whose
	// path length is zero signs the leaf itself, without an intermediate.
	Root    *x509.Certificate
	RootKey crypto.Signer
}

// Authority signs request bodies as Alexa does and serves the chain that
// verifies them: a root CA made for it (or given), an intermediate, and a
// leaf for echo-api.amazon.com whose RSA key signs. The chain (leaf, then
// intermediate, as Amazon's file holds) is served over HTTPS on loopback at
// CertURL; the root is what a verifier must trust, both for that HTTPS
// connection and as the chain's anchor. Close stops the server. An
// Authority is safe for concurrent use.
type Authority struct {
	root, leaf *x509.Certificate
	inter      *x509.Certificate // nil when the root signs the leaf
	key        *rsa.PrivateKey
	chainPEM   []byte
	file       string // the chain's file name under ChainDir
	srv        *chainServer
}

// New makes the keys and certificates (up to three RSA-2048 keys, made
// side by side: a few hundred milliseconds) and starts serving the chain.
// The caller must Close it.
func New(o Options) (*Authority, error) {
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	if (o.Root == nil) != (o.RootKey == nil) {
		return nil, errors.New("request signing: give both Options.Root and Options.RootKey, or neither")
	}
	if o.Root != nil && !o.Root.IsCA {
		return nil, fmt.Errorf("request signing: the root %q is not a CA certificate", o.Root.Subject.CommonName)
	}
	n := 3 // root, intermediate, leaf
	if o.Root != nil {
		n = 2
		if o.Root.MaxPathLenZero {
			n = 1
		}
	}
	keys, err := generateKeys(n)
	if err != nil {
		return nil, fmt.Errorf("request signing keys: %w", err)
	}
	t := now()
	a := &Authority{root: o.Root, key: keys[n-1]}
	signer := o.RootKey
	if a.root == nil {
		signer = keys[0]
		a.root, err = pki.Issue(pki.CATemplate("asksim request-signing root "+t.UTC().Format(time.RFC3339), t, lifetime, 1), nil, &keys[0].PublicKey, keys[0])
		if err != nil {
			return nil, fmt.Errorf("request signing root: %w", err)
		}
	}
	parent, parentKey := a.root, signer
	if n > 1 {
		interKey := keys[n-2]
		if a.inter, err = pki.Issue(pki.CATemplate("asksim request-signing intermediate", t, lifetime, 0), a.root, &interKey.PublicKey, signer); err != nil {
			return nil, fmt.Errorf("request signing intermediate: %w", err)
		}
		parent, parentKey = a.inter, interKey
	}
	tmpl := pki.Template(SAN, t, lifetime)
	tmpl.DNSNames = []string{SAN}
	tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}
	if a.leaf, err = pki.Issue(tmpl, parent, &a.key.PublicKey, parentKey); err != nil {
		return nil, fmt.Errorf("request signing certificate: %w", err)
	}
	sum := sha256.Sum256(a.leaf.Raw)
	a.file = fmt.Sprintf("echo-api-cert-asksim-%x.pem", sum[:6])
	a.chainPEM = pki.PEM(a.Chain()...)
	tlsCfg, err := pki.ServerConfig("asksim request-signing chain", hostOf(o.Addr), t, lifetime, a.root, signer)
	if err != nil {
		return nil, fmt.Errorf("request signing chain server: %w", err)
	}
	if a.srv, err = startChainServer(o.Addr, tlsCfg, a.chainPEM); err != nil {
		return nil, err
	}
	return a, nil
}

// generateKeys makes n RSA keys at once: each takes tens to hundreds of
// milliseconds, and a machine has more than one core.
func generateKeys(n int) ([]*rsa.PrivateKey, error) {
	keys, errs := make([]*rsa.PrivateKey, n), make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { keys[i], errs[i] = rsa.GenerateKey(rand.Reader, KeyBits) })
	}
	wg.Wait()
	return keys, errors.Join(errs...)
}

func hostOf(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return ""
	}
	return host
}

var defaultAuthority = sync.OnceValues(func() (*Authority, error) { return New(Options{}) })

// Default returns the process's Authority, made on first use, for
// simulators given no Authority of their own. It is never closed: its
// server, on 127.0.0.1 on a free port, lives as long as the process.
func Default() (*Authority, error) { return defaultAuthority() }

// Close stops serving the chain.
func (a *Authority) Close() error { return a.srv.close() }

// CertURL is the SignatureCertChainUrl of correctly signed requests:
// https://127.0.0.1:PORT/echo.api/echo-api-cert-asksim-<hash>.pem (the
// host and port of Options.Addr when given).
func (a *Authority) CertURL() string {
	return a.srv.url("https", a.srv.host, a.srv.port, ChainDir+a.file)
}

// Root returns the root certificate, the one a verifier trusts.
func (a *Authority) Root() *x509.Certificate { return a.root }

// RootPEM returns the root certificate in PEM form.
func (a *Authority) RootPEM() []byte { return pki.PEM(a.root) }

// WriteRootFile writes the root certificate to path, PEM, mode 0644 (it is
// public), for a verifier in another process.
func (a *Authority) WriteRootFile(path string) error {
	if err := os.WriteFile(path, a.RootPEM(), 0o644); err != nil {
		return fmt.Errorf("write the request-signing root certificate: %w", err)
	}
	return nil
}

// CertPool returns a pool holding only the root, for a Go verifier and its
// HTTPS client.
func (a *Authority) CertPool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(a.root)
	return p
}

// Chain returns the certificates served at CertURL: the signing
// certificate, then the intermediate (none when the root signs the leaf).
func (a *Authority) Chain() []*x509.Certificate {
	if a.inter == nil {
		return []*x509.Certificate{a.leaf}
	}
	return []*x509.Certificate{a.leaf, a.inter}
}

// ChainPEM returns the file served at CertURL.
func (a *Authority) ChainPEM() []byte { return a.chainPEM }

// Sign adds the three signature headers of a request with body to h, as
// Alexa signs: base64 RSA PKCS #1 v1.5 signatures of the body's SHA-256
// (Signature-256) and SHA-1 (Signature, the legacy header) digests, and the
// certificate URL. With a fault, the request is one a verifier must refuse
// (see Fault); FaultStaleTimestamp is the caller's to apply to the body,
// since the timestamp is inside it.
func (a *Authority) Sign(h http.Header, body []byte, f Fault) error {
	if err := f.check(); err != nil {
		return err
	}
	signed := body
	if f == FaultTamperedBody {
		signed = tamper(body)
	}
	// The two signatures run side by side, so a turn waits for one.
	var sig1 []byte
	var err1 error
	done := make(chan struct{})
	go func() {
		defer close(done)
		d := sha1.Sum(signed)
		sig1, err1 = rsa.SignPKCS1v15(nil, a.key, crypto.SHA1, d[:])
	}()
	d := sha256.Sum256(signed)
	sig256, err := rsa.SignPKCS1v15(nil, a.key, crypto.SHA256, d[:])
	<-done
	if err = errors.Join(err, err1); err != nil {
		return fmt.Errorf("sign request: %w", err)
	}
	h[HeaderSignature256] = []string{base64.StdEncoding.EncodeToString(sig256)}
	h[HeaderSignature] = []string{base64.StdEncoding.EncodeToString(sig1)}
	h[HeaderSignatureCertChainURL] = []string{a.certURLFor(f)}
	return nil
}

// tamper returns a copy of body that differs in content but is still a
// JSON object when body is one: a field is added before the last '}'.
// The request then carries a signature of other bytes than its body.
func tamper(body []byte) []byte {
	i := bytes.LastIndexByte(body, '}')
	if i < 0 {
		return append(bytes.Clone(body), ' ')
	}
	out := make([]byte, 0, len(body)+17)
	out = append(out, body[:i]...)
	out = append(out, `,"tampered":true`...)
	return append(out, body[i:]...)
}

// certURLFor returns the certificate URL a request with fault f carries.
// Each bad URL breaks exactly one of Amazon's rules, relative to CertURL,
// and is served all the same: a verifier that skips the rule fetches a
// valid chain, verifies the signature and accepts, so the test shows it.
func (a *Authority) certURLFor(f Fault) string {
	s, path := a.srv, ChainDir+a.file
	switch f {
	case FaultCertURLScheme:
		return s.url("http", s.host, s.port, path)
	case FaultCertURLHost:
		return s.url("https", s.otherHost(), s.port, path)
	case FaultCertURLPort:
		return s.url("https", s.host, s.altPort, path)
	case FaultCertURLPath:
		return s.url("https", s.host, s.port, "/invalid.path/"+a.file)
	case FaultCertURLPathCase:
		return s.url("https", s.host, s.port, "/EcHo.aPi/"+a.file)
	case FaultCertURLPathTraversal:
		return s.url("https", s.host, s.port, "/echo.api/../invalid.path/"+a.file)
	}
	return a.CertURL()
}

// CertURLFor returns the SignatureCertChainUrl a request signed with fault
// f carries: CertURL, or for a certificate-URL fault the URL that breaks
// that rule.
func (a *Authority) CertURLFor(f Fault) string { return a.certURLFor(f) }

// portOf returns a TCP listener's port.
func portOf(ln net.Listener) string { return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port) }
