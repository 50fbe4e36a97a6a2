package oauth

import (
	"crypto/sha256"
	"strings"
	"testing"
)

// TestSecret_B11_ConstantTimeDigestCompare checks the comparison works on
// digests, so inputs of any length cost the same single 32-byte compare.
// (Timing itself is not measurable reliably in a unit test; the code uses
// crypto/subtle over SHA-256 digests.)
func TestSecret_B11_ConstantTimeDigestCompare(t *testing.T) {
	want := sha256.Sum256([]byte("alexa-skill-secret"))
	for secret, ok := range map[string]bool{
		"alexa-skill-secret":       true,
		"alexa-skill-secreT":       false,
		"alexa-skill-secret ":      false,
		"":                         false,
		strings.Repeat("a", 1<<16): false,
	} {
		if got := equalSecret(want, secret); got != ok {
			t.Errorf("equalSecret(%.20q) = %v, want %v", secret, got, ok)
		}
	}
}

func TestToken_C7_RandomTokenLength(t *testing.T) {
	if n := len(randomToken()); n != 43 { // 32 bytes base64url: 256 bits
		t.Errorf("random token has %d characters, want 43", n)
	}
}
