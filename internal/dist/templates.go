package dist

import (
	"bytes"
	"embed"
	"encoding/json"
	"text/template"
)

// The Python files are named, since a pattern would skip names that begin with "_".
//
//go:embed files/launcher.js files/README.md files/__init__.py files/__main__.py
var filesFS embed.FS

var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"json": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
}).ParseFS(filesFS, "files/*"))

// render fills one of files/ with data.
func render(name string, data any) []byte {
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, name, data); err != nil {
		// The templates are embedded and their data is ours: a failure here
		// is a defect that every test run shows.
		panic("dist: " + name + ": " + err.Error())
	}
	return b.Bytes()
}
