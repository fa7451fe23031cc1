package main

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/demo/vendors"
	"github.com/consentry/consentry/e2e/standin"
)

// repo is the repository root, where make bench runs (tests run in internal/bench).
const repo = "../.."

func TestSummarize(t *testing.T) {
	tests := []struct {
		name string
		in   []float64
		want stat
	}{
		{"empty", nil, stat{median: -1, p10: -1, p90: -1}},
		{"only missing values", []float64{-1, -1}, stat{median: -1, p10: -1, p90: -1}},
		{"one value", []float64{7}, stat{7, 7, 7, 1}},
		{"odd count, unsorted", []float64{30, 10, 20}, stat{20, 12, 28, 3}},
		{"even count: the middle two averaged", []float64{1, 2, 3, 4}, stat{2.5, 1.3, 3.7, 4}},
		{"missing values left out", []float64{-1, 5, -1, 5, 5}, stat{5, 5, 5, 3}},
		{"eleven values: p10 and p90 on ranks", []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, stat{5, 1, 9, 11}},
		{"an outlier moves the p90, not the median", []float64{10, 10, 10, 10, 10, 10, 10, 10, 10, 1000}, stat{10, 10, 109, 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarize(tt.in)
			near := func(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }
			if !near(got.median, tt.want.median) || !near(got.p10, tt.want.p10) || !near(got.p90, tt.want.p90) || got.n != tt.want.n {
				t.Errorf("summarize(%v) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestTimeAndRatioText(t *testing.T) {
	tests := []struct{ got, want string }{
		{msText(-1), "—"},
		{msText(0.456), "0.46 ms"},
		{msText(12.34), "12.3 ms"},
		{msText(1234.5), "1234 ms"}, // rounds half to even, as strconv does
		{statText(stat{median: 212, p10: 187.4, p90: 238, n: 15}), "212 ms (p10–p90 187–238 ms)"},
		{statText(stat{median: 8.5, p10: 7.25, p90: 9.75, n: 15}), "8.50 ms (p10–p90 7.25–9.75 ms)"},
		{statText(stat{median: -1, p10: -1, p90: -1}), "—"},
		{ratioText(150, 100), "1.50×"},
		{ratioText(99, 100), "0.99×"},
		{ratioText(150, 0), "—"},
		{ratioText(-1, 100), "—"},
		{kbText(1536), "1.5 KB"},
		{kbText(-1), "—"},
		{plural(1, "request"), "1 request"},
		{plural(3, "request"), "3 requests"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestAttemptKey(t *testing.T) {
	tests := []struct{ host, uri, want string }{
		{"www.googletagmanager.com", "/gtag/js?id=G-STANDIN", "www.googletagmanager.com/gtag/js"},
		{"www.googletagmanager.com", "/gtm.js?id=GTM-1", "www.googletagmanager.com/gtm.js"},
		{"region1.google-analytics.com", "/g/collect?v=2&cid=123.456", "region1.google-analytics.com/g/collect"},
		// The HubSpot loader puts a time bucket in the path: one key whatever the time.
		{"js.hs-analytics.net", "/analytics/5895012/STANDIN.js", "js.hs-analytics.net/analytics/"},
		{"js.hs-scripts.com", "/STANDIN.js", "js.hs-scripts.com/"},
		{"www.youtube.com", "/embed/STANDIN", "www.youtube.com/embed/"},
		{"www.youtube.com", "/generate_204", "www.youtube.com/generate_204"},
		{"www.facebook.com", "/tr?id=1&ev=PageView", "www.facebook.com/tr"},
		{"www.facebook.com", "/tr/?id=1", "www.facebook.com/tr"},
		// A path no route serves is its own attempt.
		{"www.facebook.com", "/other#x", "www.facebook.com/other"},
	}
	for _, tt := range tests {
		if got := attemptKey(tt.host, tt.uri); got != tt.want {
			t.Errorf("attemptKey(%q, %q) = %q, want %q", tt.host, tt.uri, got, tt.want)
		}
	}
}

func TestStoppedAttempts(t *testing.T) {
	req := func(host, uri string) standin.Request { return standin.Request{Host: host, URL: uri} }
	// What the page does without a consent manager: two Meta pixels, a gtag.js and its beacon, and
	// its own files (not vendors: not attempts).
	baseline := vendorAttempts([]standin.Request{
		req(siteHost, "/none.html"),
		req("www.googletagmanager.com", "/gtag/js?id=G-1"),
		req("region1.google-analytics.com", "/g/collect?cid=1"),
		req("www.facebook.com", "/tr?id=1&noscript=1"),
		req("www.facebook.com", "/tr/?id=1&ev=PageView"),
		req(siteHost, "/site/site.css"),
	})
	if want := map[string]int{"www.googletagmanager.com/gtag/js": 1, "region1.google-analytics.com/g/collect": 1, "www.facebook.com/tr": 2}; !maps.Equal(baseline, want) {
		t.Fatalf("vendorAttempts = %v, want %v", baseline, want)
	}
	tests := []struct {
		name          string
		log           []standin.Request
		stopped, want int
	}{
		{"nothing reached a vendor", []standin.Request{req(siteHost, "/consentry.html")}, 4, 4},
		{"everything reached the vendors", []standin.Request{
			req("www.googletagmanager.com", "/gtag/js?id=G-1"), req("region1.google-analytics.com", "/g/collect?cid=2"),
			req("www.facebook.com", "/tr?id=1"), req("www.facebook.com", "/tr/?id=1")}, 0, 4},
		{"the script was fetched (preload scanner) but did not run: its beacon is stopped",
			[]standin.Request{req("www.googletagmanager.com", "/gtag/js?id=G-1")}, 3, 4},
		{"one of two pixels reached the vendor", []standin.Request{req("www.facebook.com", "/tr?id=1")}, 3, 4},
		{"more requests than the page makes count once", []standin.Request{
			req("www.facebook.com", "/tr"), req("www.facebook.com", "/tr"), req("www.facebook.com", "/tr")}, 2, 4},
		{"a request the page never makes is not an attempt", []standin.Request{req("www.youtube.com", "/embed/x")}, 4, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stopped, total := stoppedAttempts(baseline, vendorAttempts(tt.log))
			if stopped != tt.stopped || total != tt.want {
				t.Errorf("stopped %d of %d, want %d of %d", stopped, total, tt.stopped, tt.want)
			}
		})
	}
}

func TestMedianAttempts(t *testing.T) {
	loads := []map[string]int{
		{"a/": 2, "b/": 1},
		{"a/": 2, "b/": 1, "c/": 1}, // c happened once in three loads: not an attempt of the page
		{"a/": 1, "b/": 1},          // a lost one request to a slow moment
	}
	if got, want := medianAttempts(loads), map[string]int{"a/": 2, "b/": 1}; !maps.Equal(got, want) {
		t.Errorf("medianAttempts = %v, want %v", got, want)
	}
	if got, want := reachedAttempts(map[string]int{"a/": 2, "b/": 1}, map[string]int{"a/": 3, "c/": 1}), map[string]int{"a/": 2}; !maps.Equal(got, want) {
		t.Errorf("reachedAttempts = %v, want %v", got, want)
	}
	if got, want := attemptList(map[string]int{"b/x": 1, "a/y": 2}), "a/y ×2, b/x"; got != want {
		t.Errorf("attemptList = %q, want %q", got, want)
	}
}

func TestBannerSelectors(t *testing.T) {
	keys := map[string]bool{"consentry": true}
	for _, m := range peerManagers() {
		keys[m.key] = true
	}
	for key, sel := range bannerSelectors {
		if !keys[key] {
			t.Errorf("bannerSelectors[%q]: no such consent manager", key)
		}
		parts := strings.Split(sel, " >>> ")
		if len(parts) > 2 {
			t.Errorf("bannerSelectors[%q] = %q: at most one shadow root is pierced", key, sel)
		}
		for _, p := range parts {
			if strings.TrimSpace(p) == "" || strings.Contains(p, ">>>") {
				t.Errorf("bannerSelectors[%q] = %q: empty or malformed part %q", key, sel, p)
			}
		}
		if js := bannerJS(sel); !strings.Contains(js, `var sel = "`+strings.ReplaceAll(sel, `"`, `\"`)+`";`) {
			t.Errorf("bannerJS(%q) does not carry the selector", sel)
		}
	}
	// Managers with a banner must have a selector; yett has none.
	for _, key := range []string{"consentry", "cookieconsent", "klaro"} {
		if bannerSelectors[key] == "" {
			t.Errorf("bannerSelectors has no entry for %s, which shows a banner", key)
		}
	}
	if _, ok := bannerSelectors["yett"]; ok {
		t.Error("yett shows no banner: it needs no selector")
	}
}

func TestVendorTagRender(t *testing.T) {
	src := vendorTag{service: "google-analytics", category: "analytics", elem: "script", attrs: " async", src: "https://x.test/a.js?id=1&b=2"}
	inline := vendorTag{service: "meta-pixel", category: "advertising", elem: "script", text: "fbq()"}
	frame := vendorTag{service: "youtube", category: "marketing", elem: "iframe", src: "https://www.youtube.com/embed/X", attrs: " allowfullscreen"}
	img := vendorTag{service: "meta-pixel", category: "advertising", elem: "img", src: "https://www.facebook.com/tr?id=1", attrs: ` alt=""`}
	tests := []struct {
		name string
		tag  vendorTag
		m    markup
		want string
	}{
		{"script as pasted", src, asPasted, `<script async src="https://x.test/a.js?id=1&amp;b=2"></script>`},
		{"inline as pasted", inline, asPasted, `<script>fbq()</script>`},
		{"iframe as pasted", frame, asPasted, `<iframe src="https://www.youtube.com/embed/X" allowfullscreen></iframe>`},
		{"img as pasted", img, asPasted, `<img src="https://www.facebook.com/tr?id=1" alt="">`},
		{"script, cookieconsent", src, dataCategory, `<script type="text/plain" data-category="analytics" async src="https://x.test/a.js?id=1&amp;b=2"></script>`},
		{"inline, cookieconsent", inline, dataCategory, `<script type="text/plain" data-category="advertising">fbq()</script>`},
		{"iframe, cookieconsent: not its to block", frame, dataCategory, `<iframe src="https://www.youtube.com/embed/X" allowfullscreen></iframe>`},
		{"script, Klaro", src, klaroData, `<script type="text/plain" data-type="text/javascript" data-name="google-analytics" async data-src="https://x.test/a.js?id=1&amp;b=2"></script>`},
		{"inline, Klaro", inline, klaroData, `<script type="text/plain" data-type="text/javascript" data-name="meta-pixel">fbq()</script>`},
		{"iframe, Klaro", frame, klaroData, `<iframe data-name="youtube" data-src="https://www.youtube.com/embed/X" allowfullscreen></iframe>`},
		{"img, Klaro", img, klaroData, `<img data-name="meta-pixel" data-src="https://www.facebook.com/tr?id=1" alt="">`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.TrimSpace(tt.tag.render(tt.m)); got != tt.want {
				t.Errorf("render:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// The demo page's tags must hit the stand-ins (or the page would measure failed requests), and
// the peers' configurations must know every category and service the tags name.
func TestDemoTagsMatchStandinsAndConfigs(t *testing.T) {
	p, err := consent.LoadFile(filepath.Join(repo, benchPolicy))
	if err != nil {
		t.Fatal(err)
	}
	categories := map[string]bool{}
	for _, c := range p.Categories {
		categories[c.ID] = true
	}
	klaro, err := os.ReadFile(filepath.Join(repo, benchDir, "cmp", "klaro-config.js"))
	if err != nil {
		t.Fatal(err)
	}
	cc, err := os.ReadFile(filepath.Join(repo, benchDir, "cmp", "cookieconsent-config.js"))
	if err != nil {
		t.Fatal(err)
	}
	yett, err := os.ReadFile(filepath.Join(repo, benchDir, "cmp", "yett-config.js"))
	if err != nil {
		t.Fatal(err)
	}
	url := regexp.MustCompile(`(?:https:)?//([a-z0-9.-]+)(/[^"'\s]*)`)
	urls := 0
	for _, tag := range demoTags {
		if !categories[tag.category] {
			t.Errorf("%s: category %q is not one of %s's", tag.service, tag.category, benchPolicy)
		}
		if !strings.Contains(string(klaro), `name: "`+tag.service+`"`) {
			t.Errorf("%s: no Klaro service of that name in bench/cmp/klaro-config.js", tag.service)
		}
		if !strings.Contains(string(cc), "    "+tag.category+": {") {
			t.Errorf("%s: category %q is not in bench/cmp/cookieconsent-config.js", tag.service, tag.category)
		}
		for _, m := range url.FindAllStringSubmatch(tag.src+" "+tag.text, -1) {
			host, p := m[1], m[2]
			urls++
			served := false
			for _, r := range vendors.Routes {
				served = served || (r.Host == host && strings.HasPrefix(p, r.Prefix))
			}
			if !served {
				t.Errorf("%s: %s%s is not served by a stand-in (demo/vendors.Routes)", tag.service, host, p)
			}
			if !yettBlocks(yett, host) {
				t.Errorf("%s: yett's blacklist does not cover %s", tag.service, host)
			}
		}
	}
	if urls < 10 {
		t.Errorf("found %d vendor URLs in the demo tags, want one per tag at least", urls)
	}
}

// yettBlocks reports whether a pattern of yett's blacklist (/regexp/ literals in its config)
// matches host.
func yettBlocks(config []byte, host string) bool {
	for _, m := range regexp.MustCompile(`/((?:[^/\\\n]|\\.)+)/`).FindAllSubmatch(config, -1) {
		if re, err := regexp.Compile(string(m[1])); err == nil && re.MatchString(host) {
			return true
		}
	}
	return false
}

func TestCoveredTime(t *testing.T) {
	tests := []struct {
		name     string
		spans    [][2]float64
		from, to float64
		want     float64
	}{
		{"none", nil, 0, 100, 0},
		{"disjoint", [][2]float64{{10, 20}, {30, 35}}, 0, 100, 15},
		{"nested: counted once", [][2]float64{{10, 50}, {20, 30}, {25, 28}}, 0, 100, 40},
		{"overlapping, unsorted", [][2]float64{{30, 60}, {10, 40}}, 0, 100, 50},
		{"clipped at both ends", [][2]float64{{-10, 10}, {90, 120}}, 0, 100, 20},
		{"after the end", [][2]float64{{150, 160}}, 0, 100, 0},
	}
	for _, tt := range tests {
		if got := coveredTime(tt.spans, tt.from, tt.to); got != tt.want {
			t.Errorf("%s: coveredTime = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestScriptBeforePaint(t *testing.T) {
	ev := func(name, ph string, ts, dur float64, pid, tid int, frame, url string) traceEvent {
		var e traceEvent
		e.Name, e.Ph, e.Ts, e.Dur, e.Pid, e.Tid = name, ph, ts, dur, pid, tid
		e.Args.Frame, e.Args.Data.DocumentURL = frame, url
		return e
	}
	events := []traceEvent{
		ev("navigationStart", "R", 500, 0, 1, 1, "F", "about:blank"), // the tab's first, empty document
		ev("navigationStart", "R", 1000, 0, 1, 1, "F", "https://www.shop.test/x.html"),
		ev("EvaluateScript", "X", 900, 50, 1, 1, "", ""),    // before navigation start: 0
		ev("EvaluateScript", "X", 1100, 3000, 1, 1, "", ""), // 3 ms
		ev("v8.compile", "X", 1200, 1000, 1, 1, "", ""),     // inside the one above: 0
		ev("FunctionCall", "X", 5000, 2000, 1, 1, "", ""),   // 2 ms
		ev("FunctionCall", "X", 5000, 9000, 2, 1, "", ""),   // another process: 0
		ev("ParseHTML", "X", 8000, 1000, 1, 1, "", ""),      // not script: 0
		ev("RunMicrotasks", "X", 9500, 1000, 1, 1, "", ""),  // half before first paint: 0.5 ms
		ev("firstPaint", "R", 10000, 0, 1, 1, "F", ""),
		ev("firstPaint", "R", 20000, 0, 1, 1, "F", ""), // a later paint
		ev("EvaluateScript", "X", 11000, 5000, 1, 1, "", ""),
	}
	got, err := scriptBeforePaint(events, "F")
	if err != nil || got != 5.5 {
		t.Errorf("scriptBeforePaint = %v, %v; want 5.5 ms", got, err)
	}
	if _, err := scriptBeforePaint(events[:8], "F"); err == nil {
		t.Error("scriptBeforePaint without a first paint: no error")
	}
}

func TestGrowthPolicy(t *testing.T) {
	for _, n := range []int{10, 1000} {
		p, err := consent.Load(growthPolicyJSON(n))
		if err != nil {
			t.Fatalf("growthPolicyJSON(%d): %v", n, err)
		}
		if got := len(p.Services); got < n {
			t.Errorf("growthPolicyJSON(%d) has %d services", n, got)
		}
	}
}

// The peers are pinned: exact versions in package.json, the same in the lock file, which names
// no registry (STYLE: pin what the build depends on).
func TestPeersPinned(t *testing.T) {
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	data, err := os.ReadFile(filepath.Join(repo, benchDir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		t.Fatal(err)
	}
	lock, err := os.ReadFile(filepath.Join(repo, benchDir, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(lock), `"resolved"`) {
		t.Error("bench/package-lock.json has resolved URLs (bench/.npmrc: omit-lockfile-registry-resolved=true)")
	}
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	if err := os.Chdir(repo); err != nil {
		t.Fatal(err)
	}
	locked := peerVersions()
	for _, m := range peerManagers() {
		want := pkg.Dependencies[m.pkg]
		if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(want) {
			t.Errorf("bench/package.json: %s %q is not an exact version", m.pkg, want)
		}
		if locked[m.pkg] != want {
			t.Errorf("bench/package-lock.json: %s is %q, package.json pins %q", m.pkg, locked[m.pkg], want)
		}
	}
}
