package features

import (
	"fmt"
	"slices"
	"strings"

	tagexpressions "github.com/cucumber/tag-expressions/go/v6"
)

// tagFilter is a parsed --tags expression.
type tagFilter struct {
	expr     tagexpressions.Evaluatable
	literals []string // the tags it names
}

// tagsSource names where a tag expression came from, in messages.
type tagsSource struct {
	// label names it: `--tags`, or `asksim.yaml:3: tags:`.
	label string
	// spelling is how it is written there: `--tags`, or `tags:`.
	spelling string
}

var tagsFlag = tagsSource{label: "--tags", spelling: "--tags"}

func (o RunOptions) tagsSource() tagsSource {
	if o.TagsFrom == "" {
		return tagsFlag
	}
	return tagsSource{label: o.TagsFrom + ": tags:", spelling: "tags:"}
}

// parseTags parses a Cucumber tag expression ("@smoke and not @slow",
// "(@a or @b) and not @wip"). An expression godog's old syntax would have
// read (~@tag, &&, a comma) is refused with its translation, and every
// error names where the expression came from (--tags, or a config file's
// line): a tag expression that cannot be read selects nothing anyone
// meant.
func parseTags(s string, src tagsSource) (*tagFilter, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	bad := func(format string, a ...any) error {
		return &ConfigError{fmt.Sprintf("%s %q: %s", src.label, s, fmt.Sprintf(format, a...))}
	}
	if legacy := translateLegacy(s); legacy != "" {
		return nil, bad("~, && and , are godog's old syntax; as a Cucumber tag expression this reads %s %q", src.spelling, legacy)
	}
	expr, err := parseTagExpr(s)
	if err != nil {
		return nil, bad("%s", err)
	}
	f := &tagFilter{expr: expr}
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '(' || r == ')' || r == '\t' }) {
		switch tok {
		case "and", "or", "not":
			continue
		}
		if !strings.HasPrefix(tok, "@") {
			return nil, bad("%q is not a tag: tags start with @ (and, or, not and parentheses combine them)", tok)
		}
		if !slices.Contains(f.literals, tok) {
			f.literals = append(f.literals, tok)
		}
	}
	return f, nil
}

// parseTagExpr is tagexpressions.Parse, which panics on an expression that
// ends in an operator ("@a and", "not"): the panic becomes an error.
func parseTagExpr(s string) (expr tagexpressions.Evaluatable, err error) {
	defer func() {
		if recover() != nil {
			expr, err = nil, fmt.Errorf("an operator lacks its operand (and, or and not each need a tag or a parenthesis after them)")
		}
	}()
	expr, err = tagexpressions.Parse(s)
	if err != nil {
		// "Tag expression "…" could not be parsed because of syntax error:
		// Expected operand." → the reason.
		msg := err.Error()
		if _, why, ok := strings.Cut(msg, "syntax error: "); ok {
			msg = strings.TrimSuffix(why, ".")
		}
		return nil, fmt.Errorf("%s", msg)
	}
	if expr == nil {
		return nil, fmt.Errorf("an operator lacks its operand")
	}
	return expr, nil
}

// translateLegacy returns the Cucumber form of an expression in godog's old
// syntax (~@a, @a && @b, @a,@b), "" when s does not use it.
func translateLegacy(s string) string {
	if !strings.ContainsAny(s, "~,") && !strings.Contains(s, "&&") && !strings.Contains(s, "||") {
		return ""
	}
	var ands []string
	for _, and := range strings.Split(strings.ReplaceAll(s, "&&", "\x00"), "\x00") {
		var ors []string
		for _, or := range strings.FieldsFunc(strings.ReplaceAll(and, "||", ","), func(r rune) bool { return r == ',' }) {
			or = strings.TrimSpace(or)
			if t, ok := strings.CutPrefix(or, "~"); ok {
				or = "not " + strings.TrimSpace(t)
			}
			if or != "" {
				ors = append(ors, or)
			}
		}
		if len(ors) == 0 {
			continue
		}
		term := strings.Join(ors, " or ")
		if len(ors) > 1 {
			term = "(" + term + ")"
		}
		ands = append(ands, term)
	}
	if len(ands) == 0 {
		return "@tag"
	}
	return strings.Join(ands, " and ")
}

func (f *tagFilter) match(tags []string) bool { return f == nil || f.expr.Evaluate(tags) }
