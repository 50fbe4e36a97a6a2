package features

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/asksim/asksim/features/report"
	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v21"
)

// A Dialog talks to the suite's skill one line at a time, as `ask dialog`
// does against Amazon: each line is an utterance, resolved through the
// skill's interaction model, and a line that starts with a dot is a
// command. It plays the same world as a scenario, so what it does can be
// written down as a feature that `asksim test` replays.

// DialogOptions shape a Dialog.
type DialogOptions struct {
	// In is read line by line; Out receives what Alexa says and does.
	In  io.Reader
	Out io.Writer
	// Prompt writes "> " before each line is read, for a person at a
	// terminal; without it each line read is echoed, so that the output of
	// a script reads as the conversation.
	Prompt bool
	// Consent is the consent scenario to start with ("" for none).
	Consent string
	// Record, when set, is the feature file the conversation is written to
	// when the dialog ends.
	Record string
}

// DialogHelp lists the dialog's commands.
const DialogHelp = `Each line is what the user says, resolved through the skill's interaction model
("open example skill", "order two coffees"). Lines starting with a dot are commands:
  .intent NAME [slot=value …]  send an IntentRequest for NAME with those slots
  .launch                      send a LaunchRequest (as "open <invocation name>")
  .end                         end the session, as the user leaving does
  .new                         a new session: the open one ends first
  .consent SCENARIO            none, name, email or email+linked (links the account)
  .link [USER]                 link the account as USER of the OAuth fake (its first user)
  .json                        the last request and answer, as JSON
  .record FILE                 write the conversation so far as a feature file
  .help                        this help
  .quit                        leave (so does the end of the input)`

// dialog is one Dialog's state.
type dialog struct {
	s     *Suite
	w     *world
	out   io.Writer
	steps []string // the recorded feature's steps, indented
	fails int
}

// ErrDialogTurnsFailed is returned by Dialog when a turn failed: the skill
// did not answer, or broke the response contract.
var ErrDialogTurnsFailed = errors.New("a turn failed")

// Dialog runs a dialog with the suite's skill until the input ends or
// .quit. It returns ErrDialogTurnsFailed (wrapped) when a turn failed, so
// that a script can tell.
func (s *Suite) Dialog(ctx context.Context, opts DialogOptions) error {
	d := &dialog{s: s, w: newWorld(s), out: opts.Out}
	defer d.w.close()
	if opts.Prompt {
		skill := "the bundled example skill"
		if s.cfg.Endpoint != nil {
			skill = "the skill at " + s.cfg.Endpoint.String()
		}
		fmt.Fprintf(d.out, "Talking to %s. Each line is what the user says; .help lists the commands, .quit leaves.\n", skill)
	}
	if opts.Consent != "" {
		if err := d.consent(ctx, opts.Consent); err != nil {
			return err
		}
	}
	sc := bufio.NewScanner(opts.In)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for {
		if opts.Prompt {
			fmt.Fprint(d.out, "> ")
		}
		if !sc.Scan() {
			break
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !opts.Prompt {
			fmt.Fprintf(d.out, "> %s\n", line)
		}
		quit, err := d.line(ctx, line)
		if err != nil {
			fmt.Fprintf(d.out, "  ! %v\n", err)
		}
		if quit {
			break
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if opts.Record != "" {
		if err := d.record(opts.Record); err != nil {
			return err
		}
	}
	if d.fails > 0 {
		return fmt.Errorf("%w: %d of the dialog's turns", ErrDialogTurnsFailed, d.fails)
	}
	return nil
}

// line plays one line of input.
func (d *dialog) line(ctx context.Context, line string) (quit bool, err error) {
	if !strings.HasPrefix(line, ".") {
		return false, d.turn(ctx, "When the user says "+quoteArg(line), func() error { return d.w.say(ctx, line) })
	}
	cmd, rest, _ := strings.Cut(line, " ")
	rest = strings.TrimSpace(rest)
	switch cmd {
	case ".quit", ".exit":
		return true, nil
	case ".help":
		fmt.Fprintln(d.out, DialogHelp)
	case ".launch":
		return false, d.turn(ctx, "When the user opens the skill", func() error { return d.w.open(ctx) })
	case ".end":
		return false, d.turn(ctx, "When the user ends the session", func() error { return d.w.endSession(ctx) })
	case ".new":
		if d.w.conv != nil && d.w.conv.SessionID() != "" {
			return false, d.turn(ctx, "When the user ends the session", func() error { return d.w.endSession(ctx) })
		}
		fmt.Fprintln(d.out, "  (no session is open: the next line starts one)")
	case ".intent":
		return false, d.intent(ctx, rest)
	case ".consent":
		return false, d.consent(ctx, rest)
	case ".link":
		if err := d.w.link(ctx, rest); err != nil {
			return false, err
		}
		step := "Given the user has linked their account"
		if rest != "" {
			step += " as " + quoteArg(rest)
		}
		d.steps = append(d.steps, step)
		fmt.Fprintf(d.out, "  linked as %s\n", or(rest, "the OAuth fake's first user"))
	case ".json":
		d.json()
	case ".record":
		if rest == "" {
			return false, errors.New(".record needs a file name")
		}
		return false, d.record(rest)
	default:
		return false, fmt.Errorf("unknown command %s (.help lists them)", cmd)
	}
	return false, nil
}

func (d *dialog) consent(ctx context.Context, name string) error {
	if err := d.w.consentScenario(ctx, name); err != nil {
		return err
	}
	d.steps = append(d.steps, "Given the consent scenario "+quoteArg(name))
	fmt.Fprintf(d.out, "  consent %s\n", d.w.consent())
	return nil
}

// intent sends ".intent NAME slot=value …".
func (d *dialog) intent(ctx context.Context, args string) error {
	fields := strings.Fields(args)
	if len(fields) == 0 {
		return errors.New(".intent needs an intent name: .intent OrderIntent item=coffee")
	}
	name := fields[0]
	table := &godog.Table{}
	var rows []string
	for _, f := range fields[1:] {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k == "" {
			return fmt.Errorf("slot %q: want name=value", f)
		}
		table.Rows = append(table.Rows, &messages.PickleTableRow{Cells: []*messages.PickleTableCell{{Value: k}, {Value: v}}})
		rows = append(rows, "      | "+tableCell(k)+" | "+tableCell(v)+" |")
	}
	step := "When the user invokes " + quoteArg(name)
	if len(rows) == 0 {
		return d.turn(ctx, step, func() error { return d.w.invoke(ctx, name) })
	}
	return d.turn(ctx, step+" with:\n"+strings.Join(rows, "\n"), func() error { return d.w.invokeWith(ctx, name, table) })
}

// turn plays a user turn, prints what came of it, and records it with
// what Alexa said.
func (d *dialog) turn(ctx context.Context, step string, play func() error) error {
	before := len(d.w.turns)
	err := play()
	if len(d.w.turns) == before { // nothing was sent: a step's own error
		return err
	}
	conv := d.w.buildConversation(d.w.snapshot(true))
	t := conv.Turns[len(conv.Turns)-1]
	d.print(&t, conv.SessionOpen)
	d.steps = append(d.steps, step)
	if err != nil {
		d.fails++
		fmt.Fprintf(d.out, "  ! %s\n", strings.ReplaceAll(firstPart(err), "\n", "\n    "))
		d.steps = append(d.steps, "# the turn failed: "+strings.SplitN(firstPart(err), "\n", 2)[0])
		return nil
	}
	if t.Speech == "" {
		d.steps = append(d.steps, "Then Alexa says nothing")
	} else {
		d.steps = append(d.steps, "Then Alexa says "+quoteArg(normalizeSpeech(t.Speech)))
	}
	if conv.SessionOpen {
		d.steps = append(d.steps, "And the session stays open")
	} else {
		d.steps = append(d.steps, "And the session ends")
	}
	return nil
}

// firstPart is a failure without the conversation it carries: the dialog
// has just shown it.
func firstPart(err error) string {
	var f *stepFailure
	if errors.As(err, &f) {
		return f.Message
	}
	return err.Error()
}

// print shows one turn: Alexa's speech and what came with it.
func (d *dialog) print(t *report.Turn, open bool) {
	who := "Alexa"
	if t.DialogModel {
		who = "Alexa (dialog model)"
	}
	speech := "(says nothing)"
	if t.Speech != "" {
		speech = fmt.Sprintf("%q", t.Speech)
	}
	fmt.Fprintf(d.out, "  %s: %s", who, speech)
	if len(t.Requests) > 0 {
		fmt.Fprintf(d.out, "   [%s]", report.LatencyText(t.Latency))
	}
	fmt.Fprintln(d.out)
	if t.Heard != "" {
		fmt.Fprintf(d.out, "    heard: %s\n", strings.TrimSpace(t.Heard+" "+report.SlotsText(t.Slots)))
	}
	for _, e := range t.Requests {
		fmt.Fprintf(d.out, "    sent: %s → HTTP %d in %s\n", e.Summary(), e.Status, report.Millis(e.Latency))
	}
	if t.Reprompt != "" {
		fmt.Fprintf(d.out, "    reprompt: %q\n", t.Reprompt)
	}
	if c := t.Card; c != nil {
		fmt.Fprintf(d.out, "    card: %s", c.Type)
		if c.Title != "" {
			fmt.Fprintf(d.out, " %q", c.Title)
		}
		if c.Text != "" {
			fmt.Fprintf(d.out, ": %s", strings.ReplaceAll(c.Text, "\n", " "))
		}
		fmt.Fprintln(d.out)
	}
	if len(t.Directives) > 0 {
		fmt.Fprintf(d.out, "    directives: %s\n", strings.Join(t.Directives, ", "))
	}
	if t.Dialog != "" {
		fmt.Fprintf(d.out, "    Alexa is %s\n", t.Dialog)
	}
	for _, c := range t.APICalls {
		fmt.Fprintf(d.out, "    Alexa API: %s\n", c)
	}
	for _, c := range t.OAuthCalls {
		fmt.Fprintf(d.out, "    OAuth: %s\n", c)
	}
	for _, v := range t.Warnings {
		fmt.Fprintf(d.out, "    warning: %s\n", v)
	}
	state := "ended"
	if open {
		state = "open"
		if last, err := d.w.last(); err == nil && last.Response != nil && len(last.Response.SessionAttributes) > 0 && string(last.Response.SessionAttributes) != "null" {
			state += ", attributes " + compactJSON(last.Response.SessionAttributes)
		}
	}
	fmt.Fprintf(d.out, "    session: %s\n", state)
}

func compactJSON(b []byte) string {
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return string(b)
	}
	return buf.String()
}

// json prints the last request sent to the skill and its answer.
func (d *dialog) json() {
	for i := len(d.w.turns) - 1; i >= 0; i-- {
		ts := recTurns(d.w.turns[i])
		if len(ts) == 0 {
			continue
		}
		t := ts[len(ts)-1]
		fmt.Fprintf(d.out, "request:\n%s\nanswer (HTTP %d):\n%s\n", indentJSON(t.RequestBody), t.Status, indentJSON(t.Raw))
		return
	}
	fmt.Fprintln(d.out, "  (nothing was sent to the skill yet)")
}

func indentJSON(b []byte) string {
	var buf bytes.Buffer
	if json.Indent(&buf, bytes.TrimSpace(b), "", "  ") != nil {
		return string(b)
	}
	return buf.String()
}

// record writes the conversation so far as a feature file.
func (d *dialog) record(path string) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	if err := os.WriteFile(path, []byte(d.feature()), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(d.out, "  recorded %d steps in %s\n", len(d.steps), path)
	return nil
}

// feature is the recorded conversation as a feature `asksim test` replays.
func (d *dialog) feature() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Feature: A recorded dialog\n  Recorded by asksim dialog on %s.\n\n  Scenario: The dialog as it went\n", d.s.cfg.Now().UTC().Format("2006-01-02 15:04 UTC"))
	for _, s := range d.steps {
		for _, l := range strings.Split(s, "\n") {
			if strings.HasPrefix(l, "      |") {
				b.WriteString(l + "\n")
			} else {
				b.WriteString("    " + l + "\n")
			}
		}
	}
	if len(d.steps) == 0 {
		b.WriteString("    # nothing was said\n")
	}
	return b.String()
}

// quoteArg writes s as a quoted step argument: \ and " escaped, the only
// escapes the steps read.
func quoteArg(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// tableCell writes s as a Gherkin table cell: |, \ and newlines escaped.
func tableCell(s string) string {
	return strings.NewReplacer(`\`, `\\`, `|`, `\|`, "\n", `\n`).Replace(s)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
