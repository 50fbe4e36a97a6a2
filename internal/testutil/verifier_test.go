package testutil

import (
	"strings"
	"testing"
)

// The reference verifier's URL rule holds Amazon's own examples of valid
// and invalid certificate URLs (docs/alexa-contract.md §7.1), with its
// default configuration, and the same rules against a configured host and
// port.
func TestVerifier_CertURLRuleHoldsAmazonsExamples(t *testing.T) {
	valid := []string{
		"https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
		"https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
		"https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
		"HTTPS://s3.amazonaws.com/echo.api/echo-api-cert.pem",
		"https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
	}
	invalid := map[string]string{
		"http://s3.amazonaws.com/echo.api/echo-api-cert.pem":                  "scheme",
		"https://notamazon.com/echo.api/echo-api-cert.pem":                    "host",
		"https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem":                 "path",
		"https://s3.amazonaws.com/invalid.path/echo-api-cert.pem":             "path",
		"https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem": "path",
		"https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem":             "port",
		"https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem":    "host",
		"":                                  "missing",
		"https://s3.amazonaws.com":          "path",
		"https://s3.amazonaws.com/echo.api": "path",
	}
	var v Verifier
	for _, u := range valid {
		if err := v.checkURL(u); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	for u, rule := range invalid {
		if err := v.checkURL(u); err == nil || !strings.Contains(err.Error(), rule) {
			t.Errorf("%q: %v, want refused for its %s", u, err, rule)
		}
	}
	local := Verifier{Host: "127.0.0.1", Port: "8443"}
	if err := local.checkURL("https://127.0.0.1:8443/echo.api/x.pem"); err != nil {
		t.Error(err)
	}
	for _, u := range []string{"https://127.0.0.1/echo.api/x.pem", "https://127.0.0.1:443/echo.api/x.pem", "https://localhost:8443/echo.api/x.pem"} {
		if err := local.checkURL(u); err == nil {
			t.Errorf("%s accepted for 127.0.0.1:8443", u)
		}
	}
}
