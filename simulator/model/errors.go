package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/asksim/asksim/internal/jsondiag"
	"github.com/asksim/asksim/internal/jsonlimit"
)

// LoadError reports a bad skill package or interaction-model file. It names
// the file, the position (when known) and the JSON path of the element at
// fault, compiler style:
//
//	skill-package/interactionModels/custom/en-US.json:14:11: interactionModel.languageModel.intents[3].samples[2]: unknown slot "{cty}"
type LoadError struct {
	File string // as given to the loader
	Line int    // 1-based; 0 when unknown
	Col  int    // 1-based byte column; 0 when unknown
	Path string // JSON path such as interactionModel.languageModel.intents[3].samples[2]; "" for the whole file
	Msg  string
	Err  error // underlying error (I/O, JSON syntax), if any
}

func (e *LoadError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Col)
	}
	if e.Path != "" {
		b.WriteString(": ")
		b.WriteString(e.Path)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

func (e *LoadError) Unwrap() error { return e.Err }

// NoMatchError is returned by Resolve when no sample utterance fits and the
// model has no AMAZON.FallbackIntent.
type NoMatchError struct {
	Utterance string
	// Closest holds up to three samples nearest to the utterance by word edit
	// distance (a {slot} placeholder matches any one word at no cost), as
	// "IntentName: sample".
	Closest []string
}

func (e *NoMatchError) Error() string {
	msg := fmt.Sprintf("no intent matches %q", e.Utterance)
	if len(e.Closest) > 0 {
		msg += "; closest samples: " + strings.Join(e.Closest, "; ")
	}
	return msg
}

// ErrEmptyUtterance is returned for an utterance with no words in it.
var ErrEmptyUtterance = errors.New("model: empty utterance")

// fileErrors builds LoadErrors for one file, locating JSON paths in its bytes
// only when an error is actually reported.
type fileErrors struct {
	name string
	data []byte
}

// at reports a problem with the value at path. A value that is missing is
// placed at the nearest enclosing one that is there.
func (f *fileErrors) at(path, format string, args ...any) *LoadError {
	e := &LoadError{File: f.name, Path: path, Msg: fmt.Sprintf(format, args...)}
	for p := path; p != ""; p = parentPath(p) {
		if off, ok := locate(f.data, p); ok {
			e.Line, e.Col = jsondiag.LineCol(f.data, off)
			break
		}
	}
	return e
}

// parentPath drops the last key or index of a path: a.b[2] → a.b → a → "".
func parentPath(p string) string {
	if i := strings.LastIndexAny(p, ".["); i >= 0 {
		return p[:i]
	}
	return ""
}

// decode unmarshals data into v, turning JSON errors into LoadErrors with a
// line and column, and, for a value of the wrong type, its full path.
func (f *fileErrors) decode(v any) error {
	// Nothing in a skill package nests deep, and visit, which locates an
	// error's path, recurses once per level.
	var de *jsonlimit.DepthError
	if errors.As(jsonlimit.CheckDepth(f.data, jsonlimit.DefaultMaxDepth), &de) {
		line, col := jsondiag.LineCol(f.data, de.Offset)
		return &LoadError{File: f.name, Line: line, Col: col, Msg: fmt.Sprintf("JSON nests arrays and objects deeper than %d levels", de.Max), Err: de}
	}
	err := json.Unmarshal(f.data, v)
	if err == nil {
		return nil
	}
	p := jsondiag.Explain(f.data, err, -1)
	e := &LoadError{File: f.name, Path: p.Field, Msg: p.Msg, Err: err}
	at := p.Offset
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		if full, start, ok := locateEnd(f.data, typ.Field, typ.Offset); ok {
			e.Path, at = full, start
		}
	}
	if at >= 0 {
		e.Line, e.Col = jsondiag.LineCol(f.data, at)
	}
	return e
}

// locate finds the byte offset where the value at a JSON path (as written by
// joinPath/indexPath) starts. It re-scans the file token by token, which is
// fine because it runs only when an error is reported.
func locate(data []byte, path string) (int64, bool) {
	if path == "" {
		return 0, false
	}
	var at int64
	found := visit(data, func(p string, start, _ int64) bool {
		at = start
		return p == path
	})
	return at, found
}

// locateEnd finds the value encoding/json rejected from the offset it
// reports and the value's path without array indices. The answer has both the start
// and the full path, indices included.
func locateEnd(data []byte, field string, end int64) (string, int64, bool) {
	var path string
	var at int64
	found := visit(data, func(p string, s, e int64) bool {
		path, at = p, s
		// encoding/json reports the end of a rejected scalar but only the
		// opening delimiter of a rejected object or array.
		return (e == end || s+1 == end) && stripIndices(p) == field
	})
	return path, at, found
}

func stripIndices(p string) string {
	var b strings.Builder
	depth := 0
	for _, r := range p {
		switch {
		case r == '[':
			depth++
		case r == ']':
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// visit calls fn for every value in data, after reading it, with its path,
// start and end offsets; it stops when fn returns true and reports whether
// that happened.
func visit(data []byte, fn func(path string, start, end int64) bool) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	stop, _ := visitValue(dec, data, "", fn)
	return stop
}

func visitValue(dec *json.Decoder, data []byte, path string, fn func(string, int64, int64) bool) (bool, error) {
	start := skipSeparators(data, dec.InputOffset())
	tok, err := dec.Token()
	if err != nil {
		return false, err
	}
	switch tok {
	case json.Delim('{'):
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return false, err
			}
			k, _ := key.(string)
			if stop, err := visitValue(dec, data, joinPath(path, k), fn); stop || err != nil {
				return stop, err
			}
		}
		if _, err := dec.Token(); err != nil {
			return false, err
		}
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if stop, err := visitValue(dec, data, indexPath(path, i), fn); stop || err != nil {
				return stop, err
			}
		}
		if _, err := dec.Token(); err != nil {
			return false, err
		}
	}
	return fn(path, start, dec.InputOffset()), nil
}

// skipSeparators moves past the whitespace, ':' and ',' that Decoder.Token
// consumes silently, so the offset lands on the value itself.
func skipSeparators(data []byte, off int64) int64 {
	for off < int64(len(data)) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ':', ',':
			off++
		default:
			return off
		}
	}
	return off
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func indexPath(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}
