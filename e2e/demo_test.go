package e2e

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/consentry/consentry/demo"
	"github.com/consentry/consentry/e2e/audit"
	"github.com/consentry/consentry/e2e/standin"
)

// TestDemo runs the demo (`make demo`) as a visitor and a QA team meet it: its three sites
// behind their edges, with production host names (www.huma.com, ...) and the vendors'
// stand-ins at the vendors' real host names (www.googletagmanager.com, ...), all mapped by
// Chromium's host resolver rules to e2e/standin, over https. It checks that
//
//   - each site's pages load, with the page module, and send nothing to any vendor before consent;
//   - "Accept all" in the page lets the vendors the site carries run, and reach their endpoints;
//   - the audit finds no violation on any page of any site with the site's own policy, before
//     consent and after "Accept all";
//   - the audit reports the broken pages (a vendor missing from the policy; cookies set before
//     consent) in every format: text, JSON, JUnit and HTML.
func TestDemo(t *testing.T) {
	browser, d, srv := startDemo(t)

	t.Run("before consent", func(t *testing.T) {
		forEachSite(t, d, func(t *testing.T, s *demo.Site) {
			reports := crawl(t, browser, s, audit.None)
			for _, r := range reports {
				if r.Status != 200 {
					t.Errorf("%s: status %d", r.URL, r.Status)
				}
				if !slices.ContainsFunc(r.Scripts, func(sc audit.Script) bool { return strings.HasSuffix(sc.URL, "/consentry/consentry.js") }) {
					t.Errorf("%s: the page module's gate did not run", r.URL)
				}
			}
		})
		for _, r := range srv.Requests() {
			if standin.IsVendor(r.Host) {
				t.Errorf("before consent, a vendor got a request: %s %s%s (from %s)", r.Method, r.Host, r.URL, r.Referer)
			}
		}
	})

	t.Run("accept all", func(t *testing.T) {
		forEachSite(t, d, func(t *testing.T, s *demo.Site) { acceptAll(t, browser, srv, s) })
	})

	t.Run("after consent", func(t *testing.T) {
		forEachSite(t, d, func(t *testing.T, s *demo.Site) {
			reports := crawl(t, browser, s, audit.All)
			var vendorRequests int
			for _, r := range reports {
				vendorRequests += len(r.Requests)
			}
			if vendorRequests == 0 {
				t.Errorf("%s: with every category granted, no page sent a request to a vendor", s.Name)
			}
		})
	})

	t.Run("broken pages", func(t *testing.T) {
		var mu sync.Mutex
		var all []*audit.Report
		var want []audit.Finding
		forEachSite(t, d, func(t *testing.T, s *demo.Site) {
			b := broken[s.Slug]
			r, err := audit.Run(browser, s.URL+"broken/undeclared-vendor", s.Policy, audit.Consent(audit.None))
			if err != nil {
				t.Fatal(err)
			}
			f := find(r.Violations, func(f audit.Finding) bool {
				return f.Rule == audit.RuleUndeclared && f.Item == audit.ItemScript && hostOf(f.Name) == b.vendorHost
			})
			if f == nil {
				t.Errorf("%s: the undeclared vendor's script (%s) is not reported; violations:\n%s", r.URL, b.vendorHost, messages(r.Violations))
			}
			r2, err := audit.Run(browser, s.URL+"broken/cookie-before-consent", s.Policy, audit.Consent(audit.None))
			if err != nil {
				t.Fatal(err)
			}
			fs := []*audit.Finding{f}
			for _, c := range []struct{ name, setBy string }{{b.headerCookie, "Set-Cookie"}, {b.scriptCookie, "set by script"}} {
				f := find(r2.Violations, func(f audit.Finding) bool {
					return f.Rule == audit.RuleNotGranted && f.Item == audit.ItemCookie && f.Name == c.name
				})
				if f == nil {
					t.Errorf("%s: the cookie %s set before consent is not reported; violations:\n%s", r2.URL, c.name, messages(r2.Violations))
				} else if !strings.Contains(f.Message, c.setBy) {
					t.Errorf("%s: %q does not say it was %s", r2.URL, f.Message, c.setBy)
				}
				fs = append(fs, f)
			}
			mu.Lock()
			defer mu.Unlock()
			all = append(all, r, r2)
			for _, f := range fs {
				if f != nil {
					want = append(want, *f)
				}
			}
		})
		if t.Failed() {
			return
		}
		if len(want) != 3*len(d.Sites) {
			t.Fatalf("%d findings to look for in the formats, want %d", len(want), 3*len(d.Sites))
		}
		for name, format := range audit.Formats {
			var buf bytes.Buffer
			if err := format(&buf, all); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got, err := findingsIn(name, buf.Bytes())
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for _, f := range want {
				if !slices.ContainsFunc(got, func(g string) bool { return strings.Contains(g, f.Message) }) {
					t.Errorf("the %s report does not report %s: %s", name, f.Rule, f.Message)
				}
			}
		}
	})

	t.Run("make demo", func(t *testing.T) { testLocalDemo(t, browser) })
}

// testLocalDemo runs the demo as `make demo` does, for a visitor's browser: sites and stand-ins
// on *.localhost names, which Chromium resolves to the loopback address itself, over plain http,
// with the localized policies. Huma's home page must hold its vendors until Accept all, then run
// them, and the audit must find no violation with the policy the demo enforces.
func testLocalDemo(t *testing.T, browser context.Context) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	d, err := demo.New(t.Context(), demo.Options{Policies: "../demo/policies", Build: t.TempDir(), Local: true, Port: port})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var mu sync.Mutex
	var stand []string // the stand-in hosts that got requests
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, _, _ := net.SplitHostPort(r.Host); strings.HasSuffix(h, demo.LocalSuffix) && standin.IsVendor(strings.TrimSuffix(h, demo.LocalSuffix)) {
			mu.Lock()
			stand = append(stand, h)
			mu.Unlock()
		}
		d.ServeHTTP(w, r)
	})}
	go srv.Serve(ln)
	defer srv.Close()
	hit := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Compact(slices.Sorted(slices.Values(stand)))
	}

	s := d.Site("huma")
	if s.URL != "http://huma.localhost:"+port+"/" {
		t.Fatalf("Huma is at %s", s.URL)
	}
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 30*time.Second)
	defer cancelTimeout()
	if err := chromedp.Do(ctx, chromedp.Navigate(s.URL)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`consentry.ready.then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
	if got := hit(); len(got) > 0 {
		t.Errorf("before consent, stand-ins got requests: %q", got)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`consentry.acceptAll()`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
	want := []string{"www.googletagmanager.com.localhost", "region1.google-analytics.com.localhost", "widget.intercom.io.localhost", "api-iam.intercom.io.localhost"}
	deadline := time.Now().Add(10 * time.Second)
	for !contains(hit(), want) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if got := hit(); !contains(got, want) {
		t.Errorf("after Accept all, the stand-ins that got requests are %q, want %q", got, want)
	}
	// The inspector shows the stand-ins' cookies with their services.
	var shown string
	words := []string{"_ga", "google-analytics", "intercom-id-standin", "released"}
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		shown, err = chromedp.Run(ctx, chromedp.Evaluate[string](
			`document.querySelector("[data-consentry-demo=inspector]").shadowRoot.querySelector("section").innerText`))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(shown, w) }) {
			break
		}
	}
	for _, w := range words {
		if !strings.Contains(shown, w) {
			t.Errorf("the inspector does not show %q:\n%s", w, shown)
		}
	}

	for i, c := range []audit.Choice{audit.None, audit.All} {
		r, err := audit.Run(browser, s.URL, s.Policy, audit.Consent(c))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range r.Violations {
			t.Errorf("%s [consent: %s]: %s: %s", r.URL, r.State(), v.Rule, v.Message)
		}
		if i == 1 && len(r.Requests) == 0 {
			t.Errorf("%s [consent: all]: no request to a stand-in", r.URL)
		}
	}
}

// broken says what each site's broken pages do (demo/sites.go).
var broken = map[string]struct{ vendorHost, headerCookie, scriptCookie string }{
	"huma":       {"connect.facebook.net", "_ga", "_gid"},
	"cyberpilot": {"widget.intercom.io", "hubspotutk", "_fbp"},
	"huddly":     {"js.hs-scripts.com", "_ga", "_gid"},
}

// accepted says, for each site, which page to accept all on, the stand-ins that must then run
// (their performance marks) and the vendor hosts that must then get requests.
var accepted = map[string]struct {
	path  string
	ran   []string
	hosts []string
}{
	"huma": {"", []string{"gtag", "intercom"},
		[]string{"www.googletagmanager.com", "region1.google-analytics.com", "widget.intercom.io", "api-iam.intercom.io"}},
	"cyberpilot": {"", []string{"hubspot", "hubspot-analytics", "segment", "fbevents", "gtag", "leadfeeder", "clarity", "bat"},
		[]string{"js.hs-scripts.com", "js.hs-analytics.net", "track.hubspot.com", "cdn.segment.com", "api.segment.io",
			"connect.facebook.net", "www.facebook.com", "www.googletagmanager.com", "googleads.g.doubleclick.net",
			"sc.lfeeder.com", "tr.lfeeder.com", "www.clarity.ms", "k.clarity.ms", "bat.bing.com", "www.youtube.com"}},
	"huddly": {"products/crew", []string{"gtag", "facebook-sdk", "twitter-widgets"},
		[]string{"www.googletagmanager.com", "region1.google-analytics.com", "connect.facebook.net", "www.facebook.com",
			"platform.twitter.com", "syndication.twitter.com"}},
}

// startDemo builds and starts the demo behind the stand-in server, and a browser for the audit
// that reaches both.
func startDemo(t *testing.T) (context.Context, *demo.Demo, *standin.Server) {
	t.Helper()
	if env == nil {
		tab(t) // skips without Chromium, fails without the run's environment
	}
	start := time.Now()
	d, err := demo.New(t.Context(), demo.Options{Policies: "../demo/policies", Build: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	t.Logf("built the demo in %v", time.Since(start).Round(time.Millisecond))
	srv, err := standin.Start(d)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	rules := srv.ResolverRules()
	for _, s := range d.Sites {
		rules += ", MAP " + s.Host + " " + srv.Addr()
	}
	browser, stop, err := audit.NewBrowser(context.Background(),
		chromedp.Flag("host-resolver-rules", rules),
		chromedp.Flag("ignore-certificate-errors-spki-list", srv.SPKI))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return browser, d, srv
}

// forEachSite runs fn in a subtest for each site, the sites in parallel, and returns when all are
// done (parallel subtests would only start once the caller returns, after its checks).
func forEachSite(t *testing.T, d *demo.Demo, fn func(t *testing.T, s *demo.Site)) {
	t.Helper()
	var wg sync.WaitGroup
	for _, s := range d.Sites {
		wg.Go(func() { t.Run(s.Slug, func(t *testing.T) { fn(t, s) }) })
	}
	wg.Wait()
}

// crawl audits every page the site's home page leads to, in consent state c, and fails the test
// on any violation.
func crawl(t *testing.T, browser context.Context, s *demo.Site, c audit.Choice) []*audit.Report {
	t.Helper()
	var reports []*audit.Report
	for r, err := range audit.Crawl(browser, s.URL, s.Policy, 10, audit.Consent(c)) {
		if err != nil {
			t.Error(err)
			continue
		}
		reports = append(reports, r)
		for _, v := range r.Violations {
			t.Errorf("%s [consent: %s]: %s: %s", r.URL, r.State(), v.Rule, v.Message)
		}
	}
	var urls []string
	for _, r := range reports {
		urls = append(urls, strings.TrimPrefix(r.URL, s.URL))
	}
	// Each page of the site, and its cookie policy in each language.
	if len(reports) < 5 {
		t.Errorf("%s: the crawl reached %d pages (%q), want at least 5", s.Name, len(reports), urls)
	}
	return reports
}

// acceptAll opens the site's page with no consent, checks that no vendor got a request, then
// accepts all through the page's API, as the banner's button does, and waits for the vendors the
// site carries to run and to reach their endpoints, without a reload.
func acceptAll(t *testing.T, browser context.Context, srv *standin.Server, s *demo.Site) {
	want := accepted[s.Slug]
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 30*time.Second)
	defer cancelTimeout()
	if err := chromedp.Do(ctx, chromedp.Navigate(s.URL+want.path)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`consentry.ready.then(() => !consentry.get().decided)`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
	if got := vendorHosts(srv, s.Host, false); len(got) > 0 {
		t.Errorf("before the visitor decided, vendors got requests: %q", got)
	}
	// The marker stays as long as the document does: a reload would lose it.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`window.demoTestMarker = true; consentry.acceptAll()`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
	var ran, hosts []string
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		marks, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
			`performance.getEntriesByType("mark").map(m => m.name).filter(n => n.startsWith("standin:")).map(n => n.slice(8))`))
		if err != nil {
			t.Fatal(err)
		}
		ran, hosts = marks, vendorHosts(srv, s.Host, true)
		if contains(ran, want.ran) && contains(hosts, want.hosts) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !contains(ran, want.ran) {
		t.Errorf("after Accept all, the stand-ins that ran are %q, want %q", ran, want.ran)
	}
	if !contains(hosts, want.hosts) {
		t.Errorf("after Accept all, the vendors that got requests are %q, want %q", hosts, want.hosts)
	}
	if same, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.demoTestMarker === true`)); err != nil || !same {
		t.Errorf("the page reloaded (%v): granting must release what was held in place", err)
	}
}

// vendorHosts returns the vendor hosts that got a request from a page of host, by its Referer;
// with anonymous, also those that got one with no Referer: Intercom's stand-in, like Intercom,
// pings from an about:blank frame, whose requests carry none (Chromium 156), and while the
// accept-all subtests run, only Huma's page loads Intercom.
func vendorHosts(srv *standin.Server, host string, anonymous bool) []string {
	var out []string
	for _, r := range srv.Requests() {
		if from := hostOf(r.Referer); from != host && !(anonymous && r.Referer == "") {
			continue
		}
		if standin.IsVendor(r.Host) && !slices.Contains(out, r.Host) {
			out = append(out, r.Host)
		}
	}
	slices.Sort(out)
	return out
}

func contains(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

func find(fs []audit.Finding, match func(audit.Finding) bool) *audit.Finding {
	for i := range fs {
		if match(fs[i]) {
			return &fs[i]
		}
	}
	return nil
}

func messages(fs []audit.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s: %s\n", f.Rule, f.Message)
	}
	return b.String()
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// findingsIn returns the findings a report in format says, one string each, with their rule: the
// text and HTML as their lines (HTML unescaped), the JSON and JUnit parsed.
func findingsIn(format string, b []byte) ([]string, error) {
	switch format {
	case "json":
		reports, err := audit.ReadJSON(bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		var out []string
		for _, r := range reports {
			for _, f := range r.Violations {
				out = append(out, f.Rule+": "+f.Message)
			}
		}
		return out, nil
	case "junit":
		var doc struct {
			Suites []struct {
				Cases []struct {
					Failures []struct {
						Type    string `xml:"type,attr"`
						Message string `xml:"message,attr"`
					} `xml:"failure"`
				} `xml:"testcase"`
			} `xml:"testsuite"`
		}
		if err := xml.Unmarshal(b, &doc); err != nil {
			return nil, err
		}
		var out []string
		for _, s := range doc.Suites {
			for _, c := range s.Cases {
				for _, f := range c.Failures {
					out = append(out, f.Type+": "+f.Message)
				}
			}
		}
		return out, nil
	case "html":
		return strings.Split(html.UnescapeString(string(b)), "\n"), nil
	}
	return strings.Split(string(b), "\n"), nil
}
