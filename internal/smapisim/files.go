package smapisim

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// ReadSkillPackage reads the files of the skill package at dir that the
// SMAPI fake serves (smapi.Skill.Files): skill.json and
// interactionModels/custom/<locale>.json. dir may be an ASK CLI project
// root holding skill-package/, as for --skill-package.
func ReadSkillPackage(dir string) (map[string][]byte, error) {
	if _, err := os.Stat(filepath.Join(dir, "skill.json")); errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Stat(filepath.Join(dir, "skill-package", "skill.json")); err == nil {
			dir = filepath.Join(dir, "skill-package")
		}
	}
	files, err := PackageFiles(os.DirFS(dir))
	if err != nil {
		return nil, fmt.Errorf("skill package %s: %w", dir, err)
	}
	return files, nil
}

// PackageFiles reads the same files from the root of fsys, such as the
// example skill's embedded package.
func PackageFiles(fsys fs.FS) (map[string][]byte, error) {
	files := map[string][]byte{}
	data, err := fs.ReadFile(fsys, manifestFile)
	if err != nil {
		return nil, err
	}
	files[manifestFile] = data
	entries, err := fs.ReadDir(fsys, strings.TrimSuffix(modelDir, "/"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		name := path.Join(modelDir, e.Name())
		if files[name], err = fs.ReadFile(fsys, name); err != nil {
			return nil, err
		}
	}
	return files, nil
}

const (
	manifestFile = "skill.json"
	modelDir     = "interactionModels/custom/"
)

// ModelLocales lists the locales that have an interaction model in files,
// sorted.
func ModelLocales(files map[string][]byte) []string {
	var out []string
	for name := range files {
		if rest, ok := strings.CutPrefix(name, modelDir); ok && !strings.Contains(rest, "/") {
			if loc, ok := strings.CutSuffix(rest, ".json"); ok {
				out = append(out, loc)
			}
		}
	}
	slices.Sort(out)
	return out
}
