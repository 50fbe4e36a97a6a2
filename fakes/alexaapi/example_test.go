package alexaapi_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/asksim/asksim/fakes/alexaapi"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/apitoken"
)

// A skill reads the apiEndpoint and apiAccessToken from its envelope and
// calls Profile.email; the fake answers by the consent in the token.
func Example() {
	signer, err := apitoken.NewGeneratedSigner()
	if err != nil {
		panic(err)
	}
	api, err := alexaapi.New(alexaapi.Config{Keyfunc: signer.Keyfunc()})
	if err != nil {
		panic(err)
	}
	ts := httptest.NewServer(api)
	defer ts.Close()
	sim, err := simulator.New(simulator.WithSigner(signer), simulator.WithAPIEndpoint(ts.URL))
	if err != nil {
		panic(err)
	}

	for _, consent := range []simulator.Consent{simulator.ConsentEmail, simulator.ConsentNone} {
		env, err := sim.NewConversation(consent).Envelope(simulator.LaunchRequest())
		if err != nil {
			panic(err)
		}
		sys := env.Context.System
		req, _ := http.NewRequest("GET", sys.APIEndpoint+"/v2/accounts/~current/settings/Profile.email", nil)
		req.Header.Set("Authorization", "Bearer "+sys.APIAccessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("%s: %d %s\n", consent, resp.StatusCode, body)
	}
	for _, r := range api.Requests() {
		fmt.Println(r.Decision, r.Scope)
	}
	// Output:
	// email: 200 "jane@example.com"
	// none: 403 {"code":"ACCESS_DENIED","message":"Access denied with reason: ACCESS_NOT_REQUESTED"}
	// granted alexa::profile:email:read
	// not-granted alexa::profile:email:read
}

// Faults make the next answers on a path fail, e.g. to test a skill's
// handling of throttling.
func ExampleServer_Fail() {
	signer, _ := apitoken.NewGeneratedSigner()
	api, _ := alexaapi.New(alexaapi.Config{Keyfunc: signer.Keyfunc()})
	ts := httptest.NewServer(api)
	defer ts.Close()
	token, _ := signer.APIAccessToken(apitoken.For{UserID: "amzn1.ask.account.A", DeviceID: "amzn1.ask.device.D"})

	api.Fail("/v2/devices/{deviceId}/settings/System.timeZone", 1, alexaapi.Fault{Status: http.StatusTooManyRequests})
	for range 2 {
		req, _ := http.NewRequest("GET", ts.URL+"/v2/devices/amzn1.ask.device.D/settings/System.timeZone", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, string(body))
	}
	// Output:
	// 429 {"code":"UNKNOWN_ERROR","message":"Too Many Requests"}
	// 200 "America/Los_Angeles"
}
