package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/e2e/harness"
	"github.com/consentry/consentry/wasm"
	"github.com/consentry/consentry/wasm/banner"
)

// The banner's tests run against a policy of their own (testdata/banner.json: Consent Mode, a
// receipt endpoint, a consent cookie domain, the floating button, a text override), built once
// per run beside the harness's assets, as a bar and as a modal first layer, and served under /b/.
//
// CONSENTRY_SCREENSHOTS=1 makes TestBannerAccessibility write the README's screenshots to
// docs/screenshots/.

// bannerBuild is one build of the banner's policy.
type bannerBuild struct {
	policy *consent.Policy
	dir    string
	wasm   string
}

var banners struct {
	once       sync.Once
	err        error
	bar, modal bannerBuild
	axe        string // axe.min.js
}

// setupBanners builds the banner's assets once per run.
func setupBanners(t *testing.T) {
	t.Helper()
	harness.SkipWithoutChromium(t)
	banners.once.Do(func() {
		data, err := os.ReadFile("testdata/banner.json")
		if err != nil {
			banners.err = err
			return
		}
		modal := strings.Replace(string(data), `"banner": {"button": true}`, `"banner": {"button": true, "modal": true}`, 1)
		base := filepath.Dir(env.Assets) // removed with the harness's assets
		var wg sync.WaitGroup
		var errs [2]error
		for i, b := range []struct {
			src  string
			into *bannerBuild
		}{{string(data), &banners.bar}, {modal, &banners.modal}} {
			wg.Go(func() {
				p, err := consent.Load([]byte(b.src))
				if err != nil {
					errs[i] = err
					return
				}
				dir := filepath.Join(base, "banner"+string(rune('0'+i)))
				res, err := wasm.Build(context.Background(), wasm.Options{Policy: p, Out: dir})
				if err != nil {
					errs[i] = err
					return
				}
				*b.into = bannerBuild{policy: p, dir: dir, wasm: res.WasmName}
			})
		}
		wg.Wait()
		banners.err = errors.Join(errs[:]...)
		if b, err := os.ReadFile("axe/node_modules/axe-core/axe.min.js"); err == nil {
			banners.axe = string(b)
		}
	})
	if banners.err != nil {
		t.Fatal(banners.err)
	}
}

// view is how a tab shows the page: viewport, theme, the visitor's languages, GPC.
type view struct {
	width, height int
	scale         float64 // device pixels per CSS pixel (2 for a phone, or 200 % zoom)
	mobile        bool
	dark          bool
	languages     []string // navigator.languages; nil leaves Chromium's
	gpc           bool
	modal         bool // the build with a modal first layer
}

var desktop = view{width: 1280, height: 800, scale: 1}

// bannerPage is a shop page with the banner's tag first in <head>; lang is <html lang> ("" for none).
func bannerPage(lang, head, body string) string {
	if lang != "" {
		lang = ` lang="` + lang + `"`
	}
	return `<!doctype html><html` + lang + `><head><meta charset="utf-8">
<script src="/b/consentry.js"></script>
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Nordvik Outdoor</title>
<style>
body{margin:0;font:17px/1.55 Georgia,"Times New Roman",serif;color:#23211d;background:#f6f3ec}
header{display:flex;justify-content:space-between;align-items:center;padding:1rem 1.5rem;background:#24413a;color:#fff}
header a{color:#fff}
main{max-width:60rem;margin:0 auto;padding:1.5rem}
h1{font-size:2rem;margin:.5rem 0 1rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:1rem}
.card{background:#fff;border-radius:8px;padding:1rem;box-shadow:0 1px 3px #0002}
.card b{display:block;height:6rem;margin-bottom:.5rem;border-radius:4px;background:#9bb08f}
</style>` + head + `</head><body>
<header><strong>Nordvik Outdoor</strong><nav aria-label="Site"><a href="/cookie-policy" data-consentry-open id="open">Cookie settings</a></nav></header>
<main><h1>Trail shoes</h1><p>Light, grippy and made for wet Nordic rock.</p>
<div class="grid"><div class="card"><b></b>Fjell GTX</div><div class="card"><b></b>Myr Trail</div><div class="card"><b></b>Skog Runner</div></div>
` + body + `</main></body></html>`
}

// openBanner serves html on https://NAME.shop.test/ with the banner's build, opens it in a new tab
// as v says, with the consent cookie of st when st is not nil, and waits until the engine runs.
func openBanner(t *testing.T, name string, v view, html string, st *consent.State) (*harness.Tab, string) {
	t.Helper()
	return openBannerWith(t, name, v, html, func(tb *harness.Tab, host string, p *consent.Policy) {
		if st != nil {
			setBannerConsent(t, tb, p, host, *st)
		}
	})
}

// openBannerWith is openBanner with a function that prepares the tab before the page loads.
func openBannerWith(t *testing.T, name string, v view, html string, prepare func(tb *harness.Tab, host string, p *consent.Policy)) (*harness.Tab, string) {
	t.Helper()
	setupBanners(t)
	host := name
	if !strings.Contains(host, ".") {
		host = siteHost(name)
	}
	b := serveBanner(host, v.modal)
	env.SetPage(host, "/", html)
	tb := tab(t)
	emulate(t, tb, v)
	prepare(tb, host, b.policy)
	if err := tb.Open("https://" + host + "/"); err != nil {
		t.Fatal(err)
	}
	if err := tb.WaitReady(); err != nil {
		t.Fatalf("engine not ready: %v\nconsole: %q", err, tb.Console())
	}
	return tb, host
}

// serveBanner serves the banner's assets under /b/ on host.
func serveBanner(host string, modal bool) bannerBuild {
	b := banners.bar
	if modal {
		b = banners.modal
	}
	for name, ctype := range map[string]string{"consentry.js": "text/javascript", b.wasm: "application/wasm"} {
		file := filepath.Join(b.dir, name)
		env.SetHandler(host, "/b/"+name, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ctype)
			http.ServeFile(w, r, file)
		}))
	}
	return b
}

func emulate(t *testing.T, tb *harness.Tab, v view) {
	t.Helper()
	if v.width == 0 {
		v = desktop
	}
	scheme, motion := "light", "reduce"
	if v.dark {
		scheme = "dark"
	}
	var script string
	if v.languages != nil {
		l, _ := json.Marshal(v.languages)
		script = `Object.defineProperty(Navigator.prototype, "languages", {get() { return ` + string(l) + `; }, configurable: true});`
	}
	err := errors.Join(
		ignore(chromedp.Call(tb.Ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: int64(v.width), Height: int64(v.height), DeviceScaleFactor: v.scale, Mobile: v.mobile})),
		ignore(chromedp.Call(tb.Ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{
			{Name: "prefers-color-scheme", Value: scheme}, {Name: "prefers-reduced-motion", Value: motion}}})),
	)
	if script != "" {
		err = errors.Join(err, ignore(chromedp.Call(tb.Ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: script})))
	}
	if v.gpc {
		err = errors.Join(err, tb.GPC())
	}
	if err != nil {
		t.Fatal(err)
	}
}

func ignore[T any](_ T, err error) error { return err }

// setBannerConsent puts the consent cookie of st under policy p on host.
func setBannerConsent(t *testing.T, tb *harness.Tab, p *consent.Policy, host string, st consent.State) {
	t.Helper()
	st.Decided, st.Revision = true, p.Revision
	if st.At == 0 {
		st.At = time.Now().Add(-time.Minute).Unix()
	}
	if st.Source == consent.SourceNone {
		st.Source = consent.SourceBanner
	}
	if err := tb.SetCookie(host, p.Consent.Cookie, p.EncodeState(st)); err != nil {
		t.Fatal(err)
	}
}

// ui is the banner's shadow root, in page expressions.
const ui = `document.querySelector("[data-consentry-ui]")?.shadowRoot`

// deepActive names the focused element, inside shadow roots, in page expressions.
const deepActive = `(() => { let a = document.activeElement; while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement; return a; })()`

// waitFor polls the page expression expr until it is true.
func waitFor(t *testing.T, tb *harness.Tab, what, expr string) {
	t.Helper()
	if !tb.WaitFor(5*time.Second, func() bool {
		ok, err := harness.Eval[bool](tb, `!!(`+expr+`)`)
		return err == nil && ok
	}) {
		t.Fatalf("%s: %s did not become true; console %q", what, expr, tb.Console())
	}
}

func eval[T any](t *testing.T, tb *harness.Tab, expr string) T {
	t.Helper()
	v, err := harness.Eval[T](tb, expr)
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

func keys(t *testing.T, tb *harness.Tab, k string) {
	t.Helper()
	if err := chromedp.Do(tb.Ctx, chromedp.KeyEvent(k)); err != nil {
		t.Fatal(err)
	}
}

// bannerState decodes the consent cookie host holds.
func bannerState(t *testing.T, tb *harness.Tab, p *consent.Policy, domain string) (consent.State, string) {
	t.Helper()
	jar, err := tb.Cookies()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range jar {
		if c.Name == p.Consent.Cookie && strings.TrimPrefix(c.Domain, ".") == domain {
			st, err := p.DecodeState(c.Value, time.Now().Unix())
			if err != nil {
				t.Fatalf("consent cookie %q: %v", c.Value, err)
			}
			return st, c.Domain
		}
	}
	return consent.State{}, ""
}

// TestBannerFirstLayer checks the first layer: shown without a decision, a labelled and described
// non-modal dialog, Accept all and Reject all of equal prominence (the same element, size, colours,
// font and row), the policy's link, and that the page stays usable behind it.
func TestBannerFirstLayer(t *testing.T) {
	t.Parallel()
	tb, host := openBanner(t, "b-first", desktop, bannerPage("en", "", `<button id="behind">Add to basket</button>`), nil)
	waitFor(t, tb, "first layer", ui+`?.querySelector(".ly")`)
	got := eval[map[string]any](t, tb, `(() => {
  const r = `+ui+`, d = r.querySelector(".ly");
  const ref = (a) => (d.getAttribute(a) || "").split(" ").map((id) => r.getElementById(id)?.textContent).join(" ");
  return {role: d.getAttribute("role"), modal: d.getAttribute("aria-modal"), lang: d.lang, label: ref("aria-labelledby"),
    described: ref("aria-describedby"), link: r.querySelector("a").getAttribute("href"),
    buttons: [...d.querySelectorAll("button")].map((b) => b.textContent), modals: document.querySelectorAll(":modal").length};
})()`)
	want := map[string]any{"role": "dialog", "modal": "false", "lang": "en", "label": "We use cookies",
		"described": "Nordvik Outdoor uses cookies and similar technologies. Some are necessary for the site to work; the others are used only with your consent. You can change your choice at any time. Cookie policy",
		"link":      "/cookie-policy", "buttons": []any{"Accept all", "Reject all", "Preferences"}, "modals": 0.0}
	for k, v := range want {
		if g, _ := json.Marshal(got[k]); string(g) != mustJSON(v) {
			t.Errorf("%s = %s, want %s", k, g, mustJSON(v))
		}
	}

	// Equal prominence: everything a visitor sees of the two buttons is the same but the words.
	same := eval[[][]string](t, tb, `(() => {
  const [a, r] = `+ui+`.querySelectorAll(".ly button");
  const props = ["color", "background-color", "border-top-color", "border-top-width", "border-top-style", "border-radius",
    "font-family", "font-size", "font-weight", "font-style", "text-decoration-line", "text-transform", "letter-spacing",
    "padding-top", "padding-left", "opacity", "box-shadow", "outline-style", "cursor", "display", "visibility"];
  const out = [];
  const sa = getComputedStyle(a), sr = getComputedStyle(r);
  for (const p of props) out.push([p, sa.getPropertyValue(p), sr.getPropertyValue(p)]);
  const ba = a.getBoundingClientRect(), br = r.getBoundingClientRect();
  out.push(["tag", a.tagName + "." + a.className, r.tagName + "." + r.className]);
  out.push(["width", String(Math.round(ba.width)), String(Math.round(br.width))]);
  out.push(["height", String(Math.round(ba.height)), String(Math.round(br.height))]);
  out.push(["top", String(Math.round(ba.top)), String(Math.round(br.top))]);
  out.push(["visible", String(ba.bottom <= innerHeight && ba.top >= 0), String(br.bottom <= innerHeight && br.top >= 0)]);
  return out;
})()`)
	for _, p := range same {
		if p[1] != p[2] {
			t.Errorf("Accept all and Reject all differ in %s: %q and %q", p[0], p[1], p[2])
		}
	}

	// Non-blocking: the page's own controls stay reachable and clickable.
	if hit := eval[string](t, tb, `(() => { const b = document.getElementById("behind").getBoundingClientRect();
  return document.elementFromPoint(b.x + 5, b.y + 5)?.id; })()`); hit != "behind" {
		t.Errorf("the page's button is covered: elementFromPoint gives %q", hit)
	}

	// Reject all records a decision of the required category only, and the banner goes.
	eval[harness.Void](t, tb, ui+`.querySelectorAll(".ly button")[1].click()`)
	waitFor(t, tb, "banner closed", `!document.querySelector("[data-consentry-ui]")`)
	st, _ := bannerState(t, tb, banners.bar.policy, host)
	if !st.Decided || !slices.Equal(st.Granted, []string{"necessary"}) || st.Source != consent.SourceBanner {
		t.Errorf("after Reject all: %+v", st)
	}
	// The floating button now reopens the preferences.
	waitFor(t, tb, "floating button", `document.querySelector("[data-consentry-reopen]")?.shadowRoot.querySelector("button[aria-label='Cookie settings']")`)
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestBannerFocus checks focus and keyboard use: the first layer takes focus unless the visitor is
// typing in a field, it does not trap focus, its buttons work from the keyboard, and focus goes
// back where it was; the preferences dialog traps focus, closes on Esc and gives focus back to the
// link that opened it.
func TestBannerFocus(t *testing.T) {
	t.Parallel()
	t.Run("typing", func(t *testing.T) {
		t.Parallel()
		tb, _ := openBanner(t, "b-typing", desktop, bannerPage("en", "", `<label>Search <input id="q"></label>
<script>document.getElementById("q").focus();</script>`), nil)
		waitFor(t, tb, "first layer", ui+`?.querySelector(".ly")`)
		keys(t, tb, "boots")
		if id := eval[string](t, tb, deepActive+`.id`); id != "q" {
			t.Errorf("the banner took focus from the field the visitor types in: focus on %q", id)
		}
		if v := eval[string](t, tb, `document.getElementById("q").value`); v != "boots" {
			t.Errorf("typed %q", v)
		}
	})
	t.Run("keyboard", func(t *testing.T) {
		t.Parallel()
		tb, host := openBanner(t, "b-keyboard", desktop, bannerPage("en", "", ""), nil)
		waitFor(t, tb, "focus in the first layer", deepActive+`?.classList.contains("ly")`)
		// Tab order: the policy's link, Accept all, Reject all, Preferences; then out of the banner.
		var order []string
		for range 5 {
			keys(t, tb, kb.Tab)
			order = append(order, eval[string](t, tb, `(() => { const a = `+deepActive+`; return a.textContent.trim() || a.tagName; })()`))
		}
		if want := []string{"Cookie policy", "Accept all", "Reject all", "Preferences"}; !slices.Equal(order[:4], want) {
			t.Errorf("tab order %q, want %q then out", order, want)
		}
		if in := eval[bool](t, tb, `document.activeElement === document.querySelector("[data-consentry-ui]")`); in {
			t.Errorf("Tab from the last button stayed in the banner: the bar must not trap focus (%q)", order)
		}
		// Shift+Tab back to Preferences, Enter opens the dialog; it has the focus and keeps it.
		if err := chromedp.Do(tb.Ctx, chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(8))); err != nil {
			t.Fatal(err)
		}
		if f := eval[string](t, tb, deepActive+`.textContent`); f != "Preferences" {
			t.Fatalf("Shift+Tab went to %q", f)
		}
		ring := eval[string](t, tb, `getComputedStyle(`+deepActive+`).outlineStyle`)
		if ring == "none" {
			t.Errorf("the focused button shows no focus ring")
		}
		keys(t, tb, kb.Enter)
		waitFor(t, tb, "dialog open", ui+`?.querySelector("dialog.dlg:modal")`)
		checkTrapped(t, tb, "dialog.dlg", 30)
		keys(t, tb, kb.Escape)
		waitFor(t, tb, "dialog closed", `!`+ui+`.querySelector("dialog.dlg")`)
		if f := eval[string](t, tb, deepActive+`.textContent`); f != "Preferences" {
			t.Errorf("after Esc, focus is on %q, want the Preferences button", f)
		}
		// Back to Accept all, and Enter decides.
		if err := chromedp.Do(tb.Ctx, chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(8)), chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(8)), chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
		waitFor(t, tb, "banner closed", `!document.querySelector("[data-consentry-ui]")`)
		if st, _ := bannerState(t, tb, banners.bar.policy, host); !slices.Equal(st.Granted, all) {
			t.Errorf("Accept all from the keyboard granted %q", st.Granted)
		}
		if f := eval[string](t, tb, `document.activeElement.tagName`); f != "BODY" {
			t.Errorf("after the choice, focus is on %s, want where it was (the body)", f)
		}
	})
	t.Run("link", func(t *testing.T) {
		t.Parallel()
		tb, _ := openBanner(t, "b-link", desktop, bannerPage("en", "", ""), &consent.State{Granted: []string{"necessary"}})
		keys(t, tb, kb.Tab) // the page's first link: Cookie settings
		if id := eval[string](t, tb, deepActive+`.id`); id != "open" {
			t.Fatalf("Tab went to %q", id)
		}
		keys(t, tb, kb.Enter)
		waitFor(t, tb, "dialog open", ui+`?.querySelector("dialog.dlg:modal")`)
		if url := eval[string](t, tb, `location.pathname`); url != "/" {
			t.Errorf("the link navigated to %s", url)
		}
		checkTrapped(t, tb, "dialog.dlg", 30)
		keys(t, tb, kb.Escape)
		waitFor(t, tb, "dialog closed", `!document.querySelector("[data-consentry-ui]")`)
		if id := eval[string](t, tb, deepActive+`.id`); id != "open" {
			t.Errorf("after Esc, focus is on %q, want the link that opened the dialog", id)
		}
	})
}

// checkTrapped presses Tab through the open modal dialog sel: focus never reaches anything outside
// it. (From its last control, Tab goes to the browser's own UI, as with every native modal dialog,
// and the document's active element is the body meanwhile; the next Tab is back in the dialog.)
func checkTrapped(t *testing.T, tb *harness.Tab, sel string, tabs int) {
	t.Helper()
	in := `(() => { const a = ` + deepActive + `; return ` + ui + `.querySelector("` + sel + `").contains(a) ? "in" : a === document.body ? "body" : a.outerHTML.slice(0, 80); })()`
	if got := eval[string](t, tb, in); got != "in" {
		t.Fatalf("focus is not in the dialog but on %s", got)
	}
	seen := 0
	for i := range tabs {
		keys(t, tb, kb.Tab)
		switch got := eval[string](t, tb, in); got {
		case "in":
			seen++
		case "body":
		default:
			t.Fatalf("Tab %d left the modal dialog for %s", i+1, got)
		}
	}
	if seen < tabs/2 {
		t.Errorf("focus was in the dialog after %d of %d Tabs", seen, tabs)
	}
}

// TestBannerModal checks the modal first layer: the page is inert, Esc does not dismiss it, focus
// is in it and stays there.
func TestBannerModal(t *testing.T) {
	t.Parallel()
	tb, host := openBanner(t, "b-modal", view{width: 1280, height: 800, scale: 1, modal: true}, bannerPage("en", "", ""), nil)
	waitFor(t, tb, "modal first layer", ui+`?.querySelector("dialog.ly:modal")`)
	if !eval[bool](t, tb, ui+`.querySelector("dialog.ly").contains(`+deepActive+`)`) {
		t.Errorf("focus is not in the modal first layer")
	}
	keys(t, tb, kb.Escape)
	keys(t, tb, kb.Escape)
	time.Sleep(100 * time.Millisecond)
	if !eval[bool](t, tb, `!!`+ui+`.querySelector("dialog.ly:modal")`) {
		t.Fatal("Esc dismissed the modal first layer without a choice")
	}
	checkTrapped(t, tb, "dialog.ly", 10)
	eval[harness.Void](t, tb, ui+`.querySelector("[data-a=accept]").click()`)
	waitFor(t, tb, "closed", `!document.querySelector("[data-consentry-ui]")`)
	if st, _ := bannerState(t, tb, banners.modal.policy, host); !slices.Equal(st.Granted, all) {
		t.Errorf("granted %q", st.Granted)
	}
}

// TestBannerPreferences checks the preferences dialog: a switch per category (the required one on
// and locked), each category's services with their cookie tables, per-service switches, and Save.
func TestBannerPreferences(t *testing.T) {
	t.Parallel()
	tb, host := openBanner(t, "b-prefs", desktop, bannerPage("en", "", ""), nil)
	waitFor(t, tb, "first layer", ui+`?.querySelector(".ly")`)
	eval[harness.Void](t, tb, ui+`.querySelector("[data-a=prefs]").click()`)
	waitFor(t, tb, "dialog", ui+`?.querySelector("dialog.dlg:modal")`)
	d := ui + `.querySelector("dialog.dlg")`
	cats := eval[[]map[string]any](t, tb, `[...`+d+`.querySelectorAll("section.cat")].map((s) => {
  const sw = s.querySelector(".row input");
  return {label: s.querySelector("h3").textContent, note: s.querySelector(".note")?.textContent || "",
    on: sw.checked, locked: sw.disabled, role: sw.getAttribute("role"), name: s.getRootNode().getElementById(sw.getAttribute("aria-labelledby")).textContent,
    services: [...s.querySelectorAll(".svc h4")].map((h) => h.textContent), summary: s.querySelector("summary")?.textContent || ""};
})`)
	want := []map[string]any{
		{"label": "Necessary", "note": "Always active", "on": true, "locked": true, "role": "switch", "name": "Necessary",
			"services": []any{"Consentry", "Nordvik Outdoor"}, "summary": "Services and cookies (2)"},
		{"label": "Functionality", "note": "", "on": false, "locked": false, "role": "switch", "name": "Functionality",
			"services": []any{"Intercom"}, "summary": "Services and cookies (1)"},
		{"label": "Statistics", "note": "", "on": false, "locked": false, "role": "switch", "name": "Statistics",
			"services": []any{"Google Analytics"}, "summary": "Services and cookies (1)"},
		{"label": "Marketing", "note": "", "on": false, "locked": false, "role": "switch", "name": "Marketing",
			"services": []any{"Meta", "YouTube"}, "summary": "Services and cookies (2)"},
	}
	if mustJSON(cats) != mustJSON(want) {
		t.Errorf("categories\n  %s\nwant\n  %s", mustJSON(cats), mustJSON(want))
	}
	// The cookie details of a category, shown when its list is expanded.
	eval[harness.Void](t, tb, d+`.querySelectorAll("details")[2].toggleAttribute("open", true)`)
	rows := eval[[][]string](t, tb, `[...`+d+`.querySelectorAll("section.cat")[2].querySelectorAll("tr")].map((r) => [...r.cells].map((c) => c.textContent))`)
	if want := [][]string{{"Name", "Expiry", "Purpose"}, {"_ga", "2 years", "Tells visitors apart."}, {"_ga_*", "2 years", "Keeps the state of a visit."}}; !slices.EqualFunc(rows, want, slices.Equal) {
		t.Errorf("Statistics' cookie table %q, want %q", rows, want)
	}
	if href := eval[string](t, tb, d+`.querySelectorAll("section.cat")[2].querySelector(".svc a").href`); href != "https://policies.google.com/privacy" {
		t.Errorf("privacy link %q", href)
	}
	// Statistics on from the keyboard (its service follows), YouTube on by itself, Save.
	eval[harness.Void](t, tb, d+`.querySelectorAll("section.cat")[2].querySelector(".row input").focus()`)
	keys(t, tb, " ")
	if on := eval[[]bool](t, tb, `[...`+d+`.querySelectorAll("section.cat")[2].querySelectorAll("input")].map((i) => i.checked)`); !slices.Equal(on, []bool{true, true}) {
		t.Errorf("Space on the Statistics switch: switches %v", on)
	}
	eval[harness.Void](t, tb, d+`.querySelectorAll("section.cat")[3].querySelectorAll(".svc input")[1].click()`)
	eval[harness.Void](t, tb, d+`.querySelector("[data-a=save]").click()`)
	waitFor(t, tb, "closed", `!document.querySelector("[data-consentry-ui]")`)
	st, _ := bannerState(t, tb, banners.bar.policy, host)
	if !slices.Equal(st.Granted, []string{"necessary", "analytics"}) || !slices.Equal(st.GrantedServices, []string{"youtube"}) {
		t.Errorf("saved %+v", st)
	}
	// Reopened (the floating button), the dialog shows the choice.
	eval[harness.Void](t, tb, `document.querySelector("[data-consentry-reopen]").shadowRoot.querySelector("button").click()`)
	waitFor(t, tb, "dialog again", ui+`?.querySelector("dialog.dlg:modal")`)
	on := eval[[]bool](t, tb, `[...`+d+`.querySelectorAll("input")].map((i) => i.checked)`)
	// Necessary; Functionality, Intercom; Statistics, Google Analytics; Marketing, Meta, YouTube.
	if want := []bool{true, false, false, true, true, false, false, true}; !slices.Equal(on, want) {
		t.Errorf("switches after reopening %v, want %v", on, want)
	}
	// consentry.showPreferences() when it is open already does nothing more.
	eval[harness.Void](t, tb, `consentry.showPreferences()`)
	if n := eval[int](t, tb, ui+`.querySelectorAll("dialog").length`); n != 1 {
		t.Errorf("%d dialogs", n)
	}
}

// TestBannerLanguages checks the choice of language (<html lang>, then navigator.languages) and
// every built-in language, and a text the policy overrides.
func TestBannerLanguages(t *testing.T) {
	t.Parallel()
	p := func() *consent.Policy { setupBanners(t); return banners.bar.policy }
	cases := []struct {
		name, html string
		nav        []string
		want       string // the banner's language
	}{
		{"html-nb", "nb", nil, "nb"},
		{"html-region", "nb-NO", []string{"de"}, "nb"},
		{"navigator", "", []string{"fr-CA", "en"}, "fr"},
		{"unsupported-html", "pt", []string{"sv-SE"}, "sv"},
		{"nothing-fits", "ja", []string{"ja"}, "en"},
	}
	// Every built-in language, in one tab: <html lang> of each.
	t.Run("built-in", func(t *testing.T) {
		t.Parallel()
		tb, host := openBanner(t, "b-lang-all", desktop, bannerPage("en", "", ""), nil)
		for _, l := range banner.Languages() {
			env.SetPage(host, "/"+l, bannerPage(l, "", ""))
			if err := tb.Open("https://" + host + "/" + l); err != nil {
				t.Fatal(err)
			}
			waitFor(t, tb, l, ui+`?.querySelector(".ly")`)
			got := eval[[]string](t, tb, `[`+ui+`.querySelector(".ly").lang, ...[...`+ui+`.querySelectorAll(".ly h2, .ly button")].map((e) => e.textContent)]`)
			tx := banner.NewTexts(p(), l)
			if want := []string{l, tx.Get(banner.Title), tx.Get(banner.AcceptAll), tx.Get(banner.RejectAll), tx.Get(banner.Preferences)}; !slices.Equal(got, want) {
				t.Errorf("%s: got %q, want %q", l, got, want)
			}
		}
	})
	cases = append(cases, struct {
		name, html string
		nav        []string
		want       string
	}{"de", "de", nil, "de"})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			v := desktop
			v.languages = c.nav
			tb, _ := openBanner(t, "b-lang-"+c.name, v, bannerPage(c.html, "", ""), nil)
			waitFor(t, tb, "first layer", ui+`?.querySelector(".ly")`)
			got := eval[[]string](t, tb, `[`+ui+`.querySelector(".ly").lang, ...[...`+ui+`.querySelectorAll(".ly h2, .ly button")].map((e) => e.textContent)]`)
			tx := banner.NewTexts(p(), c.want)
			want := []string{c.want, tx.Get(banner.Title), tx.Get(banner.AcceptAll), tx.Get(banner.RejectAll), tx.Get(banner.Preferences)}
			if !slices.Equal(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
			if c.want == "de" {
				if want[1] != "Cookies bei Nordvik Outdoor" {
					t.Errorf("the policy's German title is not used: %q", want[1])
				}
				// The categories have no German labels: they fall back to English, marked as such.
				eval[harness.Void](t, tb, `consentry.showPreferences()`)
				waitFor(t, tb, "dialog", ui+`?.querySelector("dialog.dlg")`)
				if l := eval[string](t, tb, ui+`.querySelector("section.cat h3").lang`); l != "en" {
					t.Errorf("an English label in a German dialog has lang %q", l)
				}
			}
		})
	}
}

// TestBannerAccessibility runs axe-core (e2e/axe, injected into the page) on the first layer and
// on the open preferences dialog, with every service list expanded, in the light and the dark
// theme, on a desktop and on a 360 px phone: zero violations. With CONSENTRY_SCREENSHOTS=1 it
// also writes the README's screenshots (docs/screenshots/).
func TestBannerAccessibility(t *testing.T) {
	t.Parallel()
	setupBanners(t)
	shots := os.Getenv("CONSENTRY_SCREENSHOTS") == "1"
	if banners.axe == "" && !shots {
		if os.Getenv("CI") == "true" {
			t.Fatal("e2e/axe/node_modules is missing (npm ci in e2e/axe); CI does not skip the accessibility checks")
		}
		t.Skip("e2e/axe/node_modules is missing (cd e2e/axe && npm ci)")
	}
	type variant struct {
		size, lang string
		dark       bool
	}
	variants := []variant{{"desktop", "en", false}, {"desktop", "en", true}, {"mobile", "nb", false}, {"mobile", "nb", true}}
	if shots {
		variants = append(variants, variant{"desktop", "nb", false}, variant{"desktop", "nb", true},
			variant{"mobile", "en", false}, variant{"mobile", "en", true})
	}
	for _, vr := range variants {
		theme := "light"
		if vr.dark {
			theme = "dark"
		}
		name := vr.size + "-" + vr.lang + "-" + theme
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			v := view{width: 1280, height: 760, scale: 1, dark: vr.dark}
			if vr.size == "mobile" {
				v = view{width: 360, height: 740, scale: 2, mobile: true, dark: vr.dark}
			}
			tb, _ := openBanner(t, "b-a11y-"+name, v, bannerPage(vr.lang, "", ""), nil)
			waitFor(t, tb, "first layer", ui+`?.querySelector(".ly")`)
			axeCheck(t, tb, "first layer")
			if shots {
				screenshot(t, tb, "banner-"+name+".png")
			}
			eval[harness.Void](t, tb, `consentry.showPreferences()`)
			waitFor(t, tb, "dialog", ui+`?.querySelector("dialog.dlg:modal")`)
			if shots && (name == "desktop-en-light" || name == "mobile-nb-dark" || name == "desktop-nb-dark" || name == "mobile-en-light") {
				eval[harness.Void](t, tb, ui+`.querySelectorAll("details")[2].toggleAttribute("open", true); `+ui+`.querySelectorAll("section.cat")[2].scrollIntoView()`)
				screenshot(t, tb, "preferences-"+name+".png")
				// Back to the top: axe counts a label scrolled out of the dialog's body as not visible.
				eval[harness.Void](t, tb, `document.querySelector("[data-consentry-ui]").shadowRoot.querySelector(".bd").scrollTop = 0`)
			}
			eval[harness.Void](t, tb, ui+`.querySelectorAll("details").forEach((d) => d.toggleAttribute("open", true))`)
			axeCheck(t, tb, "preferences dialog")
		})
	}
}

// axeCheck runs axe-core's default rules (WCAG 2.0-2.2 A and AA, and best practices) on the page,
// the banner's shadow roots included.
func axeCheck(t *testing.T, tb *harness.Tab, what string) {
	t.Helper()
	if banners.axe == "" {
		return
	}
	if !eval[bool](t, tb, `!!window.axe`) {
		if _, err := harness.Eval[harness.Void](tb, banners.axe+"\n;undefined"); err != nil {
			t.Fatalf("injecting axe-core: %v", err)
		}
	}
	found := eval[[]string](t, tb, `axe.run(document, {resultTypes: ["violations"]}).then((r) => r.violations.flatMap((v) =>
  v.nodes.map((n) => v.id + " (" + v.impact + "): " + JSON.stringify(n.target) + ": " + n.failureSummary.replace(/\s+/g, " "))))`)
	for _, f := range found {
		t.Errorf("axe, %s: %s", what, f)
	}
}

// screenshot writes the viewport as docs/screenshots/name (PNG).
func screenshot(t *testing.T, tb *harness.Tab, name string) {
	t.Helper()
	time.Sleep(150 * time.Millisecond) // a frame for the dialog's backdrop
	png, err := chromedp.Run(tb.Ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d KB)", name, len(png)/1024)
}

// dataLayerRecorder is a stand-in for what a Google tag sees: right after the gate (so before any
// other script), it records what is already in window.dataLayer and everything pushed later, with
// the time, in window.__dl. Then the site's own gtag snippet runs, and a Google tag (held until
// Statistics is granted) marks when it runs.
const dataLayerRecorder = `<script>
window.__dl = [];
(function () {
  var dl = window.dataLayer = window.dataLayer || [];
  function rec(a) {
    var args = Object.prototype.toString.call(a) === "[object Arguments]";
    window.__dl.push({args: args, at: performance.now(), v: JSON.parse(JSON.stringify(args ? Array.prototype.slice.call(a) : a))});
  }
  for (var i = 0; i < dl.length; i++) rec(dl[i]);
  var push = dl.push;
  dl.push = function () { for (var i = 0; i < arguments.length; i++) rec(arguments[i]); return push.apply(dl, arguments); };
})();
function gtag() { dataLayer.push(arguments); }
gtag("js", 0);
gtag("config", "G-TEST");
</script>
<script async src="https://www.googletagmanager.com/gtag/js?probe=gtag"></script>`

type dlEntry struct {
	Args bool    `json:"args"`
	At   float64 `json:"at"`
	V    any     `json:"v"`
}

// dlSummary names each entry: "consent default {...}", "js", "event consentry_ready".
func dlSummary(entries []dlEntry) []string {
	var out []string
	for _, e := range entries {
		switch v := e.V.(type) {
		case []any:
			s := v[0].(string)
			if len(v) > 1 {
				s += " " + mustJSON(v[1])
			}
			if len(v) > 2 && v[0] == "consent" {
				s += " " + mustJSON(v[2])
			}
			out = append(out, s)
		case map[string]any:
			out = append(out, "event "+mustJSON(v["event"]))
		}
	}
	return out
}

// TestConsentMode checks Google Consent Mode v2 with a recording stand-in: the default (every type
// denied but security_storage, wait_for_update) and the policy's settings are in dataLayer, as
// gtag's Arguments, before any script of the page runs; a decision pushes the update before the
// dataLayer event, and before the Google tag it releases runs; a page view with a stored decision
// gets the update right after the default, before the site's own commands.
func TestConsentMode(t *testing.T) {
	t.Parallel()
	tb, host := openBanner(t, "b-consent-mode", desktop, bannerPage("en", dataLayerRecorder, ""), nil)
	waitFor(t, tb, "first layer", ui+`?.querySelector(".ly")`)
	waitFor(t, tb, "ready event", `__dl.some((e) => e.v.event === "consentry_ready")`)
	// (Keys sorted: the summary goes through a Go map.)
	denied := `{"ad_personalization":"denied","ad_storage":"denied","ad_user_data":"denied","analytics_storage":"denied",` +
		`"functionality_storage":"denied","personalization_storage":"denied","security_storage":"granted","wait_for_update":500}`
	granted := `{"ad_personalization":"granted","ad_storage":"granted","ad_user_data":"granted","analytics_storage":"granted",` +
		`"functionality_storage":"granted","personalization_storage":"granted","security_storage":"granted"}`
	dl := eval[[]dlEntry](t, tb, `__dl`)
	want := []string{`consent "default" ` + denied, `set "ads_data_redaction"`, `set "url_passthrough"`, `js 0`, `config "G-TEST"`, `event "consentry_ready"`}
	if got := dlSummary(dl); !slices.Equal(got, want) {
		t.Errorf("dataLayer before a decision:\n  %q\nwant\n  %q", got, want)
	}
	for i, e := range dl[:5] {
		if !e.Args {
			t.Errorf("dataLayer[%d] is not an Arguments object: gtag.js would not read it as a command", i)
		}
	}
	if slices.Contains(probes(tb), "gtag") {
		t.Fatal("the Google tag ran before consent")
	}

	eval[harness.Void](t, tb, ui+`.querySelector("[data-a=accept]").click()`)
	waitFor(t, tb, "Google tag", `performance.getEntriesByName("standin:probe:gtag").length`)
	dl = eval[[]dlEntry](t, tb, `__dl`)
	got := dlSummary(dl)
	if want := []string{`consent "update" ` + granted, `event "consentry_change"`}; !slices.Equal(got[6:], want) {
		t.Errorf("dataLayer after Accept all:\n  %q\nwant\n  %q", got[6:], want)
	}
	if ran := eval[float64](t, tb, `performance.getEntriesByName("standin:probe:gtag")[0].startTime`); len(dl) > 6 && ran < dl[6].At {
		t.Errorf("the Google tag ran at %.0f ms, before the update (%.0f ms)", ran, dl[6].At)
	}
	if ev := eval[map[string]any](t, tb, `__dl.at(-1).v.consentry`); ev["decided"] != true || mustJSON(ev["granted"]) != mustJSON(all) {
		t.Errorf("the change event's state %v", ev)
	}

	// The next page view: the gate pushes the stored update when it first decides something (here
	// the Google tag, which the engine's snapshot releases before the engine runs), so the tag
	// sees it; the engine does not push it again.
	if err := tb.Open("https://" + host + "/"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tb, "ready event", `window.__dl && __dl.some((e) => e.v.event === "consentry_ready")`)
	waitFor(t, tb, "Google tag", `performance.getEntriesByName("standin:probe:gtag").length`)
	tb.Settle(200*time.Millisecond, 3*time.Second)
	dl = eval[[]dlEntry](t, tb, `__dl`)
	want = []string{`consent "default" ` + denied, `set "ads_data_redaction"`, `set "url_passthrough"`,
		`js 0`, `config "G-TEST"`, `consent "update" ` + granted, `event "consentry_ready"`}
	if got := dlSummary(dl); !slices.Equal(got, want) {
		t.Errorf("dataLayer on a page view with a decision:\n  %q\nwant\n  %q", got, want)
	} else {
		ran := eval[float64](t, tb, `performance.getEntriesByName("standin:probe:gtag")[0].startTime`)
		ready := eval[float64](t, tb, `performance.getEntriesByName("consentry:ready")[0].startTime`)
		if ran < dl[5].At {
			t.Errorf("the Google tag ran at %.0f ms, before the update (%.0f ms)", ran, dl[5].At)
		}
		t.Logf("second view: update at %.0f ms, Google tag at %.0f ms, engine ready at %.0f ms", dl[5].At, ran, ready)
	}
}

// TestBannerGPC checks that the UI states what the Global Privacy Control signal decided, that the
// categories it denies are off and locked, that Accept all leaves them out, and that Consent Mode
// follows, and that a placeholder offers no "always" for a service GPC denies.
func TestBannerGPC(t *testing.T) {
	t.Parallel()
	v := desktop
	v.gpc = true
	tb, host := openBanner(t, "b-gpc", v, bannerPage("en", dataLayerRecorder, `<div id="v"></div>
<script>document.getElementById("v").append(Object.assign(document.createElement("iframe"), {src: "https://www.youtube.com/embed/probe.html?probe=gpc-yt", title: "Video"}));</script>`), nil)
	waitFor(t, tb, "first layer", ui+`?.querySelector(".ly")`)
	note := eval[[]string](t, tb, `[`+ui+`.querySelector(".gpc")?.textContent || "", `+ui+`.querySelector(".ly").getAttribute("aria-describedby")]`)
	if want := []string{"Your browser's Global Privacy Control signal turns off: Marketing.", "cy-d cy-g"}; !slices.Equal(note, want) {
		t.Errorf("GPC note %q, want %q", note, want)
	}
	waitFor(t, tb, "placeholder", `document.querySelector("[data-consentry-placeholder]")`)
	ph := eval[[]string](t, tb, `[...document.querySelector("[data-consentry-placeholder]").shadowRoot.querySelectorAll("button")].map((b) => b.textContent)`)
	if !slices.Equal(ph, []string{"Load this once"}) {
		t.Errorf("placeholder buttons under GPC %q", ph)
	}
	eval[harness.Void](t, tb, `consentry.showPreferences()`)
	waitFor(t, tb, "dialog", ui+`?.querySelector("dialog.dlg:modal")`)
	m := eval[map[string]any](t, tb, `(() => { const s = `+ui+`.querySelectorAll("section.cat")[3], sw = s.querySelector("input");
  return {on: sw.checked, locked: sw.disabled, note: s.querySelector(".note").textContent, gpc: `+ui+`.querySelector("dialog .gpc").textContent}; })()`)
	if mustJSON(m) != `{"gpc":"Your browser's Global Privacy Control signal turns off: Marketing.","locked":true,"note":"Off (Global Privacy Control)","on":false}` {
		t.Errorf("Marketing under GPC: %v", m)
	}
	eval[harness.Void](t, tb, ui+`.querySelector("dialog [data-a=accept]").click()`)
	waitFor(t, tb, "closed", `!document.querySelector("[data-consentry-ui]")`)
	if st, _ := bannerState(t, tb, banners.bar.policy, host); !slices.Equal(st.Granted, []string{"necessary", "functionality", "analytics"}) {
		t.Errorf("Accept all under GPC granted %q", st.Granted)
	}
	up := eval[map[string]string](t, tb, `__dl.find((e) => e.v[1] === "update").v[2]`)
	if up["ad_storage"] != "denied" || up["analytics_storage"] != "granted" {
		t.Errorf("Consent Mode update under GPC %v", up)
	}
}

// TestReconsent checks that the banner asks again when the decision is for another revision of the
// policy or older than its lifetime, and not when it is valid.
func TestReconsent(t *testing.T) {
	t.Parallel()
	setupBanners(t)
	p := banners.bar.policy
	older, err := os.ReadFile("testdata/banner.json")
	if err != nil {
		t.Fatal(err)
	}
	old, err := consent.Load([]byte(strings.Replace(string(older), `"revision": "banner-1"`, `"revision": "banner-0"`, 1)))
	if err != nil || old.Revision == p.Revision {
		t.Fatalf("the older revision: %v (%s)", err, old.Revision)
	}
	cases := []struct {
		name   string
		p      *consent.Policy // the policy the decision was made under
		st     consent.State
		banner bool
	}{
		{"valid", p, consent.State{Granted: all}, false},
		{"other-revision", old, consent.State{Granted: all}, true},
		{"expired", p, consent.State{Granted: all, At: time.Now().Add(-181 * 24 * time.Hour).Unix()}, true},
		{"within-lifetime", p, consent.State{Granted: all, At: time.Now().Add(-179 * 24 * time.Hour).Unix()}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tb, _ := openBannerWith(t, "b-reconsent-"+c.name, desktop, bannerPage("en", "", ""), func(tb *harness.Tab, host string, _ *consent.Policy) {
				setBannerConsent(t, tb, c.p, host, c.st)
			})
			tb.Settle(200*time.Millisecond, 3*time.Second)
			shown := eval[bool](t, tb, `!!`+ui+`?.querySelector(".ly")`)
			button := eval[bool](t, tb, `!!document.querySelector("[data-consentry-reopen]")`)
			if shown != c.banner || button == c.banner {
				t.Errorf("banner shown %v, floating button %v; want the banner %v", shown, button, c.banner)
			}
		})
	}
}

// TestConsentSharedAcrossSubdomains checks that a decision made on www. holds on shop. of the same
// site: the policy names the consent cookie's domain.
func TestConsentSharedAcrossSubdomains(t *testing.T) {
	t.Parallel()
	tb, _ := openBanner(t, "www.share.shop.test", desktop, bannerPage("en", "", ""), nil)
	waitFor(t, tb, "first layer on www.", ui+`?.querySelector(".ly")`)
	eval[harness.Void](t, tb, ui+`.querySelector("[data-a=accept]").click()`)
	waitFor(t, tb, "decided", `consentry.get().decided`)
	st, domain := bannerState(t, tb, banners.bar.policy, "share.shop.test")
	if !slices.Equal(st.Granted, all) || domain != ".share.shop.test" {
		t.Fatalf("consent cookie on %q: %+v", domain, st)
	}
	serveBanner("shop.share.shop.test", false)
	env.SetPage("shop.share.shop.test", "/", bannerPage("en", "", ""))
	if err := tb.Open("https://shop.share.shop.test/"); err != nil {
		t.Fatal(err)
	}
	if err := tb.WaitReady(); err != nil {
		t.Fatal(err)
	}
	got := eval[map[string]any](t, tb, `({decided: consentry.get().decided, granted: consentry.get().granted, banner: !!document.querySelector("[data-consentry-ui]")})`)
	if got["decided"] != true || got["banner"] != false || mustJSON(got["granted"]) != mustJSON(all) {
		t.Errorf("on shop.: %v", got)
	}
}

// TestReceipts checks consent receipts: each decision is POSTed to the policy's endpoint as
// {id, granted, services, revision, at, source, gpc}, without cookies, and retried once.
func TestReceipts(t *testing.T) {
	t.Parallel()
	setupBanners(t)
	host := siteHost("b-receipt")
	type receipt struct {
		body, cookie, ctype string
	}
	var mu sync.Mutex
	var got []receipt
	env.SetHandler(host, "/api/receipt", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, receipt{string(b), r.Header.Get("Cookie"), r.Header.Get("Content-Type")})
		n := len(got)
		mu.Unlock()
		if r.Method != http.MethodPost || n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable) // the first attempt fails: the page tries once more
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	tb, _ := openBanner(t, host, desktop, bannerPage("en", "", ""), nil)
	waitFor(t, tb, "first layer", ui+`?.querySelector(".ly")`)
	eval[harness.Void](t, tb, ui+`.querySelector("[data-a=accept]").click()`)
	waitFor(t, tb, "banner closed", `!document.querySelector("[data-consentry-ui]")`)
	if !tb.WaitFor(5*time.Second, func() bool { mu.Lock(); defer mu.Unlock(); return len(got) >= 2 }) {
		t.Fatalf("receipts received: %d, want 2 (one retry)", len(got))
	}
	tb.Settle(200*time.Millisecond, 3*time.Second)
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[0].body != got[1].body {
		t.Errorf("receipts %q: want the same one twice", got)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(got[0].body), &r); err != nil {
		t.Fatalf("receipt %q: %v", got[0].body, err)
	}
	keys := make([]string, 0, len(r))
	for k := range r {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"at", "gpc", "granted", "id", "revision", "services", "source"}; !slices.Equal(keys, want) {
		t.Errorf("receipt fields %q, want %q (nothing that identifies the visitor)", keys, want)
	}
	st, _ := bannerState(t, tb, banners.bar.policy, host)
	at, err := time.Parse(time.RFC3339, r["at"].(string))
	if r["id"] != st.ID || mustJSON(r["granted"]) != mustJSON(all) || r["revision"] != banners.bar.policy.Revision ||
		r["source"] != "banner" || r["gpc"] != false || err != nil || time.Since(at) > time.Minute || at.Unix() != st.At {
		t.Errorf("receipt %v for the decision %+v", r, st)
	}
	if got[0].cookie != "" {
		t.Errorf("the receipt request carried cookies: %q", got[0].cookie)
	}
}

// TestPlaceholders checks the click-to-load placeholder of a held iframe: the service's name, what
// loading means, "Load this once" (this iframe only, no decision) and "Always allow" (the service).
func TestPlaceholders(t *testing.T) {
	t.Parallel()
	body := `<div id="v"></div><script>
for (const n of ["yt1", "yt2"]) document.getElementById("v").append(Object.assign(document.createElement("iframe"),
  {src: "https://www.youtube.com/embed/probe.html?probe=" + n, width: 560, height: 315, title: "Video " + n}));
</script><script async src="https://connect.facebook.net/en_US/p.js?probe=meta"></script>`
	tb, host := openBanner(t, "b-placeholder", desktop, bannerPage("en", "", body), nil)
	waitFor(t, tb, "placeholders", `document.querySelectorAll("[data-consentry-placeholder]").length === 2`)
	ph := `[...document.querySelectorAll("[data-consentry-placeholder]")]`
	got := eval[[]string](t, tb, `(() => { const r = `+ph+`[0].shadowRoot, b = `+ph+`[0].getBoundingClientRect();
  return [...r.querySelectorAll("p, button")].map((e) => e.textContent).concat([r.querySelector(".ph").getAttribute("role"), b.width + "x" + b.height]); })()`)
	want := []string{"YouTube is blocked by your cookie choices.",
		"Loading this content lets YouTube set cookies and learn about your visit (Marketing).",
		"Load this once", "Always allow YouTube", "group", "564x319"} // the iframe's box: 560×315 and its 2 px border
	if !slices.Equal(got, want) {
		t.Errorf("placeholder %q\nwant %q", got, want)
	}
	loaded := func(name string) bool {
		for _, r := range env.Server.From(host) {
			if strings.Contains(r.URL, "probe="+name) {
				return true
			}
		}
		return false
	}
	eval[harness.Void](t, tb, ph+`[0].shadowRoot.querySelector("[data-a=once]").click()`)
	if !tb.WaitFor(5*time.Second, func() bool { return loaded("yt1") }) {
		t.Fatal("Load this once did not load the iframe")
	}
	tb.Settle(200*time.Millisecond, 3*time.Second)
	if loaded("yt2") || eval[bool](t, tb, `consentry.get().decided`) {
		t.Errorf("Load this once loaded the other iframe too (%v) or recorded a decision", loaded("yt2"))
	}
	eval[harness.Void](t, tb, `document.querySelector("[data-consentry-placeholder]").shadowRoot.querySelector("[data-a=always]").click()`)
	if !tb.WaitFor(5*time.Second, func() bool { return loaded("yt2") }) {
		t.Fatal("Always allow did not load the other iframe")
	}
	tb.Settle(200*time.Millisecond, 3*time.Second)
	st, _ := bannerState(t, tb, banners.bar.policy, host)
	if !slices.Equal(st.Granted, []string{"necessary"}) || !slices.Equal(st.GrantedServices, []string{"youtube"}) || st.Source != consent.SourcePlaceholder {
		t.Errorf("after Always allow: %+v", st)
	}
	if slices.Contains(probes(tb), "meta") {
		t.Error("allowing YouTube released the rest of Marketing")
	}
	if n := eval[int](t, tb, `document.querySelectorAll("[data-consentry-placeholder]").length`); n != 0 {
		t.Errorf("%d placeholders left", n)
	}
}

// TestBannerSmallScreens checks the layout at 320 CSS pixels and at 200 % zoom (a 1280×720
// window): nothing wider than the screen, the banner and the dialog within it, every button
// whole and at least 44 px tall (WCAG 2.5.5 target size).
func TestBannerSmallScreens(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		v    view
	}{
		{"320px", view{width: 320, height: 568, scale: 2, mobile: true}},
		{"zoom-200", view{width: 640, height: 360, scale: 2}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tb, _ := openBanner(t, "b-small-"+c.name, c.v, bannerPage("pl", "", ""), nil) // Polish: the longest words
			waitFor(t, tb, "first layer", ui+`?.querySelector(".ly")`)
			fits := `((sel) => { const out = [], W = document.documentElement.clientWidth, H = innerHeight;
  const box = ` + ui + `.querySelector(sel), r = box.getBoundingClientRect();
  if (r.left < 0 || r.right > W || r.top < 0 || r.bottom > H) out.push(sel + " outside the viewport: " + JSON.stringify(r));
  if (document.documentElement.scrollWidth > W) out.push("the page scrolls sideways");
  for (const e of box.querySelectorAll("*")) if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "auto") out.push(e.tagName + "." + e.className + " overflows: " + e.scrollWidth + " > " + e.clientWidth);
  for (const b of box.querySelectorAll("button")) {
    b.scrollIntoView({block: "nearest"});
    const q = b.getBoundingClientRect();
    if (q.height < 44 || q.width < 44) out.push(b.textContent + ": " + q.width + "x" + q.height);
    if (q.left < r.left || q.right > r.right) out.push(b.textContent + " cut off");
  }
  return out; })`
			for _, p := range eval[[]string](t, tb, fits+`(".ly")`) {
				t.Errorf("first layer: %s", p)
			}
			eval[harness.Void](t, tb, `consentry.showPreferences()`)
			waitFor(t, tb, "dialog", ui+`?.querySelector("dialog.dlg:modal")`)
			eval[harness.Void](t, tb, ui+`.querySelectorAll("details").forEach((d) => d.toggleAttribute("open", true))`)
			for _, p := range eval[[]string](t, tb, fits+`("dialog.dlg")`) {
				t.Errorf("dialog: %s", p)
			}
			// The footer's buttons stay in view while the body scrolls.
			if !eval[bool](t, tb, `[...`+ui+`.querySelectorAll(".ft button")].every((b) => { const q = b.getBoundingClientRect(); return q.top >= 0 && q.bottom <= innerHeight; })`) {
				t.Error("the dialog's buttons are not all in view")
			}
		})
	}
}
