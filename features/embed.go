package features

import "embed"

// FS holds the bundled feature files, which run against the example skill
// in fixtures/skill and read as examples for QA.
//
//go:embed *.feature
var FS embed.FS
