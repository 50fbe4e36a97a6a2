package simulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/asksim/asksim/internal/jsonlimit"
	"github.com/asksim/asksim/simulator/signing"
)

// WithEndpoint sets the skill that Send talks to.
func WithEndpoint(e Endpoint) Option { return func(s *Simulator) { s.endpoint = e } }

// WithTimeout sets how long a turn waits for the skill. Defaults to
// DefaultTimeout, Alexa's 8 s. A longer timeout lets a slow skill answer; the
// contract's timeout rule still flags answers later than 8 s.
func WithTimeout(d time.Duration) Option {
	return func(s *Simulator) {
		if d <= 0 {
			s.errs = append(s.errs, fmt.Errorf("timeout %v: want a positive duration", d))
			return
		}
		s.timeout = d
	}
}

// WithLenient makes contract violations warnings: Send keeps them in
// Turn.Warnings and does not fail the turn.
func WithLenient(lenient bool) Option { return func(s *Simulator) { s.lenient = lenient } }

// Timeout returns how long a turn waits for the skill.
func (s *Simulator) Timeout() time.Duration { return s.timeout }

// Endpoint returns the skill endpoint, nil when none is set.
func (s *Simulator) Endpoint() Endpoint { return s.endpoint }

// Turn is one request and the skill's answer.
type Turn struct {
	// Request is the envelope sent and RequestBody its exact bytes.
	Request     *Envelope
	RequestBody []byte
	// Header holds the HTTP headers sent.
	Header http.Header
	// Response is the decoded answer; nil when the skill did not answer with
	// a JSON object.
	Response *ResponseEnvelope
	// Raw is the answer's body as received, Status its HTTP status (0 when
	// none came) and Duration the time from sending to the whole body.
	Raw      []byte
	Status   int
	Duration time.Duration
	// Violations are the contract rules the answer breaks; with WithLenient
	// they are Warnings instead.
	Violations []Violation
	Warnings   []Violation
	// Linking says what Alexa did with a linked account's tokens before it
	// sent the request (refreshed them, deleted them after a refused
	// refresh…), "" when it sent the token it held (SetLinkedAccount).
	Linking string
}

// ValueAt returns the value at a dotted path of the raw answer, as the
// package-level ValueAt does.
func (t *Turn) ValueAt(path string) (any, bool) { return ValueAt(t.Raw, path) }

// Send plays one turn: it builds the envelope of req (opening a session
// when needed), sends it with Alexa's headers, checks the answer against
// the response contract and updates the session:
//
//   - shouldEndSession true ends the session; the next turn opens a new one.
//   - A SessionEndedRequest ends it, whatever the answer.
//   - shouldEndSession absent depends on the device (contract §6.2): a
//     headless device ends the session, a screen device keeps it open.
//     Absent with only Dialog.* directives keeps it open on any device.
//   - A Connections.SendRequest AskFor with shouldEndSession true ends the
//     session: Alexa runs the consent dialog and then starts the skill
//     again, so the Connections.Response (see AnswerPermissionRequest)
//     opens a new session without the old attributes, as after a purchase
//     flow (docs/alexa-contract.md §2.7). With shouldEndSession false or
//     absent the response continues the session. Buy, Upsell and Cancel
//     requests end it whatever the field says (§6.2).
//   - A Connections.StartConnection to AMAZON.AskForPermissionsConsent
//     (voice-forward consent) suspends the session; the
//     SessionResumedRequest that answers it resumes the same session with
//     its attributes (§2.10).
//   - Otherwise the session goes on, carrying the answer's
//     sessionAttributes to the next request.
//   - Sessionless requests (AudioPlayer, System.ExceptionEncountered, …)
//     and CanFulfillIntentRequest leave the session alone.
//   - A skill fault or a contract violation ends the session, as Alexa
//     drops a session whose skill failed.
//
// With a linked account (SetLinkedAccount), Send first asks it for the
// request's user.accessToken, as Alexa refreshes an expired token before it
// sends (docs/alexa-contract.md §8.6); Turn.Linking says what it did.
//
// Errors: a *SkillError when the skill did not answer usably, a
// *ContractError when the answer breaks the contract (not with
// WithLenient), ErrNoEndpoint without an endpoint. The Turn is returned with
// every error but ErrNoEndpoint and envelope errors, holding what was sent
// and what came back.
func (c *Conversation) Send(ctx context.Context, req Request) (*Turn, error) {
	if c.sim.endpoint == nil {
		return nil, ErrNoEndpoint
	}
	linking, err := c.linkedToken(ctx)
	if err != nil {
		return nil, err
	}
	sign := c.signPlan()
	if sign.fault == signing.FaultStaleTimestamp && req.Timestamp == "" {
		req.Timestamp = alexaTime(c.sim.now().Add(-signing.StaleAge))
	}
	env, err := c.Envelope(req)
	if err != nil {
		return nil, err
	}
	body, err := c.encode(env)
	if err != nil {
		return nil, fmt.Errorf("encode envelope: %w", err)
	}
	turn, err := c.sim.exchange(ctx, env, body, sign)
	if turn != nil {
		turn.Linking = linking
	}
	c.settle(env, turn, err)
	return turn, err
}

// SendEnvelope sends body, a whole envelope, byte for byte as given, with
// Alexa's headers signed over those bytes, and checks the answer. No
// conversation or session is involved.
func (s *Simulator) SendEnvelope(ctx context.Context, body []byte) (*Turn, error) {
	if s.endpoint == nil {
		return nil, ErrNoEndpoint
	}
	var de *jsonlimit.DepthError
	if errors.As(jsonlimit.CheckDepth(body, MaxJSONDepth), &de) {
		return nil, fmt.Errorf("envelope: %w", de)
	}
	var env Envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("envelope: %w", err)
	}
	if env.Request.Type == "" {
		return nil, errors.New("envelope: request.type is missing")
	}
	if s.sign.fault == signing.FaultStaleTimestamp {
		return nil, errStaleWholeEnvelope
	}
	return s.exchange(ctx, &env, body, s.sign)
}

// exchange sends body, the encoding of env, signed as sign says, and
// judges the answer.
func (s *Simulator) exchange(ctx context.Context, env *Envelope, body []byte, sign signPlan) (*Turn, error) {
	header, err := s.requestHeader(body, sign)
	if err != nil {
		return nil, err
	}
	turn := &Turn{Request: env, RequestBody: body, Header: header}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	start := s.now()
	reply, err := s.endpoint.Invoke(ctx, body, header)
	turn.Duration = s.now().Sub(start)
	if reply != nil {
		turn.Status, turn.Raw = reply.Status, reply.Body
	}
	if err == nil {
		switch {
		case reply == nil: // a custom Endpoint's bug; never a panic
			err = errors.New("the endpoint returned neither an answer nor an error")
		case len(bytes.TrimSpace(reply.Body)) == 0:
			err = &SkillError{Kind: FaultEmptyBody, StatusCode: reply.Status, Err: errors.New("HTTP 200 with an empty body, want a JSON response envelope")}
		}
	}
	var res decoded
	if err == nil {
		res = decodeResponse(&env.Request, reply.Body, turn.Duration)
		if res.syntax != nil {
			msg := fmt.Errorf("the body is not JSON: %v", res.syntax)
			var de *jsonlimit.DepthError
			if errors.As(res.syntax, &de) {
				msg = fmt.Errorf("the body cannot be read: %w", de)
			}
			err = &SkillError{Kind: FaultNotJSON, StatusCode: reply.Status, BodyStart: bodyStart(reply.Body), Err: msg}
		}
	}
	if err != nil {
		return turn, s.fault(env, err)
	}
	turn.Response = res.env
	res.violations = append(res.violations, s.manifest.violations(res.env)...) // manifest.go
	if len(res.violations) == 0 {
		return turn, nil
	}
	if s.lenient {
		turn.Warnings = res.violations
		return turn, nil
	}
	turn.Violations = res.violations
	return turn, &ContractError{RequestType: env.Request.Type, Intent: intentName(&env.Request), Violations: res.violations}
}

// fault completes a *SkillError with what was sent.
func (s *Simulator) fault(env *Envelope, err error) error {
	var se *SkillError
	if !errors.As(err, &se) {
		se = &SkillError{Kind: FaultConnection, Err: err}
	}
	se.RequestType, se.Intent = env.Request.Type, intentName(&env.Request)
	if se.Endpoint == "" {
		se.Endpoint = s.endpoint.String()
	}
	if se.Kind == FaultTimeout {
		se.Timeout = s.timeout
	}
	return se
}

func intentName(r *Request) string {
	if r.Intent == nil {
		return ""
	}
	return r.Intent.Name
}

// settle updates the session after a turn; see Send.
func (c *Conversation) settle(env *Envelope, turn *Turn, err error) {
	t := env.Request.Type
	if t == TypeConnectionsResponse || t == TypeSessionResumed {
		c.mu.Lock()
		c.asked = nil
		c.mu.Unlock()
	}
	switch {
	case Sessionless(t) || t == TypeCanFulfillIntent:
		return
	case t == TypeSessionEndedRequest || err != nil || turn.Response == nil:
		c.EndSession()
		return
	}
	r := &turn.Response.Response
	sendRequest, asked := connectionsRequest(r.Directives)
	if asked != nil {
		c.mu.Lock()
		c.asked = asked
		c.mu.Unlock()
	}
	ends := r.ShouldEndSession != nil && *r.ShouldEndSession
	switch {
	case asked != nil && asked.Flow == FlowVoiceForward:
		c.Continue(turn.Response.SessionAttributes)
	case asked != nil && !ends:
		c.Continue(turn.Response.SessionAttributes)
	case sendRequest:
		c.EndSession()
	case ends:
		c.EndSession()
	case r.ShouldEndSession == nil && !onlyDialog(r.Directives) && c.device.Viewport == nil:
		c.EndSession()
	default:
		c.Continue(turn.Response.SessionAttributes)
	}
}

// onlyDialog reports whether ds is non-empty and holds Dialog.* directives
// only.
func onlyDialog(ds []Directive) bool {
	for _, d := range ds {
		if !strings.HasPrefix(d.Type, "Dialog.") {
			return false
		}
	}
	return len(ds) > 0
}

// PermissionRequest returns the last voice permission request the skill
// made and not yet answered.
func (c *Conversation) PermissionRequest() (PermissionRequest, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.asked == nil {
		return PermissionRequest{}, false
	}
	pr := *c.asked
	pr.Scopes = append([]string(nil), pr.Scopes...)
	return pr, true
}

// AnswerPermissionRequest returns Alexa's answer to the pending voice
// permission request, in the shape of the request (docs/alexa-contract.md
// §2.7, §2.10): a Connections.Response to an AskFor, with a single
// permissionScope for version 1 and the permissionScopes list for version
// 2; a SessionResumedRequest to voice-forward consent. status is the
// user's answer, ACCEPTED, DENIED or NOT_ANSWERED; ACCEPTED also grants
// the scopes, so the tokens of that request and later ones carry them, as
// they would after the user said yes.
//
// When the simulator knows the manifest (WithManifestPermissions,
// WithSkillPackage) and a scope asked for is not declared, the user is not
// asked: the answer has status.code "400", no user status, and nothing is
// granted.
func (c *Conversation) AnswerPermissionRequest(status string) (Request, error) {
	pr, ok := c.PermissionRequest()
	if !ok {
		return Request{}, errors.New("the skill has sent no voice permission request (Connections.SendRequest AskFor, or Connections.StartConnection to AMAZON.AskForPermissionsConsent) to answer")
	}
	switch status {
	case PermissionAccepted, PermissionDenied, PermissionNotAnswered:
	default:
		return Request{}, fmt.Errorf("permission status %q: want ACCEPTED, DENIED or NOT_ANSWERED", status)
	}
	a := PermissionAnswer{Flow: pr.Flow, Version: pr.Version, Status: status, Scopes: pr.Scopes,
		ConsentLevels: pr.ConsentLevels, Token: pr.Token}
	if m := c.sim.manifest; m != nil {
		if missing := m.undeclared(pr.Scopes); len(missing) > 0 {
			a.Status, a.Code = "", PermissionCodeNotInManifest
			return a.Request(), nil
		}
	}
	if status == PermissionAccepted {
		c.SetConsent(c.consent.Grant(pr.Scopes...))
	}
	return a.Request(), nil
}
