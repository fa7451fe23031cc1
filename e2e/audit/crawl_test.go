package audit

import (
	"slices"
	"testing"
	"time"

	"github.com/consentry/consentry/e2e/audit/audittest"
)

func TestSiteLinks(t *testing.T) {
	page := "https://www.shop.test/a/"
	links := []string{
		"https://www.shop.test/about",
		"https://www.shop.test/about#team", // the same page
		"https://shop.test/",               // same site, another host
		"http://static.shop.test/x",        // same site, plain http
		"https://www.shop.test/brochure.PDF",
		"https://www.shop.test/logo.png?v=2",
		"https://elsewhere.example/",
		"mailto:hello@shop.test",
		"javascript:void(0)",
		"https://www.shop.test/search?q=1",
		"https://www.shop.test",
		"https://www.shop.test/",
	}
	want := []string{
		"https://www.shop.test/about",
		"https://shop.test/",
		"http://static.shop.test/x",
		"https://www.shop.test/search?q=1",
		"https://www.shop.test",
	}
	if got := siteLinks(page, links); !slices.Equal(got, want) {
		t.Errorf("siteLinks:\n got %q\nwant %q", got, want)
	}
}

func TestRegistrableDomain(t *testing.T) {
	for host, want := range map[string]string{
		"www.shop.test":        "shop.test",
		"WWW.Example.CO.UK.":   "example.co.uk",
		"co.uk":                "co.uk",
		"localhost":            "localhost",
		"127.0.0.1":            "127.0.0.1",
		"[::1]":                "[::1]",
		"a.b.github.io":        "b.github.io",
		"cdn.stats-vendor.com": "stats-vendor.com",
	} {
		if got := registrableDomain(host); got != want {
			t.Errorf("registrableDomain(%q) = %q, want %q", host, got, want)
		}
	}
}

// TestCrawl crawls the fixture from its home page: the same-site pages it links to, breadth
// first, each once, never another site or a download, at most n.
func TestCrawl(t *testing.T) {
	ctx := browser(t)
	for _, tt := range []struct {
		n    int
		want []string
	}{
		{0, []string{"/"}},
		{2, []string{"/", "/about"}},
		{10, []string{"/", "/about", "/contact"}},
	} {
		var got []string
		for r, err := range Crawl(ctx, audittest.Site+"/", fixture.Policy, tt.n, Settle(200*time.Millisecond, DefaultLimit)) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, r.URL[len(audittest.Site):])
			if len(r.Violations) > 0 {
				t.Errorf("%s: %v", r.URL, keys(r.Violations))
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Crawl(n=%d) visited %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestCrawlGoesOnAfterAnError(t *testing.T) {
	ctx := browser(t)
	var errs, reports int
	for r, err := range Crawl(ctx, "https://nowhere.shop.test/", fixture.Policy, 3) {
		if err != nil {
			errs++
			continue
		}
		reports++
		_ = r
	}
	if errs != 1 || reports != 0 {
		t.Errorf("%d errors, %d reports; want the start page's error alone", errs, reports)
	}
}
