package alexa_test

import (
	"fmt"

	"github.com/asksim/asksim/simulator/alexa"
)

// Features and flags name scopes briefly; skill.json names two of them
// differently from the scope a consent card or API call uses.
func ExampleParseScope() {
	scope, err := alexa.ParseScope("country and postal code")
	if err != nil {
		panic(err)
	}
	fmt.Println(scope)
	fmt.Println(alexa.ManifestName(scope))
	fmt.Println(alexa.ManifestName(alexa.ScopeEmail))
	// Output:
	// read::alexa:device:all:address:country_and_postal_code
	// alexa:devices:all:address:country_and_postal_code:read
	// alexa::profile:email:read
}
