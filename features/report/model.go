package report

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Status is the outcome of a step or a scenario, as Cucumber names it.
type Status string

// The statuses.
const (
	Passed    Status = "passed"
	Failed    Status = "failed"
	Skipped   Status = "skipped"
	Undefined Status = "undefined"
	Pending   Status = "pending"
	Ambiguous Status = "ambiguous"
)

// Header says what ran: the one line a pretty run starts with, and the head
// of every report.
type Header struct {
	// Version is asksim's version.
	Version string
	// Endpoint is the skill's URL; "" means the bundled example skill.
	Endpoint string
	// SkillPackage is where the interaction models came from; "" for none.
	SkillPackage string
	// AlexaAPI and OAuth are the fakes' base URLs.
	AlexaAPI, OAuth string
	Locale          string
	// Seed is the shuffle's seed; 0 runs in file order.
	Seed int64
	// Tags is the tag expression, Shard "I/N"; "" when not given.
	Tags, Shard string
	Started     time.Time
}

// Line is the header as one line.
func (h *Header) Line() string {
	parts := []string{"asksim " + or(h.Version, "devel")}
	if h.Endpoint == "" {
		parts = append(parts, "bundled example skill")
	} else {
		parts = append(parts, "endpoint "+h.Endpoint)
	}
	if h.SkillPackage != "" {
		parts = append(parts, h.SkillPackage)
	}
	if h.AlexaAPI != "" {
		parts = append(parts, "Alexa API "+h.AlexaAPI)
	}
	if h.OAuth != "" {
		parts = append(parts, "OAuth "+h.OAuth)
	}
	if h.Locale != "" {
		parts = append(parts, h.Locale)
	}
	if h.Seed != 0 {
		parts = append(parts, fmt.Sprintf("seed %d", h.Seed))
	} else {
		parts = append(parts, "file order")
	}
	if h.Tags != "" {
		parts = append(parts, "tags "+h.Tags)
	}
	if h.Shard != "" {
		parts = append(parts, "shard "+h.Shard)
	}
	return strings.Join(parts, " · ")
}

// Run is a whole run: its features in the order they ran first.
type Run struct {
	Header
	Features []*Feature
	Duration time.Duration
	// NotRun counts the selected scenarios that never ran (--fail-fast).
	NotRun int
}

// Scenarios returns every scenario of the run, feature by feature.
func (r *Run) Scenarios() []*Scenario {
	var out []*Scenario
	for _, f := range r.Features {
		out = append(out, f.Scenarios...)
	}
	return out
}

// Counts are how many scenarios or steps ended in each status.
type Counts struct{ Total, Passed, Failed, Skipped, Other int }

func (c *Counts) add(s Status) {
	c.Total++
	switch s {
	case Passed:
		c.Passed++
	case Failed:
		c.Failed++
	case Skipped:
		c.Skipped++
	default:
		c.Other++
	}
}

// ScenarioCounts counts the run's scenarios by status.
func (r *Run) ScenarioCounts() Counts {
	var c Counts
	for _, f := range r.Features {
		for _, s := range f.Scenarios {
			c.add(s.Status())
		}
	}
	return c
}

// StepCounts counts the run's steps by status.
func (r *Run) StepCounts() Counts {
	var c Counts
	for _, f := range r.Features {
		for _, s := range f.Scenarios {
			for _, st := range s.Steps {
				c.add(st.Status)
			}
		}
	}
	return c
}

// Failed returns the scenarios that failed, in run order.
func (r *Run) Failed() []*Scenario {
	var out []*Scenario
	for _, s := range r.Scenarios() {
		if s.Status() == Failed {
			out = append(out, s)
		}
	}
	return out
}

// Feature is one feature file.
type Feature struct {
	URI         string
	Keyword     string
	Name        string
	Description string
	Line        int
	Tags        []Tag
	Scenarios   []*Scenario
}

// Tag is a tag and the line it is written on.
type Tag struct {
	Name string
	Line int
}

// Counts counts the feature's scenarios by status.
func (f *Feature) Counts() Counts {
	var c Counts
	for _, s := range f.Scenarios {
		c.add(s.Status())
	}
	return c
}

// Scenario is one scenario, or one row of a Scenario Outline.
type Scenario struct {
	Feature     *Feature
	Keyword     string
	Name        string
	Description string
	// Line is the scenario's line; RowLine the line of its Examples row,
	// 0 when it is not an outline row.
	Line, RowLine int
	// RowHeader and Row are the Examples table's header and the row's
	// cells, for an outline row.
	RowHeader, Row []string
	// Tags are the scenario's own and those it inherits, from its feature,
	// rule and Examples block, each at the line it is written on.
	Tags     []Tag
	Steps    []*Step
	Started  time.Time
	Duration time.Duration

	conversation func() *Conversation
	once         sync.Once
	conv         *Conversation
}

// Location is "file:line" of the scenario, or of its Examples row: what
// `asksim test FILE:LINE` runs again.
func (s *Scenario) Location() string {
	line := s.Line
	if s.RowLine != 0 {
		line = s.RowLine
	}
	return fmt.Sprintf("%s:%d", s.Feature.URI, line)
}

// Title is the scenario's name, and for an outline row the row's values.
func (s *Scenario) Title() string {
	if s.RowLine == 0 {
		return s.Name
	}
	return s.Name + " " + s.RowLabel()
}

// RowLabel says which Examples row an outline row is: "[scenario=email,
// intent=GetNameIntent]", each value cut short.
func (s *Scenario) RowLabel() string {
	if s.RowLine == 0 {
		return ""
	}
	var cells []string
	for i, v := range s.Row {
		if i < len(s.RowHeader) {
			v = s.RowHeader[i] + "=" + v
		}
		cells = append(cells, Shorten(v, 40))
	}
	return "[" + strings.Join(cells, ", ") + "]"
}

// Status is the scenario's outcome: failed when a step failed (or was
// undefined, pending or ambiguous), skipped when every step was skipped,
// passed otherwise.
func (s *Scenario) Status() Status {
	skipped := len(s.Steps) > 0
	for _, st := range s.Steps {
		switch st.Status {
		case Failed, Undefined, Pending, Ambiguous:
			return Failed
		case Passed:
			skipped = false
		}
	}
	if skipped {
		return Skipped
	}
	return Passed
}

// FailedStep returns the step that failed, nil when none did.
func (s *Scenario) FailedStep() *Step {
	for _, st := range s.Steps {
		if st.Status != Passed && st.Status != Skipped {
			return st
		}
	}
	return nil
}

// SetConversation gives the scenario the function that builds its
// conversation on first need. A nil function, or none set, means the
// conversation was not kept.
func (s *Scenario) SetConversation(f func() *Conversation) { s.conversation = f }

// Conversation returns the scenario's conversation, built once; nil when it
// was not kept.
func (s *Scenario) Conversation() *Conversation {
	s.once.Do(func() {
		if s.conversation != nil {
			s.conv = s.conversation()
			s.conversation = nil
		}
	})
	return s.conv
}

// Step is one step of a scenario.
type Step struct {
	Keyword string // "Given ", "When ", "And "…
	Text    string
	Line    int
	// Table and DocString are the step's argument, if it has one.
	Table     [][]string
	DocString string
	// Definition is where the step is defined: "features/steps.go:123".
	Definition string
	Status     Status
	Duration   time.Duration
	Failure    *Failure
	// Turns are the indexes in the conversation of the turns the step
	// played, Latencies their times to answer.
	Turns     []int
	Latencies []time.Duration
	// Warnings are the response-contract warnings of the turns the step
	// played: the violations a lenient run lets pass.
	Warnings []Violation
}

// Failure says why a step failed, in parts a report can lay out.
type Failure struct {
	// Message is the failure without the conversation: what was expected,
	// what came and where, or the error.
	Message string
	// Expected, Got, Path and Rule are set when the failure is a broken
	// expectation (Expected and Got, and the Path into the answer) or a
	// broken response-contract rule (Rule and Path).
	Expected, Got, Path, Rule string
	// Transcript is the conversation as the failing step saw it, as text.
	Transcript string
}

// Summary is the failure's first line, cut to fit an attribute.
func (f *Failure) Summary() string {
	line, _, _ := strings.Cut(strings.TrimSpace(f.Message), "\n")
	return Shorten(line, 200)
}

// Conversation is what a scenario said and heard: its turns in order.
type Conversation struct {
	Consent string
	// User is the end of the user id, enough to find it in logs.
	User   string
	Locale string
	Device string
	Turns  []Turn
	// SessionOpen says whether the session was open after the last turn.
	SessionOpen bool
}

// Turn is one thing the user did and what came of it.
type Turn struct {
	// Said is what the user did: `says "order two coffees"`, `opens the
	// skill`, `invokes "GetEmailIntent"`.
	Said string
	// Heard is how Alexa took an utterance: the intent, "LaunchRequest"
	// for a launch, or the answer to a dialog question; "" for a turn that
	// was not spoken.
	Heard string
	Slots []Slot
	// Linking is what Alexa did with the linked account's token before it
	// sent the turn's request (refreshed it, or sent none after a refused
	// refresh); "" when there was nothing to do.
	Linking string
	// Requests are the requests Alexa sent the skill for the turn, with
	// its answers: usually one, none when Alexa answered from the dialog
	// model, more when it sent the intent back after a Dialog.Delegate.
	Requests []Exchange
	// DialogModel is true when Alexa spoke the dialog model's prompt
	// rather than the skill's speech.
	DialogModel bool
	// Speech and Reprompt are what Alexa said, as text.
	Speech, Reprompt string
	Card             *Card
	Directives       []string
	ShouldEndSession *bool
	// Dialog says what Alexa waits for next ("eliciting slot "item" of
	// OrderIntent"); "" when no dialog is open.
	Dialog string
	// APICalls are the skill's calls to the Alexa API fake during the turn,
	// OAuthCalls its calls to the OAuth fake (userinfo).
	APICalls, OAuthCalls []Call
	// Latency is the time the skill took to answer, summed over Requests.
	Latency time.Duration
	// Error is why the turn failed, "" when it did not.
	Error                string
	Violations, Warnings []Violation
}

// Slot is a slot Alexa heard.
type Slot struct{ Name, Value, Resolved string }

// Exchange is one request to the skill and its answer.
type Exchange struct {
	Type, Intent, DialogState string
	// Request and Response are the bodies as sent and received.
	Request, Response []byte
	Status            int
	Latency           time.Duration
}

// Summary is "IntentRequest OrderIntent (STARTED)".
func (e *Exchange) Summary() string {
	s := e.Type
	if e.Intent != "" {
		s += " " + e.Intent
	}
	if e.DialogState != "" {
		s += " (" + e.DialogState + ")"
	}
	return s
}

// Card is the card an answer showed.
type Card struct{ Type, Title, Text string }

// Call is one call the skill made to a fake.
type Call struct {
	Method, Path string
	Status       int
	// Note is the fake's decision or outcome: "granted", "no consent"….
	Note string
	Time time.Time
}

func (c Call) String() string {
	s := fmt.Sprintf("%s %s → %d", c.Method, c.Path, c.Status)
	if c.Note != "" {
		s += " (" + c.Note + ")"
	}
	return s
}

// Violation is a broken rule of the response contract.
type Violation struct{ Rule, Path, Message string }

func (v Violation) String() string {
	if v.Path == "" {
		return v.Rule + ": " + v.Message
	}
	return v.Rule + " at " + v.Path + ": " + v.Message
}

// SlowTurn is the latency from which a turn is flagged as nearing Alexa's
// 8 s limit, after which Alexa gives up on the skill.
const SlowTurn = 6 * time.Second

// AlexaTimeout is how long Alexa waits for a skill's answer.
const AlexaTimeout = 8 * time.Second

// Shorten cuts s to at most n runes, keeping its start and end.
func Shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n || n < 8 {
		return s
	}
	tail := n / 4
	return string(r[:n-tail-1]) + "…" + string(r[len(r)-tail:])
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Millis formats a latency for people: "12 ms", "1.25 s".
func Millis(d time.Duration) string {
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
	}
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}
