package oauth

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// maxBody bounds every request body this server reads.
const maxBody = 64 << 10

// handleToken is the account-linking token endpoint (RFC 6749 §3.2).
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodPost) {
		return
	}
	resp, e := s.tokenRequest(r, false)
	if e != nil {
		writeError(w, r, e)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// tokenRequest runs the checks shared by /token and LWA's /auth/o2/token;
// lwa relaxes them as LWA does (JSON bodies, either credential placement).
func (s *Server) tokenRequest(r *http.Request, lwa bool) (TokenResponse, *Error) {
	p, e := readParams(r, lwa)
	if e != nil {
		return TokenResponse{}, e
	}
	rec := entry(r)
	rec.Grant = p.Get("grant_type")
	c, e := s.authenticate(r, p, !lwa)
	if e != nil {
		return TokenResponse{}, e
	}
	grant := p.Get("grant_type")
	switch grant {
	case "":
		return TokenResponse{}, &Error{Type: ErrorInvalidRequest, Description: "missing grant_type", Status: http.StatusBadRequest, param: "grant_type"}
	case GrantAuthorizationCode, GrantRefreshToken, GrantClientCredentials:
	default:
		return TokenResponse{}, newError(ErrorUnsupportedGrantType, http.StatusBadRequest, "grant_type %q is not supported", grant)
	}
	if !c.allows(grant) {
		return TokenResponse{}, newError(ErrorUnauthorizedClient, http.StatusBadRequest, "client may not use grant_type %s", grant)
	}
	g := grantInfo{client: c, lwa: lwa, issuer: s.issuer(r)}
	switch grant {
	case GrantAuthorizationCode:
		return s.exchangeCode(p, g)
	case GrantRefreshToken:
		return s.refresh(p, g)
	default:
		return s.clientCredentials(p, g)
	}
}

// readParams reads a token-style request body. Parameters must not repeat
// (RFC 6749 §3.2) and client_secret must not travel in the URL (§2.3.1).
func readParams(r *http.Request, allowJSON bool) (url.Values, *Error) {
	if r.URL.Query().Has("client_secret") {
		return nil, errRequest("client_secret must not be sent in the URL query")
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
	var p url.Values
	switch {
	case mt == "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return nil, errRequest("unreadable form body: %v", err)
		}
		p = r.PostForm
	case mt == "application/json" && allowJSON:
		var e *Error
		if p, e = jsonParams(r.Body); e != nil {
			return nil, e
		}
		entry(r).Params = redactParams(p)
	default:
		return nil, errRequest("Content-Type %q, want application/x-www-form-urlencoded (RFC 6749 §4.1.3)", mt)
	}
	for k, v := range p {
		if len(v) > 1 {
			return nil, errRepeated(k)
		}
	}
	return p, nil
}

func errRepeated(param string) *Error {
	return &Error{Type: ErrorInvalidRequest, Description: fmt.Sprintf("parameter %s repeated", param), Status: http.StatusBadRequest, param: param}
}

// jsonParams reads a flat JSON object of strings, numbers and nulls (null:
// absent), as ask-cli sends it, as strictly as a form body is read: a key
// that repeats is a repeated parameter, and nothing but white space may
// follow the object. It reads token by token and refuses any nested value
// on sight, so no depth of nesting costs more than its first bracket.
func jsonParams(body io.Reader) (url.Values, *Error) {
	bad := func(format string, args ...any) *Error {
		return errRequest("unreadable JSON body: "+format, args...)
	}
	dec := json.NewDecoder(body)
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, bad("want a JSON object of parameters")
	}
	p := url.Values{}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, bad("%v", err)
		}
		k, _ := tok.(string) // the decoder yields only strings as keys
		if seen[k] {
			return nil, errRepeated(k)
		}
		seen[k] = true
		if tok, err = dec.Token(); err != nil {
			return nil, bad("%v", err)
		}
		switch v := tok.(type) {
		case string:
			p.Set(k, v)
		case json.Number:
			p.Set(k, v.String())
		case nil:
		default:
			return nil, bad("parameter %s is not a string", k)
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, bad("%v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, bad("data after the JSON object")
	}
	return p, nil
}

// authenticate checks client credentials (RFC 6749 §2.3.1). With
// strictScheme the client must use its registered accessTokenScheme.
func (s *Server) authenticate(r *http.Request, p url.Values, strictScheme bool) (*client, *Error) {
	rec := entry(r)
	authz := r.Header.Get("Authorization")
	if authz != "" {
		rec.AuthScheme = SchemeHTTPBasic
		if p.Has("client_secret") {
			return nil, errRequest("client credentials sent both in the Authorization header and in the body")
		}
		rawID, rawSecret, ok := parseBasic(authz)
		if !ok {
			return nil, errClient(true, "malformed Basic Authorization header")
		}
		c := s.basicClient(rawID, rawSecret)
		if c == nil {
			rec.ClientID = rawID
			return nil, errClient(true, "client authentication failed")
		}
		rec.ClientID = c.ID
		if id := p.Get("client_id"); id != "" && id != c.ID {
			return nil, errRequest("client_id in the body differs from the Authorization header")
		}
		if strictScheme && c.Scheme != SchemeHTTPBasic {
			return nil, errClient(true, "client is registered for %s, not HTTP Basic", c.Scheme)
		}
		return c, nil
	}
	id := p.Get("client_id")
	rec.ClientID = id
	if id == "" {
		return nil, errClient(true, "client authentication required")
	}
	if !p.Has("client_secret") {
		return nil, errClient(true, "client authentication required (no client_secret)")
	}
	rec.AuthScheme = SchemeRequestBody
	c := s.clients[id]
	if c == nil || !equalSecret(c.secretDigest, p.Get("client_secret")) {
		return nil, errClient(false, "client authentication failed")
	}
	if strictScheme && c.Scheme != SchemeRequestBody {
		return nil, errClient(true, "client is registered for %s, not credentials in the body", c.Scheme)
	}
	return c, nil
}

// parseBasic splits a Basic header without decoding the form-encoding.
func parseBasic(h string) (id, secret string, ok bool) {
	scheme, cred, found := strings.Cut(h, " ")
	if !found || !strings.EqualFold(scheme, "Basic") {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
	if err != nil {
		return "", "", false
	}
	return strings.Cut(string(raw), ":")
}

// basicClient finds the client whose credentials these are: form-decoded
// first (RFC 6749 §2.3.1, Appendix B), or raw for clients that opted in.
func (s *Server) basicClient(rawID, rawSecret string) *client {
	if id, err := url.QueryUnescape(rawID); err == nil {
		if c := s.clients[id]; c != nil && !c.RawBasicCredentials {
			secret, err := url.QueryUnescape(rawSecret)
			if err == nil && equalSecret(c.secretDigest, secret) {
				return c
			}
			return nil
		}
	}
	if c := s.clients[rawID]; c != nil && c.RawBasicCredentials && equalSecret(c.secretDigest, rawSecret) {
		return c
	}
	return nil
}

// verifierRE is RFC 7636 §4.1: 43 to 128 unreserved characters.
var verifierRE = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)

func (s *Server) exchangeCode(p url.Values, g grantInfo) (TokenResponse, *Error) {
	code := p.Get("code")
	if code == "" {
		return TokenResponse{}, &Error{Type: ErrorInvalidRequest, Description: "missing code", Status: http.StatusBadRequest, param: "code"}
	}
	c, gen, e := s.redeemCode(code, g.client.ID)
	if e != nil {
		return TokenResponse{}, e
	}
	redirect, sent := p.Get("redirect_uri"), p.Has("redirect_uri")
	switch {
	case c.redirectSent && !sent:
		return TokenResponse{}, errGrant("redirect_uri", "redirect_uri was sent at /authorize and is missing here (RFC 6749 §4.1.3)")
	case sent && redirect != c.redirectURI:
		return TokenResponse{}, errGrant("redirect_uri", "redirect_uri differs from the authorization request")
	}
	verifier, hasVerifier := p.Get("code_verifier"), p.Has("code_verifier")
	switch {
	case c.challenge == "" && hasVerifier:
		return TokenResponse{}, errGrant("code_verifier", "code_verifier sent but no code_challenge was (PKCE downgrade)")
	case c.challenge == "":
	case !hasVerifier:
		return TokenResponse{}, errGrant("code_verifier", "missing code_verifier (RFC 7636 §4.5)")
	case !verifierRE.MatchString(verifier):
		return TokenResponse{}, errGrant("code_verifier", "code_verifier is not 43-128 characters of [A-Za-z0-9-._~]")
	case c.method == "S256" && s256(verifier) != c.challenge,
		c.method == "plain" && verifier != c.challenge:
		return TokenResponse{}, errGrant("code_verifier", "code_verifier does not match the code_challenge")
	}
	g.username, g.scopes, g.family = c.username, c.scopes, c.family
	g.refresh = g.client.allows(GrantRefreshToken)
	resp, recs, err := s.mint(g)
	if err != nil {
		return TokenResponse{}, errSigning()
	}
	if !s.fileTokens(recs, gen) {
		return TokenResponse{}, errGrant("code", "the server was reset while the code was redeemed")
	}
	return resp, nil
}

func errSigning() *Error {
	return newError(ErrorServerError, http.StatusInternalServerError, "cannot sign the access token")
}

// s256 is RFC 7636 §4.2: BASE64URL-ENCODE(SHA256(ASCII(verifier))), unpadded.
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// issue mints and files tokens for a successful grant.
func (s *Server) issue(g grantInfo) (TokenResponse, *Error) {
	resp, recs, err := s.mint(g)
	if err != nil {
		return TokenResponse{}, errSigning()
	}
	s.addTokens(recs)
	return resp, nil
}

func (s *Server) refresh(p url.Values, g grantInfo) (TokenResponse, *Error) {
	value := p.Get("refresh_token")
	if value == "" {
		return TokenResponse{}, &Error{Type: ErrorInvalidRequest, Description: "missing refresh_token", Status: http.StatusBadRequest, param: "refresh_token"}
	}
	old, replay, gen, e := s.checkRefresh(value, g.client)
	if e != nil || replay != nil {
		return derefResponse(replay), e
	}
	g.username, g.family, g.refreshScopes = old.username, old.family, old.scopes
	g.scopes = old.scopes
	if p.Has("scope") {
		g.scopes = strings.Fields(p.Get("scope"))
		if bad := firstMissing(g.scopes, old.scopes); bad != "" {
			return TokenResponse{}, &Error{Type: ErrorInvalidScope, Description: fmt.Sprintf("scope %s was not granted", bad), Status: http.StatusBadRequest, param: "scope"}
		}
	}
	// LWA never rotates: the ASK CLI's environment mode sends the same
	// refresh token before every call (docs/smapi-contract.md §2.1).
	rotate := g.client.rotates() && !g.lwa
	g.refresh = rotate
	resp, recs, err := s.mint(g)
	if err != nil {
		return TokenResponse{}, errSigning()
	}
	if s.hookBeforeRotate != nil {
		s.hookBeforeRotate()
	}
	gone := errGrant("refresh_token", "refresh token expired or revoked")
	if !rotate {
		resp.RefreshToken = value // the same refresh token stays valid
		if !s.fileTokens(recs, gen) {
			return TokenResponse{}, gone
		}
		return resp, nil
	}
	// Commit the rotation only if no concurrent refresh got there first,
	// and the token is still there: a Reset or a sweep may have forgotten
	// it since checkRefresh.
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[digest(value)]
	switch {
	case t == nil || s.gen != gen:
		return TokenResponse{}, gone
	case t.rotated || !t.active(s.now()):
		return s.replayLocked(t, g.client)
	}
	t.rotated, t.rotatedAt, t.successor = true, s.now(), &resp
	s.addTokensLocked(recs)
	return resp, nil
}

func derefResponse(r *TokenResponse) TokenResponse {
	if r == nil {
		return TokenResponse{}
	}
	return *r
}

// checkRefresh validates a refresh token. A rotated-out token yields its
// successor inside the grace window (replay != nil), else revokes the family.
// gen is the store's generation, for fileTokens.
func (s *Server) checkRefresh(value string, c *client) (old *tokenRecord, replay *TokenResponse, gen uint64, e *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[digest(value)]
	switch {
	case t == nil || t.kind != refreshToken:
		return nil, nil, 0, errGrant("refresh_token", "unknown refresh token")
	case t.clientID != c.ID:
		return nil, nil, 0, errGrant("refresh_token", "refresh token was issued to another client")
	case t.rotated:
		resp, e := s.replayLocked(t, c)
		if e != nil {
			return nil, nil, 0, e
		}
		return nil, &resp, 0, nil
	case !t.active(s.now()):
		return nil, nil, 0, errGrant("refresh_token", "refresh token expired or revoked")
	}
	cp := *t
	return &cp, nil, s.gen, nil
}

// replayLocked answers a rotated-out refresh token (RFC 9700 §4.14.2).
func (s *Server) replayLocked(t *tokenRecord, c *client) (TokenResponse, *Error) {
	if t.successor != nil && !t.family.revoked && c.RefreshGraceWindow > 0 && s.now().Sub(t.rotatedAt) <= c.RefreshGraceWindow {
		return *t.successor, nil
	}
	if t.rotated {
		t.family.revoked = true
		return TokenResponse{}, errGrant("refresh_token", "refresh token was already rotated; its token family is revoked")
	}
	return TokenResponse{}, errGrant("refresh_token", "refresh token expired or revoked")
}

func (s *Server) clientCredentials(p url.Values, g grantInfo) (TokenResponse, *Error) {
	g.scopes = g.client.Scopes
	if p.Has("scope") {
		g.scopes = strings.Fields(p.Get("scope"))
		if bad := g.client.unknownScope(g.scopes); bad != "" {
			return TokenResponse{}, &Error{Type: ErrorInvalidScope, Description: fmt.Sprintf("scope %s is not allowed for this client", bad), Status: http.StatusBadRequest, param: "scope"}
		}
	}
	g.family = &family{}
	return s.issue(g) // no refresh token (RFC 6749 §4.4.3)
}
