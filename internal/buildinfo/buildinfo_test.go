package buildinfo

import (
	"encoding/json"
	"runtime"
	"runtime/debug"
	"testing"
)

func settings(kv ...string) []debug.BuildSetting {
	var s []debug.BuildSetting
	for i := 0; i < len(kv); i += 2 {
		s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
	}
	return s
}

func TestRead(t *testing.T) {
	const rev = "4c9af91e2f0c5d6e7f8091a2b3c4d5e6f7081920"
	checkout := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/asksim/asksim", Version: "(devel)"},
		Settings: settings("GOOS", "darwin", "GOARCH", "arm64", "vcs", "git", "vcs.revision", rev,
			"vcs.time", "2026-01-02T03:04:05Z", "vcs.modified", "true")}
	cases := []struct {
		name  string
		bi    *debug.BuildInfo
		stamp Stamp
		want  Info
	}{
		{"release stamp wins over everything", checkout,
			Stamp{Version: "1.2.3", Commit: "abc", Date: "2025-12-31T00:00:00Z"},
			Info{Version: "1.2.3", Commit: "abc", Date: "2025-12-31T00:00:00Z", GoVersion: "go1.26.8", OS: "darwin", Arch: "arm64"}},
		{"stamped version alone keeps the VCS commit", checkout, Stamp{Version: "1.2.3"},
			Info{Version: "1.2.3", Commit: rev, Date: "2026-01-02T03:04:05Z", Modified: true, GoVersion: "go1.26.8", OS: "darwin", Arch: "arm64"}},
		{"checkout build", checkout, Stamp{},
			Info{Version: Devel, Commit: rev, Date: "2026-01-02T03:04:05Z", Modified: true, GoVersion: "go1.26.8", OS: "darwin", Arch: "arm64"}},
		{"go install at a tag", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.4.0"}}, Stamp{},
			Info{Version: "v1.4.0", GoVersion: "go1.26.0", OS: runtime.GOOS, Arch: runtime.GOARCH}},
		{"go install at a pseudo-version", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v0.0.0-20260102030405-4c9af91e2f0c"}}, Stamp{},
			Info{Version: "v0.0.0-20260102030405-4c9af91e2f0c", Commit: "4c9af91e2f0c", Date: "2026-01-02T03:04:05Z", GoVersion: "go1.26.0", OS: runtime.GOOS, Arch: runtime.GOARCH}},
		{"pseudo-version after a pre-release", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3-rc.1.0.20260102030405-abcdefabcdef"}}, Stamp{},
			Info{Version: "v1.2.3-rc.1.0.20260102030405-abcdefabcdef", Commit: "abcdefabcdef", Date: "2026-01-02T03:04:05Z", GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}},
		{"a pre-release that is no pseudo-version", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3-rc.1"}}, Stamp{},
			Info{Version: "v1.2.3-rc.1", GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}},
		{"no build information", nil, Stamp{},
			Info{Version: Devel, GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}},
		{"empty main version", &debug.BuildInfo{}, Stamp{},
			Info{Version: Devel, GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}},
	}
	for _, c := range cases {
		if got := Read(c.bi, c.stamp); got != c.want {
			t.Errorf("%s:\n got %+v\nwant %+v", c.name, got, c.want)
		}
	}
}

func TestString(t *testing.T) {
	cases := []struct {
		in   Info
		want string
	}{
		{Info{Version: "1.2.3", Commit: "4c9af91e2f0c5d6e7f8091a2b3c4d5e6f7081920", Date: "2026-01-02T03:04:05Z", GoVersion: "go1.26.0", OS: "linux", Arch: "amd64"},
			"asksim 1.2.3 (commit 4c9af91e2f0c, 2026-01-02T03:04:05Z; go1.26.0 linux/amd64)"},
		{Info{Version: Devel, Commit: "4c9af91e2f0c5d6e", Modified: true, GoVersion: "go1.26.0", OS: "windows", Arch: "arm64"},
			"asksim (devel) (commit 4c9af91e2f0c+modified; go1.26.0 windows/arm64)"},
		{Info{Version: "v1.4.0", GoVersion: "go1.26.0", OS: "darwin", Arch: "arm64"},
			"asksim v1.4.0 (go1.26.0 darwin/arm64)"},
	}
	for _, c := range cases {
		if got := c.in.String(); got != c.want {
			t.Errorf("String:\n got %q\nwant %q", got, c.want)
		}
	}
}

func TestJSONNamesEveryField(t *testing.T) {
	b, err := json.Marshal(Info{Version: "1.2.3", Commit: "c", Date: "d", Modified: true, GoVersion: "go1.26.0", OS: "linux", Arch: "arm64"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"version":"1.2.3","commit":"c","date":"d","modified":true,"goVersion":"go1.26.0","os":"linux","arch":"arm64"}`
	if string(b) != want {
		t.Errorf("JSON:\n got %s\nwant %s", b, want)
	}
}

func TestGetDescribesThisTestBinary(t *testing.T) {
	got := Get()
	if got.Version == "" || got.GoVersion != runtime.Version() || got.OS != runtime.GOOS || got.Arch != runtime.GOARCH {
		t.Errorf("Get() = %+v", got)
	}
}
