package smapi

import (
	"net/http"
	"strings"
)

// WithLWA serves SMAPI's paths (/v0/…, /v1/…, /v2/…) with smapi and every
// other path with lwa. The ASK CLI joins LWA's paths to the root of
// ASK_LWA_TOKEN_HOST and ASK_LWA_AUTHORIZE_HOST, dropping any prefix, while
// SMAPI's paths start with a version (docs/smapi-contract.md §1.1 and
// §5.13): one address can serve both.
func WithLWA(smapi, lwa http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isSMAPIPath(r.URL.Path) {
			smapi.ServeHTTP(w, r)
			return
		}
		lwa.ServeHTTP(w, r)
	})
}

func isSMAPIPath(p string) bool {
	for _, v := range []string{"/v0", "/v1", "/v2"} {
		if rest, ok := strings.CutPrefix(p, v); ok && (rest == "" || rest[0] == '/') {
			return true
		}
	}
	return false
}
