package oauth_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/asksim/asksim/fakes/oauth"
)

const (
	lwaID     = "amzn1.application-oa2-client.asksim"
	lwaSecret = "asksim-lwa-secret"
)

func (e *env) postJSON(path, body string) result {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return e.do(req)
}

func TestLWA_AuthCodeOverJSONAsAskCLI(t *testing.T) {
	e := newEnv(t)
	code, err := e.srv.IssueCode("alice", lwaID, "http://127.0.0.1:9090/cb", []string{"alexa::ask:skills:readwrite"})
	if err != nil {
		t.Fatal(err)
	}
	res := e.postJSON("/auth/o2/token", `{"grant_type":"authorization_code","code":"`+code+`","redirect_uri":"http://127.0.0.1:9090/cb","client_id":"`+lwaID+`","client_secret":"`+lwaSecret+`"}`)
	wantStatus(t, res, http.StatusOK)
	m := res.json(t)
	at, rt := m["access_token"].(string), m["refresh_token"].(string)
	if !strings.HasPrefix(at, "Atza|") || len(at) < 350 || len(at) > 2048 || !strings.HasPrefix(rt, "Atzr|") {
		t.Errorf("tokens %.20s… (%d chars), %.20s…", at, len(at), rt)
	}
	if m["token_type"] != "bearer" || m["expires_in"] != float64(3600) {
		t.Errorf("body %s", res.body)
	}
	// Refresh the way the Node SDK does: form body, path in another case.
	res = e.post("/auth/O2/token", form("grant_type", "refresh_token", "refresh_token", rt, "client_id", lwaID, "client_secret", lwaSecret))
	wantStatus(t, res, http.StatusOK)
	if !strings.HasPrefix(res.str(t, "refresh_token"), "Atzr|") {
		t.Errorf("refresh answer %s", res.body)
	}
}

func TestLWA_ClientCredentialsWithBasic(t *testing.T) {
	e := newEnv(t)
	res := e.post("/auth/o2/token", form("grant_type", "client_credentials", "scope", "alexa:skill_messaging"), basic(lwaID, lwaSecret))
	wantStatus(t, res, http.StatusOK)
	m := res.json(t)
	if m["refresh_token"] != nil || m["scope"] != "alexa:skill_messaging" || !strings.HasPrefix(m["access_token"].(string), "Atza|") {
		t.Errorf("body %s", res.body)
	}
	// A skill-credentials token has no user: /user/profile refuses it.
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/user/profile", nil)
	req.Header.Set("Authorization", "Bearer "+m["access_token"].(string))
	wantStatus(t, e.do(req), http.StatusUnauthorized)
}

func TestLWA_ErrorBodiesInAmazonWording(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name   string
		res    result
		status int
		body   string
	}{
		{"bad code", e.post("/auth/o2/token", form("grant_type", "authorization_code", "code", "nope", "client_id", lwaID, "client_secret", lwaSecret)),
			400, `{"error_description":"The request has an invalid grant parameter : code","error":"invalid_grant"}`},
		{"bad refresh token", e.postJSON("/auth/o2/token", `{"grant_type":"refresh_token","refresh_token":"Atzr|nope","client_id":"`+lwaID+`","client_secret":"`+lwaSecret+`"}`),
			400, `{"error_description":"The request has an invalid grant parameter : refresh_token. User may have revoked or didn't grant the permission.","error":"invalid_grant"}`},
		{"bad secret", e.post("/auth/o2/token", form("grant_type", "client_credentials", "client_id", lwaID, "client_secret", "no")),
			401, `{"error_description":"Client authentication failed","error":"invalid_client"}`},
		{"grant not enabled", e.post("/auth/o2/token", form("grant_type", "client_credentials"), skillAuth),
			400, `{"error_description":"Not authorized for requested operation","error":"unauthorized_client"}`},
		{"unknown grant", e.post("/auth/o2/token", form("grant_type", "foo", "client_id", lwaID, "client_secret", lwaSecret)),
			400, `{"error_description":"The authorization grant type is not supported by the authorization server","error":"unsupported_grant_type"}`},
	}
	for _, c := range cases {
		if c.res.status != c.status || strings.TrimSpace(string(c.res.body)) != c.body {
			t.Errorf("%s: %d %s\nwant %d %s", c.name, c.res.status, c.res.body, c.status, c.body)
		}
		if !strings.HasPrefix(c.res.header.Get("x-amzn-ErrorType"), "OA2") {
			t.Errorf("%s: x-amzn-ErrorType %q", c.name, c.res.header.Get("x-amzn-ErrorType"))
		}
	}
}

func TestLWA_FailedExchangeBurnsCode(t *testing.T) {
	e := newEnv(t)
	code, _ := e.srv.IssueCode("alice", lwaID, "http://127.0.0.1:9090/cb", nil)
	wantStatus(t, e.post("/auth/o2/token", form("grant_type", "authorization_code", "code", code, "redirect_uri", "http://wrong/", "client_id", lwaID, "client_secret", lwaSecret)), 400)
	wantStatus(t, e.post("/auth/o2/token", form("grant_type", "authorization_code", "code", code, "redirect_uri", "http://127.0.0.1:9090/cb", "client_id", lwaID, "client_secret", lwaSecret)), 400)
}

func TestLWA_ProfileAndTokenInfo(t *testing.T) {
	e := newEnv(t)
	code, _ := e.srv.IssueCode("alice", lwaID, "http://127.0.0.1:9090/cb", []string{"profile"})
	at := e.post("/auth/o2/token", form("grant_type", "authorization_code", "code", code, "redirect_uri", "http://127.0.0.1:9090/cb",
		"client_id", lwaID, "client_secret", lwaSecret)).str(t, "access_token")
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/user/profile", nil)
	req.Header.Set("Authorization", "Bearer "+at)
	res := e.do(req)
	wantStatus(t, res, http.StatusOK)
	m := res.json(t)
	if id, _ := m["user_id"].(string); !strings.HasPrefix(id, "amzn1.account.") || m["name"] != "Alice Example" || m["email"] != "alice@example.com" {
		t.Errorf("profile %s", res.body)
	}
	info := e.get("/auth/o2/tokeninfo?access_token=" + strings.ReplaceAll(at, "|", "%7C"))
	wantStatus(t, info, http.StatusOK)
	if info.json(t)["aud"] != lwaID || info.json(t)["user_id"] != m["user_id"] {
		t.Errorf("tokeninfo %s", info.body)
	}
	wantStatus(t, e.get("/auth/o2/tokeninfo?access_token=Atza|nope"), http.StatusBadRequest)

	toks, _ := e.srv.IssueTokens("bob", lwaID, []string{"profile:user_id"})
	req.Header.Set("Authorization", "Bearer "+toks.AccessToken)
	if m := e.do(req).json(t); len(m) != 1 || m["user_id"] == nil {
		t.Errorf("profile:user_id answer %v, want only user_id", m)
	}
}

func TestLWA_AccountLinkingEndpointStaysStrict(t *testing.T) {
	// The same JSON body is refused by /token (row B9) but accepted by LWA.
	e := newEnv(t)
	body := `{"grant_type":"client_credentials","client_id":"` + lwaID + `","client_secret":"` + lwaSecret + `"}`
	wantError(t, e.postJSON("/token", body), http.StatusBadRequest, oauth.ErrorInvalidRequest)
	wantStatus(t, e.postJSON("/auth/o2/token", body), http.StatusOK)
}
