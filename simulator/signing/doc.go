// Package signing signs requests to a skill as Alexa does, with a
// certificate chain a skill's own verifier can be pointed at.
//
// Alexa signs the exact body of every request with the key of a
// certificate for echo-api.amazon.com: RSA PKCS #1 v1.5 over SHA-256 in
// Signature-256, over SHA-1 in the legacy Signature header, and names the
// chain's PEM file in SignatureCertChainUrl (docs/alexa-contract.md §1,
// §7.1). An Authority does the same with a chain of its own: a root CA
// made for it, an intermediate and an echo-api.amazon.com leaf, all
// RSA-2048, served over HTTPS on loopback.
//
// No SDK verifier accepts those requests: they require the URL to be
// https://s3.amazonaws.com/echo.api/… and the chain to reach a public root
// (docs/request-signing.md). A verifier that takes the allowed scheme, host
// and port and its trusted roots from configuration can: give it CertURL's
// host and port and Root (RootPEM, WriteRootFile). The faults (Fault) then
// make requests it must refuse: a tampered body, a stale timestamp and
// certificate URLs that each break one of Amazon's rules.
package signing
