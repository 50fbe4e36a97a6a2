package simulator_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/asksim/asksim/simulator"
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

	claims, err := simulator.ParseToken(env.Context.System.APIAccessToken, sim.Signer().Keyfunc(), sim.Now)
	if err != nil {
		panic(err)
	}
	fmt.Println("email granted:", claims.Granted(simulator.ScopeEmail))
	fmt.Println("name granted:", claims.Granted(simulator.ScopeName))

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
	scope, _ := simulator.ParseScope("given name")
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

// A fake Alexa API verifies the token with the signer's public key, here
// through its JWKS document, as a fake in another process would.
func ExampleSigner_JWKS() {
	signer, err := simulator.NewGeneratedSigner()
	if err != nil {
		panic(err)
	}
	tok, _ := signer.APIAccessToken(simulator.TokenFor{
		SkillID: simulator.DefaultSkillID, UserID: "amzn1.ask.account.EXAMPLE",
		Scopes: []string{simulator.ScopeName},
	})
	keyfunc, _ := signer.JWKS().Keyfunc()
	claims, err := simulator.ParseToken(tok, keyfunc, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(claims.Issuer, claims.Audience)
	fmt.Println(claims.PrivateClaims.UserID, claims.Granted(simulator.ScopeName))
	// Output:
	// AlexaSkillKit https://api.amazonalexa.com
	// amzn1.ask.account.EXAMPLE true
}
