package smapi_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/asksim/asksim/fakes/oauth"
	"github.com/asksim/asksim/fakes/smapi"
)

// quietBackend accepts every package and answers no simulation: enough for
// the read operations.
type quietBackend struct{}

func (quietBackend) LoadSkill(string, map[string][]byte) error { return nil }
func (quietBackend) NewSession(context.Context, smapi.SessionKey) (smapi.Session, error) {
	return nil, fmt.Errorf("no simulations in this example")
}
func (quietBackend) Invoke(context.Context, string, []byte) (*smapi.Invocation, error) {
	return nil, fmt.Errorf("no invocations in this example")
}

// Example serves SMAPI beside Login with Amazon, as `asksim fakes
// --smapi-addr` does, and reads with a token limited to skills:read.
func Example() {
	lwa, err := oauth.New(oauth.DefaultLWAConfig())
	if err != nil {
		panic(err)
	}
	api, err := smapi.New(smapi.Config{Tokens: lwa, Backend: quietBackend{}, Skills: []smapi.Skill{{
		ID:    "amzn1.ask.skill.00000000-0000-4000-8000-0000a5c51a00",
		Files: map[string][]byte{"skill.json": []byte(`{"manifest":{"apis":{"custom":{}}}}`)},
	}}})
	if err != nil {
		panic(err)
	}
	defer api.Close()
	ts := httptest.NewServer(smapi.WithLWA(api, lwa))
	defer ts.Close()

	tok, err := lwa.IssueLWATokens(oauth.LWADeveloper, oauth.LWAClientID, []string{smapi.ScopeSkillsRead})
	if err != nil {
		panic(err)
	}
	get := func(path string) {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		req.Header.Set("Authorization", tok.AccessToken) // bare, as ask dialog sends it
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		fmt.Println(resp.StatusCode, string(body))
	}
	get("/v1/skills/amzn1.ask.skill.00000000-0000-4000-8000-0000a5c51a00/stages/development/manifest")
	get("/v1/skills/amzn1.ask.skill.00000000-0000-4000-8000-0000a5c51a00/stages/development/interactionModel/locales/en-US")
	// Output:
	// 200 {"manifest":{"apis":{"custom":{}}}}
	// 403 {"message":"The access token does not grant alexa::ask:models:read, which get-interaction-model needs."}
}

// ExampleCLIEnv prints the lines that point the unmodified ASK CLI at the
// fakes, as `asksim fakes --smapi-addr` does.
func ExampleCLIEnv() {
	env := smapi.CLIEnv{SMAPIURL: "http://127.0.0.1:8765", LWAURL: "http://127.0.0.1:8765",
		ClientID: "amzn1.application-oa2-client.asksim-ask-cli", ClientSecret: "asksim-ask-cli-secret",
		RefreshToken: "Atzr|example", VendorID: smapi.DefaultVendorID}
	env.WriteExports(os.Stdout)
	// Output:
	// export ASK_SMAPI_SERVER_BASE_URL='http://127.0.0.1:8765'
	// export ASK_LWA_TOKEN_HOST='http://127.0.0.1:8765'
	// export ASK_LWA_AUTHORIZE_HOST='http://127.0.0.1:8765'
	// export ASK_LWA_CLIENT_ID='amzn1.application-oa2-client.asksim-ask-cli'
	// export ASK_LWA_CLIENT_CONFIRMATION='asksim-ask-cli-secret'
	// export ASK_REFRESH_TOKEN='Atzr|example'
	// export ASK_VENDOR_ID='M2ASKSIMVENDOR'
	// export AWS_ACCESS_KEY_ID='asksim-dummy'
	// export AWS_SECRET_ACCESS_KEY='asksim-dummy'
	// export ASK_SKIP_NEW_VERSION_REMINDER='true'
}
