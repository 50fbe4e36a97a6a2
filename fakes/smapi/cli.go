package smapi

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
)

// CLIEnv is the environment that points the unmodified ASK CLI at the
// fakes: its environment profile (docs/smapi-contract.md §1.2), with SMAPI
// and Login with Amazon on loopback.
type CLIEnv struct {
	// SMAPIURL is ASK_SMAPI_SERVER_BASE_URL; LWAURL is both
	// ASK_LWA_TOKEN_HOST and ASK_LWA_AUTHORIZE_HOST and must be the root of
	// the LWA fake's address (the CLI drops any path).
	SMAPIURL, LWAURL string
	// ClientID and ClientSecret are the LWA client the CLI uses
	// (ASK_LWA_CLIENT_ID, ASK_LWA_CLIENT_CONFIRMATION).
	ClientID, ClientSecret string
	// RefreshToken is ASK_REFRESH_TOKEN, which the CLI exchanges before
	// every call; VendorID is ASK_VENDOR_ID.
	RefreshToken, VendorID string
	// CAFile, for fakes served over https with a local CA, is
	// NODE_EXTRA_CA_CERTS: without it Node.js refuses the certificate
	// (docs/smapi-contract.md §1.1).
	CAFile string
}

// EnvVar is one NAME=VALUE of the environment.
type EnvVar struct{ Name, Value string }

// Vars returns the variables in a stable order. The AWS keys are dummies:
// the CLI's environment profile needs them set even when nothing touches
// AWS. ASK_SKIP_NEW_VERSION_REMINDER spares each command a look-up at the
// npm registry.
func (e CLIEnv) Vars() []EnvVar {
	vars := []EnvVar{
		{"ASK_SMAPI_SERVER_BASE_URL", e.SMAPIURL},
		{"ASK_LWA_TOKEN_HOST", e.LWAURL},
		{"ASK_LWA_AUTHORIZE_HOST", e.LWAURL},
		{"ASK_LWA_CLIENT_ID", e.ClientID},
		{"ASK_LWA_CLIENT_CONFIRMATION", e.ClientSecret},
		{"ASK_REFRESH_TOKEN", e.RefreshToken},
		{"ASK_VENDOR_ID", e.VendorID},
		{"AWS_ACCESS_KEY_ID", "asksim-dummy"},
		{"AWS_SECRET_ACCESS_KEY", "asksim-dummy"},
		{"ASK_SKIP_NEW_VERSION_REMINDER", "true"},
	}
	if e.CAFile != "" {
		vars = append(vars, EnvVar{"NODE_EXTRA_CA_CERTS", e.CAFile})
	}
	return vars
}

// Environ returns the variables as os/exec wants them, NAME=VALUE.
func (e CLIEnv) Environ() []string {
	var out []string
	for _, v := range e.Vars() {
		out = append(out, v.Name+"="+v.Value)
	}
	return out
}

// WriteExports writes one `export NAME='VALUE'` line per variable, quoted
// for POSIX shells, so that `source FILE` or `eval "$(…)"` sets them.
func (e CLIEnv) WriteExports(w io.Writer) error {
	for _, v := range e.Vars() {
		if _, err := fmt.Fprintf(w, "export %s=%s\n", v.Name, ShellQuote(v.Value)); err != nil {
			return err
		}
	}
	return nil
}

// ShellQuote quotes s for a POSIX shell: in single quotes, where each
// single quote of s closes the quoting, is escaped with a backslash and
// reopens it.
func ShellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// WriteFile writes the export lines to path with mode 0600, also when the
// file existed with a wider mode: it holds a refresh token.
func (e CLIEnv) WriteFile(path string) error {
	var b bytes.Buffer
	e.WriteExports(&b)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(b.Bytes()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
