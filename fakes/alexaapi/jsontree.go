package alexaapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/asksim/asksim/internal/jsondiag"
	"github.com/asksim/asksim/internal/jsonlimit"
)

// node is a JSON value that remembers its line, so that errors in
// hand-written fixture files can point at the line at fault, which
// encoding/json does not do for unknown fields or values of the wrong kind.
type node struct {
	line    int
	kind    string // as jsondiag.Kind names it
	str     string
	members []member // object members, in file order
	items   []*node
}

type member struct {
	key  string
	line int
	val  *node
}

// fileError is an error located in a file.
type fileError struct {
	file  string
	line  int
	field string
	msg   string
}

func (e *fileError) Error() string {
	loc := e.file
	if e.line > 0 {
		loc = fmt.Sprintf("%s:%d", e.file, e.line)
	}
	if e.field == "" {
		return loc + ": " + e.msg
	}
	return fmt.Sprintf("%s: %s: %s", loc, e.field, e.msg)
}

// parseTree parses one JSON document into nodes. Its recursion is one
// call per level of nesting, so the depth is checked first: 5 MB of '['
// once ended in a fatal stack overflow.
func parseTree(data []byte, file string) (*node, error) {
	var de *jsonlimit.DepthError
	if err := jsonlimit.CheckDepth(data, jsonlimit.DefaultMaxDepth); errors.As(err, &de) {
		return nil, &fileError{file: file, line: de.Line, msg: fmt.Sprintf("JSON nests arrays and objects deeper than %d levels", de.Max)}
	}
	t := &treeParser{data: data, file: file, dec: json.NewDecoder(bytes.NewReader(data)), lines: jsondiag.Lines{Data: data}}
	t.dec.UseNumber()
	n, err := t.value()
	if err != nil {
		return nil, err
	}
	if _, err := t.dec.Token(); err != io.EOF {
		return nil, &fileError{file: file, line: t.lines.At(t.dec.InputOffset()), msg: "unexpected data after the top-level JSON value"}
	}
	return n, nil
}

type treeParser struct {
	data  []byte
	file  string
	dec   *json.Decoder
	lines jsondiag.Lines
}

func (t *treeParser) token() (json.Token, int, error) {
	tok, err := t.dec.Token()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF // a value was expected
		}
		p := jsondiag.Explain(t.data, err, t.dec.InputOffset())
		return nil, 0, &fileError{file: t.file, line: t.lines.At(p.Offset), msg: p.Msg}
	}
	// The offset after a token is on the token's line: JSON tokens hold no
	// raw newlines.
	return tok, t.lines.At(t.dec.InputOffset()), nil
}

func (t *treeParser) value() (*node, error) {
	tok, line, err := t.token()
	if err != nil {
		return nil, err
	}
	return t.valueFrom(tok, line)
}

func (t *treeParser) valueFrom(tok json.Token, line int) (*node, error) {
	n := &node{line: line, kind: jsondiag.Kind(tok)}
	switch v := tok.(type) {
	case json.Delim:
		if n.kind == jsondiag.Object {
			seen := map[string]bool{}
			for t.dec.More() {
				ktok, kline, err := t.token()
				if err != nil {
					return nil, err
				}
				key := ktok.(string) // the decoder only yields strings as keys
				if seen[key] {
					return nil, &fileError{file: t.file, line: kline, field: key, msg: "duplicate key"}
				}
				seen[key] = true
				val, err := t.value()
				if err != nil {
					return nil, err
				}
				n.members = append(n.members, member{key: key, line: kline, val: val})
			}
		} else {
			for t.dec.More() {
				val, err := t.value()
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, val)
			}
		}
		if _, _, err := t.token(); err != nil { // the closing delimiter
			return nil, err
		}
	case string:
		n.str = v
	case json.Number:
		n.str = v.String()
	case bool:
		n.str = fmt.Sprint(v)
	}
	return n, nil
}
