package edge

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consentry/consentry/consent"
)

func TestReadVisitor(t *testing.T) {
	p := loadTestPolicy(t)
	now := time.Now()
	older := consentCookieAt(p, now.Add(-2*time.Hour), "analytics", "marketing")
	newer := consentCookieAt(p, now.Add(-time.Hour), "analytics")
	for _, c := range []struct {
		name    string
		cookies []string // Cookie header fields
		gpc     string
		decided bool
		granted []string
		err     error
	}{
		{name: "no cookie", err: consent.ErrNoConsent},
		{name: "one cookie", cookies: []string{newer}, decided: true, granted: []string{"necessary", "analytics"}},
		{name: "newest of two wins", cookies: []string{older + "; " + newer}, decided: true, granted: []string{"necessary", "analytics"}},
		{name: "newest of two wins, either order", cookies: []string{newer + "; " + older}, decided: true, granted: []string{"necessary", "analytics"}},
		{name: "over two Cookie fields", cookies: []string{"a=1; " + older, newer}, decided: true, granted: []string{"necessary", "analytics"}},
		{name: "a valid one beside a malformed one", cookies: []string{p.Consent.Cookie + "=junk; " + older}, decided: true,
			granted: []string{"necessary", "analytics", "marketing"}},
		{name: "malformed only", cookies: []string{p.Consent.Cookie + "=1.x.y"}, err: consent.ErrMalformed},
		{name: "empty value", cookies: []string{p.Consent.Cookie + "="}, err: consent.ErrNoConsent},
		{name: "GPC", cookies: []string{older}, gpc: "1", decided: true, granted: []string{"necessary", "analytics", "marketing"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "http://www.example.com/", nil)
			r.Header["Cookie"] = c.cookies
			if c.gpc != "" {
				r.Header.Set("Sec-GPC", c.gpc)
			}
			v := ReadVisitor(p, r, now)
			if v.State.Decided != c.decided || !slices.Equal(v.State.Granted, c.granted) {
				t.Errorf("state %+v, want decided %v granted %v", v.State, c.decided, c.granted)
			}
			if !c.decided && v.ConsentErr != c.err {
				t.Errorf("err %v, want %v", v.ConsentErr, c.err)
			}
			if v.GPC != (c.gpc == "1") {
				t.Errorf("GPC %v", v.GPC)
			}
			if c.gpc == "1" && v.Decider.Cookie("_fbp").Allowed {
				t.Errorf("GPC allowed a marketing cookie")
			}
		})
	}
}

func TestFilterRequestCookies(t *testing.T) {
	p := loadTestPolicy(t)
	analytics := consentCookie(p, "analytics")
	for _, c := range []struct {
		name    string
		fields  []string
		want    []string // Cookie fields sent on
		dropped []string
		revoked []string
	}{
		{"nothing to drop keeps the field", []string{"sid=1; " + analytics}, []string{"sid=1; " + analytics}, nil, nil},
		{"denied and undeclared dropped", []string{"sid=1; _fbp=2; x=3; " + analytics}, []string{"sid=1; " + analytics},
			[]string{"_fbp", "x"}, []string{"_fbp"}},
		{"fields joined", []string{"sid=1", analytics}, []string{"sid=1; " + analytics}, nil, nil},
		{"all dropped removes the header", []string{"_fbp=1; hubspotutk=2"}, nil, []string{"_fbp", "hubspotutk"},
			[]string{"_fbp", "hubspotutk"}},
		{"commas are no separators", []string{`sid="a,b"; _ga=1,2`}, []string{`sid="a,b"`}, []string{"_ga"}, []string{"_ga"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "http://www.example.com/", nil)
			r.Header["Cookie"] = c.fields
			v := ReadVisitor(p, r, time.Now())
			h := http.Header{"Cookie": append([]string(nil), c.fields...)}
			dropped := v.filterRequestCookies(h)
			if !slices.Equal(h["Cookie"], c.want) || !slices.Equal(dropped, c.dropped) {
				t.Errorf("Cookie %q dropped %q, want %q %q", h["Cookie"], dropped, c.want, c.dropped)
			}
			if got := v.revokedCookies(dropped); !slices.Equal(got, c.revoked) {
				t.Errorf("revoked %q, want %q", got, c.revoked)
			}
		})
	}
}

// TestExpiryDomains: on a real host the deletion lines cover the host-only cookie and each domain
// up to the registrable one.
func TestExpiryDomains(t *testing.T) {
	p := loadTestPolicy(t)
	r := httptest.NewRequest("GET", "https://shop.www.example.co.uk/cart/item", nil)
	r.Header.Set("Cookie", "_fbp=1")
	v := ReadVisitor(p, r, time.Now())
	h := http.Header{}
	v.filterSetCookies(h, []string{"_fbp"}, r, time.Now())
	got := strings.Join(h["Set-Cookie"], "\n")
	for _, want := range []string{
		"_fbp=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Secure",
		"; Path=/; Domain=shop.www.example.co.uk; Secure",
		"; Path=/; Domain=www.example.co.uk; Secure",
		"; Path=/; Domain=example.co.uk; Secure",
		"; Path=/cart; Domain=example.co.uk; Secure",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no line with %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, "Domain=co.uk") {
		t.Errorf("a line for the public suffix:\n%s", got)
	}
}

// FuzzRequestHeaders: whatever the Cookie, Sec-GPC and Host fields hold, reading the visitor and
// filtering cookies never panics, grants nothing on a malformed consent, and sends on only pairs
// that were sent.
func FuzzRequestHeaders(f *testing.F) {
	p := loadTestPolicy(f)
	f.Add("sid=1; _fbp=2; "+consentCookie(p, "analytics"), "1", "www.example.com")
	f.Add(bigCookieHeader(consentCookie(p)), "0", "[::1]:80")
	f.Add("consentry=1.\xff.x; ;;=;a", "1 ", "\xff")
	f.Fuzz(func(t *testing.T, cookie, gpc, host string) {
		r := httptest.NewRequest("GET", "http://x/", nil)
		r.Host = host
		r.Header["Cookie"] = strings.Split(cookie, "\n")
		r.Header.Set("Sec-GPC", gpc)
		v := ReadVisitor(p, r, time.Now())
		h := http.Header{"Cookie": r.Header["Cookie"]}
		v.filterRequestCookies(h)
		for _, kept := range h["Cookie"] {
			for name := range consent.ParseCookieHeader(kept) {
				if !v.Decider.Cookie(name).Allowed {
					t.Errorf("sent on %q, which the consent does not allow", name)
				}
			}
		}
		if !v.State.Decided && v.Decider.Cookie("_fbp").Allowed {
			t.Errorf("no decision allowed a marketing cookie")
		}
	})
}

// FuzzResponseSetCookie: whatever Set-Cookie lines the origin sends, the edge keeps only lines it
// got (unchanged) plus its own deletion lines, and never a line of a cookie the consent does not
// allow unless it deletes it.
func FuzzResponseSetCookie(f *testing.F) {
	p := loadTestPolicy(f)
	f.Add(strings.Join(originSetCookies, "\n"), "_fbp=1; sid=2")
	f.Add("a=b; Expires=Wed, 21 Oct 2037 07:28:00 GMT\n_fbp=\xff; Max-Age=abc; Max-Age=0", "__Host-x=1")
	f.Fuzz(func(t *testing.T, lines, held string) {
		r := httptest.NewRequest("GET", "https://www.example.com/a/b", nil)
		r.Header.Set("Cookie", held)
		v := ReadVisitor(p, r, time.Now())
		h := http.Header{"Cookie": {held}}
		revoke := v.revokedCookies(v.filterRequestCookies(h))
		in := strings.Split(lines, "\n")
		out := http.Header{"Set-Cookie": append([]string(nil), in...)}
		v.filterSetCookies(out, revoke, r, time.Now())
		for _, line := range out["Set-Cookie"] {
			c := consent.ParseSetCookie(line)
			if slices.Contains(in, line) {
				if !v.Decider.Cookie(c.Name).Allowed && !c.Expired(time.Now().Unix()) {
					t.Errorf("kept %q of a cookie the consent does not allow", line)
				}
				continue
			}
			if !strings.Contains(line, "=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT") {
				t.Errorf("a line the origin did not send: %q", line)
			}
		}
	})
}
