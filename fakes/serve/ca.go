package serve

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"os"
	"time"

	"github.com/asksim/asksim/internal/pki"
)

// CA is a certificate authority that signs the fakes' server certificates.
// Its PEM goes to the skill's trust store (NODE_EXTRA_CA_CERTS,
// REQUESTS_CA_BUNDLE, a Java trust store). The Python SDK refuses an
// http:// apiEndpoint, so HTTPS is needed for it. LoadOrCreateCA gives the
// persistent CA a skill can trust once (caroot.go); NewCA one for a single
// run, for tests.
type CA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
	now  func() time.Time
	// certFile is where the persistent CA's certificate is kept; "" for
	// one made by NewCA.
	certFile string
}

// certLifetime is short: a server certificate (and a CA made by NewCA)
// lives for one run, and trusting it longer than needed is a risk.
const certLifetime = 7 * 24 * time.Hour

// NewCA generates a CA for one run, kept in memory only.
func NewCA() (*CA, error) {
	now := time.Now()
	return newCA(pkix.Name{Organization: []string{pki.Organization}, CommonName: "asksim local CA " + now.UTC().Format(time.RFC3339)},
		now, certLifetime)
}

// newCA makes a self-signed CA named subject, valid from an hour before now
// for lifetime. ECDSA P-256 keys take microseconds to make, where RSA takes
// tens of milliseconds, and every client the SDKs use accepts them.
func newCA(subject pkix.Name, now time.Time, lifetime time.Duration) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := pki.CATemplate(subject.CommonName, now, lifetime, 0)
	tmpl.Subject = subject // the persistent CA names the machine it was made on (caroot.go)
	cert, err := pki.Issue(tmpl, nil, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	return &CA{cert: cert, key: key, pem: pki.PEM(cert), now: time.Now}, nil
}

// CertFile returns the path of the persistent CA's certificate, "" for a
// CA made by NewCA.
func (ca *CA) CertFile() string { return ca.certFile }

// PEM returns the CA certificate in PEM form.
func (ca *CA) PEM() []byte { return ca.pem }

// WriteFile writes the CA certificate to path (mode 0644: it is public).
func (ca *CA) WriteFile(path string) error {
	if err := os.WriteFile(path, ca.pem, 0o644); err != nil {
		return fmt.Errorf("write CA certificate: %w", err)
	}
	return nil
}

// CertPool returns a pool holding only the CA, for clients in tests.
func (ca *CA) CertPool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.cert)
	return p
}

// ServerConfig returns a TLS configuration with a fresh server certificate
// for 127.0.0.1, ::1 and localhost, plus host when it is another name or
// address (a remote bind), HTTP/1.1 only (see pki.ServerConfig).
func (ca *CA) ServerConfig(host string) (*tls.Config, error) {
	return pki.ServerConfig("asksim fakes", host, ca.now(), certLifetime, ca.cert, ca.key, ca.cert)
}

// TrustInstructions tells how to make a skill's process trust the CA
// written to caFile, for each SDK's HTTP client.
func TrustInstructions(caFile string) string {
	return fmt.Sprintf(`Trust the CA in the skill's process:
  Node.js:  NODE_EXTRA_CA_CERTS=%[1]s
  Python:   REQUESTS_CA_BUNDLE=%[1]s  (replaces certifi's bundle for requests)
  Java:     keytool -importcert -noprompt -alias asksim-ca -file %[1]s -keystore asksim-truststore.p12 -storetype PKCS12 -storepass changeit
            then run with -Djavax.net.ssl.trustStore=asksim-truststore.p12 -Djavax.net.ssl.trustStorePassword=changeit
`, caFile)
}
