//go:build js && wasm && consentry_bench

package main

import (
	"syscall/js"

	"github.com/consentry/consentry/consent"
)

// In the benchmark build (wasm/pagebench), the engine also offers a cookie decision through a
// syscall/js callback, the way the hot path would work without //go:wasmexport, so that the bench
// can show what the exports save. It is never in the shipped engine.
func init() {
	benchHooks = append(benchHooks, func() {
		win.Get("consentry").Set("benchDecideFuncOf", js.FuncOf(func(_ js.Value, args []js.Value) any {
			return decider.Cookie(args[0].String()).Allowed
		}))
		_ = consent.KindScript
	})
}
