package apitoken_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/asksim/asksim/simulator/apitoken"
)

// TestDecode_DeepNesting: a token whose claims nest past 64 levels is
// malformed, with the part and the line, before it is decoded.
func TestDecode_DeepNesting(t *testing.T) {
	claims := base64.RawURLEncoding.EncodeToString([]byte(`{"a":` + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + `}`))
	_, err := apitoken.Decode("e30." + claims + ".")
	if !errors.Is(err, apitoken.ErrMalformed) || !strings.Contains(err.Error(), "part 2: JSON nests arrays and objects deeper than 64 levels (line 1, byte 69)") {
		t.Fatalf("Decode = %v, want ErrMalformed naming part 2 and the depth", err)
	}
}
