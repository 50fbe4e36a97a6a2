package oauth

import (
	"crypto/hmac"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

//go:embed login.html
var pagesHTML string

func parsePages() (*template.Template, error) { return template.New("pages").Parse(pagesHTML) }

// authParams are the authorization request parameters (RFC 6749 §4.1.1,
// RFC 7636 §4.3) that the login form carries from GET to POST. Others are
// ignored (RFC 6749 §3.1).
var authParams = []string{"client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge", "code_challenge_method"}

const csrfCookie = "asksim_oauth_session"

type authRequest struct {
	client       *client
	redirectURI  string // effective: sent, or the only registered one
	redirectSent bool
	responseType string
	fragment     bool // implicit answers travel in the fragment (RFC 6749 §4.2.2)
	scopes       []string
	state        string
	challenge    string
	method       string
	params       url.Values // authParams as sent, first values only
	// lwa: the request came to Login with Amazon's /ap/oa, whose redirects
	// and pages follow LWA (lwa_authorize.go); codePage: its redirect URI
	// is one the fake answers with a page of its own (Client.CodePageRedirectURIs).
	lwa      bool
	codePage bool
}

// setPageHeaders forbids framing (clickjacking, RFC 9700 §4.16) and
// referrers (code leakage, §4.2.4) on every /authorize answer. No CORS
// header is ever set.
func setPageHeaders(h http.Header) {
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
}

func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	s.authorizeEndpoint(w, r, false)
}

// authorizeEndpoint serves /authorize, or LWA's /ap/oa when lwa is set:
// one flow, two dialects.
func (s *Server) authorizeEndpoint(w http.ResponseWriter, r *http.Request, lwa bool) {
	setPageHeaders(w.Header())
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		s.authorizeGet(w, r, lwa)
	default:
		if allowMethods(w, r, http.MethodGet, http.MethodHead, http.MethodPost) {
			s.authorizePost(w, r, lwa)
		}
	}
}

func (s *Server) authorizeGet(w http.ResponseWriter, r *http.Request, lwa bool) {
	v := r.URL.Query()
	rec := entry(r)
	rec.ClientID, rec.Grant = v.Get("client_id"), v.Get("response_type")
	req, page, e := s.parseAuthRequest(v, lwa)
	switch {
	case page != "":
		s.errorPage(w, r, page)
	case e != nil:
		s.redirect(w, r, req, http.StatusFound, e)
	case s.cfg.AutoApprove != "":
		s.approve(w, r, req, s.cfg.AutoApprove, http.StatusFound)
		rec.Outcome = "auto_approved"
	default:
		s.loginPage(w, r, req, "", "")
	}
}

func (s *Server) authorizePost(w http.ResponseWriter, r *http.Request, lwa bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, "The login form could not be read.")
		return
	}
	v := r.PostForm
	rec := entry(r)
	rec.ClientID, rec.Grant = v.Get("client_id"), v.Get("response_type")
	sent := url.Values{}
	for _, k := range authParams {
		if vals, ok := v[k]; ok {
			sent[k] = vals
		}
	}
	// The hidden fields are re-validated: they came back through the browser.
	req, page, e := s.parseAuthRequest(sent, lwa)
	switch {
	case page != "":
		s.errorPage(w, r, page)
		return
	case e != nil:
		s.redirect(w, r, req, http.StatusSeeOther, e)
		return
	}
	username := v.Get("username")
	cookie, err := r.Cookie(csrfCookie)
	if err != nil || !hmac.Equal([]byte(v.Get("csrf_token")), []byte(s.csrfToken(cookie.Value, req.params))) {
		s.loginPage(w, r, req, username, "This sign-in form expired or did not come from this page. Please sign in again.")
		rec.Outcome = "csrf_failed"
		return
	}
	switch v.Get("action") {
	case "deny":
		s.redirect(w, r, req, http.StatusSeeOther, &Error{Type: ErrorAccessDenied, Description: "the user denied the request"})
		return
	case "approve", "":
	default:
		s.errorPage(w, r, "Unknown form action.")
		return
	}
	u := s.users[username]
	ok := u != nil && equalSecret(u.passwordDigest, v.Get("password"))
	if !ok {
		// Alexa requires errors inline: a redirect would end the linking.
		s.loginPage(w, r, req, username, "Wrong username or password.")
		rec.Outcome = "login_failed"
		return
	}
	s.approve(w, r, req, u.Username, http.StatusSeeOther) // 303 after POST, never 307 (RFC 9700 §4.12)
}

// parseAuthRequest validates an authorization request. Problems with the
// client or redirect URI return page (an error page: redirecting would be
// an open redirect); later problems return e, to be redirected.
func (s *Server) parseAuthRequest(v url.Values, lwa bool) (req *authRequest, page string, e *Error) {
	for _, k := range []string{"client_id", "redirect_uri"} {
		if len(v[k]) > 1 {
			return nil, fmt.Sprintf("The parameter %s was sent more than once.", k), nil
		}
	}
	id := v.Get("client_id")
	c := s.clients[id]
	switch {
	case id == "":
		return nil, "The request has no client_id.", nil
	case c == nil:
		return nil, fmt.Sprintf("Unknown client_id %q.", id), nil
	}
	req = &authRequest{client: c, state: v.Get("state"), responseType: v.Get("response_type"), params: url.Values{}, lwa: lwa}
	req.fragment = req.responseType == "token"
	for _, k := range authParams {
		if v.Has(k) {
			req.params.Set(k, v.Get(k))
		}
	}
	switch {
	case v.Has("redirect_uri"):
		req.redirectURI, req.redirectSent = v.Get("redirect_uri"), true
		if !c.registered(req.redirectURI) {
			return nil, fmt.Sprintf("The redirect_uri %q is not registered for client %q.", req.redirectURI, id), nil
		}
	case len(c.RedirectURIs) == 1:
		req.redirectURI = c.RedirectURIs[0]
	default:
		return nil, fmt.Sprintf("The request has no redirect_uri and client %q has %d registered.", id, len(c.RedirectURIs)), nil
	}
	req.codePage = lwa && c.codePage(req.redirectURI)
	return req, "", s.checkAuthRequest(req, v)
}

// checkAuthRequest validates what can be reported to the client by redirect.
func (s *Server) checkAuthRequest(req *authRequest, v url.Values) *Error {
	c := req.client
	for k, vals := range v {
		if len(vals) > 1 {
			return &Error{Type: ErrorInvalidRequest, Description: "parameter " + k + " repeated"}
		}
	}
	switch req.responseType {
	case "":
		return &Error{Type: ErrorInvalidRequest, Description: "missing response_type"}
	case "code":
		if !c.allows(GrantAuthorizationCode) {
			return &Error{Type: ErrorUnauthorizedClient, Description: "client may not use response_type code"}
		}
	case "token":
		if !c.AllowImplicit {
			return &Error{Type: ErrorUnauthorizedClient, Description: "client may not use the implicit grant"}
		}
	default:
		return &Error{Type: ErrorUnsupportedResponseType, Description: "response_type must be code or token"}
	}
	req.scopes = c.Scopes
	if scope := strings.Fields(v.Get("scope")); len(scope) > 0 {
		if bad := c.unknownScope(scope); bad != "" {
			return &Error{Type: ErrorInvalidScope, Description: "scope " + bad + " is not allowed for this client"}
		}
		req.scopes = scope
	}
	if req.responseType == "token" {
		return nil
	}
	req.challenge, req.method = v.Get("code_challenge"), v.Get("code_challenge_method")
	switch {
	case req.challenge == "" && req.method != "":
		return &Error{Type: ErrorInvalidRequest, Description: "code_challenge_method without code_challenge"}
	case req.challenge == "" && c.PKCE == PKCERequired:
		return &Error{Type: ErrorInvalidRequest, Description: "PKCE is required: code_challenge missing"}
	case req.challenge == "":
		return nil
	case req.method == "":
		req.method = "plain" // RFC 7636 §4.3 default
	}
	switch {
	case req.method == "plain" && !c.AllowPlainPKCE:
		return &Error{Type: ErrorInvalidRequest, Description: "code_challenge_method plain is not allowed, use S256"}
	case req.method != "plain" && req.method != "S256":
		return &Error{Type: ErrorInvalidRequest, Description: "code_challenge_method " + req.method + " is not supported"}
	case len(req.challenge) < 43 || len(req.challenge) > 128:
		// Only the length is checked here: a challenge computed wrongly
		// (say, S256 with '=' padding) fails at /token as invalid_grant.
		return &Error{Type: ErrorInvalidRequest, Description: "code_challenge is not 43-128 characters long"}
	}
	return nil
}

// approve issues a code (or, for the implicit grant, an access token) and
// sends the browser back to the client.
func (s *Server) approve(w http.ResponseWriter, r *http.Request, req *authRequest, username string, status int) {
	entry(r).Outcome = "approved"
	if req.responseType == "token" {
		g := grantInfo{client: req.client, username: username, scopes: req.scopes, family: &family{}, issuer: s.issuer(r)}
		resp, e := s.issue(g)
		if e != nil {
			s.redirect(w, r, req, status, e)
			return
		}
		pairs := []string{"access_token", resp.AccessToken, "token_type", resp.TokenType}
		if resp.ExpiresIn > 0 {
			pairs = append(pairs, "expires_in", strconv.FormatInt(resp.ExpiresIn, 10))
		}
		s.redirectWith(w, r, req, status, append(pairs, "scope", resp.Scope)...)
		return
	}
	code := randomToken()
	s.addCode(code, &codeRecord{clientID: req.client.ID, username: username, redirectURI: req.redirectURI,
		redirectSent: req.redirectSent, scopes: req.scopes, challenge: req.challenge, method: req.method,
		expires: s.now().Add(s.cfg.CodeTTL)})
	if req.lwa {
		s.lwaCode(w, r, req, status, code)
		return
	}
	s.redirectWith(w, r, req, status, "code", code)
}

// redirect sends an error to the client's redirect URI (RFC 6749 §4.1.2.1).
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, req *authRequest, status int, e *Error) {
	entry(r).Outcome = e.Type
	if req.lwa {
		s.lwaError(w, r, req, status, e)
		return
	}
	s.redirectWith(w, r, req, status, "error", e.Type, "error_description", cleanDescription(e.Description))
}

// redirectWith appends pairs and the echoed state to the redirect URI.
func (s *Server) redirectWith(w http.ResponseWriter, r *http.Request, req *authRequest, status int, pairs ...string) {
	if req.state != "" {
		pairs = append(pairs, "state", req.state)
	}
	redirectTo(w, req, status, escape, pairs...)
}

// redirectTo appends exactly pairs, escaped with esc, to the redirect URI.
func redirectTo(w http.ResponseWriter, req *authRequest, status int, esc func(string) string, pairs ...string) {
	var b strings.Builder
	b.WriteString(req.redirectURI)
	switch {
	case req.fragment:
		b.WriteByte('#')
	case strings.Contains(req.redirectURI, "?"):
		b.WriteByte('&')
	default:
		b.WriteByte('?')
	}
	for i := 0; i < len(pairs); i += 2 {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(pairs[i] + "=" + esc(pairs[i+1]))
	}
	w.Header().Set("Location", b.String())
	w.WriteHeader(status)
}

// escape percent-encodes a value; spaces become %20 rather than '+', which
// every decoder reads back the same.
func escape(v string) string { return strings.ReplaceAll(url.QueryEscape(v), "+", "%20") }

type loginData struct {
	ClientID string
	Scope    string
	Error    string
	Username string
	Hidden   []field
	// Action is where the form posts: the path the page was served at.
	Action string
	// LWA pages ask for a developer account and list Scopes one by one.
	LWA    bool
	Scopes []string
}

type field struct{ Name, Value string }

// loginPage renders the form with the request in hidden fields and a CSRF
// token bound to both the request and the browser's session cookie.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request, req *authRequest, username, errMsg string) {
	entry(r).Outcome = "login_page"
	sid := ""
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 43 {
		sid = c.Value // keep it: the browser may have other forms open
	} else {
		sid = randomToken()
		http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: sid, Path: r.URL.Path, HttpOnly: true,
			Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	}
	d := loginData{ClientID: req.client.ID, Scope: strings.Join(req.scopes, " "), Error: errMsg, Username: username,
		Action: r.URL.Path, LWA: req.lwa, Scopes: req.scopes}
	for _, k := range authParams {
		if req.params.Has(k) {
			d.Hidden = append(d.Hidden, field{k, req.params.Get(k)})
		}
	}
	d.Hidden = append(d.Hidden, field{"csrf_token", s.csrfToken(sid, req.params)})
	s.render(w, http.StatusOK, "login", d)
}

func (s *Server) csrfToken(sid string, params url.Values) string {
	mac := hmac.New(sha256.New, s.csrfKey)
	mac.Write([]byte(sid + "\x00" + params.Encode()))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// errorPage is the answer when the client cannot be trusted with a redirect.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, msg string) {
	entry(r).Outcome = "error_page"
	s.render(w, http.StatusBadRequest, "error", msg)
}

func (s *Server) render(w http.ResponseWriter, status int, name string, data any) {
	var b strings.Builder
	if err := s.pages.ExecuteTemplate(&b, name, data); err != nil {
		http.Error(w, "oauth: cannot render page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(b.String()))
}
