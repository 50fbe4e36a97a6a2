package alexaapi_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/asksim/asksim/fakes/alexaapi"
)

func TestDefaultFixtureIsTheBuiltInDefault(t *testing.T) {
	set, err := alexaapi.LoadProfiles("../../fixtures/profiles/default.json")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(set.Default, alexaapi.DefaultProfile()) || len(set.Users) != 0 {
		t.Errorf("default.json = %+v, want DefaultProfile()", set)
	}
	// Every field is filled, so that no API answers 204 by default.
	p := alexaapi.DefaultProfile()
	for i, v := range []any{p.Name, p.GivenName, p.Email, p.Mobile, p.Address, p.Settings.TimeZone, p.Settings.DistanceUnits, p.Settings.TemperatureUnit} {
		if reflect.ValueOf(v).IsNil() {
			t.Errorf("default profile field %d is nil", i)
		}
	}
}

func TestUsersFixture(t *testing.T) {
	set, err := alexaapi.LoadProfiles("../../fixtures/profiles/users.json")
	if err != nil {
		t.Fatal(err)
	}
	if *set.Default.Name != "Erika Mustermann" || set.Default.Address.AddressLine2 != "" || *set.Default.Settings.DistanceUnits != "METRIC" {
		t.Errorf("default %+v", set.Default)
	}
	noEmail := set.Users["amzn1.ask.account.NOEMAIL"]
	if noEmail.Email != nil || noEmail.Mobile != nil || *noEmail.Name != "Erika Mustermann" || noEmail.Address.City != "Berlin" {
		t.Errorf("NOEMAIL = %+v, want no email or mobile, the rest from the file's default", noEmail)
	}
	noAddr := set.Users["amzn1.ask.account.NOADDRESS"]
	if noAddr.Address != nil || noAddr.Settings.TimeZone != nil || *noAddr.Settings.TemperatureUnit != "CELSIUS" {
		t.Errorf("NOADDRESS = %+v, want no address or time zone, other settings kept", noAddr)
	}
}

func TestParseProfilesOverlay(t *testing.T) {
	set, err := alexaapi.ParseProfiles([]byte(`{"email": null, "address": {"city": "Oslo", "countryCode": "NO"}, "settings": null}`), "p.json")
	if err != nil {
		t.Fatal(err)
	}
	want := alexaapi.DefaultProfile()
	want.Email = nil
	want.Address = &alexaapi.Address{City: "Oslo", CountryCode: "NO"}
	want.Settings = alexaapi.Settings{}
	if !reflect.DeepEqual(set.Default, want) {
		t.Errorf("got %+v, want %+v", set.Default, want)
	}
}

// TestParseProfile overlays one profile object on a base, as the feature
// step "the user's profile:" does.
func TestParseProfile(t *testing.T) {
	base := alexaapi.DefaultProfile()
	base.Name = new("Base Name")
	got, err := alexaapi.ParseProfile([]byte(`{"email": "x@example.com", "mobile": null, "settings": {"timeZone": "Europe/Oslo"}}`), "table", base)
	if err != nil {
		t.Fatal(err)
	}
	want := base // a copy: the assignments below replace its pointers, not their targets
	want.Email, want.Mobile, want.Settings.TimeZone = new("x@example.com"), nil, new("Europe/Oslo")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if *base.Email == "x@example.com" {
		t.Error("ParseProfile changed its base")
	}
	if _, err := alexaapi.ParseProfile([]byte(`{"email": 42}`), "table", base); err == nil || err.Error() != "table:1: email: want a string or null, got number" {
		t.Errorf("bad field: %v", err)
	}
}

func TestParseProfilesErrors(t *testing.T) {
	cases := []struct{ name, data, want string }{
		{"syntax", "{\n  \"name\": \"x\",\n  \"email\" \"y\"\n}", "p.json:3: invalid JSON"},
		{"truncated", "{\n  \"name\": \"x\",\n", "p.json:3: invalid JSON: unexpected end of file"},
		{"not an object", `["x"]`, "p.json:1: want a JSON object"},
		{"unknown field", "{\n  \"name\": \"x\",\n  \"nmae\": \"y\"\n}", `p.json:3: nmae: unknown profile field`},
		{"wrong type", "{\n  \"email\": 42\n}", "p.json:2: email: want a string or null, got number"},
		{"bad enum", "{\"settings\": {\n \"distanceUnits\": \"FURLONGS\"}}", `p.json:2: settings.distanceUnits: "FURLONGS" is not one of METRIC, IMPERIAL`},
		{"address field", "{\"address\": {\n\"town\": \"x\"}}", "p.json:2: address.town: unknown field (want addressLine1"},
		{"address value", "{\"address\": {\"city\": [\n]}}", "p.json:1: address.city: want a string, got array"},
		{"mobile without number", "{\n\"mobile\": {\"countryCode\": \"+1\"}}", "p.json:2: mobile.phoneNumber: missing or empty"},
		{"user field", "{\"users\": {\n\"amzn1.ask.account.A\": {\n\"email\": true}}}", `p.json:3: users["amzn1.ask.account.A"].email: want a string or null, got boolean`},
		{"users not object", "{\"users\": []}", "p.json:1: users: want an object"},
		{"mixed", "{\"users\": {},\n\"name\": \"x\"}", "p.json:2: name: unknown field in a profile set"},
		{"duplicate", "{\"name\": \"a\",\n\"name\": \"b\"}", "p.json:2: name: duplicate key"},
		{"trailing", "{} {}", "p.json:1: unexpected data after"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := alexaapi.ParseProfiles([]byte(tc.data), "p.json")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
