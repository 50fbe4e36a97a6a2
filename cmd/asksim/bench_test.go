package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/alexaapi"
	"github.com/asksim/asksim/fakes/serve"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/alexa"
	"github.com/asksim/asksim/simulator/apitoken"
)

// The default run against its floor (issue 11, part 6).
//
// The suite: `asksim test --concurrency 1 --endpoint URL FILE`, the binary
// built once and exec'd on every iteration, so process start, key
// generation, starting the fakes, parsing the features, the default
// (pretty) formatter writing to a file, and exit all count. FILE holds
// floorScenarios scenarios of two turns each, every one a new user with the
// email permission: open the skill, check the speech, ask for the email
// (the skill reads it from asksim's Alexa API fake), check the speech.
//
// The floor: the least any harness must do for the same traffic. One RSA
// key generated, then for each scenario one RS256 apiAccessToken signature
// and two bare keep-alive POSTs of pre-encoded envelopes (the same launch
// and email envelopes every time), each answer read whole and its status
// checked. The email turn makes the skill call the Alexa API fake, so the
// floor's process serves one, as asksim's does (its token is always the
// same, so the fake verifies it once where asksim's verifies 500). The
// floor runs in a process of its own, this test binary re-exec'd
// (TestFloorProcess), so that it pays a Go process start too (this binary
// links all of asksim, so its start is no cheaper than asksim's). The same
// floor is also run in-process: suite/floor-inproc charges asksim's process
// start to asksim alone, the stricter figure.
//
// The three runs rotate their order each iteration, so that a load change
// on the shared machine does not always land on the same side, and the
// ratios reported are medians over iterations (run -benchtime=5x or more).
// suite/floor is the target (wall time, both sides exec'd);
// suite/floor-inproc the stricter one; suite/floor-cpu compares the CPU the
// two sides and the skill used meanwhile, which is what a busy machine
// turns into wall time and which load does not skew.
//
// ASKSIM_BENCH_ARGS adds flags to the suite's command line, to compare
// settings (e.g. ASKSIM_BENCH_ARGS=--format=progress).
const floorScenarios = 500

// benchSkill is a skill the benchmark drives: how to start it and what it
// says.
type benchSkill struct {
	name string
	// start starts the skill and returns its URL and a reader of the CPU
	// time its process has used (nil where it cannot be read).
	start  func(b *testing.B, dir string) (string, func() time.Duration)
	launch string // a Then step for the launch turn
}

var benchSkills = []benchSkill{
	{name: "node", start: startNodeSkill, launch: `Alexa says "Hello from Node."`},
	{name: "go", start: startGoSkill, launch: `Alexa says something containing "Welcome to Example Skill"`},
}

// sample is one run of one side: its wall time, its process's CPU and the
// skill's CPU meanwhile.
type sample struct{ wall, cpu, skillCPU time.Duration }

func BenchmarkDefaultRunVsFloor(b *testing.B) {
	dir := b.TempDir()
	asksim := goBuild(b, dir, ".", "asksim")
	for _, sk := range benchSkills {
		b.Run("skill="+sk.name, func(b *testing.B) {
			url, skillCPU := sk.start(b, dir)
			feature := filepath.Join(b.TempDir(), "load.feature")
			writeBenchFile(b, feature, twoTurnFeature(floorScenarios, sk.launch))
			fl := newFloor(b, url)
			env := append(os.Environ(), "ASKSIM_FLOOR_URL="+url, "ASKSIM_FLOOR_API="+fl.apiAddr, "ASKSIM_FLOOR_KEY="+fl.keyFile,
				"ASKSIM_FLOOR_BODIES="+strings.Join(fl.bodyFiles, string(os.PathListSeparator)),
				"ASKSIM_FLOOR_N="+strconv.Itoa(floorScenarios))
			out := filepath.Join(b.TempDir(), "out.txt")
			measure := func(run func() (wall, cpu time.Duration)) sample {
				var before time.Duration
				if skillCPU != nil {
					before = skillCPU()
				}
				wall, cpu := run()
				s := sample{wall: wall, cpu: cpu}
				if skillCPU != nil {
					s.skillCPU = skillCPU() - before
				}
				return s
			}
			sides := []func() (time.Duration, time.Duration){
				func() (time.Duration, time.Duration) { // the suite
					args := append([]string{"test", "--concurrency", "1", "--endpoint", url}, strings.Fields(os.Getenv("ASKSIM_BENCH_ARGS"))...)
					wall, cpu := execTimed(b, out, nil, asksim, append(args, feature)...)
					checkSummary(b, out)
					return wall, cpu
				},
				func() (time.Duration, time.Duration) { // the floor, in a process of its own
					return execTimed(b, out, env, os.Args[0], "-test.run=^TestFloorProcess$", "-test.count=1")
				},
				func() (time.Duration, time.Duration) { // the floor, in this process
					start := time.Now()
					if err := runFloor(url, fl.bodies, floorScenarios, fl.apiAddr, fl.keyFile); err != nil {
						b.Fatal(err)
					}
					return time.Since(start), 0
				},
			}
			var samples [3][]sample
			i := 0
			for b.Loop() {
				for j := range sides {
					k := (i + j) % len(sides)
					samples[k] = append(samples[k], measure(sides[k]))
				}
				i++
			}
			suite, floor, floorIn := samples[0], samples[1], samples[2]
			// Medians of the ratios of each iteration, whose three runs ran
			// within seconds of each other: a load spike on the shared
			// machine moves one iteration, not the figure.
			b.ReportMetric(medianRatio(suite, floor, func(s sample) time.Duration { return s.wall }), "suite/floor")
			b.ReportMetric(medianRatio(suite, floorIn, func(s sample) time.Duration { return s.wall }), "suite/floor-inproc")
			b.ReportMetric(median(suite, func(s sample) time.Duration { return s.wall }).Seconds(), "suite-s")
			b.ReportMetric(median(floor, func(s sample) time.Duration { return s.wall }).Seconds(), "floor-s")
			turns := float64(2 * floorScenarios)
			b.ReportMetric(float64(median(suite, func(s sample) time.Duration { return s.cpu }).Microseconds())/turns, "suite-cpu-µs/turn")
			b.ReportMetric(float64(median(floor, func(s sample) time.Duration { return s.cpu }).Microseconds())/turns, "floor-cpu-µs/turn")
			if skillCPU != nil {
				// CPU is what a busy machine turns into time: asksim's (or
				// the floor's) process and the skill's together.
				b.ReportMetric(medianRatio(suite, floor, func(s sample) time.Duration { return s.cpu + s.skillCPU }), "suite/floor-cpu")
				b.ReportMetric(float64(median(suite, func(s sample) time.Duration { return s.skillCPU }).Microseconds())/turns, "skill-cpu-µs/turn-suite")
				b.ReportMetric(float64(median(floor, func(s sample) time.Duration { return s.skillCPU }).Microseconds())/turns, "skill-cpu-µs/turn-floor")
			}
			b.ReportMetric(0, "ns/op")
		})
	}
}

func median(ss []sample, f func(sample) time.Duration) time.Duration {
	v := make([]time.Duration, len(ss))
	for i, s := range ss {
		v[i] = f(s)
	}
	slices.Sort(v)
	return v[len(v)/2]
}

// medianRatio is the median over iterations of f(a[i])/f(b[i]).
func medianRatio(a, b []sample, f func(sample) time.Duration) float64 {
	r := make([]float64, len(a))
	for i := range a {
		r[i] = f(a[i]).Seconds() / f(b[i]).Seconds()
	}
	slices.Sort(r)
	if len(r)%2 == 0 {
		return (r[len(r)/2-1] + r[len(r)/2]) / 2
	}
	return r[len(r)/2]
}

// TestFloorProcess is the floor's own process for BenchmarkDefaultRunVsFloor;
// run directly, it does nothing.
func TestFloorProcess(t *testing.T) {
	url := os.Getenv("ASKSIM_FLOOR_URL")
	if url == "" {
		t.Skip("the floor process of BenchmarkDefaultRunVsFloor; not a test of its own")
	}
	var bodies [][]byte
	for _, f := range filepath.SplitList(os.Getenv("ASKSIM_FLOOR_BODIES")) {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, body)
	}
	n, err := strconv.Atoi(os.Getenv("ASKSIM_FLOOR_N"))
	if err != nil {
		t.Fatal(err)
	}
	if err := runFloor(url, bodies, n, os.Getenv("ASKSIM_FLOOR_API"), os.Getenv("ASKSIM_FLOOR_KEY")); err != nil {
		t.Fatal(err)
	}
}

// runFloor is the floor: the Alexa API fake on apiAddr, trusting the key
// in keyFile that signed the envelopes' token; one RSA key; then per
// scenario one RS256 token and the bare keep-alive POSTs of bodies.
func runFloor(url string, bodies [][]byte, n int, apiAddr, keyFile string) error {
	key, err := apitoken.LoadKeyFile(keyFile)
	if err != nil {
		return err
	}
	api, err := alexaapi.New(alexaapi.Config{Keyfunc: apitoken.NewSigner(key).Keyfunc()})
	if err != nil {
		return err
	}
	srv, err := serve.Start(api, serve.Options{Addr: apiAddr})
	if err != nil {
		return err
	}
	defer srv.Close()
	signer, err := apitoken.NewGeneratedSigner()
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	for i := range n {
		claims := signer.Claims(apitoken.For{SkillID: simulator.DefaultSkillID, UserID: "amzn1.ask.account.floor" + strconv.Itoa(i),
			DeviceID: "amzn1.ask.device.floor", Scopes: []string{alexa.ScopeEmail}})
		if _, err := signer.Sign(claims); err != nil {
			return err
		}
		for _, body := range bodies {
			resp, err := client.Post(url, "application/json", bytes.NewReader(body))
			if err != nil {
				return err
			}
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if err != nil {
				return err
			}
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("floor POST: status %d", resp.StatusCode)
			}
		}
	}
	return nil
}

// floor is what the floor's runs share: the envelopes, pre-encoded, the
// key that signed their token and the address of the API fake they name.
type floor struct {
	bodies    [][]byte
	bodyFiles []string
	keyFile   string
	apiAddr   string
}

// newFloor encodes the floor's two envelopes, a launch and an email intent
// of one conversation with the email permission.
func newFloor(b *testing.B, url string) *floor {
	dir := b.TempDir()
	signer, err := apitoken.NewGeneratedSigner()
	if err != nil {
		b.Fatal(err)
	}
	fl := &floor{keyFile: filepath.Join(dir, "key.pem"), apiAddr: freeLoopbackAddr(b)}
	writeBenchFile(b, fl.keyFile, string(apitoken.EncodeKeyPEM(signer.Key())))
	sim, err := simulator.New(simulator.WithSigner(signer), simulator.WithAPIEndpoint("http://"+fl.apiAddr))
	if err != nil {
		b.Fatal(err)
	}
	conv := sim.NewConversation(simulator.ConsentEmail)
	for i, r := range []simulator.Request{simulator.LaunchRequest(), simulator.IntentRequest("GetEmailIntent")} {
		env, err := conv.Envelope(r)
		if err != nil {
			b.Fatal(err)
		}
		body, err := env.AppendJSON(nil)
		if err != nil {
			b.Fatal(err)
		}
		conv.Continue([]byte(`{"turns":1}`))
		f := filepath.Join(dir, fmt.Sprintf("body%d.json", i))
		writeBenchFile(b, f, string(body))
		fl.bodies, fl.bodyFiles = append(fl.bodies, body), append(fl.bodyFiles, f)
	}
	return fl
}

// freeLoopbackAddr returns a 127.0.0.1 address free a moment ago.
func freeLoopbackAddr(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// twoTurnFeature is n scenarios of two turns each, every one a new user.
func twoTurnFeature(n int, launch string) string {
	var s strings.Builder
	s.WriteString("Feature: the default run against its floor\n")
	for i := range n {
		fmt.Fprintf(&s, `
  Scenario: reader %d
    Given the consent scenario "email"
    When the user opens the skill
    Then %s
    When the user invokes "GetEmailIntent"
    Then Alexa says "Your email is jane@example.com."
`, i, launch)
	}
	return s.String()
}

// execTimed runs name with args, stdout and stderr to out, and returns
// its wall time and the CPU time it used.
func execTimed(b *testing.B, out string, env []string, name string, args ...string) (wall, cpu time.Duration) {
	b.Helper()
	f, err := os.Create(out)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr, cmd.Env = f, f, env
	cmd.WaitDelay = time.Minute
	start := time.Now()
	err = cmd.Run()
	wall = time.Since(start)
	if err != nil {
		log, _ := os.ReadFile(out)
		b.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, tail(log, 2000))
	}
	return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

func checkSummary(b *testing.B, out string) {
	b.Helper()
	log, err := os.ReadFile(out)
	if err != nil {
		b.Fatal(err)
	}
	if want := fmt.Sprintf("%d scenarios (%d passed)", floorScenarios, floorScenarios); !bytes.Contains(log, []byte(want)) {
		b.Fatalf("asksim test did not report %q:\n%s", want, tail(log, 2000))
	}
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

var buildMu sync.Mutex

// goBuild builds the main package at pkg into dir/name.
func goBuild(b *testing.B, dir, pkg, name string) string {
	b.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	bin := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}

func writeBenchFile(b *testing.B, path, content string) {
	b.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		b.Fatal(err)
	}
}

// startNodeSkill starts fixtures/node-skill, on the official Node.js ASK
// SDK. Without its node_modules the sub-benchmark is skipped (failed under
// CI), as TestNodeSDKSkill is.
func startNodeSkill(b *testing.B, _ string) (string, func() time.Duration) {
	dir := filepath.Join("..", "..", "fixtures", "node-skill")
	node, err := exec.LookPath("node")
	if _, statErr := os.Stat(filepath.Join(dir, "node_modules", "ask-sdk-core")); err != nil || statErr != nil {
		msg := "the Node.js ASK SDK is not installed: run `npm ci --prefix fixtures/node-skill`"
		if os.Getenv("CI") != "" {
			b.Fatal(msg)
		}
		b.Skip(msg)
	}
	return startSkillProcess(b, dir, node, "server.js")
}

// startGoSkill builds and starts the Go example skill's server.
func startGoSkill(b *testing.B, dir string) (string, func() time.Duration) {
	bin := goBuild(b, dir, "../../fixtures/skill/cmd/example-skill", "example-skill")
	return startSkillProcess(b, ".", bin)
}

// startSkillProcess starts a skill server that prints its URL as the first
// line of its output, and stops it when the benchmark ends. The reader of
// its CPU time is nil where /proc is not there to read it.
func startSkillProcess(b *testing.B, dir, name string, args ...string) (string, func() time.Duration) {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Stderr = dir, os.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		b.Fatal(err)
	}
	b.Cleanup(func() { cancel(); _ = cmd.Wait() })
	urls := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		urls <- strings.TrimSpace(line)
		io.Copy(io.Discard, stdout)
	}()
	select {
	case url := <-urls:
		if !strings.HasPrefix(url, "http://127.0.0.1:") {
			b.Fatalf("%s printed %q, want its URL", name, url)
		}
		return url, procCPU(cmd.Process.Pid)
	case <-time.After(10 * time.Second):
		b.Fatalf("%s did not print its URL within 10 s", name)
	}
	return "", nil
}

// procCPU returns a reader of the user and system CPU time of process pid
// from /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s on
// Linux), or nil when there is no such file.
func procCPU(pid int) func() time.Duration {
	path := fmt.Sprintf("/proc/%d/stat", pid)
	if _, err := os.Stat(path); err != nil {
		return nil
	}
	return func() time.Duration {
		data, err := os.ReadFile(path)
		if err != nil {
			return 0
		}
		// The command name, field 2, is in parentheses and may hold spaces.
		i := bytes.LastIndexByte(data, ')')
		f := strings.Fields(string(data[i+1:]))
		if len(f) < 13 {
			return 0
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		s, _ := strconv.ParseInt(f[12], 10, 64)
		return time.Duration(u+s) * 10 * time.Millisecond
	}
}

// BenchmarkDefaultRunInProcess is the suite side of BenchmarkDefaultRunVsFloor
// run in this process, for a CPU profile (-cpuprofile) of asksim's part.
func BenchmarkDefaultRunInProcess(b *testing.B) {
	dir := b.TempDir()
	for _, sk := range benchSkills {
		b.Run("skill="+sk.name, func(b *testing.B) {
			url, _ := sk.start(b, dir)
			feature := filepath.Join(b.TempDir(), "load.feature")
			writeBenchFile(b, feature, twoTurnFeature(floorScenarios, sk.launch))
			for b.Loop() {
				var out, errb bytes.Buffer
				if code := run(context.Background(), []string{"test", "--concurrency", "1", "--endpoint", url, feature}, strings.NewReader(""), &out, &errb); code != 0 {
					b.Fatalf("exit %d\n%s\n%s", code, tail(out.Bytes(), 2000), errb.Bytes())
				}
			}
		})
	}
}
