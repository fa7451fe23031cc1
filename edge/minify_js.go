//go:build js && wasm

package edge

import "io"

// HTML minification is left out of the js/wasm build, the worker for Cloudflare Workers:
// tdewolff/minify and what it brings (its HTML and CSS tables, regexp, os/exec) are a third of
// the worker, which would then not fit the Workers Free plan's limit (3 MB after gzip, as of
// 2025-11). NewHandler refuses Config.Minify in this build, so that a worker configured with
// CONSENTRY_MINIFY says why instead of silently not minifying; a site that wants minified pages
// minifies them at the origin or when it builds them.

// minifyAvailable says whether this build can minify.
const minifyAvailable = false

// newMinifyReader returns src as it is (Handler.Minify does nothing in this build).
func newMinifyReader(src io.ReadCloser) io.ReadCloser { return src }
