package alexaapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/asksim/asksim/simulator/apitoken"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/asksim/asksim/simulator/alexa"
	"github.com/golang-jwt/jwt/v5"

	"github.com/asksim/asksim/internal/faults"
	"github.com/asksim/asksim/internal/logsafe"
	"github.com/asksim/asksim/internal/ring"
)

// Config configures a Server.
type Config struct {
	// Keyfunc verifies apiAccessTokens: signer.Keyfunc() of the
	// apitoken.Signer that signs the envelopes, or apitoken.Keyfunc(pub,
	// kid) for a key shared through a file. Required.
	Keyfunc jwt.Keyfunc
	// Now is the clock that token expiry is checked against. Defaults to
	// time.Now.
	Now func() time.Time
	// Profiles are the users' data by user id (the token's
	// privateClaims.userId). SetProfile adds to them later.
	Profiles map[string]Profile
	// DefaultProfile is the profile of users not in Profiles. Defaults to
	// DefaultProfile(), which has every field filled.
	DefaultProfile *Profile
	// ManifestPermissions are the skill manifest's permission names
	// (manifest.permissions[].name, as model.LoadManifest reads them). When not
	// nil, a scope whose permission is not declared answers 403 FORBIDDEN
	// even when the token grants it. Nil skips the check.
	ManifestPermissions []string
	// Logf, when set, receives one line per call.
	Logf func(format string, args ...any)
	// MaxLoggedRequests bounds Requests and Directives; older entries are
	// dropped. Defaults to DefaultMaxLoggedRequests.
	MaxLoggedRequests int
	// TokenCacheSize bounds the cache of verified tokens. Defaults to
	// DefaultTokenCacheSize.
	TokenCacheSize int
}

// DefaultTokenCacheSize is the default of Config.TokenCacheSize.
const DefaultTokenCacheSize = 4096

// Server is the fake Alexa API server, an http.Handler. It is safe for
// concurrent use.
type Server struct {
	table    []*route
	tokens   *tokenCache
	now      func() time.Time
	logf     func(string, ...any)
	manifest map[string]bool // nil: no manifest check

	mu       sync.RWMutex
	profiles map[string]Profile
	def      Profile

	faults     faults.Plan
	requests   *ring.Buffer[Request]
	directives *ring.Buffer[Directive]
}

// New returns a Server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Keyfunc == nil {
		return nil, errors.New("alexaapi: Config.Keyfunc is required (e.g. signer.Keyfunc())")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxLoggedRequests <= 0 {
		cfg.MaxLoggedRequests = DefaultMaxLoggedRequests
	}
	if cfg.TokenCacheSize <= 0 {
		cfg.TokenCacheSize = DefaultTokenCacheSize
	}
	s := &Server{
		tokens:     newTokenCache(cfg.Keyfunc, cfg.Now, cfg.TokenCacheSize),
		now:        cfg.Now,
		logf:       cfg.Logf,
		profiles:   make(map[string]Profile, len(cfg.Profiles)),
		def:        DefaultProfile(),
		requests:   ring.New[Request](cfg.MaxLoggedRequests),
		directives: ring.New[Directive](cfg.MaxLoggedRequests),
	}
	s.table = s.routes()
	if cfg.DefaultProfile != nil {
		s.def = cfg.DefaultProfile.clone()
	}
	for id, p := range cfg.Profiles {
		s.profiles[id] = p.clone()
	}
	if cfg.ManifestPermissions != nil {
		s.manifest = make(map[string]bool, len(cfg.ManifestPermissions))
		for _, p := range cfg.ManifestPermissions {
			s.manifest[p] = true
		}
	}
	return s, nil
}

// SetProfile sets the profile of a user, from the next call on.
func (s *Server) SetProfile(userID string, p Profile) {
	p = p.clone()
	s.mu.Lock()
	s.profiles[userID] = p
	s.mu.Unlock()
}

// DeleteProfile drops a user's own profile: the user gets the default one
// again. A harness calls it when a scenario's user is done with.
func (s *Server) DeleteProfile(userID string) {
	s.mu.Lock()
	delete(s.profiles, userID)
	s.mu.Unlock()
}

// profile returns the profile of a user, or the default one.
func (s *Server) profile(userID string) Profile {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if p, ok := s.profiles[userID]; ok {
		return p
	}
	return s.def
}

// Requests returns the calls answered so far, oldest first.
func (s *Server) Requests() []Request { return s.requests.All() }

// RequestsFor returns the calls answered so far that carried a valid token
// of userID, oldest first.
func (s *Server) RequestsFor(userID string) []Request {
	// Selected in place: a copy of the whole log for each scenario's few
	// calls cost a long run more than the calls themselves.
	return s.requests.Select(func(r *Request) bool { return r.UserID == userID })
}

// ResetRequests forgets the calls answered so far, and the directives.
func (s *Server) ResetRequests() {
	s.requests.Reset()
	s.directives.Reset()
}

// Directives returns the progressive responses received so far, oldest
// first.
func (s *Server) Directives() []Directive { return s.directives.All() }

// Fail makes the next n answers on path be f. path is a URL path
// ("/v2/accounts/~current/settings/Profile.email") or a route pattern with
// {deviceId} ("/v1/devices/{deviceId}/settings/address") for any device;
// an exact path's faults are used first. Faults queue: Fail twice and the
// second applies once the first is used up. n <= 0 clears path's faults.
// A fault that cannot be played is refused with an error, and nothing is
// queued: see Fault for what is checked.
func (s *Server) Fail(path string, n int, f Fault) error {
	if !strings.HasPrefix(path, "/") {
		return fmt.Errorf("alexaapi: Fail: path %q does not start with \"/\"", path)
	}
	if n > 0 {
		if err := f.Check(); err != nil {
			return fmt.Errorf("alexaapi: Fail(%q): %w", path, err)
		}
	}
	s.faults.Add(path, n, f)
	return nil
}

// call is the state of one call, for the log.
type call struct {
	start  time.Time
	method string
	path   string
	family family
	scope  string
	user   string
	device string
	detail string
}

// ServeHTTP answers one call.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := &call{start: s.now(), method: r.Method, path: r.URL.Path, family: familyOf(r.URL.Path)}
	rt, pathDevice := s.match(r.URL.EscapedPath())
	keys := []string{r.URL.Path}
	if rt != nil {
		c.family = rt.family
		if len(rt.scopes) > 0 {
			c.scope = rt.scopes[0]
		}
		keys = append(keys, rt.pattern)
	}
	if f, ok := s.faults.Take(keys...); ok && s.applyFault(w, r, c, f) {
		return
	}
	switch {
	case rt == nil:
		c.detail = "no Alexa API at this path"
		s.fail(w, c, DecisionNotFound, apiError{http.StatusNotFound, "INVALID_URI",
			fmt.Sprintf("No Alexa API at %s %s in asksim's fake.", r.Method, r.URL.Path)})
		return
	case r.Method != rt.method:
		w.Header().Set("Allow", rt.method)
		c.detail = "allowed: " + rt.method
		s.fail(w, c, DecisionMethodNotAllowed, apiError{http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "The method is not supported."})
		return
	}
	v, err := s.authenticate(r)
	if err != nil {
		c.detail = err.Error()
		s.fail(w, c, DecisionBadToken, errBadToken(c.family))
		return
	}
	c.user, c.device = v.userID, v.deviceID
	if pathDevice != "" && pathDevice != v.deviceID {
		c.detail = "the path's deviceId is not the token's"
		s.fail(w, c, DecisionOtherDevice, errOtherDevice(c.family))
		return
	}
	if len(rt.scopes) > 0 {
		// An undeclared permission cannot have been granted, whatever the
		// token says: Amazon answers FORBIDDEN first.
		if s.manifest != nil && !rt.declared(s.manifest) {
			c.detail = "manifest lacks " + alexa.ManifestName(c.scope)
			s.fail(w, c, DecisionNotInManifest, errNotInManifest(c.family))
			return
		}
		if rt.grantedBy(v) == "" {
			s.fail(w, c, DecisionNotGranted, errNotGranted(c.family))
			return
		}
	}
	if rt.handle != nil {
		rt.handle(s, w, r, c)
		return
	}
	p := s.profile(v.userID)
	val, ok := rt.value(&p)
	if !ok {
		w.WriteHeader(http.StatusNoContent)
		s.finish(c, http.StatusNoContent, DecisionNoValue)
		return
	}
	b, err := json.Marshal(val)
	if err != nil { // cannot happen for the profile types
		s.fail(w, c, DecisionFault, errStatus(c.family, http.StatusInternalServerError, err.Error()))
		return
	}
	writeJSON(w, http.StatusOK, b)
	s.finish(c, http.StatusOK, DecisionGranted)
}

// Trust tells the server that token, with claims, was signed by the key
// its Keyfunc accepts, so that a request carrying it need not be verified:
// for a harness whose signer and fake share a process, where an RS256
// check per new token is a cost and no test. The claims are checked as
// Parse checks them, but for the signature, and the token is honoured only
// between its nbf and exp, as a verified one; any other token is verified.
func (s *Server) Trust(token string, claims *apitoken.Claims) error {
	return s.tokens.trust(token, claims)
}

// authenticate verifies the Bearer token of r.
func (s *Server) authenticate(r *http.Request) (*verified, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, errors.New("no Authorization header (want Bearer <apiAccessToken>)")
	}
	scheme, token, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return nil, errors.New("Authorization is not \"Bearer <apiAccessToken>\"")
	}
	return s.tokens.verify(strings.TrimSpace(token))
}

// fail answers e in the call's API shape, with the call's detail in
// DetailHeader, and logs it.
func (s *Server) fail(w http.ResponseWriter, c *call, decision string, e apiError) {
	if c.detail != "" {
		// Quoted as for the log: the detail may echo the client's input,
		// and no CR or LF may reach a header.
		w.Header().Set(DetailHeader, logsafe.Text(c.detail))
	}
	writeJSON(w, e.status, e.body(c.family))
	s.finish(c, e.status, decision)
}

// finish logs the call.
func (s *Server) finish(c *call, status int, decision string) {
	s.requests.Add(Request{Time: c.start, Method: c.method, Path: c.path, UserID: c.user, DeviceID: c.device,
		Scope: c.scope, Decision: decision, Status: status, Detail: c.detail})
	if s.logf != nil {
		// The method, path, user id and detail came from the client (the
		// detail may quote its body): escaped, no CR or LF in them can
		// start a line of its own.
		line := fmt.Sprintf("%s %s -> %d %s", logsafe.Quote(c.method), logsafe.Quote(c.path), status, decision)
		if c.user != "" {
			line += " user …" + logsafe.Quote(c.user[max(0, len(c.user)-8):])
		}
		if c.detail != "" {
			line += " (" + logsafe.Text(c.detail) + ")"
		}
		s.logf("%s", line)
	}
}

// sendDirectiveRequest is the body of POST /v1/directives
// [M services.directive.SendDirectiveRequest].
type sendDirectiveRequest struct {
	Header *struct {
		RequestID string `json:"requestId"`
	} `json:"header"`
	Directive *struct {
		Type   string `json:"type"`
		Speech string `json:"speech"`
	} `json:"directive"`
}

// maxDirectiveBody bounds what a directive body may be; real speech is at
// most 8000 characters of SSML (§6.3).
const maxDirectiveBody = 64 << 10

// handleDirective records a progressive response [M DirectiveServiceClient;
// §4.4]: 204 when valid, 400 otherwise.
func (s *Server) handleDirective(w http.ResponseWriter, r *http.Request, c *call) {
	var req sendDirectiveRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxDirectiveBody))
	var problem string
	switch err := dec.Decode(&req); {
	case err != nil:
		problem = "body is not a JSON SendDirectiveRequest: " + err.Error()
	case req.Header == nil || req.Header.RequestID == "":
		problem = "header.requestId is missing"
	case req.Directive == nil:
		problem = "directive is missing"
	case req.Directive.Type != "VoicePlayer.Speak":
		problem = fmt.Sprintf("directive.type is %q, want \"VoicePlayer.Speak\"", req.Directive.Type)
	case strings.TrimSpace(req.Directive.Speech) == "":
		problem = "directive.speech is empty"
	}
	if problem != "" {
		c.detail = problem
		s.fail(w, c, DecisionBadRequest, apiError{http.StatusBadRequest, "INVALID_DIRECTIVE", problem})
		return
	}
	s.directives.Add(Directive{Time: c.start, UserID: c.user, RequestID: req.Header.RequestID,
		Type: req.Directive.Type, Speech: req.Directive.Speech})
	w.WriteHeader(http.StatusNoContent)
	s.finish(c, http.StatusNoContent, DecisionGranted)
}
