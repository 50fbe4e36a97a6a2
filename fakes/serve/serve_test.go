package serve_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/serve"
)

var hello = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") })

func get(client *http.Client, url string) (string, error) {
	resp, err := client.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

func TestHTTPOnLoopbackByDefault(t *testing.T) {
	s, err := serve.Start(hello, serve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") || strings.HasSuffix(s.URL, ":0") {
		t.Errorf("URL %q, want http://127.0.0.1:<free port>", s.URL)
	}
	if body, err := get(&http.Client{Timeout: 5 * time.Second}, s.URL); err != nil || body != "hello" {
		t.Errorf("GET = %q, %v", body, err)
	}
}

func TestHTTPSTrustsOnlyTheWrittenCA(t *testing.T) {
	ca, err := serve.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := ca.WriteFile(caFile); err != nil {
		t.Fatal(err)
	}
	s, err := serve.Start(hello, serve.Options{CA: ca})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !strings.HasPrefix(s.URL, "https://127.0.0.1:") {
		t.Fatalf("URL %q, want https://127.0.0.1:…", s.URL)
	}
	// A client that trusts the CA file, and nothing else, as
	// NODE_EXTRA_CA_CERTS or REQUESTS_CA_BUNDLE would make it.
	pemBytes, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatal("the CA file holds no certificate")
	}
	trusting := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	for _, u := range []string{s.URL, strings.Replace(s.URL, "127.0.0.1", "localhost", 1)} {
		if body, err := get(trusting, u); err != nil || body != "hello" {
			t.Errorf("trusting client GET %s = %q, %v", u, body, err)
		}
	}
	// The system roots do not know the CA.
	untrusting := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: x509.NewCertPool()}}}
	_, err = get(untrusting, s.URL)
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("untrusting client: %v, want x509.UnknownAuthorityError", err)
	}
	// Another run's CA is not this one.
	other, err := serve.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	wrong := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: other.CertPool()}}}
	if _, err := get(wrong, s.URL); !errors.As(err, &unknown) {
		t.Errorf("client trusting another CA: %v, want x509.UnknownAuthorityError", err)
	}
}

func TestRefusesRemoteAddresses(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:8700", "example.com:80", "[::]:0"} {
		_, err := serve.Start(hello, serve.Options{Addr: addr})
		if !errors.Is(err, serve.ErrNotLoopback) {
			t.Errorf("Start(%q) = %v, want a not-loopback error", addr, err)
		}
	}
	if _, err := serve.Start(hello, serve.Options{Addr: "127.0.0.1"}); !errors.Is(err, serve.ErrBadAddr) || !strings.Contains(err.Error(), "HOST:PORT") {
		t.Errorf("no port: %v, want HOST:PORT error", err)
	}
}

func TestRefusesATakenPort(t *testing.T) {
	first, err := serve.Start(hello, serve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	_, err = serve.Start(hello, serve.Options{Addr: first.Addr.String()})
	if !errors.Is(err, serve.ErrAddrInUse) || !strings.Contains(err.Error(), first.Addr.String()+": address in use; pick another port") {
		t.Errorf("Start on %s, taken = %v, want ErrAddrInUse naming the address", first.Addr, err)
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{"127.0.0.1": true, "127.1.2.3": true, "::1": true, "[::1]": true, "localhost": true,
		"LOCALHOST": true, "": false, "0.0.0.0": false, "10.0.0.1": false, "example.com": false} {
		if got := serve.IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestShutdownLetsCallsFinish(t *testing.T) {
	started := make(chan struct{})
	release := make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		io.WriteString(w, "done")
	})
	s, err := serve.Start(slow, serve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	result := make(chan string, 1)
	go func() {
		body, err := get(&http.Client{Timeout: 10 * time.Second}, s.URL)
		if err != nil {
			body = err.Error()
		}
		result <- body
	}()
	<-started
	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		shut <- s.Shutdown(ctx)
	}()
	close(release)
	if body := <-result; body != "done" {
		t.Errorf("in-flight call got %q, want done", body)
	}
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if _, err := get(&http.Client{Timeout: 2 * time.Second}, s.URL); err == nil {
		t.Error("served after Shutdown")
	}
}
