package smapisim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing/fstest"
	"time"

	"github.com/asksim/asksim/fakes/smapi"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/model"
	"github.com/asksim/asksim/simulator/voice"
)

// Config configures a Backend.
type Config struct {
	// Endpoint, when set, receives every skill's requests (--endpoint).
	// Otherwise each skill's manifest endpoint (apis.custom.endpoint.uri)
	// does, over HTTPS as Alexa calls it.
	Endpoint simulator.Endpoint
	// Consent is what the simulated user granted: the scopes of the
	// apiAccessToken and, with a linked account, its token.
	Consent simulator.Consent
	// Options apply to every skill's Simulator: WithSigner and
	// WithAPIEndpoint so that the Alexa API fake accepts the tokens,
	// WithClock, WithDevice… WithSkillID, WithEndpoint and
	// WithSkillPackage are set by the Backend.
	Options []simulator.Option
	// Now is the clock of AMAZON.DATE resolution; time.Now when nil.
	Now func() time.Time
}

// Backend implements smapi.Backend with package simulator. It is safe for
// concurrent use.
type Backend struct {
	cfg Config

	mu         sync.Mutex
	skills     map[string]*loaded
	identities map[[2]string]simulator.Identity // by developer and skill: Alexa's user ids are per skill
}

var _ smapi.Backend = (*Backend)(nil)

// loaded is one loaded skill package and the Simulator that speaks to the
// skill with it. A new package makes a new loaded; sessions keep theirs.
type loaded struct {
	pkg *model.SkillPackage
	sim *simulator.Simulator
}

// New returns a Backend; it has no skills until the SMAPI fake loads them.
func New(cfg Config) *Backend {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Backend{cfg: cfg, skills: map[string]*loaded{}, identities: map[[2]string]simulator.Identity{}}
}

// LoadSkill loads files with the loader of --skill-package and makes them
// skillID's package. Its errors are *smapi.PackageError naming the file and
// JSON path at fault.
func (b *Backend) LoadSkill(skillID string, files map[string][]byte) error {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	pkg, err := model.LoadSkillPackageFS(fsys, "")
	if err != nil {
		return packageError(err)
	}
	for _, loc := range pkg.Locales() {
		m, _ := pkg.Model(loc)
		m.SkillID, m.Clock = skillID, b.cfg.Now // before any session shares it
	}
	ep := b.cfg.Endpoint
	if ep == nil && pkg.Manifest.EndpointURI != "" {
		if ep, err = simulator.HTTPEndpoint(pkg.Manifest.EndpointURI); err != nil {
			return &smapi.PackageError{File: manifestFile, Path: "manifest.apis.custom.endpoint.uri", Message: err.Error()}
		}
	}
	opts := append(append([]simulator.Option(nil), b.cfg.Options...), simulator.WithSkillID(skillID), simulator.WithSkillPackage(pkg))
	if ep != nil {
		opts = append(opts, simulator.WithEndpoint(ep))
	}
	sim, err := simulator.New(opts...)
	if err != nil {
		return fmt.Errorf("smapisim: skill %s: %w", skillID, err)
	}
	b.mu.Lock()
	b.skills[skillID] = &loaded{pkg: pkg, sim: sim}
	b.mu.Unlock()
	return nil
}

// packageError turns the loader's error into the fake's.
func packageError(err error) error {
	var le *model.LoadError
	if !errors.As(err, &le) {
		return err
	}
	return &smapi.PackageError{File: filepath.ToSlash(le.File), Line: le.Line, Col: le.Col, Path: le.Path, Message: le.Msg}
}

func (b *Backend) skill(id string) (*loaded, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if l := b.skills[id]; l != nil {
		return l, nil
	}
	return nil, fmt.Errorf("smapisim: skill %s was never loaded", id)
}

// identity is the developer's simulated user and device for a skill, the
// same in every session.
func (b *Backend) identity(developer, skillID string, sim *simulator.Simulator) simulator.Identity {
	b.mu.Lock()
	defer b.mu.Unlock()
	k := [2]string{developer, skillID}
	id, ok := b.identities[k]
	if !ok {
		id = sim.NewIdentity()
		b.identities[k] = id
	}
	return id
}

// NewSession opens a conversation of the developer's simulated user with
// the skill, in the key's locale.
func (b *Backend) NewSession(ctx context.Context, key smapi.SessionKey) (smapi.Session, error) {
	l, err := b.skill(key.SkillID)
	if err != nil {
		return nil, err
	}
	conv := l.sim.NewConversationAs(b.identity(key.Developer, key.SkillID, l.sim), b.cfg.Consent)
	if err := conv.SetLocale(key.Locale); err != nil {
		return nil, err
	}
	s := &session{b: b, key: key, conv: conv}
	if err := s.use(l); err != nil {
		conv.Close()
		return nil, err
	}
	return s, nil
}

// session is one simulated session: a Conversation and the Voice speaking
// in it.
type session struct {
	b     *Backend
	key   smapi.SessionKey
	conv  *simulator.Conversation
	pkg   *model.SkillPackage
	voice *voice.Voice
}

// use makes the session resolve with l's model for its locale.
func (s *session) use(l *loaded) error {
	m, err := l.pkg.Model(s.key.Locale)
	if err != nil {
		return err
	}
	s.pkg, s.voice = l.pkg, voice.New(s.conv, m)
	return nil
}

// Say speaks utterance. A model loaded since the last turn applies at once:
// the session goes on with a Voice for the new model (a dialog step left
// open by the old one is dropped), while the conversation keeps the
// endpoint and manifest it opened with.
func (s *session) Say(ctx context.Context, utterance string) (*smapi.Turn, error) {
	l, err := s.b.skill(s.key.SkillID)
	if err != nil {
		return nil, err
	}
	if l.pkg != s.pkg {
		if err := s.use(l); err != nil {
			return nil, &smapi.Failure{Code: smapi.FailureInternal, Err: err}
		}
	}
	ex, err := s.voice.Say(ctx, utterance)
	turn := &smapi.Turn{Captions: []string{}, SessionEnded: s.conv.SessionID() == ""}
	if ex != nil {
		if ex.Speech != "" {
			turn.Captions = append(turn.Captions, ex.Speech)
		}
		for _, t := range ex.Turns {
			turn.Invocations = append(turn.Invocations, invocationOf(s.conv.Simulator().Endpoint(), t))
			if intent := consideredIntent(t); intent != nil {
				turn.ConsideredIntents = append(turn.ConsideredIntents, intent)
			}
		}
	}
	if err != nil {
		return turn, failure(err)
	}
	return turn, nil
}

// Close ends the session but keeps the developer's signed tokens cached
// (Conversation.Close would forget them): the next session of the same
// developer speaks as the same user and needs the same tokens.
func (s *session) Close() { s.conv.EndSession() }

// Invoke sends body to the skill unchanged. An answer that breaks the
// response contract is still the skill's answer: the invocation API passes
// it on.
func (b *Backend) Invoke(ctx context.Context, skillID string, body []byte) (*smapi.Invocation, error) {
	l, err := b.skill(skillID)
	if err != nil {
		return nil, err
	}
	t, err := l.sim.SendEnvelope(ctx, body)
	var contract *simulator.ContractError
	if errors.As(err, &contract) {
		err = nil
	}
	if t == nil {
		return &smapi.Invocation{Endpoint: endpointName(l.sim.Endpoint()), Request: body}, failure(err)
	}
	inv := invocationOf(l.sim.Endpoint(), t)
	if err != nil {
		return &inv, failure(err)
	}
	return &inv, nil
}

func endpointName(ep simulator.Endpoint) string {
	if ep == nil {
		return ""
	}
	return ep.String()
}

func invocationOf(ep simulator.Endpoint, t *simulator.Turn) smapi.Invocation {
	inv := smapi.Invocation{Endpoint: endpointName(ep), Request: t.RequestBody, Duration: t.Duration}
	if t.Response != nil {
		inv.Response = t.Raw
	}
	return inv
}

// simIntent is v2.skill.simulations.Intent: the envelope's intent without
// slotValue and source.
type simIntent struct {
	Name               string             `json:"name"`
	ConfirmationStatus string             `json:"confirmationStatus"`
	Slots              map[string]simSlot `json:"slots"`
}

type simSlot struct {
	Name               string                 `json:"name"`
	Value              string                 `json:"value,omitempty"`
	ConfirmationStatus string                 `json:"confirmationStatus"`
	Resolutions        *simulator.Resolutions `json:"resolutions,omitempty"`
}

// consideredIntent is the intent an IntentRequest carried, nil for other
// requests.
func consideredIntent(t *simulator.Turn) json.RawMessage {
	if t.Request == nil || t.Request.Request.Intent == nil {
		return nil
	}
	in := t.Request.Request.Intent
	out := simIntent{Name: in.Name, ConfirmationStatus: in.ConfirmationStatus, Slots: map[string]simSlot{}}
	for k, s := range in.Slots {
		out.Slots[k] = simSlot{Name: s.Name, Value: s.Value, ConfirmationStatus: s.ConfirmationStatus, Resolutions: s.Resolutions}
	}
	data, err := json.Marshal(out)
	if err != nil {
		return nil
	}
	return data
}

// failure gives an error the code of the simulation result.
func failure(err error) error {
	var noMatch *model.NoMatchError
	var skill *simulator.SkillError
	var contract *simulator.ContractError
	switch {
	case errors.As(err, &noMatch), errors.Is(err, model.ErrEmptyUtterance):
		return &smapi.Failure{Code: smapi.FailureNoMatch, Err: err}
	case errors.As(err, &skill), errors.As(err, &contract), errors.Is(err, simulator.ErrNoEndpoint):
		return &smapi.Failure{Code: smapi.FailureSkill, Err: err}
	}
	return &smapi.Failure{Code: smapi.FailureInternal, Err: err}
}

// Endpoint names where skillID's simulations and invocations go ("" when
// the skill has no endpoint).
func (b *Backend) Endpoint(skillID string) string {
	l, err := b.skill(skillID)
	if err != nil {
		return ""
	}
	return endpointName(l.sim.Endpoint())
}
