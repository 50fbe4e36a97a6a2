package report

import (
	"bufio"
	_ "embed"
	"html/template"
	"io"
	"strconv"
)

// HTML writes one self-contained HTML file at the end of the run: its CSS
// and script inline, nothing loaded from the network (its Content Security
// Policy forbids it). Scenarios are grouped by feature with pass, fail and
// skip counts; the failures are listed first and a filter shows one
// status at a time. Each scenario shows its steps with their status and
// duration, a failure's expected, got, path and rule, and its
// conversation: what the user said, what Alexa heard and said, the card,
// directives, the calls the skill made to the fakes, each turn's latency,
// and the request and answer JSON, folded.
//
// Everything comes through html/template, so that speech, JSON and names
// are escaped wherever they land.
type HTML struct{ w io.Writer }

// NewHTML returns the HTML formatter writing to w.
func NewHTML(w io.Writer) *HTML { return &HTML{w: w} }

func (f *HTML) Start(*Header) error      { return nil }
func (f *HTML) Scenario(*Scenario) error { return nil }

//go:embed report.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"millis": Millis,
}).Parse(htmlSource))

type htmlScenario struct {
	*Scenario
	ID     string
	Failed *Step
}

type htmlFeature struct {
	*Feature
	Counts Counts
}

type htmlRun struct {
	*Run
	Title     string
	Scenarios Counts
	Steps     Counts
	Failures  []htmlScenario
}

func (f *HTML) Finish(r *Run) error {
	data := htmlRun{Run: r, Title: "asksim report", Scenarios: r.ScenarioCounts(), Steps: r.StepCounts()}
	ids := map[*Scenario]string{}
	for i, s := range r.Scenarios() {
		ids[s] = "s" + strconv.Itoa(i+1)
		if s.Status() == Failed {
			data.Failures = append(data.Failures, htmlScenario{Scenario: s, ID: ids[s], Failed: s.FailedStep()})
		}
	}
	bw := bufio.NewWriterSize(f.w, 64<<10)
	if err := htmlTemplate.ExecuteTemplate(bw, "head", data); err != nil {
		return err
	}
	for _, feat := range r.Features {
		if err := htmlTemplate.ExecuteTemplate(bw, "feature", htmlFeature{Feature: feat, Counts: feat.Counts()}); err != nil {
			return err
		}
		for _, s := range feat.Scenarios {
			writeScenario(bw, s, ids[s])
		}
		bw.WriteString("\n</section>")
	}
	if err := htmlTemplate.ExecuteTemplate(bw, "tail", data); err != nil {
		return err
	}
	return bw.Flush()
}
