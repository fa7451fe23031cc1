package consent

import (
	"slices"
	"strings"
	"testing"
)

func TestMarkup(t *testing.T) {
	p := examplePolicy(t)
	analytics := State{Decided: true, Granted: []string{"necessary", "analytics"}, Revision: p.Revision}
	tests := []struct {
		name    string
		state   State
		gpc     bool
		id      string
		allowed bool
		reason  Reason
	}{
		{"required category", State{}, false, "necessary", true, ReasonRequired},
		{"category before a decision", State{}, false, "analytics", false, ReasonPending},
		{"granted category", analytics, false, "analytics", true, ReasonGranted},
		{"denied category", analytics, false, "marketing", false, ReasonDenied},
		{"GPC category", analytics, true, "marketing", false, ReasonGPC},
		{"service of a granted category", analytics, false, "ga", true, ReasonGranted},
		{"service of a denied category", analytics, false, "hubspot", false, ReasonDenied},
		{"unknown id is undeclared", analytics, false, "nope", false, ReasonUndeclared},
		{"empty id is undeclared", analytics, false, "", false, ReasonUndeclared},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := p.Decider(tt.state, tt.gpc, "www.example.com")
			got := d.Markup(tt.id, p.CategoryReasons(tt.state, tt.gpc))
			if got.Allowed != tt.allowed || got.Reason != tt.reason {
				t.Errorf("Markup(%q) = %v %v, want %v %v", tt.id, got.Allowed, got.Reason, tt.allowed, tt.reason)
			}
		})
	}
}

func TestRevokes(t *testing.T) {
	p := examplePolicy(t)
	all := State{Decided: true, Granted: []string{"necessary", "analytics", "marketing", "media"}, Revision: p.Revision}
	none := State{Decided: true, Granted: []string{"necessary"}, Revision: p.Revision}
	tests := []struct {
		name          string
		before, after State
		want          bool
	}{
		{"grant all", State{}, all, false},
		{"reject all from nothing", State{}, none, false},
		{"withdraw", all, none, true},
		{"same", all, all, false},
		{"withdraw one service", all, State{Decided: true, Granted: all.Granted, DeniedServices: []string{"youtube"}, Revision: p.Revision}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Revokes(p.Decider(tt.before, false, ""), p.Decider(tt.after, false, "")); got != tt.want {
				t.Errorf("Revokes = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDeniedCookiesAndStorage(t *testing.T) {
	p := examplePolicy(t)
	d := p.Decider(State{Decided: true, Granted: []string{"necessary"}, Revision: p.Revision}, false, "www.example.com")
	got := d.DeniedCookies([]string{"sid", "_ga", "_ga_ABC", "_ga", "undeclared", p.Consent.Cookie})
	if want := []string{"_ga", "_ga_ABC"}; !slices.Equal(got, want) {
		t.Errorf("DeniedCookies = %q, want %q", got, want)
	}
	keys := d.DeniedStorage([]string{"consentry:snap", "somethingelse"})
	if len(keys) != 0 {
		t.Errorf("DeniedStorage = %q, want none", keys)
	}
}

func TestConsentCookieLine(t *testing.T) {
	p := examplePolicy(t) // domain example.com, 180 days
	tests := []struct {
		name, host string
		secure     bool
		want       string
	}{
		{"under the domain, https", "www.example.com", true,
			"consentry=V; Path=/; SameSite=Lax; Max-Age=15552000; Domain=example.com; Secure"},
		{"the domain itself", "example.com", false, "consentry=V; Path=/; SameSite=Lax; Max-Age=15552000; Domain=example.com"},
		{"another host is host-only", "preview.example.net", true, "consentry=V; Path=/; SameSite=Lax; Max-Age=15552000; Secure"},
		{"a lookalike is host-only", "badexample.com", false, "consentry=V; Path=/; SameSite=Lax; Max-Age=15552000"},
		{"port and case", "WWW.Example.com:8443", false, "consentry=V; Path=/; SameSite=Lax; Max-Age=15552000; Domain=example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.ConsentCookieLine("V", tt.host, tt.secure); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestPageExpiryLines(t *testing.T) {
	tests := []struct {
		name       string
		names      []string
		held       []HeldCookie
		host, path string
		secure     bool
		want       []string // lines that must be present
		notWant    []string // substrings that must not be present
	}{
		{
			name: "host and parents down to the last two labels", names: []string{"_ga"},
			host: "www.shop.example.com", path: "/", secure: true,
			want: []string{
				"_ga=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Secure",
				"_ga=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Domain=www.shop.example.com; Secure",
				"_ga=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Domain=example.com; Secure",
			},
		},
		{
			name: "the browser's own domain and path come first", names: []string{"_fbp"},
			held: []HeldCookie{{"_fbp", ".example.co.uk", "/shop"}, {"other", "", "/"}},
			host: "www.example.co.uk", path: "/shop/cart",
			want: []string{
				"_fbp=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/shop; Domain=example.co.uk",
				"_fbp=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Domain=example.co.uk",
			},
			notWant: []string{"other=", "Domain=co.uk"},
		},
		{
			name: "no HttpOnly lines", names: []string{"__Http-x"}, host: "example.com", path: "/",
			notWant: []string{"HttpOnly"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PageExpiryLines(tt.names, tt.held, tt.host, tt.path, tt.secure)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing %q in\n%s", w, strings.Join(got, "\n"))
				}
			}
			for _, nw := range tt.notWant {
				for _, l := range got {
					if strings.Contains(l, nw) {
						t.Errorf("unexpected %q in %q", nw, l)
					}
				}
			}
		})
	}
	if len(tests) > 0 && len(tests[1].held) > 0 {
		lines := PageExpiryLines(tests[1].names, tests[1].held, tests[1].host, tests[1].path, false)
		if !strings.Contains(lines[0], "Path=/shop; Domain=example.co.uk") {
			t.Errorf("first line %q, want the browser-reported variant first", lines[0])
		}
	}
}

func TestLastLabels(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"a.b.example.com", "example.com"}, {"example.com", "example.com"}, {"localhost", "localhost"},
		{"[::1]", "[::1]"},
	} {
		if got := lastLabels(tt.in, 2); got != tt.want {
			t.Errorf("lastLabels(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
