package dist

import (
	"strings"
	"testing"
)

func TestParseVersion(t *testing.T) {
	ok := []struct{ in, semver, python string }{
		{"1.2.3", "1.2.3", "1.2.3"},
		{"v0.1.0", "0.1.0", "0.1.0"},
		{"1.3.0-rc.1", "1.3.0-rc.1", "1.3.0rc1"},
		{"1.3.0-beta.2", "1.3.0-beta.2", "1.3.0b2"},
		{"1.3.0-alpha", "1.3.0-alpha", "1.3.0a0"},
		{"2.0.0-a1", "2.0.0-a1", "2.0.0a1"},
		{"0.0.0-dev.20260102030405", "0.0.0-dev.20260102030405", "0.0.0.dev20260102030405"},
	}
	for _, c := range ok {
		v, err := ParseVersion(c.in)
		if err != nil || v.Semver != c.semver || v.Python != c.python {
			t.Errorf("ParseVersion(%q) = %+v, %v; want %s / %s", c.in, v, err, c.semver, c.python)
		}
	}
	bad := []struct{ in, want string }{
		{"1.2", "want MAJOR.MINOR.PATCH"},
		{"01.2.3", "want MAJOR.MINOR.PATCH"},
		{"latest", "want MAJOR.MINOR.PATCH"},
		{"1.2.3+linux", `build metadata "+linux"`},
		{"1.2.3-preview.1", `pre-release "preview.1" has no PEP 440 equivalent`},
		{"1.2.3-rc.1.2", `pre-release "rc.1.2"`},
	}
	for _, c := range bad {
		_, err := ParseVersion(c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.in) {
			t.Errorf("ParseVersion(%q) error %v; want one naming the version and %q", c.in, err, c.want)
		}
	}
}

func FuzzParseVersion(f *testing.F) {
	for _, s := range []string{"1.2.3", "v1.3.0-rc.1", "0.0.0-dev.1", "1.2.3+x", "1..2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseVersion(s)
		if err != nil {
			return
		}
		// A version that parsed parses again to itself: what the binary
		// prints is what npm and pip were given.
		again, err := ParseVersion(v.Semver)
		if err != nil || again != v {
			t.Fatalf("ParseVersion(%q) = %+v, but its Semver parses to %+v, %v", s, v, again, err)
		}
		if strings.ContainsAny(v.Python, "-+ ") {
			t.Fatalf("ParseVersion(%q).Python = %q, not a normalised PEP 440 version", s, v.Python)
		}
	})
}
