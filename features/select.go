package features

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	gherkin "github.com/cucumber/gherkin/go/v26"
	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v21"
)

// One function chooses the scenarios a run plays, and in which order:
// `asksim test --list` prints its answer and Run hands exactly that to
// godog. Paths (with file:line filters), the tag expression, the shard and
// the shuffle all apply here, to pickles: a Scenario Outline's rows are
// chosen one by one, as the run plays them.

// BundledPrefix is the directory the bundled features are named under
// ("features/consent.feature"), as they lie in asksim's repository.
const BundledPrefix = "features/"

// pickleRef is one scenario, or one row of an outline, that a run plays.
type pickleRef struct {
	doc      *featureDoc
	pickle   *messages.Pickle
	scenario *messages.Scenario
	row      *messages.TableRow // nil for a plain scenario
	header   *messages.TableRow // the row's Examples header
	// defs are the indexes in steps of each step's definition.
	defs []int
}

// line is the line `asksim test FILE:LINE` takes for the pickle: the
// scenario's, or its Examples row's.
func (r *pickleRef) line() int64 {
	if r.row != nil {
		return r.row.Location.Line
	}
	return r.scenario.Location.Line
}

func (r *pickleRef) location() string { return fmt.Sprintf("%s:%d", r.doc.uri, r.line()) }

// selection is what a run plays.
type selection struct {
	docs   []*featureDoc // the files read, in path order
	picked []*pickleRef  // in run order
	seed   int64         // the shuffle's seed, 0 for file order
	// matched counts the scenarios the paths and tags chose, before the
	// shard took its part.
	matched int
}

// pathArg is a feature path with the lines asked for, none meaning all.
type pathArg struct {
	path  string
	lines []int64
}

var lineSuffix = regexp.MustCompile(`^(.+?)((?::\d+)+)$`)

// parsePathArgs reads the paths given to a run: files, directories,
// FILE:LINE[:LINE…], and @FILE, a file of such paths (a rerun file).
func parsePathArgs(args []string) ([]pathArg, error) {
	var out []pathArg
	for _, a := range args {
		if list, ok := strings.CutPrefix(a, "@"); ok && list != "" {
			data, err := os.ReadFile(list)
			if err != nil {
				return nil, &ConfigError{fmt.Sprintf("%s: %v", a, pathError(err))}
			}
			sc := bufio.NewScanner(bytes.NewReader(data))
			for sc.Scan() {
				for _, f := range strings.Fields(sc.Text()) {
					out = append(out, splitLines(f))
				}
			}
			continue
		}
		out = append(out, splitLines(a))
	}
	return out, nil
}

func splitLines(a string) pathArg {
	m := lineSuffix.FindStringSubmatch(a)
	if m == nil {
		return pathArg{path: a}
	}
	if _, err := os.Stat(a); err == nil {
		return pathArg{path: a} // a file whose name ends in :N
	}
	var lines []int64
	for _, l := range strings.Split(strings.TrimPrefix(m[2], ":"), ":") {
		n, _ := strconv.ParseInt(l, 10, 64)
		lines = append(lines, n)
	}
	return pathArg{path: m[1], lines: lines}
}

// source is where a feature file is read from: the disk, or the bundled
// features.
type source struct {
	uri  string // the name reports and --list give it
	fsys fs.FS  // nil: the disk
	name string // its name in fsys
}

// sources expands path arguments into feature files. No arguments means the
// bundled features. A path that is not on disk but names a bundled feature
// ("features/voice.feature") is the bundled one, so that what --list and
// the rerun file say of a bundled run can be run again from anywhere.
func sources(args []pathArg) ([]source, map[string][]int64, error) {
	if len(args) == 0 {
		args = []pathArg{{path: ""}}
	}
	var out []source
	lines := map[string][]int64{}
	whole := map[string]bool{}
	seen := map[string]bool{}
	add := func(s source, ls []int64) {
		if !seen[s.uri] {
			seen[s.uri] = true
			out = append(out, s)
		}
		if len(ls) == 0 {
			whole[s.uri] = true
		}
		lines[s.uri] = append(lines[s.uri], ls...)
	}
	for _, a := range args {
		if a.path == "" { // the bundled features
			err := fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() && strings.HasSuffix(p, ".feature") {
					add(source{uri: BundledPrefix + p, fsys: FS, name: p}, nil)
				}
				return err
			})
			if err != nil {
				return nil, nil, err
			}
			continue
		}
		st, err := os.Stat(a.path)
		if err != nil {
			if name, ok := strings.CutPrefix(path.Clean(filepath.ToSlash(a.path)), BundledPrefix); ok {
				if _, berr := fs.Stat(FS, name); berr == nil {
					add(source{uri: BundledPrefix + name, fsys: FS, name: name}, a.lines)
					continue
				}
			}
			return nil, nil, &ConfigError{fmt.Sprintf("feature path %s: %v", a.path, pathError(err))}
		}
		if !st.IsDir() {
			add(source{uri: filepath.ToSlash(filepath.Clean(a.path)), name: a.path}, a.lines)
			continue
		}
		if len(a.lines) > 0 {
			return nil, nil, &ConfigError{fmt.Sprintf("%s: a directory takes no :LINE; name the feature file", a.path)}
		}
		var found []source
		err = filepath.WalkDir(a.path, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".feature") {
				found = append(found, source{uri: filepath.ToSlash(filepath.Clean(p)), name: p})
			}
			return err
		})
		if err != nil {
			return nil, nil, &ConfigError{fmt.Sprintf("feature path %s: %v", a.path, err)}
		}
		if len(found) == 0 {
			return nil, nil, &ConfigError{fmt.Sprintf("no .feature files in %s", a.path)}
		}
		for _, s := range found {
			add(s, nil)
		}
	}
	for uri := range whole {
		delete(lines, uri)
	}
	return out, lines, nil
}

// selectScenarios reads, parses and checks the features opts names and
// chooses the pickles the run plays.
func selectScenarios(opts RunOptions) (*selection, error) {
	args, err := parsePathArgs(opts.Paths)
	if err != nil {
		return nil, err
	}
	if len(opts.Paths) > 0 && len(args) == 0 {
		// An empty rerun file: nothing failed, so nothing to run again;
		// running every feature instead would be a surprise.
		return nil, &ConfigError{fmt.Sprintf("no scenarios matched: %s lists no scenario", strings.Join(opts.Paths, ", "))}
	}
	srcs, lines, err := sources(args)
	if err != nil {
		return nil, err
	}
	return selectFrom(srcs, lines, opts)
}

// selectFrom chooses among the pickles of srcs, with the lines asked for
// each (none: all).
func selectFrom(srcs []source, lines map[string][]int64, opts RunOptions) (*selection, error) {
	tags, err := parseTags(opts.Tags, opts.tagsSource())
	if err != nil {
		return nil, err
	}
	docs, err := parseFeatures(srcs)
	if err != nil {
		return nil, err
	}
	if err := checkSteps(docs); err != nil {
		return nil, err
	}
	sel := &selection{docs: docs, seed: opts.Random}
	var picked, candidates []*pickleRef
	var lineErrs []string
	for _, d := range docs {
		keep := d.refs
		if ls, ok := lines[d.uri]; ok {
			var errs []string
			keep, errs = d.atLines(ls)
			lineErrs = append(lineErrs, errs...)
		}
		candidates = append(candidates, keep...)
		for _, r := range keep {
			if tags.match(tagNames(r.pickle.Tags)) {
				picked = append(picked, r)
			}
		}
	}
	if len(lineErrs) > 0 {
		return nil, &ConfigError{strings.Join(lineErrs, "\n")}
	}
	sort.SliceStable(picked, func(i, j int) bool {
		a, b := picked[i], picked[j]
		if a.doc.uri != b.doc.uri {
			return a.doc.uri < b.doc.uri
		}
		return a.line() < b.line()
	})
	if len(picked) == 0 {
		return nil, &ConfigError{noneMatched(opts, candidates)}
	}
	sel.matched = len(picked)
	if sh := opts.Shard; sh.Total > 1 {
		var mine []*pickleRef
		for i, r := range picked {
			if i%sh.Total == sh.Index-1 {
				mine = append(mine, r)
			}
		}
		picked = mine
	}
	if sel.seed == -1 {
		sel.seed = time.Now().UnixNano() % 1e9
		if sel.seed <= 0 {
			sel.seed = 1
		}
	}
	sel.picked = shuffle(picked, sel.seed)
	return sel, nil
}

// noneMatched says why a selection is empty: the tag expression chose
// none of the candidates, the scenarios the paths (and their lines) name.
func noneMatched(opts RunOptions, candidates []*pickleRef) string {
	where := "the bundled features"
	if len(opts.Paths) > 0 {
		where = strings.Join(opts.Paths, ", ")
	}
	if len(candidates) == 0 {
		return fmt.Sprintf("no scenarios matched: %s hold no scenario (is a .feature file empty?)", where)
	}
	msg := fmt.Sprintf("no scenarios matched: %s %q selects none of the %d scenarios in %s", opts.tagsSource().label, opts.Tags, len(candidates), where)
	var known []string
	for _, r := range candidates {
		for _, t := range tagNames(r.pickle.Tags) {
			if !slices.Contains(known, t) {
				known = append(known, t)
			}
		}
	}
	slices.Sort(known)
	if len(known) == 0 {
		return msg + " (they carry no tags)"
	}
	return msg + " (tags in use: " + strings.Join(known, ", ") + ")"
}

// unknownTags lists the tags the expression names that no scenario of the
// files carries: most likely a misspelling.
func unknownTags(sel *selection, tags *tagFilter) []string {
	if tags == nil {
		return nil
	}
	have := map[string]bool{}
	for _, d := range sel.docs {
		for _, r := range d.refs {
			for _, t := range r.pickle.Tags {
				have[t.Name] = true
			}
		}
	}
	var out []string
	for _, t := range tags.literals {
		if !have[t] {
			out = append(out, t)
		}
	}
	return out
}

// shuffle orders the picked pickles for a seed: the files in a shuffled
// order, and within each file godog's own permutation for the seed, so
// that the order --list prints is the order the run plays. Seed 0 keeps
// file order.
func shuffle(picked []*pickleRef, seed int64) []*pickleRef {
	if seed == 0 {
		return picked
	}
	var uris []string
	byURI := map[string][]*pickleRef{}
	for _, r := range picked {
		if byURI[r.doc.uri] == nil {
			uris = append(uris, r.doc.uri)
		}
		byURI[r.doc.uri] = append(byURI[r.doc.uri], r)
	}
	rand.New(rand.NewSource(seed)).Shuffle(len(uris), func(i, j int) { uris[i], uris[j] = uris[j], uris[i] })
	out := make([]*pickleRef, 0, len(picked))
	for _, uri := range uris {
		in := byURI[uri]
		// As godog's runner: pickle i goes to place perm[i].
		perm := rand.New(rand.NewSource(seed)).Perm(len(in))
		placed := make([]*pickleRef, len(in))
		for i, v := range perm {
			placed[v] = in[i]
		}
		out = append(out, placed...)
	}
	return out
}

// list is the selection as --list prints it: file:line, one a pickle.
func (sel *selection) list() []string {
	out := make([]string, len(sel.picked))
	for i, r := range sel.picked {
		out[i] = r.location()
	}
	return out
}

// List returns "file:line" of each scenario, or outline row, a run with
// opts would play, in the order it would play them: what `asksim test
// --list` prints. The seed is the shuffle's, 0 for file order (opts.Random
// -1 picks one).
func List(opts RunOptions) (lines []string, seed int64, err error) {
	sel, err := selectScenarios(opts)
	if err != nil {
		return nil, 0, err
	}
	return sel.list(), sel.seed, nil
}

// godogFeatures returns what godog is handed for the selection: each file
// that holds a picked pickle, in run order, with the scenarios and
// Examples rows not picked turned into comments, so that godog plays
// exactly the selection while every line keeps its number. It also maps
// the ids godog gives the pickles to the selection.
func (sel *selection) godogFeatures() ([]godog.Feature, map[string]*pickleRef, error) {
	var order []*featureDoc
	picked := map[*featureDoc]map[*pickleRef]bool{}
	for _, r := range sel.picked {
		if picked[r.doc] == nil {
			picked[r.doc] = map[*pickleRef]bool{}
			order = append(order, r.doc)
		}
		picked[r.doc][r] = true
	}
	var out []godog.Feature
	// godog parses FeatureContents in order with one id sequence: parsing
	// the same contents the same way gives the same pickle ids.
	newID := (&messages.Incrementing{}).NewId
	ids := map[string]*pickleRef{}
	for _, d := range order {
		content := d.without(picked[d])
		out = append(out, godog.Feature{Name: d.uri, Contents: content})
		doc, err := gherkin.ParseGherkinDocument(bytes.NewReader(content), newID)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: the selection does not parse: %v", d.uri, err)
		}
		doc.Uri = d.uri
		byLine := map[[2]int64]*pickleRef{}
		for r := range picked[d] {
			byLine[[2]int64{r.scenario.Location.Line, r.line()}] = r
		}
		idx := indexDoc(doc, int64(bytes.Count(content, []byte("\n"))+1))
		for _, p := range gherkin.Pickles(*doc, d.uri, newID) {
			sc, row := idx.locate(p)
			if sc == nil {
				continue
			}
			line := sc.Location.Line
			if row != nil {
				line = row.Location.Line
			}
			if r := byLine[[2]int64{sc.Location.Line, line}]; r != nil {
				ids[p.Id] = r
			}
		}
	}
	if len(ids) != len(sel.picked) {
		return nil, nil, fmt.Errorf("asksim: the selection of %d scenarios became %d for godog", len(sel.picked), len(ids))
	}
	return out, ids, nil
}

// without returns the file's content with the scenarios and rows not in
// keep commented out, line for line.
func (d *featureDoc) without(keep map[*pickleRef]bool) []byte {
	if len(keep) == len(d.refs) {
		return d.content
	}
	lines := bytes.SplitAfter(d.content, []byte("\n"))
	blank := func(from, to int64) {
		for l := from; l <= to && int(l) <= len(lines); l++ {
			nl := ""
			if bytes.HasSuffix(lines[l-1], []byte("\n")) {
				nl = "\n"
			}
			lines[l-1] = []byte("#" + nl)
		}
	}
	kept := map[*messages.Scenario]bool{}
	for r := range keep {
		kept[r.scenario] = true
	}
	for _, r := range d.refs {
		switch {
		case keep[r]:
		case !kept[r.scenario]:
			sp := d.idx.spans[r.scenario]
			blank(sp[0], sp[1])
		case r.row != nil:
			blank(r.row.Location.Line, r.row.Location.Line)
		}
	}
	return bytes.Join(lines, nil)
}

// atLines returns the pickles the lines name: a scenario's line (or its
// tags, or any line of it) names all its pickles, an Examples line its
// block's rows, a row's line that row. A line in no scenario is an error.
func (d *featureDoc) atLines(lines []int64) ([]*pickleRef, []string) {
	var out []*pickleRef
	var errs []string
	seen := map[*pickleRef]bool{}
	add := func(r *pickleRef) {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	for _, l := range lines {
		sc := d.idx.scenarioAt(l)
		if sc == nil {
			errs = append(errs, fmt.Sprintf("%s:%d: no scenario at line %d (scenarios start at lines %s)", d.uri, l, l, d.scenarioLines()))
			continue
		}
		block := d.idx.examplesAt(sc, l)
		for _, r := range d.refs {
			switch {
			case r.scenario != sc:
			case r.row != nil && r.row.Location.Line == l:
				add(r)
			case block != nil && slices.Contains(block.TableBody, r.row):
				add(r)
			case block == nil && !d.idx.isRow(sc, l):
				add(r)
			}
		}
	}
	return out, errs
}

func (d *featureDoc) scenarioLines() string {
	var ls []string
	seen := map[int64]bool{}
	for _, r := range d.refs {
		if l := r.scenario.Location.Line; !seen[l] {
			seen[l] = true
			ls = append(ls, strconv.FormatInt(l, 10))
		}
	}
	if len(ls) == 0 {
		return "nowhere: the file has none"
	}
	return strings.Join(ls, ", ")
}

func tagNames(tags []*messages.PickleTag) []string {
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = t.Name
	}
	return out
}

// docIndex finds scenarios and rows in a Gherkin document by id and line.
type docIndex struct {
	steps     map[string]*messages.Step
	scenarios map[string]*messages.Scenario
	rows      map[string]*messages.TableRow
	headers   map[string]*messages.TableRow // row id → its Examples header
	// tags are the tags of the feature, its rules, scenarios and Examples,
	// by id: a pickle's tags name them, and their lines are here.
	tags map[string]*messages.Tag
	// spans are each scenario's lines, its tags included, up to the line
	// before the next block.
	spans map[*messages.Scenario][2]int64
	order []*messages.Scenario
}

func indexDoc(doc *messages.GherkinDocument, lines int64) *docIndex {
	idx := &docIndex{steps: map[string]*messages.Step{}, scenarios: map[string]*messages.Scenario{}, rows: map[string]*messages.TableRow{},
		headers: map[string]*messages.TableRow{}, tags: map[string]*messages.Tag{}, spans: map[*messages.Scenario][2]int64{}}
	if doc.Feature == nil {
		return idx
	}
	addTags := func(tags []*messages.Tag) {
		for _, t := range tags {
			idx.tags[t.Id] = t
		}
	}
	addTags(doc.Feature.Tags)
	type block struct {
		start int64
		sc    *messages.Scenario
	}
	var blocks []block
	start := func(line int64, tags []*messages.Tag) int64 {
		for _, t := range tags {
			line = min(line, t.Location.Line)
		}
		return line
	}
	var walk func(children []*messages.FeatureChild)
	addSteps := func(steps []*messages.Step) {
		for _, st := range steps {
			idx.steps[st.Id] = st
		}
	}
	addScenario := func(sc *messages.Scenario) {
		idx.scenarios[sc.Id] = sc
		addSteps(sc.Steps)
		idx.order = append(idx.order, sc)
		blocks = append(blocks, block{start(sc.Location.Line, sc.Tags), sc})
		addTags(sc.Tags)
		for _, ex := range sc.Examples {
			addTags(ex.Tags)
			for _, row := range ex.TableBody {
				idx.rows[row.Id] = row
				idx.headers[row.Id] = ex.TableHeader
			}
		}
	}
	walk = func(children []*messages.FeatureChild) {
		for _, c := range children {
			switch {
			case c.Scenario != nil:
				addScenario(c.Scenario)
			case c.Background != nil:
				addSteps(c.Background.Steps)
				blocks = append(blocks, block{start: c.Background.Location.Line})
			case c.Rule != nil:
				blocks = append(blocks, block{start: start(c.Rule.Location.Line, c.Rule.Tags)})
				addTags(c.Rule.Tags)
				for _, rc := range c.Rule.Children {
					walk([]*messages.FeatureChild{{Scenario: rc.Scenario, Background: rc.Background}})
				}
			}
		}
	}
	walk(doc.Feature.Children)
	sort.SliceStable(blocks, func(i, j int) bool { return blocks[i].start < blocks[j].start })
	for i, b := range blocks {
		if b.sc == nil {
			continue
		}
		end := lines
		if i+1 < len(blocks) {
			end = blocks[i+1].start - 1
		}
		idx.spans[b.sc] = [2]int64{b.start, end}
	}
	return idx
}

// locate returns a pickle's scenario and, for an outline row, its row.
func (idx *docIndex) locate(p *messages.Pickle) (*messages.Scenario, *messages.TableRow) {
	if len(p.AstNodeIds) == 0 {
		return nil, nil
	}
	sc := idx.scenarios[p.AstNodeIds[0]]
	if len(p.AstNodeIds) > 1 {
		return sc, idx.rows[p.AstNodeIds[1]]
	}
	return sc, nil
}

func (idx *docIndex) scenarioAt(line int64) *messages.Scenario {
	for _, sc := range idx.order {
		if sp := idx.spans[sc]; line >= sp[0] && line <= sp[1] {
			return sc
		}
	}
	return nil
}

// examplesAt returns the Examples block whose keyword, tags or header line
// is line.
func (idx *docIndex) examplesAt(sc *messages.Scenario, line int64) *messages.Examples {
	for _, ex := range sc.Examples {
		from := ex.Location.Line
		for _, t := range ex.Tags {
			from = min(from, t.Location.Line)
		}
		to := ex.Location.Line
		if ex.TableHeader != nil {
			to = ex.TableHeader.Location.Line
		}
		if line >= from && line <= to {
			return ex
		}
	}
	return nil
}

func (idx *docIndex) isRow(sc *messages.Scenario, line int64) bool {
	for _, ex := range sc.Examples {
		for _, row := range ex.TableBody {
			if row.Location.Line == line {
				return true
			}
		}
	}
	return false
}
