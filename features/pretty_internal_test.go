package features

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/asksim/asksim/fixtures/skill"
	"github.com/asksim/asksim/simulator"
	"github.com/cucumber/godog"
	"github.com/cucumber/godog/colors"
	"github.com/cucumber/godog/formatters"
)

// godogPretty is godog's own pretty formatter under a name of its own, for
// the comparison, and godogPlain the same behind godog's colors.Uncolored,
// as godog runs it without colours. Neither has a plain twin, so Run hands
// them to godog as they are.
const (
	godogPretty = "godog-pretty"
	godogPlain  = "godog-pretty-uncolored"
)

func init() {
	inner := godog.FindFmt("pretty")
	godog.Format(godogPretty, "godog's pretty", inner)
	godog.Format(godogPlain, "godog's pretty without colours", func(suite string, out io.Writer) formatters.Formatter {
		return inner(suite, colors.Uncolored(out))
	})
	knownFormats = append(knownFormats, godogPretty, godogPlain)
}

// elapsed is the run's duration, the one line the two may differ in.
var elapsed = regexp.MustCompile(`(?m)^[0-9.]+(ns|µs|ms|s|m[0-9.]+s)$`)

// prettyBoth runs opts with asksim's pretty and godog's side by side, on
// the same callbacks, and returns both outputs with the duration masked.
func prettyBoth(t *testing.T, s *Suite, opts RunOptions) (ours, theirs string, status int) {
	t.Helper()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "ours.txt"), filepath.Join(dir, "godog.txt")
	ref := godogPretty
	if opts.NoColors {
		ref = godogPlain
	}
	opts.Formats = []string{"pretty:" + a, ref + ":" + b}
	status, err := s.Run(opts)
	if err != nil {
		t.Fatal(err)
	}
	oa, _ := os.ReadFile(a)
	ob, _ := os.ReadFile(b)
	return elapsed.ReplaceAllString(string(oa), "<elapsed>"), elapsed.ReplaceAllString(string(ob), "<elapsed>"), status
}

// asksim's pretty formatter writes what godog's does, byte for byte, with
// colours and without: passing and failing steps, skipped ones, tables,
// backgrounds, rules, outlines with several example tables, a scenario
// without steps, descriptions, several features, a tag filter and a shard,
// and the summary of failed steps.
func TestPrettyFormatter_SameBytesAsGodogs(t *testing.T) {
	s, err := NewSuite(context.Background(), Config{Endpoint: simulator.HandlerEndpoint(skill.New(skill.Options{}))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	shapes := filepath.Join("testdata", "pretty")
	cases := []struct {
		name string
		opts RunOptions
		want []string // in our output, so the comparison covers them
	}{
		{"bundled", RunOptions{}, []string{"Scenario Outline", "# steps.go:"}},
		{"shapes", RunOptions{Paths: []string{shapes}}, []string{"Background:", "The first scenario of a rule", "Examples: Wrong", "--- ", "Failed steps:", "| maria@example.test |", "skipped", "undefined"}},
		{"shapes-colour", RunOptions{Paths: []string{shapes}}, []string{"\x1b["}},
		{"bundled-colour", RunOptions{}, []string{"\x1b["}},
		{"tags", RunOptions{Paths: []string{shapes}, Tags: "~@fails"}, []string{"Background:"}},
		{"shard", RunOptions{Paths: []string{shapes}, Shard: Shard{2, 3}}, nil},
		{"signing", RunOptions{Paths: []string{filepath.Join("testdata", "signing.feature")}}, []string{"Scenario Outline", "the skill refuses the request"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.opts.NoColors = !strings.HasSuffix(c.name, "-colour")
			ours, theirs, _ := prettyBoth(t, s, c.opts)
			if ours != theirs {
				t.Fatalf("asksim's pretty differs from godog's:\n%s", firstDifference(ours, theirs))
			}
			for _, w := range c.want {
				if !strings.Contains(ours, w) {
					t.Errorf("the output lacks %q, so the comparison does not cover it:\n%s", w, ours)
				}
			}
		})
	}
}

// firstDifference shows the first line where a and b differ.
func firstDifference(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range max(len(la), len(lb)) {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return "line " + itoa(i+1) + "\nasksim: " + strings.ReplaceAll(x, "\x1b", "ESC") + "\ngodog:  " + strings.ReplaceAll(y, "\x1b", "ESC")
		}
	}
	return "(same lines)"
}

func itoa(n int) string { return strconv.Itoa(n) }
