package features

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"

	gherkin "github.com/cucumber/gherkin/go/v26"
	messages "github.com/cucumber/messages/go/v21"
)

// Limits on feature files. Features are written by hand and run to a few
// hundred KiB at most; past these bounds the Gherkin parser misbehaves
// (issue 14 defect 4): a line of 64 KiB or more makes its line scanner
// fail and the parser panic on the missing line, and a doc string is
// joined line by line, in time quadratic in its lines (5 MB took 59 s).
const (
	// MaxFeatureBytes is the most one feature file may hold.
	MaxFeatureBytes = 1 << 20
	// MaxFeatureLineBytes is the longest line, newline excluded.
	MaxFeatureLineBytes = 32 << 10
	// MaxDocStringBytes and MaxDocStringLines bound one doc string, and
	// MaxDocStringsBytes all of a file's: joining costs about lines ×
	// bytes / 2 byte copies per doc string, so these keep a file's in
	// about a hundred million, a fraction of a second.
	MaxDocStringBytes  = 64 << 10
	MaxDocStringLines  = 1000
	MaxDocStringsBytes = 256 << 10
	// MaxPickleBytes bounds the steps a feature file expands to: each row
	// of a Scenario Outline's Examples copies the outline's steps, doc
	// strings and tables, so a small file can ask for gigabytes.
	MaxPickleBytes = 32 << 20
)

// readFeature reads a feature file, refusing one over MaxFeatureBytes
// without reading the rest of it.
func readFeature(fsys fs.FS, name string) ([]byte, error) {
	var f io.ReadCloser
	var err error
	if fsys == nil {
		f, err = os.Open(name)
	} else {
		f, err = fsys.Open(name)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFeatureBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFeatureBytes {
		return nil, fmt.Errorf("the file is larger than %d bytes (1 MiB), the most a feature file may hold", MaxFeatureBytes)
	}
	return data, nil
}

// parseFeature parses one feature file and compiles its pickles, checking
// the limits above first, so that the parser (and godog's, which parses
// the same file again) only sees what it handles well. problems are the
// lines of the error report, "file:line[:col]: what", each indented.
func parseFeature(file string, data []byte, newID func() string) (doc *messages.GherkinDocument, pickles []*messages.Pickle, problems []string) {
	if line, n := longestLine(data); n > MaxFeatureLineBytes {
		return nil, nil, []string{fmt.Sprintf("  %s:%d: the line is %d bytes long, more than %d (32 KiB), the most a feature line may hold", file, line, n, MaxFeatureLineBytes)}
	}
	return parseGuarded(file, data, newID)
}

// parseGuarded is parseFeature after the line check. A panic in the
// parser must not take asksim down: the file is at fault, and the user
// needs its name.
func parseGuarded(file string, data []byte, newID func() string) (doc *messages.GherkinDocument, pickles []*messages.Pickle, problems []string) {
	defer func() {
		if r := recover(); r != nil {
			doc, pickles = nil, nil
			problems = []string{fmt.Sprintf("  %s: the Gherkin parser failed on this file: %v", file, r)}
		}
	}()
	b := &limitBuilder{AstBuilder: gherkin.NewAstBuilder(newID), file: file}
	parser := gherkin.NewParser(b)
	parser.StopAtFirstError(false)
	err := parser.Parse(gherkin.NewScanner(bytes.NewReader(data)), gherkin.NewLanguageMatcher(gherkin.DialectsBuiltin(), gherkin.DefaultDialect))
	if b.problem != "" {
		// The doc string was cut short, so what else the parser says
		// may follow from that alone.
		return nil, nil, []string{b.problem}
	}
	if err != nil {
		return nil, nil, []string{gherkinError(file, err)}
	}
	doc = b.GetGherkinDocument()
	if n, line := pickleBytes(doc); n > MaxPickleBytes {
		return nil, nil, []string{fmt.Sprintf("  %s:%d: the scenarios expand to more than %d bytes (32 MiB) of steps; an outline's steps, doc strings and tables are copied for each row of its examples", file, line, MaxPickleBytes)}
	}
	return doc, gherkin.Pickles(*doc, file, newID), nil
}

// longestLine returns the 1-based number and length of the longest line
// of data.
func longestLine(data []byte) (line, n int) {
	for i := 1; len(data) > 0; i++ {
		l, rest, _ := bytes.Cut(data, []byte("\n"))
		if len(l) > n {
			line, n = i, len(l)
		}
		data = rest
	}
	return line, n
}

// limitBuilder passes the parser's tokens on to the AST builder, but stops
// passing a doc string's lines once it exceeds its limits: the builder
// joins them only when the doc string ends, and then in time quadratic in
// their number.
type limitBuilder struct {
	gherkin.AstBuilder
	file    string
	problem string // the first limit crossed, as a report line

	inDocString bool
	start       int // line of the doc string's opening separator
	lines       int
	bytes       int // of this doc string
	allBytes    int // of the file's doc strings
}

func (b *limitBuilder) StartRule(r gherkin.RuleType) (bool, error) {
	if r == gherkin.RuleTypeDocString {
		b.inDocString, b.start, b.lines, b.bytes = true, 0, 0, 0
	}
	return b.AstBuilder.StartRule(r)
}

func (b *limitBuilder) EndRule(r gherkin.RuleType) (bool, error) {
	if r == gherkin.RuleTypeDocString {
		b.inDocString = false
	}
	return b.AstBuilder.EndRule(r)
}

func (b *limitBuilder) Build(t *gherkin.Token) (bool, error) {
	if !b.inDocString {
		return b.AstBuilder.Build(t)
	}
	switch {
	case t.Type == gherkin.TokenTypeDocStringSeparator && b.start == 0 && t.Location != nil:
		b.start = int(t.Location.Line)
	case t.Type == gherkin.TokenTypeOther && b.problem != "":
		return true, nil // the report is made: spare the builder the rest
	case t.Type == gherkin.TokenTypeOther:
		b.lines++
		b.bytes += len(t.Text) + 1
		b.allBytes += len(t.Text) + 1
		var what string
		switch {
		case b.lines > MaxDocStringLines:
			what = fmt.Sprintf("the doc string holds more than %d lines, the most one may hold", MaxDocStringLines)
		case b.bytes > MaxDocStringBytes:
			what = fmt.Sprintf("the doc string holds more than %d bytes (64 KiB), the most one may hold", MaxDocStringBytes)
		case b.allBytes > MaxDocStringsBytes:
			what = fmt.Sprintf("the file's doc strings hold more than %d bytes (256 KiB) in all, the most one file's may hold", MaxDocStringsBytes)
		default:
			return b.AstBuilder.Build(t)
		}
		b.problem = fmt.Sprintf("  %s:%d: %s", b.file, b.start, what)
		return true, nil
	}
	return b.AstBuilder.Build(t)
}

// pickleBytes estimates how many bytes of steps doc compiles to, and the
// line of the scenario that takes the total past MaxPickleBytes (of the
// last one otherwise). It stops counting there.
func pickleBytes(doc *messages.GherkinDocument) (total, line int) {
	if doc.Feature == nil {
		return 0, 0
	}
	// add counts one scenario, with the background steps each of its
	// pickles starts with.
	add := func(sc *messages.Scenario, background int) bool {
		copies := 1
		if len(sc.Examples) > 0 {
			copies = 0
			for _, ex := range sc.Examples {
				copies += len(ex.TableBody)
			}
		}
		total += copies * (background + stepsBytes(sc.Steps))
		line = int(sc.Location.Line)
		return total > MaxPickleBytes
	}
	background := 0
	for _, c := range doc.Feature.Children {
		switch {
		case c.Background != nil:
			background += stepsBytes(c.Background.Steps)
		case c.Scenario != nil:
			if add(c.Scenario, background) {
				return total, line
			}
		case c.Rule != nil:
			ruleBackground := background
			for _, rc := range c.Rule.Children {
				switch {
				case rc.Background != nil:
					ruleBackground += stepsBytes(rc.Background.Steps)
				case rc.Scenario != nil:
					if add(rc.Scenario, ruleBackground) {
						return total, line
					}
				}
			}
		}
	}
	return total, line
}

func stepsBytes(steps []*messages.Step) int {
	n := 0
	for _, s := range steps {
		n += len(s.Keyword) + len(s.Text) + 64 // the pickle step's own fields
		if s.DocString != nil {
			n += len(s.DocString.Content)
		}
		if s.DataTable != nil {
			for _, r := range s.DataTable.Rows {
				for _, c := range r.Cells {
					n += len(c.Value) + 16
				}
			}
		}
	}
	return n
}
