package oauth

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Login with Amazon paths (api.amazon.com). The SDKs spell the token path
// /auth/O2/token; canonicalPath folds the case.
const (
	lwaTokenPath     = "/auth/o2/token"
	lwaTokenInfoPath = "/auth/o2/tokeninfo"
	lwaProfilePath   = "/user/profile"
)

// handleLWAToken plays LWA's token endpoint: form or JSON bodies (ask-cli
// posts JSON), credentials in the body or Basic, client_credentials for
// skill messaging, opaque Atza|/Atzr| tokens with token_type "bearer".
func (s *Server) handleLWAToken(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodPost) {
		return
	}
	resp, e := s.tokenRequest(r, true)
	if e != nil {
		writeLWAError(w, r, e)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// writeLWAError renders errors as integrators report LWA's: the
// description first, Amazon's wording, and an x-amzn-ErrorType header
// (its suffix after ':' in real answers is not reproduced).
func writeLWAError(w http.ResponseWriter, r *http.Request, e *Error) {
	entry(r).Outcome = e.Type
	desc, exception := lwaWording(e)
	h := w.Header()
	h.Set("x-amzn-ErrorType", exception+":")
	if e.challenge != "" {
		h.Set("WWW-Authenticate", e.challenge)
	}
	body := struct {
		Description string `json:"error_description"`
		Error       string `json:"error"`
	}{desc, e.Type}
	writeJSON(w, e.Status, body)
}

func lwaWording(e *Error) (desc, exception string) {
	switch e.Type {
	case ErrorInvalidGrant:
		if e.param == "refresh_token" {
			return "The request has an invalid grant parameter : refresh_token. User may have revoked or didn't grant the permission.", "OA2InvalidGrantException"
		}
		return "The request has an invalid grant parameter : " + orDefault(e.param, "code"), "OA2InvalidGrantException"
	case ErrorInvalidClient:
		return "Client authentication failed", "OA2InvalidClientException"
	case ErrorUnauthorizedClient:
		return "Not authorized for requested operation", "OA2UnauthorizedClientException"
	case ErrorUnsupportedGrantType:
		return "The authorization grant type is not supported by the authorization server", "OA2UnsupportedGrantTypeException"
	case ErrorInvalidScope:
		// As LWA answers a token request for a scope the client may not
		// have (amzn/selling-partner-api-models#1238); /ap/oa words it
		// differently (lwaAuthorizeWording).
		return "The request has an invalid parameter : scope", "OA2InvalidScopeException"
	case ErrorInvalidRequest:
		if e.param != "" {
			return "The request has an invalid parameter : " + e.param, "OA2InvalidRequestException"
		}
		return "The request is missing a required parameter or is otherwise malformed", "OA2InvalidRequestException"
	}
	return cleanDescription(e.Description), "OA2ServerErrorException"
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// lwaUserID is the user's "user_id" claim, or a stable amzn1.account id.
func lwaUserID(u *user) string {
	if id, ok := u.Claims["user_id"].(string); ok && id != "" {
		return id
	}
	sum := sha256.Sum256([]byte(u.Username))
	return "amzn1.account." + strings.ToUpper(hex.EncodeToString(sum[:14]))
}

// handleLWAProfile is GET /user/profile: user_id, name and email, or only
// user_id for a token limited to the profile:user_id scope.
func (s *Server) handleLWAProfile(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet) {
		return
	}
	t := s.bearer(w, r)
	if t == nil {
		return
	}
	u := s.users[t.username]
	out := map[string]any{"user_id": lwaUserID(u)}
	if len(t.scopes) == 1 && t.scopes[0] == "profile:user_id" {
		writeJSON(w, http.StatusOK, out)
		return
	}
	out["name"] = u.Claims["name"]
	for _, k := range []string{"email", "postal_code"} {
		if v, ok := u.Claims[k]; ok && (k == "email" || slices.Contains(t.scopes, "postal_code")) {
			out[k] = v
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// handleLWATokenInfo is GET /auth/o2/tokeninfo?access_token=…, which
// clients use to check a token's audience (aud is the client id).
func (s *Server) handleLWATokenInfo(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet) {
		return
	}
	t := s.lookupToken(r.URL.Query().Get("access_token"))
	if t == nil || t.kind != accessToken {
		writeLWAError(w, r, &Error{Type: ErrorInvalidRequest, Status: http.StatusBadRequest, param: "access_token"})
		return
	}
	out := map[string]any{
		"iss":    "https://www.amazon.com",
		"aud":    t.clientID,
		"app_id": t.clientID,
		"exp":    int64(t.expires.Sub(s.now()).Seconds()),
		"iat":    t.issuedAt.Unix(),
	}
	if u := s.users[t.username]; u != nil {
		out["user_id"] = lwaUserID(u)
	}
	writeJSON(w, http.StatusOK, out)
}

// AccessToken reports the user and scopes of an access token this server
// issued to a user and that is still active: not expired, not revoked. A
// resource server beside the fake checks bearer tokens with it, as
// fakes/smapi does for the Skill Management API.
func (s *Server) AccessToken(token string) (username string, scopes []string, ok bool) {
	t := s.lookupToken(token)
	if t == nil || t.kind != accessToken || t.username == "" {
		return "", nil, false
	}
	return t.username, slices.Clone(t.scopes), true
}

// IssueLWATokens mints an Atza| access token and an Atzr| refresh token
// for username as if the developer had signed in at /ap/oa, for the refresh
// token that `asksim fakes` prints as ASK_REFRESH_TOKEN. scopes nil means all
// the client's scopes. The refresh token, like LWA's, never rotates.
func (s *Server) IssueLWATokens(username, clientID string, scopes []string) (TokenResponse, error) {
	c, u, scopes, err := s.checkGrantee(username, clientID, scopes)
	if err != nil {
		return TokenResponse{}, err
	}
	resp, recs, err := s.mint(grantInfo{client: c, username: u.Username, scopes: scopes, family: &family{},
		refresh: true, lwa: true, issuer: s.cfg.Issuer})
	if err != nil {
		return TokenResponse{}, fmt.Errorf("oauth: %w", err)
	}
	s.addTokens(recs)
	return resp, nil
}
