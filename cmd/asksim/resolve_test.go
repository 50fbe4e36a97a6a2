package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var examplePackage = filepath.Join("..", "..", "fixtures", "skill", "skill-package")

func TestResolve_PrintsIntentSlotsAndWhy(t *testing.T) {
	code, stdout, stderr := runCLI(t, "resolve", "order two coffees", "--skill-package", examplePackage)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{
		"intent:    OrderIntent",
		`sample:    "order {quantity} {item}"`,
		`"coffees"  ER_SUCCESS_MATCH coffee (id COFFEE)`,
		`"2" (heard "two")`,
		`why:`,
		`slot item (ItemType) = "coffees": synonym of "coffee"`,
		"matching:  by sample",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

// "what's my email" reaches the sample "what is my email" (contractions
// are written out), and the output says matching is by sample.
func TestResolve_Contraction(t *testing.T) {
	code, stdout, stderr := runCLI(t, "resolve", "ask example skill what's my email address", "--skill-package", examplePackage)
	if code != 0 || !strings.Contains(stdout, "intent:    GetEmailIntent") || !strings.Contains(stdout, "matching:  by sample") {
		t.Errorf("exit %d\n%s\n%s", code, stdout, stderr)
	}
}

func TestResolve_JSON(t *testing.T) {
	code, stdout, stderr := runCLI(t, "resolve", "ask", "example", "skill", "to", "order", "a", "latte", "--skill-package", examplePackage, "--json",
		"--skill-id", "amzn1.ask.skill.11111111-2222-3333-4444-555555555555")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	// The fields scripts read; model's tests pin the whole form.
	var got struct {
		Match, NewSession bool
		Intent, Request   string
		Why               []string
		Slots             []struct {
			Name, Value string
			Resolution  *struct {
				Authority, Status string
				Values            []struct{ Name, ID string }
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if !got.Match || got.Intent != "OrderIntent" || !got.NewSession || got.Request != "IntentRequest" || len(got.Slots) != 2 || len(got.Why) == 0 {
		t.Fatalf("resolution = %+v", got)
	}
	item := got.Slots[0]
	want := "amzn1.er-authority.echo-sdk.amzn1.ask.skill.11111111-2222-3333-4444-555555555555.ItemType"
	if item.Value != "latte" || item.Resolution == nil || item.Resolution.Authority != want ||
		item.Resolution.Status != "ER_SUCCESS_MATCH" || len(item.Resolution.Values) != 1 || item.Resolution.Values[0].ID != "LATTE" {
		t.Errorf("item = %+v %+v", item, item.Resolution)
	}
	if q := got.Slots[1]; q.Name != "quantity" || q.Value != "" || q.Resolution != nil {
		t.Errorf("quantity = %+v, want unfilled", q)
	}
}

func TestResolve_LaunchFromDefaultDirectory(t *testing.T) {
	t.Chdir(filepath.Join("..", "..", "fixtures", "skill")) // holds skill-package/
	code, stdout, stderr := runCLI(t, "resolve", "open example skill")
	if code != 0 || !strings.Contains(stdout, "request:   LaunchRequest in a new session") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// bareModel is an interaction model without AMAZON.FallbackIntent.
const bareModel = `{"interactionModel":{"languageModel":{"invocationName":"greeter",
 "intents":[{"name":"HelloIntent","samples":["say hello","say hello to {name}"],
   "slots":[{"name":"name","type":"AMAZON.FirstName"}]}]}}}`

func TestResolve_NoMatchExits1WithClosestSamples(t *testing.T) {
	file := filepath.Join(t.TempDir(), "model.json")
	if err := os.WriteFile(file, []byte(bareModel), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "resolve", "say goodbye", "--skill-package", file)
	if code != 1 || !strings.Contains(stderr, `no intent matches "say goodbye"; closest samples: HelloIntent: say hello`) || stdout != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, _ = runCLI(t, "resolve", "say goodbye", "--skill-package", file, "--json")
	var got struct {
		Match   bool
		Closest []string
	}
	if code != 1 || json.Unmarshal([]byte(stdout), &got) != nil || got.Match || len(got.Closest) == 0 {
		t.Errorf("--json: exit %d, stdout %q", code, stdout)
	}
	// The same model resolves its own samples.
	code, stdout, _ = runCLI(t, "resolve", "say hello to anna", "--skill-package", file)
	if code != 0 || !strings.Contains(stdout, "intent:    HelloIntent") || !strings.Contains(stdout, `name  AMAZON.FirstName  "anna"`) {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
}

func TestResolve_ConfigErrorsExit2(t *testing.T) {
	broken := t.TempDir()
	if err := os.WriteFile(filepath.Join(broken, "skill.json"), []byte("{\n  \"manifest\": {\n    \"permissions\": [{\"name\": \"\"}]\n  }\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--skill-package", broken}, filepath.Join(broken, "skill.json") + ":3:"},
		{[]string{"--skill-package", filepath.Join(empty, "nope")}, "--skill-package " + filepath.Join(empty, "nope") + ": no such file or directory"},
		{[]string{"--skill-package", examplePackage, "--locale", "de-DE"}, `--locale de-DE: model: skill package`},
	}
	for _, c := range cases {
		code, _, stderr := runCLI(t, append([]string{"resolve", "hello"}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 naming %q", c.args, code, stderr, c.want)
		}
	}
	t.Chdir(empty)
	code, _, stderr := runCLI(t, "resolve", "hello")
	if code != 2 || !strings.Contains(stderr, "no --skill-package given and no skill-package/ directory in") {
		t.Errorf("no package: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "resolve")
	if code != 2 || !strings.Contains(stderr, "want an utterance") {
		t.Errorf("no utterance: exit %d, stderr %q", code, stderr)
	}
}
