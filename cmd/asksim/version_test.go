package main

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"github.com/asksim/asksim/internal/buildinfo"
)

func TestVersion_FlagAndCommandAgree(t *testing.T) {
	want := buildinfo.Get().String() + "\n"
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, stdout, stderr := runCLI(t, args...)
		if code != 0 || stdout != want || stderr != "" {
			t.Errorf("asksim %s: exit %d, stdout %q, stderr %q; want %q", strings.Join(args, " "), code, stdout, stderr, want)
		}
	}
	if !strings.Contains(want, runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH) {
		t.Errorf("version line %q lacks the Go version and platform", want)
	}
}

func TestVersion_JSON(t *testing.T) {
	for _, args := range [][]string{{"version", "--json"}, {"--version", "--json"}} {
		code, stdout, _ := runCLI(t, args...)
		var got buildinfo.Info
		if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != 0 {
			t.Fatalf("asksim %s: exit %d, %v in %q", strings.Join(args, " "), code, err, stdout)
		}
		if got != buildinfo.Get() {
			t.Errorf("asksim %s: %+v, want %+v", strings.Join(args, " "), got, buildinfo.Get())
		}
	}
}

func TestVersion_RefusesArguments(t *testing.T) {
	code, _, stderr := runCLI(t, "version", "extra")
	if code != 2 || !strings.Contains(stderr, `takes no arguments, got ["extra"]`) {
		t.Errorf("asksim version extra: exit %d, stderr %q", code, stderr)
	}
}
