package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestUsageErrorsExit2AndNameTheFault(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{nil, "--out DIR is required"},
		{[]string{"--out", "d", "--version", "1.2"}, `--version: version "1.2"`},
		{[]string{"--out", "d", "--platform", "linux/386"}, `--platform: unknown platform "linux/386"`},
		{[]string{"--out", "d", "extra"}, `unexpected arguments ["extra"]`},
		{[]string{"--bogus"}, "unknown flag: --bogus"},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := run(context.Background(), c.args, &out, &errb)
		if code != 2 || !strings.Contains(errb.String(), c.want) {
			t.Errorf("asksim-dist %q: exit %d, stderr %q; want exit 2 naming %q", c.args, code, errb.String(), c.want)
		}
	}
}

func TestHelp(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "--platform") {
		t.Errorf("--help: exit %d, %q", code, out.String())
	}
}
