package main

// The page-load comparison (issue 7, items 1 and 3, page side). One demo page (bench/site) with the
// vendor tags a site pastes in, loaded in headless Chromium with no consent manager, with Consentry,
// and with the consent managers a site would pick instead (bench/package.json, installed from its
// lock file), the same number of times each, interleaved (A B C A B C ...) so that drift of the
// machine falls on every variant alike. Every load gets a fresh browser context: an empty HTTP
// cache, no cookies, no storage, no decision.
//
// The vendors are the stand-ins of demo/vendors, served at their real host names by e2e/standin
// (Chromium's --host-resolver-rules maps those names to it); the site is served by the same server
// at https://www.shop.test. Nothing leaves the machine.

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"log"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"

	"github.com/consentry/consentry/demo/vendors"
	"github.com/consentry/consentry/e2e/standin"
)

const (
	benchDir     = "bench"                     // the npm folder of the peers, and the bench site
	siteHost     = "www." + standin.SiteSuffix // the demo site's host name
	chromiumPath = "/usr/bin/chromium"
	benchPolicy  = "demo/policies/huma.json"
	loadTimeout  = 30 * time.Second
	settleQuiet  = 300 * time.Millisecond // no request for this long: the page is done trying
	settleMax    = 6 * time.Second
	loadGap      = 150 * time.Millisecond // between loads: the previous browser context's processes exit
)

// pageLoads is how many measured loads each variant gets (the issue asks for at least 15); one
// more unmeasured round before them warms the server, the disk cache and V8's code cache of
// Chromium's own scripts.
var pageLoads = 15

// bannerSelectors say, per consent manager, which element is its first-layer banner: the page is
// "showing the banner" from the first frame in which one of them has a box, is not hidden and is
// not fully transparent. "HOST >>> INNER" looks for INNER inside HOST's open shadow root.
// No entry: the manager has no banner (yett, and no consent manager).
var bannerSelectors = map[string]string{
	"consentry":     "[data-consentry-ui] >>> *",
	"cookieconsent": "#cc-main .cm",
	"klaro":         ".klaro .cookie-notice",
}

// markup is how a page writes its vendor tags for one consent manager: as the vendor gives them,
// or changed the way the consent manager's docs require.
type markup int

const (
	asPasted     markup = iota // unchanged (no consent manager, Consentry, yett)
	dataCategory               // vanilla-cookieconsent v3: <script type="text/plain" data-category="...">
	klaroData                  // Klaro: type="text/plain" data-type, data-name, data-src; iframes and images too
)

// A vendorTag is one tag of the demo page as its vendor's docs give it to sites (written for this
// bench in their shape: the stand-ins of demo/vendors answer its URLs).
type vendorTag struct {
	service, category string // Klaro's service name; a category of demo/policies/huma.json
	slot              string // where the site pastes it: head, video, pixel, body (end of body)
	elem              string // script, iframe, img or noscript
	src               string // "" for an inline script
	attrs             string // the tag's other attributes, as the vendor gives them
	text              string // an inline script's code, or a noscript's content
}

// render writes t for a page whose consent manager asks for m.
func (t vendorTag) render(m markup) string {
	src := html.EscapeString(t.src)
	switch {
	case t.elem == "noscript":
		return "<noscript>" + t.text + "</noscript>\n"
	case t.elem == "script" && m == dataCategory:
		if t.src == "" {
			return `<script type="text/plain" data-category="` + t.category + `"` + t.attrs + ">" + t.text + "</script>\n"
		}
		return `<script type="text/plain" data-category="` + t.category + `"` + t.attrs + ` src="` + src + `"></script>` + "\n"
	case t.elem == "script" && m == klaroData:
		open := `<script type="text/plain" data-type="text/javascript" data-name="` + t.service + `"` + t.attrs
		if t.src == "" {
			return open + ">" + t.text + "</script>\n"
		}
		return open + ` data-src="` + src + `"></script>` + "\n"
	case t.elem == "script" && t.src == "":
		return "<script" + t.attrs + ">" + t.text + "</script>\n"
	case t.elem == "script":
		return "<script" + t.attrs + ` src="` + src + `"></script>` + "\n"
	case m == klaroData: // iframes and images
		end := ">"
		if t.elem == "iframe" {
			end = "></iframe>"
		}
		return "<" + t.elem + ` data-name="` + t.service + `" data-src="` + src + `"` + t.attrs + end + "\n"
	case t.elem == "iframe":
		return `<iframe src="` + src + `"` + t.attrs + "></iframe>\n"
	default:
		return "<" + t.elem + ` src="` + src + `"` + t.attrs + ">\n"
	}
}

// demoTags are the demo page's vendor tags, in page order. Their inline loaders do what the real
// snippets do (define a queue, insert the vendor's script before the page's first script), in
// plain words of our own.
var demoTags = []vendorTag{
	{service: "google-analytics", category: "analytics", slot: "head", elem: "script", attrs: " async",
		src: "https://www.googletagmanager.com/gtag/js?id=G-STANDIN"},
	{service: "google-analytics", category: "analytics", slot: "head", elem: "script", text: `
  window.dataLayer = window.dataLayer || [];
  function gtag() { dataLayer.push(arguments); }
  gtag("js", new Date());
  gtag("config", "G-STANDIN");
`},
	{service: "meta-pixel", category: "advertising", slot: "head", elem: "script", text: `
  !function (w, d, url) {
    if (w.fbq) return;
    var q = w.fbq = function () { q.callMethod ? q.callMethod.apply(q, arguments) : q.queue.push(arguments); };
    if (!w._fbq) w._fbq = q;
    q.push = q; q.loaded = true; q.version = "2.0"; q.queue = [];
    var s = d.createElement("script"); s.async = true; s.src = url;
    var first = d.getElementsByTagName("script")[0]; first.parentNode.insertBefore(s, first);
  }(window, document, "https://connect.facebook.net/en_US/fbevents.js");
  fbq("init", "STANDIN");
  fbq("track", "PageView");
`},
	{service: "meta-pixel", category: "advertising", slot: "head", elem: "noscript",
		text: `<img height="1" width="1" style="display:none" src="https://www.facebook.com/tr?id=STANDIN&amp;ev=PageView&amp;noscript=1">`},
	{service: "clarity", category: "analytics", slot: "head", elem: "script", attrs: ` type="text/javascript"`, text: `
  (function (w, d, name, id) {
    w[name] = w[name] || function () { (w[name].q = w[name].q || []).push(arguments); };
    var s = d.createElement("script"); s.async = 1; s.src = "https://www.clarity.ms/tag/" + id;
    var first = d.getElementsByTagName("script")[0]; first.parentNode.insertBefore(s, first);
  })(window, document, "clarity", "STANDIN");
`},
	{service: "segment", category: "analytics", slot: "head", elem: "script", text: `
  !function () {
    var a = window.analytics = window.analytics || [];
    if (a.initialize || a.invoked) return;
    a.invoked = true;
    a.methods = ["track", "identify", "page", "group", "alias", "ready", "reset"];
    a.factory = function (m) { return function () { var args = [].slice.call(arguments); args.unshift(m); a.push(args); return a; }; };
    for (var i = 0; i < a.methods.length; i++) a[a.methods[i]] = a.factory(a.methods[i]);
    a.load = function (key) {
      var s = document.createElement("script"); s.async = true;
      s.src = "https://cdn.segment.com/analytics.js/v1/" + key + "/analytics.min.js";
      var first = document.getElementsByTagName("script")[0]; first.parentNode.insertBefore(s, first);
    };
    a.load("STANDIN");
    a.page();
  }();
`},
	{service: "leadfeeder", category: "marketing", slot: "head", elem: "script", text: `
  (function (id) {
    window.ldfdr = window.ldfdr || function () { (ldfdr._q = ldfdr._q || []).push([].slice.call(arguments)); };
    var s = document.createElement("script"); s.async = 1;
    s.src = "https://sc.lfeeder.com/lftracker_v1_" + id + ".js";
    var first = document.getElementsByTagName("script")[0]; first.parentNode.insertBefore(s, first);
  })("STANDIN");
`},
	{service: "youtube", category: "marketing", slot: "video", elem: "iframe", src: "https://www.youtube.com/embed/STANDIN",
		attrs: ` width="560" height="315" title="How we mend a shell" frameborder="0" allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture" allowfullscreen`},
	{service: "meta-pixel", category: "advertising", slot: "pixel", elem: "img",
		src: "https://www.facebook.com/tr?id=STANDIN&ev=PageView&noscript=1", attrs: ` height="1" width="1" style="display:none" alt=""`},
	{service: "hubspot", category: "marketing", slot: "body", elem: "script", attrs: ` id="hs-script-loader" async defer`,
		src: "//js.hs-scripts.com/STANDIN.js"},
	{service: "intercom", category: "functionality", slot: "body", elem: "script", text: `
  window.intercomSettings = { api_base: "https://api-iam.intercom.io", app_id: "standin" };
  (function () {
    var w = window, d = document;
    if (typeof w.Intercom === "function") return;
    var q = function () { q.c(arguments); };
    q.q = []; q.c = function (args) { q.q.push(args); }; w.Intercom = q;
    function load() {
      var s = d.createElement("script"); s.type = "text/javascript"; s.async = true;
      s.src = "https://widget.intercom.io/widget/standin";
      var first = d.getElementsByTagName("script")[0]; first.parentNode.insertBefore(s, first);
    }
    if (d.readyState === "complete") load(); else w.addEventListener("load", load, false);
  })();
`},
}

// A manager is one variant of the comparison: a consent manager (or none) and how the page
// includes it.
type manager struct {
	key     string     // in URLs and bannerSelectors: none, consentry, cookieconsent, klaro, yett
	name    string     // in the table, with its version
	pkg     string     // its npm package in bench/ ("" for none and Consentry)
	markup  markup     // how the vendor tags are written for it
	head    string     // its tags, first in <head>, where its docs place them
	prefix  string     // the URL path its own files are served under
	files   []cmpFile  // its own files
	inline  string     // configuration it needs inline in the page (counted as its bytes)
	missing string     // why it cannot be measured ("" when it can)
	warm    bool       // measured on the second view of the page (HTTP cache warm, still no decision)
	base    *manager   // what its ratios are against: no consent manager, on the same view
	size    [3]int     // its own bytes: raw, gzip, brotli (-1 without the brotli command)
	loads   []loadStat // one per measured load
	failed  []string   // loads that did not finish
}

type cmpFile struct{ name, disk string }

// peerManagers are the consent managers a site would pick instead, configured as their docs say
// for "block vendors until consent" (bench/cmp/*.js).
func peerManagers() []*manager {
	nm := filepath.Join(benchDir, "node_modules")
	yettConfig, err := os.ReadFile(filepath.Join(benchDir, "cmp", "yett-config.js"))
	yettMissing := ""
	if err != nil {
		yettMissing = err.Error()
	}
	return []*manager{
		{key: "cookieconsent", pkg: "vanilla-cookieconsent", markup: dataCategory, prefix: "/cmp/cookieconsent/",
			files: []cmpFile{
				{"cookieconsent.css", filepath.Join(nm, "vanilla-cookieconsent/dist/cookieconsent.css")},
				{"cookieconsent.umd.js", filepath.Join(nm, "vanilla-cookieconsent/dist/cookieconsent.umd.js")},
				{"config.js", filepath.Join(benchDir, "cmp/cookieconsent-config.js")},
			},
			head: `<link rel="stylesheet" href="/cmp/cookieconsent/cookieconsent.css">` + "\n" +
				`<script defer src="/cmp/cookieconsent/cookieconsent.umd.js"></script>` + "\n" +
				`<script defer src="/cmp/cookieconsent/config.js"></script>` + "\n"},
		{key: "klaro", pkg: "klaro", markup: klaroData, prefix: "/cmp/klaro/",
			files: []cmpFile{
				{"config.js", filepath.Join(benchDir, "cmp/klaro-config.js")},
				{"klaro.js", filepath.Join(nm, "klaro/dist/klaro.js")},
			},
			head: `<script defer src="/cmp/klaro/config.js"></script>` + "\n" +
				`<script defer data-config="klaroConfig" src="/cmp/klaro/klaro.js"></script>` + "\n"},
		{key: "yett", pkg: "yett", markup: asPasted, prefix: "/cmp/yett/", missing: yettMissing,
			files:  []cmpFile{{"yett.min.js", filepath.Join(nm, "yett/dist/yett.min.js")}},
			inline: string(yettConfig),
			head:   "<script>\n" + string(yettConfig) + "</script>\n" + `<script src="/cmp/yett/yett.min.js"></script>` + "\n"},
	}
}

// consentryManager is Consentry as a site installs it: one tag, first in <head>, for the assets
// `consentry build` wrote into dir (served under /consentry/NAME/).
func consentryManager(name, dir string) *manager {
	m := &manager{key: "consentry", name: "Consentry", markup: asPasted, prefix: "/consentry/" + name + "/",
		head: `<script src="/consentry/` + name + `/consentry.js"></script>` + "\n"}
	entries, err := os.ReadDir(dir)
	if err != nil {
		m.missing = err.Error()
		return m
	}
	for _, e := range entries {
		m.files = append(m.files, cmpFile{e.Name(), filepath.Join(dir, e.Name())})
	}
	return m
}

// servedFile is a response of the bench site, compressed ahead of time as a CDN would.
type servedFile struct {
	ctype, cache, etag string
	raw, gz, br        []byte
}

func newServedFile(name string, raw []byte, cache string) *servedFile {
	f := &servedFile{ctype: contentType(name), cache: cache, raw: raw}
	if !strings.HasPrefix(f.ctype, "image/") { // JPEG is compressed already
		f.gz = gzipBytes(raw)
		f.br, _ = brotliBytes(raw) // nil without the brotli command: gzip is served instead
	}
	f.etag = `"` + strconv.FormatUint(fnv64(raw), 36) + `"`
	return f
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".wasm":
		return "application/wasm"
	case ".jpg":
		return "image/jpeg"
	}
	return "application/octet-stream"
}

func (f *servedFile) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("Cache-Control", f.cache)
	h.Set("ETag", f.etag)
	h.Set("Vary", "Accept-Encoding")
	if r.Header.Get("If-None-Match") == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body, ae := f.raw, r.Header.Get("Accept-Encoding")
	if f.br != nil && strings.Contains(ae, "br") {
		body = f.br
		h.Set("Content-Encoding", "br")
	} else if f.gz != nil && strings.Contains(ae, "gzip") {
		body = f.gz
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// benchSite serves the pages and files of the bench site (the stand-in server hands it every
// request that is not a vendor's).
type benchSite struct {
	mu    sync.RWMutex
	files map[string]http.Handler
}

func (s *benchSite) set(p string, h http.Handler) {
	s.mu.Lock()
	s.files[p] = h
	s.mu.Unlock()
}

func (s *benchSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	h := s.files[r.URL.Path]
	s.mu.RUnlock()
	if h == nil {
		http.NotFound(w, r)
		return
	}
	h.ServeHTTP(w, r)
}

// pageData fills bench/site/demo.html.
type pageData struct{ CMP, Head, Video, Pixel, Body string }

func demoPage(tmpl *template.Template, m *manager) ([]byte, error) {
	d := pageData{CMP: m.head}
	for _, t := range demoTags {
		s := t.render(m.markup)
		switch t.slot {
		case "head":
			d.Head += s
		case "video":
			d.Video += s
		case "pixel":
			d.Pixel += s
		default:
			d.Body += s
		}
	}
	var b bytes.Buffer
	err := tmpl.Execute(&b, d)
	return b.Bytes(), err
}

// tagsPage is the page of the script-tag growth rows: n script tags, half the site's own (run
// in order, as a site's bundles are), half a vendor's (async, as vendors ask), and a little text.
func tagsPage(head string, n int) []byte {
	var b strings.Builder
	b.WriteString("<!doctype html>\n<html lang=\"en\">\n<head>\n" + head + "<meta charset=\"utf-8\">\n<title>Script tags</title>\n")
	for i := 0; i < n; i++ {
		if i%2 == 0 {
			fmt.Fprintf(&b, "<script src=\"/site/lib/%d.js\"></script>\n", i)
		} else {
			fmt.Fprintf(&b, "<script async src=\"https://cdn.segment.com/analytics.js/v1/k%d/analytics.min.js?probe=tag%d\"></script>\n", i, i)
		}
	}
	b.WriteString("</head>\n<body>\n<h1>A page with many script tags</h1>\n<p>Text to paint.</p>\n</body>\n</html>\n")
	return []byte(b.String())
}

// pictures are the demo page's images: smooth colour fields with grain, so that they weigh what
// photographs of their size do.
func pictures() (map[string][]byte, error) {
	out := map[string][]byte{}
	for i, p := range []struct {
		name string
		w, h int
	}{{"hero.jpg", 1200, 480}, {"p1.jpg", 400, 300}, {"p2.jpg", 400, 300}, {"p3.jpg", 400, 300}} {
		img := image.NewRGBA(image.Rect(0, 0, p.w, p.h))
		seed := uint32(2166136261 + i)
		for y := 0; y < p.h; y++ {
			for x := 0; x < p.w; x++ {
				seed = seed*1664525 + 1013904223
				grain := int(seed>>27) - 16
				c := func(base, dx, dy int) uint8 {
					v := base + dx*x/p.w + dy*y/p.h + grain
					return uint8(min(255, max(0, v)))
				}
				img.Set(x, y, color.RGBA{c(40+i*30, 90, 40), c(70, 60, 90), c(90, 40+i*10, 60), 255})
			}
		}
		var b bytes.Buffer
		if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80}); err != nil {
			return nil, err
		}
		out[p.name] = b.Bytes()
	}
	return out, nil
}

// loadStat is what one page load measured. Times are milliseconds from navigation start; -1 means
// it did not happen (no banner, no engine).
type loadStat struct {
	FP, FCP, DCL, Load, Banner, Ready float64
	Script                            float64        // main-thread script before first paint, ms (-1 untraced)
	Requests                          int            // the manager's own requests
	Transfer                          int64          // bytes of the manager's own responses on the wire
	Vendor                            map[string]int // requests that reached a vendor, by attemptKey
	Ran                               int            // stand-in vendor scripts that ran in the page
}

// pageTimesJS reads the page's own timings after it settled.
const pageTimesJS = `(() => {
  const nav = performance.getEntriesByType("navigation")[0] || {};
  const paint = {};
  for (const p of performance.getEntriesByType("paint")) paint[p.name] = p.startTime;
  const mark = (n) => { const e = performance.getEntriesByName(n, "mark")[0]; return e ? e.startTime : -1; };
  return {
    fp: paint["first-paint"] ?? -1, fcp: paint["first-contentful-paint"] ?? -1,
    dcl: nav.domContentLoadedEventEnd || -1, load: nav.loadEventEnd || -1,
    banner: mark("bench:banner"), ready: mark("consentry:ready"),
    ran: performance.getEntriesByType("mark").filter((m) => m.name.startsWith("standin:")).length,
  };
})()`

type pageTimes struct {
	FP     float64 `json:"fp"`
	FCP    float64 `json:"fcp"`
	DCL    float64 `json:"dcl"`
	Load   float64 `json:"load"`
	Banner float64 `json:"banner"`
	Ready  float64 `json:"ready"`
	Ran    int     `json:"ran"`
}

// bannerJS is evaluated in every new document, before the page's own scripts: it marks
// "bench:banner" in the first animation frame in which the manager's banner (bannerSelectors) is
// rendered. requestAnimationFrame runs right before the frame is painted, so the mark is the
// frame the visitor first sees the banner in; checking on every frame (not only on DOM mutations)
// also catches banners that appear by a class or style change.
func bannerJS(selector string) string {
	return `(function () {
  var sel = ` + strconv.Quote(selector) + `;
  if (!sel || window.top !== window) return;
  var parts = sel.split(" >>> ");
  function candidates() {
    var host = document.querySelectorAll(parts[0]), out = [];
    for (var i = 0; i < host.length; i++) {
      if (parts.length === 1) { out.push(host[i]); continue; }
      var root = host[i].shadowRoot;
      if (root) out.push.apply(out, root.querySelectorAll(parts[1]));
    }
    return out;
  }
  function shown(e) {
    var r = e.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    var s = getComputedStyle(e);
    return s.visibility !== "hidden" && s.display !== "none" && parseFloat(s.opacity) > 0;
  }
  function frame() {
    var c = candidates();
    for (var i = 0; i < c.length; i++) if (shown(c[i])) { performance.mark("bench:banner"); return; }
    requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
})();`
}

// attemptKey names a request that reached a vendor by the stand-in route it hit (host and path
// prefix, demo/vendors.Routes), so that two loads of one page compare although query strings carry
// random ids and times.
func attemptKey(host, uri string) string {
	p := uri
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	best := ""
	for _, r := range vendors.Routes {
		if r.Host == host && strings.HasPrefix(p, r.Prefix) && len(r.Prefix) > len(best) {
			best = r.Prefix
		}
	}
	if best == "" {
		best = p
	}
	return host + best
}

// vendorAttempts counts the requests of log that reached a vendor host, by attemptKey.
func vendorAttempts(log []standin.Request) map[string]int {
	out := map[string]int{}
	for _, r := range log {
		if standin.IsVendor(r.Host) {
			out[attemptKey(r.Host, r.URL)]++
		}
	}
	return out
}

// stoppedAttempts compares what reached the vendors with a consent manager (got) with what the
// page sends without one (all): how many of all's attempts did not happen, and how many there are.
// Requests that only the consent manager's page makes are not attempts of the page's.
func stoppedAttempts(all, got map[string]int) (stopped, total int) {
	for k, n := range all {
		total += n
		stopped += max(0, n-got[k])
	}
	return stopped, total
}

// medianAttempts is the page's attempts without a consent manager: per key, the median count over
// the loads (a load that lost a beacon to a slow moment does not lower the total).
func medianAttempts(loads []map[string]int) map[string]int {
	keys := map[string]bool{}
	for _, l := range loads {
		for k := range l {
			keys[k] = true
		}
	}
	out := map[string]int{}
	for k := range keys {
		var xs []float64
		for _, l := range loads {
			xs = append(xs, float64(l[k]))
		}
		if n := int(math.Round(summarize(xs).median)); n > 0 {
			out[k] = n
		}
	}
	return out
}

// stat is a sample's median and spread.
type stat struct {
	median, p10, p90 float64
	n                int // values in the sample (missing ones left out)
}

// summarize returns the median and the 10th and 90th percentiles of xs, leaving out negative
// values (what did not happen in a load). Percentiles interpolate between the closest ranks.
func summarize(xs []float64) stat {
	var v []float64
	for _, x := range xs {
		if x >= 0 && !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return stat{median: -1, p10: -1, p90: -1}
	}
	sort.Float64s(v)
	return stat{median: percentile(v, 0.5), p10: percentile(v, 0.1), p90: percentile(v, 0.9), n: len(v)}
}

// percentile of sorted values, p in [0, 1].
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 1 {
		return sorted[0]
	}
	pos := p * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (pos-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// msText writes a duration in milliseconds with the precision that the spread of page loads
// supports.
func msText(v float64) string {
	switch {
	case v < 0:
		return "—"
	case v < 10:
		return strconv.FormatFloat(v, 'f', 2, 64) + " ms"
	case v < 100:
		return strconv.FormatFloat(v, 'f', 1, 64) + " ms"
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + " ms"
}

// statText writes "median ms (p10–p90 a–b)".
func statText(s stat) string {
	if s.n == 0 {
		return "—"
	}
	return msText(s.median) + " (p10–p90 " + strings.TrimSuffix(msText(s.p10), " ms") + "–" + msText(s.p90) + ")"
}

// ratioText writes v/base as "1.23×", or "—" when there is no base.
func ratioText(v, base float64) string {
	if v < 0 || base <= 0 {
		return "—"
	}
	return ratio(v / base)
}

func kbText(n int) string {
	if n < 0 {
		return "—"
	}
	return strconv.FormatFloat(float64(n)/1024, 'f', 1, 64) + " KB"
}

// traceEvent is the part of a Chromium trace event that scriptBeforePaint reads.
type traceEvent struct {
	Name string  `json:"name"`
	Ph   string  `json:"ph"`
	Ts   float64 `json:"ts"`  // µs
	Dur  float64 `json:"dur"` // µs
	Pid  int     `json:"pid"`
	Tid  int     `json:"tid"`
	Args struct {
		Frame string `json:"frame"`
		Data  struct {
			IsMainFrame  bool   `json:"isOutermostMainFrame"`
			DocumentURL  string `json:"documentLoaderURL"`
			NavigationID string `json:"navigationId"`
		} `json:"data"`
	} `json:"args"`
}

// scriptEvents are the trace events (devtools.timeline, v8.execute) of JavaScript running on a
// renderer's main thread: compiling and evaluating a script or module, calling into it (event
// listeners, timers, callbacks), and running microtasks (promise callbacks, such as the one that
// starts a WebAssembly module). They nest; scriptBeforePaint counts the time covered, not the sum.
var scriptEvents = map[string]bool{
	"EvaluateScript": true, "v8.evaluateModule": true, "v8.compile": true, "v8.compileModule": true,
	"FunctionCall": true, "RunMicrotasks": true, "TimerFire": true, "EventDispatch": true,
	"FireAnimationFrame": true, "v8.run": true, "v8.produceCache": true, "v8.produceModuleCache": true,
}

// scriptBeforePaint returns the main-thread time, in ms, that the page's JavaScript ran between
// the main frame's navigation start and its first paint: synchronous work that delays what the
// visitor first sees. frame is the main frame's id (the page target's id).
func scriptBeforePaint(events []traceEvent, frame string) (float64, error) {
	var start, paint float64 = -1, -1
	pid, tid := -1, -1
	for _, e := range events {
		// The tab's first document is about:blank; the page's navigation is the last one.
		if e.Name == "navigationStart" && e.Args.Frame == frame && e.Args.Data.DocumentURL != "" &&
			!strings.HasPrefix(e.Args.Data.DocumentURL, "about:") && e.Ts > start {
			start, pid, tid = e.Ts, e.Pid, e.Tid
		}
	}
	for _, e := range events {
		if e.Name == "firstPaint" && e.Args.Frame == frame && e.Ts >= start && (paint < 0 || e.Ts < paint) {
			paint = e.Ts
		}
	}
	if start < 0 || paint < 0 {
		return -1, errors.New("the trace has no navigationStart or firstPaint of the main frame")
	}
	var spans [][2]float64
	for _, e := range events {
		if e.Ph == "X" && e.Pid == pid && e.Tid == tid && scriptEvents[e.Name] {
			spans = append(spans, [2]float64{e.Ts, e.Ts + e.Dur})
		}
	}
	return coveredTime(spans, start, paint) / 1000, nil
}

// coveredTime is the length of the union of spans, clipped to [from, to].
func coveredTime(spans [][2]float64, from, to float64) float64 {
	slices.SortFunc(spans, func(a, b [2]float64) int {
		switch {
		case a[0] < b[0]:
			return -1
		case a[0] > b[0]:
			return 1
		}
		return 0
	})
	total, end := 0.0, from
	for _, s := range spans {
		lo, hi := max(s[0], end), min(s[1], to)
		if hi > lo {
			total += hi - lo
		}
		end = max(end, min(s[1], to))
	}
	return total
}

// tab is one page load's browser tab, in a browser context of its own, and what it observed.
type tab struct {
	ctx    context.Context
	cancel context.CancelFunc

	mu        sync.Mutex
	mainFrame cdp.FrameID
	inflight  map[network.RequestID]bool
	lastNet   time.Time
	urls      map[network.RequestID]string
	wire      map[network.RequestID]int64 // encoded bytes, by request
	trace     [][]byte
	traceDone chan struct{}
}

func (t *tab) listen(ev any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if ev.Type == network.ResourceTypeDocument && t.mainFrame == "" {
			t.mainFrame = ev.FrameID
		}
		t.urls[ev.RequestID] = ev.Request.URL
		// A cross-site iframe's document finishes in the iframe's own process, whose events this
		// tab does not see: it is not waited for here (the stand-in server's log is).
		if ev.Type != network.ResourceTypeDocument || ev.FrameID == t.mainFrame {
			t.inflight[ev.RequestID] = true
		}
		t.lastNet = time.Now()
	case *network.EventLoadingFinished:
		t.wire[ev.RequestID] += int64(ev.EncodedDataLength)
		delete(t.inflight, ev.RequestID)
		t.lastNet = time.Now()
	case *network.EventLoadingFailed:
		delete(t.inflight, ev.RequestID)
		t.lastNet = time.Now()
	case *tracing.EventDataCollected:
		for _, v := range ev.Value {
			t.trace = append(t.trace, []byte(v))
		}
	case *tracing.EventTracingComplete:
		close(t.traceDone)
	}
}

// reset forgets what the tab saw (a warm load measures its second page view only).
func (t *tab) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.urls, t.wire, t.trace = map[network.RequestID]string{}, map[network.RequestID]int64{}, nil
	t.traceDone = make(chan struct{})
}

// own counts the requests to the site under prefix and their bytes on the wire.
func (t *tab) own(prefix string) (requests int, transfer int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	want := "https://" + siteHost + prefix
	for id, u := range t.urls {
		if strings.HasPrefix(u, want) {
			requests++
			transfer += t.wire[id]
		}
	}
	return requests, transfer
}

// pageBench runs the loads: one Chromium, the stand-in server, the bench site.
type pageBench struct {
	browser context.Context
	server  *standin.Server
	version string // Chromium's, as the browser reports it
	close   func() // stops the browser and the server
}

type loadOptions struct {
	banner string // bannerSelectors entry ("" none)
	prefix string // the manager's own files ("" none)
	ready  bool   // wait for Consentry's engine (consentry:ready)
	trace  bool   // measure main-thread script before first paint
	warm   bool   // measure the second view of the page in the same browser context
}

func (b *pageBench) newTab() (*tab, error) {
	t := &tab{inflight: map[network.RequestID]bool{}, traceDone: make(chan struct{})}
	t.reset()
	t.ctx, t.cancel = chromedp.NewContext(b.browser, chromedp.WithNewBrowserContext(), chromedp.WithListener(t.listen))
	if err := chromedp.Do(t.ctx); err != nil {
		t.cancel()
		return nil, err
	}
	return t, nil
}

// load opens url in a fresh browser context and measures it.
func (b *pageBench) load(url string, o loadOptions) (loadStat, error) {
	t, err := b.newTab()
	if err != nil {
		return loadStat{}, err
	}
	defer t.cancel()
	ctx, cancel := context.WithTimeout(t.ctx, loadTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: bannerJS(o.banner)}); err != nil {
		return loadStat{}, err
	}
	if o.warm {
		if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
			return loadStat{}, err
		}
		if _, err := b.settle(ctx, t, o, len(b.server.Requests())); err != nil {
			return loadStat{}, err
		}
		t.reset()
	}
	logFrom := len(b.server.Requests())
	if o.trace {
		if _, err := chromedp.Call(ctx, tracing.Start, tracing.StartParams{
			TransferMode: tracing.StartTransferModeReportEvents,
			TraceConfig: &tracing.TraceConfig{
				RecordMode:         tracing.TraceConfigRecordModeRecordAsMuchAsPossible,
				IncludedCategories: []string{"devtools.timeline", "v8.execute", "blink.user_timing", "loading"},
			},
		}); err != nil {
			return loadStat{}, err
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return loadStat{}, err
	}
	pt, err := b.settle(ctx, t, o, logFrom)
	if err != nil {
		return loadStat{}, err
	}
	st := loadStat{FP: pt.FP, FCP: pt.FCP, DCL: pt.DCL, Load: pt.Load, Banner: pt.Banner, Ready: pt.Ready, Ran: pt.Ran, Script: -1}
	if o.prefix != "" {
		st.Requests, st.Transfer = t.own(o.prefix)
	}
	if o.trace {
		if _, err := chromedp.Call(ctx, tracing.End, cdp.Empty{}); err != nil {
			return loadStat{}, err
		}
		select {
		case <-t.traceDone:
		case <-ctx.Done():
			return loadStat{}, errors.New("the trace did not complete")
		}
		t.mu.Lock()
		raw := t.trace
		t.mu.Unlock()
		events := make([]traceEvent, 0, len(raw))
		for _, r := range raw {
			var e traceEvent
			if json.Unmarshal(r, &e) == nil {
				events = append(events, e)
			}
		}
		// A trace that lacks the page's first paint (seen once in hundreds of loads on a loaded
		// machine) leaves this one measure out of the load, not the load out of the table.
		st.Script, _ = scriptBeforePaint(events, string(chromedp.FromContext(t.ctx).Target.TargetID))
	}
	st.Vendor = vendorAttempts(b.server.Requests()[logFrom:])
	return st, nil
}

// settle waits until the page has done what it tries to do: the load event has fired, no request
// has been in flight and none has reached the stand-in server for settleQuiet, the banner is shown
// and the engine runs (when expected). It returns the page's timings.
func (b *pageBench) settle(ctx context.Context, t *tab, o loadOptions, logFrom int) (pageTimes, error) {
	start := time.Now()
	lastLog, lastLogAt := -1, time.Now()
	for {
		pt, err := chromedp.Run(ctx, chromedp.Evaluate[pageTimes](pageTimesJS))
		if err != nil {
			return pt, err
		}
		if n := len(b.server.Requests()); n != lastLog {
			lastLog, lastLogAt = n, time.Now()
		}
		t.mu.Lock()
		quiet := len(t.inflight) == 0 && time.Since(t.lastNet) >= settleQuiet
		t.mu.Unlock()
		done := pt.Load > 0 && quiet && time.Since(lastLogAt) >= settleQuiet &&
			(o.banner == "" || pt.Banner >= 0) && (!o.ready || pt.Ready >= 0)
		if done || time.Since(start) > settleMax {
			return pt, nil
		}
		select {
		case <-ctx.Done():
			return pt, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// pageRows is the "page", "peers" and "page growth" sections.
func pageRows() ([]Row, error) {
	start, loadBefore := time.Now(), loadAverage()
	logf := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "bench: pages: "+format+"\n", args...)
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		return nil, errors.New(chromiumPath + " is missing (make deps installs it)")
	}
	// The stand-in server's net/http logs each connection that a closing browser context drops
	// (through the standard logger): expected here, hundreds of times.
	log.SetOutput(io.Discard)
	defer log.SetOutput(os.Stderr)
	tmpl, err := template.ParseFiles(filepath.Join(benchDir, "site", "demo.html"))
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "consentry-pages-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	// Consentry as a site builds it: the huma policy for the comparison, synthetic ones for growth.
	policies := map[string]string{"huma": benchPolicy}
	for _, n := range []int{10, 100, 1000} {
		p := filepath.Join(tmp, "policy-"+strconv.Itoa(n)+".json")
		if err := os.WriteFile(p, growthPolicyJSON(n), 0o644); err != nil {
			return nil, err
		}
		policies["s"+strconv.Itoa(n)] = p
	}
	logf("building Consentry (consentry build) for %s and 3 synthetic policies", benchPolicy)
	t0 := time.Now()
	dirs, failed := consentryBuilds(tmp, policies)
	logf("built in %s", time.Since(t0).Round(time.Second))

	none := &manager{key: "none", name: "no consent manager", markup: asPasted}
	cons := consentryVariant("huma", "Consentry", dirs, failed)
	managers := []*manager{none, cons}
	versions := peerVersions()
	for _, m := range peerManagers() {
		m.name = m.pkg + " " + versions[m.pkg]
		if versions[m.pkg] == "" && m.missing == "" {
			m.missing = m.pkg + " is not in bench/package-lock.json (make deps runs npm ci in bench/)"
		}
		managers = append(managers, m)
	}
	growth := map[string]*manager{}
	for _, n := range []int{10, 100, 1000} {
		name := "s" + strconv.Itoa(n)
		growth[name] = consentryVariant(name, "Consentry, "+strconv.Itoa(n)+" services", dirs, failed)
	}

	// The site: every manager's files and demo page, compressed two at a time (brotli -q 11 is
	// slow), and what the pages share.
	site := &benchSite{files: map[string]http.Handler{}}
	pages := map[*manager]string{}
	for _, m := range managers {
		pages[m] = "/" + m.key + ".html"
	}
	for name, g := range growth {
		pages[g] = "/growth-" + name + ".html"
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(pages))
	slots := make(chan struct{}, 2)
	for m, page := range pages {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			errs <- site.serveManager(tmpl, m, page)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := site.serveShared(cons); err != nil {
		return nil, err
	}

	b, err := startPageBench(site)
	if err != nil {
		return nil, err
	}
	defer b.close()
	logf("site ready in %s; %s", time.Since(start).Round(time.Second), b.version)

	// The comparison: every manager, and Consentry's second view, interleaved.
	type variant struct {
		m    *manager
		url  string
		opts loadOptions
	}
	// The second view of the page, still without a decision: what a visitor who ignores the
	// banner pays on every later page (HTTP cache warm; Consentry's snapshot, wasm/README).
	noneWarm := &manager{key: "none", name: "no consent manager, second page view", markup: asPasted, warm: true}
	consWarm := &manager{key: "consentry", name: "Consentry, second page view", prefix: cons.prefix, missing: cons.missing,
		warm: true, base: noneWarm}
	compared := slices.Concat(managers, []*manager{noneWarm, consWarm})
	for _, m := range compared[1:] {
		if m.base == nil && m != noneWarm {
			m.base = none
		}
	}
	var variants []variant
	for _, m := range compared {
		if m.missing != "" {
			continue
		}
		o := loadOptions{banner: bannerSelectors[m.key], prefix: m.prefix, ready: m.key == "consentry", trace: true, warm: m.warm}
		variants = append(variants, variant{m, "https://" + siteHost + "/" + m.key + ".html", o})
	}
	// Rounds of one load per variant. Each round starts one variant later, so that no variant
	// always follows the same one (a closing browser context still uses the CPU for a moment), and
	// loadGap lets the previous load's processes exit first.
	runRounds := func(label string, vs []variant) {
		t0 := time.Now()
		for round := 0; round <= pageLoads; round++ {
			for i := range vs {
				v := vs[(i+round)%len(vs)]
				st, err := b.load(v.url, v.opts)
				time.Sleep(loadGap)
				if round == 0 {
					continue // warm-up round
				}
				if err != nil {
					v.m.failed = append(v.m.failed, err.Error())
					continue
				}
				v.m.loads = append(v.m.loads, st)
			}
		}
		logf("%s: %d variants × %d loads in %s", label, len(vs), pageLoads, time.Since(t0).Round(time.Second))
	}
	runRounds("comparison", variants)

	// Growth: Consentry with 10, 100, 1,000 services; pages of 10 and 200 script tags.
	var gvs []variant
	for _, name := range []string{"s10", "s100", "s1000"} {
		if g := growth[name]; g.missing == "" {
			gvs = append(gvs, variant{g, "https://" + siteHost + "/growth-" + name + ".html",
				loadOptions{banner: bannerSelectors["consentry"], ready: true}})
		}
	}
	tagVariants := map[string]*manager{}
	for _, n := range []int{10, 200} {
		for _, key := range []string{"none", "consentry"} {
			if key == "consentry" && cons.missing != "" {
				continue
			}
			name := "tags-" + strconv.Itoa(n) + "-" + key
			m := &manager{key: key, name: name}
			tagVariants[name] = m
			gvs = append(gvs, variant{m, "https://" + siteHost + "/" + name + ".html", loadOptions{ready: key == "consentry"}})
		}
	}
	runRounds("growth", gvs)

	rows := comparisonRows(compared)
	rows = append(rows, growthRows(growth, tagVariants, cons)...)
	for _, m := range compared {
		if len(m.failed) > 0 {
			notes = append(notes, fmt.Sprintf("page: %s: %d of %d loads did not finish (first: %s)",
				m.name, len(m.failed), len(m.failed)+len(m.loads), m.failed[0]))
		}
	}
	var peers []string
	for _, m := range managers {
		if m.pkg != "" {
			peers = append(peers, m.name)
		}
	}
	notes = append(notes, pageNotes(b.version, peers, time.Since(start), loadBefore+" → "+loadAverage())...)
	logf("done in %s", time.Since(start).Round(time.Second))
	return rows, nil
}

// consentryBuilds runs `consentry build` (the command a site runs) for each policy, by name. It
// returns each build's output directory, or why it failed: a failed build leaves its rows "not
// measured" and the rest of the table is still measured.
func consentryBuilds(tmp string, policies map[string]string) (dirs, failed map[string]string) {
	dirs, failed = map[string]string{}, map[string]string{}
	cli := filepath.Join(tmp, "consentry")
	if out, err := exec.Command("go", "build", "-o", cli, "./cmd/consentry").CombinedOutput(); err != nil {
		for name := range policies {
			failed[name] = "cmd/consentry does not build: " + lastLine(out, err)
		}
		return dirs, failed
	}
	for name, p := range policies {
		dir := filepath.Join(tmp, "build-"+name)
		if out, err := exec.Command(cli, "build", "--policy", p, "--out", dir).CombinedOutput(); err != nil {
			failed[name] = "consentry build --policy " + p + " failed: " + lastLine(out, err)
			continue
		}
		dirs[name] = dir
	}
	return dirs, failed
}

// consentryVariant is the build name of Consentry as a variant named label.
func consentryVariant(name, label string, dirs, failed map[string]string) *manager {
	m := &manager{key: "consentry", name: label, missing: failed[name]}
	if dir, ok := dirs[name]; ok {
		m = consentryManager(name, dir)
		m.name = label
	}
	return m
}

// serveManager compresses m's own files and serves them under m.prefix, serves m's demo page at
// page, and records m's own bytes. A file that is missing leaves m "not measured".
func (s *benchSite) serveManager(tmpl *template.Template, m *manager, page string) error {
	if m.missing != "" {
		return nil
	}
	var raw, gz, br int
	if m.inline != "" {
		raw, gz, br = len(m.inline), len(gzipBytes([]byte(m.inline))), -1
		if b, err := brotliBytes([]byte(m.inline)); err == nil {
			br = len(b)
		}
	}
	for _, f := range m.files {
		data, err := os.ReadFile(f.disk)
		if err != nil {
			m.missing = err.Error() + " (make deps runs npm ci in bench/)"
			return nil
		}
		cache := "public, max-age=31536000, immutable"
		if m.key == "consentry" && strings.HasSuffix(f.name, ".js") {
			cache = "no-cache" // the gate keeps its URL from build to build (wasm/README.section.md)
		}
		sf := newServedFile(f.name, data, cache)
		s.set(m.prefix+f.name, sf)
		raw, gz = raw+len(data), gz+len(sf.gz)
		if sf.br == nil || br < 0 {
			br = -1
		} else {
			br += len(sf.br)
		}
	}
	m.size = [3]int{raw, gz, br}
	pg, err := demoPage(tmpl, m)
	if err != nil {
		return err
	}
	s.set(page, newServedFile("page.html", pg, "no-cache"))
	return nil
}

// serveShared serves what the pages share (the site's stylesheet, script and images) and the
// script-tag growth pages, without a consent manager and with cons.
func (s *benchSite) serveShared(cons *manager) error {
	for _, name := range []string{"site.css", "site.js"} {
		raw, err := os.ReadFile(filepath.Join(benchDir, "site", name))
		if err != nil {
			return err
		}
		s.set("/site/"+name, newServedFile(name, raw, "public, max-age=3600"))
	}
	pics, err := pictures()
	if err != nil {
		return err
	}
	for name, b := range pics {
		s.set("/site/"+name, newServedFile(name, b, "public, max-age=3600"))
	}
	for _, n := range []int{10, 200} {
		s.set("/tags-"+strconv.Itoa(n)+"-none.html", newServedFile("page.html", tagsPage("", n), "no-cache"))
		if cons.missing == "" {
			s.set("/tags-"+strconv.Itoa(n)+"-consentry.html", newServedFile("page.html", tagsPage(cons.head, n), "no-cache"))
		}
	}
	for i := 0; i < 200; i += 2 {
		s.set("/site/lib/"+strconv.Itoa(i)+".js", newServedFile("lib.js",
			[]byte("window.__lib = (window.__lib || 0) + 1; // site bundle "+strconv.Itoa(i)+"\n"), "public, max-age=3600"))
	}
	return nil
}

// comparisonRows are the "page" (no consent manager and Consentry, first and second view) and
// "peers" rows. Each manager's ratios and stopped attempts are against its base.
func comparisonRows(compared []*manager) []Row {
	med := func(m *manager, f func(loadStat) float64) stat {
		var xs []float64
		for _, l := range m.loads {
			xs = append(xs, f(l))
		}
		return summarize(xs)
	}
	measured := func(m *manager) bool { return m != nil && m.missing == "" && len(m.loads) > 0 }
	find := func(key string, warm bool) *manager {
		for _, m := range compared {
			if m.key == key && m.warm == warm {
				return m
			}
		}
		return nil
	}
	cons, cc := find("consentry", false), find("cookieconsent", false)
	attempts := map[*manager]map[string]int{}
	stoppedOf := func(m *manager) (stopped float64, total int) {
		base := attempts[m.base]
		var xs []float64
		for _, l := range m.loads {
			s, _ := stoppedAttempts(base, l.Vendor)
			xs = append(xs, float64(s))
		}
		_, total = stoppedAttempts(base, nil)
		return summarize(xs).median, total
	}
	measures := []struct {
		name string
		f    func(loadStat) float64
	}{
		{"first paint", func(l loadStat) float64 { return l.FP }},
		{"first contentful paint", func(l loadStat) float64 { return l.FCP }},
		{"DOMContentLoaded", func(l loadStat) float64 { return l.DCL }},
		{"load", func(l loadStat) float64 { return l.Load }},
		{"main-thread script before first paint", func(l loadStat) float64 { return l.Script }},
	}
	banner := func(l loadStat) float64 { return l.Banner }
	fcp := measures[1].f

	// The table lists Consentry's rows and their baselines first, the peers after.
	compared = slices.Clone(compared)
	slices.SortStableFunc(compared, func(a, b *manager) int {
		return strings.Compare(strconv.FormatBool(a.pkg != ""), strconv.FormatBool(b.pkg != ""))
	})
	var rows []Row
	for _, m := range compared {
		section := "peers"
		if m.key == "none" || m.key == "consentry" {
			section = "page"
		}
		switch {
		case m.missing != "":
			rows = append(rows, Row{section, m.name, "not measured: " + m.missing, "", false})
			continue
		case len(m.loads) == 0:
			rows = append(rows, Row{section, m.name, "not measured: no load finished", "", false})
			continue
		case m.base == nil:
			attempts[m] = medianAttempts(vendorMaps(m.loads))
		case !measured(m.base):
			rows = append(rows, Row{section, m.name, "not measured: no baseline (" + m.base.name + ")", "", false})
			continue
		}
		for _, ms := range measures {
			s := med(m, ms.f)
			v := statText(s)
			if s.n > 0 && s.n < len(m.loads) {
				v += fmt.Sprintf(" [%d of %d loads]", s.n, len(m.loads))
			}
			if m.base != nil {
				v += " · " + ratioText(s.median, med(m.base, ms.f).median)
			}
			rows = append(rows, Row{section, m.name + ": " + ms.name, v, "(compare)", true})
		}
		if bannerSelectors[m.key] != "" {
			s := med(m, banner)
			r := Row{section, m.name + ": banner visible",
				statText(s) + " · " + ratioText(s.median, med(m.base, fcp).median) + " of no consent manager's FCP", "(compare)", true}
			if m == cons && measured(cc) {
				r.Budget, r.OK = "≤ "+cc.name, s.median <= med(cc, banner).median
			}
			rows = append(rows, r)
		} else if m.base != nil {
			rows = append(rows, Row{section, m.name + ": banner visible", "— (it has no banner)", "(compare)", true})
		}
		if m.base != nil && !m.warm {
			br := "—"
			if m.size[2] >= 0 {
				br = kbText(m.size[2])
			}
			rows = append(rows, Row{section, m.name + ": own files raw / gzip / brotli",
				kbText(m.size[0]) + " / " + kbText(m.size[1]) + " / " + br, "(compare)", true})
		}
		if m.base != nil {
			reqs, wire := med(m, func(l loadStat) float64 { return float64(l.Requests) }), med(m, func(l loadStat) float64 { return float64(l.Transfer) })
			rows = append(rows, Row{section, m.name + ": own requests, bytes on the wire",
				plural(int(reqs.median), "request") + ", " + kbText(int(wire.median)), "(compare)", true})
		}
		ran := med(m, func(l loadStat) float64 { return float64(l.Ran) }).median
		if m.base == nil {
			_, total := stoppedAttempts(attempts[m], nil)
			rows = append(rows, Row{section, m.name + ": tracking attempts", fmt.Sprintf("%d reach the vendors (%s); %d vendor scripts run",
				total, attemptList(attempts[m]), int(ran)), "(compare)", true})
			continue
		}
		stopped, total := stoppedOf(m)
		baseRan := med(m.base, func(l loadStat) float64 { return float64(l.Ran) }).median
		v := fmt.Sprintf("%d of %d stopped; vendor scripts run: %d of %d", int(stopped), total, int(ran), int(baseRan))
		if reached := reachedAttempts(attempts[m.base], medianAttempts(vendorMaps(m.loads))); len(reached) > 0 {
			v += "; reached: " + attemptList(reached)
		}
		r := Row{section, m.name + ": tracking attempts stopped before a decision", v, "(compare)", true}
		if m == cons {
			r.Budget = "≥ every peer"
			for _, p := range compared {
				if p.pkg != "" && measured(p) {
					if ps, _ := stoppedOf(p); ps > stopped {
						r.OK = false
					}
				}
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// reachedAttempts are the page's attempts (all) that still reached the vendors (got).
func reachedAttempts(all, got map[string]int) map[string]int {
	out := map[string]int{}
	for k, n := range all {
		if m := min(n, got[k]); m > 0 {
			out[k] = m
		}
	}
	return out
}

func vendorMaps(loads []loadStat) []map[string]int {
	var out []map[string]int
	for _, l := range loads {
		out = append(out, l.Vendor)
	}
	return out
}

func ranOf(loads []loadStat) []float64 {
	var out []float64
	for _, l := range loads {
		out = append(out, float64(l.Ran))
	}
	return out
}

// attemptList writes the attempts as "host/path ×n, ..." in a stable order.
func attemptList(a map[string]int) string {
	keys := make([]string, 0, len(a))
	for k := range a {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		s := k
		if a[k] > 1 {
			s += " ×" + strconv.Itoa(a[k])
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// growthRows are the "page growth" rows: Consentry's page-side cost with 10, 100 and 1,000
// services, and with 10 and 200 script tags on the page.
func growthRows(growth, tags map[string]*manager, cons *manager) []Row {
	var rows []Row
	medOf := func(m *manager, f func(loadStat) float64) float64 {
		var xs []float64
		for _, l := range m.loads {
			xs = append(xs, f(l))
		}
		return summarize(xs).median
	}
	ready := func(l loadStat) float64 { return l.Ready }
	dcl := func(l loadStat) float64 { return l.DCL }
	for _, name := range []string{"s10", "s100", "s1000"} {
		if g := growth[name]; g.missing != "" || len(g.loads) == 0 {
			reason := g.missing
			if reason == "" {
				reason = "no load finished"
			}
			return append(rows, Row{"page growth", "Consentry, 10 → 100 → 1,000 services", "not measured: " + reason, "", false})
		}
	}
	g10, g100, g1000 := growth["s10"], growth["s100"], growth["s1000"]
	// Sizes are exact: the marginal bytes per service must not grow.
	per1 := float64(g100.size[0]-g10.size[0]) / 90
	per2 := float64(g1000.size[0]-g100.size[0]) / 900
	rows = append(rows, Row{"page growth", "engine + gate raw size, 10 → 100 → 1,000 services",
		kbText(g10.size[0]) + " → " + kbText(g100.size[0]) + " → " + kbText(g1000.size[0]) +
			fmt.Sprintf(" (%.0f B then %.0f B per service)", per1, per2),
		"per-service bytes not growing", per2 <= per1*1.25+16})
	if g10.size[2] > 0 {
		rows = append(rows, Row{"page growth", "engine + gate brotli size, 10 → 100 → 1,000 services",
			kbText(g10.size[2]) + " → " + kbText(g100.size[2]) + " → " + kbText(g1000.size[2]), "(growth)", true})
	}
	for _, f := range []struct {
		name string
		f    func(loadStat) float64
	}{{"engine ready", ready}, {"DOMContentLoaded", dcl}} {
		a, b, c := medOf(g10, f.f), medOf(g100, f.f), medOf(g1000, f.f)
		rows = append(rows, Row{"page growth", f.name + ", 10 → 100 → 1,000 services",
			msText(a) + " → " + msText(b) + " → " + msText(c) + " (" + ratioText(c, a) + " for 100× services)",
			"no faster than linear", a > 0 && c/a <= 100})
	}
	n10, n200 := tags["tags-10-none"], tags["tags-200-none"]
	c10, c200 := tags["tags-10-consentry"], tags["tags-200-consentry"]
	if c10 == nil || c200 == nil {
		return append(rows, Row{"page growth", "Consentry, 10 → 200 script tags", "not measured: " + cons.missing, "", false})
	}
	a, b := medOf(n10, dcl), medOf(n200, dcl)
	c, d := medOf(c10, dcl), medOf(c200, dcl)
	rows = append(rows,
		Row{"page growth", "DOMContentLoaded, 10 → 200 script tags, no consent manager", msText(a) + " → " + msText(b), "(compare)", true},
		Row{"page growth", "DOMContentLoaded, 10 → 200 script tags, Consentry", msText(c) + " → " + msText(d) +
			" (" + ratioText(c, a) + " → " + ratioText(d, b) + " of no consent manager)", "(compare)", true})
	added10, added200 := c-a, d-b
	rows = append(rows, Row{"page growth", "Consentry's added DOMContentLoaded, 10 → 200 script tags",
		msText(max(0, added10)) + " → " + msText(max(0, added200)) + " (20× tags)",
		"no faster than linear", added200 <= 20*max(added10, 1)})
	r10, r200 := medOf(c10, ready), medOf(c200, ready)
	rows = append(rows, Row{"page growth", "engine ready, 10 → 200 script tags",
		msText(r10) + " → " + msText(r200) + " (" + ratioText(r200, r10) + " for 20× tags)", "no faster than linear", r10 > 0 && r200/r10 <= 20})
	return rows
}

// pageNotes are the table's footnotes for these sections: versions and methods.
func pageNotes(chromium string, peers []string, took time.Duration, load string) []string {
	return []string{
		"page, peers: the demo page bench/site/demo.html with the same vendor tags (GA4 gtag.js, Meta pixel, HubSpot, " +
			"Microsoft Clarity, Intercom, Segment, Leadfeeder, a YouTube iframe, a pixel <img>) answered by the stand-ins of " +
			"demo/vendors at the vendors' real host names; " + chromium + ", headless, 1280×800, every load in a fresh browser " +
			"context (empty cache, no cookies, no decision); " + strconv.Itoa(pageLoads) + " measured loads per variant after one " +
			"warm-up round, interleaved (A B C, B C A, … : each round starts one variant later); median (p10–p90), ratios against no consent manager in the same run. " +
			"Second page view: the page opened again in the same browser context, still without a decision (HTTP cache " +
			"warm), against no consent manager's second view. " +
			"Peers (npm, bench/package-lock.json): " + strings.Join(peers, ", ") + ". Page-section run time: " + took.Round(time.Second).String() +
			"; the machine's load average (1 min) before → after: " + load + " (timings are only as quiet as the machine).",
		"page: Consentry is the page as pasted plus one <script src=consentry.js> first in <head> (consentry build --policy " +
			benchPolicy + "); yett gets its blacklist and the page as pasted; vanilla-cookieconsent and Klaro get the markup " +
			"changes their docs require for blocking (type=\"text/plain\" with data-category, or data-name/data-src); vanilla-" +
			"cookieconsent v3 has no blocking of iframes or images of its own, yett blocks scripts only. Files are served " +
			"brotli-compressed (quality 11, gzip -9 where brotli is missing) from the site's origin.",
		"page: first paint and first contentful paint from performance.getEntriesByType(\"paint\"), DOMContentLoaded and load " +
			"from navigation timing (…EventEnd); banner visible = the first animation frame in which the manager's banner element " +
			"has a box, is not hidden and not transparent (script injected before the page's own, polling in requestAnimationFrame), " +
			"its ratio is to no consent manager's first contentful paint; main-thread script before first paint = the time covered " +
			"by script events (EvaluateScript, v8.compile, FunctionCall, RunMicrotasks, …) on the page's renderer main thread between " +
			"navigationStart and firstPaint in a devtools.timeline trace; own requests and bytes on the wire from the Network domain " +
			"(encodedDataLength); own files' gzip -9 and brotli -q 11 sizes computed from the files; a tracking attempt is a request " +
			"that reached a vendor stand-in (the stand-in server's log, by host and route), counted against the page without a " +
			"consent manager, after the page had no request in flight for 300 ms; vendor scripts run = the stand-ins' performance marks.",
		"page growth: Consentry built with synthetic policies (each service: 2 hosts, 3 cookies, 1 storage key) on the demo page; " +
			"pages of 10 and 200 script tags, half the site's own, half async vendor scripts; engine ready is the consentry:ready mark.",
	}
}

// startPageBench starts the stand-in server with site and one Chromium whose host resolver sends
// the vendors' and the site's names to it.
func startPageBench(site *benchSite) (*pageBench, error) {
	srv, err := standin.Start(site)
	if err != nil {
		return nil, err
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", "new"),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.WindowSize(1280, 800),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("host-resolver-rules", srv.ResolverRules()),
		chromedp.Flag("ignore-certificate-errors-spki-list", srv.SPKI),
	)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	b := &pageBench{browser: bctx, server: srv}
	stop := func() { cancelBrowser(); cancelAlloc(); srv.Close() }
	v, err := chromedp.CallBrowser(bctx, browser.GetVersion, cdp.Empty{})
	if err != nil {
		stop()
		return nil, errors.New("starting " + chromiumPath + ": " + err.Error())
	}
	b.version = strings.Replace(v.Product, "/", " ", 1)
	b.close = stop
	return b, nil
}

// peerVersions reads the installed versions of the peers from bench/package-lock.json.
func peerVersions() map[string]string {
	out := map[string]string{}
	data, err := os.ReadFile(filepath.Join(benchDir, "package-lock.json"))
	if err != nil {
		return out
	}
	var lock struct {
		Packages map[string]struct {
			Version string `json:"version"`
		} `json:"packages"`
	}
	if json.Unmarshal(data, &lock) != nil {
		return out
	}
	for k, p := range lock.Packages {
		if name, ok := strings.CutPrefix(k, "node_modules/"); ok && !strings.Contains(name, "/node_modules/") {
			out[name] = p.Version
		}
	}
	return out
}

// growthPolicyJSON is a policy of n services shaped like real ones (two hosts, three cookies, a
// storage key each), as a file for `consentry build`.
func growthPolicyJSON(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"site": "Growth", "categories": [
  {"id": "necessary", "required": true, "label": "Necessary"}, {"id": "analytics", "label": "Analytics"},
  {"id": "marketing", "label": "Marketing"}, {"id": "media", "label": "Media"}],
 "services": [`)
	cats := []string{"analytics", "marketing", "media", "necessary"}
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		s := strconv.Itoa(i)
		b.WriteString("\n  {\"id\": \"svc" + s + "\", \"category\": \"" + cats[i%len(cats)] + "\", \"provider\": \"Vendor " + s + "\"," +
			" \"hosts\": [\"cdn.vendor" + s + ".com\", \"*.track" + s + ".net\"]," +
			" \"cookies\": [{\"name\": \"_v" + s + "_id\"}, {\"name\": \"_v" + s + "_ses\"}, {\"name\": \"_v" + s + "x_*\"}]," +
			" \"storage\": [{\"name\": \"v" + s + ":state\"}]}")
	}
	b.WriteString("]}\n")
	return []byte(b.String())
}

func gzipBytes(b []byte) []byte {
	var out bytes.Buffer
	w, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// brotliBytes compresses b with the brotli command (Debian's brotli package) at quality 11, as
// static files are compressed ahead of time.
func brotliBytes(b []byte) ([]byte, error) {
	cmd := exec.Command("brotli", "-c", "-q", "11")
	cmd.Stdin = bytes.NewReader(b)
	return cmd.Output()
}

func fnv64(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// loadAverage is the machine's 1-minute load average (Linux), or "?".
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(data)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}

// lastLine is the last line of a failed command's output, or its error.
func lastLine(out []byte, err error) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if l := strings.TrimSpace(lines[len(lines)-1]); l != "" {
		return l
	}
	return err.Error()
}
