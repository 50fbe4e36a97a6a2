package oauth

import (
	"fmt"
	"mime"
	"net/http"
	"strings"
)

// bearer returns the active access token of a user presented as RFC 6750
// says, or writes the answer of §3.1 and returns nil:
//
//   - no bearer credentials: 401 with a bare challenge, no error code;
//   - a malformed request (the token sent more than one way, in the query
//     or body, an Authorization header repeated or a token that is empty
//     or holds spaces or control characters): 400 invalid_request;
//   - a token that is unknown, expired, revoked, a refresh token, or
//     issued to a client rather than a user: 401 invalid_token.
//
// Tokens in the query or body are refused rather than read: they leak
// into logs and browser history (§2.3, §5.3).
func (s *Server) bearer(w http.ResponseWriter, r *http.Request) *tokenRecord {
	value, e := bearerToken(r)
	if e != nil {
		writeError(w, r, e)
		return nil
	}
	rec := entry(r)
	if value == "" {
		// No credentials: a challenge without an error code, and no error
		// information in the body either (RFC 6750 §3.1).
		rec.Outcome = "no_token"
		h := w.Header()
		h.Set("WWW-Authenticate", bearerChallenge("", "", ""))
		noStore(h)
		w.WriteHeader(http.StatusUnauthorized)
		return nil
	}
	rec.Token = Redact(value)
	t, why := s.inspectToken(value)
	switch {
	case why != "":
	case t.kind != accessToken:
		why = "a refresh token is not an access token"
	case t.username == "":
		why = "the token was issued to a client (client_credentials), not for a user"
	}
	if why != "" {
		writeError(w, r, &Error{Type: ErrorInvalidToken, Description: why, Status: http.StatusUnauthorized,
			challenge: bearerChallenge(ErrorInvalidToken, why, "")})
		return nil
	}
	rec.ClientID, rec.User = t.clientID, t.username
	return t
}

// bearerToken reads the bearer token of r: "" when r carries none, a
// 400 invalid_request *Error when r is malformed (RFC 6750 §2, §3.1).
func bearerToken(r *http.Request) (string, *Error) {
	headers := r.Header.Values("Authorization")
	if len(headers) > 1 {
		return "", errBearerRequest("the Authorization header is repeated")
	}
	var ways []string
	var token string
	if len(headers) == 1 {
		scheme, rest, _ := strings.Cut(headers[0], " ")
		if strings.EqualFold(scheme, "Bearer") {
			ways = append(ways, "the Authorization header")
			token = strings.TrimLeft(rest, " ")
			if token == "" {
				return "", errBearerRequest("the Bearer credentials hold no token")
			}
			if !isVisibleASCII(token) {
				return "", errBearerRequest("the bearer token holds spaces or characters outside printable ASCII (RFC 6750 §2.1)")
			}
		}
	}
	if r.URL.Query().Has("access_token") {
		ways = append(ways, "the query")
	}
	if formBodyToken(r) {
		ways = append(ways, "the body")
	}
	switch {
	case len(ways) > 1:
		return "", errBearerRequest("the access token was sent in %s: use one way only (RFC 6750 §2)", strings.Join(ways, " and "))
	case len(ways) == 1 && token == "":
		return "", errBearerRequest("the access token was sent in %s; send it in the Authorization header (RFC 6750 §2.1)", ways[0])
	}
	return token, nil
}

// formBodyToken reports whether r has access_token in a form body, where
// RFC 6750 §2.2 allows it: never with GET, whose body means nothing.
func formBodyToken(r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead || r.Body == nil {
		return false
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return false
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		return false
	}
	return r.PostForm.Has("access_token")
}

func isVisibleASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

func errBearerRequest(format string, args ...any) *Error {
	desc := fmt.Sprintf(format, args...)
	return &Error{Type: ErrorInvalidRequest, Description: desc, Status: http.StatusBadRequest,
		challenge: bearerChallenge(ErrorInvalidRequest, desc, "")}
}

// bearerRealm names the protection space in every Bearer challenge.
const bearerRealm = "asksim-oauth"

// bearerChallenge is the WWW-Authenticate value of RFC 6750 §3: the realm,
// then the error code, its description and the scope needed when set.
func bearerChallenge(code, description, scope string) string {
	var b strings.Builder
	b.WriteString(`Bearer realm="` + bearerRealm + `"`)
	if code != "" {
		b.WriteString(`, error="` + code + `"`)
	}
	if description != "" {
		b.WriteString(`, error_description="` + cleanDescription(description) + `"`)
	}
	if scope != "" {
		b.WriteString(`, scope="` + scope + `"`)
	}
	return b.String()
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
