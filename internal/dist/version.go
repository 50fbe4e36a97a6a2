package dist

import (
	"fmt"
	"regexp"
	"strings"
)

// Version is one release version in the spellings each ecosystem wants.
type Version struct {
	// Semver is the version for the binary and npm: 1.2.3, 1.2.3-rc.1.
	Semver string
	// Python is the same version as PEP 440 spells it: 1.2.3, 1.2.3rc1.
	Python string
}

var semverRE = regexp.MustCompile(`^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(\+.*)?$`)

// PEP 440 has four kinds of pre- and dev-release; these are the semver
// pre-release spellings asksim maps onto them.
var preRE = regexp.MustCompile(`^(alpha|a|beta|b|rc|dev)\.?(0|[1-9]\d*)?$`)

// ParseVersion reads a release version: semver MAJOR.MINOR.PATCH, an optional
// leading "v", and an optional pre-release alpha.N, beta.N, rc.N or dev.N,
// the ones PEP 440 can say too.
func ParseVersion(s string) (Version, error) {
	m := semverRE.FindStringSubmatch(s)
	if m == nil {
		return Version{}, fmt.Errorf("version %q: want MAJOR.MINOR.PATCH with an optional -alpha.N, -beta.N, -rc.N or -dev.N, e.g. 1.2.3 or 1.3.0-rc.1", s)
	}
	if m[5] != "" {
		return Version{}, fmt.Errorf("version %q: build metadata %q has no place in npm and Python versions; leave it out", s, m[5])
	}
	core := m[1] + "." + m[2] + "." + m[3]
	v := Version{Semver: core, Python: core}
	if m[4] == "" {
		return v, nil
	}
	p := preRE.FindStringSubmatch(m[4])
	if p == nil {
		return Version{}, fmt.Errorf("version %q: pre-release %q has no PEP 440 equivalent: use alpha.N, beta.N, rc.N or dev.N", s, m[4])
	}
	n := p[2]
	if n == "" {
		n = "0"
	}
	v.Semver += "-" + m[4]
	switch p[1] {
	case "alpha", "a":
		v.Python += "a" + n
	case "beta", "b":
		v.Python += "b" + n
	case "rc":
		v.Python += "rc" + n
	case "dev":
		v.Python += ".dev" + n
	}
	return v, nil
}

// wheelName is the distribution's file-name part of a wheel: the version
// with "-" escaped, as the wheel spec requires (PEP 440 versions normalised
// as above contain none, so this is only a guard).
func (v Version) wheelName() string { return strings.ReplaceAll(v.Python, "-", "_") }
