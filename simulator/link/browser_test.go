package link_test

// The OAuth fake's login page in a real browser: Debian's chromium,
// headless, driven over the DevTools protocol. A person logs in, sees the
// inline error on a wrong password, and is sent back to Alexa with a code,
// which the linker's manual mode then redeems.

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/internal/testutil"
	"github.com/asksim/asksim/simulator/link"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

func TestLinkFakeLoginInBrowser(t *testing.T) {
	exe := testutil.Chromium(t)
	f := newFake(t, nil)
	cfg := f.config()
	cfg.PKCE = true
	// This test is about the login page in a real browser, not the token
	// endpoint's latency (TestLinkAlexaTimeoutDefault holds that to 4.5 s);
	// chromium beside a -race build on a loaded machine can take longer.
	cfg.Timeout = 30 * time.Second
	authURL, state, verifier, err := link.AuthorizationRequest(cfg)
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// No UserDataDir: chromedp makes a fresh one and removes it once
		// the browser has exited. A t.TempDir raced with chromium's child
		// processes still writing into it.
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	defer cancelBrowser()

	// There is no network: the navigation to Alexa's redirect URI is
	// captured and aborted, never sent.
	captured := make(chan string, 1)
	chromedp.ListenTarget(bctx, func(ev any) {
		e, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		go func() {
			if strings.HasPrefix(e.Request.URL, cfg.RedirectURI+"?") || strings.HasPrefix(e.Request.URL, "https://pitangui.amazon.com/") {
				select {
				case captured <- e.Request.URL:
				default:
				}
			}
			_ = chromedp.Run(bctx, fetch.FailRequest(e.RequestID, network.ErrorReasonAborted))
		}()
	})

	var errText, username string
	err = chromedp.Run(bctx,
		fetch.Enable().WithPatterns([]*fetch.RequestPattern{{URLPattern: "https://pitangui.amazon.com/*"}}),
		chromedp.Navigate(authURL),
		chromedp.WaitVisible(`#username`, chromedp.ByQuery),
		chromedp.SendKeys(`#username`, "alice", chromedp.ByQuery),
		chromedp.SendKeys(`#password`, "not-her-password", chromedp.ByQuery),
		chromedp.Click(`button[value=approve]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#login-error`, chromedp.ByQuery),
		chromedp.Text(`#login-error`, &errText, chromedp.ByQuery),
		chromedp.Value(`#username`, &username, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("wrong-password round: %v", err)
	}
	if errText != "Wrong username or password." || username != "alice" {
		t.Fatalf("after a wrong password: error %q, username kept as %q", errText, username)
	}
	select {
	case u := <-captured:
		t.Fatalf("a wrong password was sent back to Alexa: %s", u)
	default:
	}

	err = chromedp.Run(bctx,
		chromedp.SendKeys(`#password`, "alice-password", chromedp.ByQuery),
		chromedp.Click(`button[value=approve]`, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	var redirect string
	select {
	case redirect = <-captured:
	case <-ctx.Done():
		t.Fatal("the browser was never sent to Alexa's redirect URI")
	}
	u, err := url.Parse(redirect)
	if err != nil || u.Query().Get("state") != state || u.Query().Get("code") == "" {
		t.Fatalf("redirect %q: want state %q and a code", redirect, state)
	}

	res, err := link.CompleteManual(ctx, cfg, redirect, state, verifier)
	if err != nil {
		t.Fatalf("%v\n%s", err, res.Report)
	}
	wantCheck(t, res.Report, link.RuleRefreshResponse, link.Pass)
}
