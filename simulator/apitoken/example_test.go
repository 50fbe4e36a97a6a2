package apitoken_test

import (
	"fmt"

	"github.com/asksim/asksim/simulator/apitoken"
)

// A fake Alexa API verifies the token with the signer's public key, here
// through its JWKS document, as a fake in another process would.
func ExampleSigner_JWKS() {
	signer, err := apitoken.NewGeneratedSigner()
	if err != nil {
		panic(err)
	}
	tok, _ := signer.APIAccessToken(apitoken.For{
		SkillID: "amzn1.ask.skill.00000000-0000-4000-8000-0000a5c51a00", UserID: "amzn1.ask.account.EXAMPLE",
		Scopes: []string{"alexa::profile:name:read"},
	})
	keyfunc, _ := signer.JWKS().Keyfunc()
	claims, err := apitoken.Parse(tok, keyfunc, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(claims.Issuer, claims.Audience)
	fmt.Println(claims.PrivateClaims.UserID, claims.Granted("alexa::profile:name:read"))
	// Output:
	// AlexaSkillKit https://api.amazonalexa.com
	// amzn1.ask.account.EXAMPLE true
}

// Decode reads a token for a person, as `asksim token decode` prints it;
// Verify then checks it against a key.
func ExampleDecode() {
	signer, err := apitoken.NewGeneratedSigner()
	if err != nil {
		panic(err)
	}
	tok, _ := signer.APIAccessToken(apitoken.For{
		SkillID: "amzn1.ask.skill.00000000-0000-4000-8000-0000a5c51a00", UserID: "amzn1.ask.account.EXAMPLE",
		Scopes: []string{"alexa::profile:email:read"},
	})
	d, err := apitoken.Decode(tok)
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Header["alg"], d.Claims["iss"], d.Scopes)

	other, _ := apitoken.NewGeneratedSigner()
	fmt.Println(d.Verify(other.Keyfunc(), nil) != nil, *d.Verified)
	fmt.Println(d.Verify(signer.Keyfunc(), nil), *d.Verified)
	// Output:
	// RS256 AlexaSkillKit [alexa::profile:email:read]
	// true false
	// <nil> true
}
