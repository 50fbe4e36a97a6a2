package oauth

import (
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	oauthfixture "github.com/asksim/asksim/fixtures/oauth"
	"github.com/asksim/asksim/internal/jsondiag"
	"github.com/asksim/asksim/internal/jsonlimit"
)

// Lifetimes applied by New when the Config leaves them zero.
const (
	DefaultCodeTTL        = 60 * time.Second
	MaxCodeTTL            = 600 * time.Second // RFC 6749 §4.1.2: "maximum lifetime of 10 minutes"
	DefaultAccessTokenTTL = 3600 * time.Second
)

// Bounds applied by New when the Config leaves them zero: a fake serving
// for days holds no more than one serving for a minute.
const (
	DefaultMaxLoggedRequests = 10000
	DefaultMaxTokens         = 10000
)

// Config describes the authorization server: who may log in, which clients
// exist, and how long things live. The zero value of every optional field is
// the strict, documented default.
type Config struct {
	// Issuer is the server's base URL, used in discovery documents and as
	// the iss of JWT access tokens. When empty it is derived from each
	// request's Host (http, or https under TLS), so httptest servers work
	// without knowing their port in advance.
	Issuer string

	Clients []Client
	Users   []User
	// Resources are protected resources served beside the OAuth
	// endpoints, read with the access tokens this server issues.
	Resources []Resource

	// CodeTTL is how long an authorization code may wait to be redeemed.
	// Defaults to 60s; more than 600s is rejected.
	CodeTTL time.Duration
	// AccessTokenTTL defaults to 3600s.
	AccessTokenTTL time.Duration
	// RefreshTokenTTL is 0 for refresh tokens that never expire.
	RefreshTokenTTL time.Duration

	// AccessTokenFormat is "jwt" (RS256, key in /jwks.json; the default)
	// or "opaque". The LWA endpoint always issues opaque Atza| tokens.
	AccessTokenFormat string

	// AutoApprove, when set to a configured username, skips the login page:
	// every valid authorization request is approved at once as that user.
	// Meant for headless runs.
	AutoApprove string

	// SigningKey signs JWT access tokens. When nil, New starts generating
	// a 2048-bit key in the background, so that no token request waits
	// for it.
	SigningKey *rsa.PrivateKey
	// DeferKey, with SigningKey nil, leaves the key to be made when
	// PrepareKey is called or a request first needs it, for a caller that
	// knows whether any will: a 2048-bit key costs a tenth of a second of
	// CPU, a tenth of a short test run that links no account.
	DeferKey bool

	// Now is the clock; defaults to time.Now. Tests inject a fake clock to
	// expire codes and tokens.
	Now func() time.Time

	// Logf, when set, receives one redacted line per request.
	Logf func(format string, args ...any)

	// MaxLoggedRequests bounds Requests: older entries are dropped.
	// Defaults to DefaultMaxLoggedRequests.
	MaxLoggedRequests int
	// MaxTokens bounds the codes, and separately the tokens, held at once.
	// Expired and revoked ones are forgotten anyway; past MaxTokens live
	// ones, the oldest are forgotten first (rotated-out refresh tokens
	// before any other) and then answer as unknown, and Logf hears of it.
	// Defaults to DefaultMaxTokens.
	MaxTokens int
}

// Client is a registered OAuth client (for Alexa: the skill's account-linking
// settings). Every switch that loosens behaviour is off by default.
type Client struct {
	ID     string
	Secret string
	// Scheme is Alexa's accessTokenScheme: "HTTP_BASIC" (credentials in the
	// Authorization header) or "REQUEST_BODY_CREDENTIALS". The /token
	// endpoint rejects the other one with invalid_client.
	Scheme string
	// RedirectURIs are compared byte for byte (RFC 9700 §4.1.3).
	RedirectURIs []string
	// CodePageRedirectURIs are registered redirect URIs that Login with
	// Amazon's /ap/oa never redirects to: it shows the code (in the element
	// with id "authorization-code") or the error on a page of its own
	// instead. For pages a browser cannot load offline, such as
	// ASKCLINoBrowserRedirectURI. Each must also be in RedirectURIs.
	CodePageRedirectURIs []string
	// Scopes the client may request; an authorization request without a
	// scope is granted all of them.
	Scopes []string
	// Grants defaults to authorization_code and refresh_token; add
	// client_credentials for LWA-style skill credentials.
	Grants []string
	// PKCE is "optional" (the default) or "required".
	PKCE string
	// AllowPlainPKCE accepts code_challenge_method=plain (RFC 7636 §4.2).
	AllowPlainPKCE bool
	// AllowImplicit allows response_type=token (RFC 6749 §4.2).
	AllowImplicit bool

	// RawBasicCredentials takes the Basic user and password as they are,
	// instead of form-decoding them first as RFC 6749 §2.3.1 requires.
	RawBasicCredentials bool
	// RefreshGraceWindow lets a rotated-out refresh token be replayed for
	// this long, answering the same successor pair (Alexa retries). Zero
	// means any replay revokes the whole token family.
	RefreshGraceWindow time.Duration
	// OmitExpiresIn leaves expires_in out of token responses, so clients
	// fall back to their default lifetime.
	OmitExpiresIn bool
	// RotateRefreshTokens: nil (the default) or true issues a new refresh
	// token on every refresh and invalidates the old one; false keeps the
	// refresh token for the family's life.
	RotateRefreshTokens *bool
}

// User is a person who can log in on the login page.
type User struct {
	Username string
	Password string
	// Claims are answered by /userinfo. sub defaults to Username and name
	// to Username; email is only present when set.
	Claims map[string]any
}

// Protocol words used in configuration.
const (
	SchemeHTTPBasic   = "HTTP_BASIC"
	SchemeRequestBody = "REQUEST_BODY_CREDENTIALS"

	GrantAuthorizationCode = "authorization_code"
	GrantRefreshToken      = "refresh_token"
	GrantClientCredentials = "client_credentials"

	PKCEOptional = "optional"
	PKCERequired = "required"

	FormatJWT    = "jwt"
	FormatOpaque = "opaque"
)

// DefaultConfig returns the configuration in fixtures/oauth/default.json.
func DefaultConfig() Config {
	cfg, err := ParseConfig(oauthfixture.Default, "fixtures/oauth/default.json")
	if err != nil {
		// The file is embedded and covered by tests; failing here is a build defect.
		panic(err)
	}
	return cfg
}

// DefaultLWAConfig returns the configuration in fixtures/oauth/lwa.json:
// Login with Amazon as the ASK CLI meets it, with the developer account
// "developer" (password "developer-password") and the client
// LWAClientID (secret LWAClientSecret) registered for the CLI's two redirect
// URIs and every SMAPI scope.
func DefaultLWAConfig() Config {
	cfg, err := ParseConfig(oauthfixture.LWA, "fixtures/oauth/lwa.json")
	if err != nil {
		panic(err) // embedded and tested, as DefaultConfig
	}
	return cfg
}

// The developer account and ASK CLI client of DefaultLWAConfig.
const (
	LWADeveloper         = "developer"
	LWADeveloperPassword = "developer-password"
	LWAClientID          = "amzn1.application-oa2-client.asksim-ask-cli"
	LWAClientSecret      = "asksim-ask-cli-secret"
)

// LoadConfig reads a JSON configuration file (see fixtures/oauth/default.json).
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("oauth config: %w", err)
	}
	return ParseConfig(data, path)
}

// fileConfig is the JSON shape of Config: durations are strings such as
// "60s" or "1h" so that files stay readable.
type fileConfig struct {
	Issuer            string         `json:"issuer"`
	CodeTTL           string         `json:"code_ttl"`
	AccessTokenTTL    string         `json:"access_token_ttl"`
	RefreshTokenTTL   string         `json:"refresh_token_ttl"`
	AccessTokenFormat string         `json:"access_token_format"`
	AutoApprove       string         `json:"auto_approve"`
	Clients           []fileClient   `json:"clients"`
	Users             []fileUser     `json:"users"`
	Resources         []fileResource `json:"resources"`
}

type fileResource struct {
	Method string                     `json:"method"`
	Path   string                     `json:"path"`
	Scope  string                     `json:"scope"`
	Status int                        `json:"status"`
	Body   json.RawMessage            `json:"body"`
	Users  map[string]json.RawMessage `json:"users"`
}

type fileClient struct {
	ID                  string   `json:"id"`
	Secret              string   `json:"secret"`
	Scheme              string   `json:"scheme"`
	RedirectURIs        []string `json:"redirect_uris"`
	CodePageURIs        []string `json:"code_page_redirect_uris"`
	Scopes              []string `json:"scopes"`
	Grants              []string `json:"grants"`
	PKCE                string   `json:"pkce"`
	AllowPlainPKCE      bool     `json:"allow_plain_pkce"`
	AllowImplicit       bool     `json:"allow_implicit"`
	RawBasicCredentials bool     `json:"raw_basic_credentials"`
	RefreshGraceWindow  string   `json:"refresh_grace_window"`
	OmitExpiresIn       bool     `json:"omit_expires_in"`
	RotateRefreshTokens *bool    `json:"rotate_refresh_tokens"`
}

type fileUser struct {
	Username string         `json:"username"`
	Password string         `json:"password"`
	Claims   map[string]any `json:"claims"`
}

// ParseConfig decodes a JSON configuration; name (usually the file path)
// prefixes every error, together with the line or field at fault.
func ParseConfig(data []byte, name string) (Config, error) {
	// User claims take any JSON; nothing a configuration needs nests deep.
	var de *jsonlimit.DepthError
	if err := jsonlimit.CheckDepth(data, jsonlimit.DefaultMaxDepth); errors.As(err, &de) {
		return Config{}, fmt.Errorf("%s:%d: JSON nests arrays and objects deeper than %d levels", name, de.Line, de.Max)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var fc fileConfig
	if err := dec.Decode(&fc); err != nil {
		return Config{}, jsonError(name, data, dec, err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		line, _ := jsondiag.LineCol(data, dec.InputOffset())
		return Config{}, fmt.Errorf("%s:%d: unexpected data after the configuration object", name, line)
	}
	cfg := Config{
		Issuer:            fc.Issuer,
		AccessTokenFormat: fc.AccessTokenFormat,
		AutoApprove:       fc.AutoApprove,
	}
	durations := []struct {
		field string
		text  string
		dst   *time.Duration
	}{
		{"code_ttl", fc.CodeTTL, &cfg.CodeTTL},
		{"access_token_ttl", fc.AccessTokenTTL, &cfg.AccessTokenTTL},
		{"refresh_token_ttl", fc.RefreshTokenTTL, &cfg.RefreshTokenTTL},
	}
	for _, d := range durations {
		if err := parseDuration(d.text, d.dst); err != nil {
			return Config{}, fmt.Errorf("%s: %s: %w", name, d.field, err)
		}
	}
	for i, c := range fc.Clients {
		client := Client{
			ID: c.ID, Secret: c.Secret, Scheme: c.Scheme,
			RedirectURIs: c.RedirectURIs, CodePageRedirectURIs: c.CodePageURIs, Scopes: c.Scopes, Grants: c.Grants,
			PKCE: c.PKCE, AllowPlainPKCE: c.AllowPlainPKCE, AllowImplicit: c.AllowImplicit,
			RawBasicCredentials: c.RawBasicCredentials, OmitExpiresIn: c.OmitExpiresIn,
			RotateRefreshTokens: c.RotateRefreshTokens,
		}
		if err := parseDuration(c.RefreshGraceWindow, &client.RefreshGraceWindow); err != nil {
			return Config{}, fmt.Errorf("%s: clients[%d].refresh_grace_window: %w", name, i, err)
		}
		cfg.Clients = append(cfg.Clients, client)
	}
	for _, u := range fc.Users {
		cfg.Users = append(cfg.Users, User(u))
	}
	for _, r := range fc.Resources {
		cfg.Resources = append(cfg.Resources, Resource(r))
	}
	if err := cfg.validate(); err != nil {
		return Config{}, fmt.Errorf("%s: %w", name, err)
	}
	return cfg, nil
}

func parseDuration(text string, dst *time.Duration) error {
	if text == "" {
		return nil
	}
	d, err := time.ParseDuration(text)
	if err != nil {
		return fmt.Errorf("%q is not a duration like \"60s\" or \"1h\"", text)
	}
	*dst = d
	return nil
}

// jsonError turns a decoding error into "name:line: message".
func jsonError(name string, data []byte, dec *json.Decoder, err error) error {
	p := jsondiag.Explain(data, err, dec.InputOffset())
	msg := p.Msg
	if p.Field != "" {
		msg = "field " + p.Field + ": " + msg
	}
	if p.Offset < 0 {
		return fmt.Errorf("%s: %s", name, msg)
	}
	line, _ := jsondiag.LineCol(data, p.Offset)
	return fmt.Errorf("%s:%d: %s", name, line, msg)
}

// validate reports the first problem, naming the client, user or field.
func (c *Config) validate() error {
	if c.Issuer != "" {
		u, err := url.Parse(c.Issuer)
		if err != nil || !u.IsAbs() || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("issuer %q is not an absolute URL without query or fragment", c.Issuer)
		}
	}
	switch {
	case c.CodeTTL < 0:
		return fmt.Errorf("code TTL %v is negative", c.CodeTTL)
	case c.CodeTTL > MaxCodeTTL:
		return fmt.Errorf("code TTL %v exceeds the %v cap (RFC 6749 §4.1.2)", c.CodeTTL, MaxCodeTTL)
	case c.AccessTokenTTL < 0:
		return fmt.Errorf("access token TTL %v is negative", c.AccessTokenTTL)
	case c.RefreshTokenTTL < 0:
		return fmt.Errorf("refresh token TTL %v is negative", c.RefreshTokenTTL)
	case c.MaxLoggedRequests < 0:
		return fmt.Errorf("MaxLoggedRequests %d is negative", c.MaxLoggedRequests)
	case c.MaxTokens < 0:
		return fmt.Errorf("MaxTokens %d is negative", c.MaxTokens)
	}
	switch c.AccessTokenFormat {
	case "", FormatJWT, FormatOpaque:
	default:
		return fmt.Errorf("access token format %q not %q or %q", c.AccessTokenFormat, FormatJWT, FormatOpaque)
	}
	if len(c.Clients) == 0 {
		return errors.New("no clients configured")
	}
	seen := map[string]bool{}
	for i := range c.Clients {
		cl := &c.Clients[i]
		if cl.ID == "" {
			return fmt.Errorf("client #%d: empty id", i+1)
		}
		if seen[cl.ID] {
			return fmt.Errorf("client %q: configured twice", cl.ID)
		}
		seen[cl.ID] = true
		if err := cl.validate(); err != nil {
			return fmt.Errorf("client %q: %w", cl.ID, err)
		}
	}
	users := map[string]bool{}
	for i, u := range c.Users {
		switch {
		case u.Username == "":
			return fmt.Errorf("user #%d: empty username", i+1)
		case users[u.Username]:
			return fmt.Errorf("user %q: configured twice", u.Username)
		case u.Password == "":
			return fmt.Errorf("user %q: empty password", u.Username)
		}
		for _, k := range []string{"sub", "name", "email"} {
			if v, ok := u.Claims[k]; ok {
				if s, isString := v.(string); !isString || s == "" {
					return fmt.Errorf("user %q: claim %q must be a non-empty string", u.Username, k)
				}
			}
		}
		users[u.Username] = true
	}
	if c.AutoApprove != "" && !users[c.AutoApprove] {
		return fmt.Errorf("auto-approve user %q is not configured", c.AutoApprove)
	}
	return c.validateResources()
}

func (c *Client) validate() error {
	if c.Secret == "" {
		return errors.New("empty secret (every client is confidential)")
	}
	if c.Scheme != SchemeHTTPBasic && c.Scheme != SchemeRequestBody {
		return fmt.Errorf("scheme %q not %s or %s", c.Scheme, SchemeHTTPBasic, SchemeRequestBody)
	}
	for _, raw := range c.RedirectURIs {
		u, err := url.Parse(raw)
		if err != nil || !u.IsAbs() || u.Host == "" {
			return fmt.Errorf("redirect URI %q is not an absolute URL", raw)
		}
		if strings.Contains(raw, "#") {
			return fmt.Errorf("redirect URI %q has a fragment (RFC 6749 §3.1.2)", raw)
		}
	}
	for _, raw := range c.CodePageRedirectURIs {
		if !slices.Contains(c.RedirectURIs, raw) {
			return fmt.Errorf("code page redirect URI %q is not among the redirect URIs", raw)
		}
	}
	for _, g := range c.Grants {
		switch g {
		case GrantAuthorizationCode, GrantRefreshToken, GrantClientCredentials:
		default:
			return fmt.Errorf("grant %q not %s, %s or %s", g, GrantAuthorizationCode, GrantRefreshToken, GrantClientCredentials)
		}
	}
	for _, s := range c.Scopes {
		if s == "" || strings.ContainsAny(s, " \"\\") {
			return fmt.Errorf("scope %q is not a scope token (RFC 6749 §3.3)", s)
		}
	}
	switch c.PKCE {
	case "", PKCEOptional, PKCERequired:
	default:
		return fmt.Errorf("pkce %q not %q or %q", c.PKCE, PKCEOptional, PKCERequired)
	}
	if c.RefreshGraceWindow < 0 {
		return fmt.Errorf("refresh grace window %v is negative", c.RefreshGraceWindow)
	}
	if c.AllowImplicit && len(c.RedirectURIs) == 0 || c.allows(GrantAuthorizationCode) && len(c.RedirectURIs) == 0 {
		return errors.New("no redirect URIs for a browser-based grant")
	}
	return nil
}

// allows reports whether the client may use grant (defaults applied).
func (c *Client) allows(grant string) bool {
	grants := c.Grants
	if len(grants) == 0 {
		grants = []string{GrantAuthorizationCode, GrantRefreshToken}
	}
	for _, g := range grants {
		if g == grant {
			return true
		}
	}
	return false
}

func (c *Client) rotates() bool { return c.RotateRefreshTokens == nil || *c.RotateRefreshTokens }
