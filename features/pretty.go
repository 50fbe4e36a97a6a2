package features

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/cucumber/godog/colors"
	"github.com/cucumber/godog/formatters"
	messages "github.com/cucumber/messages/go/v21"
)

// godog's pretty formatter finds each step's scenario, background, rule and
// Gherkin step by walking the whole feature, several times a step, and
// measures the scenario's longest step again for every step: a
// 500-scenario feature cost about 0.4 s of CPU in it, a sixth of a run.
// prettyFormatter writes the same bytes from indexes built once per
// feature. Run uses it in godog's place for "pretty" when scenarios run one
// at a time in file order (concurrency 1, no shuffle), the only case where
// the first scenario to run is the first of its feature, which is all the
// formatter needs that the callbacks do not say; pretty_test.go compares
// the two byte for byte. Otherwise godog's own runs.
const prettyName = "asksim-pretty"

func prettyFormatterFunc(suite string, out io.Writer) formatters.Formatter { return newPretty(out) }

var (
	red    = colors.Red
	redb   = colors.Bold(colors.Red)
	green  = colors.Green
	blackb = colors.Bold(colors.Black)
	yellow = colors.Yellow
	cyan   = colors.Cyan
	cyanb  = colors.Bold(colors.Cyan)
	whiteb = colors.Bold(colors.White)
)

const prettyIndent = 2

// stepStatus is a step's outcome, as godog names and colours it.
type stepStatus int

const (
	statusPassed stepStatus = iota
	statusFailed
	statusSkipped
	statusUndefined
	statusPending
	statusAmbiguous
)

func (s stepStatus) color() colors.ColorFunc {
	switch s {
	case statusPassed:
		return green
	case statusFailed:
		return red
	case statusSkipped:
		return cyan
	}
	return yellow
}

// stepResult is what godog's storage would hold for a step.
type stepResult struct {
	status stepStatus
	err    error
	def    *formatters.StepDefinition
	step   *messages.PickleStep
}

// prettyFeature indexes one Gherkin document by AST id, with the answers
// godog's models.Feature.Find* methods give.
type prettyFeature struct {
	uri         string
	scenarios   map[string]*messages.Scenario
	rules       map[string]*messages.Rule
	backgrounds map[string]*messages.Background
	steps       map[string]*messages.Step
	examples    map[string]exampleRow
	// firstPickle is the first scenario of the feature to run; in file
	// order, the first of the feature's pickles.
	firstPickle string
	lengths     map[string][2]int // scenarioLengths by scenario id
}

type exampleRow struct {
	examples *messages.Examples
	row      *messages.TableRow
}

func indexFeature(uri string, gd *messages.GherkinDocument) *prettyFeature {
	f := &prettyFeature{uri: uri, scenarios: map[string]*messages.Scenario{}, rules: map[string]*messages.Rule{},
		backgrounds: map[string]*messages.Background{}, steps: map[string]*messages.Step{},
		examples: map[string]exampleRow{}, lengths: map[string][2]int{}}
	if gd.Feature == nil {
		return f
	}
	addScenario := func(sc *messages.Scenario, bg *messages.Background, ru *messages.Rule) {
		if _, seen := f.scenarios[sc.Id]; seen {
			return
		}
		f.scenarios[sc.Id], f.backgrounds[sc.Id] = sc, bg
		if ru != nil {
			f.rules[sc.Id] = ru
		}
		for _, st := range sc.Steps {
			f.steps[st.Id] = st
		}
		for _, ex := range sc.Examples {
			for _, row := range ex.TableBody {
				if _, seen := f.examples[row.Id]; !seen {
					f.examples[row.Id] = exampleRow{ex, row}
				}
			}
		}
	}
	// The background in effect is the last one met walking the children
	// in order, rules included, as godog's FindBackground walks them.
	var bg *messages.Background
	visit := func(b *messages.Background, sc *messages.Scenario, ru *messages.Rule) {
		if b != nil {
			bg = b
			for _, st := range bg.Steps {
				f.steps[st.Id] = st
			}
		}
		if sc != nil {
			addScenario(sc, bg, ru)
		}
	}
	for _, child := range gd.Feature.Children {
		visit(child.Background, child.Scenario, nil)
		if ru := child.Rule; ru != nil {
			for _, rc := range ru.Children {
				visit(rc.Background, rc.Scenario, ru)
			}
		}
	}
	return f
}

// prettyFormatter is godog's pretty formatter (fmt_pretty.go and the
// summary of fmt_base.go, godog v0.15.1), reading its indexes where godog
// reads its storage.
type prettyFormatter struct {
	out          io.Writer
	mu           sync.Mutex
	firstFeature bool
	started      time.Time

	features map[string]*prettyFeature
	// results per pickle, in the order their steps finished.
	results map[string][]stepResult
	pickles []*messages.Pickle
	failed  []failedStep

	line []byte // reused for each line written
}

type failedStep struct {
	pickle *messages.Pickle
	result stepResult
}

func newPretty(out io.Writer) *prettyFormatter {
	return &prettyFormatter{out: out, features: map[string]*prettyFeature{}, results: map[string][]stepResult{}}
}

func (f *prettyFormatter) println(parts ...string) {
	f.line = f.line[:0]
	for _, p := range parts {
		f.line = append(f.line, p...)
	}
	f.line = append(f.line, '\n')
	_, _ = f.out.Write(f.line)
}

func sp(n int) string {
	if n < 0 {
		n = 1
	}
	return strings.Repeat(" ", n)
}

func (f *prettyFormatter) TestRunStarted() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.firstFeature, f.started = true, time.Now()
}

func (f *prettyFormatter) Feature(gd *messages.GherkinDocument, uri string, _ []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.firstFeature {
		f.println("")
	}
	f.firstFeature = false
	f.features[uri] = indexFeature(uri, gd)
	feature := gd.Feature
	f.println(keywordAndName(feature.Keyword, feature.Name))
	if strings.TrimSpace(feature.Description) != "" {
		for _, line := range strings.Split(feature.Description, "\n") {
			f.println(sp(prettyIndent), strings.TrimSpace(line))
		}
	}
}

func keywordAndName(keyword, name string) string {
	title := whiteb(keyword + ":")
	if len(name) > 0 {
		title += " " + name
	}
	return title
}

func (f *prettyFormatter) Pickle(p *messages.Pickle) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pickles = append(f.pickles, p)
	if ft := f.features[p.Uri]; ft != nil && ft.firstPickle == "" {
		ft.firstPickle = p.Id
	}
	if len(p.Steps) == 0 {
		f.printUndefinedPickle(p)
	}
}

func (f *prettyFormatter) Defined(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {
}

func (f *prettyFormatter) Passed(p *messages.Pickle, st *messages.PickleStep, def *formatters.StepDefinition) {
	f.step(p, stepResult{status: statusPassed, def: def, step: st})
}

func (f *prettyFormatter) Skipped(p *messages.Pickle, st *messages.PickleStep, def *formatters.StepDefinition) {
	f.step(p, stepResult{status: statusSkipped, def: def, step: st})
}

func (f *prettyFormatter) Undefined(p *messages.Pickle, st *messages.PickleStep, def *formatters.StepDefinition) {
	f.step(p, stepResult{status: statusUndefined, def: def, step: st})
}

func (f *prettyFormatter) Failed(p *messages.Pickle, st *messages.PickleStep, def *formatters.StepDefinition, err error) {
	f.step(p, stepResult{status: statusFailed, err: err, def: def, step: st})
}

func (f *prettyFormatter) Ambiguous(p *messages.Pickle, st *messages.PickleStep, def *formatters.StepDefinition, err error) {
	f.step(p, stepResult{status: statusAmbiguous, err: err, def: def, step: st})
}

func (f *prettyFormatter) Pending(p *messages.Pickle, st *messages.PickleStep, def *formatters.StepDefinition) {
	f.step(p, stepResult{status: statusPending, def: def, step: st})
}

func (f *prettyFormatter) step(p *messages.Pickle, r stepResult) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.results[p.Id] = append(f.results[p.Id], r)
	if r.status == statusFailed {
		f.failed = append(f.failed, failedStep{p, r})
	}
	f.printStep(p, r)
}

func (f *prettyFormatter) scenarioLengths(ft *prettyFeature, scenarioID string) (headerLen, maxLen int) {
	if l, ok := ft.lengths[scenarioID]; ok {
		return l[0], l[1]
	}
	sc := ft.scenarios[scenarioID]
	headerLen = lengthPickle(sc.Keyword, sc.Name)
	maxLen = longestStep(sc.Steps, headerLen)
	if bg := ft.backgrounds[scenarioID]; bg != nil {
		maxLen = longestStep(bg.Steps, maxLen)
	}
	ft.lengths[scenarioID] = [2]int{headerLen, maxLen}
	return headerLen, maxLen
}

func (f *prettyFormatter) printScenarioHeader(ft *prettyFeature, sc *messages.Scenario, spaceFilling int) {
	f.println("\n", sp(prettyIndent), keywordAndName(sc.Keyword, sc.Name), sp(spaceFilling), lineRef(ft.uri, sc.Location))
}

func (f *prettyFormatter) printUndefinedPickle(p *messages.Pickle) {
	ft := f.features[p.Uri]
	sc := ft.scenarios[p.AstNodeIds[0]]
	bg := ft.backgrounds[p.AstNodeIds[0]]
	headerLen, maxLen := f.scenarioLengths(ft, sc.Id)
	if bg != nil {
		f.println("\n", sp(prettyIndent), keywordAndName(bg.Keyword, bg.Name))
		for _, st := range bg.Steps {
			f.println(sp(prettyIndent*2), cyan(strings.TrimSpace(st.Keyword)), " ", cyan(st.Text))
		}
	}
	// Do not print scenario headers and examples more than once.
	if len(sc.Examples) > 0 {
		ex := ft.examples[p.AstNodeIds[1]]
		firstRow := ex.examples.TableBody[0].Id == ex.row.Id
		firstTable := sc.Examples[0].Location.Line == ex.examples.Location.Line
		if !(firstTable && firstRow) {
			return
		}
	}
	f.printScenarioHeader(ft, sc, maxLen-headerLen)
	for _, examples := range sc.Examples {
		max := longestExampleRow(examples, cyan, cyan)
		f.println("")
		f.println(sp(prettyIndent*2), keywordAndName(examples.Keyword, examples.Name))
		f.printTableRow(examples.TableHeader, max, cyan)
		for _, row := range examples.TableBody {
			f.printTableRow(row, max, cyan)
		}
	}
}

func (f *prettyFormatter) printStep(p *messages.Pickle, r stepResult) {
	ft := f.features[p.Uri]
	scenarioID := p.AstNodeIds[0]
	bg := ft.backgrounds[scenarioID]
	sc := ft.scenarios[scenarioID]
	astStep := ft.steps[r.step.AstNodeIds[0]]

	var bgStep, firstBgStep bool
	var bgSteps int
	if bg != nil {
		bgSteps = len(bg.Steps)
		for i, st := range bg.Steps {
			if st.Id == r.step.AstNodeIds[0] {
				bgStep, firstBgStep = true, i == 0
				break
			}
		}
	}
	rule := ft.rules[scenarioID]
	firstPickle := rule == nil && ft.firstPickle == p.Id || isFirstScenarioInRule(rule, sc)
	if bgStep && !firstPickle {
		return
	}
	if bgStep && firstBgStep {
		f.println("\n", sp(prettyIndent), keywordAndName(bg.Keyword, bg.Name))
	}
	if !bgStep && len(sc.Examples) > 0 {
		f.printOutlineExample(ft, p, r, bgSteps)
		return
	}
	headerLen, maxLen := f.scenarioLengths(ft, scenarioID)
	stepLen := lengthPickleStep(astStep.Keyword, r.step.Text)
	if !bgStep && sc.Steps[0].Id == r.step.AstNodeIds[0] {
		f.printScenarioHeader(ft, sc, maxLen-headerLen)
	}
	clr := r.status.color()
	if r.def != nil {
		f.println(sp(prettyIndent*2), clr(strings.TrimSpace(astStep.Keyword)), " ", clr(r.step.Text),
			sp(maxLen-stepLen+1), blackb("# "+definitionID(r.def)))
	} else {
		f.println(sp(prettyIndent*2), clr(strings.TrimSpace(astStep.Keyword)), " ", clr(r.step.Text))
	}
	if r.step.Argument != nil {
		if table := r.step.Argument.DataTable; table != nil {
			f.printTable(table, cyan)
		}
		if ds := astStep.DocString; ds != nil {
			f.printDocString(ds)
		}
	}
	if r.err != nil {
		f.println(sp(prettyIndent*2), redb(fmt.Sprintf("%+v", r.err)))
	}
	if r.status == statusPending {
		f.println(sp(prettyIndent*3), yellow("TODO: write pending definition"))
	}
}

var outlinePlaceholder = regexp.MustCompile("<[^>]+>")

func (f *prettyFormatter) printOutlineExample(ft *prettyFeature, p *messages.Pickle, r stepResult, bgSteps int) {
	var errorMsg string
	var clr = green
	sc := ft.scenarios[p.AstNodeIds[0]]
	headerLen, maxLen := f.scenarioLengths(ft, sc.Id)
	ex := ft.examples[p.AstNodeIds[1]]
	printExampleHeader := ex.examples.TableBody[0].Id == ex.row.Id
	firstExamplesTable := sc.Examples[0].Location.Line == ex.examples.Location.Line

	results := f.results[p.Id] // up to and including this step
	firstExecutedScenarioStep := len(results) == bgSteps+1
	if firstExamplesTable && printExampleHeader && firstExecutedScenarioStep {
		f.printScenarioHeader(ft, sc, maxLen-headerLen)
	}
	if len(ex.examples.TableBody) == 0 {
		return // do not print empty examples
	}
	if len(results) != len(p.Steps) {
		return // do not print examples until every step has finished
	}
	for _, res := range results {
		switch {
		case res.status == statusFailed, res.status == statusAmbiguous:
			errorMsg = res.err.Error()
			clr = res.status.color()
		case res.status == statusUndefined || res.status == statusPending:
			clr = res.status.color()
		case res.status == statusSkipped && clr == nil:
			clr = cyan
		}
		if !(firstExamplesTable && printExampleHeader) {
			continue
		}
		// In the first example, print the steps.
		astStep := ft.steps[res.step.AstNodeIds[0]]
		text := ""
		if res.def != nil {
			if m := outlinePlaceholder.FindAllStringIndex(astStep.Text, -1); len(m) > 0 {
				var pos int
				for _, pair := range m {
					text += cyan(astStep.Text[pos:pair[0]])
					text += cyanb(astStep.Text[pair[0]:pair[1]])
					pos = pair[1]
				}
				text += cyan(astStep.Text[pos:])
			} else {
				text = cyan(astStep.Text)
			}
			stepLen := lengthPickleStep(astStep.Keyword, astStep.Text)
			text += sp(maxLen - stepLen)
			text += " " + blackb("# "+definitionID(res.def))
		}
		f.println(sp(prettyIndent*2), cyan(strings.TrimSpace(astStep.Keyword)), " ", text)
		if res.step.Argument != nil {
			if table := res.step.Argument.DataTable; table != nil {
				f.printTable(table, cyan)
			}
			if ds := astStep.DocString; ds != nil {
				f.printDocString(ds)
			}
		}
	}
	max := longestExampleRow(ex.examples, clr, cyan)
	if printExampleHeader {
		f.println("")
		f.println(sp(prettyIndent*2), keywordAndName(ex.examples.Keyword, ex.examples.Name))
		f.printTableRow(ex.examples.TableHeader, max, cyan)
	}
	f.printTableRow(ex.row, max, clr)
	if errorMsg != "" {
		f.println(sp(prettyIndent*4), redb(errorMsg))
	}
}

func (f *prettyFormatter) printTableRow(row *messages.TableRow, max []int, clr colors.ColorFunc) {
	cells := make([]string, len(row.Cells))
	for i, cell := range row.Cells {
		val := clr(cell.Value)
		cells[i] = val + sp(max[i]-utf8.RuneCountInString(val))
	}
	f.println(sp(prettyIndent*3), "| ", strings.Join(cells, " | "), " |")
}

func (f *prettyFormatter) printDocString(ds *messages.DocString) {
	var ct string
	if len(ds.MediaType) > 0 {
		ct = " " + cyan(ds.MediaType)
	}
	f.println(sp(prettyIndent*3), cyan(ds.Delimiter), ct)
	for _, ln := range strings.Split(ds.Content, "\n") {
		f.println(sp(prettyIndent*3), cyan(ln))
	}
	f.println(sp(prettyIndent*3), cyan(ds.Delimiter))
}

func (f *prettyFormatter) printTable(t *messages.PickleTable, c colors.ColorFunc) {
	maxLens := maxColLengths(t, c)
	cols := make([]string, len(t.Rows[0].Cells))
	for _, row := range t.Rows {
		for i, cell := range row.Cells {
			val := c(cell.Value)
			cols[i] = val + sp(maxLens[i]-utf8.RuneCountInString(val))
		}
		f.println(sp(prettyIndent*3), "| ", strings.Join(cols, " | "), " |")
	}
}

func maxColLengths(t *messages.PickleTable, clrs ...colors.ColorFunc) []int {
	longest := make([]int, len(t.Rows[0].Cells))
	for _, row := range t.Rows {
		for i, cell := range row.Cells {
			longest[i] = max(longest[i], cellLength(cell.Value, clrs))
		}
	}
	return longest
}

func longestExampleRow(t *messages.Examples, clrs ...colors.ColorFunc) []int {
	longest := make([]int, len(t.TableHeader.Cells))
	for i, cell := range t.TableHeader.Cells {
		longest[i] = max(longest[i], cellLength(cell.Value, clrs))
	}
	for _, row := range t.TableBody {
		for i, cell := range row.Cells {
			longest[i] = max(longest[i], cellLength(cell.Value, clrs))
		}
	}
	return longest
}

// cellLength is the longest of the value's lengths, plain and coloured
// each way, as godog measures table columns.
func cellLength(v string, clrs []colors.ColorFunc) int {
	n := utf8.RuneCountInString(v)
	for _, c := range clrs {
		n = max(n, utf8.RuneCountInString(c(v)))
	}
	return n
}

func isFirstScenarioInRule(rule *messages.Rule, sc *messages.Scenario) bool {
	if rule == nil || sc == nil {
		return false
	}
	for _, c := range rule.Children {
		if c.Scenario != nil {
			return c.Scenario.Id == sc.Id
		}
	}
	return false
}

func longestStep(steps []*messages.Step, pickleLength int) int {
	m := pickleLength
	for _, st := range steps {
		m = max(m, lengthPickleStep(st.Keyword, st.Text))
	}
	return m
}

func lengthPickleStep(keyword, text string) int {
	return prettyIndent*2 + utf8.RuneCountInString(strings.TrimSpace(keyword)+" "+text)
}

func lengthPickle(keyword, name string) int {
	return prettyIndent + utf8.RuneCountInString(strings.TrimSpace(keyword)+": "+name)
}

// lineRef is " # path:line", the path without a line number it already
// carries.
func lineRef(path string, loc *messages.Location) string {
	path = strings.TrimSuffix(path, fmt.Sprintf(":%d", loc.Line))
	return " " + blackb(fmt.Sprintf("# %s:%d", path, loc.Line))
}

// stepSite is where InitializeScenario registers steps, the file and line
// godog records for every step (runtime.Caller in its Step): addStep's one
// line holds its call of sc.Step.
var stepSite = sync.OnceValue(func() (site struct {
	file string
	line int
}) {
	pc := reflect.ValueOf(addStep).Pointer()
	site.file, site.line = runtime.FuncForPC(pc).FileLine(pc)
	return site
})

var funcDefRef = regexp.MustCompile(`\(([^\)]+)\)`)

// definitionIDs caches definitionID: a handler's name costs a symbol
// lookup, and every step of a run asks.
var definitionIDs sync.Map // definitionKey → string

type definitionKey struct {
	ptr uintptr
	pkg string
}

// definitionID is godog's DefinitionID for a step asksim registered:
// "steps.go:LINE -> name", name derived from the handler's function name.
func definitionID(def *formatters.StepDefinition) string {
	key := definitionKey{reflect.ValueOf(def.Handler).Pointer(), os.Getenv("GODOG_TESTED_PACKAGE")}
	if id, ok := definitionIDs.Load(key); ok {
		return id.(string)
	}
	ptr := key.ptr
	site := stepSite()
	fn := strings.ReplaceAll(runtime.FuncForPC(ptr).Name(), filepath.Dir(site.file), "")
	var parts []string
	for _, gr := range funcDefRef.FindAllStringSubmatch(fn, -1) {
		parts = append(parts, strings.Trim(gr[1], "_."))
	}
	if len(parts) > 0 {
		fn = strings.Join(parts, ".") // a method
	} else {
		fn = strings.Trim(fn, "_.")
	}
	if pkg := key.pkg; len(pkg) > 0 {
		fn = strings.Replace(fn, pkg, "", 1)
		fn = strings.TrimLeft(fn, ".")
		fn = strings.ReplaceAll(fn, "..", ".")
	}
	id := fmt.Sprintf("%s:%d -> %s", filepath.Base(site.file), site.line, fn)
	definitionIDs.Store(key, id)
	return id
}

// Summary writes the failed steps and the counts, as godog's pretty and
// base formatters do. Undefined steps never reach it: Run refuses them
// before anything runs (checkSteps), so godog's snippets have no place.
func (f *prettyFormatter) Summary() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.failed) > 0 {
		f.println("\n--- ", red("Failed steps:"), "\n")
		slices.SortStableFunc(f.failed, func(a, b failedStep) int { return atoi(a.result.step.Id) - atoi(b.result.step.Id) })
		for _, fail := range f.failed {
			ft := f.features[fail.pickle.Uri]
			sc := ft.scenarios[fail.pickle.AstNodeIds[0]]
			astStep := ft.steps[fail.result.step.AstNodeIds[0]]
			f.println(sp(prettyIndent), red(fmt.Sprintf("%s: %s", sc.Keyword, fail.pickle.Name)), lineRef(ft.uri, sc.Location))
			f.println(sp(prettyIndent*2), red(strings.TrimSpace(astStep.Keyword)+" "+fail.result.step.Text), lineRef(ft.uri, astStep.Location))
			f.println(sp(prettyIndent*3), red("Error: "), redb(fmt.Sprintf("%+v", fail.result.err)), "\n")
		}
	}
	f.summaryCounts()
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func (f *prettyFormatter) summaryCounts() {
	var totalSc, passedSc, undefinedSc int
	var totalSt, passedSt, failedSt, skippedSt, pendingSt, undefinedSt, ambiguousSt int
	for _, p := range f.pickles {
		totalSc++
		results := f.results[p.Id]
		status := statusPassed
		if len(results) == 0 {
			status = statusUndefined
		}
		for _, r := range results {
			totalSt++
			switch r.status {
			case statusPassed:
				passedSt++
			case statusFailed:
				status = statusFailed
				failedSt++
			case statusAmbiguous:
				status = statusAmbiguous
				ambiguousSt++
			case statusSkipped:
				skippedSt++
			case statusUndefined:
				status = statusUndefined
				undefinedSt++
			case statusPending:
				status = statusPending
				pendingSt++
			}
		}
		switch status {
		case statusPassed:
			passedSc++
		case statusUndefined:
			undefinedSc++
		}
	}
	var steps, parts, scenarios []string
	if passedSt > 0 {
		steps = append(steps, green(fmt.Sprintf("%d passed", passedSt)))
	}
	for _, k := range []struct {
		n    int
		what string
		clr  colors.ColorFunc
	}{{failedSt, "failed", red}, {pendingSt, "pending", yellow}, {ambiguousSt, "ambiguous", yellow}} {
		if k.n > 0 {
			parts = append(parts, k.clr(fmt.Sprintf("%d %s", k.n, k.what)))
			steps = append(steps, k.clr(fmt.Sprintf("%d %s", k.n, k.what)))
		}
	}
	if undefinedSt > 0 {
		parts = append(parts, yellow(fmt.Sprintf("%d undefined", undefinedSc)))
		steps = append(steps, yellow(fmt.Sprintf("%d undefined", undefinedSt)))
	} else if undefinedSc > 0 {
		parts = append(parts, yellow(fmt.Sprintf("%d undefined", undefinedSc)))
	}
	if skippedSt > 0 {
		steps = append(steps, cyan(fmt.Sprintf("%d skipped", skippedSt)))
	}
	if passedSc > 0 {
		scenarios = append(scenarios, green(fmt.Sprintf("%d passed", passedSc)))
	}
	scenarios = append(scenarios, parts...)

	f.println("")
	if totalSc == 0 {
		f.println("No scenarios")
	} else {
		f.println(fmt.Sprintf("%d scenarios (%s)", totalSc, strings.Join(scenarios, ", ")))
	}
	if totalSt == 0 {
		f.println("No steps")
	} else {
		f.println(fmt.Sprintf("%d steps (%s)", totalSt, strings.Join(steps, ", ")))
	}
	elapsed := time.Since(f.started)
	elapsedString := elapsed.String()
	if elapsed.Nanoseconds() == 0 {
		elapsedString = "0s"
	}
	f.println(elapsedString)
	if seed, err := strconv.ParseInt(os.Getenv("GODOG_SEED"), 10, 64); err == nil && seed != 0 {
		f.println("")
		f.println("Randomized with seed: ", colors.Yellow(seed))
	}
}
