package smapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/smapi"
)

// opCase is a valid request for one operation, so that only the token
// decides the answer.
type opCase struct {
	name, method, path, body string
	ok                       int
	// setup prepares state (a simulation id, an account linking) with the
	// all-scope token and returns the path to call.
	setup func(e *env) string
}

const linkingBody = `{"accountLinkingRequest":{"type":"IMPLICIT","authorizationUrl":"https://auth.example.com/authorize","clientId":"c"}}`

func opCases() []opCase {
	return []opCase{
		{name: "get-vendor-list", method: "GET", path: "/v1/vendors", ok: 200},
		{name: "list-skills-for-vendor", method: "GET", path: "/v1/skills?vendorId=M2ASKSIMVENDOR", ok: 200},
		{name: "get-skill-manifest", method: "GET", path: devA + "/manifest", ok: 200},
		{name: "update-skill-manifest", method: "PUT", path: devA + "/manifest", body: `{"manifest":{"apis":{"custom":{}}}}`, ok: 202},
		{name: "get-interaction-model", method: "GET", path: modelUS, ok: 200},
		{name: "get-interaction-model-metadata", method: "HEAD", path: modelUS, ok: 204},
		{name: "set-interaction-model", method: "PUT", path: modelUS, body: string(model("example skill")), ok: 202},
		{name: "get-skill-status", method: "GET", path: "/v1/skills/" + skillA + "/status", ok: 200},
		{name: "get-account-linking-info", method: "GET", ok: 200, setup: func(e *env) string {
			e.do("PUT", linkingA, linkingBody)
			return linkingA
		}},
		{name: "update-account-linking-info", method: "PUT", path: linkingA, body: linkingBody, ok: 204},
		{name: "delete-account-linking-info", method: "DELETE", ok: 204, setup: func(e *env) string {
			e.do("PUT", linkingA, linkingBody)
			return linkingA
		}},
		{name: "get-skill-enablement-status", method: "GET", path: devA + "/enablement", ok: 204},
		{name: "set-skill-enablement", method: "PUT", path: devA + "/enablement", ok: 204},
		{name: "delete-skill-enablement", method: "DELETE", path: devA + "/enablement", ok: 204},
		{name: "simulate-skill", method: "POST", path: simsA, body: `{"input":{"content":"open example skill"},"device":{"locale":"en-US"}}`, ok: 200},
		{name: "get-skill-simulation", method: "GET", ok: 200, setup: func(e *env) string {
			return simsA + "/" + e.post(e.token, "hello", "en-US", "")
		}},
		{name: "invoke-skill-end-point", method: "POST", path: "/v2/skills/" + skillA + "/stages/development/invocations",
			body: `{"endpointRegion":"default","skillRequest":{"body":{"version":"1.0","request":{"type":"LaunchRequest"}}}}`, ok: 200},
		{name: "invoke-skill", method: "POST", path: "/v1/skills/" + skillA + "/invocations",
			body: `{"endpointRegion":"NA","skillRequest":{"body":{"version":"1.0","request":{"type":"LaunchRequest"}}}}`, ok: 200},
	}
}

// allowed is the scope table of docs/smapi.md, written out in full
// (readwrite granting read spelled out) so that it checks the server's own
// table rather than repeating it.
var allowed = map[string][]string{
	"get-vendor-list":                {smapi.ScopeSkillsRead, smapi.ScopeSkillsReadWrite},
	"list-skills-for-vendor":         {smapi.ScopeSkillsRead, smapi.ScopeSkillsReadWrite},
	"get-skill-manifest":             {smapi.ScopeSkillsRead, smapi.ScopeSkillsReadWrite},
	"update-skill-manifest":          {smapi.ScopeSkillsReadWrite},
	"get-interaction-model":          {smapi.ScopeModelsRead, smapi.ScopeModelsReadWrite},
	"get-interaction-model-metadata": {smapi.ScopeModelsRead, smapi.ScopeModelsReadWrite},
	"set-interaction-model":          {smapi.ScopeModelsReadWrite},
	"get-skill-status":               {smapi.ScopeSkillsRead, smapi.ScopeSkillsReadWrite, smapi.ScopeModelsRead, smapi.ScopeModelsReadWrite},
	"get-account-linking-info":       {smapi.ScopeSkillsReadWrite},
	"update-account-linking-info":    {smapi.ScopeSkillsReadWrite},
	"delete-account-linking-info":    {smapi.ScopeSkillsReadWrite},
	"get-skill-enablement-status":    {smapi.ScopeSkillsRead, smapi.ScopeSkillsReadWrite, smapi.ScopeSkillsTest},
	"set-skill-enablement":           {smapi.ScopeSkillsReadWrite},
	"delete-skill-enablement":        {smapi.ScopeSkillsReadWrite},
	"simulate-skill":                 {smapi.ScopeSkillsTest},
	"get-skill-simulation":           {smapi.ScopeSkillsTest},
	"invoke-skill-end-point":         {smapi.ScopeSkillsTest},
	"invoke-skill":                   {smapi.ScopeSkillsTest},
}

// TestScopeMatrix calls every operation with a token holding each SMAPI
// scope alone (and one holding none of them): 2xx exactly where the table
// allows it, else 403.
func TestScopeMatrix(t *testing.T) {
	cases := opCases()
	var names []string
	for _, c := range cases {
		names = append(names, c.name)
	}
	if got := newEnv(t).api.Operations(); !slices.Equal(got, names) {
		t.Fatalf("the server has operations %v; the matrix covers %v", got, names)
	}
	for _, c := range cases {
		for _, scope := range append(smapi.Scopes(), "none") {
			t.Run(c.name+"/"+scope, func(t *testing.T) {
				e := newEnv(t)
				path := c.path
				if c.setup != nil {
					path = c.setup(e)
				}
				var scopes []string
				if scope != "none" {
					scopes = []string{scope}
				} else {
					scopes = []string{}
				}
				res := e.call(e.mint(scopes), c.method, path, c.body)
				want := http.StatusForbidden
				if slices.Contains(allowed[c.name], scope) {
					want = c.ok
				}
				wantStatus(t, res, want)
				if ops := e.api.Requests(); ops[len(ops)-1].Operation != c.name {
					t.Errorf("logged as %q", ops[len(ops)-1].Operation)
				}
			})
		}
	}
}

func TestTokens_BothHeaderFormsAnyCase(t *testing.T) {
	e := newEnv(t)
	for _, h := range []string{
		"Authorization: Bearer " + e.token, // ask smapi
		"authorization: " + e.token,        // ask dialog
		"AUTHORIZATION: bearer " + e.token,
		"Authorization:   " + e.token + "  ",
	} {
		res := e.call("", http.MethodGet, "/v1/vendors", "", h)
		if res.status != http.StatusOK {
			t.Errorf("%.30s…: status %d %s", h, res.status, res.body)
		}
	}
}

func TestTokens_Refused(t *testing.T) {
	e := newEnv(t)
	for name, h := range map[string][]string{
		"none":    nil,
		"unknown": {"Authorization: Bearer Atza|never-issued"},
		"basic":   {"Authorization: Basic ZGV2ZWxvcGVyOng="},
		"empty":   {"Authorization: Bearer "},
	} {
		res := e.call("", http.MethodGet, devA+"/manifest", "", h...)
		wantStatus(t, res, http.StatusUnauthorized)
		if !strings.HasPrefix(res.header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s: WWW-Authenticate %q", name, res.header.Get("WWW-Authenticate"))
		}
	}
	// Expired: LWA tokens live an hour.
	e.clock.Add(time.Hour + time.Second)
	res := e.do(http.MethodGet, "/v1/vendors", "")
	wantStatus(t, res, http.StatusUnauthorized)
	// 401 comes before 404: an unknown skill needs a valid token to learn of.
	wantStatus(t, e.call("", http.MethodGet, "/v1/skills/x/stages/development/manifest", ""), http.StatusUnauthorized)
}

func TestRequestLog_RedactsTokens(t *testing.T) {
	e := newEnv(t, func(c *smapi.Config) { c.MaxLoggedRequests = 3 })
	for range 5 {
		e.do(http.MethodGet, "/v1/vendors", "")
	}
	e.call("", http.MethodGet, "/v1/vendors", "")
	log := e.api.Requests()
	if len(log) != 3 {
		t.Fatalf("%d entries kept, want 3", len(log))
	}
	if dump := fmt.Sprintf("%+v", log); strings.Contains(dump, e.token) || strings.Contains(dump, "Atza|") {
		t.Errorf("the log holds a token: %s", dump)
	}
	first, last := log[0], log[2]
	if first.Token == "" || !strings.HasPrefix(first.Token, "sha256:") || first.Developer != "developer" || first.Decision != smapi.DecisionOK ||
		first.Operation != "get-vendor-list" || first.Status != 200 || len(first.RequestID) != 36 {
		t.Errorf("entry %+v", first)
	}
	if last.Token != "" || last.Decision != smapi.DecisionBadToken || last.Status != 401 || last.Detail == "" {
		t.Errorf("refused entry %+v", last)
	}
	e.api.ResetRequests()
	if len(e.api.Requests()) != 0 {
		t.Error("ResetRequests kept entries")
	}
}

func TestFaults(t *testing.T) {
	e := newEnv(t)
	for _, err := range []error{
		e.api.Fail("get-vendor-list", 2, smapi.Fault{Status: 429}),
		e.api.Fail("/v1/vendors", 1, smapi.Fault{Status: 503, Body: `{"message":"custom"}`}),
		e.api.Fail("/v1/skills/{skillId}/stages/{stage}/manifest", 1, smapi.Fault{MalformedBody: true}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		path   string
		status int
		body   string
	}{
		{"/v1/vendors", 503, `{"message":"custom"}`}, // the exact path first
		{"/v1/vendors", 429, `{"message":"Too Many Requests"}`},
		{"/v1/vendors", 429, `{"message":"Too Many Requests"}`},
		{"/v1/vendors", 200, ""},
		{devA + "/manifest", 200, `{"message":"trunc`},
		{devA + "/manifest", 200, ""},
	}
	for i, s := range steps {
		res := e.do(http.MethodGet, s.path, "")
		if res.status != s.status || (s.body != "" && string(res.body) != s.body) || res.header.Get("x-amzn-RequestId") == "" {
			t.Errorf("step %d: %d %s, want %d %s", i, res.status, res.body, s.status, s.body)
		}
	}
	if r := e.api.Requests()[0]; r.Decision != smapi.DecisionFault || r.Status != 503 || r.Detail == "" {
		t.Errorf("log %+v", r)
	}
	if err := e.api.Fail("simulate-skill", 1, smapi.Fault{DropConnection: true}); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+simsA, strings.NewReader(`{}`))
	if resp, err := e.client.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("dropped connection answered %d", resp.StatusCode)
	}
	e.api.Fail("get-vendor-list", 5, smapi.Fault{Status: 500})
	e.api.Fail("get-vendor-list", 0, smapi.Fault{})
	wantStatus(t, e.do(http.MethodGet, "/v1/vendors", ""), http.StatusOK)
}

func TestFail_RefusesWhatCannotBePlayed(t *testing.T) {
	e := newEnv(t)
	for key, f := range map[string]smapi.Fault{
		"vendors":      {Status: 500},
		"/v1/vendors":  {Status: 42},
		"/v1/skills":   {Body: "x"},
		"invoke-skill": {Delay: -time.Second},
	} {
		err := e.api.Fail(key, 1, f)
		if err == nil || !strings.HasPrefix(err.Error(), "smapi: Fail") {
			t.Errorf("Fail(%q, %+v) = %v, want an error", key, f, err)
		}
	}
	wantStatus(t, e.do(http.MethodGet, "/v1/vendors", ""), http.StatusOK)
}

func TestLogLines_QuoteOutsideInput(t *testing.T) {
	var lines []string
	e := newEnv(t, func(c *smapi.Config) {
		c.Logf = func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) }
	})
	e.do(http.MethodGet, "/v1/skills/x%0D%0Aforged%20line/status", "")
	if len(lines) != 1 || strings.ContainsAny(lines[0], "\r\n") || !strings.Contains(lines[0], `"/v1/skills/x\r\nforged line/status"`) {
		t.Errorf("log lines %q", lines)
	}
}
