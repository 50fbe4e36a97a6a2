package features_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/asksim/asksim/features"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/alexa"
	"github.com/asksim/asksim/simulator/apitoken"
)

// threeTurnFeature returns a feature of n scenarios of three turns each:
// open the skill, read the email through the Alexa API fake, stop.
func threeTurnFeature(n int) []byte {
	var b bytes.Buffer
	b.WriteString("Feature: load\n")
	for i := range n {
		fmt.Fprintf(&b, `
  Scenario: reader %d
    Given the consent scenario "email"
    When the user opens the skill
    And the user invokes "GetEmailIntent"
    Then Alexa says "Your email is jane@example.com."
    When the user invokes "AMAZON.StopIntent"
    Then the session ends
`, i)
	}
	return b.Bytes()
}

// runFeature runs content through Suite.Run, as `asksim test` does, with the
// progress formatter writing nowhere.
func runFeature(b *testing.B, suite *features.Suite, path string, concurrency int) {
	b.Helper()
	status, err := suite.Run(features.RunOptions{Paths: []string{path},
		Formats: []string{"progress"}, Output: io.Discard, Concurrency: concurrency})
	if err != nil || status != 0 {
		b.Fatalf("run: status %d, %v", status, err)
	}
}

// featureFile writes content to a temporary file.
func featureFile(b *testing.B, content []byte) string {
	f := filepath.Join(b.TempDir(), "load.feature")
	if err := os.WriteFile(f, content, 0o644); err != nil {
		b.Fatal(err)
	}
	return f
}

// BenchmarkScenarios runs n three-turn scenarios against the example skill
// with concurrency = cores, and reports the run's time and the heap left
// in use, which must stay flat as n grows.
func BenchmarkScenarios(b *testing.B) {
	for _, n := range []int{250, 1000, 2000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			suite, err := features.NewSuite(context.Background(), features.Config{})
			if err != nil {
				b.Fatal(err)
			}
			defer suite.Close()
			content := featureFile(b, threeTurnFeature(n))
			var ms runtime.MemStats
			b.ResetTimer()
			for b.Loop() {
				runFeature(b, suite, content, runtime.GOMAXPROCS(0))
			}
			b.StopTimer()
			runtime.GC()
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(b.Elapsed().Seconds())/float64(b.N), "s/run")
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "scenarios/s")
			// Live heap after a collection, with the suite (fakes, caches)
			// still open: what a long run keeps.
			b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "live-heap-MiB")
		})
	}
}

// BenchmarkSequentialSuiteVsFloor compares a sequential run of three-turn
// scenarios over HTTP with its floor: for each scenario one token signature
// and the bare POSTs of the same three pre-encoded envelopes to the same
// skill. The ratio is the harness's whole cost.
func BenchmarkSequentialSuiteVsFloor(b *testing.B) {
	const n = 100
	suite, err := features.NewSuite(context.Background(), features.Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer suite.Close()
	content := featureFile(b, threeTurnFeature(n))

	// The floor's envelopes, encoded once: a real conversation's three turns.
	sim := suite.Simulator()
	conv := sim.NewConversation(simulator.ConsentEmail)
	var bodies [][]byte
	for _, r := range []simulator.Request{simulator.LaunchRequest(), simulator.IntentRequest("GetEmailIntent"), simulator.IntentRequest("AMAZON.StopIntent")} {
		env, err := conv.Envelope(r)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := env.AppendJSON(nil)
		bodies = append(bodies, body)
		conv.Continue([]byte(`{"turns":1}`))
	}
	client := &http.Client{}
	signer := sim.Signer()
	floor := func() {
		for i := range n {
			if _, err := signer.Sign(signer.Claims(apitoken.For{SkillID: sim.SkillID(), UserID: fmt.Sprint(i), Scopes: []string{alexa.ScopeEmail}})); err != nil {
				b.Fatal(err)
			}
			for _, body := range bodies {
				resp, err := client.Post(suite.SkillURL(), "application/json", bytes.NewReader(body))
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("status %d", resp.StatusCode)
				}
			}
		}
	}
	var suiteNs, floorNs, suiteCPU, floorCPU int64
	for b.Loop() {
		start, startCPU := nowNanos(), cpuNanos()
		runFeature(b, suite, content, 1)
		mid, midCPU := nowNanos(), cpuNanos()
		floor()
		suiteNs += mid - start
		floorNs += nowNanos() - mid
		suiteCPU += midCPU - startCPU
		floorCPU += cpuNanos() - midCPU
	}
	b.ReportMetric(float64(suiteNs)/float64(b.N*n), "suite-ns/scenario")
	b.ReportMetric(float64(floorNs)/float64(b.N*n), "floor-ns/scenario")
	b.ReportMetric(float64(suiteNs)/float64(floorNs), "suite/floor")
	// Wall time is the target; CPU shows what the run costs the machine,
	// tokens minted ahead on the idle core included.
	b.ReportMetric(float64(suiteCPU)/float64(floorCPU), "suite/floor-cpu")
}

var timeNow = time.Now

func nowNanos() int64 { return timeNow().UnixNano() }

// cpuNanos is the process's user and system CPU time so far.
func cpuNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkHTMLReportOverhead runs the same three-turn scenarios with the
// progress format alone and with the HTML report besides, in pairs within
// the run, and reports the median of the pairs' ratios (the second's time
// over the first's): what the report costs a run. A median of pairs, as
// other processes share the machine's two cores. The conversations are
// built from what the run keeps anyway, and only once the report is
// written.
func BenchmarkHTMLReportOverhead(b *testing.B) {
	const n = 100
	suite, err := features.NewSuite(context.Background(), features.Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer suite.Close()
	content := featureFile(b, threeTurnFeature(n))
	html := filepath.Join(b.TempDir(), "report.html")
	runWith := func(formats ...string) (ns, cpu int64) {
		start, startCPU := nowNanos(), cpuNanos()
		status, err := suite.Run(features.RunOptions{Paths: []string{content}, Formats: formats, Output: io.Discard, Concurrency: 1})
		if err != nil || status != 0 {
			b.Fatalf("run: status %d, %v", status, err)
		}
		return nowNanos() - start, cpuNanos() - startCPU
	}
	runWith("progress") // warm up
	var wall, cpu []float64
	var plainNs, htmlNs int64
	i := 0
	for b.Loop() {
		// Alternated, so that neither always runs on a warmer process.
		var pn, pc, hn, hc int64
		if i%2 == 0 {
			pn, pc = runWith("progress")
			hn, hc = runWith("progress", "html:"+html)
		} else {
			hn, hc = runWith("progress", "html:"+html)
			pn, pc = runWith("progress")
		}
		i++
		plainNs += pn
		htmlNs += hn
		wall = append(wall, float64(hn)/float64(pn))
		cpu = append(cpu, float64(hc)/float64(pc))
	}
	st, err := os.Stat(html)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(plainNs)/float64(b.N*n), "plain-ns/scenario")
	b.ReportMetric(float64(htmlNs)/float64(b.N*n), "html-ns/scenario")
	b.ReportMetric(median(wall), "html/plain")
	b.ReportMetric(median(cpu), "html/plain-cpu")
	b.ReportMetric(float64(st.Size())/float64(n), "html-bytes/scenario")
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}
