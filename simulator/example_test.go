package simulator_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/alexa"
	"github.com/asksim/asksim/simulator/apitoken"
)

// A conversation builds envelopes turn by turn. A fixed clock and seed make
// them reproducible; the apiAccessToken tells a fake which scopes were
// granted.
func ExampleConversation_Envelope() {
	sim, err := simulator.New(
		simulator.WithClock(func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }),
		simulator.WithSeed(7),
		simulator.WithAPIEndpoint("http://127.0.0.1:8700"),
	)
	if err != nil {
		panic(err)
	}
	conv := sim.NewConversation(simulator.ConsentEmail)
	env, err := conv.Envelope(simulator.IntentRequest("OrderIntent", simulator.WithSlot("item", "coffee")))
	if err != nil {
		panic(err)
	}
	fmt.Println(env.Request.Type, env.Request.Intent.Slots["item"].Value, env.Request.Timestamp)
	fmt.Println("new session:", env.Session.New)
	fmt.Println("apiEndpoint:", env.Context.System.APIEndpoint)

	claims, err := apitoken.Parse(env.Context.System.APIAccessToken, sim.Signer().Keyfunc(), sim.Now)
	if err != nil {
		panic(err)
	}
	fmt.Println("email granted:", claims.Granted(alexa.ScopeEmail))
	fmt.Println("name granted:", claims.Granted(alexa.ScopeName))

	// The skill answered and kept the session open with attributes.
	conv.Continue(json.RawMessage(`{"turns":1}`))
	next, _ := conv.Envelope(simulator.IntentRequest("AMAZON.StopIntent"))
	fmt.Println("new session:", next.Session.New, "attributes:", string(next.Session.Attributes))
	// Output:
	// IntentRequest coffee 2026-01-02T03:04:05Z
	// new session: true
	// apiEndpoint: http://127.0.0.1:8700
	// email granted: true
	// name granted: false
	// new session: false attributes: {"turns":1}
}

func ExampleParseConsent() {
	c, err := simulator.ParseConsent("email")
	if err != nil {
		panic(err)
	}
	scope, _ := alexa.ParseScope("given name")
	c = c.Grant(scope)
	fmt.Println(c.Scopes)
	fmt.Println(c.Link("token-from-my-oauth-server"))

	_, err = simulator.ParseConsent("all")
	fmt.Println(err)
	// Output:
	// [alexa::profile:email:read alexa::profile:given_name:read]
	// email+given_name+linked
	// unknown consent scenario "all" (valid: none, name, email, email+linked)
}

// An answer may ask consent on a card or by voice; ScopeRequests reads
// both, with where each scope stands.
func ExampleResponseEnvelope_ScopeRequests() {
	var r simulator.ResponseEnvelope
	err := json.Unmarshal([]byte(`{"version":"1.0","response":{
		"card":{"type":"AskForPermissionsConsent","permissions":["alexa::profile:email:read"]},
		"directives":[{"type":"Connections.SendRequest","name":"AskFor","token":"t1","payload":{
			"@type":"AskForPermissionsConsentRequest","@version":"2",
			"permissionScopes":[{"permissionScope":"alexa::alerts:reminders:skill:readwrite","consentLevel":"ACCOUNT"}]}}]}}`), &r)
	if err != nil {
		panic(err)
	}
	for _, a := range r.ScopeRequests() {
		fmt.Println(a.Scope, a.Voice, a.Path)
	}
	// Output:
	// alexa::profile:email:read false response.card.permissions.0
	// alexa::alerts:reminders:skill:readwrite true response.directives.0.payload.permissionScopes.0.permissionScope
}

// Alexa answers a voice permission request in the request's own shape: a
// version 1 AskFor with one permissionScope, voice-forward consent with a
// SessionResumedRequest.
func ExamplePermissionAnswer() {
	v1 := simulator.PermissionAnswer{Version: "1", Status: simulator.PermissionDenied,
		Scopes: []string{"alexa::alerts:timers:skill:readwrite"}, Token: "t1"}.Request()
	fmt.Println(v1.Type, string(v1.Payload))

	vfc := simulator.PermissionAnswer{Flow: simulator.FlowVoiceForward, Status: simulator.PermissionAccepted,
		Scopes: []string{"alexa::profile:email:read"}, Token: "t2"}.Request()
	cause, _ := json.Marshal(vfc.Cause)
	fmt.Println(vfc.Type, string(cause))
	// Output:
	// Connections.Response {"status":"DENIED","isCardThrown":false,"permissionScope":"alexa::alerts:timers:skill:readwrite"}
	// SessionResumedRequest {"type":"ConnectionCompleted","token":"t2","status":{"code":"200","message":"OK"},"result":{"status":"ACCEPTED"}}
}
