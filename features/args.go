package features

import (
	"context"
	"reflect"
	"strings"
)

// Quoted step arguments hold two escapes, \" and \\, and nothing else: a
// backslash before any other character stays, so that a regular expression
// or a JSON path works as written. Every step gets its quoted arguments
// unescaped the same way, by a wrapper around its handler, so that no step
// can forget to (or do it twice).

// quotedArgs says, for each step, which of its capture groups are quoted
// arguments.
var quotedArgs = func() [][]bool {
	out := make([][]bool, len(steps))
	for i, st := range steps {
		out[i] = quotedGroups(st.Pattern)
	}
	return out
}()

// quotedGroups returns, for each capture group of pattern in order, whether
// it is a quoted argument (the quoted pattern, between its quotes).
func quotedGroups(pattern string) []bool {
	var groups []bool
	for i := 0; i < len(pattern); i++ {
		switch {
		case pattern[i] == '\\':
			i++
		case pattern[i] == '(' && !strings.HasPrefix(pattern[i:], "(?"):
			groups = append(groups, i > 0 && strings.HasPrefix(pattern[i-1:], quoted))
		}
	}
	return groups
}

var (
	stringType  = reflect.TypeFor[string]()
	contextType = reflect.TypeFor[context.Context]()
)

// unescaping wraps handler, a step function, so that the string parameters
// that take quoted arguments receive them unescaped. A handler without any
// is returned as it is.
func unescaping(handler any, quotedGroup []bool) any {
	v := reflect.ValueOf(handler)
	t := v.Type()
	var params []int // parameter indexes to unescape
	group := 0
	for i := range t.NumIn() {
		in := t.In(i)
		if i == 0 && in == contextType {
			continue // the context.Context godog passes first
		}
		if group < len(quotedGroup) && quotedGroup[group] && in == stringType {
			params = append(params, i)
		}
		group++
	}
	if len(params) == 0 {
		return handler
	}
	return reflect.MakeFunc(t, func(args []reflect.Value) []reflect.Value {
		for _, i := range params {
			if s := args[i].String(); strings.Contains(s, `\`) {
				args[i] = reflect.ValueOf(unescape(s))
			}
		}
		return v.Call(args)
	}).Interface()
}
