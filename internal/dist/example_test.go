package dist_test

import (
	"fmt"

	"github.com/asksim/asksim/internal/dist"
)

func ExampleParseVersion() {
	v, err := dist.ParseVersion("v1.3.0-rc.1")
	if err != nil {
		panic(err)
	}
	fmt.Println("npm:", v.Semver, "python:", v.Python)
	// Output: npm: 1.3.0-rc.1 python: 1.3.0rc1
}

func ExamplePlatform() {
	p, _ := dist.ParsePlatform("windows/amd64")
	fmt.Println(p.NpmName(), p.Exe(), p.WheelTag())
	// Output: asksim-win32-x64 asksim.exe win_amd64
}
