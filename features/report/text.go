package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
)

// Formatter writes a report as a run goes: Start before the first
// scenario, Scenario as each one finishes (never two at once), Finish once
// the run is over.
type Formatter interface {
	Start(h *Header) error
	Scenario(s *Scenario) error
	Finish(r *Run) error
}

// The marks of step outcomes: shapes, not only colours, so that a log
// without colour tells them apart.
const (
	markPassed  = "✔"
	markFailed  = "✘"
	markSkipped = "↷"
	markOther   = "?"
)

// ANSI colours, used only when asked for.
const (
	ansiReset  = "\x1b[0m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiGrey   = "\x1b[90m"
	ansiBold   = "\x1b[1m"
)

type painter bool

func (p painter) paint(color, s string) string {
	if !p || s == "" {
		return s
	}
	return color + s + ansiReset
}

func (p painter) status(st Status, s string) string {
	switch st {
	case Passed:
		return p.paint(ansiGreen, s)
	case Failed:
		return p.paint(ansiRed, s)
	case Skipped:
		return p.paint(ansiCyan, s)
	}
	return p.paint(ansiYellow, s)
}

func mark(st Status) string {
	switch st {
	case Passed:
		return markPassed
	case Failed:
		return markFailed
	case Skipped:
		return markSkipped
	}
	return markOther
}

// Pretty writes each scenario as it finishes: its steps with their marks,
// the latency of the turns a step played, and a failure once, indented
// under its step with the conversation so far.
type Pretty struct {
	w       *bufio.Writer
	p       painter
	feature *Feature
}

// NewPretty returns the pretty formatter writing to w, in colour if color.
func NewPretty(w io.Writer, color bool) *Pretty {
	return &Pretty{w: bufio.NewWriter(w), p: painter(color)}
}

func (f *Pretty) Start(h *Header) error {
	fmt.Fprintln(f.w, f.p.paint(ansiGrey, h.Line()))
	return f.w.Flush()
}

func (f *Pretty) Scenario(s *Scenario) error {
	if s.Feature != f.feature {
		f.feature = s.Feature
		fmt.Fprintf(f.w, "\n%s: %s\n", s.Feature.Keyword, f.p.paint(ansiBold, s.Feature.Name))
	}
	fmt.Fprintf(f.w, "\n  %s: %s  %s\n", s.Keyword, s.Name, f.p.paint(ansiGrey, s.Location()))
	if s.RowLine != 0 {
		fmt.Fprintf(f.w, "    %s\n", f.p.paint(ansiGrey, "Examples row "+s.RowLabel()))
	}
	for _, st := range s.Steps {
		line := fmt.Sprintf("    %s %s%s", f.p.status(st.Status, mark(st.Status)), st.Keyword, st.Text)
		if lat := latencies(st.Latencies); lat != "" {
			line += "  " + f.p.paint(ansiGrey, lat)
		}
		fmt.Fprintln(f.w, line)
		writeArgument(f.w, st, "        ")
		for _, v := range st.Warnings {
			fmt.Fprintf(f.w, "        %s\n", f.p.paint(ansiYellow, "⚠ warning: "+v.String()))
		}
		if st.Failure != nil {
			writeIndented(f.w, f.p.paint(ansiRed, st.Failure.Message), "        ")
			if st.Failure.Transcript != "" {
				fmt.Fprintln(f.w)
				writeIndented(f.w, st.Failure.Transcript, "        ")
			}
		}
	}
	return f.w.Flush()
}

func (f *Pretty) Finish(r *Run) error {
	fmt.Fprintln(f.w)
	writeSummary(f.w, f.p, r)
	return f.w.Flush()
}

// latencies says how long the turns of a step took, flagging slow ones.
func latencies(ds []time.Duration) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, LatencyText(d))
	}
	return strings.Join(parts, ", ")
}

func writeArgument(w io.Writer, st *Step, indent string) {
	for _, row := range st.Table {
		fmt.Fprintf(w, "%s| %s |\n", indent, strings.Join(row, " | "))
	}
	if st.DocString != "" {
		fmt.Fprintf(w, "%s\"\"\"\n", indent)
		writeIndented(w, st.DocString, indent)
		fmt.Fprintf(w, "%s\"\"\"\n", indent)
	}
}

func writeIndented(w io.Writer, text, indent string) {
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if l == "" {
			fmt.Fprintln(w)
			continue
		}
		fmt.Fprintln(w, indent+l)
	}
}

// writeSummary writes the counts, the time, and the failed scenarios as
// file:line, the form `asksim test` runs again.
func writeSummary(w io.Writer, p painter, r *Run) {
	sc, st := r.ScenarioCounts(), r.StepCounts()
	fmt.Fprintf(w, "%d scenarios (%s)\n", sc.Total, countsText(p, sc))
	fmt.Fprintf(w, "%d steps (%s)\n", st.Total, countsText(p, st))
	if r.NotRun > 0 {
		fmt.Fprintf(w, "%d scenarios not run (stopped at the first failure)\n", r.NotRun)
	}
	warnings, slow := 0, 0
	for _, s := range r.Scenarios() {
		for _, st := range s.Steps {
			warnings += len(st.Warnings)
			for _, d := range st.Latencies {
				if d >= SlowTurn {
					slow++
				}
			}
		}
	}
	if warnings > 0 {
		fmt.Fprintf(w, "%s\n", p.paint(ansiYellow, fmt.Sprintf("⚠ %d response-contract violations passed as warnings (--lenient)", warnings)))
	}
	if slow > 0 {
		fmt.Fprintf(w, "%s\n", p.paint(ansiYellow, fmt.Sprintf("⚠ %d turns took %s or more, near Alexa's 8 s limit", slow, Millis(SlowTurn))))
	}
	fmt.Fprintf(w, "%s\n", r.Duration.Round(time.Millisecond))
	if r.Seed != 0 {
		fmt.Fprintf(w, "Shuffled with --random=%d\n", r.Seed)
	}
	if failed := r.Failed(); len(failed) > 0 {
		fmt.Fprintf(w, "\nFailed scenarios:\n")
		for _, s := range failed {
			fmt.Fprintf(w, "  %s  %s\n", p.paint(ansiRed, s.Location()), p.paint(ansiGrey, "# "+s.Title()))
		}
	}
}

func countsText(p painter, c Counts) string {
	var parts []string
	if c.Passed > 0 {
		parts = append(parts, p.paint(ansiGreen, fmt.Sprintf("%d passed", c.Passed)))
	}
	if c.Failed > 0 {
		parts = append(parts, p.paint(ansiRed, fmt.Sprintf("%d failed", c.Failed)))
	}
	if c.Skipped > 0 {
		parts = append(parts, p.paint(ansiCyan, fmt.Sprintf("%d skipped", c.Skipped)))
	}
	if c.Other > 0 {
		parts = append(parts, p.paint(ansiYellow, fmt.Sprintf("%d undefined", c.Other)))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// Progress writes a mark per step as scenarios finish, and the failures,
// each once, at the end.
type Progress struct {
	w     *bufio.Writer
	p     painter
	count int
}

// NewProgress returns the progress formatter writing to w.
func NewProgress(w io.Writer, color bool) *Progress {
	return &Progress{w: bufio.NewWriter(w), p: painter(color)}
}

const progressWidth = 70

func (f *Progress) Start(h *Header) error {
	fmt.Fprintln(f.w, h.Line())
	return f.w.Flush()
}

func (f *Progress) Scenario(s *Scenario) error {
	for _, st := range s.Steps {
		c := "."
		switch st.Status {
		case Failed:
			c = "F"
		case Skipped:
			c = "-"
		case Passed:
		default:
			c = "U"
		}
		f.w.WriteString(f.p.status(st.Status, c))
		f.count++
		if f.count%progressWidth == 0 {
			fmt.Fprintf(f.w, " %d\n", f.count)
		}
	}
	return f.w.Flush()
}

func (f *Progress) Finish(r *Run) error {
	if f.count%progressWidth != 0 {
		fmt.Fprintf(f.w, " %d\n", f.count)
	}
	for _, s := range r.Failed() {
		st := s.FailedStep()
		fmt.Fprintf(f.w, "\n%s %s: %s  %s\n", f.p.paint(ansiRed, markFailed), s.Keyword, s.Title(), f.p.paint(ansiGrey, s.Location()))
		if st != nil {
			fmt.Fprintf(f.w, "    %s%s  %s\n", st.Keyword, st.Text, f.p.paint(ansiGrey, fmt.Sprintf("%s:%d", s.Feature.URI, st.Line)))
			if st.Failure != nil {
				writeIndented(f.w, st.Failure.Message, "      ")
				if st.Failure.Transcript != "" {
					fmt.Fprintln(f.w)
					writeIndented(f.w, st.Failure.Transcript, "      ")
				}
			}
		}
	}
	fmt.Fprintln(f.w)
	writeSummary(f.w, f.p, r)
	return f.w.Flush()
}
