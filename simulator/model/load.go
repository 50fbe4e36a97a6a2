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
	// Permissions are manifest.permissions[].name, in file order; empty,
	// not nil, when the manifest declares none.
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
		return nil, &LoadError{File: filepath.Join(dir, "skill.json"), Msg: "cannot read skill manifest: " + ioReason(err), Err: err}
	}
	if p.Manifest, err = ParseManifest(filepath.Join(dir, "skill.json"), data); err != nil {
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

// ioReason is why a file could not be read, without the path that the
// LoadError names already: "no such file or directory".
func ioReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// LoadManifest reads a skill manifest (skill.json) alone, for a caller that
// needs its permissions or locales without the interaction models.
func LoadManifest(path string) (Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Manifest{}, &LoadError{File: path, Msg: "cannot read skill manifest: " + ioReason(err), Err: err}
	}
	return ParseManifest(path, data)
}

// ParseManifest reads a skill manifest from memory; name is used in errors.
// A manifest that declares no permission has an empty, non-nil
// Permissions: every scope is then undeclared.
func ParseManifest(name string, data []byte) (Manifest, error) {
	fe := &fileErrors{name: name, data: data}
	var raw manifestFileJSON
	if err := fe.decode(&raw); err != nil {
		return Manifest{}, err
	}
	if raw.Manifest == nil {
		return Manifest{}, &LoadError{File: name, Msg: `missing "manifest" object (want the skill.json of an ASK CLI project)`}
	}
	mf := raw.Manifest
	m := Manifest{Locales: map[string]LocaleInfo{}, Permissions: []string{}}
	for loc, li := range mf.PublishingInformation.Locales {
		m.Locales[loc] = LocaleInfo{Name: li.Name, Summary: li.Summary, ExamplePhrases: li.ExamplePhrases}
	}
	if mf.APIs.Custom != nil {
		m.EndpointURI = mf.APIs.Custom.Endpoint.URI
	}
	for i, perm := range mf.Permissions {
		if perm.Name == "" {
			return Manifest{}, fe.at(joinPath(indexPath("manifest.permissions", i), "name"), "permission name is empty")
		}
		m.Permissions = append(m.Permissions, perm.Name)
	}
	return m, nil
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
// (manifest.permissions[].name): empty, not nil, when it declares none.
func (p *SkillPackage) Permissions() []string {
	return append([]string{}, p.Manifest.Permissions...)
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
