package oauth

import (
	"net/http"
	"net/url"
	"strings"
)

// lwaAuthorizePath is Login with Amazon's authorization page
// (www.amazon.com/ap/oa), where `ask util generate-lwa-tokens` and
// `ask configure` send the developer (docs/smapi-contract.md §2.2).
const lwaAuthorizePath = "/ap/oa"

// ASKCLINoBrowserRedirectURI is the redirect URI of the ASK CLI's
// --no-browser mode: a static page that shows the code for the user to
// paste back. Offline it cannot load, so clients list it in
// CodePageRedirectURIs and the fake shows the code itself.
const ASKCLINoBrowserRedirectURI = "https://ask-cli-static-content.s3-us-west-2.amazonaws.com/html/ask-cli-no-browser.html"

// ASKCLIBrowserRedirectURI is where the ASK CLI listens for the code in its
// browser mode; it accepts only a URL starting /cb?code or /cb?error.
const ASKCLIBrowserRedirectURI = "http://127.0.0.1:9090/cb"

// handleLWAAuthorize is /ap/oa: the same login page, CSRF protection and
// codes as /authorize, with LWA's redirects: code first, then scope and
// state (the ASK CLI's browser mode reads only "/cb?code…"), and errors as
// error_description, state, error with LWA's wording.
func (s *Server) handleLWAAuthorize(w http.ResponseWriter, r *http.Request) {
	s.authorizeEndpoint(w, r, true)
}

// lwaCode answers an approved LWA request: a redirect, or the code on a
// page of the fake's own for a code-page redirect URI.
func (s *Server) lwaCode(w http.ResponseWriter, r *http.Request, req *authRequest, status int, code string) {
	scope := strings.Join(req.scopes, " ")
	if req.codePage {
		s.render(w, http.StatusOK, "code", codePageData{ClientID: req.client.ID, Code: code, Scope: scope,
			TTL: s.cfg.CodeTTL.String(), RedirectURI: req.redirectURI})
		return
	}
	pairs := []string{"code", code, "scope", scope}
	if req.state != "" {
		pairs = append(pairs, "state", req.state)
	}
	redirectTo(w, req, status, url.QueryEscape, pairs...)
}

// lwaError sends an authorization error as LWA does, e.g.
// ?error_description=An+unknown+scope+was+requested&state=…&error=invalid_scope
// (the order and wording seen in answers quoted in
// willblaschko/AlexaAndroid#88 and pennersr/django-allauth#3993).
func (s *Server) lwaError(w http.ResponseWriter, r *http.Request, req *authRequest, status int, e *Error) {
	desc := lwaAuthorizeWording(e)
	if req.codePage {
		s.render(w, http.StatusBadRequest, "code", codePageData{ClientID: req.client.ID, Error: e.Type,
			Description: desc, RedirectURI: req.redirectURI})
		return
	}
	pairs := []string{"error_description", desc}
	if req.state != "" {
		pairs = append(pairs, "state", req.state)
	}
	redirectTo(w, req, status, url.QueryEscape, append(pairs, "error", e.Type)...)
}

// lwaAuthorizeWording is LWA's error_description at /ap/oa. Only the
// unknown-scope text is known from real answers; the others keep the
// server's own description.
func lwaAuthorizeWording(e *Error) string {
	switch e.Type {
	case ErrorInvalidScope:
		return "An unknown scope was requested"
	}
	return cleanDescription(e.Description)
}

type codePageData struct {
	ClientID    string
	Code        string
	Scope       string
	TTL         string
	RedirectURI string
	Error       string
	Description string
}

// codePage reports whether the fake answers redirectURI with its own page.
func (c *client) codePage(redirectURI string) bool {
	for _, u := range c.CodePageRedirectURIs {
		if u == redirectURI {
			return true
		}
	}
	return false
}
