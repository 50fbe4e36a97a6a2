package smapi

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Backend is Alexa's side of the skill: it loads skill packages as
// asksim's --skill-package loader does, resolves utterances against the
// interaction model, plays the dialog and calls the skill. It is injected so
// that this package knows only the SMAPI wire; internal/smapisim implements
// it over package simulator.
type Backend interface {
	// LoadSkill checks a skill package, given as its files by slash path
	// ("skill.json", "interactionModels/custom/en-US.json"), and makes it
	// the package that skillID's next simulation turn and invocation use.
	// A package that does not load returns a *PackageError and changes
	// nothing.
	LoadSkill(skillID string, files map[string][]byte) error
	// NewSession opens Alexa's side of a new session: one developer
	// talking to one skill in one locale.
	NewSession(ctx context.Context, key SessionKey) (Session, error)
	// Invoke sends body, a request envelope, to skillID's endpoint
	// unchanged. The Invocation holds what was sent and, when the skill
	// answered, its answer; an error means the invocation FAILED.
	Invoke(ctx context.Context, skillID string, body []byte) (*Invocation, error)
}

// SessionKey names a simulated session: Alexa keeps one per developer,
// skill, stage and locale.
type SessionKey struct {
	Developer string // the LWA user the token was issued to
	SkillID   string
	Stage     string
	Locale    string
}

// Session is one open simulated session. The fake calls Say for one turn
// at a time and Close once, when the session is replaced, ended or
// evicted.
type Session interface {
	// Say plays one utterance. An error fails the simulation (FAILED with
	// the error's message, and the code of an error with a Code method);
	// the Turn may still hold the invocations made before the failure.
	Say(ctx context.Context, utterance string) (*Turn, error)
	Close()
}

// Turn is what one utterance led to.
type Turn struct {
	// Captions are what Alexa said, in order, as plain text.
	Captions []string
	// ConsideredIntents are the intents Alexa resolved the utterance to,
	// as simulation Intent objects ({"name","confirmationStatus","slots"}).
	ConsideredIntents []json.RawMessage
	// Invocations are the requests sent to the skill, with its answers.
	Invocations []Invocation
	// SessionEnded: the skill's answer (or Alexa) ended the session.
	SessionEnded bool
}

// Invocation is one request Alexa sent to the skill.
type Invocation struct {
	Endpoint string
	// Request is the envelope exactly as sent; Response the skill's answer
	// as received (nil when none came).
	Request  json.RawMessage
	Response json.RawMessage
	Duration time.Duration
}

// PackageError is a skill package that failed to load: the file and the
// JSON path at fault, as the loader reports them.
type PackageError struct {
	File      string // slash path inside the package, e.g. interactionModels/custom/en-US.json
	Line, Col int    // 1-based; 0 when unknown
	Path      string // JSON path, e.g. interactionModel.languageModel.intents[3].samples[2]; "" for the whole file
	Message   string
}

func (e *PackageError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Col)
	}
	if e.Path != "" {
		b.WriteString(": " + e.Path)
	}
	b.WriteString(": " + e.Message)
	return b.String()
}

// Failure is an error of Session.Say or Backend.Invoke that carries the
// code of the result's error ({"code","message"}). Other errors get the
// code FailureInternal.
type Failure struct {
	Code string
	Err  error
}

func (f *Failure) Error() string { return f.Err.Error() }
func (f *Failure) Unwrap() error { return f.Err }

// Failure codes asksim uses; SMAPI's own are not documented
// (docs/smapi.md).
const (
	// FailureSkill: the skill did not answer usably (refused, timed out,
	// an error status, a body that is not a valid response).
	FailureSkill = "SKILL_ENDPOINT_ERROR"
	// FailureNoMatch: no intent of the model matches the utterance, and
	// the model has no AMAZON.FallbackIntent; nothing was sent.
	FailureNoMatch = "NO_MATCHING_INTENT"
	// FailureInternal: anything else.
	FailureInternal = "INTERNAL_ERROR"
)
