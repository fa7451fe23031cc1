package consent

import "testing"

// consentStates are the states every decision table is run against.
func consentStates() map[string]struct {
	state State
	gpc   bool
} {
	return map[string]struct {
		state State
		gpc   bool
	}{
		"no decision":      {State{}, false},
		"reject all":       {State{Decided: true}, false},
		"analytics only":   {State{Decided: true, Granted: []string{"analytics"}}, false},
		"accept all":       {State{Decided: true, Granted: []string{"analytics", "marketing", "media"}}, false},
		"accept all + GPC": {State{Decided: true, Granted: []string{"analytics", "marketing", "media"}}, true},
		"media but not youtube": {State{Decided: true, Granted: []string{"media"},
			DeniedServices: []string{"youtube"}}, false},
		"youtube only": {State{Decided: true, GrantedServices: []string{"youtube"}}, false},
	}
}

func TestDecideCookie(t *testing.T) {
	p := examplePolicy(t)
	type want struct {
		allowed  bool
		category string
		service  string
		reason   Reason
	}
	cases := []struct {
		name   string
		cookie string
		states map[string]want
	}{
		{"consent cookie is always allowed", "consentry", map[string]want{
			"no decision": {true, "necessary", "consentry", ReasonRequired},
			"reject all":  {true, "necessary", "consentry", ReasonRequired},
		}},
		{"necessary session cookie", "sid", map[string]want{
			"no decision":      {true, "necessary", "session", ReasonRequired},
			"reject all":       {true, "necessary", "session", ReasonRequired},
			"accept all + GPC": {true, "necessary", "session", ReasonRequired},
		}},
		{"exact analytics cookie", "_ga", map[string]want{
			"no decision":      {false, "analytics", "ga", ReasonPending},
			"reject all":       {false, "analytics", "ga", ReasonDenied},
			"analytics only":   {true, "analytics", "ga", ReasonGranted},
			"accept all":       {true, "analytics", "ga", ReasonGranted},
			"accept all + GPC": {true, "analytics", "ga", ReasonGranted},
		}},
		{"prefix glob", "_ga_X1Y2Z3", map[string]want{
			"no decision":    {false, "analytics", "ga", ReasonPending},
			"analytics only": {true, "analytics", "ga", ReasonGranted},
		}},
		{"prefix glob matches its bare prefix", "_ga_", map[string]want{
			"analytics only": {true, "analytics", "ga", ReasonGranted},
		}},
		{"marketing cookie denied by GPC", "__hstc", map[string]want{
			"analytics only":   {false, "marketing", "hubspot", ReasonDenied},
			"accept all":       {true, "marketing", "hubspot", ReasonGranted},
			"accept all + GPC": {false, "marketing", "hubspot", ReasonGPC},
		}},
		{"infix glob", "AMCV_1234%40AdobeOrg", map[string]want{
			"accept all": {true, "marketing", "hubspot", ReasonGranted},
			"reject all": {false, "marketing", "hubspot", ReasonDenied},
		}},
		{"undeclared cookie is blocked", "tracker_id", map[string]want{
			"no decision": {false, "", "", ReasonUndeclared},
			"accept all":  {false, "", "", ReasonUndeclared},
		}},
		{"names are case sensitive", "_GA", map[string]want{
			"accept all": {false, "", "", ReasonUndeclared},
		}},
		{"empty name is undeclared", "", map[string]want{
			"accept all": {false, "", "", ReasonUndeclared},
		}},
	}
	states := consentStates()
	for _, c := range cases {
		for stateName, w := range c.states {
			t.Run(c.name+"/"+stateName, func(t *testing.T) {
				s := states[stateName]
				got := p.Decider(s.state, s.gpc, "www.example.com").Cookie(c.cookie)
				if got.Allowed != w.allowed || got.Category != w.category || got.Service != w.service || got.Reason != w.reason {
					t.Errorf("Cookie(%q) = %+v, want %+v", c.cookie, got, w)
				}
			})
		}
	}
}

func TestDecideStorage(t *testing.T) {
	p := examplePolicy(t)
	cases := []struct {
		name, key, state string
		allowed          bool
		reason           Reason
	}{
		{"own snapshot key", "consentry:snapshot", "no decision", true, ReasonRequired},
		{"segment key before a decision", "ajs_anonymous_id", "no decision", false, ReasonPending},
		{"segment key with analytics", "ajs_user_traits", "analytics only", true, ReasonGranted},
		{"hubspot key rejected", "hs-beacon-123", "reject all", false, ReasonDenied},
		{"undeclared key is reported, not blocked", "theme", "no decision", true, ReasonUndeclaredReported},
	}
	states := consentStates()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := states[c.state]
			got := p.Decider(s.state, s.gpc, "www.example.com").Storage(c.key)
			if got.Allowed != c.allowed || got.Reason != c.reason {
				t.Errorf("Storage(%q) = %+v, want allowed=%v reason=%v", c.key, got, c.allowed, c.reason)
			}
		})
	}
}

func TestDecideURL(t *testing.T) {
	p := examplePolicy(t)
	cases := []struct {
		name, url, state string
		allowed          bool
		service          string
		reason           Reason
	}{
		{"relative URL is first party", "/js/app.js", "no decision", true, "", ReasonFirstParty},
		{"dot-relative URL", "../a.js", "reject all", true, "", ReasonFirstParty},
		{"page host", "https://www.example.com/a.js", "reject all", true, "", ReasonFirstParty},
		{"sibling under the consent domain", "https://shop.example.com/a.js", "reject all", true, "", ReasonFirstParty},
		{"declared first-party CDN", "https://static.example-cdn.net/a.js", "reject all", true, "", ReasonFirstParty},
		{"first-party path claimed by a tracker", "/_hs/track.js", "reject all", false, "hubspot", ReasonDenied},
		{"first-party path claimed by a necessary service", "https://example.com/api/x", "no decision", true, "session", ReasonRequired},
		{"vendor host before a decision", "https://www.google-analytics.com/g/collect?v=2", "no decision", false, "ga", ReasonPending},
		{"vendor host granted", "https://www.google-analytics.com/g/collect", "analytics only", true, "ga", ReasonGranted},
		{"wildcard subdomain", "https://region1.analytics.google.com/g/collect", "no decision", false, "ga", ReasonPending},
		{"wildcard covers the domain itself", "https://hubspot.com/x", "reject all", false, "hubspot", ReasonDenied},
		{"wildcard nested subdomain", "https://a.b.track.hubspot.com/x", "accept all", true, "hubspot", ReasonGranted},
		{"protocol-relative", "//js.hs-scripts.com/123.js", "no decision", false, "hubspot", ReasonPending},
		{"upper case and trailing dot", "HTTPS://JS.HS-SCRIPTS.COM./123.js", "no decision", false, "hubspot", ReasonPending},
		{"port and userinfo", "https://user:pw@js.hs-scripts.com:443/1.js", "no decision", false, "hubspot", ReasonPending},
		{"backslashes are slashes", "https:\\\\js.hs-scripts.com\\1.js", "no decision", false, "hubspot", ReasonPending},
		{"tab and newline inside the URL", "ht\ttps://js.hs-\nscripts.com/1.js", "no decision", false, "hubspot", ReasonPending},
		{"leading spaces", "  https://js.hs-scripts.com/1.js", "no decision", false, "hubspot", ReasonPending},
		{"percent-encoded host", "https://js.hs%2Dscripts.com/1.js", "no decision", false, "hubspot", ReasonPending},
		{"scheme without slashes on an https page", "http:js.hs-scripts.com/1.js", "no decision", false, "hubspot", ReasonPending},
		{"IDN host in Unicode", "https://BÜCHER.example/x", "reject all", false, "youtube", ReasonDenied},
		{"IDN host in punycode", "https://xn--bcher-kva.example/x", "reject all", false, "youtube", ReasonDenied},
		{"path prefix picks the service", "https://www.googletagmanager.com/gtag/js?id=G-ABC", "no decision", false, "ga", ReasonPending},
		{"host without the prefix falls back", "https://www.googletagmanager.com/gtm.js?id=GTM-1", "no decision", true, "gtm", ReasonRequired},
		{"look-alike host is not the vendor", "https://js.hs-scripts.com.evil.net/1.js", "accept all", false, "", ReasonUndeclared},
		{"suffix without a dot is not a subdomain", "https://nothubspot.com/x", "accept all", false, "", ReasonUndeclared},
		{"undeclared third party", "https://cdn.tracker.example/t.js", "accept all", false, "", ReasonUndeclared},
		{"data URL contacts no host", "data:image/gif;base64,R0lGOD", "reject all", true, "", ReasonNoRequest},
		{"javascript URL", "javascript:void(0)", "reject all", true, "", ReasonNoRequest},
		{"about:blank", "about:blank", "reject all", true, "", ReasonNoRequest},
		{"blob of the page", "blob:https://www.example.com/3f2a", "reject all", true, "", ReasonFirstParty},
		{"per-service grant", "https://www.youtube.com/embed/x", "youtube only", true, "youtube", ReasonGranted},
		{"per-service denial", "https://www.youtube.com/embed/x", "media but not youtube", false, "youtube", ReasonDenied},
		{"empty URL is the page", "", "reject all", true, "", ReasonFirstParty},
	}
	states := consentStates()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := states[c.state]
			got := p.Decider(s.state, s.gpc, "www.example.com").URL(KindScript, c.url)
			if got.Allowed != c.allowed || got.Service != c.service || got.Reason != c.reason {
				t.Errorf("URL(%q) = %+v, want allowed=%v service=%q reason=%v", c.url, got, c.allowed, c.service, c.reason)
			}
		})
	}
}

func TestDecideRegimes(t *testing.T) {
	data := []byte(`{"site": "x", "regime": "opt-out", "categories": [
		{"id": "necessary", "required": true, "label": "N"},
		{"id": "analytics", "label": "A"},
		{"id": "ads", "label": "Ads", "gpc": true}],
	  "services": [
		{"id": "a", "category": "analytics", "cookies": [{"name": "a"}]},
		{"id": "b", "category": "ads", "cookies": [{"name": "b"}]}]}`)
	p, err := Load(data)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name         string
		state        State
		gpc          bool
		wantA, wantB bool
	}{
		{"opt-out grants before a decision", State{}, false, true, true},
		{"GPC denies its categories before a decision", State{}, true, true, false},
		{"a decision replaces the default", State{Decided: true, Granted: []string{"ads"}}, false, false, true},
		{"GPC overrides a grant", State{Decided: true, Granted: []string{"analytics", "ads"}}, true, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := p.Decider(c.state, c.gpc, "x.test")
			if a, b := d.Cookie("a").Allowed, d.Cookie("b").Allowed; a != c.wantA || b != c.wantB {
				t.Errorf("a=%v b=%v, want %v %v", a, b, c.wantA, c.wantB)
			}
		})
	}
}

func TestDecisionsDoNotAllocate(t *testing.T) {
	p := examplePolicy(t)
	d := p.Decider(State{Decided: true, Granted: []string{"analytics"}}, false, "www.example.com")
	cases := map[string]func(){
		"exact cookie":  func() { d.Cookie("_gid") },
		"glob cookie":   func() { d.Cookie("_ga_ABCDEF") },
		"undeclared":    func() { d.Cookie("nope") },
		"storage":       func() { d.Storage("ajs_user_id") },
		"vendor URL":    func() { d.URL(KindScript, "https://www.google-analytics.com/analytics.js") },
		"wildcard URL":  func() { d.URL(KindImage, "https://a.b.hubspot.com/x.gif") },
		"relative URL":  func() { d.URL(KindConnect, "/api/x") },
		"third-party":   func() { d.URL(KindFrame, "https://unknown.test/x") },
		"protocol-rel.": func() { d.URL(KindFrame, "//www.youtube.com/embed/1") },
	}
	for name, f := range cases {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s: %v allocations per decision, want 0", name, n)
		}
	}
}

func TestNormalizeHost(t *testing.T) {
	cases := []struct{ in, want string }{
		{"www.example.com", "www.example.com"},
		{"WWW.Example.COM.", "www.example.com"},
		{"www.example.com:8443", "www.example.com"},
		{"[::1]:443", "[::1]"},
		{"bücher.example", "xn--bcher-kva.example"},
		{"MÜNCHEN.de", "xn--mnchen-3ya.de"},
		{"例え.テスト", "xn--r8jz45g.xn--zckzah"},
		{"www。example。com", "www.example.com"},
		{"www\uff0eexample\uff61com", "www.example.com"},
		{"bücher。example", "xn--bcher-kva.example"},
		{"www%2Eexample.com", "www.example.com"},
	}
	for _, c := range cases {
		if got := NormalizeHost(c.in); got != c.want {
			t.Errorf("NormalizeHost(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPunycodeRFC3492(t *testing.T) {
	// Sample strings from RFC 3492 §7.1.
	cases := []struct{ in, want string }{
		{"\u0644\u064A\u0647\u0645\u0627\u0628\u062A\u0643\u0644\u0645\u0648\u0634\u0639\u0631\u0628\u064A\u061F", "egbpdaj6bu4bxfgehfvwxn"},
		{"\u4ED6\u4EEC\u4E3A\u4EC0\u4E48\u4E0D\u8BF4\u4E2D\u6587", "ihqwcrb4cv8a8dqg056pqjye"},
		{"bücher", "bcher-kva"},
	}
	for _, c := range cases {
		if got := punycodeEncode(c.in); got != c.want {
			t.Errorf("punycodeEncode(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	cases := []struct {
		pattern, name string
		want          bool
	}{
		{"_ga_*", "_ga_ABC", true},
		{"_ga_*", "_ga_", true},
		{"_ga_*", "_ga", false},
		{"AMCV_*AdobeOrg", "AMCV_123AdobeOrg", true},
		{"AMCV_*AdobeOrg", "AMCV_AdobeOrg", true},
		{"AMCV_*AdobeOrg", "AMCV_123AdobeOrgX", false},
		{"*_id", "user_id", true},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "aXbY", false},
		{"a*a*a", "aaaa", true},
		{"exact", "exact", true},
		{"exact", "exactly", false},
	}
	for _, c := range cases {
		if got := globMatch(c.pattern, c.name); got != c.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", c.pattern, c.name, got, c.want)
		}
	}
}

func TestNameMatcherPrecedence(t *testing.T) {
	var m nameMatcher
	m.add("_ga*", ref{1, 0})
	m.add("_ga_*", ref{2, 0})
	m.add("_ga", ref{3, 0})
	m.add("*_ga_x", ref{4, 0})
	cases := []struct {
		name string
		want int32
	}{
		{"_ga", 3},     // exact beats every glob
		{"_ga_x", 2},   // longest prefix beats a shorter one and an infix glob
		{"_gax", 1},    // only the short prefix matches
		{"b_ga_x", 4},  // only the general glob matches
		{"other", -1},  // nothing
		{"_g", -1},     // a prefix of a prefix is not a match
		{"_ga_xyz", 2}, //
	}
	for _, c := range cases {
		if got := m.match(c.name).service; got != c.want {
			t.Errorf("match(%q) = service %d, want %d", c.name, got, c.want)
		}
	}
	if m.add("_ga_*", ref{9, 0}) {
		t.Error("adding the same pattern twice succeeded")
	}
}
