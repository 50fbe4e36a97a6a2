package smapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/asksim/asksim/internal/faults"
	"github.com/asksim/asksim/internal/logsafe"
	"github.com/asksim/asksim/internal/recorder"
	"github.com/asksim/asksim/internal/ring"
	"github.com/google/uuid"
)

// DefaultVendorID is the vendor of the developer account: M2ASKSIMVENDOR,
// as in the account-linking redirect URIs of the OAuth fake.
const DefaultVendorID = "M2ASKSIMVENDOR"

// Defaults of Config.
const (
	// DefaultResultTTL is how long simulation results are kept: SMAPI
	// keeps them 10 minutes (docs/smapi-contract.md §3).
	DefaultResultTTL = 10 * time.Minute
	// DefaultSimulationTimeout bounds one simulated turn, every skill call
	// of an auto-delegated dialog included.
	DefaultSimulationTimeout = 30 * time.Second
	// DefaultInvocationTimeout is SMAPI's 10 s for the invocation API.
	DefaultInvocationTimeout = 10 * time.Second
	// DefaultMaxResults bounds the simulation results kept at once; the
	// oldest go first.
	DefaultMaxResults = 1000
	// DefaultMaxSessions bounds the open simulated sessions; the least
	// recently used is closed first.
	DefaultMaxSessions = 1000
)

// Tokens checks the LWA access tokens SMAPI is called with. The LWA fake
// (*oauth.Server) implements it.
type Tokens interface {
	// AccessToken reports the user and scopes of an active access token.
	AccessToken(token string) (user string, scopes []string, ok bool)
}

// Config configures a Server.
type Config struct {
	// Tokens checks bearer tokens: the LWA fake that issued them. Required.
	Tokens Tokens
	// Backend loads skill packages and plays simulations and invocations.
	// Required.
	Backend Backend
	// Skills are the developer's skills; at least one.
	Skills []Skill
	// VendorID defaults to DefaultVendorID; VendorName to "asksim".
	VendorID   string
	VendorName string
	// Now is the clock of result expiry and update times. Defaults to
	// time.Now.
	Now func() time.Time
	// ResultTTL defaults to DefaultResultTTL, SimulationTimeout to
	// DefaultSimulationTimeout, InvocationTimeout to
	// DefaultInvocationTimeout.
	ResultTTL         time.Duration
	SimulationTimeout time.Duration
	InvocationTimeout time.Duration
	// MaxResults, MaxSessions and MaxLoggedRequests bound memory; they
	// default to DefaultMaxResults, DefaultMaxSessions and
	// DefaultMaxLoggedRequests.
	MaxResults        int
	MaxSessions       int
	MaxLoggedRequests int
	// Logf, when set, receives one line per call.
	Logf func(format string, args ...any)
}

// Skill is one of the developer's skills, in its development stage.
type Skill struct {
	// ID is amzn1.ask.skill.<uuid>: `ask dialog --skill-id` accepts no
	// other form.
	ID string
	// Files is the skill package by slash path, as in an ASK CLI project's
	// skill-package directory: skill.json and
	// interactionModels/custom/<locale>.json.
	Files map[string][]byte
	// AccountLinking, when set, is the skill's account linking: the
	// accountLinkingRequest object of update-account-linking-info.
	AccountLinking []byte
}

// skillIDRE is the form `ask dialog --skill-id` accepts
// (docs/smapi-contract.md §5.3).
var skillIDRE = regexp.MustCompile(`^amzn\d((\.ask\.skill)|(\.echo-sdk-ams\.app))\.\w{8}-\w{4}-\w{4}-\w{4}-\w{12}$`)

// Server is the fake Skill Management API, an http.Handler serving the
// paths under /v1 and /v2 of ASK_SMAPI_SERVER_BASE_URL. It is safe for
// concurrent use. Close it to end simulations in flight.
type Server struct {
	cfg      Config
	ops      []*operation
	requests *ring.Buffer[Request]
	faults   faults.Plan

	mu     sync.RWMutex // guards the skills' documents
	skills map[string]*skill
	order  []string

	sims *simulations

	ctx    context.Context // ends with Close; simulations run under it
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New checks cfg, loads every skill through the Backend and returns a
// Server.
func New(cfg Config) (*Server, error) {
	switch {
	case cfg.Tokens == nil:
		return nil, errors.New("smapi: Config.Tokens is required (the LWA fake, *oauth.Server)")
	case cfg.Backend == nil:
		return nil, errors.New("smapi: Config.Backend is required")
	case len(cfg.Skills) == 0:
		return nil, errors.New("smapi: Config.Skills is empty; the developer needs a skill")
	}
	if cfg.VendorID == "" {
		cfg.VendorID = DefaultVendorID
	}
	if cfg.VendorName == "" {
		cfg.VendorName = "asksim"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.ResultTTL = orDuration(cfg.ResultTTL, DefaultResultTTL)
	cfg.SimulationTimeout = orDuration(cfg.SimulationTimeout, DefaultSimulationTimeout)
	cfg.InvocationTimeout = orDuration(cfg.InvocationTimeout, DefaultInvocationTimeout)
	cfg.MaxResults = orInt(cfg.MaxResults, DefaultMaxResults)
	cfg.MaxSessions = orInt(cfg.MaxSessions, DefaultMaxSessions)
	cfg.MaxLoggedRequests = orInt(cfg.MaxLoggedRequests, DefaultMaxLoggedRequests)
	s := &Server{
		cfg:      cfg,
		requests: ring.New[Request](cfg.MaxLoggedRequests),
		skills:   map[string]*skill{},
	}
	for i, sk := range cfg.Skills {
		if !skillIDRE.MatchString(sk.ID) {
			return nil, fmt.Errorf("smapi: skill #%d: id %q is not amzn1.ask.skill.<uuid>, the only form ask dialog accepts", i+1, sk.ID)
		}
		if s.skills[sk.ID] != nil {
			return nil, fmt.Errorf("smapi: skill %s is configured twice", sk.ID)
		}
		st, err := newSkill(sk, cfg.Now())
		if err != nil {
			return nil, fmt.Errorf("smapi: skill %s: %w", sk.ID, err)
		}
		if err := cfg.Backend.LoadSkill(sk.ID, st.files); err != nil {
			return nil, fmt.Errorf("smapi: skill %s: %w", sk.ID, err)
		}
		s.skills[sk.ID] = st
		s.order = append(s.order, sk.ID)
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.sims = newSimulations(cfg)
	s.ops = s.operations()
	return s, nil
}

func orDuration(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

func orInt(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

// Close ends the simulations in flight, waits for them and closes every
// open session. The Server answers no simulation afterwards.
func (s *Server) Close() {
	s.cancel()
	s.wg.Wait()
	s.sims.closeAll()
}

// Requests returns the calls answered so far, oldest first (at most
// Config.MaxLoggedRequests).
func (s *Server) Requests() []Request { return s.requests.All() }

// ResetRequests forgets the calls answered so far.
func (s *Server) ResetRequests() { s.requests.Reset() }

// Fail makes the next n answers on key play f. key is a path (e.g.
// "/v1/vendors"), an operation (the ask smapi command, e.g.
// "simulate-skill") or a route pattern (e.g.
// "/v2/skills/{skillId}/stages/{stage}/simulations"); an exact path's
// faults are used first, then the operation's, then the pattern's. Faults
// queue; n <= 0 clears key's faults. A fault that cannot be played, or a
// key that is neither a path nor an operation, is refused with an error
// and nothing is queued (docs/faults.md).
func (s *Server) Fail(key string, n int, f Fault) error {
	if !strings.HasPrefix(key, "/") && !slices.Contains(s.Operations(), key) {
		return fmt.Errorf("smapi: Fail: %q is neither a path (\"/v1/…\") nor an operation (%s)", key, strings.Join(s.Operations(), ", "))
	}
	if n > 0 {
		if err := f.Check(); err != nil {
			return fmt.Errorf("smapi: Fail(%q): %w", key, err)
		}
	}
	s.faults.Add(key, n, f)
	return nil
}

// Fault is an injected failure (see Server.Fail). A Status without Body
// answers {"message": <status text>}.
type Fault = faults.Fault

// call is one request being answered.
type call struct {
	w      *recorder.Writer
	r      *http.Request
	op     *operation
	params map[string]string
	// developer and scopes come from the token.
	developer string
	scopes    []string
	rec       Request
}

func (c *call) param(name string) string { return c.params[name] }

// malformedBody is cut mid-object, as a truncated answer would be.
const malformedBody = `{"message":"trunc`

// ServeHTTP answers one call: route, scripted fault, token, scope, then
// the operation.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := &call{w: &recorder.Writer{ResponseWriter: w}, r: r,
		rec: Request{Time: s.cfg.Now(), Method: r.Method, Path: r.URL.Path, RequestID: uuid.NewString()}}
	// The exact spelling the CLI's debug log reads (docs/smapi-contract.md §4.1).
	w.Header()["x-amzn-RequestId"] = []string{c.rec.RequestID}
	token := bearerToken(r.Header.Get("Authorization"))
	c.rec.Token = redactToken(token)
	op, params, allowed := s.match(r.Method, r.URL.EscapedPath())
	keys := []string{r.URL.Path}
	if op != nil {
		c.op, c.params, c.rec.Operation = op, params, op.name
		keys = append(keys, op.name, op.pattern)
	}
	if f, ok := s.faults.Take(keys...); ok {
		o := faults.Player{ErrorBody: statusBody, Malformed: []byte(malformedBody), MaxBody: maxBody}.Play(c.w, r, f)
		c.rec.Detail = o.Detail
		if o.Done {
			s.finish(c, o.Status, DecisionFault)
			if o.Drop {
				faults.Drop(w)
			}
			return
		}
	}
	if e := s.serve(c, token, allowed); e != nil {
		s.fail(c, e)
		return
	}
	s.finish(c, c.w.Status, DecisionOK)
}

// serve authorises the call and runs its operation.
func (s *Server) serve(c *call, token string, allowed []string) *apiError {
	switch {
	case c.op == nil && len(allowed) == 0:
		return notFound("asksim's SMAPI fake has no operation at %s; see docs/smapi.md for those it serves.", c.r.URL.Path)
	case c.op == nil:
		c.w.Header().Set("Allow", strings.Join(allowed, ", "))
		return errorf(http.StatusMethodNotAllowed, DecisionMethodNotAllowed, "%s is not allowed on %s; use %s.", c.r.Method, c.r.URL.Path, strings.Join(allowed, " or "))
	}
	if token == "" {
		return s.unauthorized(c, "No access token: send Authorization: Bearer <LWA access token>.")
	}
	user, scopes, ok := s.cfg.Tokens.AccessToken(token)
	if !ok {
		return s.unauthorized(c, "The access token is invalid or expired; get a new one from Login with Amazon.")
	}
	c.developer, c.scopes, c.rec.Developer = user, scopes, user
	if len(c.op.scopes) > 0 && !grantsAny(scopes, c.op.scopes) {
		return errorf(http.StatusForbidden, DecisionMissingScope, "The access token does not grant %s, which %s needs.",
			strings.Join(c.op.scopes, " or "), c.op.name)
	}
	return c.op.handle(s, c)
}

func (s *Server) unauthorized(c *call, msg string) *apiError {
	c.w.Header().Set("WWW-Authenticate", `Bearer realm="asksim-smapi"`)
	return errorf(http.StatusUnauthorized, DecisionBadToken, "%s", msg)
}

// bearerToken reads "Bearer <t>" or a bare "<t>": `ask smapi` sends the
// first, `ask dialog` the second (docs/smapi-contract.md §1.4).
func bearerToken(h string) string {
	h = strings.TrimSpace(h)
	if scheme, rest, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(rest)
	}
	return h
}

func (s *Server) fail(c *call, e *apiError) {
	c.rec.Detail = e.message
	if len(e.violations) > 0 {
		c.rec.Detail += " " + e.violations[0].Message
	}
	writeJSON(c.w, e.status, json.RawMessage(e.body()))
	s.finish(c, e.status, e.decision)
}

// finish logs the call.
func (s *Server) finish(c *call, status int, decision string) {
	c.rec.Status, c.rec.Decision = status, decision
	s.requests.Add(c.rec)
	if s.cfg.Logf != nil {
		// Path, method, developer and detail come from outside: quoted so
		// that one request makes one line.
		s.cfg.Logf("%s %s %s -> %d %s developer=%s op=%s %s", c.rec.RequestID, logsafe.Quote(c.rec.Method), logsafe.Quote(c.rec.Path),
			status, decision, logsafe.Quote(c.rec.Developer), c.rec.Operation, logsafe.Text(c.rec.Detail))
	}
}

// skillOf returns the call's skill; stage, when the route has one, must be
// development (docs/smapi.md).
func (s *Server) skillOf(c *call) (*skill, *apiError) {
	id := c.param("skillId")
	s.mu.RLock()
	sk := s.skills[id]
	s.mu.RUnlock()
	if sk == nil {
		return nil, notFound("Skill %s not found: this developer's skills are %s.", id, strings.Join(s.order, ", "))
	}
	stage, has := c.params["stage"]
	switch {
	case !has || stage == stageDevelopment:
		return sk, nil
	case !slices.Contains(stages, stage):
		return nil, badRequest(fmt.Sprintf("Stage %q is not valid; use one of %s.", stage, strings.Join(stages, ", ")),
			violation{Code: "INVALID_STAGE", Message: fmt.Sprintf("stage must be one of %s", strings.Join(stages, ", "))})
	}
	return nil, notFound("Skill %s has no %s stage: it was never certified or published.", id, stage)
}

const stageDevelopment = "development"

// stages are SMAPI's stage names; the ASK CLI's "certification" is not one.
var stages = []string{stageDevelopment, "certified", "live"}
