package smapisim_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asksim/asksim/internal/smapisim"
)

func TestParseASKStates(t *testing.T) {
	for _, c := range []struct{ data, id, err string }{
		{`{"askcliStatesVersion":"2020-03-31","profiles":{"default":{"skillId":"amzn1.ask.skill.1","skillInfrastructure":{}}}}`, "amzn1.ask.skill.1", ""},
		{`{"profiles":{"__ENVIRONMENT_ASK_PROFILE__":{"skillId":"amzn1.ask.skill.2"},"other":{"skillId":"amzn1.ask.skill.3"}}}`, "amzn1.ask.skill.2", ""},
		{`{"profiles":{"work":{"skillId":"amzn1.ask.skill.4"},"empty":{}}}`, "amzn1.ask.skill.4", ""},
		{`{"profiles":{"a":{"skillId":"x"},"b":{"skillId":"y"}}}`, "", `profiles [a b] have skill ids`},
		{`{"profiles":{}}`, "", "no profile has a skillId"},
		{`{"profiles":[]}`, "", "states.json: json: cannot unmarshal"},
		{`not json`, "", "states.json: invalid character"},
	} {
		id, err := smapisim.ParseASKStates([]byte(c.data), ".ask/ask-states.json")
		if id != c.id || (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%s: %q, %v; want %q, %q", c.data, id, err, c.id, c.err)
		}
	}
}

func TestProjectSkillID(t *testing.T) {
	dir := t.TempDir()
	if _, found, err := smapisim.ProjectSkillID(dir); found || err != nil {
		t.Errorf("no file: found %v, %v", found, err)
	}
	os.MkdirAll(filepath.Join(dir, ".ask"), 0o755)
	os.WriteFile(filepath.Join(dir, ".ask", "ask-states.json"), []byte(`{"profiles":{"default":{"skillId":"amzn1.ask.skill.9"}}}`), 0o644)
	if id, found, err := smapisim.ProjectSkillID(dir); id != "amzn1.ask.skill.9" || !found || err != nil {
		t.Errorf("ProjectSkillID = %q, %v, %v", id, found, err)
	}
}

func FuzzParseASKStates(f *testing.F) {
	f.Add([]byte(`{"profiles":{"default":{"skillId":"amzn1.ask.skill.1"}}}`))
	f.Add([]byte(`{"profiles":{"a":{"skillId":"x"},"b":{"skillId":""}}}`))
	f.Add([]byte(`{"profiles":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		id, err := smapisim.ParseASKStates(data, "f.json")
		if (id == "") == (err == nil) {
			t.Fatalf("%q: id %q with error %v", data, id, err)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "f.json: ") {
			t.Fatalf("error %q does not name the file", err)
		}
	})
}
