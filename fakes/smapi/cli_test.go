package smapi_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asksim/asksim/fakes/smapi"
)

func TestCLIEnv_ExportsSurviveTheShell(t *testing.T) {
	env := smapi.CLIEnv{SMAPIURL: "http://127.0.0.1:8765", LWAURL: "http://127.0.0.1:8765", ClientID: "amzn1.application-oa2-client.x",
		ClientSecret: "it's secret", RefreshToken: "Atzr|abc$def`x`", VendorID: "M2ASKSIMVENDOR"}
	var script strings.Builder
	if err := env.WriteExports(&script); err != nil {
		t.Fatal(err)
	}
	for _, v := range env.Vars() {
		script.WriteString(`printf '%s\n' "$` + v.Name + `"` + "\n")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	out, err := exec.Command(sh, "-c", script.String()).Output()
	if err != nil {
		t.Fatalf("sh: %v", err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	for i, v := range env.Vars() {
		if i >= len(got) || got[i] != v.Value {
			t.Errorf("%s = %q after sourcing, want %q", v.Name, got[i], v.Value)
		}
	}
	names := map[string]bool{}
	for _, v := range env.Vars() {
		names[v.Name] = true
	}
	for _, want := range []string{"ASK_SMAPI_SERVER_BASE_URL", "ASK_LWA_TOKEN_HOST", "ASK_LWA_AUTHORIZE_HOST", "ASK_LWA_CLIENT_ID",
		"ASK_LWA_CLIENT_CONFIRMATION", "ASK_REFRESH_TOKEN", "ASK_VENDOR_ID", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ASK_SKIP_NEW_VERSION_REMINDER"} {
		if !names[want] {
			t.Errorf("%s missing", want)
		}
	}
	if e := env.Environ(); len(e) != 10 || e[0] != "ASK_SMAPI_SERVER_BASE_URL=http://127.0.0.1:8765" {
		t.Errorf("Environ %v", e)
	}
}

func TestCLIEnv_CAFileForHTTPS(t *testing.T) {
	plain := smapi.CLIEnv{SMAPIURL: "http://127.0.0.1:1"}
	for _, v := range plain.Vars() {
		if v.Name == "NODE_EXTRA_CA_CERTS" {
			t.Error("NODE_EXTRA_CA_CERTS without a CA file")
		}
	}
	tls := smapi.CLIEnv{SMAPIURL: "https://127.0.0.1:1", CAFile: "/tmp/ca.pem"}
	vars := tls.Vars()
	if last := vars[len(vars)-1]; last != (smapi.EnvVar{Name: "NODE_EXTRA_CA_CERTS", Value: "/tmp/ca.pem"}) {
		t.Errorf("last variable %+v", last)
	}
}

func TestCLIEnv_WriteFileIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ask.env")
	if err := os.WriteFile(path, []byte("old and longer than the new contents, by far, surely\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := smapi.CLIEnv{SMAPIURL: "http://127.0.0.1:1", RefreshToken: "Atzr|x"}
	if err := env.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v; want 0600", st.Mode(), err)
	}
	data, _ := os.ReadFile(path)
	var want strings.Builder
	env.WriteExports(&want)
	if string(data) != want.String() {
		t.Errorf("file:\n%s\nwant:\n%s", data, want.String())
	}
	if err := env.WriteFile(filepath.Join(path, "sub")); err == nil {
		t.Error("WriteFile under a file succeeded")
	}
}
