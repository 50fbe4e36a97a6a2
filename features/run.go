package features

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"

	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v21"
)

// RunOptions choose which scenarios run and how results are reported.
type RunOptions struct {
	// Paths are feature files or directories on disk; a file may carry the
	// lines of the scenarios or Examples rows to run (FILE:LINE[:LINE…]),
	// and @FILE reads such paths from a file (a rerun file). Empty runs the
	// bundled features (FS).
	Paths []string
	// Formats are pretty, progress, junit, cucumber, html, rerun and
	// events, each optionally with ":FILE" to write to a file. Defaults to
	// pretty. At most one may write to Output, and two never to one file.
	Formats []string
	// Tags is a Cucumber tag expression: "@smoke and not @slow",
	// "(@a or @b) and not @wip".
	Tags string
	// TagsFrom is where Tags came from when not the --tags flag: the
	// place of a project config file's tags key, "asksim.yaml:3", which
	// messages about the expression then name.
	TagsFrom string
	// Concurrency runs that many scenarios at once; defaults to 1.
	Concurrency int
	// Shard runs one part of a stable split of the scenarios.
	Shard Shard
	// Random shuffles scenarios with this seed; 0 keeps file order, -1
	// picks a seed (printed in the header and the summary).
	Random int64
	// FailFast stops at the first failed scenario.
	FailFast bool
	// NoColors strips ANSI colours from the output.
	NoColors bool
	// Output receives the formats without a file; defaults to os.Stdout.
	Output io.Writer
	// Errors receives warnings, such as a tag no scenario carries;
	// defaults to os.Stderr.
	Errors io.Writer
	// Version is asksim's version, for the header of the output.
	Version string
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

// ConfigError is a problem with the features or options themselves — a
// feature that does not parse, an undefined step, a bad option — rather than
// a failing scenario. The CLI exits 2 for it.
type ConfigError struct{ Msg string }

func (e *ConfigError) Error() string { return e.Msg }

// Run runs features against the suite's skill. It returns 0 when every
// scenario passed and 1 when one failed. Problems with the features or the
// options (a feature that does not parse, an undefined step, a tag
// expression that does not parse, a selection of no scenarios, clashing
// outputs, a configuration the features cannot run with) are a
// *ConfigError, reported before anything runs.
func (s *Suite) Run(opts RunOptions) (int, error) {
	sel, err := selectScenarios(opts)
	if err != nil {
		return 2, err
	}
	outs, err := checkOutputs(opts)
	if err != nil {
		return 2, err
	}
	if err := s.preflight(context.Background(), sel); err != nil {
		return 2, err
	}
	if err := outs.open(opts); err != nil {
		return 2, err
	}
	defer outs.close()
	if tags, _ := parseTags(opts.Tags, opts.tagsSource()); tags != nil {
		for _, t := range unknownTags(sel, tags) {
			fmt.Fprintf(errorsOf(opts), "warning: %s names %s, which no scenario carries\n", opts.tagsSource().label, t)
		}
	}
	if len(sel.picked) == 0 {
		return s.emptyShard(sel, outs, opts)
	}
	contents, ids, err := sel.godogFeatures()
	if err != nil {
		return 2, err
	}
	s.runs.Add(1)
	defer s.runs.Add(-1)
	if slices.ContainsFunc(sel.picked, func(r *pickleRef) bool { return linksAccount(r.pickle.Steps) }) {
		// The key is made and waited for here, outside any timed exchange:
		// a link holds the token answer to Alexa's 4.5 s, and on a loaded
		// machine under -race the key alone took longer when it was made
		// in the background beside the first scenarios.
		if _, _, err := s.oauth.PublicKey(); err != nil {
			return 1, fmt.Errorf("oauth fake: signing key: %w", err)
		}
	}
	rs := s.newRunState(sel, ids, outs, opts)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	plan := make([][]string, 0, len(sel.picked))
	for _, r := range sel.picked {
		if scopes, ok := plannedScopes(r.pickle); ok {
			plan = append(plan, scopes)
		}
	}
	s.startPremint(ctx, plan, 2*max(opts.Concurrency, 1))
	defer s.premint.Store(nil)
	if err := rs.start(); err != nil {
		return 2, err
	}
	status := godog.TestSuite{
		Name:                "asksim",
		ScenarioInitializer: func(sc *godog.ScenarioContext) { s.initScenario(sc, rs) },
		Options: &godog.Options{
			Format:          outs.godogFormat(),
			FeatureContents: contents,
			Concurrency:     max(opts.Concurrency, 1),
			Randomize:       sel.seed,
			StopOnFailure:   opts.FailFast,
			Strict:          true,
			NoColors:        true,
			Output:          outputOf(opts),
		},
	}.Run()
	failed, err := rs.finish()
	if err != nil {
		return 2, err
	}
	if status == 2 {
		return 2, &ConfigError{"godog refused the run (see above)"}
	}
	if failed || status != 0 {
		return 1, nil
	}
	return 0, nil
}

// emptyShard ends the run of a shard that holds none of the selected
// scenarios, which happens when a CI matrix has more shards than there are
// scenarios. It is no failure: the run passes, and every report is written
// valid and empty (JUnit with tests="0", Cucumber JSON [], an HTML page
// that says so), because CI steps that collect each shard's reports choke
// on a missing or empty file. The notice goes to Errors, so that a report
// on Output stays one valid document.
func (s *Suite) emptyShard(sel *selection, outs *outputs, opts RunOptions) (int, error) {
	fmt.Fprintf(errorsOf(opts), "shard %d/%d holds none of the %d scenarios selected\n", opts.Shard.Index, opts.Shard.Total, sel.matched)
	rs := s.newRunState(sel, nil, outs, opts)
	if err := rs.start(); err != nil {
		return 2, err
	}
	if _, err := rs.finish(); err != nil {
		return 2, err
	}
	return 0, nil
}

func outputOf(o RunOptions) io.Writer {
	if o.Output == nil {
		return os.Stdout
	}
	return o.Output
}

func errorsOf(o RunOptions) io.Writer {
	if o.Errors == nil {
		return os.Stderr
	}
	return o.Errors
}

func pathError(err error) string {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// featureDoc is one feature file, parsed.
type featureDoc struct {
	uri     string
	content []byte
	doc     *messages.GherkinDocument
	idx     *docIndex
	// refs are its pickles, in file order.
	refs []*pickleRef
}

// parseFeatures reads and parses every file with godog's own Gherkin
// parser, so that a syntax error is reported with its file and line before
// anything runs.
func parseFeatures(srcs []source) ([]*featureDoc, error) {
	var docs []*featureDoc
	var errs []string
	newID := (&messages.Incrementing{}).NewId
	for _, src := range srcs {
		data, err := readFeature(src.fsys, src.name)
		if err != nil {
			return nil, &ConfigError{fmt.Sprintf("%s: %v", src.uri, pathError(err))}
		}
		doc, pickles, problems := parseFeature(src.uri, data, newID) // parse.go
		if problems != nil {
			errs = append(errs, problems...)
			continue
		}
		doc.Uri = src.uri
		d := &featureDoc{uri: src.uri, content: data, doc: doc, idx: indexDoc(doc, int64(bytes.Count(data, []byte("\n"))+1))}
		for _, p := range pickles {
			sc, row := d.idx.locate(p)
			if sc == nil {
				continue
			}
			r := &pickleRef{doc: d, pickle: p, scenario: sc, row: row}
			if row != nil {
				r.header = d.idx.headers[row.Id]
			}
			d.refs = append(d.refs, r)
		}
		docs = append(docs, d)
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
// the closest defined steps, and every scenario without steps; it notes
// each step's definition in its pickle.
func checkSteps(docs []*featureDoc) error {
	var msgs []string
	seen := map[string]bool{}
	for _, d := range docs {
		for _, r := range d.refs {
			if len(r.pickle.Steps) == 0 {
				msgs = append(msgs, fmt.Sprintf("%s: scenario %q has no steps", r.location(), r.pickle.Name))
				continue
			}
			r.defs = make([]int, len(r.pickle.Steps))
			for i, ps := range r.pickle.Steps {
				r.defs[i] = slices.IndexFunc(stepRegexps, func(re *regexp.Regexp) bool { return re.MatchString(ps.Text) })
				if r.defs[i] >= 0 {
					continue
				}
				where := d.uri
				if st := d.idx.steps[ps.AstNodeIds[0]]; st != nil {
					where = fmt.Sprintf("%s:%d", d.uri, st.Location.Line)
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
