package alexaapi

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/asksim/asksim/internal/jsondiag"
)

// ProfileSet is the content of a profiles file: the profile of users without
// one of their own, and profiles by user id.
type ProfileSet struct {
	Default Profile
	Users   map[string]Profile
}

// LoadProfiles reads a profiles file. Two forms are accepted:
//
// A single profile (as fixtures/profiles/default.json), which becomes the
// default profile:
//
//	{"name": "Jane Doe", "givenName": "Jane", "email": "jane@example.com",
//	 "mobile": {"countryCode": "+1", "phoneNumber": "2065550100"},
//	 "address": {"addressLine1": "410 Terry Ave North", "addressLine2": "",
//	   "addressLine3": "", "city": "Seattle", "stateOrRegion": "WA",
//	   "districtOrCounty": "", "countryCode": "US", "postalCode": "98109"},
//	 "settings": {"timeZone": "America/Los_Angeles",
//	   "distanceUnits": "IMPERIAL", "temperatureUnit": "FAHRENHEIT"}}
//
// Or a set, with an optional default and profiles by user id:
//
//	{"default": {...profile...},
//	 "users": {"amzn1.ask.account.AAA": {...profile...}}}
//
// In a profile, a missing field keeps the default's value (the built-in
// DefaultProfile for "default", the file's default for a user) and a field
// set to null means the user has no such value: its API answers 204.
// "mobile" and "address" are replaced as a whole (their missing lines are
// empty strings); "settings" null clears all three settings, while in a
// settings object each setting follows the missing/null rule on its own.
// distanceUnits is METRIC or IMPERIAL, temperatureUnit CELSIUS or FAHRENHEIT.
// A "$comment" member is allowed in any object and ignored. Errors name the
// file, line and field at fault.
func LoadProfiles(path string) (ProfileSet, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return ProfileSet{}, err
	}
	return ParseProfiles(data, path)
}

// ParseProfiles parses the content of a profiles file (see LoadProfiles);
// name is used in errors.
func ParseProfiles(data []byte, name string) (ProfileSet, error) {
	root, err := parseTree(data, name)
	if err != nil {
		return ProfileSet{}, err
	}
	pp := profileParser{file: name}
	if root.kind != jsondiag.Object {
		return ProfileSet{}, pp.errf(root, "", "want a JSON object (a profile, or {\"default\": …, \"users\": …}), got %s", root.kind)
	}
	set := ProfileSet{Default: DefaultProfile(), Users: map[string]Profile{}}
	isSet := slices.ContainsFunc(root.members, func(m member) bool { return m.key == "default" || m.key == "users" })
	if !isSet {
		set.Default, err = pp.profile(root, "", set.Default)
		return set, err
	}
	// The default first, whatever the member order: users build on it.
	if m := find(root, "default"); m != nil {
		if set.Default, err = pp.profile(m.val, "default", set.Default); err != nil {
			return ProfileSet{}, err
		}
	}
	for _, m := range root.members {
		switch m.key {
		case "default", commentKey:
		case "users":
			if m.val.kind != jsondiag.Object {
				return ProfileSet{}, pp.errf(m.val, "users", "want an object of profiles by user id, got %s", m.val.kind)
			}
			for _, u := range m.val.members {
				field := "users[" + strconv.Quote(u.key) + "]"
				if strings.TrimSpace(u.key) == "" {
					return ProfileSet{}, &fileError{file: name, line: u.line, field: field, msg: "empty user id"}
				}
				p, err := pp.profile(u.val, field, set.Default)
				if err != nil {
					return ProfileSet{}, err
				}
				set.Users[u.key] = p
			}
		default:
			return ProfileSet{}, &fileError{file: name, line: m.line, field: m.key,
				msg: "unknown field in a profile set (want \"default\" and \"users\"; profile fields go inside them)"}
		}
	}
	return set, nil
}

// ParseProfile overlays one profile object, in the form of a profiles file
// (see LoadProfiles), on base: a field it sets replaces base's, null clears
// it, and a field it leaves out keeps base's value. name is used in errors.
func ParseProfile(data []byte, name string, base Profile) (Profile, error) {
	root, err := parseTree(data, name)
	if err != nil {
		return Profile{}, err
	}
	return profileParser{file: name}.profile(root, "", base)
}

const commentKey = "$comment"

func find(n *node, key string) *member {
	for i := range n.members {
		if n.members[i].key == key {
			return &n.members[i]
		}
	}
	return nil
}

type profileParser struct{ file string }

func (pp profileParser) errf(n *node, field, format string, a ...any) error {
	return &fileError{file: pp.file, line: n.line, field: field, msg: fmt.Sprintf(format, a...)}
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// profile overlays the members of n on base.
func (pp profileParser) profile(n *node, at string, base Profile) (Profile, error) {
	if n.kind != jsondiag.Object {
		return Profile{}, pp.errf(n, at, "want a profile object, got %s", n.kind)
	}
	p := base.clone()
	for _, m := range n.members {
		field := join(at, m.key)
		var err error
		switch m.key {
		case commentKey:
		case "name":
			p.Name, err = pp.optString(m.val, field, nil)
		case "givenName":
			p.GivenName, err = pp.optString(m.val, field, nil)
		case "email":
			p.Email, err = pp.optString(m.val, field, nil)
		case "mobile":
			p.Mobile, err = pp.mobile(m.val, field)
		case "address":
			p.Address, err = pp.address(m.val, field)
		case "settings":
			p.Settings, err = pp.settings(m.val, field, p.Settings)
		default:
			err = &fileError{file: pp.file, line: m.line, field: field,
				msg: "unknown profile field (want name, givenName, email, mobile, address, settings)"}
		}
		if err != nil {
			return Profile{}, err
		}
	}
	return p, nil
}

// optString decodes a string or null; allowed, when not nil, lists the
// values accepted.
func (pp profileParser) optString(n *node, field string, allowed []string) (*string, error) {
	switch n.kind {
	case jsondiag.Null:
		return nil, nil
	case jsondiag.String:
		if allowed != nil && !slices.Contains(allowed, n.str) {
			return nil, pp.errf(n, field, "%q is not one of %s", n.str, strings.Join(allowed, ", "))
		}
		return new(n.str), nil
	}
	return nil, pp.errf(n, field, "want a string or null, got %s", n.kind)
}

// object decodes a flat object of strings into the fields named by dst.
func (pp profileParser) object(n *node, at string, dst map[string]*string) error {
	if n.kind != jsondiag.Object {
		return pp.errf(n, at, "want an object or null, got %s", n.kind)
	}
	for _, m := range n.members {
		if m.key == commentKey {
			continue
		}
		field := join(at, m.key)
		p, ok := dst[m.key]
		if !ok {
			keys := make([]string, 0, len(dst))
			for k := range dst {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			return &fileError{file: pp.file, line: m.line, field: field, msg: "unknown field (want " + strings.Join(keys, ", ") + ")"}
		}
		if m.val.kind != jsondiag.String {
			return pp.errf(m.val, field, "want a string, got %s", m.val.kind)
		}
		*p = m.val.str
	}
	return nil
}

func (pp profileParser) mobile(n *node, at string) (*MobileNumber, error) {
	if n.kind == jsondiag.Null {
		return nil, nil
	}
	var mn MobileNumber
	err := pp.object(n, at, map[string]*string{"countryCode": &mn.CountryCode, "phoneNumber": &mn.PhoneNumber})
	if err == nil && mn.PhoneNumber == "" {
		err = pp.errf(n, at+".phoneNumber", "missing or empty (use \"mobile\": null for a user without a number)")
	}
	return &mn, err
}

func (pp profileParser) address(n *node, at string) (*Address, error) {
	if n.kind == jsondiag.Null {
		return nil, nil
	}
	var a Address
	err := pp.object(n, at, map[string]*string{
		"addressLine1": &a.AddressLine1, "addressLine2": &a.AddressLine2, "addressLine3": &a.AddressLine3,
		"city": &a.City, "stateOrRegion": &a.StateOrRegion, "districtOrCounty": &a.DistrictOrCounty,
		"countryCode": &a.CountryCode, "postalCode": &a.PostalCode,
	})
	return &a, err
}

func (pp profileParser) settings(n *node, at string, base Settings) (Settings, error) {
	if n.kind == jsondiag.Null {
		return Settings{}, nil
	}
	if n.kind != jsondiag.Object {
		return Settings{}, pp.errf(n, at, "want an object or null, got %s", n.kind)
	}
	s := base
	for _, m := range n.members {
		field := join(at, m.key)
		var err error
		switch m.key {
		case commentKey:
		case "timeZone":
			s.TimeZone, err = pp.optString(m.val, field, nil)
		case "distanceUnits":
			s.DistanceUnits, err = pp.optString(m.val, field, []string{DistanceMetric, DistanceImperial})
		case "temperatureUnit":
			s.TemperatureUnit, err = pp.optString(m.val, field, []string{TemperatureCelsius, TemperatureFahrenheit})
		default:
			err = &fileError{file: pp.file, line: m.line, field: field, msg: "unknown field (want timeZone, distanceUnits, temperatureUnit)"}
		}
		if err != nil {
			return Settings{}, err
		}
	}
	return s, nil
}
