package features

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v21"
)

// RunOptions choose which scenarios run and how results are reported.
type RunOptions struct {
	// Paths are feature files or directories on disk. Empty runs the
	// bundled features (FS).
	Paths []string
	// Formats are godog formatters: pretty, progress, junit, cucumber…,
	// each optionally with ":FILE" to write to a file. Defaults to pretty.
	Formats []string
	// Tags is a godog tag expression, e.g. "@smoke && ~@slow".
	Tags string
	// Concurrency runs that many scenarios at once; defaults to 1.
	Concurrency int
	// Shard runs one part of a stable split of the scenarios.
	Shard Shard
	// Random shuffles scenarios with this seed; 0 keeps file order, -1
	// picks a seed (printed in the summary).
	Random int64
	// FailFast stops at the first failed scenario.
	FailFast bool
	// NoColors strips ANSI colours from the output.
	NoColors bool
	// Output receives the formatters without a file; defaults to os.Stdout.
	Output io.Writer
}

// Shard is part Index (1-based) of Total.
type Shard struct{ Index, Total int }

// ParseShard parses "I/N", e.g. "2/4".
func ParseShard(s string) (Shard, error) {
	i, n, ok := strings.Cut(s, "/")
	idx, err1 := strconv.Atoi(strings.TrimSpace(i))
	tot, err2 := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err1 != nil || err2 != nil || tot < 1 || idx < 1 || idx > tot {
		return Shard{}, fmt.Errorf("shard %q: want I/N with 1 <= I <= N, e.g. 2/4", s)
	}
	return Shard{idx, tot}, nil
}

// CheckTags reports whether expr is a tag expression godog can apply:
// terms such as @smoke or ~@slow, joined by && (and) and , (or). godog
// indexes each term without checking it, so an empty one ("@a &&", "@a,")
// panicked inside it.
func CheckTags(expr string) error {
	if strings.TrimSpace(expr) == "" {
		return nil
	}
	for _, and := range strings.Split(expr, "&&") {
		for _, term := range strings.Split(and, ",") {
			t := strings.TrimPrefix(strings.TrimSpace(term), "~")
			if strings.Trim(t, "@") == "" || strings.ContainsAny(t, " \t") {
				return fmt.Errorf("tag expression %q: %q is not a tag; want terms like @smoke or ~@slow joined by && (and) and , (or)", expr, strings.TrimSpace(term))
			}
		}
	}
	return nil
}

// ConfigError is a problem with the features or options themselves — a
// feature that does not parse, an undefined step, a bad option — rather than
// a failing scenario. The CLI exits 2 for it.
type ConfigError struct{ Msg string }

func (e *ConfigError) Error() string { return e.Msg }

// Run runs features against the suite's skill. It returns godog's status:
// 0 when every scenario passed, 1 when one failed. Features that do not
// parse and steps that are not defined are reported as a *ConfigError
// before anything runs.
func (s *Suite) Run(opts RunOptions) (int, error) {
	fsys, roots := fs.FS(FS), []string{"."}
	if len(opts.Paths) > 0 {
		fsys, roots = nil, opts.Paths
	}
	files, err := featureFiles(fsys, roots)
	if err != nil {
		return 2, err
	}
	docs, err := parseFeatures(fsys, files)
	if err != nil {
		return 2, err
	}
	if err := checkSteps(docs); err != nil {
		return 2, err
	}
	paths := files
	if opts.Shard.Total > 1 {
		paths = shardPaths(docs, opts.Shard)
		if len(paths) == 0 {
			fmt.Fprintf(outputOf(opts), "shard %d/%d holds no scenario\n", opts.Shard.Index, opts.Shard.Total)
			return 0, nil
		}
	}
	if err := checkFormats(opts.Formats); err != nil {
		return 2, err
	}
	if err := CheckTags(opts.Tags); err != nil {
		return 2, &ConfigError{err.Error()}
	}
	format := godogFormats(opts)
	s.runs.Add(1)
	defer s.runs.Add(-1)
	if anyLinks(shardDocs(docs, opts.Shard)) {
		// The key is made and waited for here, outside any timed exchange:
		// a link holds the token answer to Alexa's 4.5 s, and on a loaded
		// machine under -race the key alone took longer when it was made
		// in the background beside the first scenarios.
		if _, _, err := s.oauth.PublicKey(); err != nil {
			return 1, fmt.Errorf("oauth fake: signing key: %w", err)
		}
	}
	if opts.Tags == "" {
		// With a tag filter, which scenarios run is godog's to say; minting
		// for the others would waste signatures.
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s.startPremint(ctx, plan(shardDocs(docs, opts.Shard)), 2*max(opts.Concurrency, 1))
		defer s.premint.Store(nil)
	}
	out := newFlushWriter(outputOf(opts))
	defer out.Close()
	status := godog.TestSuite{
		Name:                "asksim",
		ScenarioInitializer: s.InitializeScenario,
		Options: &godog.Options{
			Format:        format,
			Paths:         paths,
			FS:            fsys,
			Tags:          opts.Tags,
			Concurrency:   max(opts.Concurrency, 1),
			Randomize:     opts.Random,
			StopOnFailure: opts.FailFast,
			Strict:        true,
			NoColors:      false, // the plain twins strip colours (output.go)
			Output:        out,
		},
	}.Run()
	return status, nil
}

// godogFormats is the Format option for godog: opts.Formats, pretty by
// default, with asksim's linear-time pretty formatter in place of godog's
// when scenarios run one at a time in file order (see pretty.go), and each
// formatter's plain twin when the run wants no colours (output.go).
func godogFormats(opts RunOptions) string {
	formats := opts.Formats
	if len(formats) == 0 {
		formats = []string{"pretty"}
	}
	out := make([]string, len(formats))
	for i, f := range formats {
		name, file, hasFile := strings.Cut(f, ":")
		if name == "pretty" && opts.Concurrency <= 1 && opts.Random == 0 {
			name = prettyName
		}
		if opts.NoColors && plainTwins[name] {
			name = plainPrefix + name
		}
		if hasFile {
			name += ":" + file
		}
		out[i] = name
	}
	return strings.Join(out, ",")
}

func outputOf(o RunOptions) io.Writer {
	if o.Output == nil {
		return os.Stdout
	}
	return o.Output
}

var knownFormats = []string{"pretty", "progress", "junit", "cucumber", "events"}

func checkFormats(formats []string) error {
	for _, f := range formats {
		name, file, hasFile := strings.Cut(f, ":")
		if !contains(knownFormats, name) {
			return &ConfigError{fmt.Sprintf("format %q: unknown formatter %q (valid: %s, each optionally :FILE)", f, name, strings.Join(knownFormats, ", "))}
		}
		if hasFile {
			if file == "" {
				return &ConfigError{fmt.Sprintf("format %q: empty file name after ':'", f)}
			}
			if dir := filepath.Dir(file); dir != "." {
				if st, err := os.Stat(dir); err != nil || !st.IsDir() {
					return &ConfigError{fmt.Sprintf("format %q: directory %s does not exist", f, dir)}
				}
			}
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// featureFiles expands roots (files or directories) into .feature files, in
// a stable order.
func featureFiles(fsys fs.FS, roots []string) ([]string, error) {
	var files []string
	for _, root := range roots {
		var st fs.FileInfo
		var err error
		if fsys == nil {
			st, err = os.Stat(root)
		} else {
			st, err = fs.Stat(fsys, root)
		}
		if err != nil {
			return nil, &ConfigError{fmt.Sprintf("feature path %s: %v", root, pathError(err))}
		}
		if !st.IsDir() {
			files = append(files, root)
			continue
		}
		walk := func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(p, ".feature") {
				files = append(files, p)
			}
			return nil
		}
		if fsys == nil {
			err = filepath.WalkDir(root, walk)
		} else {
			err = fs.WalkDir(fsys, root, walk)
		}
		if err != nil {
			return nil, &ConfigError{fmt.Sprintf("feature path %s: %v", root, err)}
		}
	}
	if len(files) == 0 {
		return nil, &ConfigError{fmt.Sprintf("no .feature files in %s", strings.Join(roots, ", "))}
	}
	return files, nil
}

func pathError(err error) string {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

type featureDoc struct {
	uri     string
	doc     *messages.GherkinDocument
	pickles []*messages.Pickle
}

// parseFeatures parses every file with godog's own Gherkin parser, so that
// a syntax error is reported with its file and line before anything runs.
func parseFeatures(fsys fs.FS, files []string) ([]featureDoc, error) {
	var docs []featureDoc
	var errs []string
	newID := (&messages.Incrementing{}).NewId
	for _, f := range files {
		data, err := readFeature(fsys, f)
		if err != nil {
			return nil, &ConfigError{fmt.Sprintf("%s: %v", f, err)}
		}
		doc, pickles, problems := parseFeature(f, data, newID) // parse.go
		if problems != nil {
			errs = append(errs, problems...)
			continue
		}
		docs = append(docs, featureDoc{uri: f, doc: doc, pickles: pickles})
	}
	if len(errs) > 0 {
		return nil, &ConfigError{"feature files do not parse:\n" + strings.Join(errs, "\n")}
	}
	return docs, nil
}

var gherkinLoc = regexp.MustCompile(`\((\d+):(\d+)\): `)

// gherkinError turns "Parser errors:\n(3:5): expected …" into
// "file:3:5: expected …" lines.
func gherkinError(file string, err error) string {
	var lines []string
	for _, l := range strings.Split(err.Error(), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || l == "Parser errors:" {
			continue
		}
		if m := gherkinLoc.FindStringSubmatchIndex(l); m != nil && m[0] == 0 {
			l = fmt.Sprintf("%s:%s:%s: %s", file, l[m[2]:m[3]], l[m[4]:m[5]], l[m[1]:])
		} else {
			l = file + ": " + l
		}
		lines = append(lines, "  "+l)
	}
	return strings.Join(lines, "\n")
}

// checkSteps reports every step no definition matches, with its place and
// the closest defined steps.
func checkSteps(docs []featureDoc) error {
	res := stepRegexps
	var msgs []string
	seen := map[string]bool{}
	for _, d := range docs {
		lines := stepLines(d.doc)
		for _, p := range d.pickles {
			for _, ps := range p.Steps {
				matched := false
				for _, re := range res {
					if re.MatchString(ps.Text) {
						matched = true
						break
					}
				}
				if matched {
					continue
				}
				where := d.uri
				if len(ps.AstNodeIds) > 0 {
					if l, ok := lines[ps.AstNodeIds[0]]; ok {
						where = fmt.Sprintf("%s:%d", d.uri, l)
					}
				}
				if seen[where+ps.Text] {
					continue
				}
				seen[where+ps.Text] = true
				msg := fmt.Sprintf("%s: undefined step %q", where, ps.Text)
				if sugg := closestSteps(ps.Text, 3); len(sugg) > 0 {
					msg += "\n    did you mean:\n      " + strings.Join(sugg, "\n      ")
				}
				msgs = append(msgs, msg)
			}
		}
	}
	if len(msgs) > 0 {
		return &ConfigError{strings.Join(msgs, "\n") + "\nRun 'asksim steps' for the whole vocabulary."}
	}
	return nil
}

// stepLines maps step ids to their line numbers.
func stepLines(doc *messages.GherkinDocument) map[string]int64 {
	lines := map[string]int64{}
	addSteps := func(ss []*messages.Step) {
		for _, s := range ss {
			lines[s.Id] = s.Location.Line
		}
	}
	if doc.Feature == nil {
		return lines
	}
	for _, c := range doc.Feature.Children {
		switch {
		case c.Background != nil:
			addSteps(c.Background.Steps)
		case c.Scenario != nil:
			addSteps(c.Scenario.Steps)
		case c.Rule != nil:
			for _, rc := range c.Rule.Children {
				if rc.Background != nil {
					addSteps(rc.Background.Steps)
				}
				if rc.Scenario != nil {
					addSteps(rc.Scenario.Steps)
				}
			}
		}
	}
	return lines
}

// closestSteps returns the n examples nearest to text by word edit
// distance, nearest first.
func closestSteps(text string, n int) []string {
	type cand struct {
		ex   string
		dist int
	}
	words := strings.Fields(strings.ToLower(text))
	var cs []cand
	for _, st := range steps {
		cs = append(cs, cand{st.Example, editDistance(words, strings.Fields(strings.ToLower(st.Example)))})
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].dist < cs[j].dist })
	var out []string
	for i := 0; i < len(cs) && len(out) < n; i++ {
		if cs[i].dist <= max(len(words)/2, 2) {
			out = append(out, cs[i].ex)
		}
	}
	return out
}

// editDistance is the Levenshtein distance over words; quoted arguments
// match any quoted argument, so only the phrasing counts.
func editDistance(a, b []string) int {
	eq := func(x, y string) bool {
		if strings.HasPrefix(x, `"`) && strings.HasPrefix(y, `"`) {
			return true
		}
		return x == y
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if eq(a[i-1], b[j-1]) {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// scenarioRef is one scenario (an outline counts once, with all its rows).
type scenarioRef struct {
	uri  string
	line int64
}

// Scenarios lists every scenario of the features in a stable order: by
// file, then line.
func scenarios(docs []featureDoc) []scenarioRef {
	var refs []scenarioRef
	for _, d := range docs {
		if d.doc.Feature == nil {
			continue
		}
		var add func(children []*messages.FeatureChild)
		add = func(children []*messages.FeatureChild) {
			for _, c := range children {
				if c.Scenario != nil {
					refs = append(refs, scenarioRef{d.uri, c.Scenario.Location.Line})
				}
				if c.Rule != nil {
					for _, rc := range c.Rule.Children {
						if rc.Scenario != nil {
							refs = append(refs, scenarioRef{d.uri, rc.Scenario.Location.Line})
						}
					}
				}
			}
		}
		add(d.doc.Feature.Children)
	}
	sort.SliceStable(refs, func(i, j int) bool {
		if refs[i].uri != refs[j].uri {
			return refs[i].uri < refs[j].uri
		}
		return refs[i].line < refs[j].line
	})
	return refs
}

// shardPaths returns the godog paths of the scenarios in shard sh: the
// scenarios in stable order, dealt round-robin, so that shards differ in
// size by one at most and every scenario is in exactly one shard. A file
// whose scenarios all fall in the shard is named whole, the others by
// file:line.
func shardPaths(docs []featureDoc, sh Shard) []string {
	refs := scenarios(docs)
	mine := map[string][]int64{}
	total := map[string]int{}
	var order []string
	for i, r := range refs {
		if total[r.uri] == 0 {
			order = append(order, r.uri)
		}
		total[r.uri]++
		if i%sh.Total == sh.Index-1 {
			mine[r.uri] = append(mine[r.uri], r.line)
		}
	}
	var paths []string
	for _, uri := range order {
		switch lines := mine[uri]; {
		case len(lines) == 0:
		case len(lines) == total[uri]:
			paths = append(paths, uri)
		default:
			for _, l := range lines {
				paths = append(paths, fmt.Sprintf("%s:%d", uri, l))
			}
		}
	}
	return paths
}

// ShardScenarios returns "file:line" of each scenario shard sh of the
// features at paths (the bundled ones when empty) would run. For tests and
// for `asksim test --list`.
func ShardScenarios(paths []string, sh Shard) ([]string, error) {
	fsys, roots := fs.FS(FS), []string{"."}
	if len(paths) > 0 {
		fsys, roots = nil, paths
	}
	files, err := featureFiles(fsys, roots)
	if err != nil {
		return nil, err
	}
	docs, err := parseFeatures(fsys, files)
	if err != nil {
		return nil, err
	}
	var out []string
	for i, r := range scenarios(docs) {
		if sh.Total <= 1 || i%sh.Total == sh.Index-1 {
			out = append(out, fmt.Sprintf("%s:%d", path.Clean(r.uri), r.line))
		}
	}
	return out, nil
}

// shardDocs returns docs with only the pickles of scenarios in shard sh.
func shardDocs(docs []featureDoc, sh Shard) []featureDoc {
	if sh.Total <= 1 {
		return docs
	}
	mine := map[scenarioRef]bool{}
	for i, r := range scenarios(docs) {
		if i%sh.Total == sh.Index-1 {
			mine[r] = true
		}
	}
	var out []featureDoc
	for _, d := range docs {
		lines := scenarioLines(d.doc)
		nd := featureDoc{uri: d.uri, doc: d.doc}
		for _, p := range d.pickles {
			if len(p.AstNodeIds) > 0 && mine[scenarioRef{d.uri, lines[p.AstNodeIds[0]]}] {
				nd.pickles = append(nd.pickles, p)
			}
		}
		out = append(out, nd)
	}
	return out
}

// scenarioLines maps scenario ids to their lines.
func scenarioLines(doc *messages.GherkinDocument) map[string]int64 {
	lines := map[string]int64{}
	if doc.Feature == nil {
		return lines
	}
	for _, c := range doc.Feature.Children {
		if c.Scenario != nil {
			lines[c.Scenario.Id] = c.Scenario.Location.Line
		}
		if c.Rule != nil {
			for _, rc := range c.Rule.Children {
				if rc.Scenario != nil {
					lines[rc.Scenario.Id] = rc.Scenario.Location.Line
				}
			}
		}
	}
	return lines
}
