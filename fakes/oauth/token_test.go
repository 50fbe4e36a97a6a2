package oauth_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/oauth"
)

// bodyClient authenticates with credentials in the body.
func bodyClient(c *oauth.Config) {
	c.Clients = append(c.Clients, oauth.Client{ID: "body-skill", Secret: "body-secret", Scheme: oauth.SchemeRequestBody,
		RedirectURIs: []string{pitangui}, Scopes: []string{"profile"}})
}

func TestToken_B1_GetNotAllowed(t *testing.T) {
	e := newEnv(t)
	code := e.code(authQuery())
	res := e.get("/token?grant_type=authorization_code&code=" + code)
	wantError(t, res, http.StatusMethodNotAllowed, oauth.ErrorInvalidRequest)
	if res.header.Get("Allow") != "POST" {
		t.Errorf("Allow = %q, want POST", res.header.Get("Allow"))
	}
	wantStatus(t, e.exchange(code), http.StatusOK) // the GET did not burn the code
}

func TestToken_B2_SecretInQuery(t *testing.T) {
	e := newEnv(t, bodyClient)
	code := e.code(authQuery("client_id", "body-skill"))
	res := e.post("/token?client_secret=body-secret", form("grant_type", "authorization_code", "code", code, "redirect_uri", pitangui, "client_id", "body-skill"))
	wantError(t, res, http.StatusBadRequest, oauth.ErrorInvalidRequest)
}

func TestToken_B3_BasicAndBodySecret(t *testing.T) {
	e := newEnv(t)
	res := e.post("/token", form("grant_type", "authorization_code", "code", e.code(authQuery()), "redirect_uri", pitangui,
		"client_id", skillID, "client_secret", skillSec), skillAuth)
	wantError(t, res, http.StatusBadRequest, oauth.ErrorInvalidRequest)
}

func TestToken_B4_WrongBasicSecretChallenges(t *testing.T) {
	e := newEnv(t)
	res := e.post("/token", form("grant_type", "authorization_code", "code", e.code(authQuery()), "redirect_uri", pitangui), basic(skillID, "wrong"))
	wantError(t, res, http.StatusUnauthorized, oauth.ErrorInvalidClient)
	if ch := res.header.Get("WWW-Authenticate"); !strings.HasPrefix(ch, `Basic realm="`) {
		t.Errorf("WWW-Authenticate = %q, want a Basic realm challenge", ch)
	}
}

func TestToken_B5_BadBodyCredentials(t *testing.T) {
	e := newEnv(t, bodyClient)
	for name, f := range map[string][]string{
		"wrong secret":   {"client_id", "body-skill", "client_secret", "wrong"},
		"unknown client": {"client_id", "nobody", "client_secret", "body-secret"},
		"no secret":      {"client_id", "body-skill"},
		"nothing":        {},
	} {
		t.Run(name, func(t *testing.T) {
			kv := append([]string{"grant_type", "authorization_code", "code", "x", "redirect_uri", pitangui}, f...)
			wantError(t, e.post("/token", form(kv...)), http.StatusUnauthorized, oauth.ErrorInvalidClient)
		})
	}
}

func TestToken_B6_SchemeMustMatchRegistration(t *testing.T) {
	e := newEnv(t, bodyClient)
	res := e.post("/token", form("grant_type", "authorization_code", "code", e.code(authQuery()), "redirect_uri", pitangui,
		"client_id", skillID, "client_secret", skillSec))
	wantError(t, res, http.StatusUnauthorized, oauth.ErrorInvalidClient)

	code := e.code(authQuery("client_id", "body-skill"))
	res = e.post("/token", form("grant_type", "authorization_code", "code", code, "redirect_uri", pitangui), basic("body-skill", "body-secret"))
	wantError(t, res, http.StatusUnauthorized, oauth.ErrorInvalidClient)
}

func TestToken_B7_BasicCredentialsFormDecoded(t *testing.T) {
	weird := oauth.Client{ID: "a b", Secret: "x+y:z", Scheme: oauth.SchemeHTTPBasic, RedirectURIs: []string{pitangui}, Scopes: []string{"profile"}}
	e := newEnv(t, addClient(weird))
	code := e.code(authQuery("client_id", "a b"))
	wantError(t, e.post("/token", form("grant_type", "authorization_code", "code", code, "redirect_uri", pitangui), rawBasic("a b:x+y:z")),
		http.StatusUnauthorized, oauth.ErrorInvalidClient)
	code = e.code(authQuery("client_id", "a b"))
	wantStatus(t, e.post("/token", form("grant_type", "authorization_code", "code", code, "redirect_uri", pitangui), basic("a b", "x+y:z")), http.StatusOK)

	weird.RawBasicCredentials = true
	raw := newEnv(t, addClient(weird))
	code = raw.code(authQuery("client_id", "a b"))
	wantError(t, raw.post("/token", form("grant_type", "authorization_code", "code", code, "redirect_uri", pitangui), basic("a b", "x+y:z")),
		http.StatusUnauthorized, oauth.ErrorInvalidClient)
	code = raw.code(authQuery("client_id", "a b"))
	wantStatus(t, raw.post("/token", form("grant_type", "authorization_code", "code", code, "redirect_uri", pitangui), rawBasic("a b:x+y:z")), http.StatusOK)
}

func TestToken_B8_MalformedBasic(t *testing.T) {
	e := newEnv(t)
	for name, h := range map[string]string{
		"bad base64": "Basic !!!not-base64",
		"no colon":   "Basic " + base64.StdEncoding.EncodeToString([]byte("alexa-skill")),
		"bad escape": "Basic " + base64.StdEncoding.EncodeToString([]byte("alexa-skill:%zz")),
		"no scheme":  base64.StdEncoding.EncodeToString([]byte("alexa-skill:alexa-skill-secret")),
	} {
		t.Run(name, func(t *testing.T) {
			res := e.post("/token", form("grant_type", "refresh_token", "refresh_token", "x"), func(r *http.Request) { r.Header.Set("Authorization", h) })
			wantError(t, res, http.StatusUnauthorized, oauth.ErrorInvalidClient)
		})
	}
}

func TestToken_B9_JSONBodyRejected(t *testing.T) {
	e := newEnv(t)
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/token", strings.NewReader(`{"grant_type":"authorization_code","code":"`+e.code(authQuery())+`"}`))
	req.Header.Set("Content-Type", "application/json")
	skillAuth(req)
	wantError(t, e.do(req), http.StatusBadRequest, oauth.ErrorInvalidRequest)
}

func TestToken_B10_GrantType(t *testing.T) {
	e := newEnv(t)
	wantError(t, e.post("/token", form("code", "x"), skillAuth), http.StatusBadRequest, oauth.ErrorInvalidRequest)
	wantError(t, e.post("/token", form("grant_type", "foo"), skillAuth), http.StatusBadRequest, oauth.ErrorUnsupportedGrantType)
	wantError(t, e.post("/token", form("grant_type", "password", "username", "alice", "password", "alice-password"), skillAuth), http.StatusBadRequest, oauth.ErrorUnsupportedGrantType)
	wantError(t, e.post("/token", form("grant_type", "client_credentials"), skillAuth), http.StatusBadRequest, oauth.ErrorUnauthorizedClient)
}

func TestToken_C1_CodeReplayRevokesTokens(t *testing.T) {
	e := newEnv(t)
	code := e.code(authQuery())
	first := e.exchange(code)
	wantStatus(t, first, http.StatusOK)
	at, rt := first.str(t, "access_token"), first.str(t, "refresh_token")
	if e.introspect(at)["active"] != true {
		t.Fatal("fresh access token inactive")
	}
	wantError(t, e.exchange(code), http.StatusBadRequest, oauth.ErrorInvalidGrant)
	if info := e.introspect(at); info["active"] != false {
		t.Errorf("access token still active after code replay: %v", info)
	}
	wantError(t, e.refresh(rt), http.StatusBadRequest, oauth.ErrorInvalidGrant)
}

func TestToken_C2_CodeExpires(t *testing.T) {
	e := newEnv(t)
	code := e.code(authQuery())
	e.clock.Add(59 * time.Second)
	wantStatus(t, e.exchange(code), http.StatusOK)

	code = e.code(authQuery())
	e.clock.Add(60 * time.Second)
	wantError(t, e.exchange(code), http.StatusBadRequest, oauth.ErrorInvalidGrant)

	long := newEnv(t, func(c *oauth.Config) { c.CodeTTL = 10 * time.Minute })
	code = long.code(authQuery())
	long.clock.Add(9 * time.Minute)
	wantStatus(t, long.exchange(code), http.StatusOK)
}

func TestToken_C3_CodeOfAnotherClient(t *testing.T) {
	e := newEnv(t, addClient(oauth.Client{ID: "other", Secret: "other-secret", Scheme: oauth.SchemeHTTPBasic, RedirectURIs: []string{pitangui}, Scopes: []string{"profile"}}))
	res := e.post("/token", form("grant_type", "authorization_code", "code", e.code(authQuery()), "redirect_uri", pitangui), basic("other", "other-secret"))
	wantError(t, res, http.StatusBadRequest, oauth.ErrorInvalidGrant)
}

func TestToken_C4_RedirectURIMismatch(t *testing.T) {
	e := newEnv(t)
	wantError(t, e.exchange(e.code(authQuery()), "redirect_uri", layla), http.StatusBadRequest, oauth.ErrorInvalidGrant)
	wantError(t, e.exchange(e.code(authQuery()), "redirect_uri", ""), http.StatusBadRequest, oauth.ErrorInvalidGrant)
}

func TestToken_C5_UnknownOrMissingCode(t *testing.T) {
	e := newEnv(t)
	wantError(t, e.exchange("no-such-code"), http.StatusBadRequest, oauth.ErrorInvalidGrant)
	wantError(t, e.exchange("", "code", ""), http.StatusBadRequest, oauth.ErrorInvalidRequest)
}

func TestToken_C6_ConcurrentRedemptionsOneWins(t *testing.T) {
	e := newEnv(t)
	for round := 0; round < 10; round++ {
		code := e.code(authQuery())
		statuses := make([]int, 2)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/token",
					strings.NewReader(form("grant_type", "authorization_code", "code", code, "redirect_uri", pitangui).Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				skillAuth(req)
				resp, err := e.http.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				statuses[i] = resp.StatusCode
			}()
		}
		close(start)
		wg.Wait()
		ok, bad := 0, 0
		for _, s := range statuses {
			switch s {
			case http.StatusOK:
				ok++
			case http.StatusBadRequest:
				bad++
			}
		}
		if ok != 1 || bad != 1 {
			t.Fatalf("round %d: statuses %v, want one 200 and one 400", round, statuses)
		}
	}
}

func TestToken_C7_CodesAndTokensHave128BitsOrMore(t *testing.T) {
	e := newEnv(t, func(c *oauth.Config) { c.AccessTokenFormat = oauth.FormatOpaque })
	seen := map[string]bool{}
	for i := 0; i < 20; i++ {
		code := e.code(authQuery())
		res := e.exchange(code)
		for _, v := range []string{code, res.str(t, "access_token"), res.str(t, "refresh_token")} {
			raw, err := base64.RawURLEncoding.DecodeString(v)
			if err != nil || len(raw) < 16 {
				t.Fatalf("value %q: %d bytes (%v), want >= 16 random bytes", v, len(raw), err)
			}
			if seen[v] {
				t.Fatalf("value %q issued twice", v)
			}
			seen[v] = true
		}
	}
}

func TestPKCE_D1_ChallengeWithoutVerifier(t *testing.T) {
	e := newEnv(t)
	code := e.code(authQuery("code_challenge", challenge, "code_challenge_method", "S256"))
	wantError(t, e.exchange(code), http.StatusBadRequest, oauth.ErrorInvalidGrant)
}

func TestPKCE_D2_WrongVerifierOrPaddedChallenge(t *testing.T) {
	e := newEnv(t)
	code := e.code(authQuery("code_challenge", challenge, "code_challenge_method", "S256"))
	wantError(t, e.exchange(code, "code_verifier", strings.Repeat("a", 43)), http.StatusBadRequest, oauth.ErrorInvalidGrant)

	code = e.code(authQuery("code_challenge", challenge+"=", "code_challenge_method", "S256"))
	wantError(t, e.exchange(code, "code_verifier", verifier), http.StatusBadRequest, oauth.ErrorInvalidGrant)

	code = e.code(authQuery("code_challenge", challenge, "code_challenge_method", "S256"))
	wantStatus(t, e.exchange(code, "code_verifier", verifier), http.StatusOK)
}

func TestPKCE_D3_VerifierWithoutChallengeIsDowngrade(t *testing.T) {
	e := newEnv(t)
	wantError(t, e.exchange(e.code(authQuery()), "code_verifier", verifier), http.StatusBadRequest, oauth.ErrorInvalidGrant)
}

func TestPKCE_D4_VerifierFormat(t *testing.T) {
	e := newEnv(t)
	for name, v := range map[string]string{
		"42 chars":  strings.Repeat("a", 42),
		"129 chars": strings.Repeat("a", 129),
		"bad char":  strings.Repeat("a", 42) + "+",
		"space":     strings.Repeat("a", 42) + " ",
	} {
		t.Run(name, func(t *testing.T) {
			// The challenge matches the verifier, so only its format can fail.
			code := e.code(authQuery("code_challenge", s256(v), "code_challenge_method", "S256"))
			wantError(t, e.exchange(code, "code_verifier", v), http.StatusBadRequest, oauth.ErrorInvalidGrant)
		})
	}
	v := strings.Repeat("a", 128)
	code := e.code(authQuery("code_challenge", s256(v), "code_challenge_method", "S256"))
	wantStatus(t, e.exchange(code, "code_verifier", v), http.StatusOK)
}

func TestRefresh_E1_GarbageExpiredRevoked(t *testing.T) {
	e := newEnv(t, func(c *oauth.Config) { c.RefreshTokenTTL = time.Hour })
	wantError(t, e.refresh("garbage"), http.StatusBadRequest, oauth.ErrorInvalidGrant)

	at, rt := e.tokens()
	wantError(t, e.refresh(at), http.StatusBadRequest, oauth.ErrorInvalidGrant) // an access token is no refresh token

	_, revoked := e.tokens()
	wantStatus(t, e.post("/revoke", form("token", revoked), skillAuth), http.StatusOK)
	wantError(t, e.refresh(revoked), http.StatusBadRequest, oauth.ErrorInvalidGrant)

	e.clock.Add(time.Hour)
	wantError(t, e.refresh(rt), http.StatusBadRequest, oauth.ErrorInvalidGrant)
}

func TestRefresh_E2_OtherClientsToken(t *testing.T) {
	e := newEnv(t, addClient(oauth.Client{ID: "other", Secret: "other-secret", Scheme: oauth.SchemeHTTPBasic, RedirectURIs: []string{pitangui}, Scopes: []string{"profile"}}))
	_, rt := e.tokens()
	wantError(t, e.refresh(rt, basic("other", "other-secret")), http.StatusBadRequest, oauth.ErrorInvalidGrant)
	wantStatus(t, e.refresh(rt), http.StatusOK) // still the owner's
}

func TestRefresh_E3_ScopeNarrowingOnly(t *testing.T) {
	e := newEnv(t)
	res := e.exchange(e.code(authQuery("scope", "profile user-read-email")))
	rt := res.str(t, "refresh_token")
	wantError(t, e.post("/token", form("grant_type", "refresh_token", "refresh_token", rt, "scope", "profile playlist-read-private"), skillAuth),
		http.StatusBadRequest, oauth.ErrorInvalidScope)
	narrow := e.post("/token", form("grant_type", "refresh_token", "refresh_token", rt, "scope", "user-read-email"), skillAuth)
	wantStatus(t, narrow, http.StatusOK)
	if got := narrow.str(t, "scope"); got != "user-read-email" {
		t.Errorf("scope = %q, want user-read-email", got)
	}
	if got := e.introspect(narrow.str(t, "access_token"))["scope"]; got != "user-read-email" {
		t.Errorf("introspected scope = %v, want user-read-email", got)
	}
	// The new refresh token keeps the original grant (RFC 6749 §6).
	if got := e.refresh(narrow.str(t, "refresh_token")).str(t, "scope"); got != "profile user-read-email" {
		t.Errorf("scope after refreshing without scope = %q, want the original grant", got)
	}
}

func TestRefresh_E4_ReplayRevokesFamily(t *testing.T) {
	e := newEnv(t)
	_, rt1 := e.tokens()
	second := e.refresh(rt1)
	wantStatus(t, second, http.StatusOK)
	at2, rt2 := second.str(t, "access_token"), second.str(t, "refresh_token")
	if rt2 == rt1 || rt2 == "" {
		t.Fatalf("refresh token not rotated: %q", rt2)
	}
	wantError(t, e.refresh(rt1), http.StatusBadRequest, oauth.ErrorInvalidGrant)
	wantError(t, e.refresh(rt2), http.StatusBadRequest, oauth.ErrorInvalidGrant)
	if info := e.introspect(at2); info["active"] != false {
		t.Errorf("newest access token active after replay: %v", info)
	}
}

func TestRefresh_E5_GraceWindowIsIdempotent(t *testing.T) {
	e := newEnv(t, editClient(func(c *oauth.Client) { c.RefreshGraceWindow = 10 * time.Second }))
	_, rt1 := e.tokens()
	first := e.refresh(rt1)
	wantStatus(t, first, http.StatusOK)
	e.clock.Add(10 * time.Second)
	retry := e.refresh(rt1)
	wantStatus(t, retry, http.StatusOK)
	if retry.str(t, "access_token") != first.str(t, "access_token") || retry.str(t, "refresh_token") != first.str(t, "refresh_token") {
		t.Errorf("retry within grace got a different pair")
	}
	e.clock.Add(time.Second)
	wantError(t, e.refresh(rt1), http.StatusBadRequest, oauth.ErrorInvalidGrant)
	wantError(t, e.refresh(first.str(t, "refresh_token")), http.StatusBadRequest, oauth.ErrorInvalidGrant)
}

func TestRefresh_RotationOff(t *testing.T) {
	off := false
	e := newEnv(t, editClient(func(c *oauth.Client) { c.RotateRefreshTokens = &off }))
	at1, rt := e.tokens()
	for i := 0; i < 2; i++ {
		res := e.refresh(rt)
		wantStatus(t, res, http.StatusOK)
		if got := res.str(t, "refresh_token"); got != rt {
			t.Fatalf("refresh token changed with rotation off")
		}
	}
	if e.introspect(at1)["active"] != true {
		t.Error("refreshing revoked the earlier access token")
	}
}

func TestToken_G1_SuccessResponseShape(t *testing.T) {
	e := newEnv(t)
	res := e.exchange(e.code(authQuery()))
	wantStatus(t, res, http.StatusOK)
	h := res.header
	if h.Get("Content-Type") != "application/json" || h.Get("Cache-Control") != "no-store" || h.Get("Pragma") != "no-cache" {
		t.Errorf("headers: Content-Type %q, Cache-Control %q, Pragma %q", h.Get("Content-Type"), h.Get("Cache-Control"), h.Get("Pragma"))
	}
	m := res.json(t)
	if m["token_type"] != "Bearer" || m["access_token"] == "" || m["refresh_token"] == "" || m["scope"] != "profile" {
		t.Errorf("body %s", res.body)
	}
	if !strings.Contains(string(res.body), `"expires_in":3600,`) {
		t.Errorf("expires_in is not the integer 3600: %s", res.body)
	}

	omit := newEnv(t, editClient(func(c *oauth.Client) { c.OmitExpiresIn = true }))
	if m := omit.exchange(omit.code(authQuery())).json(t); m["expires_in"] != nil {
		t.Errorf("OmitExpiresIn: expires_in = %v", m["expires_in"])
	}
}

func TestToken_G2_ErrorBodiesUseRFCCodes(t *testing.T) {
	e := newEnv(t)
	rfc := map[string]bool{"invalid_request": true, "invalid_client": true, "invalid_grant": true, "unauthorized_client": true,
		"unsupported_grant_type": true, "invalid_scope": true}
	tricky := form("grant_type", "authorization_code", "code", "x")
	tricky.Add(`we"ird\param`, "1")
	tricky.Add(`we"ird\param`, "2")
	for _, res := range []result{
		e.post("/token", tricky, skillAuth),
		e.exchange("nope"),
		e.post("/token", form("grant_type", "foo"), skillAuth),
		e.post("/token", form("grant_type", "refresh_token", "refresh_token", "x"), basic(skillID, "no")),
	} {
		code := res.str(t, "error")
		if !rfc[code] {
			t.Errorf("error %q is not an RFC 6749 §5.2 code", code)
		}
		wantError(t, res, res.status, code) // checks the description's characters
	}
}
