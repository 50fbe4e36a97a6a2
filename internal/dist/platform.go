package dist

import (
	"fmt"
	"strings"
)

// Platform is one target of the release: a GOOS/GOARCH pair.
type Platform struct {
	GOOS, GOARCH string
}

// Platforms are the targets a release builds by default.
var Platforms = []Platform{
	{"linux", "amd64"}, {"linux", "arm64"},
	{"darwin", "amd64"}, {"darwin", "arm64"},
	{"windows", "amd64"}, {"windows", "arm64"},
}

func (p Platform) String() string { return p.GOOS + "/" + p.GOARCH }

// ParsePlatform reads "GOOS/GOARCH", one of Platforms.
func ParsePlatform(s string) (Platform, error) {
	goos, goarch, _ := strings.Cut(s, "/")
	p := Platform{goos, goarch}
	for _, q := range Platforms {
		if p == q {
			return p, nil
		}
	}
	var known []string
	for _, q := range Platforms {
		known = append(known, q.String())
	}
	return Platform{}, fmt.Errorf("unknown platform %q: want one of %s", s, strings.Join(known, ", "))
}

// Exe is the binary's file name on the platform.
func (p Platform) Exe() string {
	if p.GOOS == "windows" {
		return "asksim.exe"
	}
	return "asksim"
}

// binName is the binary's name in the release's bin/ directory.
func (p Platform) binName() string {
	name := "asksim-" + p.GOOS + "-" + p.GOARCH
	if p.GOOS == "windows" {
		name += ".exe"
	}
	return name
}

// NodeOS and NodeCPU are the platform as Node.js names it in process.platform
// and process.arch, and so in package.json's "os" and "cpu" fields.
func (p Platform) NodeOS() string {
	if p.GOOS == "windows" {
		return "win32"
	}
	return p.GOOS
}

func (p Platform) NodeCPU() string {
	if p.GOARCH == "amd64" {
		return "x64"
	}
	return p.GOARCH
}

// NpmName is the name of the platform's npm package, e.g. asksim-win32-x64:
// Node's names, as esbuild's @esbuild/win32-x64, because the launcher finds
// the package from process.platform and process.arch.
func (p Platform) NpmName() string { return "asksim-" + p.NodeOS() + "-" + p.NodeCPU() }

// WheelTag is the platform part of the wheel's file name, a compressed tag
// set (PEP 425) where the platform has several names.
//
// The binaries are static (CGO_ENABLED=0), so one Linux wheel serves glibc
// and musl alike, from manylinux2014 (glibc 2.17) and musl 1.1 up. Go 1.26
// supports macOS 12 Monterey and later.
func (p Platform) WheelTag() string {
	switch p {
	case Platform{"linux", "amd64"}:
		return "manylinux_2_17_x86_64.manylinux2014_x86_64.musllinux_1_1_x86_64"
	case Platform{"linux", "arm64"}:
		return "manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64"
	case Platform{"darwin", "amd64"}:
		return "macosx_12_0_x86_64"
	case Platform{"darwin", "arm64"}:
		return "macosx_12_0_arm64"
	case Platform{"windows", "amd64"}:
		return "win_amd64"
	case Platform{"windows", "arm64"}:
		return "win_arm64"
	}
	panic("dist: no wheel tag for " + p.String()) // Platforms lists only the above
}
