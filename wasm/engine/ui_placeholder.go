//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/wasm/banner"
)

// placeholder shows, in place of an iframe the visitor has not allowed (the gate calls it with the
// iframe and the service's index + 1, 0 for no service), what it is and what loading it means,
// with a button that loads this one iframe (no decision is recorded) and one that always allows
// its service (DESIGN §4: "a placeholder offers to load it"). It takes the iframe's size, in a
// shadow root of its own.
func placeholder(_ js.Value, args []js.Value) any {
	guard(func() { showPlaceholder(args[0], args[1].Int()-1) })
	return nil
}

func showPlaceholder(frame js.Value, svc int) {
	if frame.Get("__consentryPlaceholder").Truthy() || frame.Get("parentNode").IsNull() {
		return
	}
	t := banner.NewTexts(policy, lang)
	var name, cat, id string
	if svc >= 0 && svc < len(policy.Services) {
		name = banner.ServiceName(policy, svc)
		c := policy.CategoryOf(svc)
		cat = c.Label.In(lang, policy.DefaultLanguage())
		// The GPC signal denies the service whatever the visitor records: no "always" then.
		if !(gpc && c.GPC) {
			id = policy.Services[svc].ID
		}
	} else {
		// A host no service declares, named by its host (an <a> parses the URL without throwing).
		a := doc().Call("createElement", "a")
		a.Set("href", frame.Call("getAttribute", "data-consentry-src"))
		name = a.Get("hostname").String()
	}
	r := frame.Call("getBoundingClientRect")
	host := doc().Call("createElement", "div")
	attr(host, "data-consentry-placeholder", "")
	st := host.Get("style")
	if w := r.Get("width").Int(); w > 0 {
		st.Call("setProperty", "--cy-w", itoa(w)+"px")
	}
	if h := r.Get("height").Int(); h > 0 {
		st.Call("setProperty", "--cy-h", itoa(h)+"px")
	}
	root := host.Call("attachShadow", obj("mode", "open"))
	style := doc().Call("createElement", "style")
	style.Set("textContent", css)
	box := part("ph")
	attr(box, "lang", lang)
	setText(kid(box, 0), t.With(banner.Placeholder, "service", name), "")
	if cat == "" {
		kid(box, 1).Call("remove")
	} else {
		setText(kid(box, 1), t.With(banner.PlaceholderText, "service", name, "category", cat), "")
	}
	always := q(box, "[data-a=always]")
	if id == "" {
		always.Call("remove")
	} else {
		setText(always, t.With(banner.AlwaysAllow, "service", name), "")
	}
	root.Call("appendChild", style)
	root.Call("appendChild", box)
	q(box, "[data-t]").Set("textContent", t.Get(banner.LoadOnce))
	act(root, func(a string) {
		if a == "once" {
			gate.Call("loadOnce", frame)
			return
		}
		st := banner.AllowService(policy, state, id)
		st.Source = consent.SourcePlaceholder
		decide(st, nil)
	})
	frame.Get("style").Call("setProperty", "display", "none", "important")
	frame.Get("parentNode").Call("insertBefore", host, frame)
	frame.Set("__consentryPlaceholder", host)
}
