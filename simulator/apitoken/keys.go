package apitoken

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"

	"github.com/golang-jwt/jwt/v5"
)

// GenerateKey returns a new RSA key of KeyBits bits.
func GenerateKey() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand.Reader, KeyBits)
}

// EncodeKeyPEM encodes key as a PKCS #8 "PRIVATE KEY" PEM block.
func EncodeKeyPEM(key *rsa.PrivateKey) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		// Cannot happen for a valid *rsa.PrivateKey.
		panic("apitoken: marshal RSA key: " + err.Error())
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// ParseKeyPEM decodes an RSA private key from PEM (PKCS #1 or PKCS #8). name
// is used in errors, e.g. the file name.
func ParseKeyPEM(data []byte, name string) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("%s: no PEM block found (want an RSA private key, e.g. from `asksim token keygen`)", name)
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		return k, nil
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("%s: key is %T, want RSA (apiAccessTokens are RS256)", name, k)
		}
		return rk, nil
	}
	return nil, fmt.Errorf("%s: PEM block is %q, want \"PRIVATE KEY\" or \"RSA PRIVATE KEY\"", name, block.Type)
}

// LoadKeyFile reads an RSA private key from a PEM file.
func LoadKeyFile(path string) (*rsa.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseKeyPEM(data, path)
}

// Keyfunc returns a jwt.Keyfunc that accepts tokens signed by pub. A token
// whose kid differs from kid is refused, so that a fake started with another
// key says so instead of reporting a bad signature.
func Keyfunc(pub *rsa.PublicKey, kid string) jwt.Keyfunc {
	return func(t *jwt.Token) (any, error) {
		if got, _ := t.Header["kid"].(string); got != kid {
			return nil, fmt.Errorf("unknown kid %q (this key has kid %q)", got, kid)
		}
		return pub, nil
	}
}

// JWK is one key of a JWKS document (RFC 7517).
type JWK struct {
	KeyType   string `json:"kty"`
	Use       string `json:"use"`
	Algorithm string `json:"alg"`
	KeyID     string `json:"kid"`
	N         string `json:"n"`
	E         string `json:"e"`
}

// JWKS is a JWK set document.
type JWKS struct {
	Keys []JWK `json:"keys"`
}

// JWKS returns the public key of s as a JWK set.
func (s *Signer) JWKS() JWKS {
	pub := s.key.PublicKey
	return JWKS{Keys: []JWK{{
		KeyType:   "RSA",
		Use:       "sig",
		Algorithm: "RS256",
		KeyID:     s.kid,
		N:         base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		E:         base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}}}
}

// Keyfunc returns a jwt.Keyfunc that picks the key named by a token's kid.
func (j JWKS) Keyfunc() (jwt.Keyfunc, error) {
	keys := map[string]*rsa.PublicKey{}
	for i, k := range j.Keys {
		if k.KeyType != "RSA" {
			return nil, fmt.Errorf("keys[%d]: kty %q, want RSA", i, k.KeyType)
		}
		n, err := base64.RawURLEncoding.DecodeString(k.N)
		if err != nil {
			return nil, fmt.Errorf("keys[%d].n: %v", i, err)
		}
		e, err := base64.RawURLEncoding.DecodeString(k.E)
		if err != nil {
			return nil, fmt.Errorf("keys[%d].e: %v", i, err)
		}
		keys[k.KeyID] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	return func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if k, ok := keys[kid]; ok {
			return k, nil
		}
		return nil, fmt.Errorf("unknown kid %q", kid)
	}, nil
}

// KeyFingerprint returns a short, stable fingerprint of a public key, for
// messages that must tell two keys apart without printing them.
func KeyFingerprint(pub *rsa.PublicKey) string {
	der, _ := x509.MarshalPKIXPublicKey(pub)
	sum := sha256.Sum256(der)
	return base64.RawURLEncoding.EncodeToString(sum[:8])
}
