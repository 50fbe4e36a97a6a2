package features

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/asksim/asksim/features/report"
	"github.com/cucumber/godog"
	"github.com/cucumber/godog/formatters"
	messages "github.com/cucumber/messages/go/v21"
)

// Formats are the output formats a run writes, each NAME or NAME:FILE.
var Formats = []string{"pretty", "progress", "junit", "cucumber", "html", "rerun", "events"}

// conversational formats show each scenario's conversation, so a run that
// writes one keeps the conversations until the end.
var conversational = []string{"junit", "cucumber", "html"}

// outputs are the formats of a run and the files they write.
type outputs struct {
	specs []outputSpec
	fmts  []report.Formatter
	files []*os.File
	// events is godog's own event stream, written by godog: "" when not
	// asked for, "events" or "events:FILE".
	events string
	keep   bool
}

// outputSpec is one --format, checked but not yet opened.
type outputSpec struct {
	format, name, file string
}

// checkOutputs checks the formats and returns them unopened. Two formats
// writing to the terminal, or to one file, would leave an output nobody can
// read: that is an error, as is a format asksim does not know. Nothing is
// created here, so that an error found later, in a format or elsewhere in
// the configuration, leaves an earlier run's reports as they were.
func checkOutputs(opts RunOptions) (*outputs, error) {
	formats := opts.Formats
	if len(formats) == 0 {
		formats = []string{"pretty"}
	}
	o := &outputs{}
	var onStdout []string
	files := map[string]string{}
	for _, f := range formats {
		name, file, hasFile := strings.Cut(f, ":")
		if !slices.Contains(Formats, name) {
			return nil, &ConfigError{fmt.Sprintf("--format %q: unknown format %q (valid: %s, each optionally :FILE)", f, name, strings.Join(Formats, ", "))}
		}
		if hasFile && file == "" {
			return nil, &ConfigError{fmt.Sprintf("--format %q: empty file name after ':'", f)}
		}
		if !hasFile {
			onStdout = append(onStdout, name)
			if len(onStdout) > 1 {
				return nil, &ConfigError{fmt.Sprintf("--format %s and --format %s both write to standard output, where they would mix into one unreadable stream: give all but one a file, as %s:FILE",
					onStdout[0], name, name)}
			}
		} else {
			abs, err := filepath.Abs(file)
			if err != nil {
				abs = filepath.Clean(file)
			}
			if prev, dup := files[abs]; dup {
				return nil, &ConfigError{fmt.Sprintf("--format %s and --format %s both write %s: the last would overwrite the first", prev, f, file)}
			}
			files[abs] = f
		}
		if slices.Contains(conversational, name) {
			o.keep = true
		}
		if name == "events" {
			o.events = f
		}
		o.specs = append(o.specs, outputSpec{format: f, name: name, file: file})
	}
	return o, nil
}

// open creates the directories and files the formats write and makes their
// formatters (godog opens the events file itself, but its directory is
// made here).
func (o *outputs) open(opts RunOptions) error {
	for _, sp := range o.specs {
		if sp.file != "" {
			if dir := filepath.Dir(sp.file); dir != "." {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					o.close()
					return &ConfigError{fmt.Sprintf("--format %q: %v", sp.format, err)}
				}
			}
		}
		if sp.name == "events" {
			continue
		}
		var w io.Writer = outputOf(opts)
		color := !opts.NoColors
		if sp.file != "" {
			fh, err := os.Create(sp.file)
			if err != nil {
				o.close()
				return &ConfigError{fmt.Sprintf("--format %q: %v", sp.format, pathError(err))}
			}
			o.files = append(o.files, fh)
			w, color = fh, false
		}
		o.fmts = append(o.fmts, newFormatter(sp.name, w, color))
	}
	return nil
}

func newFormatter(name string, w io.Writer, color bool) report.Formatter {
	switch name {
	case "progress":
		return report.NewProgress(w, color)
	case "junit":
		return report.NewJUnit(w)
	case "cucumber":
		return report.NewCucumber(w)
	case "html":
		return report.NewHTML(w)
	case "rerun":
		return report.NewRerun(w)
	}
	return report.NewPretty(w, color)
}

func (o *outputs) close() error {
	var first error
	for _, f := range o.files {
		if err := f.Close(); err != nil && first == nil {
			first = err
		}
	}
	o.files = nil
	return first
}

// godogFormat is the format string godog is given: asksim's own
// formatters take their data from hooks, so godog writes nothing but its
// event stream, when asked for.
func (o *outputs) godogFormat() string {
	if o.events != "" {
		return silentFormat + "," + o.events
	}
	return silentFormat
}

const silentFormat = "asksim-silent"

func init() {
	godog.Format(silentFormat, "writes nothing: asksim writes its reports from hooks", func(string, io.Writer) formatters.Formatter { return silent{} })
}

// silent is a godog formatter that writes nothing.
type silent struct{}

func (silent) TestRunStarted()                                                            {}
func (silent) Feature(*messages.GherkinDocument, string, []byte)                          {}
func (silent) Pickle(*messages.Pickle)                                                    {}
func (silent) Defined(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {}
func (silent) Failed(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition, error) {
}
func (silent) Passed(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition)    {}
func (silent) Skipped(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition)   {}
func (silent) Undefined(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {}
func (silent) Pending(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition)   {}
func (silent) Ambiguous(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition, error) {
}
func (silent) Summary() {}
