package smapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/asksim/asksim/internal/faults"
	"github.com/google/uuid"
)

// Simulation statuses (v2.skill.simulations.SimulationsApiResponseStatus).
const (
	StatusInProgress = "IN_PROGRESS"
	StatusSuccessful = "SUCCESSFUL"
	StatusFailed     = "FAILED"
)

// simulations holds results, the developers with a simulation in progress
// and the open sessions.
type simulations struct {
	ttl         time.Duration
	maxResults  int
	maxSessions int
	now         func() time.Time

	mu       sync.Mutex
	results  map[string]*simulation
	order    []*simulation // by creation: expiry and eviction order
	busy     map[string]bool
	sessions map[SessionKey]*openSession
}

type openSession struct {
	s    Session
	used time.Time
}

type simulation struct {
	id, developer, skillID, stage string
	created                       time.Time
	done                          chan struct{}
	answer                        simResponse // complete once done is closed
}

func newSimulations(cfg Config) *simulations {
	return &simulations{ttl: cfg.ResultTTL, maxResults: cfg.MaxResults, maxSessions: cfg.MaxSessions, now: cfg.Now,
		results: map[string]*simulation{}, busy: map[string]bool{}, sessions: map[SessionKey]*openSession{}}
}

// The JSON of a simulation (v2.skill.simulations.SimulationsApiResponse).
type simResponse struct {
	ID     string     `json:"id"`
	Status string     `json:"status"`
	Result *simResult `json:"result"`
}

type simResult struct {
	AlexaExecutionInfo *alexaExecutionInfo `json:"alexaExecutionInfo,omitempty"`
	SkillExecutionInfo *skillExecutionInfo `json:"skillExecutionInfo,omitempty"`
	Error              *resultError        `json:"error"`
}

type alexaExecutionInfo struct {
	AlexaResponses    []alexaResponse   `json:"alexaResponses"`
	ConsideredIntents []json.RawMessage `json:"consideredIntents"`
}

type alexaResponse struct {
	Type    string `json:"type"`
	Content struct {
		Caption string `json:"caption"`
	} `json:"content"`
}

type skillExecutionInfo struct {
	Invocations []invocationInfo `json:"invocations"`
}

type invocationInfo struct {
	InvocationRequest  invocationRequest   `json:"invocationRequest"`
	InvocationResponse *invocationResponse `json:"invocationResponse,omitempty"`
	Metrics            metrics             `json:"metrics"`
}

type invocationRequest struct {
	Endpoint string          `json:"endpoint"`
	Body     json.RawMessage `json:"body"`
}

type invocationResponse struct {
	Body json.RawMessage `json:"body"`
}

type metrics struct {
	SkillExecutionTimeInMilliseconds int64 `json:"skillExecutionTimeInMilliseconds"`
}

type resultError struct {
	Code    string `json:"code,omitempty"`
	Message string `json:"message"`
}

func infoOf(inv Invocation) invocationInfo {
	info := invocationInfo{InvocationRequest: invocationRequest{Endpoint: inv.Endpoint, Body: inv.Request},
		Metrics: metrics{inv.Duration.Milliseconds()}}
	if !json.Valid(info.InvocationRequest.Body) {
		info.InvocationRequest.Body = json.RawMessage("null")
	}
	// A body that is not JSON (an HTML error page) cannot be embedded; the
	// error message says how it started.
	if len(inv.Response) > 0 && json.Valid(inv.Response) {
		info.InvocationResponse = &invocationResponse{Body: inv.Response}
	}
	return info
}

func failureOf(err error) *resultError {
	var f *Failure
	if errors.As(err, &f) && f.Code != "" {
		return &resultError{Code: f.Code, Message: err.Error()}
	}
	return &resultError{Code: FailureInternal, Message: err.Error()}
}

// simRequest is v2.skill.simulations.SimulationsApiRequest.
type simRequest struct {
	Input *struct {
		Content string `json:"content"`
	} `json:"input"`
	Device *struct {
		Locale string `json:"locale"`
	} `json:"device"`
	Session *struct {
		Mode string `json:"mode"`
	} `json:"session"`
	Simulation *struct {
		Type string `json:"type"`
	} `json:"simulation"`
}

// simulate is simulate-skill: it checks the request, refuses a second
// simulation for the same developer while one is in progress (409) and
// plays the turn in the background. The answer is IN_PROGRESS; the first
// GET waits for the turn, so `ask dialog` never polls twice.
func (s *Server) simulate(c *call) *apiError {
	sk, e := s.skillOf(c)
	if e != nil {
		return e
	}
	data, e := readBody(c, "")
	if e != nil {
		return e
	}
	var req simRequest
	if err := json.Unmarshal(data, &req); err != nil {
		return badRequest("The simulation request is not valid.", bodyViolation("INVALID_DATA_TYPE", "$", "%v", err))
	}
	utterance, locale, force, e := s.checkSimRequest(sk, &req)
	if e != nil {
		return e
	}
	if !s.enabled(sk, c.developer) {
		return errorf(http.StatusForbidden, DecisionForbidden, "Skill %s is not enabled for %s: enable it (set-skill-enablement) to simulate it.", sk.id, c.developer)
	}
	key := SessionKey{Developer: c.developer, SkillID: sk.id, Stage: stageDevelopment, Locale: locale}
	sim, ok := s.sims.start(key)
	if !ok {
		return errorf(http.StatusConflict, DecisionConflict, "A simulation for %s is still in progress; SMAPI takes one at a time per developer.", c.developer)
	}
	s.wg.Add(1)
	go s.run(sim, key, utterance, force)
	c.w.Header().Set("Location", fmt.Sprintf("/v2/skills/%s/stages/%s/simulations/%s", sk.id, stageDevelopment, sim.id))
	c.rec.Detail = "simulation " + sim.id
	writeJSON(c.w, http.StatusOK, simResponse{ID: sim.id, Status: StatusInProgress})
	return nil
}

func (s *Server) checkSimRequest(sk *skill, req *simRequest) (utterance, locale string, force bool, e *apiError) {
	const invalid = "The simulation request is not valid."
	switch {
	case req.Input == nil || strings.TrimSpace(req.Input.Content) == "":
		return "", "", false, badRequest(invalid, bodyViolation("MISSING_REQUIRED_PROPERTY", "$.input.content", "input.content is required: what the user says"))
	case req.Device == nil || req.Device.Locale == "":
		return "", "", false, badRequest(invalid, bodyViolation("MISSING_REQUIRED_PROPERTY", "$.device.locale", "device.locale is required"))
	}
	locale = req.Device.Locale
	if _, _, ok := s.modelState(sk, locale); !ok {
		return "", "", false, badRequest(invalid, bodyViolation("INVALID_LOCALE", "$.device.locale",
			"skill %s has no interaction model for locale %q", sk.id, locale))
	}
	if req.Session != nil {
		switch req.Session.Mode {
		case "", "DEFAULT":
		case "FORCE_NEW_SESSION":
			force = true
		default:
			return "", "", false, badRequest(invalid, bodyViolation("INVALID_ENUM_VALUE", "$.session.mode", "session.mode %q is not DEFAULT or FORCE_NEW_SESSION", req.Session.Mode))
		}
	}
	if req.Simulation != nil {
		switch req.Simulation.Type {
		case "", "DEFAULT":
		case "NFI_ISOLATED_SIMULATION":
			return "", "", false, badRequest(invalid, bodyViolation("UNSUPPORTED_VALUE", "$.simulation.type", "simulation.type NFI_ISOLATED_SIMULATION is not simulated by asksim"))
		default:
			return "", "", false, badRequest(invalid, bodyViolation("INVALID_ENUM_VALUE", "$.simulation.type", "simulation.type %q is not DEFAULT or NFI_ISOLATED_SIMULATION", req.Simulation.Type))
		}
	}
	return strings.TrimSpace(req.Input.Content), locale, force, nil
}

// run plays one turn in the session the key names: a new one when force is
// set or none is open.
func (s *Server) run(sim *simulation, key SessionKey, utterance string, force bool) {
	defer s.wg.Done()
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.SimulationTimeout)
	defer cancel()
	sess, err := s.sims.session(ctx, s.cfg.Backend, key, force)
	var turn *Turn
	if err == nil {
		turn, err = sess.Say(ctx, utterance)
	}
	s.sims.finish(sim, key, sess, turn, err)
}

// start records a new simulation, unless one is in progress for the
// developer.
func (m *simulations) start(key SessionKey) (*simulation, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.busy[key.Developer] {
		return nil, false
	}
	m.sweepLocked()
	sim := &simulation{id: uuid.NewString(), developer: key.Developer, skillID: key.SkillID, stage: key.Stage,
		created: m.now(), done: make(chan struct{})}
	m.busy[key.Developer] = true
	m.results[sim.id] = sim
	m.order = append(m.order, sim)
	return sim, true
}

// sweepLocked forgets expired results and the oldest beyond maxResults.
func (m *simulations) sweepLocked() {
	now := m.now()
	n := 0
	for n < len(m.order) && (now.Sub(m.order[n].created) >= m.ttl || len(m.order)-n >= m.maxResults) {
		delete(m.results, m.order[n].id)
		n++
	}
	if n > 0 {
		clear(m.order[:n])
		m.order = m.order[n:]
	}
}

// session returns the open session for key, or opens one; force closes
// the open one first.
func (m *simulations) session(ctx context.Context, b Backend, key SessionKey, force bool) (Session, error) {
	m.mu.Lock()
	open := m.sessions[key]
	if open != nil && !force {
		open.used = m.now()
		m.mu.Unlock()
		return open.s, nil
	}
	delete(m.sessions, key)
	m.mu.Unlock()
	if open != nil {
		open.s.Close()
	}
	sess, err := b.NewSession(ctx, key)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	var evicted *openSession
	if len(m.sessions) >= m.maxSessions {
		var oldest SessionKey
		for k, o := range m.sessions {
			if evicted == nil || o.used.Before(evicted.used) {
				oldest, evicted = k, o
			}
		}
		delete(m.sessions, oldest)
	}
	m.sessions[key] = &openSession{s: sess, used: m.now()}
	m.mu.Unlock()
	if evicted != nil {
		evicted.s.Close()
	}
	return sess, nil
}

// finish completes a simulation and closes the session when the turn
// ended it.
func (m *simulations) finish(sim *simulation, key SessionKey, sess Session, turn *Turn, err error) {
	ans := simResponse{ID: sim.id, Status: StatusSuccessful, Result: &simResult{}}
	if turn != nil {
		info := &alexaExecutionInfo{AlexaResponses: []alexaResponse{}, ConsideredIntents: []json.RawMessage{}}
		for _, c := range turn.Captions {
			r := alexaResponse{Type: "Speech"}
			r.Content.Caption = c
			info.AlexaResponses = append(info.AlexaResponses, r)
		}
		for _, intent := range turn.ConsideredIntents {
			if json.Valid(intent) {
				info.ConsideredIntents = append(info.ConsideredIntents, intent)
			}
		}
		ans.Result.AlexaExecutionInfo = info
		exec := &skillExecutionInfo{Invocations: []invocationInfo{}}
		for _, inv := range turn.Invocations {
			exec.Invocations = append(exec.Invocations, infoOf(inv))
		}
		ans.Result.SkillExecutionInfo = exec
	}
	if err != nil {
		ans.Status, ans.Result.Error = StatusFailed, failureOf(err)
		ans.Result.AlexaExecutionInfo = nil
	}
	ended := turn != nil && turn.SessionEnded
	m.mu.Lock()
	sim.answer = ans
	delete(m.busy, sim.developer)
	if open := m.sessions[key]; ended && open != nil && open.s == sess {
		delete(m.sessions, key)
	} else {
		ended = false
	}
	m.mu.Unlock()
	// Closed before the result is out: whoever reads the result sees the
	// session gone.
	if ended {
		sess.Close()
	}
	close(sim.done)
}

// get returns a simulation of the developer's that has not expired.
func (m *simulations) get(id, developer, skillID, stage string) *simulation {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sweepLocked()
	sim := m.results[id]
	if sim == nil || sim.developer != developer || sim.skillID != skillID || sim.stage != stage {
		return nil
	}
	return sim
}

func (m *simulations) closeAll() {
	m.mu.Lock()
	open := m.sessions
	m.sessions = map[SessionKey]*openSession{}
	m.mu.Unlock()
	for _, o := range open {
		o.s.Close()
	}
}

// getSimulation is get-skill-simulation. It waits for a simulation in
// progress (at most SimulationTimeout, or until the client leaves), so the
// first poll has the result.
func (s *Server) getSimulation(c *call) *apiError {
	sk, e := s.skillOf(c)
	if e != nil {
		return e
	}
	id := c.param("simulationId")
	sim := s.sims.get(id, c.developer, sk.id, stageDevelopment)
	if sim == nil {
		return notFound("Simulation %s not found: it never existed for this developer and skill, or its result expired (results are kept %s).", id, s.cfg.ResultTTL)
	}
	// The wait may outlast a served fake's write timeout (fakes/serve);
	// it is meant, so the answer gets the wait on top.
	http.NewResponseController(c.w).SetWriteDeadline(time.Now().Add(s.cfg.SimulationTimeout + faults.DelayWriteSlack))
	t := time.NewTimer(s.cfg.SimulationTimeout)
	defer t.Stop()
	select {
	case <-sim.done:
		c.rec.Detail = sim.answer.Status
		if sim.answer.Result != nil && sim.answer.Result.Error != nil {
			c.rec.Detail += ": " + sim.answer.Result.Error.Message
		}
		writeJSON(c.w, http.StatusOK, sim.answer)
	case <-t.C:
		writeJSON(c.w, http.StatusOK, simResponse{ID: sim.id, Status: StatusInProgress})
	case <-c.r.Context().Done():
		c.rec.Detail = "client left while the simulation was in progress"
	}
	return nil
}
