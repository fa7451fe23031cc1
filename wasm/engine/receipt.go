//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/consentry/consentry/wasm/banner"
)

// sendReceipt POSTs the decision just made to the policy's receiptEndpoint, when it names one:
// {id, granted, services, revision, at, source, gpc} (banner.Receipt), nothing that identifies the
// visitor. The request is fire-and-forget: keepalive (it outlives a reload after a withdrawal),
// without cookies, and retried once a second later if it fails; the page never waits for it.
func sendReceipt() {
	ep := policy.Consent.ReceiptEndpoint
	if ep == "" || !state.Decided {
		return
	}
	r := banner.Receipt{
		ID: state.ID, Granted: state.Granted, Services: state.GrantedServices, Revision: state.Revision,
		At: win.Get("Date").New(float64(state.At) * 1000).Call("toISOString").String(), Source: state.Source.String(), GPC: gpc,
	}
	postReceipt(ep, r.JSON(), 1)
}

// postReceipt posts body, and again a second later when that fails and retries are left. (The
// callbacks are not released: a release links the runtime's map deletion for two functions.)
func postReceipt(url, body string, retries int) {
	gate.Call("post", url, body).Call("then", js.FuncOf(func(_ js.Value, a []js.Value) any {
		if !a[0].Bool() && retries > 0 {
			win.Call("setTimeout", js.FuncOf(func(js.Value, []js.Value) any {
				postReceipt(url, body, retries-1)
				return nil
			}), 1000)
		}
		return nil
	}))
}
