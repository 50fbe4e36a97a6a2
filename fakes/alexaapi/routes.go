package alexaapi

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/asksim/asksim/simulator/alexa"
)

// route is one API of the fake.
type route struct {
	method  string
	pattern string // as documented by Amazon, e.g. /v1/devices/{deviceId}/settings/address
	segs    []string
	family  family
	// scopes grant the route; empty means a valid token is enough (Settings,
	// directives). The first is the one a skill asks for and the log shows.
	scopes []string
	// value returns the answer for a profile; false answers 204.
	value func(p *Profile) (any, bool)
	// handle, when set, replaces value (progressive response).
	handle func(s *Server, w http.ResponseWriter, r *http.Request, c *call)
}

const deviceIDSeg = "{deviceId}"

// routes lists every API of the fake, in one place.
func (s *Server) routes() []*route {
	str := func(get func(p *Profile) *string) func(p *Profile) (any, bool) {
		return func(p *Profile) (any, bool) {
			v := get(p)
			if v == nil {
				return nil, false
			}
			return *v, true
		}
	}
	name := str(func(p *Profile) *string { return p.Name })
	givenName := str(func(p *Profile) *string { return p.GivenName })
	mobile := func(p *Profile) (any, bool) { return p.Mobile, p.Mobile != nil }
	rs := []*route{
		{method: http.MethodGet, pattern: "/v2/accounts/~current/settings/Profile.name", scopes: []string{alexa.ScopeName}, value: name},
		{method: http.MethodGet, pattern: "/v2/accounts/~current/settings/Profile.givenName", scopes: []string{alexa.ScopeGivenName}, value: givenName},
		{method: http.MethodGet, pattern: "/v2/accounts/~current/settings/Profile.email", scopes: []string{alexa.ScopeEmail},
			value: str(func(p *Profile) *string { return p.Email })},
		{method: http.MethodGet, pattern: "/v2/accounts/~current/settings/Profile.mobileNumber", scopes: []string{alexa.ScopeMobileNumber}, value: mobile},
		// Person level: the token carries no recognized speaker (person claims
		// are UNCONFIRMED, §3.1), so these answer for the token's user.
		{method: http.MethodGet, pattern: "/v2/persons/~current/profile/name", scopes: []string{alexa.ScopeName}, value: name},
		{method: http.MethodGet, pattern: "/v2/persons/~current/profile/givenName", scopes: []string{alexa.ScopeGivenName}, value: givenName},
		{method: http.MethodGet, pattern: "/v2/persons/~current/profile/mobileNumber", scopes: []string{alexa.ScopeMobileNumber}, value: mobile},
		{method: http.MethodGet, pattern: "/v1/devices/{deviceId}/settings/address", family: familyAddress,
			scopes: []string{alexa.ScopeAddress},
			value:  func(p *Profile) (any, bool) { return p.Address, p.Address != nil }},
		// Whoever may read the full address may read part of it; whether
		// Amazon agrees is UNCONFIRMED.
		{method: http.MethodGet, pattern: "/v1/devices/{deviceId}/settings/address/countryAndPostalCode", family: familyAddress,
			scopes: []string{alexa.ScopeCountryAndPostalCode, alexa.ScopeAddress},
			value: func(p *Profile) (any, bool) {
				if p.Address == nil {
					return nil, false
				}
				return ShortAddress{CountryCode: p.Address.CountryCode, PostalCode: p.Address.PostalCode}, true
			}},
		{method: http.MethodGet, pattern: "/v2/devices/{deviceId}/settings/System.timeZone",
			value: str(func(p *Profile) *string { return p.Settings.TimeZone })},
		{method: http.MethodGet, pattern: "/v2/devices/{deviceId}/settings/System.distanceUnits",
			value: str(func(p *Profile) *string { return p.Settings.DistanceUnits })},
		{method: http.MethodGet, pattern: "/v2/devices/{deviceId}/settings/System.temperatureUnit",
			value: str(func(p *Profile) *string { return p.Settings.TemperatureUnit })},
		{method: http.MethodPost, pattern: "/v1/directives", family: familyDirective, handle: (*Server).handleDirective},
	}
	for _, r := range rs {
		r.segs = strings.Split(strings.TrimPrefix(r.pattern, "/"), "/")
	}
	return rs
}

// match finds the route of an escaped path and the {deviceId} in it,
// unescaped as the SDKs escape it (encodeURIComponent, quote(safe="")).
func (s *Server) match(escapedPath string) (*route, string) {
	segs := strings.Split(strings.TrimPrefix(escapedPath, "/"), "/")
next:
	for _, r := range s.table {
		if len(r.segs) != len(segs) {
			continue
		}
		deviceID := ""
		for i, want := range r.segs {
			got, err := url.PathUnescape(segs[i])
			if err != nil {
				return nil, ""
			}
			switch {
			case want == deviceIDSeg && got != "":
				deviceID = got
			case want != got:
				continue next
			}
		}
		return r, deviceID
	}
	return nil, ""
}

// grantedBy returns the route scope the token grants, or "".
func (r *route) grantedBy(v *verified) string {
	for _, sc := range r.scopes {
		if v.scopes[sc] {
			return sc
		}
	}
	return ""
}

// declared reports whether the manifest lets the skill ask for the route.
func (r *route) declared(manifest map[string]bool) bool {
	for _, sc := range r.scopes {
		if manifest[alexa.ManifestName(sc)] {
			return true
		}
	}
	return false
}
