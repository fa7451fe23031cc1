package banner

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/consentry/consentry/consent"
)

func load(t *testing.T, file string) *consent.Policy {
	t.Helper()
	p, err := consent.LoadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func policy(t *testing.T, extra string) *consent.Policy {
	t.Helper()
	p, err := consent.Load([]byte(`{"site": "Fjord", "languages": ["en", "nb"], "policyUrl": "/cookies",
	"consent": {"receiptEndpoint": "/receipts"}` + extra + `,
	"categories": [
	  {"id": "necessary", "required": true, "label": {"en": "Necessary", "nb": "Nødvendige"}, "consentMode": ["security_storage"]},
	  {"id": "analytics", "label": {"en": "Analytics", "nb": "Statistikk"}, "description": {"en": "Counting visits."},
	   "consentMode": ["analytics_storage"]},
	  {"id": "marketing", "label": {"en": "Marketing"}, "gpc": true, "consentMode": ["ad_storage", "ad_user_data", "ad_personalization"]},
	  {"id": "ads", "label": "Ads", "consentMode": ["ad_storage"]}
	],
	"services": [
	  {"id": "ga", "category": "analytics", "provider": "Google", "privacyUrl": "https://policies.google.com/privacy",
	   "cookies": [{"name": "_ga", "expiry": "2y", "description": {"en": "Tells visitors apart.", "nb": "Skiller besøkende."}}]},
	  {"id": "gtm", "category": "analytics", "provider": "Google", "hosts": ["www.googletagmanager.com"]},
	  {"id": "youtube", "category": "marketing", "provider": "YouTube", "hosts": ["www.youtube.com"],
	   "storage": [{"name": "yt-*", "expiry": "persistent"}]},
	  {"id": "pixel", "category": "ads", "provider": "Meta"}
	]}`))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestWordsComplete checks that every built-in language has every text, with the same {names}
// as English, and that the keys are the ones a policy may override.
func TestWordsComplete(t *testing.T) {
	if int(numKeys) != len(consent.BannerTextKeys) {
		t.Fatalf("%d keys, consent.BannerTextKeys has %d", numKeys, len(consent.BannerTextKeys))
	}
	want := []string{"en", "nb", "nn", "da", "sv", "fi", "de", "nl", "fr", "es", "it", "pl"}
	if got := Languages(); !slices.Equal(got, want) {
		t.Errorf("languages %q, want %q", got, want)
	}
	names := regexp.MustCompile(`\{[a-z]+\}`)
	for _, w := range builtin {
		for k := Key(0); k < numKeys; k++ {
			s := w.w[k]
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s: %s is empty", w.lang, k)
			}
			got, en := names.FindAllString(s, -1), names.FindAllString(builtin[0].w[k], -1)
			slices.Sort(got)
			slices.Sort(en)
			if !slices.Equal(got, en) {
				t.Errorf("%s: %s has %q, English has %q", w.lang, k, got, en)
			}
		}
		if w.w[AcceptAll] == w.w[RejectAll] {
			t.Errorf("%s: accept and reject read the same", w.lang)
		}
	}
}

func TestChooseLanguage(t *testing.T) {
	p := policy(t, `, "texts": {"pt": {"title": "Usamos cookies"}, "de-CH": {"acceptAll": "Alles akzeptieren"}}`)
	cases := []struct {
		name       string
		candidates []string
		want       string
	}{
		{"html lang first", []string{"nb", "en-US"}, "nb"},
		{"region subtag", []string{"nb-NO"}, "nb"},
		{"no reads as Bokmål", []string{"no"}, "nb"},
		{"built-in language the policy lacks", []string{"de-DE", "en"}, "de"},
		{"exact tag of the policy's texts", []string{"de-CH"}, "de-CH"},
		{"case-insensitive", []string{"DE-ch"}, "de-CH"},
		{"a language only the policy's texts have", []string{"pt-BR"}, "pt"},
		{"unknown, then navigator.languages", []string{"ja", "sv-SE", "en"}, "sv"},
		{"nothing fits: the policy's default", []string{"ja", "zh"}, "en"},
		{"no candidates", nil, "en"},
		{"empty html lang is skipped", []string{"", "fi"}, "fi"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ChooseLanguage(p, c.candidates); got != c.want {
				t.Errorf("ChooseLanguage(%q) = %q, want %q", c.candidates, got, c.want)
			}
		})
	}
}

func TestTexts(t *testing.T) {
	p := policy(t, `, "texts": {"en": {"title": "Cookies at {site}"}, "nb": {"acceptAll": "Ja takk"}, "de-CH": {"rejectAll": "Nein"}}`)
	cases := []struct {
		lang string
		key  Key
		want string
	}{
		{"en", Title, "Cookies at Fjord"},
		{"en", AcceptAll, "Accept all"},
		{"nb", Title, "Vi bruker informasjonskapsler"},
		{"nb", AcceptAll, "Ja takk"},
		{"nb-NO", AcceptAll, "Ja takk"},
		{"de-CH", RejectAll, "Nein"},
		{"de-CH", AcceptAll, "Alle akzeptieren"},
		{"de", RejectAll, "Alle ablehnen"},
		{"pt", AcceptAll, "Accept all"},
		{"pl", Description, "Fjord używa plików cookie i podobnych technologii. Niektóre są niezbędne do działania witryny; pozostałych używamy tylko za Twoją zgodą. Swój wybór możesz zmienić w każdej chwili."},
	}
	for _, c := range cases {
		if got := NewTexts(p, c.lang).Get(c.key); got != c.want {
			t.Errorf("%s %s = %q, want %q", c.lang, c.key, got, c.want)
		}
	}
	if got := NewTexts(p, "en").With(AlwaysAllow, "service", "YouTube"); got != "Always allow YouTube" {
		t.Errorf("With: %q", got)
	}
}

func TestBuild(t *testing.T) {
	p := policy(t, "")
	st := consent.State{Decided: true, Granted: []string{"necessary", "analytics", "marketing"}, DeniedServices: []string{"gtm"}}
	cats := p.CategoryReasons(st, true)
	m := Build(p, p.Decider(st, true, "www.fjord.test"), cats, true, "nb")
	if m.PolicyURL != "/cookies" || m.Texts.Lang != "nb" {
		t.Errorf("model %+v", m)
	}
	type cat struct {
		id, label, labelLang string
		on, locked           bool
		note                 string
		services             []string
	}
	var got []cat
	for _, c := range m.Categories {
		var svcs []string
		for _, s := range c.Services {
			mark := "off"
			if s.On {
				mark = "on"
			}
			if s.Locked {
				mark += ",locked"
			}
			svcs = append(svcs, s.Name+":"+mark)
		}
		got = append(got, cat{c.ID, c.Label, c.LabelLang, c.On, c.Locked, c.Note, svcs})
	}
	want := []cat{
		{"necessary", "Nødvendige", "nb", true, true, "Alltid aktive", []string{"Consentry:on,locked"}},
		{"analytics", "Statistikk", "nb", true, false, "", []string{"Google (ga):on", "Google (gtm):off"}},
		{"marketing", "Marketing", "en", false, true, "Av (Global Privacy Control)", []string{"YouTube:off,locked"}},
		{"ads", "Ads", "en", false, false, "", []string{"Meta:off"}},
	}
	if !slices.EqualFunc(got, want, func(a, b cat) bool {
		return a.id == b.id && a.label == b.label && a.labelLang == b.labelLang && a.on == b.on && a.locked == b.locked &&
			a.note == b.note && slices.Equal(a.services, b.services)
	}) {
		t.Errorf("categories:\n  %+v\nwant\n  %+v", got, want)
	}
	if want := "Nettleserens Global Privacy Control-signal slår av: Marketing."; m.GPCNote != want {
		t.Errorf("GPC note %q, want %q", m.GPCNote, want)
	}
	ga := m.Categories[1].Services[0]
	if ga.PrivacyURL != "https://policies.google.com/privacy" || len(ga.Cookies) != 1 ||
		fmt.Sprint(ga.Cookies[0]) != fmt.Sprint(Item{Name: "_ga", Expiry: "2 år", ExpiryLang: "nb", Purpose: "Skiller besøkende.", PurposeLang: "nb"}) {
		t.Errorf("Google Analytics: %+v", ga)
	}
	yt := m.Categories[2].Services[0]
	if len(yt.Storage) != 1 || yt.Storage[0].Expiry != "vedvarende" {
		t.Errorf("YouTube storage %+v", yt.Storage)
	}
	// Without GPC, nothing is said about it, and an undecided opt-in state has everything off.
	st = consent.State{}
	cats = p.CategoryReasons(st, false)
	m = Build(p, p.Decider(st, false, "www.fjord.test"), cats, false, "ja")
	if m.GPCNote != "" || m.Categories[2].Locked || m.Categories[1].On || m.Categories[1].Services[0].On {
		t.Errorf("undecided model %+v", m.Categories)
	}
	if it := m.Categories[1].Services[0].Cookies[0]; it.ExpiryLang != "en" || it.Expiry != "2 years" {
		t.Errorf("expiry in a language without expiry words: %+v", it)
	}
}

func TestNeedsBanner(t *testing.T) {
	p := policy(t, "")
	onlyGPC, err := consent.Load([]byte(`{"site": "x", "categories": [{"id": "n", "required": true, "label": "N"},
		{"id": "m", "label": "M", "gpc": true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		p    *consent.Policy
		st   consent.State
		gpc  bool
		want bool
	}{
		{"no decision", p, consent.State{}, false, true},
		{"decided", p, consent.State{Decided: true}, false, false},
		{"GPC leaves other categories to choose", p, consent.State{}, true, true},
		{"GPC decided every category", onlyGPC, consent.State{}, true, false},
		{"without GPC the same policy asks", onlyGPC, consent.State{}, false, true},
	}
	for _, c := range cases {
		if got := NeedsBanner(c.p, c.st, c.p.CategoryReasons(c.st, c.gpc)); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestStateFor(t *testing.T) {
	p := policy(t, "")
	svc := func(on ...string) []bool {
		out := make([]bool, len(p.Services))
		for i, s := range p.Services {
			out[i] = slices.Contains(on, s.ID)
		}
		return out
	}
	cases := []struct {
		name          string
		cats          []bool
		svcs          []bool
		granted       []string
		grantedSvc    []string
		deniedSvc     []string
		allowed, deny []string // services the resulting decider allows and denies
	}{
		{"categories only", []bool{false, true, false, false}, svc("ga", "gtm"),
			[]string{"necessary", "analytics"}, nil, nil, []string{"ga", "gtm"}, []string{"youtube", "pixel"}},
		{"one service of a denied category", []bool{false, false, false, false}, svc("pixel"),
			[]string{"necessary"}, []string{"pixel"}, nil, []string{"pixel"}, []string{"ga", "gtm"}},
		{"one service off in a granted category", []bool{false, true, false, false}, svc("ga"),
			[]string{"necessary", "analytics"}, nil, []string{"gtm"}, []string{"ga"}, []string{"gtm"}},
		{"required switches cannot be turned off", []bool{false, false, false, false}, svc(),
			[]string{"necessary"}, nil, nil, []string{"consentry"}, []string{"ga"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := StateFor(p, c.cats, c.svcs)
			if !st.Decided || !slices.Equal(st.Granted, c.granted) || !slices.Equal(st.GrantedServices, c.grantedSvc) ||
				!slices.Equal(st.DeniedServices, c.deniedSvc) {
				t.Errorf("state %+v", st)
			}
			d := p.Decider(st, false, "x.test")
			for _, id := range c.allowed {
				if i, _ := p.ServiceIndex(id); !d.ServiceAllowed(i) {
					t.Errorf("%s denied", id)
				}
			}
			for _, id := range c.deny {
				if i, _ := p.ServiceIndex(id); d.ServiceAllowed(i) {
					t.Errorf("%s allowed", id)
				}
			}
		})
	}
}

func TestAll(t *testing.T) {
	p := policy(t, "")
	for _, c := range []struct {
		accept, gpc bool
		want        []string
	}{
		{true, false, []string{"necessary", "analytics", "marketing", "ads"}},
		{true, true, []string{"necessary", "analytics", "ads"}},
		{false, false, []string{"necessary"}},
		{false, true, []string{"necessary"}},
	} {
		if st := All(p, c.accept, c.gpc); !st.Decided || !slices.Equal(st.Granted, c.want) {
			t.Errorf("All(accept %v, gpc %v) = %+v, want %q", c.accept, c.gpc, st, c.want)
		}
	}
}

func TestAllowService(t *testing.T) {
	p := policy(t, "")
	st := AllowService(p, consent.State{}, "youtube")
	if !slices.Equal(st.Granted, []string{"necessary"}) || !slices.Equal(st.GrantedServices, []string{"youtube"}) {
		t.Errorf("undecided: %+v", st)
	}
	st = AllowService(p, consent.State{Decided: true, Granted: []string{"necessary", "analytics"}, DeniedServices: []string{"youtube", "gtm"}}, "youtube")
	if !slices.Equal(st.Granted, []string{"necessary", "analytics"}) || !slices.Equal(st.GrantedServices, []string{"youtube"}) ||
		!slices.Equal(st.DeniedServices, []string{"gtm"}) {
		t.Errorf("decided: %+v", st)
	}
	optOut, err := consent.Load([]byte(`{"site": "x", "regime": "opt-out", "categories": [{"id": "n", "required": true, "label": "N"},
		{"id": "a", "label": "A"}, {"id": "m", "label": "M"}], "services": [{"id": "s", "category": "m"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if st := AllowService(optOut, consent.State{}, "s"); !slices.Equal(st.Granted, []string{"n", "a", "m"}) {
		t.Errorf("opt-out: allowing one service withdrew categories: %+v", st)
	}
}

func TestConsentMode(t *testing.T) {
	p := policy(t, `, "consentMode": {"waitForUpdate": 500, "adsDataRedaction": true, "urlPassthrough": true}`)
	if !ConsentModeEnabled(p) {
		t.Fatal("not enabled")
	}
	params, gpcTypes := ConsentModeDefault(p)
	if got, want := ParamsJSON(params, 500), `{"ad_storage":"denied","ad_user_data":"denied","ad_personalization":"denied",`+
		`"analytics_storage":"denied","functionality_storage":"denied","personalization_storage":"denied",`+
		`"security_storage":"granted","wait_for_update":500}`; got != want {
		t.Errorf("default %s\nwant    %s", got, want)
	}
	if want := []string{"ad_storage", "ad_user_data", "ad_personalization"}; !slices.Equal(gpcTypes, want) {
		t.Errorf("GPC types %q", gpcTypes)
	}
	cmds := ConsentModeCommands(p)
	var parsed []any
	if err := json.Unmarshal([]byte(cmds), &parsed); err != nil || len(parsed) != 3 {
		t.Fatalf("commands %s: %v", cmds, err)
	}
	if !strings.HasSuffix(cmds, `,["set","ads_data_redaction",true],["set","url_passthrough",true]]`) {
		t.Errorf("commands %s", cmds)
	}

	update := func(granted []string, gpc bool) string {
		st := consent.State{Decided: true, Granted: granted}
		return ParamsJSON(ConsentModeUpdate(p, p.CategoryReasons(st, gpc)), 0)
	}
	cases := []struct {
		name    string
		granted []string
		gpc     bool
		want    string // the granted types
	}{
		{"reject all", []string{"necessary"}, false, "security_storage"},
		{"analytics", []string{"necessary", "analytics"}, false, "analytics_storage security_storage"},
		// ad_storage is named by marketing and ads: granted only when both are.
		{"marketing without ads", []string{"necessary", "marketing"}, false, "ad_user_data ad_personalization security_storage"},
		{"accept all", []string{"necessary", "analytics", "marketing", "ads"}, false,
			"ad_storage ad_user_data ad_personalization analytics_storage security_storage"},
		{"accept all under GPC", []string{"necessary", "analytics", "marketing", "ads"}, true, "analytics_storage security_storage"},
	}
	for _, c := range cases {
		var m map[string]string
		if err := json.Unmarshal([]byte(update(c.granted, c.gpc)), &m); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, typ := range ConsentModeTypes {
			if m[typ] == "granted" {
				got = append(got, typ)
			}
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%s: granted %q, want %q", c.name, got, c.want)
		}
	}

	none, _ := consent.Load([]byte(`{"site": "x", "categories": [{"id": "n", "required": true, "label": "N"}]}`))
	if ConsentModeEnabled(none) {
		t.Error("a policy without consent types sends Consent Mode signals")
	}
	optOut, _ := consent.Load([]byte(`{"site": "x", "regime": "opt-out", "categories": [{"id": "n", "required": true, "label": "N"},
		{"id": "a", "label": "A", "consentMode": ["analytics_storage"]}]}`))
	if params, _ := ConsentModeDefault(optOut); !params[3].Granted || params[0].Granted {
		t.Errorf("opt-out default %+v", params)
	}
}

func TestReceiptJSON(t *testing.T) {
	r := Receipt{ID: "Vq3fZk0aP1xR", Granted: []string{"necessary", "analytics"}, Revision: "kP3x_Q2a",
		At: "2026-11-22T12:00:00.000Z", Source: "banner", GPC: true}
	var got map[string]any
	if err := json.Unmarshal([]byte(r.JSON()), &got); err != nil {
		t.Fatalf("%s: %v", r.JSON(), err)
	}
	keys := make([]string, 0, len(got))
	for k := range got {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"at", "gpc", "granted", "id", "revision", "services", "source"}; !slices.Equal(keys, want) {
		t.Errorf("fields %q, want %q", keys, want)
	}
	if got["gpc"] != true || got["id"] != "Vq3fZk0aP1xR" || len(got["services"].([]any)) != 0 {
		t.Errorf("receipt %v", got)
	}
	for _, s := range []string{"plain", `quo"te`, `back\slash`, "new\nline\x01", "æøå ✓"} {
		var back string
		if err := json.Unmarshal([]byte(jsonString(s)), &back); err != nil || back != s {
			t.Errorf("jsonString(%q) = %s: %q %v", s, jsonString(s), back, err)
		}
	}
}

func TestSafeURL(t *testing.T) {
	for u, want := range map[string]string{
		"/cookie-policy": "/cookie-policy", "https://x.test/p": "https://x.test/p", "HTTP://x.test": "HTTP://x.test",
		"javascript:alert(1)": "", "//evil.test/": "", "data:text/html,x": "", "": "",
	} {
		if got := SafeURL(u); got != want {
			t.Errorf("SafeURL(%q) = %q, want %q", u, got, want)
		}
	}
}

// TestPageDependencies keeps the package small in the page (see the package comment).
func TestPageDependencies(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch dep {
		case "fmt", "encoding/json", "reflect", "time", "os", "crypto", "html/template", "text/template", "regexp":
			t.Errorf("the js/wasm build of banner depends on %s", dep)
		}
	}
}
