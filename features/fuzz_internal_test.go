package features

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	gherkin "github.com/cucumber/gherkin/go/v26"
	messages "github.com/cucumber/messages/go/v21"
)

// FuzzParseTags: any --tags is a tag filter or a *ConfigError naming
// --tags, never a panic (tag-expressions panics on a trailing operator).
func FuzzParseTags(f *testing.F) {
	for _, s := range []string{"@a", "not @a", "@a and @b", "(@a or @b) and not @c", "@a &&", "@a,", "&& @a", "not", "(", ")", `@a\ b`, `@a\`, "~@a", "@a @b", "and", "((@a)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tf, err := parseTags(s, tagsFlag)
		var ce *ConfigError
		switch {
		case err != nil && !errors.As(err, &ce):
			t.Fatalf("%q: %T %v", s, err, err)
		case err != nil && !strings.Contains(err.Error(), "--tags"):
			t.Fatalf("%q: %v does not name --tags", s, err)
		case err == nil && tf != nil:
			tf.match([]string{"@a", "@b"}) // evaluates without panicking
		}
	})
}

// FuzzSelection: whatever a feature file holds and whatever lines are
// asked for, the selection is an error or a set of pickles that godog's
// parser reads back, each in its place, from the file with the others
// commented out.
func FuzzSelection(f *testing.F) {
	f.Add(`Feature: f
  @t
  Scenario: a
    When the user opens the skill

  Scenario Outline: o
    Given the consent scenario "<c>"
    """
    Scenario: not one
    """
    Examples: e
      | c |
      | a |
      | b |
    @x
    Examples:
      | c |
      | d |

  Rule: r
    Background:
      Given the user has granted no permissions
    Scenario: in the rule
      When the user opens the skill
`, "13", "@t or @x")
	f.Add("Feature: f\n  Scenario: s\n    When the user opens the skill\n", "3", "")
	f.Add("", "1", "")
	f.Fuzz(func(t *testing.T, content, lines, tags string) {
		// In memory: the disk would make each run a thousand times slower.
		src := source{uri: "f.feature", fsys: fstest.MapFS{"f.feature": {Data: []byte(content)}}, name: "f.feature"}
		var ls []int64
		for _, l := range strings.FieldsFunc(lines, func(r rune) bool { return r == ',' || r == ' ' }) {
			if n, err := strconv.Atoi(l); err == nil && n > 0 && n < 1000 {
				ls = append(ls, int64(n))
			}
		}
		at := map[string][]int64{}
		if len(ls) > 0 {
			at["f.feature"] = ls
		}
		sel, err := selectFrom([]source{src}, at, RunOptions{Tags: tags})
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("%T %v", err, err)
			}
			return
		}
		contents, ids, err := sel.godogFeatures()
		if err != nil {
			t.Fatalf("the selection of %d cannot be handed on: %v", len(sel.picked), err)
		}
		if len(ids) != len(sel.picked) {
			t.Fatalf("%d ids for %d pickles", len(ids), len(sel.picked))
		}
		for _, c := range contents {
			if bytes.Count(c.Contents, []byte("\n")) != bytes.Count([]byte(content), []byte("\n")) {
				t.Fatalf("the rewritten file has other lines")
			}
			if _, err := gherkin.ParseGherkinDocument(bytes.NewReader(c.Contents), (&messages.Incrementing{}).NewId); err != nil {
				t.Fatalf("the rewritten file does not parse: %v\n%s", err, c.Contents)
			}
		}
	})
}
