package edge

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/consentry/consentry/consent"
)

func TestCSP(t *testing.T) {
	p := loadTestPolicy(t)
	visitor := func(cookie string, gpc bool) *Visitor {
		r := httptest.NewRequest("GET", "https://www.example.com/", nil)
		r.Header.Set("Cookie", cookie)
		if gpc {
			r.Header.Set("Sec-GPC", "1")
		}
		return ReadVisitor(p, r, time.Now())
	}
	for _, c := range []struct {
		name         string
		v            *Visitor
		want, unwant []string
	}{
		{"no consent: the site only", visitor("", false),
			[]string{"script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' blob: static.example-cdn.net example.com *.example.com;",
				"img-src 'self' data: blob:", "frame-src 'self'", "connect-src 'self'"},
			[]string{"google", "facebook", "youtube"}},
		{"analytics granted", visitor(consentCookie(p, "analytics"), false),
			[]string{"www.google-analytics.com", "analytics.google.com *.analytics.google.com", "www.googletagmanager.com"},
			[]string{"facebook", "youtube"}},
		{"GPC removes marketing", visitor(consentCookie(p, "analytics", "marketing", "media"), true),
			[]string{"www.youtube.com", "www.google-analytics.com"}, []string{"facebook", "hubspot", "hs-scripts"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			name, value := cspHeader(p, c.v)
			if name != "Content-Security-Policy" {
				t.Errorf("header %q", name)
			}
			for _, w := range c.want {
				if !strings.Contains(value, w) {
					t.Errorf("no %q in %q", w, value)
				}
			}
			for _, w := range c.unwant {
				if strings.Contains(value, w) {
					t.Errorf("%q in %q", w, value)
				}
			}
		})
	}
	// Report mode for undeclared hosts cannot be enforced; off sends nothing.
	q := *p
	q.Undeclared.Hosts = consent.Report
	if name, _ := cspHeader(&q, visitor("", false)); name != "Content-Security-Policy-Report-Only" {
		t.Errorf("undeclared hosts reported: header %q", name)
	}
	q.CSP = consent.CSPOff
	if name, _ := cspHeader(&q, visitor("", false)); name != "" {
		t.Errorf("csp off: header %q", name)
	}
}

func TestCSPBesideTheSites(t *testing.T) {
	p := loadTestPolicy(t)
	r := httptest.NewRequest("GET", "https://www.example.com/", nil)
	v := ReadVisitor(p, r, time.Now())
	h := map[string][]string{"Content-Security-Policy": {"default-src 'self'"}}
	addCSP(h, p, v, nil)
	if got := h["Content-Security-Policy"]; len(got) != 2 || got[0] != "default-src 'self'" {
		t.Errorf("the site's policy was not kept beside ours: %q", got)
	}
}

// TestCSPCache: the cached value is the one built for the visitor, whatever the visitors before.
func TestCSPCache(t *testing.T) {
	p := loadTestPolicy(t)
	var cache cspCache
	for i, cookie := range []string{"", consentCookie(p, "analytics"), "", consentCookie(p, "analytics", "marketing", "media"),
		consentCookie(p, "media"), consentCookie(p, "analytics"), consentCookie(p, "analytics", "marketing", "media")} {
		for _, gpc := range []bool{false, true} {
			r := httptest.NewRequest("GET", "https://www.example.com/", nil)
			r.Header.Set("Cookie", cookie)
			if gpc {
				r.Header.Set("Sec-GPC", "1")
			}
			v := ReadVisitor(p, r, time.Now())
			if got, want := cache.value(p, v), cspValue(p, v); got != want {
				t.Errorf("visitor %d (gpc %v): cached %q, want %q", i, gpc, got, want)
			}
		}
	}
	if n := len(cache.values); n == 0 || n > 5 {
		t.Errorf("%d values cached", n)
	}
}
