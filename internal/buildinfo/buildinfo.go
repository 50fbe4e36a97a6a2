// Package buildinfo says which asksim this is: the version, the commit and
// build date it was made from, and the Go toolchain and platform.
//
// A release build stamps the version, commit and date with the linker
// (cmd/asksim-dist passes -ldflags "-X ..."); a binary made with
// "go install github.com/asksim/asksim/cmd/asksim@vX" carries its module
// version in its build information instead; a binary built in a checkout
// carries the commit and date the go command read from git. Read prefers
// them in that order, so every kind of build names itself as exactly as it
// can.
package buildinfo

import (
	"fmt"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

// Set by the linker in release builds:
//
//	-X github.com/asksim/asksim/internal/buildinfo.version=1.2.3
//	-X github.com/asksim/asksim/internal/buildinfo.commit=<sha>
//	-X github.com/asksim/asksim/internal/buildinfo.date=2006-01-02T15:04:05Z
//	-X github.com/asksim/asksim/internal/buildinfo.modified=true
//
// They are variables, not constants, because -X can only set variables.
var version, commit, date, modified string

// Devel is the version of a build that was given none: a checkout built with
// go build or go run.
const Devel = "(devel)"

// Info describes one asksim binary. Its JSON form is what
// "asksim version --json" prints.
type Info struct {
	// Version is the release version, or the module version of go install
	// …@vX, or Devel.
	Version string `json:"version"`
	// Commit is the full VCS revision, empty when unknown.
	Commit string `json:"commit,omitempty"`
	// Date is when Commit was made (the go command's vcs.time, or the
	// release's stamp), in RFC 3339 UTC; empty when unknown.
	Date string `json:"date,omitempty"`
	// Modified reports uncommitted changes in the tree that was built.
	Modified bool `json:"modified,omitempty"`
	// GoVersion is the toolchain that built the binary, e.g. go1.26.0.
	GoVersion string `json:"goVersion"`
	OS        string `json:"os"`
	Arch      string `json:"arch"`
}

// Stamp is what a release build sets with -ldflags -X.
type Stamp struct {
	Version, Commit, Date string
	Modified              bool
}

// Get describes the running binary.
func Get() Info {
	bi, _ := debug.ReadBuildInfo()
	return Read(bi, Stamp{Version: version, Commit: commit, Date: date, Modified: modified == "true"})
}

// Read describes a binary from its build information (nil when it has
// none) and its release stamp. A stamped value wins over what the build
// information says; the Go version and platform always come from bi when it
// is there, else from the running program.
func Read(bi *debug.BuildInfo, s Stamp) Info {
	info := Info{Version: s.Version, Commit: s.Commit, Date: s.Date, Modified: s.Modified,
		GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	if bi == nil {
		if info.Version == "" {
			info.Version = Devel
		}
		return info
	}
	if bi.GoVersion != "" {
		info.GoVersion = bi.GoVersion
	}
	var vcsRev, vcsTime string
	var vcsModified bool
	for _, kv := range bi.Settings {
		switch kv.Key {
		case "GOOS":
			info.OS = kv.Value
		case "GOARCH":
			info.Arch = kv.Value
		case "vcs.revision":
			vcsRev = kv.Value
		case "vcs.time":
			vcsTime = kv.Value
		case "vcs.modified":
			vcsModified = kv.Value == "true"
		}
	}
	if info.Version == "" {
		info.Version = bi.Main.Version
		if info.Version == "" {
			info.Version = Devel
		}
	}
	if info.Commit == "" && info.Date == "" {
		info.Commit, info.Date, info.Modified = vcsRev, vcsTime, vcsModified
		if info.Commit == "" {
			// go install …@<pseudo-version> has no VCS settings, but the
			// pseudo-version names the commit and its time.
			info.Commit, info.Date = pseudoVersion(info.Version)
		}
	}
	return info
}

// A pseudo-version ends in .yyyymmddhhmmss-<12 hex digits> or
// -yyyymmddhhmmss-<12 hex digits> (go.dev/ref/mod#pseudo-versions).
var pseudoRE = regexp.MustCompile(`^v\d+\.\d+\.\d+-(?:.*[.-])?(\d{14})-([0-9a-f]{12})(?:\+incompatible)?$`)

// pseudoVersion returns the commit prefix and UTC time a pseudo-version
// names, or empty strings for any other version.
func pseudoVersion(v string) (commit, date string) {
	m := pseudoRE.FindStringSubmatch(v)
	if m == nil {
		return "", ""
	}
	t, err := time.Parse("20060102150405", m[1])
	if err != nil {
		return "", ""
	}
	return m[2], t.UTC().Format(time.RFC3339)
}

// String is the one line "asksim version" prints, e.g.
//
//	asksim 1.2.3 (commit 4c9af91e2f0c, 2026-01-02T03:04:05Z; go1.26.0 linux/amd64)
func (i Info) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "asksim %s (", i.Version)
	if i.Commit != "" {
		c := i.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		fmt.Fprintf(&b, "commit %s", c)
		if i.Modified {
			b.WriteString("+modified")
		}
		if i.Date != "" {
			fmt.Fprintf(&b, ", %s", i.Date)
		}
		b.WriteString("; ")
	}
	fmt.Fprintf(&b, "%s %s/%s)", i.GoVersion, i.OS, i.Arch)
	return b.String()
}
