package jsondiag

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// The kinds of JSON values, as Kind and its siblings name them.
const (
	Object  = "object"
	Array   = "array"
	String  = "string"
	Number  = "number"
	Boolean = "boolean"
	Null    = "null"
)

// Kind names the kind of a decoded JSON value: what encoding/json decodes
// into an any (float64, or json.Number with UseNumber), the Delim tokens of
// a json.Decoder, or Go numbers. nil is Null.
func Kind(v any) string {
	switch v := v.(type) {
	case nil:
		return Null
	case string:
		return String
	case bool:
		return Boolean
	case map[string]any:
		return Object
	case []any:
		return Array
	case json.Delim:
		if v == '[' || v == ']' {
			return Array
		}
		return Object
	case json.Number, float64, float32, int, int64, int32, uint, uint64, uint32:
		return Number
	}
	return TypeKind(reflect.TypeOf(v))
}

// KindOf names the kind of the JSON value that raw starts with, after
// white space; "empty" when there is none. It does not check the rest.
func KindOf(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "empty"
	}
	switch raw[0] {
	case '{':
		return Object
	case '[':
		return Array
	case '"':
		return String
	case 't', 'f':
		return Boolean
	case 'n':
		return Null
	}
	return Number
}

// TypeKind names the kind of JSON value a Go type decodes from: a struct or
// map from an object, a slice or array from an array, and so on.
func TypeKind(t reflect.Type) string {
	if t == nil {
		return Null
	}
	switch t.Kind() {
	case reflect.Pointer:
		return TypeKind(t.Elem())
	case reflect.Struct, reflect.Map:
		return Object
	case reflect.Slice, reflect.Array:
		return Array
	case reflect.String:
		return String
	case reflect.Bool:
		return Boolean
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return Number
	}
	return "any value"
}

// A puts the article before a kind for a sentence: "an object", "a string";
// null and words that are not kinds stay as they are.
func A(kind string) string {
	switch kind {
	case Object, Array:
		return "an " + kind
	case String, Number, Boolean:
		return "a " + kind
	}
	return kind
}

// LineCol turns a byte offset into data into a 1-based line and byte
// column. Offsets past either end are clamped, so that encoding/json's
// offsets, which point just past the offending byte, can be passed as they
// come.
func LineCol(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	return bytes.Count(before, []byte("\n")) + 1, int(off) - bytes.LastIndexByte(before, '\n')
}

// Lines counts lines incrementally, for a parser that asks for the line of
// offsets that only grow: each call counts only the bytes since the last.
type Lines struct {
	Data []byte
	off  int64
	line int
}

// At returns the 1-based line of offset off. An offset before the last one
// asked is counted afresh.
func (l *Lines) At(off int64) int {
	off = min(max(off, 0), int64(len(l.Data)))
	if l.line == 0 || off < l.off {
		l.off, l.line = 0, 1
	}
	l.line += bytes.Count(l.Data[l.off:off], []byte("\n"))
	l.off = off
	return l.line
}

// Problem is what a decoding error says about the document.
type Problem struct {
	// Offset is where in the data the error lies; -1 when nowhere in
	// particular (an empty document).
	Offset int64
	// Field is the dotted field path encoding/json names for a value of the
	// wrong type ("clients.scopes"); "" otherwise.
	Field string
	// Msg says what is wrong: "invalid JSON: …", "got JSON number, want
	// string", `unknown field "colour"`, "empty file, want a JSON value".
	Msg string
}

// Explain reads an error of json.Unmarshal or of a json.Decoder over data.
// at is the decoder's InputOffset when the error came from one (-1
// otherwise): unknown fields and other errors without an offset of their
// own are placed there.
func Explain(data []byte, err error, at int64) Problem {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return Problem{Offset: syn.Offset, Msg: "invalid JSON: " + syn.Error()}
	case errors.As(err, &typ):
		return Problem{Offset: typ.Offset, Field: typ.Field,
			Msg: fmt.Sprintf("got JSON %s, want %s", typ.Value, TypeKind(typ.Type))}
	case errors.Is(err, io.EOF) && len(bytes.TrimSpace(data)) == 0:
		return Problem{Offset: -1, Msg: "empty file, want a JSON value"}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return Problem{Offset: int64(len(data)), Msg: "invalid JSON: unexpected end of file"}
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if at < 0 {
		at = 0
	}
	if key, ok := strings.CutPrefix(msg, "unknown field "); ok {
		// Unknown fields carry no offset: the key's last mention before
		// the decoder's position, which is already past its value.
		if i := bytes.LastIndex(data[:min(at, int64(len(data)))], []byte(key)); i >= 0 {
			at = int64(i)
		}
		return Problem{Offset: at, Msg: msg}
	}
	return Problem{Offset: at, Msg: "invalid JSON: " + msg}
}
