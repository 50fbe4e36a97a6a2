package serve_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/serve"
)

func TestLoadOrCreateCA_CreatesOnceAndKeeps(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "caroot")
	ca, created, err := serve.LoadOrCreateCA(dir)
	if err != nil || !created {
		t.Fatalf("first LoadOrCreateCA = created %v, %v; want a new CA", created, err)
	}
	if got, want := ca.CertFile(), filepath.Join(dir, serve.CACertFile); got != want {
		t.Errorf("CertFile = %q, want %q", got, want)
	}
	key, err := os.Stat(filepath.Join(dir, serve.CAKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if perm := key.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode %v, want 0600", perm)
	}
	onDisk, err := os.ReadFile(serve.CACertPath(dir))
	if err != nil || !bytes.Equal(onDisk, ca.PEM()) {
		t.Fatalf("certificate file differs from the CA's PEM (%v)", err)
	}
	again, created, err := serve.LoadOrCreateCA(dir)
	if err != nil || created {
		t.Fatalf("second LoadOrCreateCA = created %v, %v; want the kept CA", created, err)
	}
	if !bytes.Equal(again.PEM(), ca.PEM()) {
		t.Error("the second run made another CA; a skill that trusts the first would refuse it")
	}
	// No temporary files are left behind.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("CA directory holds %q, want only the certificate and the key", names)
	}
}

// A skill that trusts the certificate file, as REQUESTS_CA_BUNDLE makes
// it, accepts the fakes of a later run, whose server certificates are new.
func TestPersistentCA_TrustedAcrossRuns(t *testing.T) {
	dir := t.TempDir()
	first, _, err := serve.LoadOrCreateCA(dir)
	if err != nil {
		t.Fatal(err)
	}
	pemBytes, err := os.ReadFile(first.CertFile())
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatal("no certificate in the CA file")
	}
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	for run := range 2 {
		ca, _, err := serve.LoadOrCreateCA(dir)
		if err != nil {
			t.Fatal(err)
		}
		s, err := serve.Start(hello, serve.Options{CA: ca})
		if err != nil {
			t.Fatal(err)
		}
		body, err := get(client, s.URL)
		s.Close()
		if err != nil || body != "hello" {
			t.Errorf("run %d: GET = %q, %v", run, body, err)
		}
	}
}

func TestLoadOrCreateCA_ConcurrentCreatorsAgree(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	pems := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ca, _, err := serve.LoadOrCreateCA(dir)
			errs[i] = err
			if err == nil {
				pems[i] = ca.PEM()
			}
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("creator %d: %v", i, errs[i])
		}
		if !bytes.Equal(pems[i], pems[0]) {
			t.Fatalf("creator %d got another CA than creator 0", i)
		}
	}
	onDisk, _ := os.ReadFile(serve.CACertPath(dir))
	if !bytes.Equal(onDisk, pems[0]) {
		t.Error("the certificate on disk is not the one the creators use")
	}
}

func TestLoadCA_Errors(t *testing.T) {
	dir := t.TempDir()
	if _, err := serve.LoadCA(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadCA of an empty directory = %v, want fs.ErrNotExist", err)
	}
	// A certificate whose key is gone is not replaced behind the user's back.
	if _, _, err := serve.LoadOrCreateCA(dir); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, serve.CAKeyFile))
	_, _, err := serve.LoadOrCreateCA(dir)
	if err == nil || !strings.Contains(err.Error(), serve.CAKeyFile) {
		t.Errorf("certificate without key: %v, want an error naming %s", err, serve.CAKeyFile)
	}
	// A key of another CA.
	other := t.TempDir()
	if _, _, err := serve.LoadOrCreateCA(other); err != nil {
		t.Fatal(err)
	}
	k, _ := os.ReadFile(filepath.Join(other, serve.CAKeyFile))
	os.WriteFile(filepath.Join(dir, serve.CAKeyFile), k, 0o600)
	if _, err := serve.LoadCA(dir); err == nil || !strings.Contains(err.Error(), "is not the key of") {
		t.Errorf("mismatched key: %v", err)
	}
	// Not PEM.
	os.WriteFile(serve.CACertPath(dir), []byte("junk"), 0o644)
	if _, err := serve.LoadCA(dir); err == nil || !strings.Contains(err.Error(), serve.CACertFile) {
		t.Errorf("junk certificate: %v, want an error naming the file", err)
	}
}

func TestDefaultCADir(t *testing.T) {
	t.Setenv(serve.CADirEnv, "/some/where")
	if d, err := serve.DefaultCADir(); err != nil || d != "/some/where" {
		t.Errorf("with %s set: %q, %v", serve.CADirEnv, d, err)
	}
	if d, _ := serve.ResolveCADir("/given"); d != "/given" {
		t.Errorf("ResolveCADir(/given) = %q", d)
	}
	t.Setenv(serve.CADirEnv, "")
	t.Setenv("XDG_CONFIG_HOME", "/xdg")
	t.Setenv("HOME", "/home/u")
	base, err := os.UserConfigDir()
	if err != nil {
		t.Skip(err)
	}
	if d, err := serve.DefaultCADir(); err != nil || d != filepath.Join(base, "asksim") {
		t.Errorf("default: %q, %v, want %s", d, err, filepath.Join(base, "asksim"))
	}
}
