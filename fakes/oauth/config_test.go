package oauth_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/oauth"
)

func TestConfig_DefaultMatchesIssue(t *testing.T) {
	cfg := oauth.DefaultConfig()
	c := cfg.Clients[0]
	if c.ID != "alexa-skill" || c.Secret != "alexa-skill-secret" || c.Scheme != oauth.SchemeHTTPBasic {
		t.Errorf("client %+v", c)
	}
	want := []string{
		"https://pitangui.amazon.com/api/skill/link/M2ASKSIMVENDOR",
		"https://layla.amazon.com/api/skill/link/M2ASKSIMVENDOR",
		"https://alexa.amazon.co.jp/api/skill/link/M2ASKSIMVENDOR",
	}
	if strings.Join(c.RedirectURIs, " ") != strings.Join(want, " ") {
		t.Errorf("redirect URIs %v", c.RedirectURIs)
	}
	if c.RawBasicCredentials || c.RefreshGraceWindow != 0 || c.OmitExpiresIn || c.RotateRefreshTokens != nil || c.AllowImplicit || c.AllowPlainPKCE {
		t.Errorf("default client is not strict: %+v", c)
	}
	users := map[string]oauth.User{}
	for _, u := range cfg.Users {
		users[u.Username] = u
	}
	if a := users["alice"]; a.Password != "alice-password" || a.Claims["name"] != "Alice Example" || a.Claims["email"] != "alice@example.com" {
		t.Errorf("alice %+v", a)
	}
	if b := users["bob"]; b.Password != "bob-password" || b.Claims["name"] != "Bob Example" || b.Claims["email"] != nil {
		t.Errorf("bob %+v", b)
	}
	if cfg.CodeTTL != 60*time.Second || cfg.AccessTokenTTL != time.Hour || cfg.AccessTokenFormat != "jwt" {
		t.Errorf("lifetimes %v %v %q", cfg.CodeTTL, cfg.AccessTokenTTL, cfg.AccessTokenFormat)
	}
}

func TestConfig_LoadConfigFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "oauth.json")
	data := `{"code_ttl":"2m","clients":[{"id":"c","secret":"s","scheme":"REQUEST_BODY_CREDENTIALS","redirect_uris":["https://x.test/cb"],
"refresh_grace_window":"30s","rotate_refresh_tokens":false}],"users":[{"username":"u","password":"p"}]}`
	os.WriteFile(path, []byte(data), 0o600)
	cfg, err := oauth.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.Clients[0]
	if cfg.CodeTTL != 2*time.Minute || c.RefreshGraceWindow != 30*time.Second || c.RotateRefreshTokens == nil || *c.RotateRefreshTokens {
		t.Errorf("config %+v, client %+v", cfg, c)
	}
	if _, err := oauth.LoadConfig(filepath.Join(t.TempDir(), "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("missing file: %v", err)
	}
}

func TestConfig_ErrorsNameFileLineAndField(t *testing.T) {
	client := `{"id":"c","secret":"s","scheme":"HTTP_BASIC","redirect_uris":["https://x.test/cb"]}`
	for _, c := range []struct{ data, want string }{
		{"{\n  \"clients\": [\n    {\"id\": \"c\",}\n  ]\n}", "f.json:3: invalid JSON"},
		{"{\n  \"clients\": [],\n  \"colour\": 1\n}", `f.json:3: unknown field "colour"`},
		{"{\n  \"code_ttl\": 60\n}", "f.json:2: field code_ttl: got JSON number, want string"},
		{`{"code_ttl":"soon","clients":[` + client + `]}`, `f.json: code_ttl: "soon" is not a duration`},
		{`{"code_ttl":"11m","clients":[` + client + `]}`, "f.json: code TTL 11m0s exceeds the 10m0s cap"},
		{`{"clients":[{"id":"x","secret":"s","scheme":"FOO"}]}`, `f.json: client "x": scheme "FOO" not HTTP_BASIC or REQUEST_BODY_CREDENTIALS`},
		{`{"clients":[` + client + `,` + client + `]}`, `f.json: client "c": configured twice`},
		{`{"clients":[{"id":"x","secret":"s","scheme":"HTTP_BASIC","redirect_uris":["/relative"]}]}`, `client "x": redirect URI "/relative" is not an absolute URL`},
		{`{"clients":[{"id":"x","secret":"s","scheme":"HTTP_BASIC","redirect_uris":["https://a/#f"]}]}`, `has a fragment`},
		{`{"clients":[{"id":"x","secret":"s","scheme":"HTTP_BASIC","redirect_uris":["https://a/"],"grants":["password"]}]}`, `client "x": grant "password"`},
		{`{"clients":[{"id":"x","secret":"s","scheme":"HTTP_BASIC","redirect_uris":["https://a/"],"refresh_grace_window":"x"}]}`, `f.json: clients[0].refresh_grace_window`},
		{`{"clients":[` + client + `],"auto_approve":"carol"}`, `auto-approve user "carol" is not configured`},
		{`{"clients":[` + client + `],"users":[{"username":"u","password":""}]}`, `user "u": empty password`},
		{`{"clients":[` + client + `]} {}`, "f.json:1: unexpected data after"},
		{``, "f.json: empty file"},
	} {
		_, err := oauth.ParseConfig([]byte(c.data), "f.json")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseConfig(%q) = %v, want an error containing %q", c.data, err, c.want)
		}
	}
}

func TestConfig_NewValidates(t *testing.T) {
	cfg := oauth.DefaultConfig()
	cfg.Clients[0].Scheme = "FOO"
	_, err := oauth.New(cfg)
	if err == nil || err.Error() != `oauth: client "alexa-skill": scheme "FOO" not HTTP_BASIC or REQUEST_BODY_CREDENTIALS` {
		t.Errorf("New = %v", err)
	}
	cfg = oauth.DefaultConfig()
	cfg.AccessTokenFormat = "paseto"
	if _, err := oauth.New(cfg); err == nil || !strings.Contains(err.Error(), "paseto") {
		t.Errorf("New = %v", err)
	}
}

// With DeferKey no key is made until asked for: PrepareKey starts it (once,
// however often called), and a request that needs one makes it itself.
func TestDeferKey(t *testing.T) {
	cfg := oauth.DefaultConfig()
	cfg.DeferKey = true
	for _, prepare := range []bool{true, false} {
		s, err := oauth.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if prepare {
			s.PrepareKey()
			s.PrepareKey()
		}
		pub, kid, err := s.PublicKey()
		if err != nil || pub == nil || pub.N.BitLen() != 2048 || kid == "" {
			t.Errorf("prepare=%v: key %v, kid %q, %v", prepare, pub != nil, kid, err)
		}
	}
}
