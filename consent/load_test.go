package consent

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// minimal wraps categories and services into an otherwise valid policy.
func minimal(categories, services string) string {
	if categories == "" {
		categories = `[{"id": "necessary", "required": true, "label": "Necessary"},
		               {"id": "analytics", "label": "Analytics"}]`
	}
	if services == "" {
		services = `[]`
	}
	return `{"site": "Test", "categories": ` + categories + `, "services": ` + services + `}`
}

func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name string
		file string
		want []string // every line of the error, in order
	}{
		{"not JSON", `{"site": }`, []string{"not valid JSON: line 1, column 10: unexpected '}'"}},
		{"trailing garbage", `{} x`, []string{"not valid JSON: line 1, column 4: unexpected 'x' after the document"}},
		{"duplicate member", `{"site": "a", "site": "b"}`, []string{`not valid JSON: line 1, column 15: duplicate member "site"`}},
		{"not an object", `[]`, []string{"the policy must be a JSON object, not an array"}},
		{"empty file", ``, []string{"not valid JSON: line 1, column 1: unexpected end of file"}},
		{"unknown top-level field", `{"site": "x", "categorys": [], "categories": [{"id": "n", "required": true, "label": "N"}]}`,
			[]string{"categorys: unknown field"}},
		{"site missing", `{"categories": [{"id": "n", "required": true, "label": "N"}]}`, []string{"site: required"}},
		{"wrong types", `{"site": 3, "regime": "maybe", "csp": true, "categories": {}}`, []string{
			"site: must be a string, not a number",
			`regime: "maybe" is not opt-in or opt-out`,
			"csp: must be a string, not a boolean",
			"categories: must be an array, not an object",
		}},
		{"no required category", minimal(`[{"id": "a", "label": "A"}]`, ""), []string{
			"categories: no required category: one must hold what is strictly necessary, the consent cookie first"}},
		{"empty categories", minimal(`[]`, ""), []string{"categories: empty"}},
		{"category problems", minimal(`[{"id": "necessary", "required": true, "label": "N", "gpc": true},
			{"id": "Ana lytics", "label": {"en": "A", "xx": "?"}}, {"id": "necessary", "label": "again"},
			{"label": {"nb": "bare norsk"}}, {"id": "c", "consentMode": ["ad_storage", "adstorage"]}]`, ""), []string{
			"categories[0].gpc: a required category cannot be denied by GPC",
			`categories[1].id: "Ana lytics" must be 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit`,
			`categories[1].label.xx: language not listed in languages "en"`,
			`categories[2].id: duplicate category id "necessary" (also categories[0])`,
			`categories[3].label.nb: language not listed in languages "en"`,
			"categories[3].id: required",
			`categories[3].label: missing in the default language "en"`,
			`categories[4].consentMode[1]: "adstorage" is not a Consent Mode type (ad_storage, ad_user_data, ad_personalization, analytics_storage, functionality_storage, personalization_storage, security_storage)`,
			"categories[4].label: required",
		}},
		{"service problems", minimal("", `[
			{"id": "a", "category": "analytics", "cookies": [{"name": ""}, {"name": "a b"}, {"name": "*"}, {"nam": "x"}]},
			{"id": "a", "category": "analytic", "hosts": ["https://x.com/", "*.x*.com", "x.com:8080", "-x.com", "ok.com"]},
			{"id": "c", "category": "analytics"},
			{"id": "consentry", "category": "analytics", "cookies": [{"name": "c", "expiry": "2 years"}]},
			{"category": "analytics", "storage": [{"name": "k\u0001"}]}]`), []string{
			"services[0].cookies[0].name: empty",
			`services[0].cookies[1].name: "a b" is not a cookie name (RFC 6265 token, '*' as wildcard)`,
			`services[0].cookies[2].name: "*" would match everything`,
			"services[0].cookies[3].nam: unknown field",
			"services[0].cookies[3].name: required",
			`services[1].id: duplicate service id "a" (also services[0])`,
			`services[1].hosts[0]: "https://x.com/" must be a host (www.example.com or *.example.com), not a URL`,
			`services[1].hosts[1]: "*.x*.com": '*' is allowed only as a leading "*."`,
			`services[1].hosts[2]: "x.com:8080" must not name a port`,
			`services[1].hosts[3]: "-x.com" is not a valid host name`,
			`services[3].id: "consentry" is reserved for the consent cookie's own service`,
			`services[3].cookies[0].expiry: "2 years" is not session, persistent or a count and unit like 30m, 24h, 7d, 2w, 13mo, 2y`,
			`services[4].storage[0].name: "k\x01" contains control characters`,
			"services[4].id: required",
			`services[1].category: unknown category "analytic" (categories: necessary, analytics)`,
		}},
		{"unknown catalogue entry", minimal("", `[{"id": "x", "catalogue": "no-such-vendor", "category": "analytics"}]`),
			[]string{`services[0].catalogue: unknown catalogue entry "no-such-vendor"`}},
		{"two services claim one cookie", minimal("", `[
			{"id": "a", "category": "analytics", "cookies": [{"name": "_ga"}]},
			{"id": "b", "category": "analytics", "cookies": [{"name": "x"}, {"name": "_ga"}]}]`),
			[]string{`services[1].cookies[1].name: "_ga" is also declared by service "a"`}},
		{"a service claims the consent cookie", minimal("", `[{"id": "a", "category": "analytics", "cookies": [{"name": "consentry"}]}]`),
			[]string{`services[0].cookies[0].name: "consentry" is also declared by service "consentry"`}},
		{"two services claim one host", minimal("", `[
			{"id": "a", "category": "analytics", "hosts": ["*.x.com"]},
			{"id": "b", "category": "analytics", "hosts": ["*.X.com."]}]`),
			[]string{`services[1].hosts[0]: "*.x.com" is also claimed by service "a"`}},
		{"settings", `{"site": "x", "languages": ["en", "EN", "en"], "consent": {"cookie": "a;b", "domain": "*.x.com",
			"lifetimeDays": 0, "receiptEndpoint": "ftp://x"}, "undeclared": {"cookies": "allow"},
			"consentMode": {"waitForUpdate": 1.5}, "policyUrl": "javascript:alert(1)",
			"categories": [{"id": "n", "required": true, "label": "N"}]}`, []string{
			`languages[1]: "EN" is not a language tag like en or nb`,
			`languages[2]: duplicate language "en"`,
			`consent.cookie: "a;b" is not a valid cookie name`,
			"consent.domain: must be a plain domain like example.com",
			"consent.lifetimeDays: must be between 1 and 3650",
			`consent.receiptEndpoint: "ftp://x" is not an absolute http(s) URL or a path starting with /`,
			`undeclared.cookies: "allow" is not block or report`,
			"consentMode.waitForUpdate: must be a whole number",
			`policyUrl: "javascript:alert(1)" is not an absolute http(s) URL or a path starting with /`,
		}},
		{"banner and texts", `{"site": "x", "banner": {"modal": "yes", "sticky": true},
			"texts": {"en": {"title": "T", "titel": "x", "save": "", "close": 3}, "EN": {}, "nb": "Hei"},
			"categories": [{"id": "n", "required": true, "label": "N"}]}`, []string{
			"banner.modal: must be a boolean, not a string",
			"banner.sticky: unknown field",
			"texts.en.titel: unknown text (texts: " + strings.Join(BannerTextKeys[:], ", ") + ")",
			"texts.en.save: empty",
			"texts.en.close: must be a string, not a number",
			`texts.EN: "EN" is not a language tag like en or nb`,
			"texts.nb: must be an object, not a string",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Load([]byte(c.file))
			if err == nil {
				t.Fatalf("Load succeeded (revision %s), want errors", p.Revision)
			}
			if p != nil {
				t.Error("Load returned a policy along with errors")
			}
			got := strings.Split(err.Error(), "\n")
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("errors:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(c.want, "\n  "))
			}
		})
	}
}

func TestLoadExample(t *testing.T) {
	p := examplePolicy(t)
	if p.Site != "Example" || p.DefaultLanguage() != "en" || p.Consent.Domain != "example.com" ||
		p.Consent.Cookie != "consentry" || p.Undeclared.Storage != Report || p.Undeclared.Cookies != Block {
		t.Errorf("settings not loaded: %+v", p)
	}
	if len(p.Services) != 7 || p.Services[0].ID != "consentry" || p.Services[0].Category != 0 {
		t.Errorf("built-in service missing: %+v", p.Services[0])
	}
	if got := p.Categories[1].Label.In("nb", "en"); got != "Statistikk" {
		t.Errorf("Norwegian label = %q", got)
	}
	if got := p.Categories[3].Label.In("nb", "en"); got != "Embedded media" {
		t.Errorf("plain-string label falls back: %q", got)
	}
	if len(p.Revision) != 8 {
		t.Errorf("revision %q", p.Revision)
	}
	if !p.Banner.Modal || !p.Banner.Button {
		t.Errorf("banner settings not loaded: %+v", p.Banner)
	}
	// A text in a language the policy does not list is allowed: the banner speaks more languages.
	if got := p.Texts["title"]["nb"]; got != "Informasjonskapsler hos Example" || p.Texts["save"]["nb"] != "Lagre" || len(p.Texts) != 2 {
		t.Errorf("texts %v", p.Texts)
	}
}

// TestRevision checks that the revision changes with what a visitor consents to, and only then.
func TestRevision(t *testing.T) {
	base, err := os.ReadFile("testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	rev := func(t *testing.T, data string) string {
		t.Helper()
		p, err := Load([]byte(data))
		if err != nil {
			t.Fatal(err)
		}
		return p.Revision
	}
	r0 := rev(t, string(base))
	changes := []struct {
		name, from, to string
		changes        bool
	}{
		{"reworded label", `"Statistikk"`, `"Statistikker"`, false},
		{"new cookie", `{"name": "_gid", "expiry": "1d"}`, `{"name": "_gid", "expiry": "1d"}, {"name": "_gat"}`, true},
		{"cookie moved to another service", `{"name": "hubspotutk", "expiry": "13mo"},`, ``, true},
		{"service moved to another category", `"id": "segment", "category": "analytics"`, `"id": "segment", "category": "marketing"`, true},
		{"new host", `"cdn.segment.com"`, `"cdn.segment.com", "cdn2.segment.com"`, true},
		{"GPC flag", `"gpc": true`, `"gpc": false`, true},
		{"manual revision", `"revision": "2026-11-01"`, `"revision": "2026-11-02"`, true},
		{"lifetime is not consent content", `"lifetimeDays": 180`, `"lifetimeDays": 90`, false},
		{"reworded banner text", `"Cookies at Example"`, `"Example uses cookies"`, false},
		{"modal banner", `"modal": true`, `"modal": false`, false},
	}
	for _, c := range changes {
		t.Run(c.name, func(t *testing.T) {
			changed := strings.Replace(string(base), c.from, c.to, 1)
			if changed == string(base) {
				t.Fatalf("%q not found in the test policy", c.from)
			}
			if r := rev(t, changed); (r != r0) != c.changes {
				t.Errorf("revision %s → %s; want a change: %v", r0, r, c.changes)
			}
		})
	}
	if rev(t, string(base)) != r0 {
		t.Error("revision is not stable across loads")
	}
}

func TestCompactRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("../demo/policies/*.json")
	files = append(files, "testdata/example.json")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			p := loadTestPolicy(t, f)
			b, err := p.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			q, err := ReadCompiled(b)
			if err != nil {
				t.Fatal(err)
			}
			b2, _ := q.MarshalBinary()
			if string(b) != string(b2) {
				t.Error("compact form changes through a round trip")
			}
			if q.Revision != p.Revision || len(q.Services) != len(p.Services) || q.Banner != p.Banner ||
				len(q.Texts) != len(p.Texts) {
				t.Error("policy differs after a round trip")
			}
			for k, txt := range p.Texts {
				for lang, s := range txt {
					if q.Texts[k][lang] != s {
						t.Errorf("texts[%s][%s] = %q after a round trip, want %q", k, lang, q.Texts[k][lang], s)
					}
				}
			}
			// The same decisions on both sides.
			state := State{Decided: true, Granted: []string{p.Categories[len(p.Categories)-1].ID}}
			dp, dq := p.Decider(state, false, "www.example.com"), q.Decider(state, false, "www.example.com")
			for _, s := range p.Services {
				for _, c := range s.Cookies {
					name := strings.ReplaceAll(c.Name, "*", "x")
					if dp.Cookie(name) != dq.Cookie(name) {
						t.Errorf("cookie %q decided differently", name)
					}
				}
				for _, h := range s.Hosts {
					u := "https://" + strings.TrimPrefix(h, "*.")
					if dp.URL(KindScript, u) != dq.URL(KindScript, u) {
						t.Errorf("URL %q decided differently", u)
					}
				}
			}
			// Every truncation is an error, never a panic or a partial policy.
			for n := 0; n < len(b); n++ {
				if q, err := ReadCompiled(b[:n]); err == nil || q != nil {
					t.Fatalf("truncated to %d bytes: no error", n)
				}
			}
		})
	}
}

func TestDemoPoliciesLoad(t *testing.T) {
	files, _ := filepath.Glob("../demo/policies/*.json")
	if len(files) < 3 {
		t.Fatalf("want the three demo policies, found %v", files)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			p := loadTestPolicy(t, f)
			if len(p.Languages) < 2 || !contains(p.Languages, "en") || !contains(p.Languages, "nb") {
				t.Errorf("languages %v: the demo policies are in English and Norwegian", p.Languages)
			}
			for _, c := range p.Categories {
				for _, lang := range p.Languages {
					if c.Label[lang] == "" || c.Description[lang] == "" {
						t.Errorf("category %s lacks a %s label or description", c.ID, lang)
					}
				}
			}
		})
	}
}
