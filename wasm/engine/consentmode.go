//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/consentry/consentry/wasm/banner"
)

// signalConsent tells the page's tags about the consent in force: Google Consent Mode's "update"
// (when the visitor has decided; the gate sent the "default" before any script ran, see
// wasm/banner/consentmode.go), then a dataLayer event for tag managers, event, with the state as
// consentry.get() returns it: {event: "consentry_ready" | "consentry_change", consentry: {...}}.
// A policy without Consent Mode types leaves window.dataLayer alone unless the site has one.
func signalConsent(event string) {
	enabled := banner.ConsentModeEnabled(policy)
	if enabled && state.Decided {
		params := js.Global().Get("Object").New()
		for _, c := range banner.ConsentModeUpdate(policy, cats) {
			v := "denied"
			if c.Granted {
				v = "granted"
			}
			params.Set(c.Type, v)
		}
		// The gate pushes the update and keeps it for the next page view of this very consent, where
		// it pushes it synchronously right after the default, before the engine runs.
		gate.Call("consentMode", params, policy.Consent.Cookie, consentCookie())
	}
	if enabled || win.Get("dataLayer").Type() == js.TypeObject {
		e := obj("event", event)
		e.Set("consentry", stateValue())
		gate.Call("dataLayer", e)
	}
}
