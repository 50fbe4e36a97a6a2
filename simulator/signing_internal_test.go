package simulator

import (
	"crypto/ecdsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"testing"
)

// The request signer writes ordinary ECDSA signatures: crypto/ecdsa verifies
// every one, over both digests, and only over the body signed.
func TestRequestSignaturesVerify(t *testing.T) {
	s, err := processSigner()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		body := []byte{byte(i), byte(i >> 8), 'x'}
		d256 := sha256.Sum256(body)
		d1 := sha1.Sum(body)
		sig256, sig1, err := s.sign(body)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			digest []byte
			sig    string
		}{{d256[:], sig256}, {d1[:], sig1}} {
			raw, err := base64.StdEncoding.DecodeString(c.sig)
			if err != nil || !ecdsa.VerifyASN1(&s.key.PublicKey, c.digest, raw) {
				t.Fatalf("signature %d does not verify (%v)", i, err)
			}
		}
		wrong := sha256.Sum256(append(body, '!'))
		raw, _ := base64.StdEncoding.DecodeString(sig256)
		if ecdsa.VerifyASN1(&s.key.PublicKey, wrong[:], raw) {
			t.Fatal("a signature verifies over another body")
		}
	}
}
