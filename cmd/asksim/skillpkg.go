package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/model"
	"github.com/spf13/pflag"
)

// defaultSkillPackageDir is where asksim looks for the skill package when
// --skill-package is not given: the ASK CLI project layout.
const defaultSkillPackageDir = "skill-package"

// skillPackageFlag is --skill-package, shared by resolve, test and send.
type skillPackageFlag struct{ path string }

func (f *skillPackageFlag) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.path, "skill-package", "",
		"skill package `DIR` (skill.json and interactionModels/custom/<locale>.json, or an ASK CLI project holding skill-package/), or a bare interaction-model JSON file (default: ./skill-package when present)")
}

// skillSource is what --skill-package points at: a skill package with its
// manifest, or a bare interaction model.
type skillSource struct {
	path string
	pkg  *model.SkillPackage // nil for a bare model file
	bare *model.Model        // nil for a skill package
}

// load reads the skill package. Without --skill-package it reads
// ./skill-package when present; when absent it returns nil, or, if required,
// an error saying where it looked. Broken files are a *configError naming
// the file, line and JSON path (exit 2).
func (f *skillPackageFlag) load(required bool) (*skillSource, error) {
	path := f.path
	if path == "" {
		if _, err := os.Stat(defaultSkillPackageDir); errors.Is(err, fs.ErrNotExist) {
			if !required {
				return nil, nil
			}
			wd, _ := os.Getwd()
			return nil, &configError{fmt.Sprintf("no --skill-package given and no %s/ directory in %s; pass --skill-package DIR (the skill package or ASK CLI project) or a bare interaction-model file",
				defaultSkillPackageDir, wd)}
		}
		path = defaultSkillPackageDir
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, &configError{fmt.Sprintf("--skill-package %s: %v", path, errors.Unwrap(err))}
	}
	src := &skillSource{path: path}
	if st.IsDir() {
		src.pkg, err = model.LoadSkillPackage(path)
	} else {
		src.bare, err = model.LoadModelFile(path)
	}
	if err != nil {
		return nil, &configError{err.Error()}
	}
	return src, nil
}

// model returns the interaction model for locale. A bare model file serves
// any locale.
func (s *skillSource) model(locale string) (*model.Model, error) {
	if s.bare != nil {
		return s.bare, nil
	}
	m, err := s.pkg.Model(locale)
	if err != nil {
		return nil, &configError{fmt.Sprintf("--locale %s: %v", locale, err)}
	}
	return m, nil
}

// simulatorOptions are the simulator options the skill package implies: the
// manifest's permissions, checked on every response. A bare model has no
// manifest, so none.
func (s *skillSource) simulatorOptions() []simulator.Option {
	if s == nil || s.pkg == nil {
		return nil
	}
	return []simulator.Option{simulator.WithSkillPackage(s.pkg)}
}

// describe names the source in reports.
func (s *skillSource) describe() string {
	if s.pkg != nil {
		return "skill package " + filepath.Clean(s.pkg.Dir)
	}
	return "interaction model " + filepath.Clean(s.path)
}
