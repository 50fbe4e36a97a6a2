package pki

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// A root, an intermediate below it and a leaf below that verify as a
// chain; the root's path length stops a second intermediate.
func TestIssue_ChainVerifiesAndPathLengthHolds(t *testing.T) {
	now := time.Now()
	rootKey, interKey, leafKey := newKey(t), newKey(t), newKey(t)
	root, err := Issue(CATemplate("root", now, time.Hour, 1), nil, &rootKey.PublicKey, rootKey)
	if err != nil {
		t.Fatal(err)
	}
	inter, err := Issue(CATemplate("inter", now, time.Hour, 0), root, &interKey.PublicKey, rootKey)
	if err != nil {
		t.Fatal(err)
	}
	leafTmpl := Template("leaf", now, time.Hour)
	leafTmpl.DNSNames = []string{"echo-api.amazon.com"}
	leaf, err := Issue(leafTmpl, inter, &leafKey.PublicKey, interKey)
	if err != nil {
		t.Fatal(err)
	}
	roots, inters := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(root)
	inters.AddCert(inter)
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inters, DNSName: "echo-api.amazon.com", KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		t.Fatalf("chain: %v", err)
	}
	if leaf.NotBefore.After(now.Add(-59*time.Minute)) || leaf.Subject.Organization[0] != Organization {
		t.Errorf("leaf: NotBefore %v, subject %v", leaf.NotBefore, leaf.Subject)
	}
	if root.Subject.String() == inter.Subject.String() || root.SerialNumber.Cmp(inter.SerialNumber) == 0 {
		t.Error("root and intermediate share a subject or serial")
	}

	// An intermediate below the path-length-0 one is refused.
	k2 := newKey(t)
	inter2, err := Issue(CATemplate("inter2", now, time.Hour, 0), inter, &k2.PublicKey, interKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf2, err := Issue(Template("leaf2", now, time.Hour), inter2, &leafKey.PublicKey, k2)
	if err != nil {
		t.Fatal(err)
	}
	inters.AddCert(inter2)
	if _, err := leaf2.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inters, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err == nil {
		t.Error("a chain longer than the root's path length verified")
	}
}

func TestPEM_OneBlockPerCertificateInOrder(t *testing.T) {
	k := newKey(t)
	a, _ := Issue(CATemplate("a", time.Now(), time.Hour, 0), nil, &k.PublicKey, k)
	b, _ := Issue(CATemplate("b", time.Now(), time.Hour, 0), nil, &k.PublicKey, k)
	rest := PEM(a, b)
	for _, want := range []*x509.Certificate{a, b} {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil || block.Type != "CERTIFICATE" || string(block.Bytes) != string(want.Raw) {
			t.Fatalf("block %v, want %s", block, want.Subject.CommonName)
		}
	}
	if len(rest) != 0 {
		t.Errorf("trailing %q", rest)
	}
}

func TestServerTemplate_Hosts(t *testing.T) {
	cases := []struct {
		host    string
		ips     int
		dnsName string
	}{
		{"", 2, ""},
		{"127.0.0.1", 2, ""},
		{"0.0.0.0", 2, ""},
		{"localhost", 2, ""},
		{"10.1.2.3", 3, ""},
		{"skill.test", 2, "skill.test"},
	}
	for _, c := range cases {
		tmpl := ServerTemplate("s", time.Now(), time.Hour, c.host)
		if len(tmpl.IPAddresses) != c.ips {
			t.Errorf("host %q: IPs %v", c.host, tmpl.IPAddresses)
		}
		if c.dnsName != "" && tmpl.DNSNames[len(tmpl.DNSNames)-1] != c.dnsName {
			t.Errorf("host %q: DNS names %v", c.host, tmpl.DNSNames)
		}
	}
}

// A client that trusts only the root talks to a server configured by
// ServerConfig over 127.0.0.1 and localhost.
func TestServerConfig_ClientTrustingRootConnects(t *testing.T) {
	k := newKey(t)
	root, err := Issue(CATemplate("root", time.Now(), time.Hour, 0), nil, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ServerConfig("test", "", time.Now(), time.Hour, root, k, root)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	srv.TLS = cfg
	srv.StartTLS()
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(root)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 5 * time.Second}
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	for _, host := range []string{"127.0.0.1", "localhost"} {
		resp, err := client.Get("https://" + net.JoinHostPort(host, port) + "/")
		if err != nil {
			t.Fatalf("%s: %v", host, err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.TLS.NegotiatedProtocol == "h2" {
			t.Errorf("%s: status %d, protocol %q", host, resp.StatusCode, resp.TLS.NegotiatedProtocol)
		}
	}
}
