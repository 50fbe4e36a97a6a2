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

// What Alexa puts in user.accessToken once the linked tokens expired and
// the server refuses the refresh: nothing, and the account is unlinked
// (docs/alexa-contract.md §8.6). simulator.Conversation.SetLinkedAccount
// makes a conversation ask before every request.
func ExampleAccount_RequestToken() {
	fake, _ := oauth.New(oauth.DefaultConfig())
	ts := httptest.NewServer(fake)
	defer ts.Close()
	res, err := link.Run(context.Background(), link.Config{
		AuthorizationURL: ts.URL + "/authorize", TokenURL: ts.URL + "/token",
		ClientID: "alexa-skill", ClientSecret: "alexa-skill-secret",
		Username: "alice", Password: "alice-password",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	acct := res.Account
	tok, note, _ := acct.RequestToken(context.Background())
	fmt.Printf("token: %v, note: %q\n", tok != "", note)

	fake.RevokeGrant(acct.Tokens().RefreshToken) // the user withdrew access at the provider
	acct.Expire()                                // and Alexa's copy has run out
	tok, note, _ = acct.RequestToken(context.Background())
	fmt.Printf("token: %q, linked: %v\n%s\n", tok, acct.Linked(), note)
	// Output:
	// token: true, note: ""
	// token: "", linked: false
	// Alexa's refresh was refused (the token endpoint answered 400 Bad Request error=invalid_grant (refresh token expired or revoked)): it deleted the tokens and sent the user a card to link again; the request carries no accessToken
}
