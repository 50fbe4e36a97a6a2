package dist

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"strings"
	"time"
)

// A wheel (PEP 427, PEP 491) holds the binary in its .data/scripts/
// directory, as ruff's and uv's do: pip installs it into the environment's
// scripts directory, on PATH, with its executable bit. A small Python package
// beside it finds the binary for "python -m asksim" and for callers that
// cannot rely on PATH.

const (
	pyName         = "asksim"
	requiresPython = ">=3.8"
)

// wheelFileName is the wheel's file name for the platform.
func wheelFileName(v Version, p Platform) string {
	return pyName + "-" + v.wheelName() + "-py3-none-" + p.WheelTag() + ".whl"
}

// wheelTags lists the WHEEL file's Tag lines: the compressed tag set
// expanded.
func wheelTags(p Platform) []string {
	var tags []string
	for _, plat := range strings.Split(p.WheelTag(), ".") {
		tags = append(tags, "py3-none-"+plat)
	}
	return tags
}

// wheel builds the platform's wheel. Entries come in a fixed order: the
// package, the script, then the .dist-info files with RECORD last, as the
// wheel spec recommends.
func wheel(v Version, p Platform, binary []byte, mtime time.Time) ([]byte, error) {
	distInfo := pyName + "-" + v.wheelName() + ".dist-info/"
	data := pyName + "-" + v.wheelName() + ".data/"
	tmpl := struct{ Version string }{v.Python}
	files := []file{
		{"asksim/__init__.py", 0o644, render("__init__.py", tmpl)},
		{"asksim/__main__.py", 0o644, render("__main__.py", tmpl)},
		{data + "scripts/" + p.Exe(), 0o755, binary},
		{distInfo + "METADATA", 0o644, wheelMetadata(v)},
		{distInfo + "WHEEL", 0o644, wheelWHEEL(p)},
	}
	files = append(files, file{distInfo + "RECORD", 0o644, record(files, distInfo+"RECORD")})
	return zipFiles(files, mtime)
}

// wheelMetadata is the core metadata (version 2.1), with the package README
// as its long description.
func wheelMetadata(v Version) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "Metadata-Version: 2.1\n")
	fmt.Fprintf(&b, "Name: %s\n", pyName)
	fmt.Fprintf(&b, "Version: %s\n", v.Python)
	fmt.Fprintf(&b, "Summary: %s\n", description)
	fmt.Fprintf(&b, "Home-page: %s\n", homepage)
	fmt.Fprintf(&b, "Project-URL: Source, %s\n", homepage)
	fmt.Fprintf(&b, "Keywords: alexa,alexa-skill,ask-sdk,testing,simulator,gherkin,oauth\n")
	for _, c := range []string{
		"Environment :: Console",
		"Intended Audience :: Developers",
		"Programming Language :: Go",
		"Topic :: Software Development :: Testing",
	} {
		fmt.Fprintf(&b, "Classifier: %s\n", c)
	}
	fmt.Fprintf(&b, "Requires-Python: %s\n", requiresPython)
	fmt.Fprintf(&b, "Description-Content-Type: text/markdown\n\n")
	b.Write(render("README.md", struct{ Version string }{v.Python}))
	return b.Bytes()
}

func wheelWHEEL(p Platform) []byte {
	var b bytes.Buffer
	b.WriteString("Wheel-Version: 1.0\n")
	b.WriteString("Generator: asksim-dist\n")
	// The binary is platform-specific, so the wheel installs into platlib.
	b.WriteString("Root-Is-Purelib: false\n")
	for _, t := range wheelTags(p) {
		fmt.Fprintf(&b, "Tag: %s\n", t)
	}
	return b.Bytes()
}

// record is the RECORD file (PEP 376, PEP 627): a CSV line per file of its
// path, sha256= and the urlsafe base64 digest without padding, and its size;
// RECORD itself comes last with neither.
func record(files []file, self string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	for _, f := range files {
		sum := sha256.Sum256(f.data)
		_ = w.Write([]string{f.name, "sha256=" + base64.RawURLEncoding.EncodeToString(sum[:]), fmt.Sprint(len(f.data))})
	}
	_ = w.Write([]string{self, "", ""})
	w.Flush()
	return b.Bytes()
}
