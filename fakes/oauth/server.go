package oauth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asksim/asksim/internal/faults"
	"github.com/asksim/asksim/internal/recorder"
	"github.com/asksim/asksim/internal/ring"
)

// Server is the fake authorization server. It is an http.Handler and never
// listens by itself: wrap it in httptest.NewServer or an http.Server.
type Server struct {
	cfg     Config
	clients map[string]*client
	users   map[string]*user
	mux     *http.ServeMux
	pages   *template.Template
	csrfKey []byte

	keyOnce  sync.Once     // starts prepareKey
	keyReady chan struct{} // closed once key, kid and keyErr are set
	key      *rsa.PrivateKey
	kid      string
	keyErr   error

	store // codes and tokens

	requests *ring.Buffer[Request]
	seq      atomic.Uint64

	// resources are the protected resources by path, then method.
	resources map[string]map[string]*resource

	faults faults.Plan // by path
}

type client struct {
	Client
	secretDigest [sha256.Size]byte
}

type user struct {
	User
	passwordDigest [sha256.Size]byte
}

// equalSecret compares in constant time over equal-length digests, so
// neither content nor length of the secret leaks through timing.
func equalSecret(want [sha256.Size]byte, got string) bool {
	g := sha256.Sum256([]byte(got))
	return subtle.ConstantTimeCompare(want[:], g[:]) == 1
}

// New validates cfg, applies defaults and returns a server with empty state.
func New(cfg Config) (*Server, error) {
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("oauth: %w", err)
	}
	if cfg.CodeTTL == 0 {
		cfg.CodeTTL = DefaultCodeTTL
	}
	if cfg.AccessTokenTTL == 0 {
		cfg.AccessTokenTTL = DefaultAccessTokenTTL
	}
	if cfg.AccessTokenFormat == "" {
		cfg.AccessTokenFormat = FormatJWT
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxLoggedRequests == 0 {
		cfg.MaxLoggedRequests = DefaultMaxLoggedRequests
	}
	if cfg.MaxTokens == 0 {
		cfg.MaxTokens = DefaultMaxTokens
	}
	cfg.Issuer = strings.TrimSuffix(cfg.Issuer, "/")
	s := &Server{
		cfg:      cfg,
		clients:  map[string]*client{},
		users:    map[string]*user{},
		store:    newStore(),
		requests: ring.New[Request](cfg.MaxLoggedRequests),
		csrfKey:  make([]byte, 32),
		key:      cfg.SigningKey,
	}
	rand.Read(s.csrfKey)
	s.keyReady = make(chan struct{})
	if !cfg.DeferKey && cfg.AccessTokenFormat == FormatJWT {
		s.PrepareKey() // opaque tokens need no key but for /jwks.json
	}
	for _, c := range cfg.Clients {
		// Copy slices so that later edits of the caller's Config don't race.
		c.RedirectURIs, c.Scopes, c.Grants = slices.Clone(c.RedirectURIs), slices.Clone(c.Scopes), slices.Clone(c.Grants)
		c.CodePageRedirectURIs = slices.Clone(c.CodePageRedirectURIs)
		if c.PKCE == "" {
			c.PKCE = PKCEOptional
		}
		s.clients[c.ID] = &client{Client: c, secretDigest: sha256.Sum256([]byte(c.Secret))}
	}
	for _, u := range cfg.Users {
		claims := map[string]any{"sub": u.Username, "name": u.Username}
		for k, v := range u.Claims {
			claims[k] = v
		}
		u.Claims = claims
		s.users[u.Username] = &user{User: u, passwordDigest: sha256.Sum256([]byte(u.Password))}
	}
	s.cfg.Resources = nil
	for _, r := range cfg.Resources {
		s.cfg.Resources = append(s.cfg.Resources, r.clone())
	}
	s.resources = map[string]map[string]*resource{}
	for _, r := range s.cfg.Resources {
		res := newResource(r) // compiles copies of the bodies
		if s.resources[r.Path] == nil {
			s.resources[r.Path] = map[string]*resource{}
		}
		s.resources[r.Path][res.Method] = res
	}
	var err error
	if s.pages, err = parsePages(); err != nil {
		return nil, fmt.Errorf("oauth: login page template: %w", err)
	}
	s.routes()
	return s, nil
}

// routes is the one place where paths meet handlers.
func (s *Server) routes() {
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("/authorize", s.handleAuthorize)
	s.mux.HandleFunc("/token", s.handleToken)
	s.mux.HandleFunc("/userinfo", s.handleUserinfo)
	s.mux.HandleFunc("/introspect", s.handleIntrospect)
	s.mux.HandleFunc("/revoke", s.handleRevoke)
	s.mux.HandleFunc("/.well-known/oauth-authorization-server", s.handleMetadata)
	s.mux.HandleFunc("/.well-known/openid-configuration", s.handleMetadata)
	s.mux.HandleFunc("/jwks.json", s.handleJWKS)
	s.mux.HandleFunc(lwaAuthorizePath, s.handleLWAAuthorize)
	s.mux.HandleFunc(lwaTokenPath, s.handleLWAToken)
	s.mux.HandleFunc(lwaTokenInfoPath, s.handleLWATokenInfo)
	s.mux.HandleFunc(lwaProfilePath, s.handleLWAProfile)
	for p, byMethod := range s.resources {
		s.mux.HandleFunc(p, s.handleResource(byMethod))
	}
}

func (s *Server) now() time.Time { return s.cfg.Now() }

// canonicalPath maps LWA's case-insensitive paths (the SDKs send
// /auth/O2/token) onto the registered spelling.
func canonicalPath(p string) string {
	for _, c := range []string{lwaTokenPath, lwaTokenInfoPath} {
		if strings.EqualFold(p, c) {
			return c
		}
	}
	return p
}

// ServeHTTP records the request, plays any scripted fault, then routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := canonicalPath(r.URL.Path)
	rec := &Request{Time: s.now(), Endpoint: path, Method: r.Method}
	sw := &recorder.Writer{ResponseWriter: w}
	r = r.WithContext(context.WithValue(r.Context(), logKey{}, rec))
	if path != r.URL.Path {
		u := *r.URL
		u.Path, u.RawPath = path, ""
		r.URL = &u
	}
	var drop bool
	r = r.WithContext(context.WithValue(r.Context(), dropKey{}, &drop))
	defer func() { // also when a handler aborts
		s.record(rec, sw, r)
		if drop {
			faults.Drop(w)
		}
	}()
	if f, ok := s.faults.Take(path); ok && s.playFault(sw, r, f) {
		return
	}
	s.mux.ServeHTTP(sw, r)
}

// issuer is the configured issuer or the one this request was sent to.
func (s *Server) issuer(r *http.Request) string {
	if s.cfg.Issuer != "" || r == nil {
		return s.cfg.Issuer
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// LoopbackOnly reports an error unless addr ("host:port") names a loopback
// host. Commands serving this fake call it before listening unless the user
// explicitly asked for another interface (checklist row I1).
func LoopbackOnly(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("oauth: address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("oauth: address %q is not loopback (127.0.0.1, ::1 or localhost); listening elsewhere needs an explicit opt-in", addr)
}
