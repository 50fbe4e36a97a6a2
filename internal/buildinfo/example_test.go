package buildinfo_test

import (
	"fmt"
	"runtime/debug"

	"github.com/asksim/asksim/internal/buildinfo"
)

func ExampleRead() {
	// What a binary from "go install github.com/asksim/asksim/cmd/asksim@v1.4.0" knows.
	bi := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.4.0"},
		Settings: []debug.BuildSetting{{Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "arm64"}}}
	fmt.Println(buildinfo.Read(bi, buildinfo.Stamp{}))
	// Output: asksim v1.4.0 (go1.26.0 linux/arm64)
}
