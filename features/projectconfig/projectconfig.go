// Package projectconfig reads asksim's project config file (asksim.yaml,
// asksim.yml or asksim.json): a flat mapping from flag names of `asksim
// test` to values, each kept with the file and line it stands on so that
// an error names them. What the settings mean is the command's to say.
package projectconfig

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/asksim/asksim/internal/jsonlimit"
	"go.yaml.in/yaml/v3"
)

// Names are the files `asksim test` looks for in the working
// directory when no --config is given.
var Names = []string{"asksim.yaml", "asksim.yml", "asksim.json"}

// Setting is one entry of a project config file: a flag name and its
// value(s), with the line it stands on for errors.
type Setting struct {
	Key    string
	Values []string
	File   string
	Line   int
}

// Where names the setting's place, "asksim.yaml:3".
func (s Setting) Where() string { return fmt.Sprintf("%s:%d", s.File, s.Line) }

// Find returns the project config file in dir, "" when there
// is none.
func Find(dir string) string {
	for _, n := range Names {
		p := filepath.Join(dir, n)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

// Load reads a project config file: a YAML (or JSON) mapping from
// flag names of `asksim test` to values, e.g.
//
//	endpoint: http://127.0.0.1:3000/alexa
//	format: [pretty, "junit:reports/junit.xml"]
//	concurrency: 4
//
// Lists give repeatable flags several values. Relative paths are left as
// written; the caller resolves them against the file's directory.
func Load(path string) ([]Setting, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	// Settings are a flat mapping; the YAML parser would go 10,000 levels
	// deep before it gave up, without saying where.
	var de *jsonlimit.DepthError
	if errors.As(jsonlimit.CheckDepth(data, jsonlimit.DefaultMaxDepth), &de) {
		return nil, fmt.Errorf("%s:%d: nests lists and mappings deeper than %d levels", path, de.Line, de.Max)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(root.Content) == 0 {
		return nil, nil // an empty file sets nothing
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: want a mapping of settings (key: value), got a %s", path, doc.Line, kindName(doc.Kind))
	}
	var out []Setting
	seen := map[string]int{}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		if prev, dup := seen[k.Value]; dup {
			return nil, fmt.Errorf("%s:%d: %q is set twice (first on line %d)", path, k.Line, k.Value, prev)
		}
		seen[k.Value] = k.Line
		s := Setting{Key: k.Value, File: path, Line: k.Line}
		switch v.Kind {
		case yaml.ScalarNode:
			if v.Tag != "!!null" {
				s.Values = []string{v.Value}
			}
		case yaml.SequenceNode:
			for _, item := range v.Content {
				if item.Kind != yaml.ScalarNode {
					return nil, fmt.Errorf("%s:%d: %s: list items must be plain values", path, item.Line, k.Value)
				}
				s.Values = append(s.Values, item.Value)
			}
		default:
			return nil, fmt.Errorf("%s:%d: %s: want a value or a list of values, got a %s", path, v.Line, k.Value, kindName(v.Kind))
		}
		out = append(out, s)
	}
	return out, nil
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "value"
	case yaml.AliasNode:
		return "alias"
	}
	return "document"
}
