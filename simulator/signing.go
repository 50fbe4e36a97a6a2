package simulator

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"sync"
	"time"
)

// Alexa's request headers (docs/alexa-contract.md §1).
const (
	HeaderSignature             = "Signature"
	HeaderSignature256          = "Signature-256"
	HeaderSignatureCertChainURL = "SignatureCertChainUrl"
	// UserAgent is the User-Agent Alexa's requests carry.
	UserAgent = "Apache-HttpClient/4.5.13 (Java/1.8.0_172)"
)

// SignatureCertChainURL is what requests name as their signing certificate.
// It has the form of Amazon's (https://s3.amazonaws.com/echo.api/…) because
// the SDKs refuse any other host or path before anything else; nothing is
// served there, so verification cannot pass. docs/request-signing.md says
// why and how to turn verification off.
const SignatureCertChainURL = "https://s3.amazonaws.com/echo.api/echo-api-cert-asksim.pem"

// signingSAN is the subject alternative name the SDKs look for.
const signingSAN = "echo-api.amazon.com"

// requestSigner signs request bodies with a key and self-signed certificate
// made once per process.
//
// Amazon signs with RSA-2048; asksim signs with ECDSA P-256. No SDK can
// verify either locally (the chain must be Amazon's, fetched from
// s3.amazonaws.com), so what matters is that the headers are present and
// real signatures over the exact body bytes. Two RSA-2048 signatures cost
// about 3 ms of CPU per turn, ten times a loopback round trip, and made a
// 1,000-scenario run take 10 s instead of 2; two P-256 signatures cost
// about a twentieth of that.
type requestSigner struct {
	key  *ecdsa.PrivateKey
	cert *x509.Certificate
}

var processSigner = sync.OnceValues(func() (*requestSigner, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(now.UnixNano()),
		Subject:               pkix.Name{CommonName: signingSAN, Organization: []string{"asksim (not Amazon)"}},
		DNSNames:              []string{signingSAN},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &requestSigner{key: key, cert: cert}, nil
})

// SigningCertificate returns the self-signed certificate whose key signs
// request bodies (Signature, Signature-256). Its public key verifies them;
// a Go skill's tests can use it where Amazon's chain cannot be fetched.
func SigningCertificate() (*x509.Certificate, error) {
	s, err := processSigner()
	if err != nil {
		return nil, fmt.Errorf("request signing key: %w", err)
	}
	return s.cert, nil
}

// warmRequestSigner makes the key in the background, so that the first turn
// does not wait for it.
func warmRequestSigner() { go func() { _, _ = processSigner() }() }

// sign returns base64 ECDSA signatures of body's SHA-256 and SHA-1 digests.
// The two run side by side, so a turn waits for one signature, not two.
func (s *requestSigner) sign(body []byte) (sig256, sig1 string, err error) {
	var wg sync.WaitGroup
	var err1 error
	wg.Add(1)
	go func() {
		defer wg.Done()
		h1 := sha1.Sum(body)
		var b1 []byte
		b1, err1 = ecdsa.SignASN1(rand.Reader, s.key, h1[:])
		sig1 = base64.StdEncoding.EncodeToString(b1)
	}()
	h := sha256.Sum256(body)
	b, err := ecdsa.SignASN1(rand.Reader, s.key, h[:])
	wg.Wait()
	if err = errors.Join(err, err1); err != nil {
		return "", "", err
	}
	return base64.StdEncoding.EncodeToString(b), sig1, nil
}

// requestHeader returns the headers of one request with body. Without
// signing, the three signature headers are left out.
func requestHeader(body []byte, signed bool) (http.Header, error) {
	h := make(http.Header, 8)
	h["Content-Type"] = []string{"application/json; charset=utf-8"}
	h["Accept"] = []string{"application/json"}
	h["Accept-Charset"] = []string{"utf-8"}
	h["User-Agent"] = []string{UserAgent}
	if !signed {
		return h, nil
	}
	s, err := processSigner()
	if err != nil {
		return nil, fmt.Errorf("request signing key: %w", err)
	}
	sig256, sig1, err := s.sign(body)
	if err != nil {
		return nil, fmt.Errorf("sign request: %w", err)
	}
	h[HeaderSignature256] = []string{sig256}
	h[HeaderSignature] = []string{sig1}
	h.Set(HeaderSignatureCertChainURL, SignatureCertChainURL)
	return h, nil
}

// VerifyRequestSignature checks the Signature-256 and Signature headers of a
// request asksim sent against body, with SigningCertificate's key. It is for
// tests; it proves the headers are real signatures over the exact bytes, not
// that they come from Amazon.
func VerifyRequestSignature(body []byte, header http.Header) error {
	cert, err := SigningCertificate()
	if err != nil {
		return err
	}
	pub, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok {
		return fmt.Errorf("signing certificate has a %T key", cert.PublicKey)
	}
	if got := header.Get(HeaderSignatureCertChainURL); got != SignatureCertChainURL {
		return fmt.Errorf("%s is %q, want %q", HeaderSignatureCertChainURL, got, SignatureCertChainURL)
	}
	for _, c := range []struct {
		name string
		hash crypto.Hash
	}{{HeaderSignature256, crypto.SHA256}, {HeaderSignature, crypto.SHA1}} {
		sig, err := base64.StdEncoding.DecodeString(header.Get(c.name))
		if err != nil || len(sig) == 0 {
			return fmt.Errorf("%s: not base64 (%v)", c.name, err)
		}
		h := c.hash.New()
		h.Write(body)
		if !ecdsa.VerifyASN1(pub, h.Sum(nil), sig) {
			return fmt.Errorf("%s does not verify over the body", c.name)
		}
	}
	return nil
}
