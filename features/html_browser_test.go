package features_test

// The HTML report in a real browser: Debian's chromium, headless, driven
// over the DevTools protocol. What a reader sees is asserted, not the
// markup: the counts, a failure's expected and got, a line of the
// conversation, the filter, and the request JSON once expanded.

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asksim/asksim/features"
	"github.com/asksim/asksim/internal/testutil"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

const reportFeature = `Feature: report
  Scenario: reads the email
    Given the consent scenario "email"
    When the user invokes "GetEmailIntent"
    Then Alexa says "Your email is jane@example.com."

  Scenario: a linked account
    Given the consent scenario "email+linked"
    When the user invokes "AccountIntent"
    Then Alexa says something containing "You are linked as Alice Example"

  Scenario: wrong speech
    When the user invokes "GetNameIntent"
    Then Alexa says "<b>bold</b> & <script>document.title='pwned'</script>"
    And the session ends
`

func TestHTMLReport_InBrowser(t *testing.T) {
	exe := testutil.Chromium(t)
	suite := exampleSuite(t, features.Config{})
	dir := t.TempDir()
	f := writeFeature(t, dir, "report.feature", reportFeature)
	file := filepath.Join(dir, "out", "report.html")
	status, out, err := run(t, suite, features.RunOptions{Paths: []string{f}, Formats: []string{"progress", "html:" + file}, Version: "v1.2.3"})
	if status != 1 || err != nil {
		t.Fatalf("status %d, %v\n%s", status, err, out)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true))
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	defer cancelBrowser()

	// Every request the page makes: it must load nothing but itself.
	var mu sync.Mutex
	var requests []string
	chromedp.ListenTarget(bctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, e.Request.URL)
			mu.Unlock()
		}
	})

	var title, totals, expected, got, path, transcript, calls, apiCalls string
	var dialogs int
	err = chromedp.Run(bctx,
		network.Enable(),
		chromedp.Navigate("file://"+file),
		chromedp.WaitVisible("#totals"),
		chromedp.Title(&title),
		chromedp.Text("#totals", &totals),
		chromedp.Text(".scenario.failed .failure .expected", &expected),
		chromedp.Text(".scenario.failed .failure .got", &got),
		chromedp.Text(".scenario.failed .failure .path", &path),
		chromedp.Text(".scenario.failed .turn .alexa", &transcript),
		chromedp.Evaluate(`document.querySelectorAll(".failure b, .failure script").length`, &dialogs),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(title, "asksim report: 1 failed, 2 passed") {
		t.Errorf("title %q", title)
	}
	if !strings.HasPrefix(totals, "3 scenarios: 2 passed, 1 failed, 0 skipped · 9 steps") {
		t.Errorf("totals %q", totals)
	}
	if expected != `Alexa to say "<b>bold</b> & <script>document.title='pwned'</script>"` || dialogs != 0 {
		t.Errorf("expected %q (%d elements made of it): the speech must show as text", expected, dialogs)
	}
	if got != `"I need your permission to read your name. Please grant it in the Alexa app."` && !strings.HasPrefix(got, `"`) {
		t.Errorf("got %q", got)
	}
	if path != "response.outputSpeech" {
		t.Errorf("path %q", path)
	}
	if !strings.HasPrefix(transcript, "Alexa: ") || !strings.Contains(transcript, "ms") {
		t.Errorf("the failed scenario's conversation shows %q", transcript)
	}

	// Passed scenarios are folded; opened, they show their conversation,
	// the calls the skill made, and the JSON, indented once expanded.
	var pretty string
	var jsonVisible bool
	err = chromedp.Run(bctx,
		chromedp.Click("#s2 > summary", chromedp.ByQuery),
		chromedp.WaitVisible("#s2 .calls"),
		chromedp.Text("#s2 .calls", &calls),
		// #s1 is folded: what it holds, rather than what shows.
		chromedp.Evaluate(`document.querySelector("#s1 .calls").textContent`, &apiCalls),
		chromedp.Click("#s2 details.json > summary", chromedp.ByQuery),
		chromedp.WaitVisible("#s2 details.json pre"),
		chromedp.Text("#s2 details.json pre", &pretty),
		chromedp.Evaluate(`document.querySelector("#s2 details.json pre").getBoundingClientRect().height > 0`, &jsonVisible),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(calls, "OAuth: GET /userinfo → 200") {
		t.Errorf("the linked scenario's calls: %q", calls)
	}
	if !strings.Contains(apiCalls, "Alexa API: GET /v2/accounts/~current/settings/Profile.email → 200 (granted)") {
		t.Errorf("the email scenario's calls: %q", apiCalls)
	}
	if !jsonVisible || !strings.Contains(pretty, "\n  \"request\": {") || !strings.Contains(pretty, `"name": "AccountIntent"`) {
		t.Errorf("the request JSON, expanded: %q", pretty)
	}

	// The filter shows the failures alone.
	var shownPassed, shownFailed bool
	err = chromedp.Run(bctx,
		chromedp.Click(`#filter input[value="failed"]`, chromedp.ByQuery),
		chromedp.Evaluate(`getComputedStyle(document.getElementById("s1")).display !== "none"`, &shownPassed),
		chromedp.Evaluate(`getComputedStyle(document.getElementById("s3")).display !== "none"`, &shownFailed),
	)
	if err != nil {
		t.Fatal(err)
	}
	if shownPassed || !shownFailed {
		t.Errorf("filtered to failures: passed shown %v, failed shown %v", shownPassed, shownFailed)
	}
	if title == "pwned" {
		t.Error("a step argument ran as script")
	}
	mu.Lock()
	defer mu.Unlock()
	for _, u := range requests {
		if !strings.HasPrefix(u, "file://") && !strings.HasPrefix(u, "data:") {
			t.Errorf("the report loaded %s: it must be self-contained", u)
		}
	}
}
