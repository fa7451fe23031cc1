//go:build js && wasm

// Command engine is Consentry's page module: the Go engine compiled to WebAssembly. The gate
// (wasm/gate.js) loads it; main reads the policy and the visitor's consent, hands the gate its
// decision functions (exports.go) and the JS API's implementation, and settles what the gate held.
//
// This is a thin adapter: every decision is consent's (consent.Decider, consent/page.go).
package main

import (
	"syscall/js"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/wasm/snapshot"
)

// compiledPolicy is the policy in its compact form (consent.MarshalBinary). `consentry build`
// supplies it in a generated file (see wasm/build.go); the generic build leaves it empty and reads
// the JSON policy the gate fetched from the tag's data-policy URL.
var compiledPolicy string

// The engine's state. The page is single-threaded and Go runs only when the gate calls it, so
// there is no locking.
var (
	gate    js.Value // the gate's private object (never on window)
	win     js.Value
	policy  *consent.Policy
	state   consent.State
	decider *consent.Decider
	cats    []consent.Reason // per category, for explicit markup
	gpc     bool
	host    string
	scheme  string
	lang    string
	rec     snapshot.Recorder

	// benchHooks run before the engine reports ready (bench.go, in benchmark builds only).
	benchHooks []func()
)

func main() {
	gate = js.Global().Get("consentryGate")
	win = js.Global().Get("window")
	p, err := readPolicy()
	if err != nil {
		// Fail closed: nothing held is released, the page keeps working.
		gate.Call("fail", "consentry: "+err.Error())
		return
	}
	policy = p
	gpc = gate.Get("gpc").Bool()
	loc := win.Get("location")
	host = loc.Get("hostname").String()
	scheme = "https"
	if loc.Get("protocol").String() == "http:" {
		scheme = "http"
	}
	lang = chooseLanguage()
	st, _ := p.DecodeState(consentCookie(), now())
	setState(st)

	gate.Set("apiSet", js.FuncOf(apiSet))
	gate.Set("showPreferences", js.FuncOf(func(js.Value, []js.Value) any { guard(showPreferences); return nil }))
	gate.Set("placeholder", js.FuncOf(placeholder))

	names := make([]any, len(p.Services))
	for i := range p.Services {
		names[i] = []any{p.Services[i].ID, p.CategoryOf(i).ID}
	}
	for _, h := range benchHooks {
		h()
	}
	gate.Call("ready", names, stateValue())
	startUI()
	select {}
}

// setState makes st the visitor's consent for every later decision.
func setState(st consent.State) {
	state = st
	decider = policy.Decider(st, gpc, host)
	cats = policy.CategoryReasons(st, gpc)
	rec.Reset()
}

// consentCookie returns the consent cookie's value as the browser holds it.
func consentCookie() string {
	for name, value := range consent.ParseCookieHeader(gate.Call("cookie").String()) {
		if name == policy.Consent.Cookie {
			return value
		}
	}
	return ""
}

// stateValue is the state as consentry.get() returns it.
func stateValue() js.Value {
	granted := make([]any, 0, len(policy.Categories))
	for i, c := range policy.Categories {
		if cats[i] == consent.ReasonRequired || cats[i] == consent.ReasonGranted {
			granted = append(granted, c.ID)
		}
	}
	at := js.Null()
	if state.Decided {
		// JS formats the date: Go's time formatting would add its tables to every download.
		at = win.Get("Date").New(float64(state.At) * 1000).Call("toISOString")
	}
	return js.ValueOf(map[string]any{
		"decided":  state.Decided,
		"granted":  granted,
		"revision": policy.Revision,
		"at":       at,
		"source":   state.Source.String(),
	})
}

// now is the time in unix seconds, from the browser's clock. The engine does not import the time
// package: it would add about 230 KB to the module (see consent/unixtime.go).
func now() int64 { return int64(js.Global().Get("Date").Call("now").Float() / 1000) }
