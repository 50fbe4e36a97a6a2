package model_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/asksim/asksim/simulator/model"
)

// FuzzResolve checks that no utterance makes Resolve or ResolveSlot panic,
// and that Resolve's result keeps its invariants.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{
		"open travel buddy", "ask travel buddy to book a flight from new york to paris on june fifth",
		"remind me to pack at quarter to eight pm", "remind me to pack in an hour and a half",
		"book twenty two thousand and five seats to tokyo", "the 101st one", "{toCity}", "7:30:12", "2025-02-30",
		"minus minus five", "a a a a hundred", "what's the weather in in in", "’'’", "\x00\xff",
	} {
		f.Add(s)
	}
	m := loadTravel(f)
	f.Fuzz(func(t *testing.T, utterance string) {
		r, err := m.Resolve(utterance)
		if err != nil {
			var nm *model.NoMatchError
			if r != nil || (!errors.As(err, &nm) && !errors.Is(err, model.ErrEmptyUtterance) && len(model.Words(utterance)) <= model.MaxWords) {
				t.Fatalf("Resolve(%q) = %v, %v", utterance, r, err)
			}
		} else {
			if r.Kind == model.KindIntent && m.Intent(r.Intent) == nil {
				t.Fatalf("Resolve(%q) chose unknown intent %q", utterance, r.Intent)
			}
			if len(r.Why) == 0 {
				t.Fatalf("Resolve(%q) has no Why", utterance)
			}
		}
		_, _ = m.ResolveSlot("BookFlightIntent", "travelDate", utterance)
		_, _ = m.ResolveConfirmation(utterance)
	})
}

// FuzzParseModel checks that no file content makes the loader panic.
func FuzzParseModel(f *testing.F) {
	f.Add([]byte(`{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","slots":[{"name":"n","type":"AMAZON.NUMBER","samples":["{n}"]}],"samples":["a {n}"]}]},"dialog":{"intents":[{"name":"A","slots":[{"name":"n","elicitationRequired":true,"prompts":{"elicitation":"P"}}]}]},"prompts":[{"id":"P","variations":[{"type":"PlainText","value":"n?"}]}]}}`))
	f.Add([]byte(`{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","samples":["{"]}]}}}`))
	f.Add([]byte(`[{]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := model.ParseModel("fuzz.json", data)
		if err == nil {
			_, _ = m.Resolve("a one")
			return
		}
		var le *model.LoadError
		if !errors.As(err, &le) || le.File != "fuzz.json" {
			t.Fatalf("ParseModel error %v is not a *LoadError naming the file", err)
		}
	})
}

// FuzzParseManifest checks that no skill.json makes the manifest loader
// panic, that its errors name the file, and that a manifest it accepts has
// a non-nil permission list.
func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(`{"manifest":{"publishingInformation":{"locales":{"en-US":{"name":"x"}}},"apis":{"custom":{"endpoint":{"uri":"https://x"}}},"permissions":[{"name":"alexa::profile:email:read"}]}}`))
	f.Add([]byte(`{"manifest":{"permissions":[{"nom":"x"}]}}`))
	f.Add([]byte(`{"manifest":{"permissions":{}}}`))
	f.Add([]byte("{\"manifest\":\n[]}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := model.ParseManifest("skill.json", data)
		if err != nil {
			var le *model.LoadError
			if !errors.As(err, &le) || le.File != "skill.json" {
				t.Fatalf("ParseManifest error %v is not a *LoadError naming the file", err)
			}
			return
		}
		if m.Permissions == nil || m.Locales == nil {
			t.Fatalf("accepted manifest has nil lists: %+v", m)
		}
	})
}

// FuzzLoadSkillPackage loads skill packages, seeded with the example
// skill's and the travel model's, through the loader the CLI and features
// use: the manifest, a model whose file name is the locale, and the
// package's own checks. An error must be a *LoadError naming a file of the
// package; a package it accepts must serve every locale it lists.
func FuzzLoadSkillPackage(f *testing.F) {
	for _, dir := range []string{"../../fixtures/skill/skill-package", travelDir} {
		manifest, err := os.ReadFile(filepath.Join(dir, "skill.json"))
		if err != nil {
			f.Fatal(err)
		}
		m, err := os.ReadFile(filepath.Join(dir, "interactionModels", "custom", "en-US.json"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(manifest, m, "en-US.json")
	}
	f.Add([]byte(`{"manifest":{}}`), []byte(`{}`), "de-DE.json")
	f.Add([]byte(`{"manifest":{}}`), []byte(`{}`), "notes.txt")
	f.Fuzz(func(t *testing.T, manifest, interactionModel []byte, name string) {
		if !fs.ValidPath("interactionModels/custom/" + name) {
			return
		}
		fsys := fstest.MapFS{
			"skill.json":                       {Data: manifest},
			"interactionModels/custom/" + name: {Data: interactionModel},
		}
		p, err := model.LoadSkillPackageFS(fsys, "pkg")
		if err != nil {
			var le *model.LoadError
			if !errors.As(err, &le) || !strings.HasPrefix(le.File, "pkg") {
				t.Fatalf("LoadSkillPackageFS error %v is not a *LoadError naming a file of the package", err)
			}
			return
		}
		locales := p.Locales()
		if len(locales) == 0 {
			t.Fatal("accepted a package without a locale")
		}
		for _, loc := range locales {
			m, err := p.Model(loc)
			if err != nil || m == nil {
				t.Fatalf("Model(%q) of a listed locale: %v", loc, err)
			}
			_, _ = m.Resolve("open " + m.InvocationName)
		}
		_ = p.Permissions()
		_ = p.Declares("alexa::profile:email:read")
	})
}
