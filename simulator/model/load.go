package model

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/asksim/asksim/simulator/alexa"
)

// SkillPackage is an ASK CLI skill package: skill.json plus one interaction
// model per locale under interactionModels/custom/.
type SkillPackage struct {
	Dir      string // the directory holding skill.json
	Manifest Manifest
	models   map[string]*Model
}

// Manifest is the part of skill.json asksim uses.
type Manifest struct {
	// Locales are manifest.publishingInformation.locales, by locale.
	Locales map[string]LocaleInfo
	// EndpointURI is manifest.apis.custom.endpoint.uri ("" when absent).
	EndpointURI string
	// Permissions are manifest.permissions[].name, in file order.
	Permissions []string
}

// LocaleInfo is one entry of manifest.publishingInformation.locales.
type LocaleInfo struct {
	Name           string
	Summary        string
	ExamplePhrases []string
}

// LoadSkillPackage reads a skill package directory: dir/skill.json and every
// dir/interactionModels/custom/<locale>.json. dir may also be an ASK CLI
// project root, in which case dir/skill-package is read. Every model is
// checked now, so a broken locale fails the load rather than a later turn.
func LoadSkillPackage(dir string) (*SkillPackage, error) {
	if _, err := os.Stat(filepath.Join(dir, "skill.json")); errors.Is(err, fs.ErrNotExist) {
		if _, err2 := os.Stat(filepath.Join(dir, "skill-package", "skill.json")); err2 == nil {
			dir = filepath.Join(dir, "skill-package")
		}
	}
	return loadPackage(os.DirFS(dir), dir)
}

// LoadSkillPackageFS reads a skill package from the root of fsys, such as an
// embed.FS; name stands for it in errors.
func LoadSkillPackageFS(fsys fs.FS, name string) (*SkillPackage, error) {
	return loadPackage(fsys, name)
}

// loadPackage reads skill.json and interactionModels/custom/*.json from
// fsys; dir names fsys's root in errors and in SkillPackage.Dir.
func loadPackage(fsys fs.FS, dir string) (*SkillPackage, error) {
	p := &SkillPackage{Dir: dir, models: map[string]*Model{}}
	data, err := fs.ReadFile(fsys, "skill.json")
	if err != nil {
		return nil, &LoadError{File: filepath.Join(dir, "skill.json"), Msg: "cannot read skill manifest", Err: err}
	}
	if err := p.readManifest(filepath.Join(dir, "skill.json"), data); err != nil {
		return nil, err
	}
	modelDir := filepath.Join(dir, "interactionModels", "custom")
	entries, err := fs.ReadDir(fsys, "interactionModels/custom")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, &LoadError{File: modelDir, Msg: "cannot read directory", Err: err}
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		name := filepath.Join(modelDir, e.Name())
		data, err := fs.ReadFile(fsys, "interactionModels/custom/"+e.Name())
		if err != nil {
			return nil, &LoadError{File: name, Msg: "cannot read interaction model", Err: err}
		}
		m, err := ParseModel(name, data)
		if err != nil {
			return nil, err
		}
		m.Locale = strings.TrimSuffix(e.Name(), ".json")
		p.models[m.Locale] = m
	}
	if len(p.models) == 0 {
		return nil, &LoadError{File: modelDir, Msg: "no interaction models (<locale>.json files)"}
	}
	return p, nil
}

func (p *SkillPackage) readManifest(path string, data []byte) error {
	fe := &fileErrors{name: path, data: data}
	var raw manifestFileJSON
	if err := fe.decode(&raw); err != nil {
		return err
	}
	if raw.Manifest == nil {
		return &LoadError{File: path, Msg: `missing "manifest" object`}
	}
	mf := raw.Manifest
	p.Manifest.Locales = map[string]LocaleInfo{}
	for loc, li := range mf.PublishingInformation.Locales {
		p.Manifest.Locales[loc] = LocaleInfo{Name: li.Name, Summary: li.Summary, ExamplePhrases: li.ExamplePhrases}
	}
	if mf.APIs.Custom != nil {
		p.Manifest.EndpointURI = mf.APIs.Custom.Endpoint.URI
	}
	for i, perm := range mf.Permissions {
		if perm.Name == "" {
			return fe.at(joinPath(indexPath("manifest.permissions", i), "name"), "permission name is empty")
		}
		p.Manifest.Permissions = append(p.Manifest.Permissions, perm.Name)
	}
	return nil
}

// Locales returns the locales that have an interaction model, sorted.
func (p *SkillPackage) Locales() []string {
	out := make([]string, 0, len(p.models))
	for loc := range p.models {
		out = append(out, loc)
	}
	sort.Strings(out)
	return out
}

// Model returns the interaction model of a locale. There is no fallback to a
// sibling locale (en-GB to en-US): Alexa serves a locale only with its own
// model, so asking for a missing one is an error listing those present.
func (p *SkillPackage) Model(locale string) (*Model, error) {
	if m := p.models[locale]; m != nil {
		return m, nil
	}
	return nil, fmt.Errorf("model: skill package %s has no interaction model for locale %q (available: %s)",
		p.Dir, locale, strings.Join(p.Locales(), ", "))
}

// Permissions returns the manifest's permission names
// (manifest.permissions[].name).
func (p *SkillPackage) Permissions() []string {
	return append([]string(nil), p.Manifest.Permissions...)
}

// Declares reports whether the manifest declares the permission a runtime
// scope (as in a consent card or an Alexa API call) needs.
func (p *SkillPackage) Declares(runtimeScope string) bool {
	want := alexa.ManifestName(runtimeScope)
	for _, have := range p.Manifest.Permissions {
		if have == want {
			return true
		}
	}
	return false
}

// LoadModelFile reads a bare interaction-model file
// ({"interactionModel": {"languageModel": …}}).
func LoadModelFile(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &LoadError{File: path, Msg: "cannot read interaction model", Err: err}
	}
	return ParseModel(path, data)
}

// ParseModel reads an interaction model from memory; name is used in errors.
func ParseModel(name string, data []byte) (*Model, error) {
	fe := &fileErrors{name: name, data: data}
	var raw fileJSON
	if err := fe.decode(&raw); err != nil {
		return nil, err
	}
	return compile(fe, &raw)
}
