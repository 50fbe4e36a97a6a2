package simulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/asksim/asksim/simulator"
)

// A skill that counts turns in its session attributes, played over HTTP.
func ExampleConversation_Send() {
	skill := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var env simulator.Envelope
		_ = json.NewDecoder(r.Body).Decode(&env)
		var attrs struct{ Turns int }
		_ = json.Unmarshal(env.Session.Attributes, &attrs)
		attrs.Turns++
		speech := fmt.Sprintf("<speak>Turn %d &amp; counting.</speak>", attrs.Turns)
		if env.Request.Type == simulator.TypeIntentRequest && env.Request.Intent.Name == "AMAZON.StopIntent" {
			speech = "<speak>Bye & thanks.</speak>" // unescaped &: breaks the contract
		}
		_ = json.NewEncoder(w).Encode(map[string]any{
			"version":           "1.0",
			"sessionAttributes": attrs,
			"response": map[string]any{
				"outputSpeech":     map[string]string{"type": "SSML", "ssml": speech},
				"shouldEndSession": false,
			},
		})
	}))
	defer skill.Close()

	endpoint, err := simulator.HTTPEndpoint(skill.URL)
	if err != nil {
		panic(err)
	}
	sim, err := simulator.New(simulator.WithEndpoint(endpoint))
	if err != nil {
		panic(err)
	}
	conv := sim.NewConversation(simulator.ConsentEmail)
	ctx := context.Background()
	for _, req := range []simulator.Request{
		simulator.LaunchRequest(),
		simulator.IntentRequest("CountIntent"),
		simulator.IntentRequest("AMAZON.StopIntent"),
	} {
		turn, err := conv.Send(ctx, req)
		var ce *simulator.ContractError
		if errors.As(err, &ce) {
			fmt.Println(ce.Violations[0])
			continue
		}
		if err != nil {
			panic(err)
		}
		fmt.Printf("new session %v: %s attributes %s\n", turn.Request.Session.New, turn.Response.Speech(), turn.Response.SessionAttributes)
	}
	// Output:
	// new session true: Turn 1 & counting. attributes {"Turns":1}
	// new session false: Turn 2 & counting. attributes {"Turns":2}
	// ssml-escape at response.outputSpeech.ssml: unescaped '&' at offset 11 ("<speak>Bye & thanks.</s"): write &amp;
}
