package alexaapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/asksim/asksim/internal/jsonlimit"
)

// node is a JSON value that remembers its line, so that errors in
// hand-written fixture files can point at the line at fault, which
// encoding/json does not do for unknown fields or values of the wrong kind.
type node struct {
	line    int
	kind    string // "object", "array", "string", "number", "boolean", "null"
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
	t := &treeParser{data: data, file: file, dec: json.NewDecoder(bytes.NewReader(data))}
	t.dec.UseNumber()
	n, err := t.value()
	if err != nil {
		return nil, err
	}
	if _, err := t.dec.Token(); err != io.EOF {
		return nil, &fileError{file: file, line: t.lineAt(t.dec.InputOffset()), msg: "unexpected data after the top-level JSON value"}
	}
	return n, nil
}

type treeParser struct {
	data []byte
	file string
	dec  *json.Decoder
	// line counting is incremental: offsets only grow.
	lineOff int64
	line    int
}

func (t *treeParser) lineAt(off int64) int {
	if t.line == 0 {
		t.line = 1
	}
	if off > int64(len(t.data)) {
		off = int64(len(t.data))
	}
	if off < t.lineOff {
		return 1 + bytes.Count(t.data[:off], []byte{'\n'})
	}
	t.line += bytes.Count(t.data[t.lineOff:off], []byte{'\n'})
	t.lineOff = off
	return t.line
}

func (t *treeParser) token() (json.Token, int, error) {
	tok, err := t.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, 0, &fileError{file: t.file, line: t.lineAt(se.Offset), msg: "invalid JSON: " + se.Error()}
		}
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, 0, &fileError{file: t.file, line: t.lineAt(int64(len(t.data))), msg: "invalid JSON: unexpected end of file"}
		}
		return nil, 0, &fileError{file: t.file, line: t.lineAt(t.dec.InputOffset()), msg: "invalid JSON: " + err.Error()}
	}
	// The offset after a token is on the token's line: JSON tokens hold no
	// raw newlines.
	return tok, t.lineAt(t.dec.InputOffset()), nil
}

func (t *treeParser) value() (*node, error) {
	tok, line, err := t.token()
	if err != nil {
		return nil, err
	}
	return t.valueFrom(tok, line)
}

func (t *treeParser) valueFrom(tok json.Token, line int) (*node, error) {
	n := &node{line: line}
	switch v := tok.(type) {
	case json.Delim:
		switch v {
		case '{':
			n.kind = "object"
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
		case '[':
			n.kind = "array"
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
		n.kind, n.str = "string", v
	case json.Number:
		n.kind, n.str = "number", v.String()
	case bool:
		n.kind, n.str = "boolean", fmt.Sprint(v)
	case nil:
		n.kind = "null"
	}
	return n, nil
}
