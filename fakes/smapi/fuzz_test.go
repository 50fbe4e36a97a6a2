package smapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzServeHTTP sends arbitrary methods, paths, headers and bodies: the
// fake must answer every one with a request id, never a 5xx, and a JSON
// body on every error.
func FuzzServeHTTP(f *testing.F) {
	for _, seed := range []struct{ method, path, ifMatch, body string }{
		{"GET", "/v1/vendors", "", ""},
		{"PUT", "/v1/skills/" + skillA + "/stages/development/interactionModel/locales/en-US", "x", `{"interactionModel":{"languageModel":{"invocationName":"a"}}}`},
		{"PUT", "/v1/skills/" + skillA + "/stages/development/manifest", "", `{"manifest":{}}`},
		{"PUT", "/v1/skills/" + skillA + "/stages/development/accountLinkingClient", "", `{"accountLinkingRequest":{"type":"AUTH_CODE"}}`},
		{"POST", "/v2/skills/" + skillA + "/stages/development/simulations", "", `{"input":{"content":"hi"},"device":{"locale":"en-US"},"session":{"mode":"FORCE_NEW_SESSION"}}`},
		{"POST", "/v1/skills/" + skillA + "/invocations", "", `{"endpointRegion":"NA","skillRequest":{"body":{}}}`},
		{"GET", "/v1/skills?vendorId=M2ASKSIMVENDOR&nextToken=YXNrc2ltOjE&maxResults=1", "", ""},
		{"GET", "/v1/skills/%zz/status?resource=manifest", "", ""},
		{"DELETE", "/v1/skills/" + skillA + "/stages/live/enablement", "*", "null"},
	} {
		f.Add(seed.method, seed.path, seed.ifMatch, seed.body)
	}
	e := newEnv(f)
	f.Fuzz(func(t *testing.T, method, path, ifMatch, body string) {
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		req, err := http.NewRequest(method, "http://fake"+path, strings.NewReader(body))
		if err != nil {
			return // not a request net/http would deliver
		}
		req.Header.Set("Authorization", "Bearer "+e.token)
		req.Header.Set("If-Match", ifMatch)
		w := httptest.NewRecorder()
		start := time.Now()
		e.api.ServeHTTP(w, req)
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("%s %s %q took %s", method, path, body, d)
		}
		if w.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", method, path, body, w.Code, w.Body)
		}
		if len(w.Header()["x-amzn-RequestId"]) != 1 { // set under the exact spelling; Get canonicalises
			t.Fatalf("%s %s: no request id", method, path)
		}
		if w.Code >= 400 && method != http.MethodHead && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%s %s: error %d without a JSON body: %q", method, path, w.Code, w.Body)
		}
	})
}
