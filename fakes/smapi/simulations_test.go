package smapi_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/oauth"
	"github.com/asksim/asksim/fakes/smapi"
)

func TestSimulation_ResultOnTheFirstGET(t *testing.T) {
	e := newEnv(t)
	a := e.simulate(e.token, "open example skill", "en-US", "FORCE_NEW_SESSION")
	if a.Status != smapi.StatusSuccessful || a.Result == nil || a.Result.Error != nil {
		t.Fatalf("answer %+v", a)
	}
	if got := a.caption(); got != "session 1 turn 1 en-US: open example skill [example skill]" {
		t.Errorf("caption %q", got)
	}
	ai := a.Result.AlexaExecutionInfo
	if ai.AlexaResponses[0].Type != "Speech" || len(ai.ConsideredIntents) != 1 || !strings.Contains(string(ai.ConsideredIntents[0]), `"EchoIntent"`) {
		t.Errorf("alexaExecutionInfo %+v", ai)
	}
	inv := a.Result.SkillExecutionInfo.Invocations
	if len(inv) != 1 || inv[0].InvocationRequest.Endpoint != "http://skill.test" || string(inv[0].InvocationRequest.Body) != `{"turn":1}` ||
		string(inv[0].InvocationResponse.Body) != `{"version":"1.0"}` || inv[0].Metrics.SkillExecutionTimeInMilliseconds != 42 {
		t.Errorf("invocations %+v", inv)
	}
}

// TestSimulation_Sessions follows ask dialog's turns
// (docs/smapi-contract.md §3.1): FORCE_NEW_SESSION opens, no session field
// continues, an ended session is not continued.
func TestSimulation_Sessions(t *testing.T) {
	e := newEnv(t)
	steps := []struct {
		utterance, mode, locale, caption string
		closed                           []int
	}{
		{"open example skill", "FORCE_NEW_SESSION", "en-US", "session 1 turn 1", nil},
		{"hello there", "", "en-US", "session 1 turn 2", nil},
		{"hello", "DEFAULT", "en-US", "session 1 turn 3", nil},
		// Another locale is another session.
		{"hello", "", "en-GB", "session 2 turn 1", nil},
		{"hello", "", "en-US", "session 1 turn 4", nil},
		{"open example skill", "FORCE_NEW_SESSION", "en-US", "session 3 turn 1", []int{1}},
		{"bye", "", "en-US", "session 3 turn 2", []int{1, 3}},
		{"hello again", "", "en-US", "session 4 turn 1", []int{1, 3}},
	}
	for i, s := range steps {
		a := e.simulate(e.token, s.utterance, s.locale, s.mode)
		if !strings.HasPrefix(a.caption(), s.caption) {
			t.Errorf("step %d (%s): caption %q, want %s…", i, s.utterance, a.caption(), s.caption)
		}
		if got := e.backend.closedSessions(); !slices.Equal(got, s.closed) {
			t.Errorf("step %d: closed sessions %v, want %v", i, got, s.closed)
		}
	}
}

func TestSimulation_ModelUpdateAppliesAtOnce(t *testing.T) {
	e := newEnv(t)
	e.simulate(e.token, "open example skill", "en-US", "FORCE_NEW_SESSION")
	wantStatus(t, e.do(http.MethodPut, modelUS, string(model("renamed skill"))), http.StatusAccepted)
	if a := e.simulate(e.token, "hello", "en-US", ""); !strings.HasSuffix(a.caption(), "[renamed skill]") || !strings.HasPrefix(a.caption(), "session 1 turn 2") {
		t.Errorf("caption %q, want the same session with the new model", a.caption())
	}
	// A refused model changes nothing.
	e.do(http.MethodPut, modelUS, string(model("")))
	if a := e.simulate(e.token, "hello", "en-US", ""); !strings.HasSuffix(a.caption(), "[renamed skill]") {
		t.Errorf("caption %q after a refused PUT", a.caption())
	}
}

func TestSimulation_SkillFaultIsFAILED(t *testing.T) {
	e := newEnv(t)
	a := e.simulate(e.token, "fail", "en-US", "")
	if a.Status != smapi.StatusFailed || a.Result.Error == nil || a.Result.Error.Code != smapi.FailureSkill ||
		!strings.Contains(a.Result.Error.Message, "HTTP 500") {
		t.Fatalf("answer %+v", a)
	}
	inv := a.Result.SkillExecutionInfo.Invocations
	// The request sent stays; an answer that is not JSON cannot be embedded.
	if len(inv) != 1 || string(inv[0].InvocationRequest.Body) != `{"turn":1}` || inv[0].InvocationResponse != nil {
		t.Errorf("invocations %+v", inv)
	}
	if a.Result.AlexaExecutionInfo != nil {
		t.Errorf("a failed turn has Alexa responses: %+v", a.Result.AlexaExecutionInfo)
	}
}

func TestSimulation_409WhileInProgress(t *testing.T) {
	e := newEnv(t)
	gate := make(chan struct{})
	e.backend.gate = gate
	id := e.post(e.token, "open example skill", "en-US", "")
	res := e.do(http.MethodPost, simsA, `{"input":{"content":"again"},"device":{"locale":"en-US"}}`)
	wantStatus(t, res, http.StatusConflict)
	if e.api.Requests()[1].Decision != smapi.DecisionConflict {
		t.Errorf("log %+v", e.api.Requests()[1])
	}
	// Another developer is not held up... (a second user of the LWA fake)
	other := e.otherDeveloper()
	otherID := e.post(other, "open example skill", "en-US", "")
	close(gate)
	if a := e.result(e.token, id); a.Status != smapi.StatusSuccessful {
		t.Errorf("first simulation %+v", a)
	}
	// ...and cannot read this developer's results.
	wantStatus(t, e.call(other, http.MethodGet, simsA+"/"+id, ""), http.StatusNotFound)
	if a := e.result(other, otherID); a.Status != smapi.StatusSuccessful {
		t.Errorf("other developer's simulation %+v", a)
	}
	e.post(e.token, "hello", "en-US", "")
}

// otherDeveloper returns an all-scope token of a second developer, served
// by a second LWA fake user.
func (e *env) otherDeveloper() string {
	e.t.Helper()
	tok, err := e.lwa.IssueLWATokens("second", oauth.LWAClientID, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok.AccessToken
}

func TestSimulation_ResultsExpireAfterTenMinutes(t *testing.T) {
	e := newEnv(t)
	id := e.post(e.token, "open example skill", "en-US", "")
	e.result(e.token, id)
	e.clock.Add(10*time.Minute - time.Second)
	e.result(e.token, id)
	e.clock.Add(time.Second)
	res := e.do(http.MethodGet, simsA+"/"+id, "")
	wantStatus(t, res, http.StatusNotFound)
	if !strings.Contains(res.json(t)["message"].(string), "10m0s") {
		t.Errorf("404 body %s", res.body)
	}
	wantStatus(t, e.do(http.MethodGet, simsA+"/not-a-simulation", ""), http.StatusNotFound)
	wantStatus(t, e.do(http.MethodGet, "/v2/skills/"+skillA+"/stages/live/simulations/"+id, ""), http.StatusNotFound)
}

func TestSimulation_MemoryIsBounded(t *testing.T) {
	e := newEnv(t, func(c *smapi.Config) { c.MaxResults, c.MaxSessions = 2, 1 })
	ids := []string{e.post(e.token, "one", "en-US", "")}
	e.result(e.token, ids[0])
	for _, u := range []string{"two", "three"} {
		id := e.post(e.token, u, "en-GB", "")
		e.result(e.token, id)
		ids = append(ids, id)
	}
	wantStatus(t, e.do(http.MethodGet, simsA+"/"+ids[0], ""), http.StatusNotFound)
	e.result(e.token, ids[2])
	// One session at most: en-GB's replaced en-US's.
	if got := e.backend.closedSessions(); !slices.Equal(got, []int{1}) {
		t.Errorf("closed sessions %v, want [1]", got)
	}
}

func TestSimulation_BadRequests(t *testing.T) {
	e := newEnv(t)
	for body, path := range map[string]string{
		`{"device":{"locale":"en-US"}}`:                                                                          "$.input.content",
		`{"input":{"content":"  "},"device":{"locale":"en-US"}}`:                                                 "$.input.content",
		`{"input":{"content":"hi"}}`:                                                                             "$.device.locale",
		`{"input":{"content":"hi"},"device":{"locale":"de-DE"}}`:                                                 "$.device.locale",
		`{"input":{"content":"hi"},"device":{"locale":"en-US"},"session":{"mode":"NEW"}}`:                        "$.session.mode",
		`{"input":{"content":"hi"},"device":{"locale":"en-US"},"simulation":{"type":"NFI_ISOLATED_SIMULATION"}}`: "$.simulation.type",
		`[1]`: "$",
	} {
		res := e.do(http.MethodPost, simsA, body)
		wantStatus(t, res, http.StatusBadRequest)
		if p := violationPath(t, res); p != path {
			t.Errorf("%s: violation at %s, want %s", body, p, path)
		}
	}
}

func TestSimulation_CloseEndsTurnsInFlight(t *testing.T) {
	e := newEnv(t)
	e.backend.gate = make(chan struct{}) // never opened
	id := e.post(e.token, "open example skill", "en-US", "")
	done := make(chan struct{})
	go func() { e.api.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not end the simulation in flight")
	}
	if a := e.result(e.token, id); a.Status != smapi.StatusFailed || !strings.Contains(a.Result.Error.Message, "context canceled") {
		t.Errorf("answer %+v", a)
	}
}

func TestInvocations(t *testing.T) {
	e := newEnv(t)
	env := `{"version":"1.0","request":{"type":"LaunchRequest"}}`
	type answer struct {
		Status string
		Result struct {
			SkillExecutionInfo struct {
				InvocationRequest struct {
					Endpoint string
					Body     json.RawMessage
				}
				InvocationResponse struct{ Body json.RawMessage }
				Metrics            struct{ SkillExecutionTimeInMilliseconds int64 }
			}
			Error *struct{ Code, Message string }
		}
	}
	for _, c := range []struct{ path, region, status string }{
		{"/v2/skills/" + skillA + "/stages/development/invocations", "default", "SUCCESSFUL"},
		{"/v1/skills/" + skillA + "/invocations", "EU", "SUCCEEDED"},
	} {
		res := e.do(http.MethodPost, c.path, `{"endpointRegion":"`+c.region+`","skillRequest":{"body":`+env+`}}`)
		wantStatus(t, res, http.StatusOK)
		var a answer
		json.Unmarshal(res.body, &a)
		x := a.Result.SkillExecutionInfo
		if a.Status != c.status || a.Result.Error != nil || string(x.InvocationRequest.Body) != env ||
			!strings.Contains(string(x.InvocationResponse.Body), "shouldEndSession") || x.Metrics.SkillExecutionTimeInMilliseconds != 7 {
			t.Errorf("%s: %s", c.path, res.body)
		}
		res = e.do(http.MethodPost, c.path, `{"endpointRegion":"`+c.region+`","skillRequest":{"body":{"boom":1}}}`)
		wantStatus(t, res, http.StatusOK)
		json.Unmarshal(res.body, &a)
		if a.Status != smapi.StatusFailed || a.Result.Error == nil || a.Result.Error.Code != smapi.FailureSkill {
			t.Errorf("%s failing: %s", c.path, res.body)
		}
	}
	for body, path := range map[string]string{
		`{"endpointRegion":"MARS","skillRequest":{"body":{}}}`: "$.endpointRegion",
		`{"endpointRegion":"NA","skillRequest":{"body":[]}}`:   "$.skillRequest.body",
		`{"endpointRegion":"NA"}`:                              "$.skillRequest",
	} {
		res := e.do(http.MethodPost, "/v1/skills/"+skillA+"/invocations", body)
		wantStatus(t, res, http.StatusBadRequest)
		if p := violationPath(t, res); p != path {
			t.Errorf("%s: violation at %s, want %s", body, p, path)
		}
	}
	// v1 has no "default" region.
	wantStatus(t, e.do(http.MethodPost, "/v1/skills/"+skillA+"/invocations", `{"endpointRegion":"default","skillRequest":{"body":{}}}`), http.StatusBadRequest)
}

func TestNew_RefusesBadConfig(t *testing.T) {
	e := newEnv(t)
	good := smapi.Skill{ID: skillA, Files: examplePackage(t)}
	for name, c := range map[string]smapi.Config{
		"no tokens":   {Backend: e.backend, Skills: []smapi.Skill{good}},
		"no backend":  {Tokens: e.lwa, Skills: []smapi.Skill{good}},
		"no skills":   {Tokens: e.lwa, Backend: e.backend},
		"bad id":      {Tokens: e.lwa, Backend: e.backend, Skills: []smapi.Skill{{ID: "my-skill", Files: good.Files}}},
		"twice":       {Tokens: e.lwa, Backend: e.backend, Skills: []smapi.Skill{good, good}},
		"no manifest": {Tokens: e.lwa, Backend: e.backend, Skills: []smapi.Skill{{ID: skillA, Files: map[string][]byte{}}}},
		"bad model":   {Tokens: e.lwa, Backend: e.backend, Skills: []smapi.Skill{{ID: skillA, Files: map[string][]byte{"skill.json": good.Files["skill.json"], "interactionModels/custom/en-US.json": model("")}}}},
		"bad linking": {Tokens: e.lwa, Backend: e.backend, Skills: []smapi.Skill{{ID: skillA, Files: good.Files, AccountLinking: []byte(`{"type":"X"}`)}}},
	} {
		if _, err := smapi.New(c); err == nil || !strings.HasPrefix(err.Error(), "smapi: ") {
			t.Errorf("%s: New = %v, want an error", name, err)
		}
	}
}
