package catalogue

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestGeneratedDataParsesCompletely(t *testing.T) {
	idx := load()
	if idx.malformed != 0 {
		t.Errorf("%d malformed lines in catalogueData", idx.malformed)
	}
	var curated, cookies, storage int
	for _, v := range idx.vendors {
		cookies += len(v.Cookies)
		storage += len(v.Storage)
		if v.Curated {
			curated++
		}
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"vendors", len(idx.vendors), genVendors},
		{"curated vendors", curated, genCurated},
		{"cookies", cookies, genCookies},
		{"storage keys", storage, genStorage},
	} {
		if c.got != c.want {
			t.Errorf("%s: parsed %d, generator wrote %d", c.what, c.got, c.want)
		}
	}
}

// The vendors the seed policies name (DESIGN.md §2) and the hosts their tags
// are known to load from or send to.
var seedVendors = []struct {
	id       string
	category string
	hosts    []string
}{
	{"google-analytics", "analytics", []string{"www.google-analytics.com", "region1.google-analytics.com", "ssl.google-analytics.com", "region1.analytics.google.com", "analytics.google.com"}},
	{"google-ads", "marketing", []string{"googleads.g.doubleclick.net", "ad.doubleclick.net", "stats.g.doubleclick.net", "www.googleadservices.com", "pagead2.googlesyndication.com", "tpc.googlesyndication.com", "securepubads.g.doubleclick.net", "adservice.google.com"}},
	{"google-tag-manager", "functional", []string{"www.googletagmanager.com"}},
	{"meta-pixel", "marketing", []string{"connect.facebook.net", "www.facebook.com", "web.facebook.com", "facebook.com", "static.xx.fbcdn.net"}},
	{"hubspot", "marketing", []string{"js.hs-scripts.com", "js-eu1.hs-scripts.com", "js.hs-analytics.net", "js.hsadspixel.net", "js.hscollectedforms.net", "js.usemessages.com", "track.hubspot.com", "forms.hubspot.com", "api.hubspot.com", "js.hs-banner.com", "js.hsforms.net", "api.hubapi.com"}},
	{"microsoft-clarity", "analytics", []string{"www.clarity.ms", "scripts.clarity.ms", "k.clarity.ms"}},
	{"microsoft-advertising", "marketing", []string{"bat.bing.com", "c.bing.com"}},
	{"intercom", "functional", []string{"widget.intercom.io", "js.intercomcdn.com", "api-iam.intercom.io", "api-iam.eu.intercom.io", "nexus-websocket-a.intercom.io", "static.intercomassets.com"}},
	{"segment", "analytics", []string{"cdn.segment.com", "api.segment.io"}},
	{"leadfeeder", "marketing", []string{"sc.lfeeder.com", "lftracker.leadfeeder.com"}},
	{"youtube", "marketing", []string{"www.youtube.com", "youtube.com", "m.youtube.com", "www.youtube-nocookie.com", "i.ytimg.com", "s.ytimg.com", "rr1---sn-abc.googlevideo.com"}},
}

func TestLookupSeedVendors(t *testing.T) {
	for _, sv := range seedVendors {
		t.Run(sv.id, func(t *testing.T) {
			v, ok := Lookup(sv.id)
			if !ok {
				t.Fatalf("Lookup(%q): not found", sv.id)
			}
			if v.ID != sv.id || !v.Curated || v.Category != sv.category || v.PrivacyURL == "" {
				t.Errorf("Lookup(%q) = {ID %q, Curated %v, Category %q, PrivacyURL %q}, want curated %s with a privacy URL",
					sv.id, v.ID, v.Curated, v.Category, v.PrivacyURL, sv.category)
			}
			if len(v.Cookies) == 0 {
				t.Errorf("%s has no cookies", sv.id)
			}
			for _, h := range sv.hosts {
				got, ok := MatchHost(h)
				if !ok || got != v {
					t.Errorf("MatchHost(%q) = %v, %v; want %s", h, idOf(got), ok, sv.id)
				}
			}
		})
	}
}

func TestLookupAliases(t *testing.T) {
	for alias, id := range map[string]string{"facebook": "meta-pixel", "twitter": "x-twitter", "clarity": "microsoft-clarity", "baidu": "baidu-tongji"} {
		if v, ok := Lookup(alias); !ok || v.ID != id {
			t.Errorf("Lookup(%q) = %v, %v; want %s", alias, idOf(v), ok, id)
		}
	}
	if v, ok := Lookup("no-such-vendor"); ok {
		t.Errorf("Lookup(no-such-vendor) = %s", v.ID)
	}
}

func TestVendorsAreSortedUniqueAndWellFormed(t *testing.T) {
	id := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	host := regexp.MustCompile(`^(\*\.)?[a-z0-9.-]+(/[!-~]*)?$`)
	cats := map[string]bool{"functional": true, "personalization": true, "analytics": true, "marketing": true, "security": true, "necessary": true}
	vs := Vendors()
	for i, v := range vs {
		if i > 0 && vs[i-1].ID >= v.ID {
			t.Errorf("Vendors() not sorted or not unique at %q, %q", vs[i-1].ID, v.ID)
		}
		if !id.MatchString(v.ID) || v.Name == "" || !cats[v.Category] {
			t.Errorf("vendor %+v: bad id, name or category", *v)
		}
		if len(v.Hosts) > 0 != v.Curated {
			t.Errorf("vendor %s: curated %v but %d hosts", v.ID, v.Curated, len(v.Hosts))
		}
		for _, h := range v.Hosts {
			if !host.MatchString(h) {
				t.Errorf("vendor %s: bad host %q", v.ID, h)
			}
		}
		for _, it := range append(append([]Item(nil), v.Cookies...), v.Storage...) {
			if it.Name == "" || strings.ContainsAny(it.Name, "\t\n") {
				t.Errorf("vendor %s: bad item name %q", v.ID, it.Name)
			}
			if it.Expiry != NormalizeExpiry(it.Retention) {
				t.Errorf("vendor %s, %s: Expiry %q for %q", v.ID, it.Name, it.Expiry, it.Retention)
			}
		}
	}
	vs[0] = nil // the slice is the caller's
	if Vendors()[0] == nil {
		t.Error("Vendors() returns a shared slice")
	}
}

// Every curated host, and a subdomain of every "*.domain", finds its vendor:
// no host is shadowed by another vendor's entry.
func TestEveryCuratedHostMatchesItsVendor(t *testing.T) {
	for _, v := range Vendors() {
		for _, h := range v.Hosts {
			if strings.ContainsAny(h, "/?") {
				continue // path-prefixed: decided by a policy's matcher, not by host
			}
			probes := []string{h}
			if d, ok := strings.CutPrefix(h, "*."); ok {
				probes = []string{d, "probe." + d, "a.b." + d}
			}
			for _, p := range probes {
				if got, ok := MatchHost(p); !ok || got != v {
					t.Errorf("MatchHost(%q) = %v, %v; want %s (host %q)", p, idOf(got), ok, v.ID, h)
				}
			}
		}
	}
}

func TestMatchHostDoesNotOverreach(t *testing.T) {
	for _, h := range []string{
		"www.google.com",             // reCAPTCHA, Maps embeds, sign-in: the site declares it
		"www.gstatic.com",            // likewise
		"example.com",                // unknown
		"fakegoogle-analytics.com",   // a suffix, not a subdomain
		"google-analytics.com.evil",  // a prefix
		"cdn2.hubspot.net",           // HubSpot CMS file hosting: a HubSpot site's own images
		"static.hsappstatic.net",     // HubSpot CMS static assets
		"www.linkedin.com",           // LinkedIn itself, not the Insight Tag
		"cdnjs.cloudflare.com",       // a public CDN
		"",                           // nothing
		".",                          // nothing
		"com",                        // a TLD
		"hubspotusercontent-na1.net", // HubSpot CMS files
	} {
		if v, ok := MatchHost(h); ok {
			t.Errorf("MatchHost(%q) = %s, want no vendor", h, v.ID)
		}
	}
	if v, ok := MatchHost("www.googletagmanager.com."); !ok || v.ID != "google-tag-manager" {
		t.Errorf("MatchHost with a trailing dot = %v, %v", idOf(v), ok)
	}
}

func TestMatchCookie(t *testing.T) {
	for _, c := range []struct {
		cookie, vendor, item, expiry string
	}{
		{"_ga", "google-analytics", "_ga", "2y"},
		{"_ga_ABC123", "google-analytics", "_ga_*", "2y"},
		{"_gid", "google-analytics", "_gid", "24h"},
		{"_gat_UA-1234-1", "google-analytics", "_gat*", "1m"},
		{"_gcl_au", "google-ads", "_gcl_au", "3mo"},
		{"_gcl_ag", "google-ads", "_gcl_*", "90d"},
		{"_fbp", "meta-pixel", "_fbp", "4mo"},
		{"fr", "meta-pixel", "fr", "90d"},
		{"__hstc", "hubspot", "__hstc", "13mo"},
		{"hubspotutk", "hubspot", "hubspotutk", "13mo"},
		{"__hs_cookie_cat_pref", "hubspot", "__hs_cookie_cat_pref", "6mo"},
		{"_clck", "microsoft-clarity", "_clck", "1y"},
		{"_uetsid", "microsoft-advertising", "_uetsid", "30m"},
		{"intercom-id-xyz", "intercom", "intercom-id-*", "9mo"},
		{"intercom-session-xyz", "intercom", "intercom-session-*", "1w"},
		{"ajs_anonymous_id", "segment", "ajs_anonymous_id", "1y"},
		{"_lfa", "leadfeeder", "_lfa", "2y"},
		{"YSC", "youtube", "YSC", "session"},
		{"VISITOR_INFO1_LIVE", "youtube", "VISITOR_INFO1_LIVE", "179d"},
		{"__cf_bm", "cloudflare", "__cf_bm", "session"},
		{"_pk_id.1.1fff", "matomo-cloud", "_pk_id.*", "13mo"},
		{"_hp2_id.12345", "heap", "_hp2_id.*", "14mo"},
		{"mp_0123abcd_mixpanel", "mixpanel", "mp_*_mixpanel", "1y"},
		{"amplitude_id_fef1e872c952688acd962d30aa545b9e", "amplitude", "amplitude_id_*", "session"},
		{"Hm_lvt_0123", "baidu-tongji", "Hm_lvt_*", "1y"},
	} {
		t.Run(c.cookie, func(t *testing.T) {
			v, it, ok := MatchCookie(c.cookie)
			if !ok {
				t.Fatalf("MatchCookie(%q): no vendor, want %s", c.cookie, c.vendor)
			}
			if v.ID != c.vendor || it.Name != c.item || it.Expiry != c.expiry || it.Description == "" {
				t.Errorf("MatchCookie(%q) = %s, {%q, expiry %q, description %q}; want %s, {%q, expiry %q}",
					c.cookie, v.ID, it.Name, it.Expiry, it.Description, c.vendor, c.item, c.expiry)
			}
		})
	}
	for _, name := range []string{"consentry", "definitely-not-a-cookie", "", "*"} {
		if v, it, ok := MatchCookie(name); ok {
			t.Errorf("MatchCookie(%q) = %s, %s; want no vendor", name, v.ID, it.Name)
		}
	}
}

func TestMatchStorage(t *testing.T) {
	for _, c := range []struct{ key, vendor, item string }{
		{"ajs_anonymous_id", "segment", "ajs_anonymous_id"},
		{"ajs_user_id", "segment", "ajs_user_id"},
		{"ajs_user_traits", "segment", "ajs_user_traits"},
		{"intercom.intercom-state-abc123", "intercom", "intercom.intercom-state-*"},
		{"intercom.played-notifications", "intercom", "intercom.*"},
		{"_hjSessionStorageTest", "hotjar", "_hjSessionStorageTest"},
		{"li_adsId", "linkedin-insight", "li_adsId"},
		{"_uetvid", "microsoft-advertising", "_uetvid"},
		{"tt_sessionId", "tiktok-pixel", "tt_sessionId"},
	} {
		v, it, ok := MatchStorage(c.key)
		if !ok || v.ID != c.vendor || it.Name != c.item {
			t.Errorf("MatchStorage(%q) = %v, %v, %v; want %s, %s", c.key, idOf(v), itemName(it), ok, c.vendor, c.item)
		}
	}
	if v, _, ok := MatchStorage("my-app-settings"); ok {
		t.Errorf("MatchStorage(my-app-settings) = %s", v.ID)
	}
}

// The precedence rules of MatchCookie and MatchHost, on a small catalogue.
func TestMatchPrecedence(t *testing.T) {
	const data = "consentry-catalogue 1\n" +
		"D\tdescription\n" +
		"V\taaa-auto\tAuto\tm\t\t0\t\t\n" +
		"C\tshared\tm\t1 day\t\t0\n" +
		"C\tx_*\tm\t1 day\t\t0\n" +
		"C\tlong_prefix_*\tm\t1 day\t\t0\n" +
		"V\tzzz-curated\tCurated\ta\t\t1\t*.example.com exact.example.com *.deep.example.com\tzed\n" +
		"C\tshared\ta\t2 days\t\t0\n" +
		"C\tx_*\ta\t2 days\t\t0\n" +
		"C\tlong_*\ta\t2 days\t\t0\n" +
		"C\tlong_prefix_exact\ta\t2 days\t\t0\n" +
		"V\tmmm-other\tOther\tf\t\t1\tother.example.com *.sub.example.com\t\n"
	idx := parse(data)
	if idx.malformed != 0 {
		t.Fatalf("%d malformed lines", idx.malformed)
	}
	for _, c := range []struct{ name, vendor, item string }{
		{"shared", "zzz-curated", "shared"},                       // same exact name: curated wins
		{"x_1", "zzz-curated", "x_*"},                             // same glob: curated wins
		{"long_prefix_1", "aaa-auto", "long_prefix_*"},            // longer glob wins over curated
		{"long_prefix_exact", "zzz-curated", "long_prefix_exact"}, // exact beats glob
		{"long_other", "zzz-curated", "long_*"},
	} {
		v, it, ok := idx.cookies.match(c.name)
		if !ok || v.ID != c.vendor || it.Name != c.item {
			t.Errorf("match(%q) = %v, %v; want %s, %s", c.name, idOf(v), itemName(it), c.vendor, c.item)
		}
	}
	for _, c := range []struct{ host, vendor string }{
		{"example.com", "zzz-curated"},
		{"www.example.com", "zzz-curated"},
		{"exact.example.com", "zzz-curated"},
		{"other.example.com", "mmm-other"}, // exact beats *.example.com
		{"a.sub.example.com", "mmm-other"}, // longer domain beats shorter
		{"a.deep.example.com", "zzz-curated"},
	} {
		if v, ok := idx.matchHost(c.host); !ok || v.ID != c.vendor {
			t.Errorf("MatchHost(%q) = %v, %v; want %s", c.host, idOf(v), ok, c.vendor)
		}
	}
	if v, ok := idx.byID["zed"]; !ok || v.ID != "zzz-curated" {
		t.Errorf("Lookup(zed) = %v, %v", idOf(v), ok)
	}
}

func TestParseCountsMalformedLines(t *testing.T) {
	for _, c := range []struct {
		name, data string
		malformed  int
	}{
		{"wrong header", "catalogue 2\nV\ta\tA\tm\t\t0\t\t\n", 1},
		{"item before vendor", "consentry-catalogue 1\nC\tx\tm\t\t\t\n", 1},
		{"description out of range", "consentry-catalogue 1\nV\ta\tA\tm\t\t0\t\t\nC\tx\tm\t\t\t7\n", 1},
		{"too few fields", "consentry-catalogue 1\nV\ta\tA\n", 1},
		{"unknown record", "consentry-catalogue 1\nQ\tx\n", 1},
		{"empty", "", 1},
		{"fine", "consentry-catalogue 1\nV\ta\tA\tm\t\t0\t\t\nC\tx\tm\t\t\t\n", 0},
	} {
		if got := parse(c.data).malformed; got != c.malformed {
			t.Errorf("%s: %d malformed, want %d", c.name, got, c.malformed)
		}
	}
}

func TestMatchGlob(t *testing.T) {
	for _, c := range []struct {
		pattern, name string
		want          bool
	}{
		{"_ga", "_ga", true},
		{"_ga", "_gat", false},
		{"_ga_*", "_ga_ABC", true},
		{"_ga_*", "_ga_", true},
		{"_ga_*", "_ga", false},
		{"*", "", true},
		{"*", "anything", true},
		{"AMCV_*AdobeOrg", "AMCV_1234%40AdobeOrg", true},
		{"AMCV_*AdobeOrg", "AMCV_1234%40AdobeOrgX", false},
		{"mp_*_mixpanel", "mp_abc_mixpanel", true},
		{"mp_*_mixpanel", "mp_a_mixpanel_b_mixpanel", true},
		{"mp_*_mixpanel", "mp_abc_mixpane", false},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "aXcYb", false},
		{"**", "x", true},
		{"", "", true},
		{"", "x", false},
	} {
		if got := matchGlob(c.pattern, c.name); got != c.want {
			t.Errorf("matchGlob(%q, %q) = %v, want %v", c.pattern, c.name, got, c.want)
		}
	}
}

// TestGeneratedFileIsUpToDate regenerates the catalogue from the Open Cookie
// Database and vendors.txt and compares it with the committed files. The
// database is in the project's shared folder, which users of the module do
// not have: the test is skipped then.
func TestGeneratedFileIsUpToDate(t *testing.T) {
	const ocd = "../../../shared/data/open-cookie-database/open-cookie-database.csv"
	if _, err := os.Stat(ocd); err != nil {
		t.Skipf("Open Cookie Database not present (%v)", err)
	}
	goTool := goCommand(t)
	dir := t.TempDir()
	cmd := exec.Command(goTool, "run", "./gen", "-ocd", ocd, "-dir", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./gen: %v\n%s", err, out)
	}
	for _, f := range []string{"catalogue_gen.go", "LICENSE.open-cookie-database"} {
		want, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is out of date: run `go generate ./consent/catalogue` and commit the result", f)
		}
	}
}

// The package runs in the page: it must not pull in packages that bloat a
// js/wasm build (fmt, encoding/json, regexp, reflect, text/template).
func TestWasmBuildDependencies(t *testing.T) {
	goTool := goCommand(t)
	cmd := exec.Command(goTool, "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := map[string]bool{}
	for _, d := range strings.Fields(string(out)) {
		deps[d] = true
	}
	if !deps["github.com/consentry/consentry/consent/catalogue"] {
		t.Fatalf("go list -deps did not list the package itself:\n%s", out)
	}
	for _, banned := range []string{"fmt", "encoding/json", "regexp", "reflect", "text/template", "html/template", "encoding/csv", "log"} {
		if deps[banned] {
			t.Errorf("the js/wasm build of the catalogue depends on %s", banned)
		}
	}
}

func goCommand(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the go command")
	}
	p, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	return p
}

func idOf(v *Vendor) string {
	if v == nil {
		return "<nil>"
	}
	return v.ID
}

func itemName(it *Item) string {
	if it == nil {
		return "<nil>"
	}
	return it.Name
}

// Names come from browsers and servers: matching any of them must not panic.
func FuzzMatchCookie(f *testing.F) {
	for _, s := range []string{"_ga", "_ga_ABC", "intercom-id-x", "", "*", "\xff", "_pk_id.1.2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if v, it, ok := MatchCookie(name); ok && (v == nil || it == nil || !matchGlob(it.Name, name)) {
			t.Fatalf("MatchCookie(%q) = %v, %v", name, idOf(v), itemName(it))
		}
		MatchStorage(name)
		MatchHost(name)
	})
}
