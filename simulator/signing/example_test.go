package signing_test

import (
	"fmt"
	"log"
	"net/http"
	"net/url"

	"github.com/asksim/asksim/simulator/signing"
)

// An Authority signs a body as Alexa does; a verifier configured with its
// root (CertPool, RootPEM) and its URL's host and port checks it, and the
// faults make requests that verifier must refuse.
func Example() {
	a, err := signing.New(signing.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()
	body := []byte(`{"version":"1.0","request":{"type":"LaunchRequest","timestamp":"2026-01-02T03:04:05Z"}}`)
	h := http.Header{}
	if err := a.Sign(h, body, signing.FaultNone); err != nil {
		log.Fatal(err)
	}
	u, _ := url.Parse(a.CertURL())
	fmt.Println(len(h.Get(signing.HeaderSignature256)), u.Scheme, u.Hostname())
	fmt.Println(a.Chain()[0].DNSNames)

	bad, _ := url.Parse(a.CertURLFor(signing.FaultCertURLScheme))
	fmt.Println(bad.Scheme, bad.Host == u.Host, bad.Path == u.Path)
	// Output:
	// 344 https 127.0.0.1
	// [echo-api.amazon.com]
	// http true true
}
