package alexaapi

// Profile is what the fake knows about one user. A nil field is a value the
// user has not set: its API answers 204, as Amazon's does. The JSON form is
// the schema of fixtures/profiles/*.json (see LoadProfiles).
type Profile struct {
	Name      *string       `json:"name"`
	GivenName *string       `json:"givenName"`
	Email     *string       `json:"email"`
	Mobile    *MobileNumber `json:"mobile"`
	Address   *Address      `json:"address"`
	Settings  Settings      `json:"settings"`
}

// MobileNumber is the body of Profile.mobileNumber [M services.ups.PhoneNumber].
type MobileNumber struct {
	CountryCode string `json:"countryCode"`
	PhoneNumber string `json:"phoneNumber"`
}

// Address is the body of the full Device Address API
// [M services.deviceAddress.Address]. Unset lines are empty strings, as in
// Amazon's answers.
type Address struct {
	AddressLine1     string `json:"addressLine1"`
	AddressLine2     string `json:"addressLine2"`
	AddressLine3     string `json:"addressLine3"`
	City             string `json:"city"`
	StateOrRegion    string `json:"stateOrRegion"`
	DistrictOrCounty string `json:"districtOrCounty"`
	CountryCode      string `json:"countryCode"`
	PostalCode       string `json:"postalCode"`
}

// ShortAddress is the body of …/address/countryAndPostalCode.
type ShortAddress struct {
	CountryCode string `json:"countryCode"`
	PostalCode  string `json:"postalCode"`
}

// Settings are the device settings of the Settings API. Amazon keeps them
// per device; the fake keeps them per user, which is the same thing for a
// conversation's single device.
type Settings struct {
	TimeZone        *string `json:"timeZone"`
	DistanceUnits   *string `json:"distanceUnits"`
	TemperatureUnit *string `json:"temperatureUnit"`
}

// Values of Settings.DistanceUnits and Settings.TemperatureUnit.
const (
	DistanceMetric        = "METRIC"
	DistanceImperial      = "IMPERIAL"
	TemperatureCelsius    = "CELSIUS"
	TemperatureFahrenheit = "FAHRENHEIT"
)

// DefaultProfile returns the built-in profile of users without one of their
// own: every field is filled, with the values of Amazon's documentation
// examples (docs/alexa-contract.md §4). fixtures/profiles/default.json
// holds the same data.
func DefaultProfile() Profile {
	return Profile{
		Name:      new("Jane Doe"),
		GivenName: new("Jane"),
		Email:     new("jane@example.com"),
		Mobile:    &MobileNumber{CountryCode: "+1", PhoneNumber: "2065550100"},
		Address: &Address{
			AddressLine1:  "410 Terry Ave North",
			City:          "Seattle",
			StateOrRegion: "WA",
			CountryCode:   "US",
			PostalCode:    "98109",
		},
		Settings: Settings{
			TimeZone:        new("America/Los_Angeles"),
			DistanceUnits:   new(DistanceImperial),
			TemperatureUnit: new(TemperatureFahrenheit),
		},
	}
}

// clone returns a deep copy, so that a Server never shares memory with the
// caller of SetProfile.
func (p Profile) clone() Profile {
	c := p
	c.Name = clonePtr(p.Name)
	c.GivenName = clonePtr(p.GivenName)
	c.Email = clonePtr(p.Email)
	c.Mobile = clonePtr(p.Mobile)
	c.Address = clonePtr(p.Address)
	c.Settings = Settings{
		TimeZone:        clonePtr(p.Settings.TimeZone),
		DistanceUnits:   clonePtr(p.Settings.DistanceUnits),
		TemperatureUnit: clonePtr(p.Settings.TemperatureUnit),
	}
	return c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
