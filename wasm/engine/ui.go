//go:build js && wasm

package main

import (
	"strconv"
	"syscall/js"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/wasm/banner"
)

// The banner: the first layer, the preferences dialog (ui_prefs.go), the floating button and the
// click-to-load placeholders (ui_placeholder.go). What they show is wasm/banner's model; these
// files only put it into the static markup (ui_markup.go), in shadow roots, with textContent and
// setAttribute: the policy's texts are data and never markup.
//
// Focus (WCAG 2.4.3, 2.4.7): the first layer takes focus when it appears unless the visitor is
// typing in a form field; modal dialogs (the preferences, and the first layer when the policy asks
// for a modal one) are native <dialog>s opened with showModal, which makes the page inert and keeps
// Tab inside; focus goes back where it was when they close.
//
// Size: the small DOM helpers below are //go:noinline. Every syscall/js call site costs the module
// some 60 wasm instructions of argument conversion and stack unwinding; inlined into each caller,
// the helpers cost several kilobytes more than the calls to them.

var (
	uiRoot     js.Value // the shadow root of the banner's host, while it is in the page
	layer      js.Value // the first layer, while it is shown
	layerRet   js.Value // the element focused when the first layer appeared
	fabHost    js.Value // the floating button's host, while it is shown
	tplContent js.Value // the parsed markup
)

func doc() js.Value { return win.Get("document") }

// part returns a fresh copy of the markup's part named name.
//
//go:noinline
func part(name string) js.Value {
	if !tplContent.Truthy() {
		t := doc().Call("createElement", "template")
		t.Set("innerHTML", markup) // static markup, no data in it
		tplContent = t.Get("content")
	}
	p := tplContent.Call("querySelector", "[data-p="+name+"]").Call("cloneNode", true)
	p.Call("removeAttribute", "data-p")
	return p
}

//go:noinline
func q(n js.Value, sel string) js.Value { return n.Call("querySelector", sel) }

// kid returns n's i-th child element.
//
//go:noinline
func kid(n js.Value, i int) js.Value { return n.Get("children").Index(i) }

//go:noinline
func each(n js.Value, sel string, fn func(e js.Value)) {
	l := n.Call("querySelectorAll", sel)
	for i := 0; i < l.Length(); i++ {
		fn(l.Index(i))
	}
}

//go:noinline
func attr(e js.Value, name, value string) { e.Call("setAttribute", name, value) }

// setText gives e the text s (textContent: never parsed as markup), marked with its language when
// it differs from the banner's (a policy text that fell back to another language; WCAG 3.1.2).
//
//go:noinline
func setText(e js.Value, s, tag string) {
	e.Set("textContent", s)
	if tag != "" && tag != lang {
		attr(e, "lang", tag)
	}
}

// optText is setText, or removes e when s is empty.
//
//go:noinline
func optText(e js.Value, s, tag string) {
	if s == "" {
		e.Call("remove")
	} else {
		setText(e, s, tag)
	}
}

// localize fills n's banner texts (data-t, data-l), the policy's link (data-href) and what GPC
// decided (.gpc), or removes the link and the note when there are none.
func localize(n js.Value, m *banner.Model) {
	t := m.Texts
	each(n, "[data-t]", func(e js.Value) { e.Set("textContent", t.Named(e.Call("getAttribute", "data-t").String())) })
	each(n, "[data-l]", func(e js.Value) { attr(e, "aria-label", t.Named(e.Call("getAttribute", "data-l").String())) })
	each(n, "[data-href]", func(e js.Value) {
		if m.PolicyURL == "" {
			e.Call("remove")
		} else {
			attr(e, "href", m.PolicyURL)
		}
	})
	each(n, ".gpc", func(e js.Value) { optText(e, m.GPCNote, "") })
}

// on calls fn for event ev on e. The callbacks live as long as the page: there are few.
//
//go:noinline
func on(e js.Value, ev string, fn func(ev js.Value)) {
	e.Call("addEventListener", ev, js.FuncOf(func(_ js.Value, a []js.Value) any {
		guard(func() { fn(a[0]) })
		return nil
	}))
}

// guard runs fn and stops a panic in it: a fault in the banner must not end the engine, which
// keeps deciding every cookie, storage key and request of the page.
//
//go:noinline
func guard(fn func()) {
	defer func() {
		if r := recover(); r != nil {
			win.Get("console").Call("error", "consentry: the banner failed", js.ValueOf(errorText(r)))
		}
	}()
	fn()
}

func errorText(r any) string {
	switch e := r.(type) {
	case error:
		return e.Error()
	case string:
		return e
	}
	return "panic"
}

// act calls fn with the data-a action of every click on an element that has one, under root.
//
//go:noinline
func act(root js.Value, fn func(action string)) {
	on(root, "click", func(ev js.Value) {
		if a := ev.Get("target").Call("closest", "[data-a]"); !a.IsNull() {
			fn(a.Call("getAttribute", "data-a").String())
		}
	})
}

// newHost appends a host element carrying attr to the page and returns its shadow root, with the
// style sheet in it.
func newHost(name string) (host, root js.Value) {
	host = doc().Call("createElement", "div")
	attr(host, name, "")
	root = host.Call("attachShadow", obj("mode", "open"))
	style := doc().Call("createElement", "style")
	style.Set("textContent", css)
	root.Call("appendChild", style)
	parent := doc().Get("body")
	if !parent.Truthy() {
		parent = doc().Get("documentElement")
	}
	parent.Call("appendChild", host)
	return host, root
}

// bannerRoot returns the banner's shadow root, creating its host.
func bannerRoot() js.Value {
	if !uiRoot.Truthy() {
		_, uiRoot = newHost("data-consentry-ui")
		act(uiRoot, func(a string) {
			switch a {
			case "accept", "reject":
				choose(banner.All(policy, a == "accept", gpc))
			case "prefs":
				showPreferences()
			case "save":
				savePreferences()
			case "close":
				prefs.Call("close")
			}
		})
	}
	return uiRoot
}

// chooseLanguage picks the banner's language: <html lang>, then navigator.languages.
func chooseLanguage() string {
	var c []string
	if l := doc().Get("documentElement").Call("getAttribute", "lang"); l.Type() == js.TypeString {
		c = append(c, l.String())
	}
	ls := win.Get("navigator").Get("languages")
	for i := 0; ls.Type() == js.TypeObject && i < ls.Length(); i++ {
		c = append(c, ls.Index(i).String())
	}
	return banner.ChooseLanguage(policy, c)
}

func model() *banner.Model { return banner.Build(policy, decider, cats, gpc, lang) }

// startUI runs once the engine is ready: it signals the stored decision (Consent Mode, the
// dataLayer), shows the first layer when there is no decision to apply (or the floating button
// when there is), and makes every [data-consentry-open] element open the preferences.
func startUI() {
	signalConsent("consentry_ready")
	// One listener for the whole document, in the capture phase: it also serves elements added
	// later, and runs before the site's own handlers could stop the event.
	doc().Call("addEventListener", "click", js.FuncOf(func(_ js.Value, a []js.Value) any {
		t := a[0].Get("target")
		if t.Get("closest").Type() == js.TypeFunction && !t.Call("closest", "[data-consentry-open]").IsNull() {
			a[0].Call("preventDefault")
			guard(showPreferences)
		}
		return nil
	}), true)
	guard(func() {
		if banner.NeedsBanner(policy, state, cats) {
			showFirstLayer()
		} else {
			showButton()
		}
	})
}

// afterDecision updates the page for a decision the visitor or the site just made: the banner
// closes, the signals go out, a receipt is sent.
func afterDecision() {
	guard(closeUI)
	signalConsent("consentry_change")
	sendReceipt()
	guard(showButton)
}

// choose records a decision made in the banner. Like the JS API (gate.js, call), it first asks the
// Cookie Store API for the cookies the browser holds, so that a withdrawal deletes every domain
// and path variant of them.
func choose(st consent.State) {
	st.Source = consent.SourceBanner
	cs := win.Get("cookieStore")
	if !cs.Truthy() {
		decide(st, nil)
		return
	}
	done := js.FuncOf(func(_ js.Value, a []js.Value) any {
		var held []js.Value
		if l := a[0]; l.Type() == js.TypeObject && l.Get("length").Type() == js.TypeNumber {
			for i := 0; i < l.Length(); i++ {
				held = append(held, l.Index(i))
			}
		}
		decide(st, held)
		return nil
	})
	cs.Call("getAll").Call("then", done, done)
}

// showFirstLayer shows the first layer: title, text, the policy's link, what GPC decided, and
// Accept all, Reject all and Preferences (ui_markup.go).
func showFirstLayer() {
	if layer.Truthy() {
		return
	}
	m := model()
	root := bannerRoot()
	box := part("bar")
	if m.Modal {
		box = part("modal")
	}
	attr(box, "lang", lang)
	localize(box, m)
	if m.GPCNote != "" {
		attr(box, "aria-describedby", "cy-d cy-g")
	}
	root.Call("appendChild", box)
	layer = box
	layerRet = deepActive()
	if m.Modal {
		// Esc closes a modal dialog; the first layer waits for a choice, so it opens again.
		on(box, "cancel", func(ev js.Value) { ev.Call("preventDefault") })
		on(box, "close", func(js.Value) {
			if layer.Equal(box) {
				box.Call("showModal")
			}
		})
		box.Call("showModal")
		focus(box)
		return
	}
	if !typing(layerRet) {
		focus(box)
	}
}

// closeUI removes the first layer and the preferences dialog, and gives focus back to where it
// was before the banner took it, if the banner still has it.
func closeUI() {
	hadFocus := uiRoot.Truthy() && doc().Get("activeElement").Equal(uiRoot.Get("host"))
	if prefs.Truthy() {
		d := prefs
		prefs = js.Value{}
		d.Call("close")
	}
	if uiRoot.Truthy() {
		uiRoot.Get("host").Call("remove")
		uiRoot, layer = js.Value{}, js.Value{}
	}
	// The dialog's opener, unless it was in the banner just removed: then what had focus before.
	ret := prefsRet
	if !ret.Truthy() || !ret.Get("isConnected").Bool() {
		ret = layerRet
	}
	layerRet, prefsRet = js.Value{}, js.Value{}
	if hadFocus || doc().Get("activeElement").Equal(doc().Get("body")) {
		restoreFocus(ret)
	}
}

// deepActive returns the focused element, inside shadow roots too.
func deepActive() js.Value {
	a := doc().Get("activeElement")
	for a.Truthy() {
		sr := a.Get("shadowRoot")
		if !sr.Truthy() || !sr.Get("activeElement").Truthy() {
			break
		}
		a = sr.Get("activeElement")
	}
	return a
}

// typing reports whether e is a field that takes text: the banner does not take focus from it.
func typing(e js.Value) bool {
	if !e.Truthy() {
		return false
	}
	return e.Get("isContentEditable").Truthy() ||
		e.Call("matches", "textarea,select,input:not([type=button],[type=submit],[type=reset],[type=checkbox],[type=radio],[type=image],[type=range],[type=color],[type=file])").Bool()
}

// restoreFocus focuses e again if it is still in the page (else leaves focus on the body).
func restoreFocus(e js.Value) {
	if e.Truthy() && e.Get("isConnected").Bool() && !e.Equal(doc().Get("body")) {
		focus(e)
	} else if a := doc().Get("activeElement"); a.Truthy() {
		a.Call("blur")
	}
}

// showButton shows the floating button that reopens the preferences, when the policy asks for it
// and the visitor has decided.
func showButton() {
	if !policy.Banner.Button || fabHost.Truthy() || !state.Decided {
		return
	}
	host, root := newHost("data-consentry-reopen")
	fabHost = host
	b := part("fab")
	attr(b, "lang", lang)
	root.Call("appendChild", b)
	localize(root, model())
	act(root, func(string) { showPreferences() })
}

// obj is the JS object {key: value}. (A Go map literal would inline the runtime's map code at each
// use.)
//
//go:noinline
func obj(key string, value any) js.Value {
	o := js.Global().Get("Object").New()
	o.Set(key, value)
	return o
}

// focus focuses e without scrolling the page to it.
//
//go:noinline
func focus(e js.Value) { e.Call("focus", obj("preventScroll", true)) }

func itoa(i int) string { return strconv.Itoa(i) }

func atoi(s string) (int, error) { return strconv.Atoi(s) }
