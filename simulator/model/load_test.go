package model_test

import (
	"errors"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/asksim/asksim/simulator/alexa"
	"github.com/asksim/asksim/simulator/model"
)

func TestLoadModelErrors(t *testing.T) {
	tests := []struct {
		name string
		json string
		want string // the error text after "<file>"
	}{
		{name: "syntax error with line and column",
			json: "{\n  \"interactionModel\": {\n    \"languageModel\": {,\n  }\n}",
			want: ":3:24: invalid JSON: invalid character ',' looking for beginning of object key string"},
		{name: "wrong JSON type",
			json: `{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","samples":"hello"}]}}}`,
			want: ":1:93: interactionModel.languageModel.intents[0].samples: got JSON string, want array"},
		{name: "wrong JSON type deep in an array",
			json: "{\"interactionModel\":{\"languageModel\":{\"invocationName\":\"x\",\"intents\":[\n{\"name\":\"A\",\"samples\":[\"a\"]},\n{\"name\":5}]}}}",
			want: ":3:9: interactionModel.languageModel.intents[1].name: got JSON number, want string"},
		{name: "top level is not an object",
			json: `[1]`,
			want: ":1:1: got JSON array, want object"},
		{name: "not an interaction model",
			json: `{"manifest":{}}`,
			want: `: missing "interactionModel" object`},
		{name: "no language model",
			json: `{"interactionModel":{"dialog":{}}}`,
			want: `:1:21: interactionModel: missing "languageModel" object`},
		{name: "empty invocation name",
			json: `{"interactionModel":{"languageModel":{"invocationName":" ","intents":[{"name":"A","samples":["a"]}]}}}`,
			want: `:1:56: interactionModel.languageModel.invocationName: invocation name is empty`},
		{name: "no intents",
			json: `{"interactionModel":{"languageModel":{"invocationName":"x","intents":[]}}}`,
			want: `:1:70: interactionModel.languageModel.intents: the model has no intents`},
		{name: "unknown slot in a sample names intent, sample and line",
			json: "{\"interactionModel\":{\"languageModel\":{\"invocationName\":\"x\",\"intents\":[\n" +
				"  {\"name\":\"A\",\"samples\":[\"a\"]},\n" +
				"  {\"name\":\"WeatherIntent\",\"slots\":[{\"name\":\"city\",\"type\":\"AMAZON.City\"}],\"samples\":[\n" +
				"    \"weather\",\n" +
				"    \"weather in {city}\",\n" +
				"    \"weather for {cty}\"]}]}}}",
			want: `:6:5: interactionModel.languageModel.intents[1].samples[2]: unknown slot "{cty}" in sample "weather for {cty}" (intent WeatherIntent has {city})`},
		{name: "unclosed brace",
			json: `{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","samples":["a {b"]}]}}}`,
			want: `interactionModel.languageModel.intents[0].samples[0]: unclosed '{' in sample "a {b"`},
		{name: "stray closing brace",
			json: `{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","samples":["a b}"]}]}}}`,
			want: `interactionModel.languageModel.intents[0].samples[0]: unbalanced '}' in sample "a b}"`},
		{name: "sample without words",
			json: `{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","samples":["?!"]}]}}}`,
			want: `interactionModel.languageModel.intents[0].samples[0]: sample "?!" has no words`},
		{name: "slot used twice",
			json: `{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","slots":[{"name":"n","type":"AMAZON.NUMBER"}],"samples":["{n} and {n}"]}]}}}`,
			want: `interactionModel.languageModel.intents[0].samples[0]: slot {n} used twice in sample "{n} and {n}"`},
		{name: "unknown slot type",
			json: `{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","slots":[{"name":"c","type":"CityTyp"}],"samples":["a"]}]}}}`,
			want: `interactionModel.languageModel.intents[0].slots[0].type: unknown slot type "CityTyp" (not in languageModel.types, not AMAZON.*)`},
		{name: "duplicate intent",
			json: `{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","samples":["a"]},{"name":"A","samples":["b"]}]}}}`,
			want: `interactionModel.languageModel.intents[1].name: duplicate intent "A"`},
		{name: "duplicate slot",
			json: `{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","slots":[{"name":"n","type":"AMAZON.NUMBER"},{"name":"n","type":"AMAZON.DATE"}],"samples":["a"]}]}}}`,
			want: `interactionModel.languageModel.intents[0].slots[1].name: duplicate slot "n"`},
		{name: "empty slot type name",
			json: `{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","samples":["a"]}],"types":[{"name":"","values":[]}]}}}`,
			want: `interactionModel.languageModel.types[0].name: slot type name is empty`},
		{name: "conflicting samples across intents",
			json: `{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","samples":["Hello there"]},{"name":"B","samples":["hello, there!"]}]}}}`,
			want: `interactionModel.languageModel.intents[1].samples[0]: sample "hello, there!" conflicts with A: Hello there`},
		{name: "empty slot value",
			json: `{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","samples":["a"]}],"types":[{"name":"T","values":[{"name":{"value":""}}]}]}}}`,
			want: `interactionModel.languageModel.types[0].values[0].name.value: slot value is empty`},
		{name: "slot sample without its slot",
			json: `{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","slots":[{"name":"n","type":"AMAZON.NUMBER","samples":["just words"]}],"samples":["a {n}"]}]}}}`,
			want: `interactionModel.languageModel.intents[0].slots[0].samples[0]: slot sample "just words" does not contain {n}`},
		{name: "dialog for unknown intent",
			json: `{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","samples":["a"]}]},"dialog":{"intents":[{"name":"B","slots":[]}]}}}`,
			want: `interactionModel.dialog.intents[0].name: dialog for unknown intent "B"`},
		{name: "dialog slot not on intent",
			json: `{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","samples":["a"]}]},"dialog":{"intents":[{"name":"A","slots":[{"name":"date","type":"AMAZON.DATE"}]}]}}}`,
			want: `interactionModel.dialog.intents[0].slots[0].name: intent A has no slot "date"`},
		{name: "dialog unknown prompt",
			json: `{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","slots":[{"name":"n","type":"AMAZON.NUMBER"}],"samples":["a {n}"]}]},"dialog":{"intents":[{"name":"A","slots":[{"name":"n","type":"AMAZON.NUMBER","elicitationRequired":true,"prompts":{"elicitation":"Elicit.n"}}]}]}}}`,
			want: `interactionModel.dialog.intents[0].slots[0].prompts.elicitation: unknown prompt id "Elicit.n"`},
		{name: "required slot without prompt",
			json: `{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","slots":[{"name":"n","type":"AMAZON.NUMBER"}],"samples":["a {n}"]}]},"dialog":{"intents":[{"name":"A","slots":[{"name":"n","type":"AMAZON.NUMBER","elicitationRequired":true,"prompts":{}}]}]}}}`,
			want: `interactionModel.dialog.intents[0].slots[0].prompts: slot "n" requires elicitation but has no elicitation prompt`},
		{name: "bad variation type",
			json: `{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","samples":["a"]}]},"prompts":[{"id":"P","variations":[{"type":"Text","value":"hi"}]}]}}`,
			want: `interactionModel.prompts[0].variations[0].type: variation type "Text", want PlainText or SSML`},
		{name: "prompt without variations",
			json: `{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","samples":["a"]}]},"prompts":[{"id":"P","variations":[]}]}}`,
			want: `interactionModel.prompts[0].variations: prompt "P" has no variations`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "en-US.json", tc.json)
			_, err := model.LoadModelFile(path)
			if err == nil {
				t.Fatal("LoadModelFile succeeded, want an error")
			}
			var le *model.LoadError
			if !errors.As(err, &le) || le.File != path {
				t.Fatalf("error %v (%T) is not a *LoadError for %s", err, err, path)
			}
			if got, want := err.Error(), path+tc.want; got != want && !(strings.HasPrefix(got, path) && strings.HasSuffix(got, tc.want)) {
				t.Errorf("error:\n got  %s\n want %s", got, want)
			}
		})
	}
}

func TestLoadModelFileMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.json")
	_, err := model.LoadModelFile(path)
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), path+": ") {
		t.Errorf("LoadModelFile(missing) = %v, want a not-exist error naming the file", err)
	}
}

func TestSkillPackage(t *testing.T) {
	p, err := model.LoadSkillPackage(travelDir)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Locales(); !reflect.DeepEqual(got, []string{"en-US"}) {
		t.Errorf("Locales = %v", got)
	}
	if got := p.Manifest.Locales["en-US"].Name; got != "Travel Buddy" {
		t.Errorf("manifest name = %q", got)
	}
	if got, want := p.Permissions(), []string{"alexa::profile:given_name:read", "alexa::devices:all:address:full:read"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Permissions = %v, want %v", got, want)
	}
	m, err := p.Model("en-US")
	if err != nil || m.Locale != "en-US" || m.InvocationName != "travel buddy" {
		t.Fatalf("Model(en-US) = %+v, %v", m, err)
	}
	_, err = p.Model("en-GB")
	if err == nil || !strings.Contains(err.Error(), `no interaction model for locale "en-GB" (available: en-US)`) {
		t.Errorf("Model(en-GB) = %v, want an error listing en-US", err)
	}
	for scope, want := range map[string]bool{
		"read::alexa:device:all:address":                         true,  // manifest alexa::devices:all:address:full:read
		"alexa::profile:given_name:read":                         true,  // same name both places
		"read::alexa:device:all:address:country_and_postal_code": false, // not declared
		"alexa::profile:email:read":                              false,
		"alexa::devices:all:address:full:read":                   true, // a manifest name passed as is
	} {
		if got := p.Declares(scope); got != want {
			t.Errorf("Declares(%q) = %v, want %v", scope, got, want)
		}
	}
}

const minimalModel = `{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","samples":["a"]}]}}}`

func TestLoadSkillPackageLayouts(t *testing.T) {
	t.Run("project root with skill-package", func(t *testing.T) {
		root := t.TempDir()
		writeFile(t, root, "skill-package/skill.json", `{"manifest":{"permissions":[{"name":"alexa::profile:email:read"}]}}`)
		writeFile(t, root, "skill-package/interactionModels/custom/en-GB.json", minimalModel)
		writeFile(t, root, "skill-package/interactionModels/custom/de-DE.json", minimalModel)
		writeFile(t, root, "skill-package/interactionModels/custom/README.md", "not a model")
		p, err := model.LoadSkillPackage(root)
		if err != nil {
			t.Fatal(err)
		}
		if p.Dir != filepath.Join(root, "skill-package") {
			t.Errorf("Dir = %s", p.Dir)
		}
		if got := p.Locales(); !reflect.DeepEqual(got, []string{"de-DE", "en-GB"}) {
			t.Errorf("Locales = %v", got)
		}
		if !p.Declares("alexa::profile:email:read") {
			t.Error("email not declared")
		}
	})
	errCases := []struct {
		name  string
		files map[string]string
		want  string // substring, after the temp dir
	}{
		{"no skill.json", map[string]string{"interactionModels/custom/en-US.json": minimalModel},
			"skill.json: cannot read skill manifest"},
		{"skill.json without manifest", map[string]string{"skill.json": `{"skillManifest":{}}`},
			`skill.json: missing "manifest" object`},
		{"bad permission", map[string]string{"skill.json": "{\"manifest\":{\"permissions\":[\n{\"name\":\"alexa::profile:email:read\"},\n{\"name\":\"\"}]}}"},
			`skill.json:3:9: manifest.permissions[1].name: permission name is empty`},
		{"no models", map[string]string{"skill.json": `{"manifest":{}}`},
			filepath.Join("interactionModels", "custom") + ": no interaction models"},
		{"broken model names its file", map[string]string{"skill.json": `{"manifest":{}}`,
			"interactionModels/custom/en-US.json": `{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","samples":["{x}"]}]}}}`},
			filepath.Join("interactionModels", "custom", "en-US.json") + `:1:94: interactionModel.languageModel.intents[0].samples[0]: unknown slot "{x}"`},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for rel, content := range tc.files {
				writeFile(t, dir, rel, content)
			}
			_, err := model.LoadSkillPackage(dir)
			if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, tc.want)) {
				t.Errorf("LoadSkillPackage = %v, want it to contain %q", err, filepath.Join(dir, tc.want))
			}
		})
	}
}

// TestLoadManifest reads skill.json alone, as `asksim fakes --manifest` does.
func TestLoadManifest(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "skill.json", `{"manifest": {"publishingInformation": {}, "permissions": [
		{"name": "alexa::profile:email:read"},
		{"name": "alexa::devices:all:address:full:read"}]}}`)
	m, err := model.LoadManifest(filepath.Join(dir, "skill.json"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"alexa::profile:email:read", alexa.ManifestName(alexa.ScopeAddress)}; !reflect.DeepEqual(m.Permissions, want) {
		t.Errorf("Permissions = %q, want %q", m.Permissions, want)
	}
	m, err = model.ParseManifest("none.json", []byte(`{"manifest": {}}`))
	if err != nil || m.Permissions == nil || len(m.Permissions) != 0 {
		t.Errorf("no permissions: %q, %v; want an empty, non-nil list: every scope undeclared", m.Permissions, err)
	}
	for data, want := range map[string]string{
		`{"skill": {}}`: `bad.json: missing "manifest" object`,
		"{\"manifest\": {\"permissions\": [\n{\"nom\": \"x\"}]}}": "bad.json:2:1: manifest.permissions[0].name: permission name is empty",
		`{"manifest": {"permissions": {}}}`:                       "bad.json:1:30: manifest.permissions: got JSON object, want array",
		"{\"manifest\": \n[]}":                                    "bad.json:2:1: manifest: got JSON array, want object",
		"{\"manifest\": {},}":                                     "bad.json:1:18: invalid JSON",
	} {
		if _, err := model.ParseManifest("bad.json", []byte(data)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", data, err, want)
		}
	}
	if _, err := model.LoadManifest(filepath.Join(dir, "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json: cannot read skill manifest") {
		t.Errorf("missing file: %v", err)
	}
}
