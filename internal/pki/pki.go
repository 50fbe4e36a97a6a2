// Package pki issues the certificates asksim makes for local use: the
// fakes' TLS certificates (fakes/serve) and the request-signing chain
// (simulator/signing). It holds what they share, in one copy: random
// serial numbers, the subject and validity every such certificate
// carries, CA and loopback-server templates, and issuing one certificate
// from its parent.
package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"time"
)

// Organization is the subject organization of every certificate asksim
// makes, so that nobody mistakes one for a real authority's.
const Organization = "asksim"

// backdate is how long before now certificates become valid: a skill's
// clock a little behind asksim's must not find them not yet valid.
const backdate = time.Hour

// Serial returns a random positive serial number of 127 bits: unique
// without bookkeeping, and within the 20 octets RFC 5280 §4.1.2.2 allows.
func Serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil || n.Sign() == 0 {
		// crypto/rand does not fail on supported platforms; a fixed
		// serial is still a valid one.
		return big.NewInt(1)
	}
	return n
}

// Template returns the fields every certificate shares: a random serial,
// asksim's organization and the common name cn, valid from an hour before
// now for lifetime.
func Template(cn string, now time.Time, lifetime time.Duration) *x509.Certificate {
	return &x509.Certificate{
		SerialNumber: Serial(),
		Subject:      pkix.Name{Organization: []string{Organization}, CommonName: cn},
		NotBefore:    now.Add(-backdate),
		NotAfter:     now.Add(lifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
}

// CATemplate returns the template of a CA that may have maxPathLen
// intermediates below it (0: it signs leaves only).
func CATemplate(cn string, now time.Time, lifetime time.Duration, maxPathLen int) *x509.Certificate {
	t := Template(cn, now, lifetime)
	t.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature
	t.BasicConstraintsValid = true
	t.IsCA = true
	t.MaxPathLen = maxPathLen
	t.MaxPathLenZero = maxPathLen == 0
	return t
}

// ServerTemplate returns the template of a TLS server certificate for
// 127.0.0.1, ::1 and localhost, plus host when it is another name or
// address (a server bound to a non-loopback address).
func ServerTemplate(cn string, now time.Time, lifetime time.Duration, host string) *x509.Certificate {
	t := Template(cn, now, lifetime)
	t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	t.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
	t.DNSNames = []string{"localhost"}
	if ip := net.ParseIP(host); ip != nil && !ip.IsLoopback() && !ip.IsUnspecified() {
		t.IPAddresses = append(t.IPAddresses, ip)
	} else if ip == nil && host != "" && host != "localhost" {
		t.DNSNames = append(t.DNSNames, host)
	}
	return t
}

// Issue creates the certificate tmpl for the public key pub, signed with
// parentKey as parent, and returns it parsed. A nil parent makes tmpl
// self-signed; parentKey is then its own key.
func Issue(tmpl, parent *x509.Certificate, pub crypto.PublicKey, parentKey crypto.Signer) (*x509.Certificate, error) {
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, parentKey)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// PEM encodes certificates as PEM CERTIFICATE blocks, in order.
func PEM(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

// ServerConfig returns a TLS configuration whose certificate, for a
// loopback server (see ServerTemplate), is fresh and signed by parent.
// chain is sent after it: the intermediates and, for a client that wants
// to see it, the root. The key is ECDSA P-256: it takes microseconds to
// make, where RSA takes tens of milliseconds, and every client the SDKs
// use accepts it. HTTP/1.1 only: a dropped-connection fault hijacks the
// connection, which HTTP/2 does not allow.
func ServerConfig(cn, host string, now time.Time, lifetime time.Duration, parent *x509.Certificate, parentKey crypto.Signer, chain ...*x509.Certificate) (*tls.Config, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	cert, err := Issue(ServerTemplate(cn, now, lifetime, host), parent, &key.PublicKey, parentKey)
	if err != nil {
		return nil, err
	}
	raw := [][]byte{cert.Raw}
	for _, c := range chain {
		raw = append(raw, c.Raw)
	}
	return &tls.Config{
		Certificates: []tls.Certificate{{Certificate: raw, PrivateKey: key, Leaf: cert}},
		NextProtos:   []string{"http/1.1"},
		MinVersion:   tls.VersionTLS12,
	}, nil
}
