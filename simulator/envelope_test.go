package simulator_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/internal/testutil"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/alexa"
	"github.com/asksim/asksim/simulator/apitoken"
	"github.com/golang-jwt/jwt/v5"
)

func build(t *testing.T, consent simulator.Consent, req simulator.Request, opts ...simulator.Option) map[string]any {
	t.Helper()
	env, err := testutil.Deterministic(t, opts...).NewConversation(consent).Envelope(req)
	if err != nil {
		t.Fatal(err)
	}
	return envelopeJSON(t, env)
}

func TestPresence_NoConsentHasNoPermissionsAndNullConsentToken(t *testing.T) {
	env := build(t, simulator.ConsentNone, simulator.LaunchRequest())
	for _, where := range [][]string{{"session", "user"}, {"context", "System", "user"}} {
		for _, key := range []string{"permissions", "accessToken"} {
			if _, ok := testutil.At(env, append(where, key)...); ok {
				t.Errorf("%s.%s present with no consent", strings.Join(where, "."), key)
			}
		}
	}
	claims := verifiedClaims(t, env)
	pc := claims["privateClaims"].(map[string]any)
	if v, ok := pc["consentToken"]; !ok || v != nil {
		t.Errorf("privateClaims.consentToken = %#v (present %v), want null", v, ok)
	}
}

func TestPresence_GrantHasConsentTokens(t *testing.T) {
	for _, c := range []struct {
		consent simulator.Consent
		scope   string
	}{{simulator.ConsentName, alexa.ScopeName}, {simulator.ConsentEmail, alexa.ScopeEmail}} {
		env := build(t, c.consent, simulator.LaunchRequest())
		for _, where := range [][]string{{"session", "user"}, {"context", "System", "user"}} {
			ct, ok := testutil.At(env, append(where, "permissions", "consentToken")...)
			if !ok || ct == "" {
				t.Fatalf("%s: %s.permissions.consentToken missing", c.consent, strings.Join(where, "."))
			}
			// The deprecated consent token is itself a JWT flagged
			// isDeprecated, naming no user (contract §3.3).
			var claims apitoken.Claims
			_, err := jwt.ParseWithClaims(ct.(string), &claims, testutil.Signer().Keyfunc(),
				jwt.WithTimeFunc(func() time.Time { return testutil.FixedTime }), jwt.WithValidMethods([]string{"RS256"}))
			if err != nil {
				t.Fatalf("%s: deprecated consentToken: %v", c.consent, err)
			}
			if claims.PrivateClaims.IsDeprecated != "true" || !claims.Granted(c.scope) || claims.PrivateClaims.UserID != "" {
				t.Errorf("%s: deprecated consentToken claims = %+v", c.consent, claims.PrivateClaims)
			}
		}
		pc := verifiedClaims(t, env)["privateClaims"].(map[string]any)
		if s, _ := pc["consentToken"].(string); !strings.HasPrefix(s, "Atza|") {
			t.Errorf("%s: privateClaims.consentToken = %q, want Atza|…", c.consent, s)
		}
	}
}

func TestPresence_LinkedHasAccessTokenInBothUsers(t *testing.T) {
	env := build(t, simulator.ConsentEmailLinked, simulator.LaunchRequest())
	s, _ := testutil.At(env, "session", "user", "accessToken")
	c, _ := testutil.At(env, "context", "System", "user", "accessToken")
	if s == nil || s == "" || s != c {
		t.Errorf("accessToken session=%v context=%v, want the same non-empty token", s, c)
	}
	env = build(t, simulator.ConsentEmail.Link("from-my-oauth"), simulator.LaunchRequest())
	if s, _ := testutil.At(env, "session", "user", "accessToken"); s != "from-my-oauth" {
		t.Errorf("given access token not used: %v", s)
	}
}

func TestPresence_SessionlessRequestsHaveNoSession(t *testing.T) {
	ap, err := simulator.AudioPlayerEvent("PlaybackStarted", "track-1", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, req := range []simulator.Request{ap, simulator.ExceptionEncountered("", "bad", "amzn1.echo-api.request.x")} {
		env := build(t, simulator.ConsentNone, req)
		if _, ok := env["session"]; ok {
			t.Errorf("%s carries a session", req.Type)
		}
		if off, ok := testutil.At(env, "request", "offsetInMilliseconds"); req.Type == simulator.TypePlaybackStarted && (!ok || off != 0.0) {
			t.Errorf("offsetInMilliseconds = %v (present %v), want 0 present", off, ok)
		}
	}
	for _, req := range []simulator.Request{simulator.LaunchRequest(), simulator.IntentRequest("X"),
		simulator.SessionEndedRequest("", nil), simulator.CanFulfillIntentRequest("X"),
		simulator.PermissionResponse(simulator.PermissionAccepted, []string{alexa.ScopeName}, "")} {
		if _, ok := build(t, simulator.ConsentNone, req)["session"]; !ok {
			t.Errorf("%s has no session", req.Type)
		}
	}
}

func TestPresence_AlwaysPresentFields(t *testing.T) {
	env := build(t, simulator.ConsentNone, simulator.IntentRequest("OrderIntent", simulator.WithSlot("item", "")), simulator.WithDevice("headless"))
	if v, _ := testutil.At(env, "request", "intent", "confirmationStatus"); v != "NONE" {
		t.Errorf("intent.confirmationStatus = %v", v)
	}
	slot, _ := testutil.At(env, "request", "intent", "slots", "item")
	if want := map[string]any{"name": "item", "confirmationStatus": "NONE"}; !equalJSON(slot, want) {
		t.Errorf("unfilled slot = %v, want %v", slot, want)
	}
	if v, ok := testutil.At(env, "context", "System", "device", "supportedInterfaces"); !ok || !equalJSON(v, map[string]any{}) {
		t.Errorf("supportedInterfaces = %v (present %v), want {}", v, ok)
	}
	for _, key := range []string{"Viewport", "Viewports", "AudioPlayer"} {
		if _, ok := testutil.At(env, "context", key); ok {
			t.Errorf("headless device has context.%s", key)
		}
	}
	if _, ok := testutil.At(env, "request", "dialogState"); ok {
		t.Error("dialogState present without a dialog model")
	}
	if _, ok := testutil.At(env, "session", "attributes"); ok {
		t.Error("new session carries attributes")
	}
}

func TestFilledSlotHasValueSlotValueAndSource(t *testing.T) {
	env := build(t, simulator.ConsentNone, simulator.IntentRequest("OrderIntent", simulator.WithSlot("item", "a latte")))
	slot, _ := testutil.At(env, "request", "intent", "slots", "item")
	want := map[string]any{"name": "item", "value": "a latte", "confirmationStatus": "NONE", "source": "USER",
		"slotValue": map[string]any{"type": "Simple", "value": "a latte"}}
	if !equalJSON(slot, want) {
		t.Errorf("slot = %v\nwant %v", slot, want)
	}
}

func TestScreenDeviceHasViewports(t *testing.T) {
	env := build(t, simulator.ConsentNone, simulator.LaunchRequest(), simulator.WithDevice("echo-show"))
	for _, key := range []string{"Viewport", "Viewports"} {
		if _, ok := testutil.At(env, "context", key); !ok {
			t.Errorf("echo-show lacks context.%s", key)
		}
	}
	if _, ok := testutil.At(env, "context", "System", "device", "supportedInterfaces", "Alexa.Presentation.APL"); !ok {
		t.Error("echo-show does not support APL")
	}
	env = build(t, simulator.ConsentNone, simulator.LaunchRequest(), simulator.WithDevice("echo-dot"))
	if _, ok := testutil.At(env, "context", "Viewport"); ok {
		t.Error("echo-dot has a Viewport")
	}
}

var (
	uuidRe    = `[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`
	formatRes = map[string]*regexp.Regexp{
		"session.sessionId":                        regexp.MustCompile(`^amzn1\.echo-api\.session\.` + uuidRe + `$`),
		"request.requestId":                        regexp.MustCompile(`^amzn1\.echo-api\.request\.` + uuidRe + `$`),
		"session.user.userId":                      regexp.MustCompile(`^amzn1\.ask\.account\.[A-Z2-7]{207}$`),
		"context.System.device.deviceId":           regexp.MustCompile(`^amzn1\.ask\.device\.[A-Z2-7]{181}$`),
		"request.timestamp":                        regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`),
		"context.System.application.applicationId": regexp.MustCompile(`^amzn1\.ask\.skill\.` + `[0-9a-f-]{36}$`),
	}
)

func TestIdentifierFormats(t *testing.T) {
	// Not deterministic on purpose: real random ids must have the formats too.
	sim, err := simulator.New(simulator.WithClock(func() time.Time { return time.Date(2026, 3, 4, 5, 6, 7, 891e6, time.FixedZone("X", 3600)) }))
	if err != nil {
		t.Fatal(err)
	}
	env, err := sim.NewConversation(simulator.ConsentNone).Envelope(simulator.LaunchRequest())
	if err != nil {
		t.Fatal(err)
	}
	doc := envelopeJSON(t, env)
	for path, re := range formatRes {
		v, _ := testutil.At(doc, strings.Split(path, ".")...)
		if s, _ := v.(string); !re.MatchString(s) {
			t.Errorf("%s = %q, want %s", path, s, re)
		}
	}
	if ts, _ := testutil.At(doc, "request", "timestamp"); ts != "2026-03-04T04:06:07Z" {
		t.Errorf("timestamp = %v, want UTC whole seconds 2026-03-04T04:06:07Z", ts)
	}
}

func TestRegionsAndAPIEndpoint(t *testing.T) {
	for region, want := range map[string]string{"NA": "https://api.amazonalexa.com", "EU": "https://api.eu.amazonalexa.com", "FE": "https://api.fe.amazonalexa.com"} {
		env := build(t, simulator.ConsentNone, simulator.LaunchRequest(), simulator.WithRegion(region))
		if got, _ := testutil.At(env, "context", "System", "apiEndpoint"); got != want {
			t.Errorf("region %s: apiEndpoint %v, want %s", region, got, want)
		}
		// aud stays the NA URL whatever the region (contract §3.1).
		if aud := verifiedClaims(t, env)["aud"]; aud != apitoken.Audience {
			t.Errorf("region %s: aud %v", region, aud)
		}
	}
	env := build(t, simulator.ConsentNone, simulator.LaunchRequest(), simulator.WithRegion("EU"), simulator.WithAPIEndpoint("http://127.0.0.1:8700/"))
	if got, _ := testutil.At(env, "context", "System", "apiEndpoint"); got != "http://127.0.0.1:8700" {
		t.Errorf("override apiEndpoint = %v", got)
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	for name, c := range map[string]struct {
		opt  simulator.Option
		want string
	}{
		"skill id": {simulator.WithSkillID("my-skill"), `skill id "my-skill"`},
		"locale":   {simulator.WithLocale("english"), `locale "english"`},
		// The form of a locale, but no language Alexa offers skills.
		"unsupported locale": {simulator.WithLocale("xx-YY"), `locale "xx-YY": Alexa has no such locale (valid: ar-SA, de-DE`},
		"device":             {simulator.WithDevice("echo-plus"), "echo-dot, echo-show"},
		"region":             {simulator.WithRegion("US"), "NA, EU, FE"},
		"endpoint":           {simulator.WithAPIEndpoint("ftp://x"), "http://"},
		"query":              {simulator.WithAPIEndpoint("http://x/?a=b"), "query"},
	} {
		_, err := simulator.New(c.opt, simulator.WithSigner(testutil.Signer()))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to mention %q", name, err, c.want)
		}
	}
}

// The checks a caller runs before New, to name its own flag or field, agree
// with New.
func TestCheckSkillIDAndAPIEndpoint(t *testing.T) {
	for _, id := range []string{simulator.DefaultSkillID, "amzn1.ask.skill.11111111-2222-3333-4444-555555555555", "amzn1.echo-sdk-ams.app.11111111-2222-3333-4444-555555555555"} {
		_, newErr := simulator.New(simulator.WithSkillID(id), simulator.WithSigner(testutil.Signer()))
		if err := simulator.CheckSkillID(id); err != nil || newErr != nil {
			t.Errorf("CheckSkillID(%q) = %v, New: %v; want both nil", id, err, newErr)
		}
	}
	for _, id := range []string{"", "my-skill", "amzn1.ask.skill.11111111-2222-3333-4444-55555555555A"} {
		if err := simulator.CheckSkillID(id); err == nil || !strings.Contains(err.Error(), "amzn1.ask.skill.<lowercase uuid>") {
			t.Errorf("CheckSkillID(%q) = %v", id, err)
		}
	}
	if err := simulator.CheckAPIEndpoint("http://127.0.0.1:8700/"); err != nil {
		t.Errorf("CheckAPIEndpoint: %v", err)
	}
	for _, u := range []string{"localhost:8700", "ftp://x", "http://x/?a=b", "http://x/#f"} {
		if err := simulator.CheckAPIEndpoint(u); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("api endpoint %q", u)) {
			t.Errorf("CheckAPIEndpoint(%q) = %v", u, err)
		}
	}
}

func TestSessionCarriesAcrossTurns(t *testing.T) {
	conv := testutil.Deterministic(t).NewConversation(simulator.ConsentNone)
	first, err := conv.Envelope(simulator.LaunchRequest())
	if err != nil {
		t.Fatal(err)
	}
	conv.Continue(json.RawMessage(`{"turns":1}`))
	second, err := conv.Envelope(simulator.IntentRequest("HelloIntent"))
	if err != nil {
		t.Fatal(err)
	}
	if !first.Session.New || second.Session.New {
		t.Errorf("new: first %v second %v, want true then false", first.Session.New, second.Session.New)
	}
	if first.Session.SessionID != second.Session.SessionID {
		t.Error("session id changed within a session")
	}
	if string(second.Session.Attributes) != `{"turns":1}` {
		t.Errorf("attributes = %s", second.Session.Attributes)
	}
	if first.Request.RequestID == second.Request.RequestID {
		t.Error("request ids repeat")
	}
	conv.EndSession()
	third, _ := conv.Envelope(simulator.IntentRequest("HelloIntent"))
	if !third.Session.New || third.Session.SessionID == first.Session.SessionID || third.Session.Attributes != nil {
		t.Errorf("after EndSession: new=%v same id=%v attrs=%s", third.Session.New, third.Session.SessionID == first.Session.SessionID, third.Session.Attributes)
	}
}

func TestSeedMakesIdsReproducible(t *testing.T) {
	a := build(t, simulator.ConsentNone, simulator.LaunchRequest())
	b := build(t, simulator.ConsentNone, simulator.LaunchRequest())
	if !equalJSON(a, b) {
		t.Error("same seed, clock and key gave different envelopes")
	}
	c := build(t, simulator.ConsentNone, simulator.LaunchRequest(), simulator.WithSeed(2))
	if ua, _ := testutil.At(a, "session", "user", "userId"); ua == func() any { v, _ := testutil.At(c, "session", "user", "userId"); return v }() {
		t.Error("different seeds gave the same user id")
	}
}

func TestPermissionResponseShape(t *testing.T) {
	env := build(t, simulator.ConsentNone, simulator.PermissionResponse(simulator.PermissionDenied, []string{alexa.ScopeName}, "tok-1"))
	req := env["request"]
	want := map[string]any{
		"name": "AskFor", "status": map[string]any{"code": "200", "message": "OK"}, "token": "tok-1",
		"payload": map[string]any{"status": "DENIED", "isCardThrown": false,
			"permissionScopes": []any{map[string]any{"permissionScope": alexa.ScopeName, "consentLevel": "ACCOUNT"}}},
	}
	for k, v := range want {
		if got, _ := testutil.At(req, k); !equalJSON(got, v) {
			t.Errorf("request.%s = %v, want %v", k, got, v)
		}
	}
}

func equalJSON(a, b any) bool {
	ab, _ := json.Marshal(a)
	bb, _ := json.Marshal(b)
	return string(ab) == string(bb)
}

// verifiedClaims verifies the envelope's apiAccessToken with the test key
// and returns its claims as JSON values.
func verifiedClaims(t *testing.T, env map[string]any) map[string]any {
	t.Helper()
	tok, _ := testutil.At(env, "context", "System", "apiAccessToken")
	if _, err := apitoken.Parse(tok.(string), testutil.Signer().Keyfunc(), func() time.Time { return testutil.FixedTime }); err != nil {
		t.Fatalf("apiAccessToken does not verify: %v", err)
	}
	d, err := apitoken.Decode(tok.(string))
	if err != nil {
		t.Fatal(err)
	}
	return d.Claims
}

func TestSlotResolvesTo(t *testing.T) {
	s := simulator.SpokenSlot("item", "coffees")
	if ok, got := s.ResolvesTo("coffee"); ok || got != nil {
		t.Errorf("no entity resolution: %v, %v", ok, got)
	}
	s = s.Resolved(simulator.CustomAuthority(simulator.DefaultSkillID, "ItemType"), simulator.ResolvedValue{Name: "coffee", ID: "COFFEE"})
	if ok, _ := s.ResolvesTo("coffee"); !ok {
		t.Error("a match to coffee not found")
	}
	if ok, got := s.ResolvesTo("tea"); ok || !slices.Equal(got, []string{"coffee"}) {
		t.Errorf("ResolvesTo(tea) = %v, %v; want false and what did match", ok, got)
	}
	none := simulator.SpokenSlot("item", "gin").Resolved("amzn1.er-authority.echo-sdk.x.ItemType")
	if ok, got := none.ResolvesTo("gin"); ok || !slices.Equal(got, []string{simulator.ERSuccessNoMatch}) {
		t.Errorf("no match: %v, %v; want the status code", ok, got)
	}
}

func TestRequestSummary(t *testing.T) {
	for req, want := range map[*simulator.Request]string{
		new(simulator.LaunchRequest()): "LaunchRequest",
		new(simulator.IntentRequest("OrderIntent", simulator.WithDialogState(simulator.DialogCompleted))): "IntentRequest OrderIntent (dialogState COMPLETED)",
		new(simulator.IntentRequest("AMAZON.StopIntent")):                                                 "IntentRequest AMAZON.StopIntent",
	} {
		if got := req.Summary(); got != want {
			t.Errorf("Summary() = %q, want %q", got, want)
		}
	}
}
