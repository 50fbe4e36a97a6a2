package alexaapi_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/asksim/asksim/fakes/alexaapi"
)

// FuzzParseProfiles: any bytes as a profiles file give a profile set or an
// error naming the file, never a panic or a stack overflow; and an accepted
// set holds only what a profile may (settings from their fixed lists, a
// phone number wherever there is a mobile). Seeds: fixtures/profiles.
func FuzzParseProfiles(f *testing.F) {
	files, _ := filepath.Glob("../../fixtures/profiles/*.json")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"default": {"settings": null}, "users": {"u": {"$comment": [[{}]], "address": {"city": "X"}}}}`))
	f.Add([]byte("{\"email\": \"a\\u2028b\", \"mobile\": {\"phoneNumber\": \"1\"}}\n[]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := alexaapi.ParseProfiles(data, "fuzz.json")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.json") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		check := func(who string, p alexaapi.Profile) {
			if s := p.Settings.DistanceUnits; s != nil && !slices.Contains([]string{alexaapi.DistanceMetric, alexaapi.DistanceImperial}, *s) {
				t.Fatalf("%s: distanceUnits %q accepted", who, *s)
			}
			if s := p.Settings.TemperatureUnit; s != nil && !slices.Contains([]string{alexaapi.TemperatureCelsius, alexaapi.TemperatureFahrenheit}, *s) {
				t.Fatalf("%s: temperatureUnit %q accepted", who, *s)
			}
			if p.Mobile != nil && p.Mobile.PhoneNumber == "" {
				t.Fatalf("%s: a mobile without a phone number accepted", who)
			}
		}
		check("default", set.Default)
		for id, p := range set.Users {
			if strings.TrimSpace(id) == "" {
				t.Fatalf("empty user id %q accepted", id)
			}
			check(id, p)
		}
	})
}
