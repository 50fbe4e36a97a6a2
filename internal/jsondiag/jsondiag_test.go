package jsondiag_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/asksim/asksim/internal/jsondiag"
)

func TestKinds(t *testing.T) {
	for _, c := range []struct {
		raw  string
		want string
	}{
		{`{"a":1}`, "object"}, {`[1]`, "array"}, {`"x"`, "string"}, {`1.5`, "number"},
		{`true`, "boolean"}, {`null`, "null"},
	} {
		var v any
		if err := json.Unmarshal([]byte(c.raw), &v); err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader([]byte(c.raw)))
		dec.UseNumber()
		var n any
		if err := dec.Decode(&n); err != nil {
			t.Fatal(err)
		}
		if got := jsondiag.Kind(v); got != c.want {
			t.Errorf("Kind(%s) = %q, want %q", c.raw, got, c.want)
		}
		if got := jsondiag.Kind(n); got != c.want {
			t.Errorf("Kind(%s with UseNumber) = %q, want %q", c.raw, got, c.want)
		}
		if got := jsondiag.KindOf([]byte("  " + c.raw)); got != c.want {
			t.Errorf("KindOf(%s) = %q, want %q", c.raw, got, c.want)
		}
	}
	if got := jsondiag.KindOf([]byte(" \n")); got != "empty" {
		t.Errorf("KindOf(blank) = %q", got)
	}
	if got := jsondiag.Kind(json.Delim('[')); got != "array" {
		t.Errorf("Kind('[') = %q", got)
	}
	for typ, want := range map[reflect.Type]string{
		reflect.TypeFor[[]string](): "array", reflect.TypeFor[map[string]int](): "object",
		reflect.TypeFor[*struct{}](): "object", reflect.TypeFor[int64](): "number", reflect.TypeFor[bool](): "boolean",
	} {
		if got := jsondiag.TypeKind(typ); got != want {
			t.Errorf("TypeKind(%v) = %q, want %q", typ, got, want)
		}
	}
	for kind, want := range map[string]string{"object": "an object", "array": "an array", "string": "a string", "null": "null", "empty": "empty"} {
		if got := jsondiag.A(kind); got != want {
			t.Errorf("A(%q) = %q, want %q", kind, got, want)
		}
	}
}

func TestLineCol(t *testing.T) {
	data := []byte("{\n  \"a\": 1,\n  \"b\": x\n}")
	for off, want := range map[int64][2]int{0: {1, 1}, 2: {2, 1}, 4: {2, 3}, 19: {3, 8}, -5: {1, 1}, 999: {4, 2}} {
		if l, c := jsondiag.LineCol(data, off); l != want[0] || c != want[1] {
			t.Errorf("LineCol(%d) = %d:%d, want %d:%d", off, l, c, want[0], want[1])
		}
	}
	lines := jsondiag.Lines{Data: data}
	for _, off := range []int64{0, 4, 19, 999, 2} { // the last goes back
		want, _ := jsondiag.LineCol(data, off)
		if got := lines.At(off); got != want {
			t.Errorf("Lines.At(%d) = %d, want %d", off, got, want)
		}
	}
}

func TestExplain(t *testing.T) {
	type cfg struct {
		TTL    string   `json:"ttl"`
		Scopes []string `json:"scopes"`
	}
	decode := func(data string) (jsondiag.Problem, jsondiag.Problem) {
		var v cfg
		unmarshalErr := json.Unmarshal([]byte(data), &v)
		dec := json.NewDecoder(bytes.NewReader([]byte(data)))
		dec.DisallowUnknownFields()
		decErr := dec.Decode(&v)
		var a, b jsondiag.Problem
		if unmarshalErr != nil {
			a = jsondiag.Explain([]byte(data), unmarshalErr, -1)
		}
		if decErr != nil {
			b = jsondiag.Explain([]byte(data), decErr, dec.InputOffset())
		}
		return a, b
	}
	syn, synDec := decode("{\n\"ttl\": \"1s\",}")
	if syn.Msg != "invalid JSON: invalid character '}' looking for beginning of object key string" || syn.Offset != 15 || synDec.Msg != syn.Msg || synDec.Offset != syn.Offset {
		t.Errorf("syntax: %+v / %+v", syn, synDec)
	}
	typ, _ := decode(`{"scopes": "email"}`)
	if typ.Msg != "got JSON string, want array" || typ.Field != "scopes" || typ.Offset != 18 {
		t.Errorf("type: %+v", typ)
	}
	_, unknown := decode("{\n\"ttl\": \"1s\",\n\"colour\": 1}")
	if l, _ := jsondiag.LineCol([]byte("{\n\"ttl\": \"1s\",\n\"colour\": 1}"), unknown.Offset); unknown.Msg != `unknown field "colour"` || l != 3 {
		t.Errorf("unknown field: %+v on line %d", unknown, l)
	}
	_, empty := decode("  ")
	if empty.Msg != "empty file, want a JSON value" || empty.Offset != -1 {
		t.Errorf("empty: %+v", empty)
	}
	_, truncated := decode("{\n\"ttl\": ")
	if truncated.Msg != "invalid JSON: unexpected end of file" || truncated.Offset != 9 {
		t.Errorf("truncated: %+v", truncated)
	}
}
