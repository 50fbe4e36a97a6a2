package serve_test

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"

	"github.com/asksim/asksim/fakes/serve"
)

// The persistent CA is made once and kept: the skill under test trusts its
// certificate file (REQUESTS_CA_BUNDLE, NODE_EXTRA_CA_CERTS), and every
// later run serves the fakes with certificates it signs.
func ExampleLoadOrCreateCA() {
	dir, err := os.MkdirTemp("", "asksim-ca")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ca, created, err := serve.LoadOrCreateCA(dir)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(created, filepath.Base(ca.CertFile()))

	srv, err := serve.Start(http.NotFoundHandler(), serve.Options{CA: ca})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	fmt.Println(srv.URL[:len("https://127.0.0.1:")])

	_, created, _ = serve.LoadOrCreateCA(dir)
	fmt.Println(created)
	// Output:
	// true rootCA.pem
	// https://127.0.0.1:
	// false
}
