package jsonlimit_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/asksim/asksim/internal/jsonlimit"
)

func TestCheckDepth(t *testing.T) {
	for _, tc := range []struct {
		in       string
		max      int
		wantLine int // 0: no error
		wantOff  int64
	}{
		{`{"a":[1,{"b":2}]}`, 3, 0, 0},
		{`{"a":[1,{"b":2}]}`, 2, 1, 8},
		{`"[[[[[[" `, 1, 0, 0},                  // brackets in a string
		{`["\"[[[["]`, 1, 0, 0},                 // an escaped quote does not end the string
		{`["\\", [[]]]`, 2, 1, 8},               // an escaped backslash does
		{"[\n[\n[]]]", 2, 3, 4},                 // the line of the bracket too deep
		{`]]]]]][[`, 2, 0, 0},                   // stray closers do not bank depth
		{strings.Repeat("[", 5<<20), 64, 1, 64}, // the 5 MB of '['
	} {
		err := jsonlimit.CheckDepth([]byte(tc.in), tc.max)
		var de *jsonlimit.DepthError
		switch {
		case tc.wantLine == 0 && err != nil:
			t.Errorf("CheckDepth(%.20q, %d) = %v, want nil", tc.in, tc.max, err)
		case tc.wantLine != 0 && !errors.As(err, &de):
			t.Errorf("CheckDepth(%.20q, %d) = %v, want a *DepthError", tc.in, tc.max, err)
		case tc.wantLine != 0 && (de.Line != tc.wantLine || de.Offset != tc.wantOff || de.Max != tc.max):
			t.Errorf("CheckDepth(%.20q, %d) = %+v, want line %d offset %d", tc.in, tc.max, de, tc.wantLine, tc.wantOff)
		}
	}
}

func TestDepthErrorMessage(t *testing.T) {
	err := jsonlimit.CheckDepth([]byte("{\"a\":\n[[[]]]}"), 2)
	want := "JSON nests arrays and objects deeper than 2 levels (line 2, byte 8)"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

// TestReaderStopsADecoder feeds a decoder byte by byte: the depth error
// comes out of Decode instead of a stack overflow or a huge allocation.
func TestReaderStopsADecoder(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 100) + "1" + strings.Repeat("}", 100)
	var v any
	err := json.NewDecoder(jsonlimit.NewReader(iotest.OneByteReader(strings.NewReader(deep)), 10)).Decode(&v)
	var de *jsonlimit.DepthError
	if !errors.As(err, &de) || de.Offset != 50 {
		t.Fatalf("Decode = %v, want a DepthError at offset 50", err)
	}
	// Within the limit the reader passes every byte through.
	got, err := io.ReadAll(jsonlimit.NewReader(iotest.HalfReader(strings.NewReader(deep)), 100))
	if err != nil || string(got) != deep {
		t.Errorf("ReadAll = %d bytes, %v; want the %d bytes unchanged", len(got), err, len(deep))
	}
}

// maxDepth is the reference: the nesting depth of valid JSON, counted on
// encoding/json's token stream.
func maxDepth(data []byte) int {
	dec := json.NewDecoder(bytes.NewReader(data))
	depth, most := 0, 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return most
		}
		switch tok {
		case json.Delim('['), json.Delim('{'):
			depth++
			most = max(most, depth)
		case json.Delim(']'), json.Delim('}'):
			depth--
		}
	}
}

// FuzzCheckDepth checks the byte scanner against encoding/json's own idea
// of nesting on valid JSON, and the reader against CheckDepth on any bytes.
// Seeds: the repository's JSON fixtures.
func FuzzCheckDepth(f *testing.F) {
	files, _ := filepath.Glob("../../fixtures/*/*.json")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data, uint8(3))
		}
	}
	f.Add([]byte(`["\\\"[", {"]": [[]]}]`), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, limit uint8) {
		max := int(limit%16) + 1
		err := jsonlimit.CheckDepth(data, max)
		if json.Valid(data) {
			if d := maxDepth(data); (d > max) != (err != nil) {
				t.Fatalf("depth %d, max %d: CheckDepth = %v", d, max, err)
			}
		}
		_, rerr := io.ReadAll(jsonlimit.NewReader(iotest.HalfReader(bytes.NewReader(data)), max))
		var a, b *jsonlimit.DepthError
		if errors.As(err, &a) != errors.As(rerr, &b) || (a != nil && *a != *b) {
			t.Fatalf("CheckDepth = %v, reader = %v", err, rerr)
		}
	})
}
