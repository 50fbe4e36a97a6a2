package smapi_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/asksim/asksim/fakes/smapi"
)

func TestVendors(t *testing.T) {
	e := newEnv(t)
	res := e.do(http.MethodGet, "/v1/vendors", "")
	wantStatus(t, res, http.StatusOK)
	if got := string(res.body); got != `{"vendors":[{"name":"asksim","id":"M2ASKSIMVENDOR","roles":["ROLE_ADMINISTRATOR"]}]}` {
		t.Errorf("body %s", got)
	}
}

func TestListSkills_PagingAndFilter(t *testing.T) {
	e := newEnv(t, func(c *smapi.Config) {
		for _, id := range []string{skillB, skillC} {
			c.Skills = append(c.Skills, smapi.Skill{ID: id, Files: examplePackage(t)})
		}
	})
	type page struct {
		Skills []struct {
			SkillID, Stage, PublicationStatus string
			APIs                              []string
			NameByLocale                      map[string]string
		}
		IsTruncated bool
		NextToken   string
	}
	get := func(q string) page {
		t.Helper()
		res := e.do(http.MethodGet, "/v1/skills?vendorId=M2ASKSIMVENDOR"+q, "")
		wantStatus(t, res, http.StatusOK)
		var p page
		if err := json.Unmarshal(res.body, &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	p1 := get("&maxResults=2")
	if len(p1.Skills) != 2 || !p1.IsTruncated || p1.NextToken == "" || p1.Skills[0].SkillID != skillA || p1.Skills[1].SkillID != skillB {
		t.Fatalf("first page %+v", p1)
	}
	if s := p1.Skills[0]; s.Stage != "development" || s.PublicationStatus != "DEVELOPMENT" || !slices.Equal(s.APIs, []string{"custom"}) || s.NameByLocale["en-US"] != "Example Skill" {
		t.Errorf("summary %+v", s)
	}
	p2 := get("&maxResults=2&nextToken=" + p1.NextToken)
	if len(p2.Skills) != 1 || p2.IsTruncated || p2.NextToken != "" || p2.Skills[0].SkillID != skillC {
		t.Errorf("second page %+v", p2)
	}
	if f := get("&skillId=" + skillC + "&skillId=" + skillA); len(f.Skills) != 2 || f.Skills[0].SkillID != skillA {
		t.Errorf("filtered %+v", f)
	}
	for q, status := range map[string]int{
		"/v1/skills":                  http.StatusBadRequest,
		"/v1/skills?vendorId=M1OTHER": http.StatusForbidden,
		"/v1/skills?vendorId=M2ASKSIMVENDOR&maxResults=51":                            http.StatusBadRequest,
		"/v1/skills?vendorId=M2ASKSIMVENDOR&maxResults=0":                             http.StatusBadRequest,
		"/v1/skills?vendorId=M2ASKSIMVENDOR&nextToken=forged":                         http.StatusBadRequest,
		"/v1/skills?vendorId=M2ASKSIMVENDOR" + strings.Repeat("&skillId="+skillA, 11): http.StatusBadRequest,
	} {
		wantStatus(t, e.do(http.MethodGet, q, ""), status)
	}
}

func TestManifest_GetPutIfMatch(t *testing.T) {
	e := newEnv(t)
	res := e.do(http.MethodGet, devA+"/manifest", "")
	wantStatus(t, res, http.StatusOK)
	if string(res.body) != string(examplePackage(t)["skill.json"]) {
		t.Errorf("manifest is not skill.json as it is")
	}
	tag := res.header.Get("ETag")
	if tag == "" {
		t.Fatal("no ETag")
	}
	updated := `{"manifest":{"apis":{"custom":{}},"publishingInformation":{"locales":{"en-US":{"name":"Renamed"}}}}}`
	wantStatus(t, e.do(http.MethodPut, devA+"/manifest", updated, "If-Match: not-"+tag), http.StatusPreconditionFailed)
	put := e.do(http.MethodPut, devA+"/manifest", updated, `If-Match: "`+tag+`"`)
	wantStatus(t, put, http.StatusAccepted)
	if loc := put.header.Get("Location"); loc != "/v1/skills/"+skillA+"/status?resource=manifest" || len(put.body) != 0 {
		t.Errorf("Location %q, body %q", loc, put.body)
	}
	after := e.do(http.MethodGet, devA+"/manifest", "")
	if string(after.body) != updated || after.header.Get("ETag") == tag {
		t.Errorf("after PUT: %s, ETag %s", after.body, after.header.Get("ETag"))
	}
	// The old ETag no longer matches.
	wantStatus(t, e.do(http.MethodPut, devA+"/manifest", updated, "If-Match: "+tag), http.StatusPreconditionFailed)
	// Bodies the ASK CLI sends as given must be the wrapped manifest.
	r := e.do(http.MethodPut, devA+"/manifest", `{"apis":{}}`)
	wantStatus(t, r, http.StatusBadRequest)
	if p := violationPath(t, r); p != "$.manifest" {
		t.Errorf("violation at %s", p)
	}
	wantStatus(t, e.do(http.MethodPut, devA+"/manifest", `not json`), http.StatusBadRequest)
	// The Backend refuses a package that does not load: nothing changes.
	wantStatus(t, e.do(http.MethodPut, devA+"/manifest", `{"manifest":null}`), http.StatusBadRequest)
	if got := e.do(http.MethodGet, devA+"/manifest", ""); string(got.body) != updated {
		t.Errorf("a refused PUT changed the manifest: %s", got.body)
	}
}

func TestInteractionModel_GetHeadPutAndValidation(t *testing.T) {
	e := newEnv(t)
	res := e.do(http.MethodGet, modelUS, "")
	wantStatus(t, res, http.StatusOK)
	var doc struct {
		InteractionModel struct {
			LanguageModel struct{ InvocationName string }
		}
		Version string
	}
	if err := json.Unmarshal(res.body, &doc); err != nil || doc.InteractionModel.LanguageModel.InvocationName != "example skill" || doc.Version != "1" {
		t.Fatalf("model %s (%v)", res.body, err)
	}
	tag := res.header.Get("ETag")
	head := e.do(http.MethodHead, modelUS, "")
	wantStatus(t, head, http.StatusNoContent)
	if head.header.Get("ETag") != tag {
		t.Errorf("HEAD ETag %q, GET %q", head.header.Get("ETag"), tag)
	}
	put := e.do(http.MethodPut, modelUS, string(model("new name")), "If-Match: "+tag)
	wantStatus(t, put, http.StatusAccepted)
	if loc := put.header.Get("Location"); loc != "/v1/skills/"+skillA+"/status?resource=interactionModel" {
		t.Errorf("Location %q", loc)
	}
	wantStatus(t, e.do(http.MethodPut, modelUS, string(model("again")), "If-Match: "+tag), http.StatusPreconditionFailed)
	// A model the loader refuses is a 400 naming the JSON path.
	bad := e.do(http.MethodPut, modelUS, string(model("")))
	wantStatus(t, bad, http.StatusBadRequest)
	if p := violationPath(t, bad); p != "$.interactionModel.languageModel.invocationName" {
		t.Errorf("violation at %s; body %s", p, bad.body)
	}
	if !strings.Contains(string(bad.body), "request body line 1, column 2") {
		t.Errorf("violation does not place the fault in the body: %s", bad.body)
	}
	var got struct{ Version string }
	json.Unmarshal(e.do(http.MethodGet, modelUS, "").body, &got)
	if got.Version != "2" {
		t.Errorf("version %s after one good and one refused PUT, want 2", got.Version)
	}
	// A new locale.
	wantStatus(t, e.do(http.MethodGet, devA+"/interactionModel/locales/de-DE", ""), http.StatusNotFound)
	wantStatus(t, e.do(http.MethodHead, devA+"/interactionModel/locales/de-DE", ""), http.StatusNotFound)
	wantStatus(t, e.do(http.MethodPut, devA+"/interactionModel/locales/de-DE", string(model("beispiel")), "If-Match: x"), http.StatusPreconditionFailed)
	wantStatus(t, e.do(http.MethodPut, devA+"/interactionModel/locales/de-DE", string(model("beispiel"))), http.StatusAccepted)
	wantStatus(t, e.do(http.MethodGet, devA+"/interactionModel/locales/de-DE", ""), http.StatusOK)
	wantStatus(t, e.do(http.MethodGet, devA+"/interactionModel/locales/english", ""), http.StatusBadRequest)
	wantStatus(t, e.do(http.MethodPut, modelUS, `{"languageModel":{}}`), http.StatusBadRequest)
	deep := `{"interactionModel":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`
	if r := e.do(http.MethodPut, modelUS, deep); r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "deeper than 64") {
		t.Errorf("deep body: %d %s", r.status, r.body)
	}
}

func TestStatus(t *testing.T) {
	e := newEnv(t)
	e.do(http.MethodPut, modelUS, string(model("v2")))
	type status struct {
		Manifest *struct {
			LastUpdateRequest struct{ Status string }
			ETag              string
		}
		InteractionModel map[string]struct {
			LastUpdateRequest struct {
				Status       string
				BuildDetails struct {
					Steps []struct{ Name, Status string }
				}
			}
			ETag, Version string
		}
	}
	get := func(token, q string) (status, result) {
		t.Helper()
		res := e.call(token, http.MethodGet, "/v1/skills/"+skillA+"/status"+q, "")
		var s status
		if res.status == http.StatusOK {
			json.Unmarshal(res.body, &s)
		}
		return s, res
	}
	s, res := get(e.token, "")
	wantStatus(t, res, http.StatusOK)
	us := s.InteractionModel["en-US"]
	if s.Manifest == nil || s.Manifest.LastUpdateRequest.Status != "SUCCEEDED" || us.Version != "2" || us.LastUpdateRequest.Status != "SUCCEEDED" ||
		len(us.LastUpdateRequest.BuildDetails.Steps) != 2 || us.ETag != e.do(http.MethodHead, modelUS, "").header.Get("ETag") {
		t.Errorf("status %s", res.body)
	}
	if s, _ := get(e.token, "?resource=manifest"); s.Manifest == nil || s.InteractionModel != nil {
		t.Errorf("resource=manifest gave %+v", s)
	}
	// A token sees the parts its scopes allow.
	if s, res := get(e.mint([]string{smapi.ScopeModelsRead}), ""); res.status != 200 || s.Manifest != nil || s.InteractionModel == nil {
		t.Errorf("models:read only: %d %s", res.status, res.body)
	}
	if s, res := get(e.mint([]string{smapi.ScopeSkillsReadWrite}), ""); res.status != 200 || s.Manifest == nil || s.InteractionModel != nil {
		t.Errorf("skills:readwrite only: %d %s", res.status, res.body)
	}
	_, res = get(e.mint([]string{smapi.ScopeSkillsRead}), "?resource=interactionModel")
	wantStatus(t, res, http.StatusForbidden)
	_, res = get(e.token, "?resource=hostedSkillDeployment")
	wantStatus(t, res, http.StatusBadRequest)
}

func TestAccountLinking(t *testing.T) {
	e := newEnv(t)
	wantStatus(t, e.do(http.MethodGet, linkingA, ""), http.StatusNotFound)
	wantStatus(t, e.do(http.MethodDelete, linkingA, ""), http.StatusNotFound)
	req := `{"accountLinkingRequest":{"type":"AUTH_CODE","authorizationUrl":"https://auth.example.com/authorize","clientId":"alexa-skill",` +
		`"clientSecret":"s3cret","accessTokenUrl":"https://auth.example.com/token","accessTokenScheme":"HTTP_BASIC","scopes":["profile"],` +
		`"domains":[],"defaultTokenExpirationInSeconds":3600,"skipOnEnablement":false}}`
	put := e.do(http.MethodPut, linkingA, req)
	wantStatus(t, put, http.StatusNoContent)
	tag := put.header.Get("ETag")
	res := e.do(http.MethodGet, linkingA, "")
	wantStatus(t, res, http.StatusOK)
	m := res.json(t)
	if _, ok := m["clientSecret"]; ok || m["clientId"] != "alexa-skill" || m["accessTokenScheme"] != "HTTP_BASIC" || m["type"] != "AUTH_CODE" {
		t.Errorf("GET %s", res.body)
	}
	if _, ok := m["accountLinkingRequest"]; ok || res.header.Get("ETag") != tag {
		t.Errorf("GET is wrapped or has another ETag: %s", res.body)
	}
	// An update without clientSecret keeps it; If-Match is checked.
	update := `{"accountLinkingRequest":{"type":"AUTH_CODE","authorizationUrl":"https://auth.example.com/authorize","clientId":"alexa-skill","accessTokenUrl":"https://auth.example.com/token"}}`
	wantStatus(t, e.do(http.MethodPut, linkingA, update, "If-Match: stale"), http.StatusPreconditionFailed)
	wantStatus(t, e.do(http.MethodPut, linkingA, update, "If-Match: "+tag), http.StatusNoContent)
	for body, path := range map[string]string{
		`{"type":"AUTH_CODE"}`: "$.accountLinkingRequest",
		`{"accountLinkingRequest":{"type":"PASSWORD","authorizationUrl":"https://a","clientId":"c"}}`:                                "$.accountLinkingRequest.type",
		`{"accountLinkingRequest":{"type":"IMPLICIT","authorizationUrl":"not a url","clientId":"c"}}`:                                "$.accountLinkingRequest.authorizationUrl",
		`{"accountLinkingRequest":{"type":"IMPLICIT","authorizationUrl":"https://a.test/x","clientId":"c","accessTokenScheme":"X"}}`: "$.accountLinkingRequest.accessTokenScheme",
	} {
		r := e.do(http.MethodPut, linkingA, body)
		wantStatus(t, r, http.StatusBadRequest)
		if p := violationPath(t, r); p != path {
			t.Errorf("%s: violation at %s, want %s", body, p, path)
		}
	}
	wantStatus(t, e.do(http.MethodDelete, linkingA, ""), http.StatusNoContent)
	wantStatus(t, e.do(http.MethodGet, linkingA, ""), http.StatusNotFound)
	// A new linking needs the secret.
	r := e.do(http.MethodPut, linkingA, update)
	wantStatus(t, r, http.StatusBadRequest)
	if p := violationPath(t, r); p != "$.accountLinkingRequest.clientSecret" {
		t.Errorf("violation at %s", p)
	}
}

func TestEnablement(t *testing.T) {
	e := newEnv(t)
	path := devA + "/enablement"
	wantStatus(t, e.do(http.MethodGet, path, ""), http.StatusNoContent)
	wantStatus(t, e.do(http.MethodDelete, path, ""), http.StatusNoContent)
	wantStatus(t, e.do(http.MethodGet, path, ""), http.StatusNotFound)
	wantStatus(t, e.do(http.MethodDelete, path, ""), http.StatusNotFound)
	// A disabled skill cannot be simulated.
	wantStatus(t, e.do(http.MethodPost, simsA, `{"input":{"content":"hi"},"device":{"locale":"en-US"}}`), http.StatusForbidden)
	wantStatus(t, e.do(http.MethodPut, path, ""), http.StatusNoContent)
	wantStatus(t, e.do(http.MethodGet, path, ""), http.StatusNoContent)
}

func TestUnknownThingsAndMethods(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/v1/skills/amzn1.ask.skill.00000000-0000-0000-0000-000000000000/stages/development/manifest", http.StatusNotFound},
		{http.MethodGet, "/v1/skills/" + skillA + "/stages/live/manifest", http.StatusNotFound},
		{http.MethodGet, "/v1/skills/" + skillA + "/stages/certified/enablement", http.StatusNotFound},
		{http.MethodGet, "/v1/skills/" + skillA + "/stages/certification/manifest", http.StatusBadRequest},
		{http.MethodGet, "/v2/skills/" + skillA + "/stages/dev/simulations/x", http.StatusBadRequest},
		{http.MethodGet, "/v1/catalogs", http.StatusNotFound},
		{http.MethodPost, "/v1/vendors", http.StatusMethodNotAllowed},
		{http.MethodPatch, devA + "/manifest", http.StatusMethodNotAllowed},
	} {
		res := e.do(c.method, c.path, "")
		if res.status != c.status {
			t.Errorf("%s %s: %d %s, want %d", c.method, c.path, res.status, res.body, c.status)
			continue
		}
		wantStatus(t, res, c.status)
	}
	if allow := e.do(http.MethodPatch, devA+"/manifest", "").header.Get("Allow"); allow != "GET, PUT" {
		t.Errorf("Allow %q", allow)
	}
}

func TestWithLWA_RoutesByPath(t *testing.T) {
	e := newEnv(t)
	// LWA at the root of the same address: the CLI's token refresh.
	tok, err := e.lwa.IssueLWATokens("developer", "amzn1.application-oa2-client.asksim-ask-cli", nil)
	if err != nil {
		t.Fatal(err)
	}
	res := e.call("", http.MethodPost, "/auth/O2/token", `{"grant_type":"refresh_token","refresh_token":"`+tok.RefreshToken+
		`","client_id":"amzn1.application-oa2-client.asksim-ask-cli","client_secret":"asksim-ask-cli-secret"}`)
	if res.status != http.StatusOK || res.json(t)["refresh_token"] != tok.RefreshToken {
		t.Fatalf("refresh through the shared address: %d %s", res.status, res.body)
	}
	wantStatus(t, e.call(res.json(t)["access_token"].(string), http.MethodGet, "/v1/vendors", ""), http.StatusOK)
	if r := e.do(http.MethodGet, "/ap/oa", ""); r.status != http.StatusBadRequest || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Errorf("/ap/oa without parameters: %d %s", r.status, r.header.Get("Content-Type"))
	}
}
