package oauth

import (
	"net/http"
	"strings"
)

// bearer returns the active access token presented per RFC 6750 §2.1, or
// writes the 401 challenge and returns nil. Tokens in the query or body
// are not accepted: they leak into logs.
func (s *Server) bearer(w http.ResponseWriter, r *http.Request) *tokenRecord {
	scheme, value, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || value == "" {
		// No credentials: a challenge without an error code (RFC 6750 §3.1).
		writeError(w, r, &Error{Type: ErrorInvalidToken, Description: "missing bearer token", Status: http.StatusUnauthorized,
			challenge: `Bearer realm="asksim-oauth"`})
		return nil
	}
	t := s.lookupToken(strings.TrimSpace(value))
	if t == nil || t.kind != accessToken || t.username == "" {
		writeError(w, r, &Error{Type: ErrorInvalidToken, Description: "the access token is unknown, expired or revoked", Status: http.StatusUnauthorized,
			challenge: `Bearer realm="asksim-oauth", error="invalid_token"`})
		return nil
	}
	rec := entry(r)
	rec.ClientID = t.clientID
	return t
}

// handleUserinfo is the resource server a linked skill calls: the user's
// claims, always with sub and name, email only when the user has one.
func (s *Server) handleUserinfo(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet, http.MethodPost) {
		return
	}
	t := s.bearer(w, r)
	if t == nil {
		return
	}
	writeJSON(w, http.StatusOK, s.users[t.username].Claims)
}

// tokenEndpointRequest reads the POST that /introspect and /revoke share:
// client authentication as at /token (RFC 7009 §2.1, RFC 7662 §2.1) and a
// token parameter. It writes the error itself when ok is false.
func (s *Server) tokenEndpointRequest(w http.ResponseWriter, r *http.Request) (c *client, token string, ok bool) {
	if !allowMethods(w, r, http.MethodPost) {
		return nil, "", false
	}
	p, e := readParams(r, false)
	if e == nil {
		c, e = s.authenticate(r, p, true)
	}
	if e == nil && !p.Has("token") {
		e = errRequest("missing token")
	}
	if e != nil {
		writeError(w, r, e)
		return nil, "", false
	}
	return c, p.Get("token"), true
}

// handleIntrospect is RFC 7662. Inactive tokens of any kind answer only
// {"active":false} (§2.2).
func (s *Server) handleIntrospect(w http.ResponseWriter, r *http.Request) {
	_, token, ok := s.tokenEndpointRequest(w, r)
	if !ok {
		return
	}
	t := s.lookupToken(token)
	if t == nil {
		writeJSON(w, http.StatusOK, map[string]bool{"active": false})
		return
	}
	out := map[string]any{
		"active":    true,
		"client_id": t.clientID,
		"sub":       s.subject(t),
		"iat":       t.issuedAt.Unix(),
	}
	if len(t.scopes) > 0 {
		out["scope"] = strings.Join(t.scopes, " ")
	}
	if t.username != "" {
		out["username"] = t.username
	}
	if !t.expires.IsZero() {
		out["exp"] = t.expires.Unix()
	}
	if t.issuer != "" {
		out["iss"] = t.issuer
	}
	if t.kind == accessToken {
		out["token_type"] = "Bearer"
	}
	writeJSON(w, http.StatusOK, out)
}

// handleRevoke is RFC 7009. The token_type_hint only narrows a search, so
// it is ignored (§2.1); unknown tokens answer 200 (§2.2).
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	c, token, ok := s.tokenEndpointRequest(w, r)
	if !ok {
		return
	}
	if owner := s.revoke(token, c.ID); owner != "" && owner != c.ID {
		// §2.1: the server verifies the token was issued to this client.
		writeError(w, r, newError(ErrorUnauthorizedClient, http.StatusBadRequest, "the token was issued to another client"))
		return
	}
	noStore(w.Header())
	w.WriteHeader(http.StatusOK)
}

// handleMetadata serves RFC 8414 metadata; the OpenID path gets the same
// document so that OIDC-minded clients can discover the endpoints too.
func (s *Server) handleMetadata(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	iss := s.issuer(r)
	responseTypes, methods := []string{"code"}, []string{"S256"}
	grants := map[string]bool{}
	var scopes []string
	seen := map[string]bool{}
	for _, c := range s.cfg.Clients {
		if c.AllowImplicit && len(responseTypes) == 1 {
			responseTypes = append(responseTypes, "token")
		}
		if c.AllowPlainPKCE && len(methods) == 1 {
			methods = append(methods, "plain")
		}
		for _, g := range []string{GrantAuthorizationCode, GrantRefreshToken, GrantClientCredentials} {
			grants[g] = grants[g] || c.allows(g)
		}
		for _, sc := range c.Scopes {
			if !seen[sc] {
				seen[sc] = true
				scopes = append(scopes, sc)
			}
		}
	}
	var grantList []string
	for _, g := range []string{GrantAuthorizationCode, GrantRefreshToken, GrantClientCredentials} {
		if grants[g] {
			grantList = append(grantList, g)
		}
	}
	if responseTypes[len(responseTypes)-1] == "token" {
		grantList = append(grantList, "implicit")
	}
	authMethods := []string{"client_secret_basic", "client_secret_post"}
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                        iss,
		"authorization_endpoint":                        iss + "/authorize",
		"token_endpoint":                                iss + "/token",
		"userinfo_endpoint":                             iss + "/userinfo",
		"jwks_uri":                                      iss + "/jwks.json",
		"revocation_endpoint":                           iss + "/revoke",
		"introspection_endpoint":                        iss + "/introspect",
		"response_types_supported":                      responseTypes,
		"response_modes_supported":                      []string{"query", "fragment"},
		"grant_types_supported":                         grantList,
		"token_endpoint_auth_methods_supported":         authMethods,
		"revocation_endpoint_auth_methods_supported":    authMethods,
		"introspection_endpoint_auth_methods_supported": authMethods,
		"code_challenge_methods_supported":              methods,
		"scopes_supported":                              scopes,
		"subject_types_supported":                       []string{"public"},
		"id_token_signing_alg_values_supported":         []string{"RS256"},
	})
}
