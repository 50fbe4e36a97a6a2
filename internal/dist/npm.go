package dist

import (
	"encoding/json"
	"time"
)

// The npm packages follow esbuild's pattern: a main package whose bin is a
// small JS launcher, and one package per platform holding the binary, each
// with "os" and "cpu" fields so that npm installs only the one that fits,
// named in the main package's optionalDependencies at the exact version.

const (
	homepage    = "https://github.com/asksim/asksim"
	repoURL     = "git+https://github.com/asksim/asksim.git"
	description = "Alexa skill simulator and test harness: request envelopes, fake Alexa APIs, an OAuth account-linking server and Gherkin features, offline"
)

// mainManifest is the main package's package.json. Its fields are in a
// struct, not a map, so that they are written in this order every time.
type mainManifest struct {
	Name                 string            `json:"name"`
	Version              string            `json:"version"`
	Description          string            `json:"description"`
	Keywords             []string          `json:"keywords"`
	Homepage             string            `json:"homepage"`
	Repository           repository        `json:"repository"`
	Bin                  map[string]string `json:"bin"`
	Engines              map[string]string `json:"engines"`
	OptionalDependencies map[string]string `json:"optionalDependencies"`
}

type platformManifest struct {
	Name        string     `json:"name"`
	Version     string     `json:"version"`
	Description string     `json:"description"`
	Homepage    string     `json:"homepage"`
	Repository  repository `json:"repository"`
	OS          []string   `json:"os"`
	CPU         []string   `json:"cpu"`
	// preferUnplugged keeps Yarn PnP from serving the binary out of a zip,
	// where it cannot be executed.
	PreferUnplugged bool `json:"preferUnplugged"`
}

type repository struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

func manifestJSON(v any) []byte {
	// encoding/json sorts map keys, so optionalDependencies come out sorted.
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic("dist: package.json: " + err.Error()) // plain structs of strings
	}
	return append(b, '\n')
}

// npmMain is the main package, asksim-<version>.tgz.
func npmMain(v Version, platforms []Platform, mtime time.Time) ([]byte, error) {
	optional := map[string]string{}
	packages := map[string]string{}
	for _, p := range platforms {
		optional[p.NpmName()] = v.Semver
		packages[p.NodeOS()+"-"+p.NodeCPU()] = p.NpmName()
	}
	m := mainManifest{
		Name: "asksim", Version: v.Semver, Description: description,
		Keywords:   []string{"alexa", "alexa-skill", "ask-sdk", "testing", "simulator", "gherkin", "oauth"},
		Homepage:   homepage,
		Repository: repository{"git", repoURL},
		Bin:        map[string]string{"asksim": "bin/asksim"},
		// The launcher needs only what Node.js 14 has.
		Engines:              map[string]string{"node": ">=14"},
		OptionalDependencies: optional,
	}
	data := struct {
		Version  string
		Packages map[string]string
	}{v.Semver, packages}
	return tgz([]file{
		{"package/package.json", 0o644, manifestJSON(m)},
		{"package/README.md", 0o644, render("README.md", data)},
		{"package/bin/asksim", 0o755, render("launcher.js", data)},
	}, mtime)
}

// npmPlatform is one platform's package, asksim-<os>-<cpu>-<version>.tgz.
func npmPlatform(v Version, p Platform, binary []byte, mtime time.Time) ([]byte, error) {
	m := platformManifest{
		Name: p.NpmName(), Version: v.Semver,
		Description: "The " + p.String() + " binary of asksim; install the package asksim, which uses it",
		Homepage:    homepage, Repository: repository{"git", repoURL},
		OS: []string{p.NodeOS()}, CPU: []string{p.NodeCPU()}, PreferUnplugged: true,
	}
	return tgz([]file{
		{"package/package.json", 0o644, manifestJSON(m)},
		{"package/README.md", 0o644, render("README.md", struct{ Version string }{v.Semver})},
		{"package/bin/" + p.Exe(), 0o755, binary},
	}, mtime)
}

// npmFileName is how npm pack names a package's tarball.
func npmFileName(name string, v Version) string { return name + "-" + v.Semver + ".tgz" }
