package smapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/oauth"
	"github.com/asksim/asksim/fakes/smapi"
	"github.com/asksim/asksim/internal/testutil"
)

const (
	skillA = "amzn1.ask.skill.aaaaaaaa-0000-4000-8000-000000000001"
	skillB = "amzn1.ask.skill.bbbbbbbb-0000-4000-8000-000000000002"
	skillC = "amzn1.ask.skill.cccccccc-0000-4000-8000-000000000003"
)

// stubBackend plays Alexa without a model or a skill: captions say which
// session and turn answered and the invocation name of the model loaded
// last, so tests see session continuity and model updates.
type stubBackend struct {
	mu       sync.Mutex
	packages map[string]map[string][]byte
	opened   int
	closed   []int
	gate     chan struct{} // when set, Say waits for it
}

func newStub() *stubBackend { return &stubBackend{packages: map[string]map[string][]byte{}} }

func (b *stubBackend) LoadSkill(skillID string, files map[string][]byte) error {
	var m struct {
		Manifest map[string]any `json:"manifest"`
	}
	if err := json.Unmarshal(files["skill.json"], &m); err != nil || m.Manifest == nil {
		return &smapi.PackageError{File: "skill.json", Message: "no manifest"}
	}
	for name, data := range files {
		if !strings.HasPrefix(name, "interactionModels/custom/") {
			continue
		}
		if invocationName(data) == "" {
			return &smapi.PackageError{File: name, Line: 1, Col: 2, Path: "interactionModel.languageModel.invocationName", Message: "invocation name is empty"}
		}
	}
	b.mu.Lock()
	b.packages[skillID] = files
	b.mu.Unlock()
	return nil
}

func invocationName(model []byte) string {
	var m struct {
		InteractionModel struct {
			LanguageModel struct {
				InvocationName string `json:"invocationName"`
			} `json:"languageModel"`
		} `json:"interactionModel"`
	}
	json.Unmarshal(model, &m)
	return m.InteractionModel.LanguageModel.InvocationName
}

func (b *stubBackend) NewSession(ctx context.Context, key smapi.SessionKey) (smapi.Session, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.opened++
	return &stubSession{b: b, key: key, n: b.opened}, nil
}

func (b *stubBackend) Invoke(ctx context.Context, skillID string, body []byte) (*smapi.Invocation, error) {
	inv := &smapi.Invocation{Endpoint: "http://skill.test/" + skillID, Request: body, Duration: 7 * time.Millisecond}
	if bytes.Contains(body, []byte("boom")) {
		return inv, &smapi.Failure{Code: smapi.FailureSkill, Err: errors.New("the skill answered HTTP 500")}
	}
	inv.Response = json.RawMessage(`{"version":"1.0","response":{"shouldEndSession":true}}`)
	return inv, nil
}

func (b *stubBackend) closedSessions() []int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]int(nil), b.closed...)
}

type stubSession struct {
	b     *stubBackend
	key   smapi.SessionKey
	n     int
	turns int
}

func (s *stubSession) Say(ctx context.Context, utterance string) (*smapi.Turn, error) {
	if s.b.gate != nil {
		select {
		case <-s.b.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	s.turns++
	s.b.mu.Lock()
	name := invocationName(s.b.packages[s.key.SkillID]["interactionModels/custom/"+s.key.Locale+".json"])
	s.b.mu.Unlock()
	inv := smapi.Invocation{Endpoint: "http://skill.test", Request: json.RawMessage(fmt.Sprintf(`{"turn":%d}`, s.turns)),
		Response: json.RawMessage(`{"version":"1.0"}`), Duration: 42 * time.Millisecond}
	turn := &smapi.Turn{
		Captions:          []string{fmt.Sprintf("session %d turn %d %s: %s [%s]", s.n, s.turns, s.key.Locale, utterance, name)},
		ConsideredIntents: []json.RawMessage{json.RawMessage(`{"name":"EchoIntent","confirmationStatus":"NONE","slots":{}}`)},
		Invocations:       []smapi.Invocation{inv},
	}
	switch utterance {
	case "bye":
		turn.SessionEnded = true
	case "fail":
		inv.Response = json.RawMessage(`<html>`)
		turn.Invocations[0] = inv
		return turn, &smapi.Failure{Code: smapi.FailureSkill, Err: errors.New("the skill answered HTTP 500 with <html>")}
	}
	return turn, nil
}

func (s *stubSession) Close() {
	s.b.mu.Lock()
	s.b.closed = append(s.b.closed, s.n)
	s.b.mu.Unlock()
}

// model is an interaction model with an invocation name.
func model(name string) []byte {
	return []byte(`{"interactionModel":{"languageModel":{"invocationName":"` + name + `","intents":[]}}}`)
}

// examplePackage is the bundled example skill's package, read from disk.
func examplePackage(t testing.TB) map[string][]byte {
	t.Helper()
	dir := testutil.Fixture("skill", "skill-package")
	files := map[string][]byte{}
	for _, name := range []string{"skill.json", "interactionModels/custom/en-US.json"} {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = data
	}
	files["interactionModels/custom/en-GB.json"] = model("example skill")
	return files
}

// env is a SMAPI fake beside the LWA fake on one loopback address.
type env struct {
	t       testing.TB
	lwa     *oauth.Server
	api     *smapi.Server
	backend *stubBackend
	ts      *httptest.Server
	clock   *testutil.Clock
	client  *http.Client
	token   string // every scope, for the developer
}

func newEnv(t testing.TB, adjust ...func(*smapi.Config)) *env {
	t.Helper()
	clk := testutil.NewClock(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	lcfg := oauth.DefaultLWAConfig()
	lcfg.Now = clk.Now
	lcfg.Users = append(lcfg.Users, oauth.User{Username: "second", Password: "second-password"})
	lwa, err := oauth.New(lcfg)
	if err != nil {
		t.Fatal(err)
	}
	b := newStub()
	cfg := smapi.Config{Tokens: lwa, Backend: b, Now: clk.Now,
		Skills: []smapi.Skill{{ID: skillA, Files: examplePackage(t)}}}
	for _, a := range adjust {
		a(&cfg)
	}
	api, err := smapi.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(smapi.WithLWA(api, lwa))
	t.Cleanup(func() { ts.Close(); api.Close() })
	e := &env{t: t, lwa: lwa, api: api, backend: b, ts: ts, clock: clk,
		client: &http.Client{Timeout: 10 * time.Second}}
	e.token = e.mint(nil)
	return e
}

// mint returns an access token of the developer's with scopes (nil: all).
func (e *env) mint(scopes []string) string {
	e.t.Helper()
	if scopes != nil && len(scopes) == 0 {
		scopes = []string{"profile"}
	}
	tok, err := e.lwa.IssueLWATokens(oauth.LWADeveloper, oauth.LWAClientID, scopes)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok.AccessToken
}

type result struct {
	method string
	status int
	header http.Header
	body   []byte
}

func (r result) json(t testing.TB) map[string]any { t.Helper(); return testutil.Object(t, r.body) }

// call sends method path with the token as `ask smapi` does (Bearer);
// headers are extra "Name: value" lines.
func (e *env) call(token, method, path, body string, headers ...string) result {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.ts.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header[k] = []string{v} // as given: names in any case
	}
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return result{method, resp.StatusCode, resp.Header, data}
}

func (e *env) do(method, path, body string, headers ...string) result {
	e.t.Helper()
	return e.call(e.token, method, path, body, headers...)
}

// wantStatus checks the status and, for every answer, the request id;
// errors must have a JSON body with a message.
func wantStatus(t testing.TB, r result, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	if id := r.header.Get("x-amzn-RequestId"); len(id) != 36 {
		t.Errorf("x-amzn-RequestId %q, want a UUID", id)
	}
	if status >= 400 && r.method != http.MethodHead {
		if ct := r.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("error Content-Type %q", ct)
		}
		if msg, _ := r.json(t)["message"].(string); msg == "" {
			t.Errorf("error body %s has no message", r.body)
		}
	}
}

// violationPath returns the first violation's propertyPath.
func violationPath(t testing.TB, r result) string {
	t.Helper()
	var b struct {
		Violations []struct {
			Message           string `json:"message"`
			ValidationDetails struct {
				OriginalInstance struct {
					PropertyPath string `json:"propertyPath"`
				} `json:"originalInstance"`
			} `json:"validationDetails"`
		} `json:"violations"`
	}
	if err := json.Unmarshal(r.body, &b); err != nil || len(b.Violations) == 0 {
		t.Fatalf("no violations in %s", r.body)
	}
	return b.Violations[0].ValidationDetails.OriginalInstance.PropertyPath
}

const (
	devA     = "/v1/skills/" + skillA + "/stages/development"
	simsA    = "/v2/skills/" + skillA + "/stages/development/simulations"
	modelUS  = devA + "/interactionModel/locales/en-US"
	linkingA = devA + "/accountLinkingClient"
)

// simAnswer is a decoded get-skill-simulation answer.
type simAnswer struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Result *struct {
		AlexaExecutionInfo *struct {
			AlexaResponses []struct {
				Type    string `json:"type"`
				Content struct {
					Caption string `json:"caption"`
				} `json:"content"`
			} `json:"alexaResponses"`
			ConsideredIntents []json.RawMessage `json:"consideredIntents"`
		} `json:"alexaExecutionInfo"`
		SkillExecutionInfo *struct {
			Invocations []struct {
				InvocationRequest struct {
					Endpoint string          `json:"endpoint"`
					Body     json.RawMessage `json:"body"`
				} `json:"invocationRequest"`
				InvocationResponse *struct {
					Body json.RawMessage `json:"body"`
				} `json:"invocationResponse"`
				Metrics struct {
					SkillExecutionTimeInMilliseconds int64 `json:"skillExecutionTimeInMilliseconds"`
				} `json:"metrics"`
			} `json:"invocations"`
		} `json:"skillExecutionInfo"`
		Error *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	} `json:"result"`
}

// caption is the first caption, "" when there is none.
func (a simAnswer) caption() string {
	if a.Result == nil || a.Result.AlexaExecutionInfo == nil || len(a.Result.AlexaExecutionInfo.AlexaResponses) == 0 {
		return ""
	}
	return a.Result.AlexaExecutionInfo.AlexaResponses[0].Content.Caption
}

// simulate posts an utterance and returns the first GET's answer.
func (e *env) simulate(token, utterance, locale, mode string) simAnswer {
	e.t.Helper()
	id := e.post(token, utterance, locale, mode)
	return e.result(token, id)
}

func (e *env) result(token, id string) simAnswer {
	e.t.Helper()
	res := e.call(token, http.MethodGet, simsA+"/"+id, "")
	wantStatus(e.t, res, http.StatusOK)
	var a simAnswer
	if err := json.Unmarshal(res.body, &a); err != nil {
		e.t.Fatalf("simulation answer %s: %v", res.body, err)
	}
	if a.ID != id {
		e.t.Errorf("answer id %q, want %q", a.ID, id)
	}
	return a
}

func (e *env) post(token, utterance, locale, mode string) string {
	e.t.Helper()
	body := `{"input":{"content":"` + utterance + `"},"device":{"locale":"` + locale + `"}`
	if mode != "" {
		body += `,"session":{"mode":"` + mode + `"}`
	}
	res := e.call(token, http.MethodPost, simsA, body+"}")
	wantStatus(e.t, res, http.StatusOK)
	m := res.json(e.t)
	if m["status"] != smapi.StatusInProgress || m["result"] != nil {
		e.t.Fatalf("POST answer %s, want IN_PROGRESS with a null result", res.body)
	}
	id, _ := m["id"].(string)
	if loc := res.header.Get("Location"); loc != simsA+"/"+id {
		e.t.Errorf("Location %q, want %s/%s", loc, simsA, id)
	}
	return id
}
