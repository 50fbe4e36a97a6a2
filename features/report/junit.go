package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// JUnit writes JUnit XML at the end of the run: a testsuite per feature, a
// testcase per scenario (classname the feature), a failure's first line in
// its message attribute and the whole of it in the element, and the
// scenario's conversation in <system-out>.
type JUnit struct{ w io.Writer }

// NewJUnit returns the JUnit formatter writing to w.
func NewJUnit(w io.Writer) *JUnit { return &JUnit{w: w} }

func (f *JUnit) Start(*Header) error      { return nil }
func (f *JUnit) Scenario(*Scenario) error { return nil }

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Errors    int         `xml:"errors,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr,omitempty"`
	File      string      `xml:"file,attr,omitempty"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *struct{}     `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

func (f *JUnit) Finish(r *Run) error {
	out := junitSuites{Name: "asksim", Time: seconds(r.Duration)}
	for _, feat := range r.Features {
		suite := junitSuite{Name: feat.Name, File: feat.URI}
		var d time.Duration
		for _, s := range feat.Scenarios {
			if suite.Timestamp == "" && !s.Started.IsZero() {
				suite.Timestamp = s.Started.UTC().Format("2006-01-02T15:04:05")
			}
			d += s.Duration
			line := s.Line
			if s.RowLine != 0 {
				line = s.RowLine
			}
			c := junitCase{Classname: feat.Name, Name: s.Title(), File: feat.URI, Line: line, Time: seconds(s.Duration)}
			switch s.Status() {
			case Failed:
				suite.Failures++
				c.Failure = junitFailureOf(s)
			case Skipped:
				suite.Skipped++
				c.Skipped = &struct{}{}
			}
			c.SystemOut = systemOut(s)
			suite.Tests++
			suite.Cases = append(suite.Cases, c)
		}
		suite.Time = seconds(d)
		out.Tests += suite.Tests
		out.Failures += suite.Failures
		out.Skipped += suite.Skipped
		out.Suites = append(out.Suites, suite)
	}
	if _, err := io.WriteString(f.w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(f.w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(f.w, "\n")
	return err
}

func junitFailureOf(s *Scenario) *junitFailure {
	st := s.FailedStep()
	if st == nil {
		return &junitFailure{Message: "failed", Type: "failed"}
	}
	fail := &junitFailure{Type: string(st.Status), Message: fmt.Sprintf("%s%s: %s", st.Keyword, st.Text, st.Status)}
	body := fmt.Sprintf("%s%s (%s:%d)", st.Keyword, st.Text, s.Feature.URI, st.Line)
	if st.Failure != nil {
		fail.Message = st.Failure.Summary()
		body += "\n\n" + st.Failure.Message
	}
	fail.Body = body + "\n"
	return fail
}

// systemOut is the scenario's conversation, or what the failure saw of it
// when the conversation was not kept.
func systemOut(s *Scenario) string {
	if c := s.Conversation(); c != nil {
		var b strings.Builder
		c.WriteText(&b, "Conversation")
		return b.String() + "\n"
	}
	if st := s.FailedStep(); st != nil && st.Failure != nil {
		return st.Failure.Transcript
	}
	return ""
}

// Rerun writes the failed scenarios as file:line, one a line: the
// arguments `asksim test` takes to run exactly those again (an outline row
// by its row's line).
type Rerun struct{ w io.Writer }

// NewRerun returns the rerun formatter writing to w.
func NewRerun(w io.Writer) *Rerun { return &Rerun{w: w} }

func (f *Rerun) Start(*Header) error      { return nil }
func (f *Rerun) Scenario(*Scenario) error { return nil }

func (f *Rerun) Finish(r *Run) error {
	var b strings.Builder
	for _, s := range r.Failed() {
		b.WriteString(s.Location() + "\n")
	}
	_, err := io.WriteString(f.w, b.String())
	return err
}
