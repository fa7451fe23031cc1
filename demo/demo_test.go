package demo

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/demo/vendors"
)

// The demo's end-to-end test, in Chromium, is e2e/demo_test.go. These tests need no browser and
// build nothing: they check the policy transform, the pages, and the inspector's endpoints.

func newTestDemo(t *testing.T, local bool) *Demo {
	t.Helper()
	d, err := newDemo(Options{Policies: "policies", Build: t.TempDir(), Local: local, Port: "8080"})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// exampleURL is a URL that a host pattern matches: "*.intercom.io" → https://x.intercom.io/a.
func exampleURL(scheme, pattern, port string) string {
	host, path := pattern, "/a"
	if i := strings.IndexAny(pattern, "/?"); i >= 0 {
		host, path = pattern[:i], pattern[i:]
		if path[0] == '?' {
			path = "/" + path
		}
	}
	host = strings.Replace(host, "*.", "x.", 1)
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host + path + "1"
}

// TestLocalizePolicy checks that a stand-in at its local name gets the decision its vendor gets
// in production, for every host every service of every demo policy matches, before and after
// consent.
func TestLocalizePolicy(t *testing.T) {
	prod, local := newTestDemo(t, false), newTestDemo(t, true)
	for i, ps := range prod.Sites {
		ls := local.Sites[i]
		if ls.Policy.Revision == ps.Policy.Revision {
			t.Errorf("%s: the localized policy has the revision of the original", ps.Slug)
		}
		for _, granted := range [][]string{nil, allCategories(ps.Policy)} {
			st := consent.State{Decided: granted != nil, Granted: granted}
			pd := ps.Policy.Decider(st, false, ps.Host)
			ld := ls.Policy.Decider(st, false, ls.Host)
			for _, svc := range ps.Policy.Services {
				for _, h := range svc.Hosts {
					pu, lu := exampleURL("https", h, ""), exampleURL("http", LocalHost(h), "8080")
					want, got := pd.URL(consent.KindScript, pu), ld.URL(consent.KindScript, lu)
					if got.Allowed != want.Allowed || got.Service != want.Service || got.Category != want.Category || got.Reason != want.Reason {
						t.Errorf("%s, granted %v: %s decides %+v, %s decides %+v", ps.Slug, granted, lu, got, pu, want)
					}
					if want.Service != svc.ID {
						t.Errorf("%s: %s is decided as %q, want service %q", ps.Slug, pu, want.Service, svc.ID)
					}
				}
			}
		}
	}
}

func allCategories(p *consent.Policy) []string {
	var ids []string
	for _, c := range p.Categories {
		ids = append(ids, c.ID)
	}
	return ids
}

func get(t *testing.T, h http.Handler, method, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(method, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

var scriptTag = regexp.MustCompile(`<script[^>]*>`)

// TestPages checks every page of every site as the origin serves it in local mode.
func TestPages(t *testing.T) {
	d := newTestDemo(t, true)
	o := d.origin
	gate := `<script src="/consentry/consentry.js">`
	for _, s := range d.Sites {
		paths := []string{"/cookie-policy", "/cookie-policy/nb"}
		for p := range s.spec.Pages {
			paths = append(paths, p)
		}
		for _, p := range paths {
			p = strings.TrimPrefix(p, "/")
			res, body := get(t, o, "GET", s.URL+p)
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
				t.Errorf("%s%s: %d %s", s.URL, p, res.StatusCode, res.Header.Get("Content-Type"))
				continue
			}
			if first := scriptTag.FindString(body); first != gate {
				t.Errorf("%s%s: the first script is %s, want the gate's tag", s.URL, p, first)
			}
			if !strings.Contains(body, `<script src="/_demo/inspector.js" defer></script>`) {
				t.Errorf("%s%s: no inspector", s.URL, p)
			}
			for _, h := range vendors.Hosts() {
				if strings.Contains(body, "https://"+h) {
					t.Errorf("%s%s: %s is not rewritten to its stand-in", s.URL, p, "https://"+h)
				}
			}
			if got := s.spec.Cookies; len(got) > 0 && len(res.Header.Values("Set-Cookie")) != len(got) {
				t.Errorf("%s%s: Set-Cookie %q, want %d cookies", s.URL, p, res.Header.Values("Set-Cookie"), len(got))
			}
		}
		if _, body := get(t, o, "GET", s.URL+"cookie-policy/nb"); !strings.Contains(body, `lang="nb"`) || !strings.Contains(body, "consentry-declaration") {
			t.Errorf("%s: the Norwegian cookie policy lacks its declaration", s.Slug)
		}
		for _, p := range []string{"nope", "cookie-policy/en", "cookie-policy/de", "broken/nope", "assets/../site.css", "assets/home.html"} {
			if res, _ := get(t, o, "GET", s.URL+p); res.StatusCode != 404 {
				t.Errorf("%s%s: %d, want 404", s.URL, p, res.StatusCode)
			}
		}
		for _, p := range []string{"assets/site.css", "assets/site.js", "assets/icon.svg", "_demo/inspector.js"} {
			if res, _ := get(t, o, "GET", s.URL+p); res.StatusCode != 200 {
				t.Errorf("%s%s: %d", s.URL, p, res.StatusCode)
			}
		}

		// Forms: POST, redirect, GET with a thank-you.
		for _, p := range s.spec.Forms {
			res, _ := get(t, o, "POST", s.URL+strings.TrimPrefix(p, "/"))
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != p+"?sent=1" {
				t.Errorf("POST %s%s: %d, Location %q", s.URL, p, res.StatusCode, res.Header.Get("Location"))
			}
			if _, body := get(t, o, "GET", s.URL+strings.TrimPrefix(p, "/")+"?sent=1"); !strings.Contains(body, `role="status"`) {
				t.Errorf("GET %s%s?sent=1: no thank-you", s.URL, p)
			}
		}
		if res, _ := get(t, o, "POST", s.URL); res.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("POST %s: %d, want 405", s.URL, res.StatusCode)
		}

		// The broken pages: no gate; the cookie page sets its cookie.
		for _, p := range []string{"broken/", "broken/undeclared-vendor", "broken/cookie-before-consent"} {
			res, body := get(t, d, "GET", s.URL+p) // through the front, which sends them around the edge
			if res.StatusCode != 200 || strings.Contains(body, gate) {
				t.Errorf("%s%s: %d, gate present: %v", s.URL, p, res.StatusCode, strings.Contains(body, gate))
			}
			wantCookie := p == "broken/cookie-before-consent"
			if got := strings.Join(res.Header.Values("Set-Cookie"), "\n"); strings.HasPrefix(got, s.spec.Broken.HeaderCookie.Name+"=") != wantCookie {
				t.Errorf("%s%s: Set-Cookie %q", s.URL, p, got)
			}
		}
	}
}

// TestVendorsDeclared checks that the site's policy declares every vendor URL of each site's
// pages: the site carries the vendors its policy names, and no other. (What the stand-ins load in
// turn is checked in Chromium, by the audit in e2e/demo_test.go.) The undeclared-vendor page's
// vendor must be undeclared.
func TestVendorsDeclared(t *testing.T) {
	d := newTestDemo(t, false)
	for _, s := range d.Sites {
		dec := s.Policy.Decider(consent.State{}, false, s.Host)
		var pages []string
		for p := range s.spec.Pages {
			pages = append(pages, p)
		}
		seen := map[string]bool{}
		for _, p := range append(pages, "/cookie-policy") {
			_, body := get(t, d.origin, "GET", s.URL+p[1:])
			for _, u := range vendorURLs(body, seen) {
				if got := dec.URL(consent.KindScript, u); got.Service == "" {
					t.Errorf("%s%s loads %s, which its policy does not declare (%s)", s.URL, p, u, got.Reason)
				}
			}
		}
		if len(seen) == 0 {
			t.Errorf("%s: no vendor URLs", s.Slug)
		}
		_, body := get(t, d.origin, "GET", s.URL+"broken/undeclared-vendor")
		urls := vendorURLs(body, map[string]bool{})
		if len(urls) == 0 {
			t.Errorf("%s/broken/undeclared-vendor loads no vendor", s.Slug)
		}
		for _, u := range urls {
			if got := dec.URL(consent.KindScript, u); got.Reason != consent.ReasonUndeclared {
				t.Errorf("%s/broken/undeclared-vendor: %s is decided %+v, want undeclared", s.Slug, u, got)
			}
		}
	}
}

var vendorURL = regexp.MustCompile(`https://[a-z0-9.-]+[^"' )]*`)

// vendorURLs returns the vendor URLs in text not seen yet.
func vendorURLs(text string, seen map[string]bool) []string {
	var out []string
	for _, u := range vendorURL.FindAllString(text, -1) {
		host := strings.TrimPrefix(u, "https://")
		if i := strings.IndexAny(host, "/?#"); i >= 0 {
			host = host[:i]
		}
		if vendors.IsHost(host) && !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out
}

// TestFront checks what the front answers in local mode besides the sites' edges.
func TestFront(t *testing.T) {
	d := newTestDemo(t, true)
	res, body := get(t, d, "GET", "http://localhost:8080/")
	if res.StatusCode != 200 {
		t.Fatalf("index: %d", res.StatusCode)
	}
	for _, s := range d.Sites {
		if !strings.Contains(body, s.URL) {
			t.Errorf("the index does not link %s", s.URL)
		}
	}
	res, body = get(t, d, "GET", "http://www.googletagmanager.com.localhost:8080/gtag/js?id=G-1")
	if res.StatusCode != 200 || !strings.Contains(body, "http://region1.google-analytics.com.localhost:8080/g/collect") {
		t.Errorf("gtag.js stand-in: %d\n%s", res.StatusCode, body)
	}
	if res, _ := get(t, d, "GET", "http://www.example.com.localhost:8080/x"); res.StatusCode != 404 {
		t.Errorf("an unknown host: %d, want 404", res.StatusCode)
	}
}

// TestInspect checks the inspector's endpoint: the policy's decisions on the request's cookies
// and the page's storage keys, for the consent the consent cookie carries.
func TestInspect(t *testing.T) {
	d := newTestDemo(t, true)
	s := d.Site("huma")
	p := s.Policy
	all := p.EncodeState(consent.State{Decided: true, Revision: p.Revision, Granted: allCategories(p), At: time.Now().Unix() - 60,
		Source: consent.SourceBanner})
	tests := []struct {
		name, cookies string
		want          map[string]string // name -> reason
	}{
		{"no decision", "_ga=1; intercom-id-x=2; tracker=3",
			map[string]string{"_ga": "pending", "intercom-id-x": "pending", "tracker": "undeclared", "ajs_user_id": "undeclared-reported"}},
		{"all granted", "_ga=1; consentry=" + all,
			map[string]string{"_ga": "granted", "consentry": "required", "ajs_user_id": "undeclared-reported"}},
		{"malformed consent", "_ga=1; consentry=1.x.y", map[string]string{"_ga": "pending"}},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("POST", s.URL+"_demo/inspect", strings.NewReader(`{"local":["ajs_user_id"],"session":[]}`))
		req.Header.Set("Cookie", tt.cookies)
		rec := httptest.NewRecorder()
		d.ServeHTTP(rec, req)
		var ans inspectAnswer
		if err := json.Unmarshal(rec.Body.Bytes(), &ans); err != nil {
			t.Fatalf("%s: %v\n%s", tt.name, err, rec.Body)
		}
		got := map[string]string{}
		for _, it := range slices.Concat(ans.Cookies, ans.Storage) {
			got[it.Name] = it.Reason
		}
		for name, reason := range tt.want {
			if got[name] != reason {
				t.Errorf("%s: %s is %q, want %q (all: %v)", tt.name, name, got[name], reason, got)
			}
		}
	}

	req := httptest.NewRequest("POST", s.URL+"_demo/reset", nil)
	req.Header.Set("Cookie", "_ga=1; consentry="+all)
	rec := httptest.NewRecorder()
	d.ServeHTTP(rec, req)
	if got := rec.Result().Header.Values("Set-Cookie"); !slices.Equal(got, []string{"_ga=; Path=/; Max-Age=0", "consentry=; Path=/; Max-Age=0"}) {
		t.Errorf("reset: Set-Cookie %q", got)
	}
	if rec.Result().Header.Get("Clear-Site-Data") == "" {
		t.Error("reset: no Clear-Site-Data")
	}
}
