//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/consentry/consentry/consent"
)

// A minimal first layer and preferences dialog, so that a visitor can decide until the banner
// issue replaces them: plain DOM in a shadow root (isolated from the site's CSS), Accept all
// and Reject all of equal prominence, a native <dialog> for keyboard and screen-reader access.

var words = map[string][6]string{
	"en": {"We use cookies", "Accept all", "Reject all", "Preferences", "Save choices", "Allow and load"},
	"nb": {"Vi bruker informasjonskapsler", "Godta alle", "Avvis alle", "Innstillinger", "Lagre valgene", "Tillat og last inn"},
}

func word(i int) string {
	w, ok := words[lang]
	if !ok && len(lang) >= 2 {
		w, ok = words[lang[:2]]
	}
	if !ok {
		w = words["en"]
	}
	return w[i]
}

const css = `:host{all:initial}
.l{position:fixed;z-index:2147483647;left:1rem;right:1rem;bottom:1rem;max-width:40rem;margin:auto;padding:1rem;
background:#fff;color:#111;font:16px/1.4 system-ui,sans-serif;border:1px solid #888;border-radius:.5rem;box-shadow:0 2px 12px #0004}
.b{display:flex;gap:.5rem;flex-wrap:wrap;margin-top:.75rem}
button{font:inherit;padding:.5rem 1rem;border:2px solid #111;border-radius:.25rem;background:#fff;color:#111;cursor:pointer}
button.p{background:#111;color:#fff}
dialog{font:16px/1.4 system-ui,sans-serif;max-width:36rem}
label{display:block;margin:.5rem 0}`

var root js.Value // the shadow root, once created

func doc() js.Value { return win.Get("document") }

func el(tag, class, text string) js.Value {
	e := doc().Call("createElement", tag)
	if class != "" {
		e.Set("className", class)
	}
	if text != "" {
		e.Set("textContent", text)
	}
	return e
}

func button(text, class string, fn func()) js.Value {
	b := el("button", class, text)
	b.Set("type", "button")
	b.Call("addEventListener", "click", js.FuncOf(func(js.Value, []js.Value) any { fn(); return nil }))
	return b
}

func shadow() js.Value {
	if root.Truthy() {
		return root
	}
	h := el("div", "", "")
	h.Call("setAttribute", "data-consentry-ui", "")
	doc().Get("documentElement").Call("appendChild", h)
	root = h.Call("attachShadow", map[string]any{"mode": "open"})
	root.Call("appendChild", el("style", "", css))
	return root
}

func closeUI() {
	if root.Truthy() {
		root.Get("host").Call("remove")
		root = js.Value{}
	}
}

func choose(st consent.State) {
	st.Source = consent.SourceBanner
	closeUI()
	decide(st, nil)
}

// showFirstLayer shows the first layer: the site's name, Accept all, Reject all, Preferences.
func showFirstLayer() {
	r := shadow()
	box := el("section", "l", "")
	box.Call("setAttribute", "role", "region")
	box.Call("setAttribute", "aria-label", word(0))
	box.Call("appendChild", el("strong", "", word(0)))
	box.Call("appendChild", el("p", "", policy.Site))
	row := el("div", "b", "")
	// Accept all and Reject all look the same: neither is the easier choice (EDPB guidelines 03/2022).
	row.Call("appendChild", button(word(1), "p", func() { choose(grantAll(true)) }))
	row.Call("appendChild", button(word(2), "p", func() { choose(grantAll(false)) }))
	row.Call("appendChild", button(word(3), "", showPreferences))
	box.Call("appendChild", row)
	r.Call("appendChild", box)
}

// showPreferences opens a dialog with a choice per category.
func showPreferences() {
	r := shadow()
	d := el("dialog", "", "")
	d.Call("setAttribute", "aria-label", word(3))
	d.Call("appendChild", el("h2", "", word(3)))
	boxes := make([]js.Value, len(policy.Categories))
	for i, c := range policy.Categories {
		l := el("label", "", "")
		cb := el("input", "", "")
		cb.Set("type", "checkbox")
		cb.Set("checked", cats[i] == consent.ReasonRequired || cats[i] == consent.ReasonGranted)
		cb.Set("disabled", c.Required)
		boxes[i] = cb
		l.Call("appendChild", cb)
		l.Call("append", " "+c.Label.In(lang, policy.DefaultLanguage()))
		d.Call("appendChild", l)
		if desc := c.Description.In(lang, policy.DefaultLanguage()); desc != "" {
			d.Call("appendChild", el("p", "", desc))
		}
	}
	row := el("div", "b", "")
	row.Call("appendChild", button(word(4), "p", func() {
		var ids []string
		for i, cb := range boxes {
			if cb.Get("checked").Bool() {
				ids = append(ids, policy.Categories[i].ID)
			}
		}
		choose(grantIDs(ids))
	}))
	row.Call("appendChild", button(word(1), "", func() { choose(grantAll(true)) }))
	row.Call("appendChild", button(word(2), "", func() { choose(grantAll(false)) }))
	d.Call("appendChild", row)
	r.Call("appendChild", d)
	d.Call("showModal")
}

// placeholder shows, in place of an iframe the visitor has not allowed, what it is and a button
// that allows its service (DESIGN §4: "a placeholder offers to load it").
func placeholder(_ js.Value, args []js.Value) any {
	frame, svc := args[0], args[1].Int()-1
	if frame.Get("__consentryPlaceholder").Truthy() || frame.Get("parentNode").IsNull() {
		return nil
	}
	text := "This content is blocked by your cookie choices."
	var allow func()
	if svc >= 0 && svc < len(policy.Services) {
		s := &policy.Services[svc]
		text = s.Provider + " (" + policy.CategoryOf(svc).Label.In(lang, policy.DefaultLanguage()) + ")"
		id := s.ID
		allow = func() {
			st := state
			st.Source = consent.SourcePlaceholder
			st.GrantedServices = append(append([]string(nil), st.GrantedServices...), id)
			decide(st, nil)
		}
	}
	p := el("div", "", "")
	p.Call("setAttribute", "data-consentry-placeholder", "")
	p.Call("setAttribute", "role", "group")
	p.Get("style").Set("cssText", "border:1px dashed #888;padding:1rem;font:14px system-ui,sans-serif")
	p.Call("appendChild", el("p", "", text))
	if allow != nil {
		p.Call("appendChild", button(word(5), "", allow))
	}
	frame.Get("style").Set("display", "none")
	frame.Get("parentNode").Call("insertBefore", p, frame)
	frame.Set("__consentryPlaceholder", p)
	return nil
}
