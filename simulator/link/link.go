package link

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"
)

// TokenTimeout is how long Alexa waits for the access-token URI before
// giving up on a link or refresh (docs/alexa-contract.md §8.3).
const TokenTimeout = 4500 * time.Millisecond

// Account-linking defaults.
const (
	// DefaultVendorID is the vendor id in asksim's redirect URIs; the OAuth
	// fake registers it.
	DefaultVendorID = "M2ASKSIMVENDOR"
	// DefaultPageTimeout bounds each request for a login page.
	DefaultPageTimeout = 10 * time.Second
	// DefaultTokenLifetime stands in for the skill's
	// defaultTokenExpirationInSeconds when a token response has no
	// expires_in.
	DefaultTokenLifetime = time.Hour
	// MinAccessTokenLifetime is the shortest expires_in Alexa accepts.
	MinAccessTokenLifetime = 360 * time.Second
)

// Token endpoint client authentication (Alexa's accessTokenScheme).
const (
	SchemeBasic = "basic" // HTTP_BASIC: Authorization: Basic
	SchemeBody  = "body"  // REQUEST_BODY_CREDENTIALS: client_id and client_secret in the form
)

// DefaultRegion is the region whose redirect URI Config uses when it names
// none.
const DefaultRegion = "NA"

// Alexa's redirect URI hosts per region (docs/alexa-contract.md §8.2).
var linkRedirectHosts = map[string]string{
	"NA": "pitangui.amazon.com",
	"EU": "layla.amazon.com",
	"FE": "alexa.amazon.co.jp",
}

// RedirectURI returns Alexa's account-linking redirect URI for a
// region (NA, EU or FE) and vendor id.
func RedirectURI(region, vendorID string) (string, error) {
	host, ok := linkRedirectHosts[strings.ToUpper(strings.TrimSpace(region))]
	if !ok {
		return "", fmt.Errorf("unknown region %q (valid: NA, EU, FE)", region)
	}
	return "https://" + host + "/api/skill/link/" + vendorID, nil
}

// Config is a skill's account-linking configuration, as entered in the
// developer console, plus the person who logs in.
type Config struct {
	AuthorizationURL string
	TokenURL         string
	ClientID         string
	ClientSecret     string
	// Scheme is "basic" (the default; Alexa's HTTP_BASIC) or "body"
	// (REQUEST_BODY_CREDENTIALS). The console names are accepted too.
	Scheme string
	Scopes []string

	Username string
	Password string
	// UsernameField and PasswordField name the login form's inputs;
	// default "username" and "password".
	UsernameField string
	PasswordField string

	// VendorID and Region choose Alexa's redirect URI; default
	// DefaultVendorID and "NA". RedirectURI overrides both.
	VendorID    string
	Region      string
	RedirectURI string

	// PKCE sends an S256 code_challenge and the code_verifier.
	PKCE bool

	// HTTPClient makes the requests; its Jar and CheckRedirect are replaced
	// on a copy. Defaults to a client over http.DefaultTransport.
	HTTPClient *http.Client
	// Timeout bounds each token request; defaults to TokenTimeout,
	// which is also the latency limit the report holds the server to.
	Timeout time.Duration
	// PageTimeout bounds each login page request; defaults to
	// DefaultPageTimeout.
	PageTimeout time.Duration
	// DefaultLifetime is used when a token response has no expires_in;
	// defaults to DefaultTokenLifetime.
	DefaultLifetime time.Duration
	// Now is the clock that times the token endpoint and expires tokens;
	// defaults to time.Now.
	Now func() time.Time
}

// ConfigError is a Config mistake; Field names the field at fault.
type ConfigError struct {
	Field string
	Msg   string
}

func (e *ConfigError) Error() string { return "link config: " + e.Field + ": " + e.Msg }

// ErrFailed is wrapped by the error Run and CompleteManual return when
// a rule failed; the result's report says which.
var ErrFailed = errors.New("account linking failed")

// Result is the outcome of linking.
type Result struct {
	// Account is the linked account, nil when no access token was obtained.
	Account *Account
	Report  *Report
}

func (c Config) normalized() (Config, error) {
	bad := func(field, format string, a ...any) (Config, error) {
		return Config{}, &ConfigError{Field: field, Msg: fmt.Sprintf(format, a...)}
	}
	for _, f := range []struct{ name, val string }{{"AuthorizationURL", c.AuthorizationURL}, {"TokenURL", c.TokenURL}} {
		if f.val == "" {
			return bad(f.name, "required")
		}
		u, err := url.Parse(f.val)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return bad(f.name, "%q is not an absolute http(s) URL", f.val)
		}
		if u.Fragment != "" {
			return bad(f.name, "%q must not have a fragment", f.val)
		}
	}
	if c.ClientID == "" {
		return bad("ClientID", "required")
	}
	switch strings.ToLower(c.Scheme) {
	case "", SchemeBasic, "http_basic":
		c.Scheme = SchemeBasic
	case SchemeBody, "request_body_credentials":
		c.Scheme = SchemeBody
	default:
		return bad("Scheme", "%q is neither %q nor %q", c.Scheme, SchemeBasic, SchemeBody)
	}
	for _, s := range c.Scopes {
		if s == "" || strings.ContainsAny(s, " \t\"\\") {
			return bad("Scopes", "%q is not a scope token (RFC 6749 §3.3)", s)
		}
	}
	if c.UsernameField == "" {
		c.UsernameField = "username"
	}
	if c.PasswordField == "" {
		c.PasswordField = "password"
	}
	if c.VendorID == "" {
		c.VendorID = DefaultVendorID
	}
	if c.Region == "" {
		c.Region = DefaultRegion
	}
	if c.RedirectURI == "" {
		ru, err := RedirectURI(c.Region, c.VendorID)
		if err != nil {
			return bad("Region", "%v", err)
		}
		c.RedirectURI = ru
	} else if u, err := url.Parse(c.RedirectURI); err != nil || !u.IsAbs() || u.Host == "" {
		return bad("RedirectURI", "%q is not an absolute URL", c.RedirectURI)
	}
	if c.Timeout <= 0 {
		c.Timeout = TokenTimeout
	}
	if c.PageTimeout <= 0 {
		c.PageTimeout = DefaultPageTimeout
	}
	if c.DefaultLifetime <= 0 {
		c.DefaultLifetime = DefaultTokenLifetime
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	base := c.HTTPClient
	if base == nil {
		base = &http.Client{}
	}
	client := *base
	jar, _ := cookiejar.New(nil) // never fails without options
	client.Jar = jar
	// The linker follows redirects itself: it must stop at Alexa's
	// redirect_uri without requesting it, and stay on the server's origin.
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.HTTPClient = &client
	return c, nil
}

// AuthorizationRequest builds the URL Alexa opens in the Alexa app's
// browser, with a fresh state and, with PKCE, a fresh code verifier.
func AuthorizationRequest(cfg Config) (authURL, state, verifier string, err error) {
	c, err := cfg.normalized()
	if err != nil {
		return "", "", "", err
	}
	return c.authorizationRequest()
}

func (c Config) authorizationRequest() (authURL, state, verifier string, err error) {
	u, _ := url.Parse(c.AuthorizationURL) // checked by normalized
	// 256 bits: RFC 6749 §10.10 asks for at least 128.
	state = randomToken()
	q := u.Query()
	q.Set("client_id", c.ClientID)
	q.Set("response_type", "code")
	q.Set("state", state)
	if len(c.Scopes) > 0 {
		q.Set("scope", strings.Join(c.Scopes, " "))
	}
	q.Set("redirect_uri", c.RedirectURI)
	if c.PKCE {
		verifier = randomToken() // 43 characters of [A-Za-z0-9-_], RFC 7636 §4.1
		q.Set("code_challenge", pkceChallenge(verifier))
		q.Set("code_challenge_method", "S256")
	}
	// Encode escapes spaces as +; Alexa's captured URLs use %20, which every
	// server decodes alike and which keeps the scope readable in logs.
	u.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
	return u.String(), state, verifier, nil
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

func pkceChallenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// Run links an account as Alexa does: it opens the authorization URL,
// logs in through the login form, stops at the redirect to Alexa's
// redirect_uri, redeems the code and refreshes the tokens once. The report
// holds every rule checked.
//
// The error is a *ConfigError for a bad configuration (and the result
// nil), the context's error if ctx ends, or wraps ErrFailed when a rule
// failed; then the result holds the report, and the tokens if the server
// issued any.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	c, err := cfg.normalized()
	if err != nil {
		return nil, err
	}
	authURL, state, verifier, _ := c.authorizationRequest()
	r := c.newRun(authURL)
	redirect, err := r.browse(ctx, authURL)
	if err != nil {
		return nil, err
	}
	if redirect != nil {
		if err := r.complete(ctx, redirect, state, verifier); err != nil {
			return nil, err
		}
	}
	return r.result(false)
}

// CompleteManual finishes a link that a person started in a browser: given
// the URL the browser was sent to (pasted from the address bar) and the
// state and verifier of AuthorizationRequest, it makes the same checks as
// Run from the redirect on.
func CompleteManual(ctx context.Context, cfg Config, redirectURL, state, verifier string) (*Result, error) {
	c, err := cfg.normalized()
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(strings.TrimSpace(redirectURL))
	if err != nil || !u.IsAbs() {
		return nil, fmt.Errorf("pasted redirect URL %q is not an absolute URL", redirectURL)
	}
	authURL, _ := url.Parse(c.AuthorizationURL)
	q := authURL.Query()
	q.Set("state", state)
	authURL.RawQuery = q.Encode()
	r := c.newRun(authURL.String())
	r.checkTransport()
	if !r.isRedirectURI(u) {
		r.rep.add(RuleAuthorizeRedir, false, nil, "the pasted URL %s is not Alexa's redirect_uri %s", r.red.url(u), c.RedirectURI)
		return r.result(true)
	}
	r.rep.add(RuleAuthorizeRedir, true, nil, "the browser was sent to Alexa's redirect_uri")
	if err := r.complete(ctx, u, state, verifier); err != nil {
		return nil, err
	}
	return r.result(true)
}

// attempt is one linking attempt and its report.
type attempt struct {
	cfg     Config
	rep     *Report
	red     *redactor
	account *Account
}

func (c Config) newRun(authURL string) *attempt {
	red := newRedactor(c.PasswordField)
	red.secret(c.Password, c.ClientSecret)
	return &attempt{
		cfg: c,
		red: red,
		rep: &Report{AuthorizationURL: authURL, RedirectURI: c.RedirectURI},
	}
}

func (r *attempt) result(manual bool) (*Result, error) {
	r.rep.finish(manual)
	res := &Result{Account: r.account, Report: r.rep}
	for _, c := range r.rep.Checks {
		if c.Status == Fail {
			return res, fmt.Errorf("%w: %s: %s", ErrFailed, c.Rule, c.Message)
		}
	}
	return res, nil
}

func (r *attempt) checkTransport() {
	var plain []string
	for _, s := range []string{r.cfg.AuthorizationURL, r.cfg.TokenURL} {
		u, _ := url.Parse(s)
		if u.Scheme != "https" || (u.Port() != "" && u.Port() != "443") {
			plain = append(plain, u.Scheme+"://"+u.Host)
		}
	}
	if len(plain) > 0 {
		r.rep.add(RuleHTTPS, false, nil, "%s: Alexa requires HTTPS on port 443 with a certificate from an Amazon-approved CA", strings.Join(dedupe(plain), ", "))
		return
	}
	r.rep.add(RuleHTTPS, true, nil, "both URLs are https on port 443")
}

func dedupe(s []string) []string {
	var out []string
	for _, x := range s {
		if len(out) == 0 || out[len(out)-1] != x {
			out = append(out, x)
		}
	}
	return out
}

// exchange is one HTTP round trip, kept as evidence.
type exchange struct {
	req     *http.Request
	form    url.Values
	resp    *http.Response
	body    []byte
	elapsed time.Duration
}

func (r *attempt) evidence(x *exchange) *Evidence {
	if x == nil || x.req == nil {
		return nil
	}
	ev := &Evidence{Request: &EvidenceRequest{Method: x.req.Method, URL: r.red.url(x.req.URL)}}
	if a := x.req.Header.Get("Authorization"); a != "" {
		scheme, _, _ := strings.Cut(a, " ")
		ev.Request.Authorization = scheme + " " + redactedValue
	}
	if x.form != nil {
		ev.Request.Form = r.red.values(x.form)
	}
	ev.Response = r.red.response(x.resp, x.body)
	return ev
}

// maxBody bounds what the linker reads of any response.
const maxBody = 1 << 20

// maxHops bounds redirects and forms on the way to Alexa's redirect_uri.
const (
	maxHops  = 10
	maxForms = 3
)

// browse plays the Alexa app's browser: from the authorization URL through
// the login form to the redirect to Alexa. It returns that redirect, or nil
// when a rule failed on the way; an error only when ctx ended.
func (r *attempt) browse(ctx context.Context, authURL string) (*url.URL, error) {
	r.checkTransport()
	cur, _ := url.Parse(authURL)
	origin := originOf(cur)
	req, _ := http.NewRequest(http.MethodGet, authURL, nil)
	var form url.Values
	var body []byte // to replay on 307/308
	loginPage, loggedIn := false, false
	forms := 0
	for hops := 0; ; {
		x, err := doRequest(ctx, r.cfg.HTTPClient, r.cfg.Now, req, form, r.cfg.PageTimeout)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			rule := RuleAuthorizePage
			if loginPage {
				rule = RuleAuthorizeRedir
			}
			// The *url.Error would repeat the URL unredacted (a GET form
			// carries the password in it).
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			r.rep.add(rule, false, r.evidence(x), "%s %s: %s", req.Method, r.red.url(req.URL), r.red.text(err.Error()))
			return nil, nil
		}
		resp := x.resp
		if loc := resp.Header.Get("Location"); isRedirect(resp.StatusCode) && loc != "" {
			next, err := req.URL.Parse(loc)
			if err != nil {
				r.rep.add(RuleAuthorizeRedir, false, r.evidence(x), "unparsable Location %q: %v", r.red.text(loc), err)
				return nil, nil
			}
			if r.isRedirectURI(next) {
				r.red.secret(next.Query().Get("code"))
			}
			if req.Method == http.MethodPost {
				if _, done := r.rep.Check(RuleAuthorizeSee); !done {
					see := resp.StatusCode == http.StatusFound || resp.StatusCode == http.StatusSeeOther
					r.rep.add(RuleAuthorizeSee, see, r.evidence(x), "the login POST was answered %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
				}
			}
			if r.isRedirectURI(next) {
				r.rep.add(RuleAuthorizeRedir, true, nil, "redirected to Alexa's redirect_uri (not requested)")
				return next, nil
			}
			if originOf(next) != origin {
				r.rep.add(RuleAuthorizeRedir, false, r.evidence(x),
					"redirected to %s, which is neither the server's origin %s nor Alexa's redirect_uri %s; asksim does not follow it",
					r.red.url(next), origin, r.cfg.RedirectURI)
				return nil, nil
			}
			if hops++; hops > maxHops {
				r.rep.add(RuleAuthorizeRedir, false, r.evidence(x), "more than %d redirects without reaching Alexa's redirect_uri", maxHops)
				return nil, nil
			}
			method := req.Method
			if resp.StatusCode != http.StatusTemporaryRedirect && resp.StatusCode != http.StatusPermanentRedirect {
				method, body, form = http.MethodGet, nil, nil
			}
			req, _ = http.NewRequest(method, next.String(), bytes.NewReader(body))
			if body != nil {
				req.Header.Set("Content-Type", x.req.Header.Get("Content-Type"))
			}
			continue
		}
		page, failed := r.readPage(x, loginPage, loggedIn)
		if failed {
			return nil, nil
		}
		loginPage = true
		f := page.loginForm(r.cfg.PasswordField)
		if loggedIn && f != nil && (f.hasPass || f.has(r.cfg.PasswordField)) {
			r.rep.add(RuleAuthorizeRedir, false, r.evidence(x),
				"the login form came back instead of a redirect (wrong username or password?); the page says: %q", page.message)
			return nil, nil
		}
		if !loggedIn {
			var missing []string
			for _, name := range []string{r.cfg.UsernameField, r.cfg.PasswordField} {
				if !f.has(name) {
					missing = append(missing, fmt.Sprintf("%q", name))
				}
			}
			if len(missing) > 0 {
				r.rep.add(RuleAuthorizeForm, false, r.evidence(x), "the login form has no field %s; its fields are: %s (set the username and password field names)",
					strings.Join(missing, " or "), quoteList(f.names()))
				return nil, nil
			}
			f.set(r.cfg.UsernameField, r.cfg.Username)
			f.set(r.cfg.PasswordField, r.cfg.Password)
			r.rep.add(RuleAuthorizeForm, true, nil, "%s %s with fields %s", f.method, r.red.url(f.action), quoteList(f.names()))
			loggedIn = true
		}
		if forms++; forms > maxForms {
			r.rep.add(RuleAuthorizeRedir, false, r.evidence(x), "%d forms submitted without reaching Alexa's redirect_uri", maxForms)
			return nil, nil
		}
		if originOf(f.action) != origin {
			r.rep.add(RuleAuthorizeForm, false, r.evidence(x), "the form posts to %s, another origin than %s; asksim only talks to the server's origin", r.red.url(f.action), origin)
			return nil, nil
		}
		req, form, body = submission(f)
	}
}

// readPage checks a non-redirect answer on the way to Alexa: the first
// one must be the login page. It reports failed when a rule failed.
func (r *attempt) readPage(x *exchange, seenLogin, loggedIn bool) (*htmlPage, bool) {
	rule := RuleAuthorizePage
	if seenLogin {
		rule = RuleAuthorizeRedir
	}
	resp := x.resp
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	var page *htmlPage
	if ct == "text/html" || ct == "application/xhtml+xml" {
		page, _ = parseLoginPage(string(x.body), x.req.URL) // x/net/html recovers from any input
	}
	msg := ""
	if page != nil && page.message != "" {
		msg = fmt.Sprintf("; the page says: %q", r.red.excerpt(page.message, maxMessage))
	}
	switch {
	case resp.StatusCode != http.StatusOK:
		what := "the authorization URL"
		if seenLogin {
			what = "the login"
		}
		r.rep.add(rule, false, r.evidence(x), "%s answered %d %s instead of a page or a redirect%s", what, resp.StatusCode, http.StatusText(resp.StatusCode), msg)
		return nil, true
	case page == nil:
		r.rep.add(rule, false, r.evidence(x), "answered 200 with Content-Type %q, not an HTML page", resp.Header.Get("Content-Type"))
		return nil, true
	case len(page.forms) == 0:
		if loggedIn {
			r.rep.add(rule, false, r.evidence(x), "after login the server answered a page without a form and no redirect to Alexa%s", msg)
		} else {
			r.rep.add(RuleAuthorizeForm, false, r.evidence(x), "the login page has no <form>%s", msg)
		}
		return nil, true
	}
	if !seenLogin {
		r.rep.add(RuleAuthorizePage, true, nil, "200 %s at %s", ct, withoutQuery(x.req.URL))
		r.checkFraming(x)
	}
	return page, false
}

func (r *attempt) checkFraming(x *exchange) {
	xfo := strings.ToUpper(strings.TrimSpace(x.resp.Header.Get("X-Frame-Options")))
	csp := strings.ToLower(strings.Join(x.resp.Header.Values("Content-Security-Policy"), ";"))
	switch {
	case xfo == "DENY" || xfo == "SAMEORIGIN":
		r.rep.add(RuleAuthorizeFrame, true, nil, "X-Frame-Options: %s", xfo)
	case strings.Contains(csp, "frame-ancestors"):
		r.rep.add(RuleAuthorizeFrame, true, nil, "Content-Security-Policy sets frame-ancestors")
	default:
		r.rep.add(RuleAuthorizeFrame, false, r.evidence(x), "neither X-Frame-Options nor CSP frame-ancestors: the login page can be framed (clickjacking, RFC 9700 §4.16)")
	}
}

// submission encodes a form as a browser submits it.
func submission(f *htmlForm) (*http.Request, url.Values, []byte) {
	v := f.values()
	if f.method == http.MethodGet {
		u := *f.action
		u.RawQuery = v.Encode()
		req, _ := http.NewRequest(http.MethodGet, u.String(), nil)
		return req, v, nil
	}
	var body []byte
	ctype := "application/x-www-form-urlencoded"
	if f.enctype == "multipart/form-data" {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for _, fl := range f.fields {
			_ = mw.WriteField(fl.name, fl.value) // writes to a buffer
		}
		_ = mw.Close()
		body, ctype = buf.Bytes(), mw.FormDataContentType()
	} else {
		body = []byte(v.Encode())
	}
	req, _ := http.NewRequest(http.MethodPost, f.action.String(), bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	return req, v, body
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

func originOf(u *url.URL) string {
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return strings.ToLower(u.Scheme) + "://" + host + ":" + port
}

// isRedirectURI reports whether u is Alexa's redirect_uri plus a query.
func (r *attempt) isRedirectURI(u *url.URL) bool {
	ru, _ := url.Parse(r.cfg.RedirectURI)
	return originOf(u) == originOf(ru) && u.EscapedPath() == ru.EscapedPath()
}

func withoutQuery(u *url.URL) string {
	c := *u
	c.User, c.RawQuery, c.Fragment, c.RawFragment = nil, "", "", ""
	return c.String()
}

func quoteList(s []string) string {
	if len(s) == 0 {
		return "(none)"
	}
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

// complete checks the redirect, redeems the code and refreshes once.
func (r *attempt) complete(ctx context.Context, redirect *url.URL, state, verifier string) error {
	q := redirect.Query()
	r.red.secret(q.Get("code"))
	redacted := r.red.url(redirect)
	switch got, ok := q["state"]; {
	case !ok:
		r.rep.add(RuleAuthorizeState, false, nil, "the redirect %s has no state", redacted)
		return nil
	case len(got) != 1 || got[0] != state:
		r.rep.add(RuleAuthorizeState, false, nil, "the redirect carries state %q, Alexa sent %q", strings.Join(got, ","), state)
		return nil
	}
	r.rep.add(RuleAuthorizeState, true, nil, "state returned unchanged")
	if e := q.Get("error"); e != "" {
		desc := ""
		if d := q.Get("error_description"); d != "" {
			desc = fmt.Sprintf(" (%s)", d)
		}
		r.rep.add(RuleAuthorizeCode, false, nil, "the server redirected with error=%s%s", e, desc)
		return nil
	}
	code := q.Get("code")
	if code == "" {
		r.rep.add(RuleAuthorizeCode, false, nil, "the redirect %s has no code", redacted)
		return nil
	}
	r.rep.add(RuleAuthorizeCode, true, nil, "code received")

	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {r.cfg.RedirectURI}}
	if verifier != "" {
		r.red.secret(verifier)
		form.Set("code_verifier", verifier)
	}
	tc := r.cfg.tokenClient()
	x, tr, err := tc.call(ctx, form, r.red)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	ev := r.evidence(x)
	if !r.checkLatency(RuleTokenLatency, x, err, ev) {
		return nil
	}
	if err != nil {
		r.rep.add(RuleTokenResponse, false, ev, "%v", err)
		return nil
	}
	r.rep.add(RuleTokenResponse, true, nil, "200 JSON in %s", x.elapsed.Round(time.Millisecond))
	problems := tr.problems(true)
	for _, rule := range []string{RuleTokenAccess, RuleTokenType, RuleTokenExpiresInt, RuleTokenExpiresMin, RuleTokenRefresh} {
		if msg, bad := problems[rule]; bad {
			r.rep.add(rule, false, ev, "%s", msg)
		} else if msg := tr.passMessage(rule); msg != "" {
			r.rep.add(rule, true, nil, "%s", msg)
		}
	}
	noStore := []*exchange{x}
	if tr.accessToken != "" {
		r.account = newAccount(tc, tr.tokens(r.cfg.Now(), r.cfg.DefaultLifetime))
	}
	if r.account != nil && tr.refreshToken != "" {
		x2, err := r.refresh(ctx)
		if err != nil {
			return err
		}
		if x2 != nil && x2.resp != nil {
			noStore = append(noStore, x2)
		}
	}
	r.checkNoStore(noStore)
	return nil
}

func (r *attempt) refresh(ctx context.Context) (*exchange, error) {
	x, tr, err := r.account.refresh(ctx, r.red)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	ev := r.evidence(x)
	if !r.checkLatency(RuleRefreshLatency, x, err, ev) {
		return x, nil
	}
	if err != nil {
		r.rep.add(RuleRefreshResponse, false, ev, "%v", err)
		return x, nil
	}
	var msgs []string
	for _, rule := range []string{RuleTokenAccess, RuleTokenType, RuleTokenExpiresInt, RuleTokenExpiresMin} {
		if msg, bad := tr.problems(false)[rule]; bad {
			msgs = append(msgs, msg)
		}
	}
	if len(msgs) > 0 {
		r.rep.add(RuleRefreshResponse, false, ev, "the refresh answered 200 but %s", strings.Join(msgs, "; "))
		return x, nil
	}
	rotated := "kept"
	if tr.refreshToken != "" {
		rotated = "rotated"
	}
	r.rep.add(RuleRefreshResponse, true, nil, "new access token issued; refresh token %s", rotated)
	return x, nil
}

// checkLatency records the latency rule; it reports false when the
// endpoint did not answer in time, so no other rule applies.
func (r *attempt) checkLatency(rule string, x *exchange, err error, ev *Evidence) bool {
	limit := r.cfg.Timeout
	if errors.Is(err, context.DeadlineExceeded) {
		r.rep.add(rule, false, ev, "no answer within %s (Alexa gives up after %s)", limit, limit)
		return false
	}
	if x != nil && x.elapsed > limit {
		r.rep.add(rule, false, ev, "answered in %s, more than Alexa's %s", x.elapsed.Round(time.Millisecond), limit)
		return true
	}
	if x != nil && x.resp != nil {
		r.rep.add(rule, true, nil, "answered in %s (limit %s)", x.elapsed.Round(time.Millisecond), limit)
	}
	return true
}

func (r *attempt) checkNoStore(xs []*exchange) {
	for _, x := range xs {
		if x.resp.StatusCode == http.StatusOK && !hasNoStore(x.resp.Header) {
			r.rep.add(RuleTokenNoStore, false, r.evidence(x), "a 200 token response lacks Cache-Control: no-store")
			return
		}
	}
	r.rep.add(RuleTokenNoStore, true, nil, "Cache-Control: no-store on every token response")
}

func hasNoStore(h http.Header) bool {
	for _, v := range h.Values("Cache-Control") {
		for _, d := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(d), "no-store") {
				return true
			}
		}
	}
	return false
}
