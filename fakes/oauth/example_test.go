package oauth_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/asksim/asksim/fakes/oauth"
)

// The fake in a test: auto-approve as alice, follow the redirect's code to
// the token endpoint with HTTP Basic, as Alexa does, then read the log.
func Example() {
	cfg := oauth.DefaultConfig()
	cfg.AutoApprove = "alice"
	cfg.AccessTokenFormat = oauth.FormatOpaque
	srv, err := oauth.New(cfg)
	if err != nil {
		panic(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	redirect := "https://pitangui.amazon.com/api/skill/link/M2ASKSIMVENDOR"
	resp, err := client.Get(ts.URL + "/authorize?" + url.Values{
		"client_id": {"alexa-skill"}, "response_type": {"code"}, "state": {"xyz"},
		"scope": {"profile"}, "redirect_uri": {redirect},
	}.Encode())
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	fmt.Println(resp.StatusCode, loc.Host, loc.Query().Get("state"))

	form := url.Values{"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")}, "redirect_uri": {redirect}}
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("alexa-skill", "alexa-skill-secret")
	resp, err = client.Do(req)
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, strings.Contains(string(body), `"token_type":"Bearer","expires_in":3600`))

	for _, r := range srv.Requests() {
		fmt.Println(r.Method, r.Endpoint, r.ClientID, r.Grant, r.Outcome)
	}
	// Output:
	// 302 pitangui.amazon.com xyz
	// 200 true
	// GET /authorize alexa-skill code auto_approved
	// POST /token alexa-skill authorization_code ok
}

// The provider's API beside the OAuth endpoints: a token for alice reads
// her playlists; one granted without playlist-read-private is refused with
// the scope it lacks (RFC 6750 §3.1), and an expired one as invalid_token.
func ExampleServer_Resources() {
	cfg := oauth.DefaultConfig()
	cfg.AccessTokenFormat = oauth.FormatOpaque
	srv, err := oauth.New(cfg)
	if err != nil {
		panic(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	for _, r := range srv.Resources() {
		fmt.Println(r.Route(), "needs", r.Scope)
	}

	get := func(token string) {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/v1/me/playlists", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			fmt.Println(resp.StatusCode, strings.Contains(string(body), `"name":"Morning Run"`))
			return
		}
		fmt.Println(resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	all, _ := srv.IssueTokens("alice", "alexa-skill", nil)
	get(all.AccessToken)
	narrow, _ := srv.IssueTokens("alice", "alexa-skill", []string{"user-read-email"})
	get(narrow.AccessToken)
	srv.ExpireToken(all.AccessToken)
	get(all.AccessToken)
	// Output:
	// GET /v1/me/playlists needs playlist-read-private
	// GET /v1/me needs user-read-email
	// 200 true
	// 403 Bearer realm="asksim-oauth", error="insufficient_scope", error_description="GET /v1/me/playlists needs the scope playlist-read-private; the token has user-read-email", scope="playlist-read-private"
	// 401 Bearer realm="asksim-oauth", error="invalid_token", error_description="the access token expired"
}
