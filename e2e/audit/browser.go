package audit

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/chromedp/chromedp"
)

// ChromiumEnv names the environment variable that overrides the browser NewBrowser starts.
const ChromiumEnv = "CONSENTRY_CHROMIUM"

// DebianChromium is where Debian's chromium package installs the browser; NewBrowser uses it
// when it exists and ChromiumEnv is not set, and otherwise lets chromedp look in the usual places.
const DebianChromium = "/usr/bin/chromium"

// BrowserFlags are the command-line options NewBrowser starts Chromium with. They make a quiet,
// headless browser that talks to no one but the sites under audit (no background networking,
// component updates, sync or QUIC), and keep every frame in the process of its page
// (IsolateOrigins and site-per-process off), so that the audit sees the requests, scripts and
// writes of cross-site iframes too: with site isolation on, Chromium runs them in processes of
// their own whose events a tab does not receive. The audit browser visits the sites under test
// only; do not browse the web with it.
var BrowserFlags = []chromedp.ExecAllocatorOption{
	chromedp.Flag("headless", "new"),
	chromedp.NoSandbox,
	chromedp.DisableGPU,
	chromedp.NoFirstRun,
	chromedp.NoDefaultBrowserCheck,
	chromedp.Flag("disable-quic", true),
	chromedp.Flag("disable-background-networking", true),
	chromedp.Flag("disable-component-update", true),
	chromedp.Flag("disable-sync", true),
	chromedp.Flag("disable-site-isolation-trials", true),
	// HttpsUpgrades would turn the http:// pages of a staging site into https:// ones.
	chromedp.Flag("disable-features", "IsolateOrigins,site-per-process,Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,HttpsUpgrades"),
	chromedp.WindowSize(1280, 800),
}

// NewBrowser starts Chromium with BrowserFlags and returns its chromedp context, for Run and
// Crawl, and the function that stops it. The browser is $CONSENTRY_CHROMIUM, else DebianChromium
// when it exists, else the one chromedp finds. opts come after BrowserFlags, so they add flags
// or override them:
//
//	audit.NewBrowser(ctx,
//		chromedp.ExecPath("/opt/chrome/chrome"),
//		chromedp.Flag("host-resolver-rules", "MAP *.example.com 127.0.0.1:8443"),
//		chromedp.IgnoreCertErrors)
//
// Its profile (a temporary directory, removed by the stop function) stores third-party cookies,
// as a default Chrome does (2026): a headless Chromium's own profile refuses them, which would
// hide what a pixel or an embed leaves in most visitors' browsers.
func NewBrowser(ctx context.Context, opts ...chromedp.ExecAllocatorOption) (context.Context, context.CancelFunc, error) {
	dir, err := os.MkdirTemp("", "consentry-audit-")
	if err != nil {
		return nil, nil, fmt.Errorf("audit: %w", err)
	}
	if err := writeProfile(dir); err != nil {
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("audit: %w", err)
	}
	all := append([]chromedp.ExecAllocatorOption{}, chromedp.DefaultExecAllocatorOptions[:]...)
	all = append(all, BrowserFlags...)
	all = append(all, chromedp.UserDataDir(dir))
	path := os.Getenv(ChromiumEnv)
	if path == "" {
		if _, err := os.Stat(DebianChromium); err == nil {
			path = DebianChromium
		}
	}
	if path != "" {
		all = append(all, chromedp.ExecPath(path))
	}
	all = append(all, opts...)
	actx, acancel := chromedp.NewExecAllocator(ctx, all...)
	bctx, bcancel := chromedp.NewContext(actx)
	cancel := func() {
		bcancel()
		acancel()
		os.RemoveAll(dir)
	}
	if err := chromedp.Do(bctx); err != nil { // starts the browser
		cancel()
		if path == "" {
			path = "Chromium"
		}
		return nil, nil, fmt.Errorf("audit: starting %s: %w", path, err)
	}
	return bctx, cancel, nil
}

// writeProfile writes the preferences of the audit browser's profile into the user data directory
// dir. cookie_controls_mode 0 is "allow third-party cookies" (1 blocks them everywhere, 2 in
// incognito windows only); the browser contexts Run opens inherit it.
func writeProfile(dir string) error {
	if err := os.Mkdir(filepath.Join(dir, "Default"), 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "Default", "Preferences"), []byte(`{"profile": {"cookie_controls_mode": 0}}`), 0o600)
}
