package smapisim_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/oauth"
	"github.com/asksim/asksim/internal/smapisim"
)

// stack is what asksim fakes --smapi-addr serves (NewStack), over the
// world's skill and Alexa API fake, on loopback.
type stack struct {
	*world
	*smapisim.Stack
	ts     *httptest.Server
	token  string
	client *http.Client
}

func newStack(t testing.TB) *stack {
	t.Helper()
	w := newWorld(t)
	st, err := smapisim.NewStack(smapisim.StackConfig{SkillID: skillID, Files: w.files, Backend: w.cfg})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(st.Handler())
	t.Cleanup(func() { ts.Close(); st.Close() })
	tok, err := st.LWA.IssueLWATokens(oauth.LWADeveloper, oauth.LWAClientID, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &stack{world: w, Stack: st, ts: ts, token: tok.AccessToken,
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 8}}}
}

func (s *stack) do(method, path, body string) (int, []byte) {
	s.t.Helper()
	req, _ := http.NewRequest(method, s.ts.URL+path, strings.NewReader(body))
	req.Header.Set("authorization", s.token) // as ask dialog sends it
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

const sims = "/v2/skills/" + skillID + "/stages/development/simulations"

// turn posts a simulation and returns the first GET's answer.
func (s *stack) turn(utterance string, force bool) (caption string, answer map[string]any) {
	s.t.Helper()
	body := `{"input":{"content":"` + utterance + `"},"device":{"locale":"en-US"}`
	if force {
		body += `,"session":{"mode":"FORCE_NEW_SESSION"}`
	}
	status, data := s.do(http.MethodPost, sims, body+"}")
	var post struct{ ID string }
	if status != 200 || json.Unmarshal(data, &post) != nil {
		s.t.Fatalf("POST: %d %s", status, data)
	}
	status, data = s.do(http.MethodGet, sims+"/"+post.ID, "")
	if status != 200 || json.Unmarshal(data, &answer) != nil || answer["status"] != "SUCCESSFUL" {
		s.t.Fatalf("GET: %d %s", status, data)
	}
	var a struct {
		Result struct {
			AlexaExecutionInfo struct {
				AlexaResponses []struct{ Content struct{ Caption string } }
			}
		}
	}
	json.Unmarshal(data, &a)
	if len(a.Result.AlexaExecutionInfo.AlexaResponses) > 0 {
		caption = a.Result.AlexaExecutionInfo.AlexaResponses[0].Content.Caption
	}
	return caption, answer
}

// TestThroughSMAPI plays what `ask smapi set-interaction-model` and
// `ask dialog` do, over HTTP: the model PUT is checked by the loader and
// the next turn resolves against it.
func TestThroughSMAPI(t *testing.T) {
	s := newStack(t)
	if c, _ := s.turn("open example skill", true); !strings.HasPrefix(c, "Welcome to Example Skill.") {
		t.Errorf("launch caption %q", c)
	}
	model := s.files["interactionModels/custom/en-US.json"]
	bad := strings.Replace(string(model), `"order {item}"`, `"order {itm}"`, 1)
	status, data := s.do(http.MethodPut, "/v1/skills/"+skillID+"/stages/development/interactionModel/locales/en-US", bad)
	if status != 400 || !strings.Contains(string(data), `"propertyPath":"$.interactionModel.languageModel.intents[`) {
		t.Errorf("bad model: %d %s", status, data)
	}
	good := strings.Replace(string(model), `"what's my email"`, `"what's my email", "spell my inbox"`, 1)
	if status, data := s.do(http.MethodPut, "/v1/skills/"+skillID+"/stages/development/interactionModel/locales/en-US", good); status != 202 {
		t.Fatalf("good model: %d %s", status, data)
	}
	c, ans := s.turn("spell my inbox", false)
	if !strings.Contains(c, "@") {
		t.Errorf("new sample: caption %q, answer %v", c, ans)
	}
}

// BenchmarkSimulatedTurn measures one simulated turn over loopback (the
// POST and the first GET, resolution and the skill call) against a bare
// POST of the same LaunchRequest envelope to the same skill, through the
// same kind of client. The ratio of their ns/op is what simulating costs.
func BenchmarkSimulatedTurn(b *testing.B) {
	s := newStack(b)
	s.turn("open example skill", true)
	envelope := s.lastRequest()
	b.Run("baseline-bare-post", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			resp, err := s.client.Post(s.skill.URL, "application/json", strings.NewReader(string(envelope)))
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatal(resp.StatusCode)
			}
		}
	})
	b.Run("simulated-turn", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s.turn("open example skill", true)
		}
	})
}
