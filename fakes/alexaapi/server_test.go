package alexaapi_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/alexaapi"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/alexa"
	"github.com/asksim/asksim/simulator/apitoken"
)

func TestConsentScenarios(t *testing.T) {
	f := newFixture(t, nil)
	type want struct {
		status int
		body   string
	}
	granted := func(body string) want { return want{200, body} }
	denied := want{403, bodyNotRequested}
	cases := []struct {
		scenario string
		path     string
		want     want
	}{
		{simulator.ScenarioNone, pathName, denied},
		{simulator.ScenarioNone, pathEmail, denied},
		{simulator.ScenarioName, pathName, granted(`"Jane Doe"`)},
		{simulator.ScenarioName, pathPersonName, granted(`"Jane Doe"`)},
		{simulator.ScenarioName, pathEmail, denied},
		{simulator.ScenarioEmail, pathEmail, granted(`"jane@example.com"`)},
		{simulator.ScenarioEmail, pathName, denied},
		{simulator.ScenarioEmailLinked, pathEmail, granted(`"jane@example.com"`)},
		{simulator.ScenarioEmailLinked, pathName, denied},
		{simulator.ScenarioEmailLinked, pathGivenName, denied},
		{simulator.ScenarioEmailLinked, pathMobile, denied},
	}
	for _, tc := range cases {
		t.Run(tc.scenario+tc.path, func(t *testing.T) {
			consent, err := simulator.ParseConsent(tc.scenario)
			if err != nil {
				t.Fatal(err)
			}
			endpoint, token, _ := f.conversation(consent)
			got := call(t, http.MethodGet, endpoint+tc.path, token, "")
			if got.status != tc.want.status || got.body != tc.want.body {
				t.Errorf("GET %s with consent %s = %d %s, want %d %s", tc.path, tc.scenario, got.status, got.body, tc.want.status, tc.want.body)
			}
			if ct := got.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", ct)
			}
		})
	}
}

func TestEveryAPIGranted(t *testing.T) {
	f := newFixture(t, nil)
	all := simulator.ConsentNone.Grant(alexa.ScopeName, alexa.ScopeGivenName, alexa.ScopeEmail,
		alexa.ScopeMobileNumber, alexa.ScopeAddress)
	endpoint, token, id := f.conversation(all)
	dev := url.PathEscape(id.DeviceID)
	cases := []struct{ path, body string }{
		{pathName, `"Jane Doe"`},
		{pathGivenName, `"Jane"`},
		{pathEmail, `"jane@example.com"`},
		{pathMobile, `{"countryCode":"+1","phoneNumber":"2065550100"}`},
		{pathPersonName, `"Jane Doe"`},
		{"/v2/persons/~current/profile/givenName", `"Jane"`},
		{"/v2/persons/~current/profile/mobileNumber", `{"countryCode":"+1","phoneNumber":"2065550100"}`},
		{pathAddress(dev), `{"addressLine1":"410 Terry Ave North","addressLine2":"","addressLine3":"","city":"Seattle","stateOrRegion":"WA","districtOrCounty":"","countryCode":"US","postalCode":"98109"}`},
		{pathShortAddress(dev), `{"countryCode":"US","postalCode":"98109"}`},
		{pathSetting(dev, "timeZone"), `"America/Los_Angeles"`},
		{pathSetting(dev, "distanceUnits"), `"IMPERIAL"`},
		{pathSetting(dev, "temperatureUnit"), `"FAHRENHEIT"`},
	}
	for _, tc := range cases {
		got := call(t, http.MethodGet, endpoint+tc.path, token, "")
		if got.status != 200 || got.body != tc.body || got.header.Get("Content-Type") != "application/json" {
			t.Errorf("GET %s = %d %q (%s), want 200 %s (application/json)", tc.path, got.status, got.body, got.header.Get("Content-Type"), tc.body)
		}
	}
}

func TestSettingsNeedNoConsentButAToken(t *testing.T) {
	f := newFixture(t, nil)
	endpoint, token, id := f.conversation(simulator.ConsentNone)
	p := pathSetting(id.DeviceID, "timeZone")
	if got := call(t, http.MethodGet, endpoint+p, token, ""); got.status != 200 || got.body != `"America/Los_Angeles"` {
		t.Errorf("without consent: %d %s, want 200", got.status, got.body)
	}
	got := call(t, http.MethodGet, endpoint+p, "", "")
	if got.status != 401 || !strings.Contains(got.body, `"code":"INVALID_TOKEN"`) {
		t.Errorf("without token: %d %s, want 401 INVALID_TOKEN", got.status, got.body)
	}
}

func TestNoValueAnswers204(t *testing.T) {
	f := newFixture(t, nil)
	all := simulator.ConsentNone.Grant(alexa.ScopeEmail, alexa.ScopeName, alexa.ScopeMobileNumber,
		alexa.ScopeCountryAndPostalCode)
	endpoint, token, id := f.conversation(all)
	p := alexaapi.DefaultProfile()
	p.Email, p.Mobile, p.Address, p.Settings.TimeZone = nil, nil, nil, nil
	f.api.SetProfile(id.UserID, p)
	for _, path := range []string{pathEmail, pathMobile, pathShortAddress(id.DeviceID), pathSetting(id.DeviceID, "timeZone")} {
		got := call(t, http.MethodGet, endpoint+path, token, "")
		if got.status != 204 || got.body != "" {
			t.Errorf("GET %s = %d %q, want 204 and no body", path, got.status, got.body)
		}
	}
	if got := call(t, http.MethodGet, endpoint+pathName, token, ""); got.status != 200 || got.body != `"Jane Doe"` {
		t.Errorf("name kept: %d %s", got.status, got.body)
	}
	// Another user still gets the default profile.
	endpoint2, token2, _ := f.conversation(simulator.ConsentEmail)
	if got := call(t, http.MethodGet, endpoint2+pathEmail, token2, ""); got.status != 200 {
		t.Errorf("other user: %d %s, want 200", got.status, got.body)
	}
}

// tokens returns a set of bad tokens, each with what makes it bad.
func badTokens(t *testing.T, tf apitoken.For) map[string]string {
	t.Helper()
	good := signer(t)
	other, err := apitoken.NewGeneratedSigner()
	if err != nil {
		t.Fatal(err)
	}
	sign := func(mut func(*apitoken.Claims)) string {
		c := good.Claims(tf)
		mut(c)
		tok, err := good.Sign(c)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	foreign, err := other.APIAccessToken(tf)
	if err != nil {
		t.Fatal(err)
	}
	valid, err := good.APIAccessToken(tf)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(valid, ".")
	return map[string]string{
		"missing":        "",
		"malformed":      "not-a-jwt",
		"other key":      foreign,
		"tampered":       parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2])),
		"expired":        sign(func(c *apitoken.Claims) { c.ExpiresAt = time.Now().Add(-time.Minute).Unix() }),
		"not yet valid":  sign(func(c *apitoken.Claims) { c.NotBefore = time.Now().Add(time.Hour).Unix() }),
		"wrong audience": sign(func(c *apitoken.Claims) { c.Audience = "https://api.eu.amazonalexa.com" }),
		"wrong issuer":   sign(func(c *apitoken.Claims) { c.Issuer = "someone" }),
		"no user":        sign(func(c *apitoken.Claims) { c.PrivateClaims.UserID = "" }),
	}
}

func TestBadTokens(t *testing.T) {
	f := newFixture(t, nil)
	_, _, id := f.conversation(simulator.ConsentNone)
	tf := apitoken.For{SkillID: simulator.DefaultSkillID, UserID: id.UserID, DeviceID: id.DeviceID,
		Scopes: []string{alexa.ScopeEmail, alexa.ScopeAddress}}
	for name, tok := range badTokens(t, tf) {
		t.Run(name, func(t *testing.T) {
			got := call(t, http.MethodGet, f.ts.URL+pathEmail, tok, "")
			// Amazon's exact words, which Jovo compares for equality
			// (docs/alexa-contract.md §4.1); the reason is in a header.
			if want := `{"code":"INVALID_TOKEN","message":"The authentication token is not valid."}`; got.status != 401 || got.body != want {
				t.Errorf("Profile.email = %d %s, want 401 %s", got.status, got.body, want)
			}
			if d := got.header.Get(alexaapi.DetailHeader); d == "" || strings.Contains(got.body, d) {
				t.Errorf("%s = %q, want the reason, kept out of the body", alexaapi.DetailHeader, d)
			}
			got = call(t, http.MethodGet, f.ts.URL+pathAddress(id.DeviceID), tok, "")
			if want := `{"type":"FORBIDDEN","message":"The authentication token is not valid."}`; got.status != 403 || got.body != want {
				t.Errorf("address = %d %s, want 403 %s", got.status, got.body, want)
			}
			got = call(t, http.MethodPost, f.ts.URL+pathDirectives, tok, `{}`)
			var dir struct {
				Code    int
				Message string
			}
			if got.status != 401 || json.Unmarshal([]byte(got.body), &dir) != nil || dir.Code != 401 {
				t.Errorf("directives = %d %s, want 401 {code:401,message}", got.status, got.body)
			}
		})
	}
	for _, r := range f.api.Requests() {
		if r.Decision != alexaapi.DecisionBadToken || r.Detail == "" || r.UserID != "" || strings.HasPrefix(r.Detail, "The authentication") {
			t.Errorf("log entry %+v, want bad-token with a detail and no user", r)
		}
	}
}

func TestNonBearerAuthorization(t *testing.T) {
	f := newFixture(t, nil)
	_, token, _ := f.conversation(simulator.ConsentEmail)
	req, _ := http.NewRequest(http.MethodGet, f.ts.URL+pathEmail, nil)
	req.Header.Set("Authorization", "Basic "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("Basic auth = %d, want 401", resp.StatusCode)
	}
	// The scheme is case-insensitive (RFC 7235 §2.1).
	req.Header.Set("Authorization", "bearer "+token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("lower-case bearer = %d, want 200", resp.StatusCode)
	}
}

func TestExpiryAfterCaching(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	f := newFixture(t, func(c *alexaapi.Config) { c.Now = clock })
	endpoint, token, _ := f.conversation(simulator.ConsentEmail)
	if got := call(t, http.MethodGet, endpoint+pathEmail, token, ""); got.status != 200 {
		t.Fatalf("fresh token: %d %s", got.status, got.body)
	}
	mu.Lock()
	now = now.Add(apitoken.DefaultLifetime + time.Second)
	mu.Unlock()
	if got := call(t, http.MethodGet, endpoint+pathEmail, token, ""); got.status != 401 {
		t.Fatalf("cached token past exp: %d %s, want 401", got.status, got.body)
	}
	last := f.api.Requests()[1]
	if !strings.Contains(last.Detail, "expired") {
		t.Errorf("detail %q does not say expired", last.Detail)
	}
}

func TestManifest(t *testing.T) {
	f := newFixture(t, func(c *alexaapi.Config) {
		c.ManifestPermissions = []string{alexa.ScopeName, alexa.ManifestName(alexa.ScopeCountryAndPostalCode)}
	})
	everything := simulator.ConsentNone.Grant(alexa.ScopeName, alexa.ScopeEmail, alexa.ScopeAddress,
		alexa.ScopeCountryAndPostalCode)
	endpoint, token, id := f.conversation(everything)
	addrForbidden := `{"type":"FORBIDDEN","message":"Access to this resource cannot be requested."}`
	cases := []struct {
		path   string
		status int
		body   string
	}{
		{pathName, 200, `"Jane Doe"`},
		{pathEmail, 403, bodyForbidden},
		{pathAddress(id.DeviceID), 403, addrForbidden},
		{pathShortAddress(id.DeviceID), 200, `{"countryCode":"US","postalCode":"98109"}`},
		{pathSetting(id.DeviceID, "timeZone"), 200, `"America/Los_Angeles"`},
	}
	for _, tc := range cases {
		if got := call(t, http.MethodGet, endpoint+tc.path, token, ""); got.status != tc.status || got.body != tc.body {
			t.Errorf("GET %s = %d %s, want %d %s", tc.path, got.status, got.body, tc.status, tc.body)
		}
	}
	// The runtime name of the address scope is not a manifest name: declaring
	// it does not help (docs/alexa-contract.md §10 item 4).
	f2 := newFixture(t, func(c *alexaapi.Config) { c.ManifestPermissions = []string{alexa.ScopeAddress} })
	endpoint, token, id = f2.conversation(everything)
	if got := call(t, http.MethodGet, endpoint+pathAddress(id.DeviceID), token, ""); got.status != 403 || got.body != addrForbidden {
		t.Errorf("runtime scope in manifest: %d %s, want 403 %s", got.status, got.body, addrForbidden)
	}
	f3 := newFixture(t, func(c *alexaapi.Config) { c.ManifestPermissions = []string{alexa.ManifestName(alexa.ScopeAddress)} })
	endpoint, token, id = f3.conversation(everything)
	if got := call(t, http.MethodGet, endpoint+pathAddress(id.DeviceID), token, ""); got.status != 200 {
		t.Errorf("manifest name declared: %d %s, want 200", got.status, got.body)
	}
	if reqs := f.api.Requests(); reqs[1].Decision != alexaapi.DecisionNotInManifest {
		t.Errorf("decision %q, want %q", reqs[1].Decision, alexaapi.DecisionNotInManifest)
	}
}

func TestDeviceAddressNotGranted(t *testing.T) {
	f := newFixture(t, nil)
	endpoint, token, id := f.conversation(simulator.ConsentEmail)
	want := `{"type":"FORBIDDEN","message":"Access to this resource has not yet been requested."}`
	for _, p := range []string{pathAddress(id.DeviceID), pathShortAddress(id.DeviceID)} {
		if got := call(t, http.MethodGet, endpoint+p, token, ""); got.status != 403 || got.body != want {
			t.Errorf("GET %s = %d %s, want 403 %s", p, got.status, got.body, want)
		}
	}
	// Full address consent covers the country and postal code.
	endpoint, token, id = f.conversation(simulator.ConsentNone.Grant(alexa.ScopeAddress))
	if got := call(t, http.MethodGet, endpoint+pathShortAddress(id.DeviceID), token, ""); got.status != 200 {
		t.Errorf("short address with full consent: %d %s", got.status, got.body)
	}
	// And the country and postal code consent does not cover the full address.
	endpoint, token, id = f.conversation(simulator.ConsentNone.Grant(alexa.ScopeCountryAndPostalCode))
	if got := call(t, http.MethodGet, endpoint+pathAddress(id.DeviceID), token, ""); got.status != 403 || got.body != want {
		t.Errorf("full address with short consent: %d %s", got.status, got.body)
	}
}

func TestDeviceIDFromPath(t *testing.T) {
	f := newFixture(t, nil)
	// A device id with characters the SDKs escape (encodeURIComponent).
	tf := apitoken.For{SkillID: simulator.DefaultSkillID, UserID: "amzn1.ask.account.X",
		DeviceID: "amzn1.ask.device.a/b c?d%e", Scopes: []string{alexa.ScopeAddress}}
	token, err := signer(t).APIAccessToken(tf)
	if err != nil {
		t.Fatal(err)
	}
	escaped := url.PathEscape(tf.DeviceID) // a/b → a%2Fb, as encodeURIComponent does
	if got := call(t, http.MethodGet, f.ts.URL+pathAddress(escaped), token, ""); got.status != 200 {
		t.Errorf("escaped own device id: %d %s, want 200", got.status, got.body)
	}
	for _, other := range []string{"amzn1.ask.device.OTHER", url.PathEscape("amzn1.ask.device.a")} {
		want := `{"type":"FORBIDDEN","message":"The authentication token does not give access to this device."}`
		if got := call(t, http.MethodGet, f.ts.URL+pathAddress(other), token, ""); got.status != 403 || got.body != want {
			t.Errorf("device %s: %d %s, want 403 %s", other, got.status, got.body, want)
		}
		if got := call(t, http.MethodGet, f.ts.URL+pathSetting(other, "timeZone"), token, ""); got.status != 403 ||
			!strings.Contains(got.body, `"code":"INVALID_TOKEN"`) {
			t.Errorf("settings of device %s: %d %s, want 403 INVALID_TOKEN", other, got.status, got.body)
		}
	}
	if got := f.api.Requests()[1]; got.Decision != alexaapi.DecisionOtherDevice || got.DeviceID != tf.DeviceID {
		t.Errorf("log %+v, want other-device with the token's device", got)
	}
}

func TestMethodAndPathErrors(t *testing.T) {
	f := newFixture(t, nil)
	endpoint, token, id := f.conversation(simulator.ConsentEmail)
	cases := []struct {
		method, path string
		status       int
		allow        string
		body         string
	}{
		{http.MethodPost, pathEmail, 405, "GET", `{"code":"METHOD_NOT_ALLOWED","message":"The method is not supported."}`},
		{http.MethodDelete, pathAddress(id.DeviceID), 405, "GET", `{"type":"METHOD_NOT_ALLOWED","message":"The method is not supported."}`},
		{http.MethodGet, pathDirectives, 405, "POST", `{"code":405,"message":"The method is not supported."}`},
		{http.MethodGet, "/v2/accounts/~current/settings/Profile.shoeSize", 404, "",
			`{"code":"INVALID_URI","message":"No Alexa API at GET /v2/accounts/~current/settings/Profile.shoeSize in asksim's fake."}`},
		{http.MethodGet, "/", 404, "", `{"code":"INVALID_URI","message":"No Alexa API at GET / in asksim's fake."}`},
	}
	for _, tc := range cases {
		got := call(t, tc.method, endpoint+tc.path, token, "")
		if got.status != tc.status || got.body != tc.body || got.header.Get("Allow") != tc.allow ||
			got.header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s = %d %s (Allow %q), want %d %s (Allow %q)", tc.method, tc.path, got.status, got.body,
				got.header.Get("Allow"), tc.status, tc.body, tc.allow)
		}
	}
	var decisions []string
	for _, r := range f.api.Requests() {
		decisions = append(decisions, r.Decision)
	}
	want := []string{"method-not-allowed", "method-not-allowed", "method-not-allowed", "not-found", "not-found"}
	if !slices.Equal(decisions, want) {
		t.Errorf("decisions %q, want %q", decisions, want)
	}
}

func TestProgressiveResponse(t *testing.T) {
	f := newFixture(t, nil)
	endpoint, token, id := f.conversation(simulator.ConsentNone)
	ok := `{"header":{"requestId":"amzn1.echo-api.request.1"},"directive":{"type":"VoicePlayer.Speak","speech":"<speak>One moment</speak>"}}`
	if got := call(t, http.MethodPost, endpoint+pathDirectives, token, ok); got.status != 204 || got.body != "" {
		t.Fatalf("valid directive: %d %s, want 204", got.status, got.body)
	}
	bad := map[string]string{
		"not json":     `speak`,
		"no requestId": `{"header":{},"directive":{"type":"VoicePlayer.Speak","speech":"x"}}`,
		"no directive": `{"header":{"requestId":"r"}}`,
		"wrong type":   `{"header":{"requestId":"r"},"directive":{"type":"Dialog.Delegate","speech":"x"}}`,
		"no speech":    `{"header":{"requestId":"r"},"directive":{"type":"VoicePlayer.Speak"}}`,
	}
	for name, body := range bad {
		got := call(t, http.MethodPost, endpoint+pathDirectives, token, body)
		var e struct {
			Code    int
			Message string
		}
		if got.status != 400 || json.Unmarshal([]byte(got.body), &e) != nil || e.Code != 400 || e.Message == "" {
			t.Errorf("%s: %d %s, want 400 {code:400,message}", name, got.status, got.body)
		}
	}
	dirs := f.api.Directives()
	want := alexaapi.Directive{Time: dirs[0].Time, UserID: id.UserID, RequestID: "amzn1.echo-api.request.1",
		Type: "VoicePlayer.Speak", Speech: "<speak>One moment</speak>"}
	if len(dirs) != 1 || dirs[0] != want {
		t.Errorf("directives %+v, want [%+v]", dirs, want)
	}
}

func TestRequestLog(t *testing.T) {
	f := newFixture(t, nil)
	endpoint, token, id := f.conversation(simulator.ConsentName)
	call(t, http.MethodGet, endpoint+pathName, token, "")
	call(t, http.MethodGet, endpoint+pathEmail, token, "")
	got := f.api.Requests()
	if len(got) != 2 {
		t.Fatalf("%d entries, want 2", len(got))
	}
	for i, w := range []alexaapi.Request{
		{Method: "GET", Path: pathName, UserID: id.UserID, DeviceID: id.DeviceID, Scope: alexa.ScopeName, Decision: "granted", Status: 200},
		{Method: "GET", Path: pathEmail, UserID: id.UserID, DeviceID: id.DeviceID, Scope: alexa.ScopeEmail, Decision: "not-granted", Status: 403},
	} {
		if got[i].Time.IsZero() {
			t.Errorf("entry %d has no time", i)
		}
		w.Time = got[i].Time
		if got[i] != w {
			t.Errorf("entry %d = %+v, want %+v", i, got[i], w)
		}
	}
	if b, _ := json.Marshal(got); strings.Contains(string(b), token) {
		t.Error("the log holds the token")
	}
	_, otherToken, other := f.conversation(simulator.ConsentName)
	call(t, http.MethodGet, endpoint+pathName, otherToken, "")
	call(t, http.MethodGet, endpoint+pathName, "", "") // no token: no user
	if mine := f.api.RequestsFor(id.UserID); len(mine) != 2 || mine[0].Path != pathName || mine[1].Path != pathEmail {
		t.Errorf("RequestsFor(the first user) = %+v", mine)
	}
	if theirs := f.api.RequestsFor(other.UserID); len(theirs) != 1 || theirs[0].UserID != other.UserID {
		t.Errorf("RequestsFor(the second user) = %+v", theirs)
	}
	f.api.ResetRequests()
	if n := len(f.api.Requests()); n != 0 {
		t.Errorf("%d entries after reset", n)
	}
}

func TestRequestLogIsBounded(t *testing.T) {
	f := newFixture(t, func(c *alexaapi.Config) { c.MaxLoggedRequests = 3 })
	for i := range 10 {
		call(t, http.MethodGet, f.ts.URL+"/missing/"+string(rune('a'+i)), "", "")
	}
	got := f.api.Requests()
	if len(got) != 3 || got[0].Path != "/missing/h" || got[2].Path != "/missing/j" {
		t.Errorf("log %+v, want the last 3 calls", got)
	}
}

func TestConcurrentUse(t *testing.T) {
	f := newFixture(t, nil)
	endpoint, token, id := f.conversation(simulator.ConsentEmail)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 20 {
				switch (i + j) % 4 {
				case 0:
					p := alexaapi.DefaultProfile()
					p.Email = new("x@example.com")
					f.api.SetProfile(id.UserID, p)
				case 1:
					f.api.Requests()
				case 2:
					f.api.Fail(pathEmail, 1, alexaapi.Fault{Status: 500})
				}
				got := call(t, http.MethodGet, endpoint+pathEmail, token, "")
				if got.status != 200 && got.status != 500 {
					t.Errorf("status %d", got.status)
				}
			}
		})
	}
	wg.Wait()
	if n := len(f.api.Requests()); n != 160 {
		t.Errorf("%d log entries, want 160", n)
	}
}

func TestNewNeedsKeyfunc(t *testing.T) {
	if _, err := alexaapi.New(alexaapi.Config{}); err == nil || !strings.Contains(err.Error(), "Keyfunc") {
		t.Errorf("New without Keyfunc: %v, want an error naming Keyfunc", err)
	}
}

// The detail header says why, in words a developer can act on, for each
// refusal that has a reason beyond its body; a granted call has none.
func TestDetailHeader(t *testing.T) {
	f := newFixture(t, func(c *alexaapi.Config) { c.ManifestPermissions = []string{"alexa::profile:name:read"} })
	endpoint, token, _ := f.conversation(simulator.ConsentEmail)
	got := call(t, http.MethodGet, endpoint+pathEmail, token, "")
	if got.status != 403 || !strings.Contains(got.header.Get(alexaapi.DetailHeader), "manifest lacks alexa::profile:email:read") {
		t.Errorf("undeclared scope: %d %s, %s %q", got.status, got.body, alexaapi.DetailHeader, got.header.Get(alexaapi.DetailHeader))
	}
	got = call(t, http.MethodGet, endpoint+pathEmail, "not-a-jwt", "")
	if d := got.header.Get(alexaapi.DetailHeader); got.status != 401 || !strings.Contains(d, "malformed") {
		t.Errorf("malformed token: %d, %s %q", got.status, alexaapi.DetailHeader, d)
	}
	_, granted, _ := f.conversation(simulator.ConsentName)
	got = call(t, http.MethodGet, endpoint+pathName, granted, "")
	if got.status != 200 || got.header.Get(alexaapi.DetailHeader) != "" {
		t.Errorf("granted call: %d, %s %q, want none", got.status, alexaapi.DetailHeader, got.header.Get(alexaapi.DetailHeader))
	}
}
