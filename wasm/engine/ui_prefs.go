//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/consentry/consentry/wasm/banner"
)

var (
	prefs    js.Value // the open preferences dialog
	prefsRet js.Value // the element focused before it opened
)

// showPreferences opens the preferences dialog (a modal <dialog>): a switch per category, required
// ones on and locked, GPC-denied ones off and locked; under each, an expandable list of its
// services, each with its own switch, description, privacy policy and cookie and storage tables;
// the site's cookie policy; Accept all, Reject all and Save. Esc and the close button close it
// without deciding; focus goes back to what opened it.
func showPreferences() {
	if prefs.Truthy() {
		return
	}
	m := model()
	root := bannerRoot()
	prefsRet = deepActive()
	d := part("prefs")
	attr(d, "lang", lang)
	body := kid(d, 1)
	for _, c := range m.Categories {
		body.Call("appendChild", category(m.Texts, c))
	}
	localize(d, m)
	// A category's switch sets its services' switches; a service's own switch then overrides it.
	on(d, "change", func(ev js.Value) {
		t := ev.Get("target")
		if c := t.Call("getAttribute", "data-c"); !c.IsNull() {
			each(d, "[data-sc=\""+c.String()+"\"]", func(s js.Value) { s.Set("checked", t.Get("checked")) })
		}
	})
	on(d, "close", func(js.Value) {
		d.Call("remove")
		if !prefs.Equal(d) {
			return // closed by a decision: closeUI gives focus back
		}
		prefs = js.Value{}
		ret := prefsRet
		prefsRet = js.Value{}
		if !layer.Truthy() && uiRoot.Truthy() {
			uiRoot.Get("host").Call("remove")
			uiRoot = js.Value{}
		}
		restoreFocus(ret)
	})
	root.Call("appendChild", d)
	prefs = d
	d.Call("showModal")
	// The dialog itself takes focus, so that screen readers read its name and description first,
	// and so that the Enter that opened it (a link acts on keydown) cannot press a button in it.
	focus(d)
}

// savePreferences records what the switches say.
func savePreferences() {
	catOn := make([]bool, len(policy.Categories))
	svcOn := make([]bool, len(policy.Services))
	seen := make([]bool, len(policy.Services))
	each(prefs, "input[data-c]", func(s js.Value) {
		if i := index(s, "data-c", len(catOn)); i >= 0 {
			catOn[i] = s.Get("checked").Bool()
		}
	})
	each(prefs, "input[data-s]", func(s js.Value) {
		if i := index(s, "data-s", len(svcOn)); i >= 0 {
			svcOn[i], seen[i] = s.Get("checked").Bool(), true
		}
	})
	for i := range svcOn {
		if !seen[i] { // no switch of its own: its category's
			svcOn[i] = catOn[policy.Services[i].Category]
		}
	}
	choose(banner.StateFor(policy, catOn, svcOn))
}

// index reads e's attribute name as an index below n, or -1.
func index(e js.Value, name string, n int) int {
	i := -1
	if v := e.Call("getAttribute", name); v.Type() == js.TypeString {
		if x, err := atoi(v.String()); err == nil && x < n {
			i = x
		}
	}
	return i
}

// category renders one category: its heading, note, switch and description, and its services.
func category(t *banner.Texts, c banner.Category) js.Value {
	id := "cy-c" + itoa(c.Index)
	sec := part("cat")
	attr(sec, "aria-labelledby", id)
	row, desc, det := kid(sec, 0), kid(sec, 1), kid(sec, 2)
	h, note, sw := kid(row, 0), kid(row, 1), kid(row, 2)
	attr(h, "id", id)
	setText(h, c.Label, c.LabelLang)
	toggle(sw, id, c.On, c.Locked)
	attr(sw, "data-c", itoa(c.Index))
	if c.Note != "" {
		attr(note, "id", id+"n")
		attr(sw, "aria-describedby", id+"n")
	}
	optText(note, c.Note, "")
	optText(desc, c.Description, c.DescriptionLang)
	if len(c.Services) == 0 {
		det.Call("remove")
		return sec
	}
	q(det, "summary").Set("textContent", t.Get(banner.Services)+" ("+itoa(len(c.Services))+")")
	for _, s := range c.Services {
		sid := "cy-s" + itoa(s.Index)
		box := part("svc")
		srow := kid(box, 0)
		sh, ssw := kid(srow, 0), kid(srow, 1)
		attr(sh, "id", sid)
		setText(sh, s.Name, "")
		desc, priv := kid(box, 1), kid(box, 2)
		if c.Locked && c.On {
			ssw.Call("remove") // the services of a required category have no switch of their own
		} else {
			toggle(ssw, sid, s.On, c.Locked)
			attr(ssw, "data-s", itoa(s.Index))
			attr(ssw, "data-sc", itoa(c.Index))
		}
		optText(desc, s.Description, s.DescriptionLang)
		if s.PrivacyURL == "" {
			priv.Call("remove")
		} else {
			a := q(priv, "a")
			attr(a, "href", s.PrivacyURL)
			setText(a, t.With(banner.PrivacyPolicy, "service", s.Name), "")
		}
		table(box, t.Get(banner.Cookies), s.Cookies)
		table(box, t.Get(banner.Storage), s.Storage)
		det.Call("appendChild", box)
	}
	return sec
}

// toggle sets up a switch (a checkbox with role="switch", named by the heading labelledBy).
func toggle(s js.Value, labelledBy string, checked, locked bool) {
	attr(s, "aria-labelledby", labelledBy)
	s.Set("checked", checked)
	s.Set("disabled", locked)
}

// table appends a cookie or storage table to box: name, expiry, purpose.
func table(box js.Value, caption string, items []banner.Item) {
	if len(items) == 0 {
		return
	}
	tb := part("table")
	q(tb, "caption").Set("textContent", caption)
	body := q(tb, "tbody")
	for _, it := range items {
		tr := part("tr")
		q(tr, "code").Set("textContent", it.Name)
		setText(kid(tr, 1), it.Expiry, it.ExpiryLang)
		setText(kid(tr, 2), it.Purpose, it.PurposeLang)
		body.Call("appendChild", tr)
	}
	box.Call("appendChild", tb)
}
