// Package harness runs Consentry's end-to-end tests: one headless Chromium for the whole run, a
// tab with its own browser context (cookie jar and storage) per test, the stand-in vendor server
// (e2e/standin) at the vendors' real host names, and what a test needs to look at a page from
// outside (CDP): the requests it sent, the browser's cookie jar, its storage, and which scripts ran.
package harness

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/domstorage"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/e2e/standin"
	"github.com/consentry/consentry/wasm"
)

// ChromiumPath is where Debian's chromium package installs the browser.
const ChromiumPath = "/usr/bin/chromium"

// SkipWithoutChromium skips the test when Chromium is not installed, except in CI (CI=true), where
// a missing browser is a failure: a green CI must have run these tests.
func SkipWithoutChromium(tb testing.TB) {
	if _, err := os.Stat(ChromiumPath); err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s is missing (apt-get install -y chromium); CI does not skip the end-to-end tests", ChromiumPath)
	}
	tb.Skipf("%s is missing (apt-get install -y chromium)", ChromiumPath)
}

// Env is one test run: a browser, the stand-in server and the built page assets.
type Env struct {
	Server   *standin.Server
	Policy   *consent.Policy
	Assets   string // consentry.js and the engine, compiled with Policy
	Generic  string // the generic build (policy from data-policy), or "" when not built
	WasmName string

	browser  context.Context
	stops    []func()
	mu       sync.Mutex
	pages    map[string]string       // "host/path" -> HTML
	handlers map[string]http.Handler // "host/path" -> handler
}

// Options configure Setup.
type Options struct {
	PolicyFile string // the policy compiled into the assets
	Generic    bool   // also build the generic engine (served under /generic/)
}

// Setup builds the assets, starts the stand-in server and Chromium.
func Setup(ctx context.Context, opts Options) (*Env, error) {
	p, err := consent.LoadFile(opts.PolicyFile)
	if err != nil {
		return nil, err
	}
	e := &Env{Policy: p, pages: map[string]string{}, handlers: map[string]http.Handler{}}
	dir, err := os.MkdirTemp("", "consentry-e2e-")
	if err != nil {
		return nil, err
	}
	e.stops = append(e.stops, func() { os.RemoveAll(dir) })
	e.Assets = filepath.Join(dir, "assets")

	var wg sync.WaitGroup
	var berr, gerr error
	wg.Go(func() {
		var res *wasm.Result
		res, berr = wasm.Build(ctx, wasm.Options{Policy: p, Out: e.Assets})
		if berr == nil {
			e.WasmName = res.WasmName
		}
	})
	if opts.Generic {
		e.Generic = filepath.Join(dir, "generic")
		wg.Go(func() {
			_, gerr = wasm.Build(ctx, wasm.Options{Out: e.Generic})
			if gerr == nil {
				gerr = copyFile(opts.PolicyFile, filepath.Join(e.Generic, "policy.json"))
			}
		})
	}
	wg.Wait()
	if err := errors.Join(berr, gerr); err != nil {
		e.Close()
		return nil, err
	}

	e.Server, err = standin.Start(http.HandlerFunc(e.serveSite))
	if err != nil {
		e.Close()
		return nil, err
	}
	e.stops = append(e.stops, func() { e.Server.Close() })

	actx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(ChromiumPath),
		chromedp.Flag("headless", "new"),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,HttpsUpgrades"),
		chromedp.Flag("host-resolver-rules", e.Server.ResolverRules()),
		chromedp.Flag("ignore-certificate-errors-spki-list", e.Server.SPKI),
	)
	bctx, bcancel := chromedp.NewContext(actx)
	e.stops = append(e.stops, func() { bcancel(); cancel() })
	if err := chromedp.Do(bctx); err != nil { // starts the browser
		e.Close()
		return nil, errors.New("starting " + ChromiumPath + ": " + err.Error())
	}
	e.browser = bctx
	return e, nil
}

// Close stops the browser and the server and removes the assets.
func (e *Env) Close() {
	for i := len(e.stops) - 1; i >= 0; i-- {
		e.stops[i]()
	}
	e.stops = nil
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}

// SetPage serves html at https://host/path (host under shop.test).
func (e *Env) SetPage(host, path, html string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.pages[host+path] = html
}

// SetHandler makes h answer https://host/path.
func (e *Env) SetHandler(host, path string, h http.Handler) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.handlers[host+path] = h
}

// Tag is the script tag of the gate, as a site adds it first in <head>.
const Tag = `<script src="/consentry/consentry.js"></script>`

// serveSite serves the site under test: pages set with SetPage, the page assets under /consentry/
// (and a copy whose engine is missing under /broken/, and the generic build under /generic/),
// first-party probes and endpoints under /api/.
func (e *Env) serveSite(w http.ResponseWriter, r *http.Request) {
	host := r.Host
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	e.mu.Lock()
	html, ok := e.pages[host+r.URL.Path]
	h := e.handlers[host+r.URL.Path]
	e.mu.Unlock()
	switch p := r.URL.Path; {
	case h != nil:
		h.ServeHTTP(w, r)
	case ok:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write([]byte(html))
	case strings.HasPrefix(p, "/consentry/"):
		serveAsset(w, r, e.Assets, strings.TrimPrefix(p, "/consentry/"))
	case strings.HasPrefix(p, "/broken/"):
		if strings.HasSuffix(p, ".wasm") {
			http.NotFound(w, r)
			return
		}
		serveAsset(w, r, e.Assets, strings.TrimPrefix(p, "/broken/"))
	case strings.HasPrefix(p, "/generic/") && e.Generic != "":
		serveAsset(w, r, e.Generic, strings.TrimPrefix(p, "/generic/"))
	case p == "/api/probe.js":
		w.Header().Set("Content-Type", "text/javascript")
		v := r.URL.Query().Get("probe")
		w.Write([]byte("console.debug(\"standin:ran:probe:" + strings.ReplaceAll(v, `"`, "") + "\")\n"))
	case strings.HasPrefix(p, "/api/"):
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

func serveAsset(w http.ResponseWriter, r *http.Request, dir, name string) {
	if name == "" || strings.Contains(name, "/") || strings.Contains(name, "..") {
		http.NotFound(w, r)
		return
	}
	switch {
	case strings.HasSuffix(name, ".wasm"):
		w.Header().Set("Content-Type", "application/wasm")
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	case strings.HasSuffix(name, ".js"):
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
	case strings.HasSuffix(name, ".json"):
		w.Header().Set("Content-Type", "application/json")
	}
	http.ServeFile(w, r, filepath.Join(dir, name))
}

// Tab is one tab in a browser context of its own: its own cookie jar and storage.
type Tab struct {
	Ctx    context.Context
	env    *Env
	cancel context.CancelFunc

	mu        sync.Mutex
	requests  []string // URLs the page asked for (Network.requestWillBeSent), in order
	inflight  map[network.RequestID]string
	lastNet   time.Time
	ran       []ran // stand-ins and probes that ran (console.debug "standin:ran:NAME")
	console   []string
	loads     int // load events of the main frame
	mainFrame cdp.FrameID
}

// NewTab opens a tab in a new browser context. It is closed when ctx ends or with Close.
func (e *Env) NewTab(ctx context.Context) (*Tab, error) {
	t := &Tab{env: e, inflight: map[network.RequestID]string{}}
	tctx, cancel := chromedp.NewContext(e.browser, chromedp.WithNewBrowserContext(), chromedp.WithListener(t.listen))
	stop := context.AfterFunc(ctx, cancel)
	t.Ctx, t.cancel = tctx, func() { stop(); cancel() }
	if err := chromedp.Do(tctx); err != nil {
		cancel()
		return nil, err
	}
	if _, err := chromedp.Call(tctx, domstorage.Enable, cdp.Empty{}); err != nil {
		cancel()
		return nil, err
	}
	return t, nil
}

// Close closes the tab and disposes of its browser context.
func (t *Tab) Close() { t.cancel() }

func (t *Tab) listen(ev any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		t.requests = append(t.requests, ev.Request.URL)
		// A cross-site iframe's document is fetched here but finishes in the iframe's own process,
		// whose events this tab does not see: it is not waited for.
		if ev.Type != network.ResourceTypeDocument || ev.FrameID == "" || string(ev.FrameID) == string(ev.LoaderID) || t.mainFrame == "" || ev.FrameID == t.mainFrame {
			t.inflight[ev.RequestID] = ev.Request.URL
		}
		if ev.Type == network.ResourceTypeDocument && t.mainFrame == "" {
			t.mainFrame = ev.FrameID
		}
		t.lastNet = time.Now()
	case *network.EventLoadingFinished:
		delete(t.inflight, ev.RequestID)
		t.lastNet = time.Now()
	case *network.EventLoadingFailed:
		delete(t.inflight, ev.RequestID)
		t.lastNet = time.Now()
	case *runtime.EventConsoleAPICalled:
		var parts []string
		for _, a := range ev.Args {
			parts = append(parts, strings.Trim(string(a.Value), `"`))
		}
		msg := strings.Join(parts, " ")
		t.console = append(t.console, string(ev.Type)+": "+msg)
		if name, ok := strings.CutPrefix(msg, "standin:ran:"); ok {
			t.ran = append(t.ran, ran{name, len(t.requests)})
		}
	case *page.EventLoadEventFired:
		t.loads++
	case *runtime.EventExceptionThrown:
		t.console = append(t.console, "exception: "+ev.ExceptionDetails.Text+" "+exceptionDescription(ev))
	}
}

func exceptionDescription(ev *runtime.EventExceptionThrown) string {
	if ev.ExceptionDetails.Exception != nil {
		return ev.ExceptionDetails.Exception.Description
	}
	return ""
}

// Requests returns the URLs the page asked for so far.
func (t *Tab) Requests() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.requests...)
}

type ran struct {
	name     string
	requests int // how many requests the tab had sent when it ran
}

// Ran returns the stand-ins and probes that ran so far, in order.
func (t *Tab) Ran() []string { return t.RanAfterRequest(0) }

// RanAfterRequest returns what ran after the tab had sent n requests (a reload's first request
// marks where the new page starts).
func (t *Tab) RanAfterRequest(n int) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []string
	for _, r := range t.ran {
		if r.requests > n {
			out = append(out, r.name)
		}
	}
	return out
}

// Loads returns how many times the main frame fired its load event.
func (t *Tab) Loads() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.loads
}

// Console returns what the page logged, for failure messages.
func (t *Tab) Console() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.console...)
}

// GPC makes the tab send the Global Privacy Control signal (navigator.globalPrivacyControl), which
// Chromium 156 does not ship. It applies to documents loaded after the call.
func (t *Tab) GPC() error {
	_, err := chromedp.Call(t.Ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `Object.defineProperty(Navigator.prototype, "globalPrivacyControl", {get() { return true; }, configurable: true});`,
	})
	return err
}

// SetConsent puts the consent cookie for st on host, as the page would have written it.
func (t *Tab) SetConsent(host string, st consent.State) error {
	p := t.env.Policy
	st.Decided, st.Revision = true, p.Revision
	if st.At == 0 {
		st.At = time.Now().Add(-time.Minute).Unix()
	}
	return t.SetCookie(host, p.Consent.Cookie, p.EncodeState(st))
}

// SetCookie sets a host-only cookie on host, as a server would.
func (t *Tab) SetCookie(host, name, value string) error {
	return t.setCookie(&network.CookieParam{Name: name, Value: value, URL: "https://" + host + "/", Path: "/", Secure: true,
		SameSite: network.CookieSameSiteLax})
}

// SetDomainCookie sets a cookie with a Domain attribute (domain and its subdomains) on path, as a
// server on host would.
func (t *Tab) SetDomainCookie(host, domain, path, name, value string) error {
	return t.setCookie(&network.CookieParam{Name: name, Value: value, URL: "https://" + host + "/", Domain: "." + domain, Path: path,
		Secure: true, SameSite: network.CookieSameSiteLax})
}

func (t *Tab) setCookie(c *network.CookieParam) error {
	_, err := chromedp.CallBrowser(t.Ctx, storage.SetCookies, storage.SetCookiesParams{
		BrowserContextID: chromedp.FromContext(t.Ctx).BrowserContextID,
		Cookies:          []*network.CookieParam{c},
	})
	return err
}

// Cookies returns the browser's cookie jar for this tab (every domain).
func (t *Tab) Cookies() ([]*network.Cookie, error) {
	res, err := chromedp.CallBrowser(t.Ctx, storage.GetCookies, storage.GetCookiesParams{
		BrowserContextID: chromedp.FromContext(t.Ctx).BrowserContextID,
	})
	return res.Cookies, err
}

// Storage returns the keys of localStorage (or sessionStorage) of origin, as DevTools shows them.
func (t *Tab) Storage(origin string, local bool) (map[string]string, error) {
	res, err := chromedp.Call(t.Ctx, domstorage.GetDOMStorageItems, domstorage.GetDOMStorageItemsParams{
		StorageID: &domstorage.StorageID{SecurityOrigin: origin, IsLocalStorage: local},
	})
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, it := range res.Entries {
		if len(it) == 2 {
			out[it[0]] = it[1]
		}
	}
	return out, nil
}

// Open navigates to url and waits for the load event.
func (t *Tab) Open(url string) error {
	return chromedp.Do(t.Ctx, chromedp.Navigate(url))
}

// Void is the result of an evaluation whose value does not matter.
type Void = chromedp.Void

// Eval evaluates expr in the page, awaiting a promise result.
func Eval[T any](t *Tab, expr string) (T, error) {
	return chromedp.Run(t.Ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// WaitReady waits until the engine runs (consentry.ready resolves).
func (t *Tab) WaitReady() error {
	_, err := Eval[chromedp.Void](t, `window.consentry.ready.then(() => true)`)
	return err
}

// Settle waits until the page has had no request in flight for quiet: what the page's scripts
// started has reached the network (or not) by then. Waiting on the network's own events rather
// than a fixed sleep keeps the tests fast on an idle machine and correct on a busy one.
func (t *Tab) Settle(quiet, max time.Duration) error {
	deadline := time.Now().Add(max)
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		t.mu.Lock()
		idle := len(t.inflight) == 0 && time.Since(t.lastNet) >= quiet
		t.mu.Unlock()
		if idle {
			return nil
		}
		if time.Now().After(deadline) {
			t.mu.Lock()
			var urls []string
			for _, u := range t.inflight {
				urls = append(urls, u)
			}
			t.mu.Unlock()
			return errors.New("the page did not settle within " + max.String() + "; in flight: " + strings.Join(urls, " "))
		}
		select {
		case <-t.Ctx.Done():
			return t.Ctx.Err()
		case <-tick.C:
		}
	}
}

// WaitFor polls cond until it holds or max passes.
func (t *Tab) WaitFor(max time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(max)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		select {
		case <-t.Ctx.Done():
			return false
		case <-time.After(20 * time.Millisecond):
		}
	}
	return true
}

// Chromium reports whether the browser can run, for benchmarks outside tests.
func Chromium() bool {
	_, err := exec.LookPath(ChromiumPath)
	return err == nil
}
