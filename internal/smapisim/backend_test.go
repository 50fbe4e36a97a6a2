package smapisim_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asksim/asksim/fakes/smapi"
	"github.com/asksim/asksim/internal/smapisim"
	"github.com/asksim/asksim/internal/testutil"
	"github.com/asksim/asksim/simulator"
)

func TestSession_ResolvesCallsAndReports(t *testing.T) {
	w := newWorld(t)
	s, err := w.backend.NewSession(ctx, smapi.SessionKey{Developer: "developer", SkillID: skillID, Stage: "development", Locale: "en-US"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	turn, err := s.Say(ctx, "open example skill")
	if err != nil {
		t.Fatal(err)
	}
	if len(turn.Captions) != 1 || !strings.HasPrefix(turn.Captions[0], "Welcome to Example Skill.") || turn.SessionEnded {
		t.Errorf("launch turn %+v", turn)
	}
	if len(turn.Invocations) != 1 || len(turn.ConsideredIntents) != 0 {
		t.Fatalf("launch: %d invocations, %d intents", len(turn.Invocations), len(turn.ConsideredIntents))
	}
	inv := turn.Invocations[0]
	// The envelope recorded is the one the skill received, byte for byte.
	if string(inv.Request) != string(w.lastRequest()) || inv.Endpoint != w.skill.URL || !json.Valid(inv.Response) {
		t.Errorf("invocation %s → %s at %s", inv.Request, inv.Response, inv.Endpoint)
	}
	var env simulator.Envelope
	if err := json.Unmarshal(inv.Request, &env); err != nil {
		t.Fatal(err)
	}
	if env.Context.System.APIEndpoint != w.api.URL || env.Context.System.Application.ApplicationID != skillID || env.Request.Locale != "en-US" {
		t.Errorf("envelope apiEndpoint %s, application %s, locale %s", env.Context.System.APIEndpoint, env.Context.System.Application.ApplicationID, env.Request.Locale)
	}
	// The consent travels in the token: the skill reads the email from the
	// Alexa API fake.
	turn, err = s.Say(ctx, "what's my email")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(turn.Captions[0], "@") || len(turn.ConsideredIntents) != 1 || !strings.Contains(string(turn.ConsideredIntents[0]), `"name":"GetEmailIntent"`) {
		t.Errorf("email turn: captions %q, intents %s", turn.Captions, turn.ConsideredIntents)
	}
	if err := json.Unmarshal(w.lastRequest(), &env); err != nil || env.Session == nil || env.Session.New {
		t.Errorf("the second turn is not in the same session: %s", w.lastRequest())
	}
	turn, err = s.Say(ctx, "stop")
	if err != nil || !turn.SessionEnded {
		t.Errorf("stop: %+v, %v; want the session ended", turn, err)
	}
}

func TestSession_DialogDelegationWithModelPrompts(t *testing.T) {
	w := newWorld(t)
	s, _ := w.backend.NewSession(ctx, smapi.SessionKey{Developer: "developer", SkillID: skillID, Stage: "development", Locale: "en-US"})
	defer s.Close()
	s.Say(ctx, "open example skill")
	// OrderIntent is auto-delegated: Alexa asks for the quantity itself,
	// with the model's prompt, and the skill hears nothing yet.
	turn, err := s.Say(ctx, "order coffee")
	if err != nil {
		t.Fatal(err)
	}
	if len(turn.Invocations) != 0 || len(turn.Captions) != 1 || !strings.Contains(strings.ToLower(turn.Captions[0]), "how many") {
		t.Errorf("delegated turn: %d invocations, captions %q", len(turn.Invocations), turn.Captions)
	}
}

func TestSession_ModelUpdateAppliesAtOnce(t *testing.T) {
	w := newWorld(t)
	s, _ := w.backend.NewSession(ctx, smapi.SessionKey{Developer: "developer", SkillID: skillID, Stage: "development", Locale: "en-US"})
	defer s.Close()
	s.Say(ctx, "open example skill")
	files := clone(w.files)
	files["interactionModels/custom/en-US.json"] = []byte(strings.Replace(string(files["interactionModels/custom/en-US.json"]),
		`"what's my email"`, `"what's my email", "read me my inbox address"`, 1))
	if err := w.backend.LoadSkill(skillID, files); err != nil {
		t.Fatal(err)
	}
	turn, err := s.Say(ctx, "read me my inbox address")
	if err != nil || len(turn.ConsideredIntents) != 1 || !strings.Contains(string(turn.ConsideredIntents[0]), "GetEmailIntent") {
		t.Errorf("turn with the new sample: %v, %+v", err, turn)
	}
}

func clone(m map[string][]byte) map[string][]byte {
	out := map[string][]byte{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestLoadSkill_ErrorsNameFileAndPath(t *testing.T) {
	w := newWorld(t)
	files := clone(w.files)
	files["interactionModels/custom/en-US.json"] = []byte(strings.Replace(string(files["interactionModels/custom/en-US.json"]),
		`"order {quantity} {item}"`, `"order {quantity} {itm}"`, 1))
	err := w.backend.LoadSkill(skillID, files)
	var pe *smapi.PackageError
	if !errors.As(err, &pe) {
		t.Fatalf("LoadSkill = %v, want a *smapi.PackageError", err)
	}
	if pe.File != "interactionModels/custom/en-US.json" || !strings.HasPrefix(pe.Path, "interactionModel.languageModel.intents[") ||
		!strings.Contains(pe.Path, "samples[") || pe.Line == 0 || !strings.Contains(pe.Message, "{itm}") {
		t.Errorf("PackageError %+v", pe)
	}
	// The refused package changed nothing.
	s, _ := w.backend.NewSession(ctx, smapi.SessionKey{Developer: "d", SkillID: skillID, Locale: "en-US"})
	defer s.Close()
	if _, err := s.Say(ctx, "order two coffee"); err != nil {
		t.Errorf("the old model no longer works: %v", err)
	}
	if err := w.backend.LoadSkill(skillID, map[string][]byte{"skill.json": []byte(`{}`)}); !errors.As(err, &pe) || pe.File != "skill.json" {
		t.Errorf("manifest error %v", err)
	}
}

func TestSession_Failures(t *testing.T) {
	w := newWorld(t)
	files := clone(w.files)
	files["interactionModels/custom/en-US.json"] = []byte(strings.Replace(string(files["interactionModels/custom/en-US.json"]),
		`{ "name": "AMAZON.FallbackIntent", "samples": [] },`, ``, 1))
	if string(files["interactionModels/custom/en-US.json"]) == string(w.files["interactionModels/custom/en-US.json"]) {
		t.Fatal("the test model still has AMAZON.FallbackIntent; adjust the replacement")
	}
	if err := w.backend.LoadSkill(skillID, files); err != nil {
		t.Fatal(err)
	}
	s, _ := w.backend.NewSession(ctx, smapi.SessionKey{Developer: "d", SkillID: skillID, Locale: "en-US"})
	defer s.Close()
	_, err := s.Say(ctx, "sing me a song about turtles")
	var f *smapi.Failure
	if !errors.As(err, &f) || f.Code != smapi.FailureNoMatch || !strings.Contains(err.Error(), "closest samples") {
		t.Errorf("no match: %v", err)
	}
	w.skill.Close()
	turn, err := s.Say(ctx, "open example skill")
	if !errors.As(err, &f) || f.Code != smapi.FailureSkill || turn == nil || len(turn.Invocations) != 1 || !turn.SessionEnded {
		t.Errorf("skill down: %v, %+v", err, turn)
	}
}

func TestInvoke_PassesTheEnvelopeUnchanged(t *testing.T) {
	w := newWorld(t)
	body := []byte(`{"version":"1.0","session":{"new":true,"sessionId":"amzn1.echo-api.session.x","application":{"applicationId":"` + skillID +
		`"},"user":{"userId":"amzn1.ask.account.X"}},"context":{"System":{"application":{"applicationId":"` + skillID +
		`"},"user":{"userId":"amzn1.ask.account.X"},"apiEndpoint":"https://api.amazonalexa.com"}},` +
		`"request":{"type":"LaunchRequest","requestId":"amzn1.echo-api.request.1","timestamp":"2025-01-01T00:00:00Z","locale":"en-US"}}`)
	inv, err := w.backend.Invoke(ctx, skillID, body)
	if err != nil {
		t.Fatal(err)
	}
	if got := w.backend.Endpoint(skillID); got != w.skill.URL {
		t.Errorf("Endpoint = %q, want %q", got, w.skill.URL)
	}
	if string(w.lastRequest()) != string(body) || string(inv.Request) != string(body) || !strings.Contains(string(inv.Response), "Welcome") {
		t.Errorf("invocation %+v", inv)
	}
	w.skill.Close()
	if inv, err := w.backend.Invoke(ctx, skillID, body); err == nil || inv == nil || inv.Response != nil {
		t.Errorf("skill down: %+v, %v", inv, err)
	}
	if _, err := w.backend.Invoke(ctx, "amzn1.ask.skill.other", body); err == nil {
		t.Error("an unknown skill was invoked")
	}
}

func TestReadSkillPackage(t *testing.T) {
	root := testutil.Fixture("skill")
	files, err := smapisim.ReadSkillPackage(root) // a project root: skill-package/ below
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files["skill.json"] == nil || files["interactionModels/custom/en-US.json"] == nil || strings.Join(smapisim.ModelLocales(files), ",") != "en-US" {
		t.Errorf("files %v", keys(files))
	}
	if _, err := smapisim.ReadSkillPackage(t.TempDir()); err == nil || !strings.Contains(err.Error(), "skill.json") {
		t.Errorf("empty dir: %v", err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "skill.json"), []byte(`{}`), 0o644)
	if files, err := smapisim.ReadSkillPackage(dir); err != nil || len(files) != 1 {
		t.Errorf("manifest only: %v, %v", keys(files), err)
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestNewStack_RefusesABrokenPackage(t *testing.T) {
	w := newWorld(t)
	files := clone(w.files)
	files["interactionModels/custom/en-US.json"] = []byte(`{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A","samples":["{nope}"]}]}}}`)
	_, err := smapisim.NewStack(smapisim.StackConfig{SkillID: skillID, Files: files, Backend: w.cfg})
	if err == nil || !strings.Contains(err.Error(), "interactionModels/custom/en-US.json") || !strings.Contains(err.Error(), "samples[0]") {
		t.Errorf("NewStack = %v, want the file and JSON path at fault", err)
	}
	if _, err := smapisim.NewStack(smapisim.StackConfig{SkillID: "my-skill", Files: w.files, Backend: w.cfg}); err == nil {
		t.Error("NewStack accepted a skill id ask dialog refuses")
	}
}
