// Package dist builds asksim's release: static binaries for every platform,
// npm packages on esbuild's pattern, and Python wheels that hold the binary
// as a script, as ruff's do, with a SHA256SUMS over all of them.
//
// The build is reproducible: the same source, version, commit and date give
// the same bytes. The binaries are built with -trimpath, -buildvcs=false and
// an empty build ID, the version is stamped with -ldflags -X; the archives
// are written by archive/tar, compress/gzip and archive/zip from memory, their
// entries sorted, owned by uid 0 and timed at the commit's date.
package dist

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// buildinfoPkg is the package whose variables the linker stamps.
const buildinfoPkg = "github.com/asksim/asksim/internal/buildinfo"

// Config says what to build and where.
type Config struct {
	// Out is the directory that receives bin/, npm/, pypi/ and SHA256SUMS.
	// Build replaces those and leaves anything else in Out alone.
	Out string
	// Version is the release version (see ParseVersion). Empty means the
	// tag vX.Y.Z on the commit if there is one, else 0.0.0-dev.<commit date>.
	Version string
	// Commit and Date (RFC 3339) are the source's revision and its commit
	// time; empty means ask git in Dir. Date also times every archive entry.
	Commit, Date string
	// Modified marks a build of a tree with uncommitted changes; it is read
	// from git along with Commit.
	Modified bool
	// Platforms to build; nil means Platforms.
	Platforms []Platform
	// Dir is the module's root directory; empty means the working directory.
	Dir string
	// Go is the go command; empty means "go" on PATH.
	Go string
	// Log receives a line per step; nil discards them.
	Log io.Writer

	// compile builds one binary; tests replace the Go toolchain with it.
	compile func(ctx context.Context, c *Config, p Platform, out string) error
}

// Artifact is one file of a release.
type Artifact struct {
	// Path is relative to Config.Out, with forward slashes.
	Path   string
	SHA256 [32]byte
	Size   int64
}

// Release is what Build made.
type Release struct {
	Version   Version
	Commit    string
	Date      time.Time
	Modified  bool
	Artifacts []Artifact // sorted by Path, as in SHA256SUMS
}

// Build makes the release described by cfg.
func Build(ctx context.Context, cfg Config) (*Release, error) {
	c := cfg
	if c.Out == "" {
		return nil, errors.New("dist: no output directory")
	}
	if c.Go == "" {
		c.Go = "go"
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	if c.Platforms == nil {
		c.Platforms = Platforms
	}
	if c.compile == nil {
		c.compile = goBuild
	}
	if err := c.resolveSource(ctx); err != nil {
		return nil, err
	}
	date, err := time.Parse(time.RFC3339, c.Date)
	if err != nil {
		return nil, fmt.Errorf("dist: date %q: want RFC 3339, e.g. 2026-01-02T15:04:05Z", c.Date)
	}
	date = date.UTC()
	if date.Year() < 1980 {
		return nil, fmt.Errorf("dist: date %s: zip archives cannot hold times before 1980", c.Date)
	}
	c.Date = date.Format(time.RFC3339)
	if c.Version == "" {
		c.Version = c.defaultVersion(ctx, date)
	}
	v, err := ParseVersion(c.Version)
	if err != nil {
		return nil, fmt.Errorf("dist: %w", err)
	}
	c.Version = v.Semver
	seen := map[Platform]bool{}
	for _, p := range c.Platforms {
		if _, err := ParsePlatform(p.String()); err != nil {
			return nil, fmt.Errorf("dist: %w", err)
		}
		if seen[p] {
			return nil, fmt.Errorf("dist: platform %s given twice", p)
		}
		seen[p] = true
	}

	for _, sub := range []string{"bin", "npm", "pypi", "SHA256SUMS"} {
		if err := os.RemoveAll(filepath.Join(c.Out, sub)); err != nil {
			return nil, err
		}
	}
	for _, sub := range []string{"bin", "npm", "pypi"} {
		if err := os.MkdirAll(filepath.Join(c.Out, sub), 0o755); err != nil {
			return nil, err
		}
	}
	rel := &Release{Version: v, Commit: c.Commit, Date: date, Modified: c.Modified}
	write := func(path string, data []byte, mode os.FileMode) error {
		if err := os.WriteFile(filepath.Join(c.Out, filepath.FromSlash(path)), data, mode); err != nil {
			return err
		}
		rel.Artifacts = append(rel.Artifacts, Artifact{Path: path, SHA256: sha256.Sum256(data), Size: int64(len(data))})
		return nil
	}

	for _, p := range c.Platforms {
		fmt.Fprintf(c.Log, "build %s\n", p)
		binPath := filepath.Join(c.Out, "bin", p.binName())
		if err := c.compile(ctx, &c, p, binPath); err != nil {
			return nil, fmt.Errorf("dist: build %s: %w", p, err)
		}
		bin, err := os.ReadFile(binPath)
		if err != nil {
			return nil, err
		}
		// Rewrite it so that its mode, too, is the same on every machine.
		if err := write("bin/"+p.binName(), bin, 0o755); err != nil {
			return nil, err
		}
		if err := os.Chmod(binPath, 0o755); err != nil {
			return nil, err
		}
		pkg, err := npmPlatform(v, p, bin, date)
		if err != nil {
			return nil, fmt.Errorf("dist: npm package for %s: %w", p, err)
		}
		if err := write("npm/"+npmFileName(p.NpmName(), v), pkg, 0o644); err != nil {
			return nil, err
		}
		whl, err := wheel(v, p, bin, date)
		if err != nil {
			return nil, fmt.Errorf("dist: wheel for %s: %w", p, err)
		}
		if err := write("pypi/"+wheelFileName(v, p), whl, 0o644); err != nil {
			return nil, err
		}
	}
	pkg, err := npmMain(v, c.Platforms, date)
	if err != nil {
		return nil, fmt.Errorf("dist: npm main package: %w", err)
	}
	if err := write("npm/"+npmFileName("asksim", v), pkg, 0o644); err != nil {
		return nil, err
	}
	sort.Slice(rel.Artifacts, func(i, j int) bool { return rel.Artifacts[i].Path < rel.Artifacts[j].Path })
	if err := os.WriteFile(filepath.Join(c.Out, "SHA256SUMS"), rel.Sums(), 0o644); err != nil {
		return nil, err
	}
	fmt.Fprintf(c.Log, "asksim %s (commit %s, %s): %d files in %s\n", v.Semver, c.Commit, c.Date, len(rel.Artifacts), c.Out)
	return rel, nil
}

// Sums is the SHA256SUMS file: what sha256sum prints, and what
// "sha256sum -c SHA256SUMS" checks in the output directory.
func (r *Release) Sums() []byte {
	var b bytes.Buffer
	for _, a := range r.Artifacts {
		fmt.Fprintf(&b, "%x  %s\n", a.SHA256, a.Path)
	}
	return b.Bytes()
}

// resolveSource fills in the commit, its date and the modified flag from git
// where cfg left them out.
func (c *Config) resolveSource(ctx context.Context) error {
	if c.Commit != "" && c.Date != "" {
		return nil
	}
	commit, err := c.git(ctx, "rev-parse", "HEAD")
	if err != nil {
		return fmt.Errorf("dist: %w; outside a git checkout, give the commit and date", err)
	}
	date, err := c.git(ctx, "log", "-1", "--format=%cI", "HEAD")
	if err != nil {
		return fmt.Errorf("dist: %w", err)
	}
	// Untracked files (such as the output directory itself) do not change
	// the build; tracked ones that differ from the commit do.
	status, err := c.git(ctx, "status", "--porcelain", "--untracked-files=no")
	if err != nil {
		return fmt.Errorf("dist: %w", err)
	}
	if c.Commit == "" {
		c.Commit = commit
		c.Modified = status != ""
	}
	if c.Date == "" {
		c.Date = date
	}
	return nil
}

// defaultVersion is the vX.Y.Z tag on the commit, else a dev version named
// after the commit's date, so that two builds of one commit agree.
func (c *Config) defaultVersion(ctx context.Context, date time.Time) string {
	if tags, err := c.git(ctx, "tag", "--points-at", c.Commit, "--list", "v[0-9]*"); err == nil {
		var ok []string
		for _, t := range strings.Fields(tags) {
			if _, err := ParseVersion(t); err == nil {
				ok = append(ok, t)
			}
		}
		if len(ok) > 0 {
			sort.Strings(ok)
			return ok[len(ok)-1]
		}
	}
	return "0.0.0-dev." + date.Format("20060102150405")
}

func (c *Config) git(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = c.Dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// goBuild compiles cmd/asksim for p with the flags that make the binary
// depend on the source, the version stamp and the Go toolchain alone.
func goBuild(ctx context.Context, c *Config, p Platform, out string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	modified := "false"
	if c.Modified {
		modified = "true"
	}
	ldflags := strings.Join([]string{
		"-s", "-w", // no symbol table or DWARF: a third smaller
		"-buildid=", // the build ID hashes inputs that include the path of the cache
		"-X", buildinfoPkg + ".version=" + c.Version,
		"-X", buildinfoPkg + ".commit=" + c.Commit,
		"-X", buildinfoPkg + ".date=" + c.Date,
		"-X", buildinfoPkg + ".modified=" + modified,
	}, " ")
	cmd := exec.CommandContext(ctx, c.Go, "build", "-trimpath", "-buildvcs=false", "-ldflags", ldflags, "-o", abs, "./cmd/asksim")
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(),
		"CGO_ENABLED=0", "GOOS="+p.GOOS, "GOARCH="+p.GOARCH,
		// The baseline instruction sets, whatever the builder's own
		// environment asks for, so that the binaries run on every machine
		// of their platform.
		"GOAMD64=v1", "GOARM64=v8.0",
		// No flags from the environment (-race, -cover, -tags) reach a
		// release; the stamp above replaces the VCS information.
		"GOFLAGS=-mod=readonly", "GOWORK=off",
	)
	var stderr bytes.Buffer
	cmd.Stdout = &stderr
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, stderr.String())
	}
	return nil
}
