package oauth

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// TokenResponse is the JSON body of a successful token answer (RFC 6749 §5.1).
type TokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in,omitempty"` // seconds; absent only with Client.OmitExpiresIn
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope,omitempty"`
}

// randomToken returns 256 bits from crypto/rand, base64url-encoded
// (RFC 6749 §10.10 asks for at least 128).
func randomToken() string { return randomString(32) }

func randomString(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand docs, Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// LWA tokens are opaque and long: "Atza|" access tokens are at least 350
// characters (developer.amazon.com/docs/login-with-amazon/access-token.html).
func lwaToken(prefix string) string { return prefix + randomString(270) }

// grantInfo is what a new set of tokens is minted for.
type grantInfo struct {
	client        *client
	username      string   // empty for client_credentials
	scopes        []string // of the access token
	refreshScopes []string // of a new refresh token; defaults to scopes
	family        *family
	refresh       bool // also mint a refresh token
	lwa           bool
	issuer        string
}

// mint creates tokens and their records without touching the store, so
// the slow part (RSA signing) runs outside the lock.
func (s *Server) mint(g grantInfo) (TokenResponse, map[string]*tokenRecord, error) {
	now := s.now()
	resp := TokenResponse{TokenType: "Bearer", Scope: strings.Join(g.scopes, " ")}
	if !g.client.OmitExpiresIn {
		resp.ExpiresIn = int64(s.cfg.AccessTokenTTL / time.Second)
	}
	at := &tokenRecord{kind: accessToken, clientID: g.client.ID, username: g.username, scopes: g.scopes,
		issuedAt: now, expires: now.Add(s.cfg.AccessTokenTTL), issuer: g.issuer, family: g.family}
	switch {
	case g.lwa:
		resp.TokenType = "bearer" // LWA answers lower case
		resp.AccessToken = lwaToken("Atza|")
	case s.cfg.AccessTokenFormat == FormatOpaque:
		resp.AccessToken = randomToken()
	default:
		var err error
		if resp.AccessToken, err = s.signAccessToken(at); err != nil {
			return TokenResponse{}, nil, err
		}
	}
	recs := map[string]*tokenRecord{resp.AccessToken: at}
	if g.refresh {
		scopes := g.refreshScopes
		if scopes == nil {
			scopes = g.scopes
		}
		rt := &tokenRecord{kind: refreshToken, clientID: g.client.ID, username: g.username, scopes: scopes,
			issuedAt: now, issuer: g.issuer, family: g.family}
		if s.cfg.RefreshTokenTTL > 0 {
			rt.expires = now.Add(s.cfg.RefreshTokenTTL)
		}
		resp.RefreshToken = randomToken()
		if g.lwa {
			resp.RefreshToken = lwaToken("Atzr|")
		}
		recs[resp.RefreshToken] = rt
	}
	return resp, recs, nil
}

// accessClaims follow RFC 9068 (JWT profile for OAuth 2.0 access tokens).
type accessClaims struct {
	jwt.RegisteredClaims
	ClientID string `json:"client_id"`
	Scope    string `json:"scope,omitempty"`
}

func (s *Server) signAccessToken(t *tokenRecord) (string, error) {
	key, kid, err := s.signingKey()
	if err != nil {
		return "", err
	}
	claims := accessClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    t.issuer,
			Subject:   s.subject(t),
			ExpiresAt: jwt.NewNumericDate(t.expires),
			IssuedAt:  jwt.NewNumericDate(t.issuedAt),
			ID:        randomString(16),
		},
		ClientID: t.clientID,
		Scope:    strings.Join(t.scopes, " "),
	}
	if t.issuer != "" {
		claims.Audience = jwt.ClaimStrings{t.issuer}
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = kid
	tok.Header["typ"] = "at+jwt"
	return tok.SignedString(key)
}

// subject is the user's sub claim, or the client for client_credentials.
func (s *Server) subject(t *tokenRecord) string {
	if u := s.users[t.username]; u != nil {
		if sub, ok := u.Claims["sub"].(string); ok {
			return sub
		}
	}
	return t.clientID
}

// prepareKey generates the signing key, unless the config gave one, as
// soon as the server exists. Generating it on the first token request put
// a 2048-bit generation (tens of milliseconds, and seconds on a loaded
// machine) inside the first token exchange, which Alexa allows only 4.5 s;
// done here it runs while the caller is still setting up, and the
// goroutine ends when the key is made.
func (s *Server) prepareKey() {
	defer close(s.keyReady)
	if s.key == nil {
		s.key, s.keyErr = rsa.GenerateKey(rand.Reader, 2048)
	}
	if s.keyErr == nil {
		s.kid = thumbprint(&s.key.PublicKey)
	}
}

// PrepareKey starts making the signing key in the background, unless it
// is made or under way. New calls it for a server issuing JWTs, unless
// Config.DeferKey leaves it to the caller, ahead of the first token it
// expects; a server issuing opaque tokens (the LWA fake) makes it only when
// /jwks.json or PublicKey first asks.
func (s *Server) PrepareKey() { s.keyOnce.Do(func() { go s.prepareKey() }) }

// signingKey waits for prepareKey, which usually finished long ago, and
// starts it when nothing has yet.
func (s *Server) signingKey() (*rsa.PrivateKey, string, error) {
	s.PrepareKey()
	<-s.keyReady
	return s.key, s.kid, s.keyErr
}

// thumbprint is the RFC 7638 JWK thumbprint, a stable kid for the key.
func thumbprint(k *rsa.PublicKey) string {
	j := jwk(k, "")
	canon := fmt.Sprintf(`{"e":%q,"kty":"RSA","n":%q}`, j.E, j.N)
	sum := sha256.Sum256([]byte(canon))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

type jsonWebKey struct {
	Kty string `json:"kty"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	Kid string `json:"kid,omitempty"`
	N   string `json:"n"`
	E   string `json:"e"`
}

func jwk(k *rsa.PublicKey, kid string) jsonWebKey {
	return jsonWebKey{Kty: "RSA", Use: "sig", Alg: "RS256", Kid: kid,
		N: base64.RawURLEncoding.EncodeToString(k.N.Bytes()),
		E: base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.E)).Bytes())}
}

func (s *Server) handleJWKS(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	key, kid, err := s.signingKey()
	if err != nil {
		writeError(w, r, newError(ErrorServerError, http.StatusInternalServerError, "no signing key"))
		return
	}
	writeJSON(w, http.StatusOK, map[string][]jsonWebKey{"keys": {jwk(&key.PublicKey, kid)}})
}

// PublicKey returns the key that verifies JWT access tokens, for tests
// that check tokens without fetching /jwks.json.
func (s *Server) PublicKey() (*rsa.PublicKey, string, error) {
	key, kid, err := s.signingKey()
	if err != nil {
		return nil, "", err
	}
	return &key.PublicKey, kid, nil
}

// IssueTokens mints an access and (when the client may refresh) a refresh
// token for username as if the browser flow had run, for tests that need a
// linked user without a login page. scopes nil means all the client's scopes.
func (s *Server) IssueTokens(username, clientID string, scopes []string) (TokenResponse, error) {
	c, u, scopes, err := s.checkGrantee(username, clientID, scopes)
	if err != nil {
		return TokenResponse{}, err
	}
	resp, recs, err := s.mint(grantInfo{client: c, username: u.Username, scopes: scopes, family: &family{},
		refresh: c.allows(GrantRefreshToken), issuer: s.cfg.Issuer})
	if err != nil {
		return TokenResponse{}, fmt.Errorf("oauth: %w", err)
	}
	s.addTokens(recs)
	return resp, nil
}

// IssueCode stores an authorization code for username as if the user had
// approved a request without PKCE and with redirect_uri sent (redirectURI
// must be registered). Tests of token clients and of Alexa's AcceptGrant
// use it to skip the browser.
func (s *Server) IssueCode(username, clientID, redirectURI string, scopes []string) (string, error) {
	c, u, scopes, err := s.checkGrantee(username, clientID, scopes)
	if err != nil {
		return "", err
	}
	if !c.registered(redirectURI) {
		return "", fmt.Errorf("oauth: client %q: redirect URI %q is not registered", clientID, redirectURI)
	}
	code := randomToken()
	s.addCode(code, &codeRecord{clientID: c.ID, username: u.Username, redirectURI: redirectURI, redirectSent: true,
		scopes: scopes, expires: s.now().Add(s.cfg.CodeTTL)})
	return code, nil
}

func (s *Server) checkGrantee(username, clientID string, scopes []string) (*client, *user, []string, error) {
	c := s.clients[clientID]
	if c == nil {
		return nil, nil, nil, fmt.Errorf("oauth: unknown client %q", clientID)
	}
	u := s.users[username]
	if u == nil {
		return nil, nil, nil, fmt.Errorf("oauth: unknown user %q", username)
	}
	if scopes == nil {
		scopes = c.Scopes
	}
	if bad := c.unknownScope(scopes); bad != "" {
		return nil, nil, nil, fmt.Errorf("oauth: client %q: scope %q not allowed", clientID, bad)
	}
	return c, u, scopes, nil
}

func (c *client) registered(redirectURI string) bool {
	for _, u := range c.RedirectURIs {
		if u == redirectURI { // byte equality, RFC 9700 §4.1.3
			return true
		}
	}
	return false
}

// unknownScope returns the first scope the client may not have, or "".
func (c *client) unknownScope(scopes []string) string {
	return firstMissing(scopes, c.Scopes)
}

// firstMissing returns the first of want not in have, or "".
func firstMissing(want, have []string) string {
	for _, w := range want {
		found := false
		for _, h := range have {
			found = found || h == w
		}
		if !found {
			return w
		}
	}
	return ""
}
