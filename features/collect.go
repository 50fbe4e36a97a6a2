package features

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/asksim/asksim/features/report"
	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v21"
)

// A run's reports are written from godog's hooks: each scenario's steps,
// their outcomes and durations, the turns each step played, and, for the
// reports that show it, the conversation. godog itself writes nothing.

// runState is one Run's collector.
type runState struct {
	suite *Suite
	ids   map[string]*pickleRef
	outs  *outputs
	sel   *selection

	mu       sync.Mutex
	run      report.Run
	features map[*featureDoc]*report.Feature
	played   int
	err      error
}

func (s *Suite) newRunState(sel *selection, ids map[string]*pickleRef, outs *outputs, opts RunOptions) *runState {
	h := report.Header{Version: opts.Version, AlexaAPI: s.apiURL, OAuth: s.oauthURL, Locale: s.sim.Locale(),
		Seed: sel.seed, Tags: strings.TrimSpace(opts.Tags), Started: s.cfg.Now()}
	if s.cfg.Endpoint != nil {
		h.Endpoint = s.cfg.Endpoint.String()
	}
	switch {
	case s.pkg != nil && s.cfg.SkillPackage != nil:
		h.SkillPackage = "skill package " + s.pkg.Dir
	case s.bare != nil:
		h.SkillPackage = "interaction model"
	}
	if opts.Shard.Total > 1 {
		h.Shard = fmt.Sprintf("%d/%d", opts.Shard.Index, opts.Shard.Total)
	}
	return &runState{suite: s, ids: ids, outs: outs, sel: sel, run: report.Run{Header: h}, features: map[*featureDoc]*report.Feature{}}
}

func (rs *runState) start() error {
	for _, f := range rs.outs.fmts {
		if err := f.Start(&rs.run.Header); err != nil {
			return &ConfigError{fmt.Sprintf("writing the report: %v", err)}
		}
	}
	return nil
}

// finish ends the run: the formatters write their reports. It reports
// whether a scenario failed.
func (rs *runState) finish() (failed bool, err error) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.run.Duration = rs.suite.cfg.Now().Sub(rs.run.Started)
	rs.run.NotRun = len(rs.sel.picked) - rs.played
	for _, f := range rs.outs.fmts {
		if err := f.Finish(&rs.run); err != nil && rs.err == nil {
			rs.err = err
		}
	}
	if err := rs.outs.close(); err != nil && rs.err == nil {
		rs.err = err
	}
	if rs.err != nil {
		return false, fmt.Errorf("writing the report: %w", rs.err)
	}
	return len(rs.run.Failed()) > 0, nil
}

// scenarioRec follows one scenario through its hooks.
type scenarioRec struct {
	ref  *pickleRef
	rep  *report.Scenario
	done int  // steps reported
	over bool // the After hook ran
	// the step running: when it began and how many turns came before it
	stepStart time.Time
	turnsFrom int
}

// begin starts a scenario's record.
func (rs *runState) begin(p *godog.Scenario) (*scenarioRec, error) {
	ref := rs.ids[p.Id]
	if ref == nil || ref.pickle.Name != p.Name || len(ref.pickle.Steps) != len(p.Steps) {
		return nil, fmt.Errorf("asksim: scenario %q of %s is not the one selected", p.Name, p.Uri)
	}
	// godog's pickle holds the ids of godog's own parse: the selection's
	// pickle, the same scenario, holds those of the documents asksim reads.
	p = ref.pickle
	sc := ref.scenario
	rep := &report.Scenario{Keyword: sc.Keyword, Name: p.Name, Description: strings.TrimSpace(sc.Description),
		Line: int(sc.Location.Line), Tags: ref.doc.idx.reportTags(p.Tags), Started: rs.suite.cfg.Now()}
	if ref.row != nil {
		rep.RowLine = int(ref.row.Location.Line)
		rep.Row = cells(ref.row)
		rep.RowHeader = cells(ref.header)
	}
	for i, ps := range p.Steps {
		st := &report.Step{Text: ps.Text, Status: report.Skipped}
		if ast := ref.doc.idx.steps[ps.AstNodeIds[0]]; ast != nil {
			st.Keyword, st.Line = ast.Keyword, int(ast.Location.Line)
		}
		if i < len(ref.defs) && ref.defs[i] >= 0 {
			st.Definition = stepDefinitions[ref.defs[i]]
		}
		if arg := ps.Argument; arg != nil {
			if arg.DataTable != nil {
				for _, row := range arg.DataTable.Rows {
					var cs []string
					for _, c := range row.Cells {
						cs = append(cs, c.Value)
					}
					st.Table = append(st.Table, cs)
				}
			}
			if arg.DocString != nil {
				st.DocString = arg.DocString.Content
			}
		}
		rep.Steps = append(rep.Steps, st)
	}
	return &scenarioRec{ref: ref, rep: rep}, nil
}

// reportTags are a pickle's tags, each at the line of the tag it came
// from (0 if the document does not hold it).
func (idx *docIndex) reportTags(tags []*messages.PickleTag) []report.Tag {
	out := make([]report.Tag, len(tags))
	for i, t := range tags {
		out[i].Name = t.Name
		if ast := idx.tags[t.AstNodeId]; ast != nil {
			out[i].Line = int(ast.Location.Line)
		}
	}
	return out
}

func cells(row *messages.TableRow) []string {
	if row == nil {
		return nil
	}
	out := make([]string, len(row.Cells))
	for i, c := range row.Cells {
		out[i] = c.Value
	}
	return out
}

var statusOf = map[godog.StepResultStatus]report.Status{
	godog.StepPassed: report.Passed, godog.StepFailed: report.Failed, godog.StepSkipped: report.Skipped,
	godog.StepUndefined: report.Undefined, godog.StepPending: report.Pending, godog.StepAmbiguous: report.Ambiguous,
}

// stepDone records a step's outcome.
func (rs *runState) stepDone(rec *scenarioRec, w *world, status godog.StepResultStatus, err error) {
	if rec.done >= len(rec.rep.Steps) {
		return
	}
	st := rec.rep.Steps[rec.done]
	rec.done++
	st.Status = statusOf[status]
	if st.Status != report.Skipped {
		st.Duration = rs.suite.cfg.Now().Sub(rec.stepStart)
	}
	for i := rec.turnsFrom; i < len(w.turns); i++ {
		st.Turns = append(st.Turns, i)
		var lat time.Duration
		for _, t := range recTurns(w.turns[i]) {
			lat += t.Duration
			for _, v := range t.Warnings {
				st.Warnings = append(st.Warnings, report.Violation(v))
			}
		}
		if len(recTurns(w.turns[i])) > 0 {
			st.Latencies = append(st.Latencies, lat)
		}
	}
	if err != nil && st.Status != report.Skipped {
		var f *stepFailure
		if errors.As(err, &f) {
			fc := f.Failure
			st.Failure = &fc
		} else {
			st.Failure = &report.Failure{Message: err.Error()}
		}
	}
	rs.maybeDone(rec)
}

// scenarioDone notes that the scenario's After hook ran and takes what its
// conversation needs before the world is closed.
func (rs *runState) scenarioDone(rec *scenarioRec, w *world) {
	rec.over = true
	if rs.outs.keep {
		snap := w.snapshot(true)
		rec.rep.SetConversation(func() *report.Conversation { return w.buildConversation(snap) })
	}
	rs.maybeDone(rec)
}

// maybeDone hands the scenario to the formatters once its last step and
// its After hook are both done, in whichever order godog ran them.
func (rs *runState) maybeDone(rec *scenarioRec) {
	if !rec.over || rec.done < len(rec.rep.Steps) {
		return
	}
	rec.rep.Duration = rs.suite.cfg.Now().Sub(rec.rep.Started)
	rs.mu.Lock()
	defer rs.mu.Unlock()
	f := rs.features[rec.ref.doc]
	if f == nil {
		d := rec.ref.doc.doc
		f = &report.Feature{URI: rec.ref.doc.uri}
		if ft := d.Feature; ft != nil {
			f.Keyword, f.Name, f.Description, f.Line = ft.Keyword, ft.Name, strings.TrimSpace(ft.Description), int(ft.Location.Line)
			for _, t := range ft.Tags {
				f.Tags = append(f.Tags, report.Tag{Name: t.Name, Line: int(t.Location.Line)})
			}
		}
		rs.features[rec.ref.doc] = f
		rs.run.Features = append(rs.run.Features, f)
	}
	rec.rep.Feature = f
	f.Scenarios = append(f.Scenarios, rec.rep)
	rs.played++
	for _, fm := range rs.outs.fmts {
		if err := fm.Scenario(rec.rep); err != nil && rs.err == nil {
			rs.err = err
		}
	}
}

// initScenario registers a scenario's steps and hooks; rs is nil outside
// Run, when godog's own formatters report.
func (s *Suite) initScenario(sc *godog.ScenarioContext, rs *runState) {
	w := newWorld(s)
	var rec *scenarioRec
	sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
		w.pickle = p
		for _, i := range s.stepsFor(p) {
			addStep(sc, stepRegexps[i], unescaping(steps[i].bind(w), quotedArgs[i]))
		}
		if rs == nil {
			return ctx, nil
		}
		var err error
		rec, err = rs.begin(p)
		return ctx, err
	})
	sc.StepContext().Before(func(ctx context.Context, st *godog.Step) (context.Context, error) {
		w.step = st
		if rec != nil {
			rec.stepStart, rec.turnsFrom = s.cfg.Now(), len(w.turns)
		}
		return ctx, nil
	})
	if rs != nil {
		sc.StepContext().After(func(ctx context.Context, _ *godog.Step, status godog.StepResultStatus, err error) (context.Context, error) {
			if rec != nil {
				rs.stepDone(rec, w, status, err)
			}
			return ctx, nil
		})
	}
	// The hook returns no error of its own: handing the step's error back
	// made godog report it twice, as a failed hook too.
	sc.After(func(ctx context.Context, _ *godog.Scenario, _ error) (context.Context, error) {
		if rec != nil {
			rs.scenarioDone(rec, w)
		}
		w.close()
		return ctx, nil
	})
}

// stepDefinitions are where each step is defined, "features/steps.go:123":
// the line of its entry in the vocabulary, found from the entry's bind
// function.
var stepDefinitions = func() []string {
	out := make([]string, len(steps))
	for i, st := range steps {
		pc := reflect.ValueOf(st.bind).Pointer()
		fn := runtime.FuncForPC(pc)
		if fn == nil {
			continue
		}
		file, line := fn.FileLine(pc)
		file = strings.ReplaceAll(file, "\\", "/")
		if i := strings.LastIndex(file, "/features/"); i >= 0 {
			file = file[i+1:]
		}
		out[i] = fmt.Sprintf("%s:%d", file, line)
	}
	return out
}()
