//go:build js && wasm

// Command worker is Consentry's edge worker for Cloudflare Workers: edge.Handler served through
// github.com/syumai/workers, with the entry module edge/worker/entry.mjs, which keeps one Go
// instance per isolate, carries headers across the JS/Go boundary intact (boundary.go), and keeps
// bodies that Go does not change out of Go (bodies.go).
//
//	make worker    # GOOS=js GOARCH=wasm go build with edge/internal/workerbuild's flags
//
// Configuration comes from the worker's environment bindings: CONSENTRY_POLICY (the policy file's
// JSON, as text or as a JSON object), CONSENTRY_ORIGIN (empty: each request goes on to its own URL,
// the zone's origin), CONSENTRY_TIMEOUT, CONSENTRY_ASSET_PREFIX, and ASSETS, the static-assets
// binding holding the page module's files. CONSENTRY_MINIFY is refused: this build cannot minify
// (see edge/minify_js.go).
package main

import (
	"net/http"
	"syscall/js"

	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare/fetch"

	"github.com/consentry/consentry/edge"
)

func main() {
	// The instance lives as long as the isolate, and its WebAssembly memory never shrinks. No GC
	// tuning is needed to keep it flat: bodies that Go does not change never enter it, and those
	// it rewrites go through pooled buffers into the entry module's streams, with little garbage
	// per chunk (edgebench: under 1 MB of growth while 100 MB of HTML stream through).
	b := newBoundary()
	h, err := newHandler(b)
	var handler http.Handler
	if err != nil {
		// A broken configuration answers every request with what is wrong, instead of a crash the
		// site owner would have to dig out of the logs.
		msg := "500 Consentry edge misconfigured: " + err.Error()
		handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, msg, http.StatusInternalServerError)
		})
	} else {
		handler = h
	}
	workers.ServeNonBlock(b.wrap(handler))
	workers.Ready()
	// Never return: the instance serves every request of the isolate (workers.Serve would return
	// after the first response, and the library's entry module starts a new instance each time).
	select {}
}

func newHandler(b *boundary) (*edge.Handler, error) {
	env := js.Global().Get("context").Get("env")
	getenv := func(name string) string { return envString(env, name) }
	c, err := edge.ConfigFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	c.Policy = []byte(getenv("CONSENTRY_POLICY"))
	h, err := edge.NewHandler(c)
	if err != nil {
		return nil, err
	}
	b.setTimeout(c.Timeout)
	origin := fetch.NewClient(fetch.WithBinding(b.namespace())).HTTPClient(fetch.RedirectModeManual).Transport
	h.Transport = b.transport(origin)
	h.ModifyResponse = passOriginBody
	h.FlushDelay = -1 // each write goes to the visitor's stream as it is made (bodies.go)
	if assets := env.Get("ASSETS"); assets.Type() == js.TypeObject {
		bound := fetch.NewClient(fetch.WithBinding(assets)).HTTPClient(fetch.RedirectModeManual).Transport
		h.Assets = edge.FetchAssets(bound)
	}
	return h, nil
}

// envString reads a binding as text: strings as they are, JSON values (a policy given as an
// object in wrangler.jsonc's vars) as JSON, anything else as "".
func envString(env js.Value, name string) string {
	if env.Type() != js.TypeObject {
		return ""
	}
	v := env.Get(name)
	switch v.Type() {
	case js.TypeString:
		return v.String()
	case js.TypeObject, js.TypeNumber, js.TypeBoolean:
		return js.Global().Get("JSON").Call("stringify", v).String()
	}
	return ""
}
