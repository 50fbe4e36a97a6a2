package serve

import (
	"crypto/ecdsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// The persistent CA lives in a directory of its own, as mkcert's CAROOT
// does: a skill started before the fakes (or before a rerun) keeps trusting
// the same certificate file, so REQUESTS_CA_BUNDLE, NODE_EXTRA_CA_CERTS or a
// Java trust store are set up once per machine, not once per run.

// Files of a CA directory.
const (
	// CACertFile is the CA certificate, PEM: public, what skills trust.
	CACertFile = "rootCA.pem"
	// CAKeyFile is the CA's private key, PEM PKCS #8, mode 0600.
	CAKeyFile = "rootCA-key.pem"
)

// CADirEnv names the environment variable that chooses the CA directory
// when no directory is given.
const CADirEnv = "ASKSIM_CAROOT"

// persistentCALifetime is long, as mkcert's ten years: the CA's point is
// to be trusted once. Its key never leaves the machine, and the server
// certificates it signs live a week.
const persistentCALifetime = 10 * 365 * 24 * time.Hour

// DefaultCADir returns the CA directory used when none is given:
// $ASKSIM_CAROOT, else asksim under the user's configuration directory
// (os.UserConfigDir: ~/.config/asksim on Linux).
func DefaultCADir() (string, error) {
	if d := os.Getenv(CADirEnv); d != "" {
		return d, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no CA directory: set %s or give one (%v)", CADirEnv, err)
	}
	return filepath.Join(base, "asksim"), nil
}

// ResolveCADir returns dir, or DefaultCADir when dir is empty.
func ResolveCADir(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	return DefaultCADir()
}

// CACertPath returns the path of the CA certificate in dir.
func CACertPath(dir string) string { return filepath.Join(dir, CACertFile) }

// LoadCA loads the persistent CA kept in dir. It fails with an error
// wrapping fs.ErrNotExist when dir holds none.
func LoadCA(dir string) (*CA, error) {
	certPath, keyPath := CACertPath(dir), filepath.Join(dir, CAKeyFile)
	certPEM, err := os.ReadFile(certPath)
	if err != nil {
		return nil, fmt.Errorf("CA certificate: %w", err)
	}
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, fmt.Errorf("CA key: %w", err)
	}
	block, _ := pem.Decode(certPEM)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("%s: no PEM CERTIFICATE block", certPath)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", certPath, err)
	}
	if !cert.IsCA {
		return nil, fmt.Errorf("%s: not a CA certificate", certPath)
	}
	kb, _ := pem.Decode(keyPEM)
	if kb == nil || kb.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("%s: no PEM PRIVATE KEY block", keyPath)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", keyPath, err)
	}
	key, ok := parsed.(*ecdsa.PrivateKey)
	if !ok || !key.PublicKey.Equal(cert.PublicKey) {
		return nil, fmt.Errorf("%s is not the key of %s: remove both files to make a new CA", keyPath, certPath)
	}
	now := time.Now()
	if now.After(cert.NotAfter) {
		return nil, fmt.Errorf("%s expired on %s: remove %s and %s to make a new CA (and trust the new certificate)",
			certPath, cert.NotAfter.Format(time.DateOnly), certPath, keyPath)
	}
	return &CA{cert: cert, key: key, pem: certPEM, now: time.Now, certFile: certPath}, nil
}

// LoadOrCreateCA loads the persistent CA kept in dir, creating dir and the
// CA first when dir holds none; created says which. Two processes that
// create at once end with one CA: the key file is claimed with a hard link,
// which fails for the second, and the second loads the first's.
func LoadOrCreateCA(dir string) (ca *CA, created bool, err error) {
	ca, err = LoadCA(dir)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return ca, false, err
	}
	certPath, keyPath := CACertPath(dir), filepath.Join(dir, CAKeyFile)
	if _, err := os.Stat(certPath); err == nil {
		// A certificate without its key cannot sign; making a new pair
		// would silently change what skills trust.
		return nil, false, fmt.Errorf("%s exists but %s does not: remove the certificate to make a new CA", certPath, keyPath)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, false, fmt.Errorf("CA directory: %w", err)
	}
	ca, keyPEM, err := newPersistentCA()
	if err != nil {
		return nil, false, err
	}
	tmpKey, err := writeTemp(dir, ".rootCA-key-*", keyPEM, 0o600)
	if err != nil {
		return nil, false, err
	}
	defer os.Remove(tmpKey)
	tmpCert, err := writeTemp(dir, ".rootCA-*", ca.pem, 0o644)
	if err != nil {
		return nil, false, err
	}
	defer os.Remove(tmpCert)
	if err := os.Link(tmpKey, keyPath); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return waitForCA(dir)
		}
		// A file system without hard links: claim the name by creating
		// it exclusively instead.
		if err := writeExclusive(keyPath, keyPEM); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return waitForCA(dir)
			}
			return nil, false, fmt.Errorf("CA key: %w", err)
		}
	}
	if err := os.Rename(tmpCert, certPath); err != nil {
		os.Remove(keyPath)
		return nil, false, fmt.Errorf("CA certificate: %w", err)
	}
	ca.certFile = certPath
	return ca, true, nil
}

// waitForCA loads the CA another process is creating in dir: its key is
// there, its certificate follows within moments.
func waitForCA(dir string) (*CA, bool, error) {
	deadline := time.Now().Add(2 * time.Second)
	for {
		ca, err := LoadCA(dir)
		if err == nil || !errors.Is(err, fs.ErrNotExist) || time.Now().After(deadline) {
			return ca, false, err
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func newPersistentCA() (*CA, []byte, error) {
	now := time.Now()
	host, _ := os.Hostname()
	ca, err := newCA(pkix.Name{Organization: []string{"asksim local CA"}, OrganizationalUnit: []string{host},
		CommonName: "asksim local CA " + now.UTC().Format(time.DateOnly)}, now, persistentCALifetime)
	if err != nil {
		return nil, nil, err
	}
	kder, err := x509.MarshalPKCS8PrivateKey(ca.key)
	if err != nil {
		return nil, nil, err
	}
	return ca, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), nil
}

// writeExclusive creates path, mode 0600, failing if it exists, and writes b.
func writeExclusive(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// writeTemp writes b to a new file in dir named by pattern, with mode perm.
func writeTemp(dir, pattern string, b []byte, perm os.FileMode) (string, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", fmt.Errorf("CA directory: %w", err)
	}
	name := f.Name()
	err = f.Chmod(perm)
	if err == nil {
		_, err = f.Write(b)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return "", fmt.Errorf("CA directory: %w", err)
	}
	return name, nil
}
