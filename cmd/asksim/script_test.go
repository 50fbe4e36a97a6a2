package main

import (
	"crypto/rsa"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/asksim/asksim/fakes/oauth"
	"github.com/asksim/asksim/fakes/serve"
	exampleskill "github.com/asksim/asksim/fixtures/skill"
	"github.com/asksim/asksim/simulator/apitoken"
	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the cmp sections of testdata/script/*.txtar with what asksim printed")

// statusFileEnv names the file where the scripts' asksim leaves its exit
// status for the status command. A Go panic also exits 2, so '! exec' alone
// cannot tell a usage error from a crash; a crash never writes the file.
const statusFileEnv = "ASKSIM_SCRIPT_STATUS_FILE"

// TestMain lets the scripts run asksim as a command: testscript re-executes
// this test binary under that name, and the binary runs asksimMain, the same
// code as the installed one, in a process of its own.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"asksim": func() {
			f := os.Getenv(statusFileEnv)
			if f != "" {
				// An earlier run's status, not consumed, must not stand in
				// for this run's if it crashes.
				_ = os.Remove(f)
			}
			code := asksimMain()
			if f != "" {
				if err := os.WriteFile(f, []byte(strconv.Itoa(code)), 0o644); err != nil {
					fmt.Fprintf(os.Stderr, "script harness: %v\n", err)
					os.Exit(125)
				}
			}
			os.Exit(code)
		},
	})
}

// TestScript runs the scripts in testdata/script, which pin what asksim
// prints and how it exits. Run one with -run TestScript/NAME; refresh the
// cmp sections with -update. See README's Development section.
func TestScript(t *testing.T) {
	fixtures, err := filepath.Abs(filepath.Join("..", "..", "fixtures"))
	if err != nil {
		t.Fatal(err)
	}
	// The OAuth fake of every script signs with the fixture key: a key
	// generated per script would cost each a few hundred ms under -race.
	key, err := apitoken.LoadKeyFile(filepath.Join(fixtures, "keys", "test-key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup:               func(env *testscript.Env) error { return setupScript(env, fixtures, key) },
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"envfile": cmdEnvFile,
			"json":    cmdJSON,
			"mode":    cmdMode,
			"status":  cmdStatus,
		},
	})
}

// setupScript gives every script what asksim talks to, on loopback, and
// exports where it is:
//
//	$FIXTURES    the repository's fixtures directory
//	$OAUTH       the OAuth fake (fixtures/oauth/default.json), e.g. http://127.0.0.1:PORT
//	$SKILL       the example skill (fixtures/skill), its /userinfo calls going to $OAUTH
//	$BUSY_ADDR   a loopback HOST:PORT that is taken for the whole script
//	$CLOSED_URL  an http URL of a loopback port that refuses connections
//	$LINK_SKILL  another example skill, whose /userinfo calls go to $LINK_OAUTH_ADDR
//	$LINK_OAUTH_ADDR  a free loopback HOST:PORT for an OAuth fake that
//	             asksim serves itself (send --oauth-addr), so that the
//	             skill at $LINK_SKILL checks the token asksim linked
//
// Each is stopped when the script ends.
func setupScript(env *testscript.Env, fixtures string, key *rsa.PrivateKey) error {
	env.Setenv("FIXTURES", fixtures)
	env.Setenv(statusFileEnv, filepath.Join(env.WorkDir, ".asksim-status"))

	cfg := oauth.DefaultConfig()
	cfg.SigningKey = key
	auth, err := oauth.New(cfg)
	if err != nil {
		return err
	}
	oauthSrv, err := serve.Start(auth, serve.Options{})
	if err != nil {
		return fmt.Errorf("OAuth fake: %w", err)
	}
	env.Defer(func() { oauthSrv.Close() })
	env.Setenv("OAUTH", oauthSrv.URL)

	skillSrv, err := serve.Start(exampleskill.New(exampleskill.Options{UserInfoURL: oauthSrv.URL + "/userinfo"}), serve.Options{})
	if err != nil {
		return fmt.Errorf("example skill: %w", err)
	}
	env.Defer(func() { skillSrv.Close() })
	env.Setenv("SKILL", skillSrv.URL)

	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	env.Defer(func() { busy.Close() })
	env.Setenv("BUSY_ADDR", busy.Addr().String())

	// A port just closed refuses connections until someone else takes it,
	// which a test run on loopback makes unlikely within a script.
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	env.Setenv("CLOSED_URL", "http://"+closed.Addr().String())
	if err := closed.Close(); err != nil {
		return err
	}

	// The same holds for the port of the OAuth fake asksim serves itself:
	// free until the script's asksim takes it.
	linkOAuth, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	linkOAuthAddr := linkOAuth.Addr().String()
	if err := linkOAuth.Close(); err != nil {
		return err
	}
	env.Setenv("LINK_OAUTH_ADDR", linkOAuthAddr)
	linkSkill, err := serve.Start(exampleskill.New(exampleskill.Options{UserInfoURL: "http://" + linkOAuthAddr + "/userinfo"}), serve.Options{})
	if err != nil {
		return fmt.Errorf("example skill for $LINK_OAUTH_ADDR: %w", err)
	}
	env.Defer(func() { linkSkill.Close() })
	env.Setenv("LINK_SKILL", linkSkill.URL)
	return nil
}

// cmdEnvFile is `envfile NAME FILE`: sets NAME to FILE's content (stdout
// and stderr name the last command's), without its final newline, so that
// what one asksim prints (a token) can be given to the next as a flag.
func cmdEnvFile(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: envfile NAME FILE")
	}
	v := strings.TrimSuffix(ts.ReadFile(args[1]), "\n")
	if v == "" || strings.Contains(v, "\n") {
		ts.Fatalf("envfile: %s holds %q, want one line", args[1], v)
	}
	ts.Setenv(args[0], v)
}

// cmdJSON is `json FILE`: FILE (or stdout, stderr) holds exactly one JSON
// value; `! json FILE`: it does not. testscript has no JSON check, and a
// regular expression cannot tell valid JSON.
func cmdJSON(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: json FILE")
	}
	dec := json.NewDecoder(strings.NewReader(ts.ReadFile(args[0])))
	var v any
	err := dec.Decode(&v)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			err = fmt.Errorf("more after the first JSON value")
		}
	}
	switch {
	case neg && err == nil:
		ts.Fatalf("%s is valid JSON", args[0])
	case !neg && err != nil:
		ts.Fatalf("%s is not one JSON value: %v", args[0], err)
	}
}

// cmdMode is `mode FILE PERM`: FILE's permission bits are PERM (octal, as
// chmod takes it). testscript has chmod but nothing that reads a mode back.
func cmdMode(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: mode FILE PERM")
	}
	want, err := strconv.ParseUint(args[1], 8, 32)
	if err != nil || want > 0o777 {
		ts.Fatalf("mode: PERM %q: want octal permission bits such as 0600", args[1])
	}
	fi, err := os.Stat(ts.MkAbs(args[0]))
	ts.Check(err)
	got := fi.Mode().Perm()
	switch {
	case neg && got == os.FileMode(want):
		ts.Fatalf("%s has mode %#o", args[0], got)
	case !neg && got != os.FileMode(want):
		ts.Fatalf("%s has mode %#o, want %#o", args[0], got, want)
	}
}

// cmdStatus is `status N`: the last `exec asksim` exited with status N, by
// returning it rather than by crashing. It consumes the status, so a second
// status without another exec fails.
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 || neg {
		ts.Fatalf("usage: status N")
	}
	file := ts.Getenv(statusFileEnv)
	b, err := os.ReadFile(file)
	if err != nil {
		ts.Fatalf("no exit status: asksim did not return from its main (a panic?) or did not run: %v", err)
	}
	ts.Check(os.Remove(file))
	if got := string(b); got != args[0] {
		ts.Fatalf("asksim exited %s, want %s", got, args[0])
	}
}
