//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/consentry/consentry/consent"
)

// apiSet implements consentry.set(ids), acceptAll() (true) and rejectAll() (false). The gate passes
// the Cookie Store API's list of the cookies the browser holds (with their domains and paths) as
// the second argument, for a withdrawal to delete every variant.
func apiSet(_ js.Value, args []js.Value) any {
	var st consent.State
	switch a := args[0]; a.Type() {
	case js.TypeBoolean:
		st = grantAll(a.Bool())
	default:
		n := a.Length()
		ids := make([]string, n)
		for i := range ids {
			ids[i] = a.Index(i).String()
		}
		st = grantIDs(ids)
	}
	st.Source = consent.SourceAPI
	held := []js.Value{}
	if len(args) > 1 && args[1].Type() == js.TypeObject {
		for i := 0; i < args[1].Length(); i++ {
			held = append(held, args[1].Index(i))
		}
	}
	decide(st, held)
	return stateValue()
}

// grantAll is the state of "Accept all" (true) or "Reject all" (false).
func grantAll(all bool) consent.State {
	st := consent.State{Decided: true}
	for _, c := range policy.Categories {
		if all || c.Required {
			st.Granted = append(st.Granted, c.ID)
		}
	}
	return st
}

// grantIDs grants the categories and services with the given ids (required categories always).
func grantIDs(ids []string) consent.State {
	st := grantAll(false)
	for _, id := range ids {
		if _, ok := policy.CategoryIndex(id); ok {
			st.Granted = append(st.Granted, id)
		} else if _, ok := policy.ServiceIndex(id); ok {
			st.GrantedServices = append(st.GrantedServices, id)
		}
	}
	return st
}

// decide records st as the visitor's decision: it writes the consent cookie and applies it. A
// decision that withdraws something deletes the revoked services' cookies and storage keys and
// reloads the page, so that code already running stops (DESIGN §4); one that only grants releases
// what was held, without a reload.
func decide(st consent.State, held []js.Value) {
	st.Decided = true
	st.Revision = policy.Revision
	st.At = now()
	st.ID = consent.ConsentID(randomBytes(12))
	value := policy.EncodeState(st)
	gate.Call("setCookie", policy.ConsentCookieLine(value, host, scheme == "https"))
	decoded, err := policy.DecodeState(value, now())
	if err != nil {
		decoded = st // cannot happen for a state just encoded; keep what the visitor chose
	}
	before := decider
	setState(decoded)
	afterDecision() // the banner closes, Consent Mode and the dataLayer hear of it, a receipt goes out
	if !consent.Revokes(before, decider) {
		gate.Call("changed", stateValue())
		return
	}
	withdraw(held)
}

// withdraw deletes what the revoked services stored, then reloads.
func withdraw(list []js.Value) {
	var names []string
	for name := range consent.ParseCookieHeader(gate.Call("cookie").String()) {
		names = append(names, name)
	}
	var held []consent.HeldCookie
	for _, c := range list {
		h := consent.HeldCookie{Name: str(c.Get("name")), Domain: str(c.Get("domain")), Path: str(c.Get("path"))}
		held = append(held, h)
		names = append(names, h.Name)
	}
	path := win.Get("location").Get("pathname").String()
	for _, line := range consent.PageExpiryLines(decider.DeniedCookies(names), held, host, path, scheme == "https") {
		gate.Call("setCookie", line)
	}
	for _, session := range []bool{false, true} {
		keys := gate.Call("storageKeys", session)
		list := make([]string, keys.Length())
		for i := range list {
			list[i] = keys.Index(i).String()
		}
		for _, k := range decider.DeniedStorage(list) {
			gate.Call("removeStorage", session, k)
		}
	}
	gate.Call("removeStorage", false, "consentry:snap")
	// A new navigation rather than location.reload(): a reload restores each iframe's last URL from
	// the session history, which would load a revoked service's iframe before the gate sees it
	// (Chromium 156, 2026-11).
	loc := win.Get("location")
	loc.Call("replace", loc.Get("href"))
}

func str(v js.Value) string {
	if v.Type() != js.TypeString {
		return ""
	}
	return v.String()
}

// randomBytes reads n bytes from crypto.getRandomValues (crypto/rand would link Go's DRBG into
// every download).
func randomBytes(n int) []byte {
	a := js.Global().Get("Uint8Array").New(n)
	win.Get("crypto").Call("getRandomValues", a)
	b := make([]byte, n)
	js.CopyBytesToGo(b, a)
	return b
}
