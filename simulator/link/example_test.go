package link_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"

	"github.com/asksim/asksim/fakes/oauth"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/link"
)

// Link an account against asksim's OAuth fake and use the token in later
// envelopes.
func ExampleRun() {
	fake, _ := oauth.New(oauth.DefaultConfig())
	ts := httptest.NewServer(fake)
	defer ts.Close()

	res, err := link.Run(context.Background(), link.Config{
		AuthorizationURL: ts.URL + "/authorize",
		TokenURL:         ts.URL + "/token",
		ClientID:         "alexa-skill",
		ClientSecret:     "alexa-skill-secret",
		Scopes:           []string{"profile"},
		Username:         "alice",
		Password:         "alice-password",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range res.Report.Checks {
		if c.Status != link.Pass {
			fmt.Println(c.Status, c.Rule) // loopback is plain http
		}
	}
	// The access token goes into envelopes as user.accessToken.
	tok, _ := res.Account.AccessToken(context.Background())
	consent := simulator.ConsentEmail.Link(tok)
	fmt.Println("failed:", res.Report.Failed(), "linked:", consent.Linked, consent.AccessToken != "")
	// Output:
	// warn transport.https
	// failed: false linked: true true
}

func ExampleAuthorizationRequest() {
	authURL, _, _, _ := link.AuthorizationRequest(link.Config{
		AuthorizationURL: "https://auth.example.com/authorize",
		TokenURL:         "https://auth.example.com/token",
		ClientID:         "alexa-skill",
		Scopes:           []string{"profile", "orders.read"},
		Region:           "EU",
	})
	u, _ := url.Parse(authURL)
	q := u.Query()
	for _, k := range []string{"client_id", "response_type", "scope", "redirect_uri"} {
		fmt.Printf("%s=%s\n", k, q.Get(k))
	}
	fmt.Println("state bytes:", len(q.Get("state"))*6/8)
	// Output:
	// client_id=alexa-skill
	// response_type=code
	// scope=profile orders.read
	// redirect_uri=https://layla.amazon.com/api/skill/link/M2ASKSIMVENDOR
	// state bytes: 32
}
