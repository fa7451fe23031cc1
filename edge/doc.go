// Package edge is Consentry's edge worker: an http.Handler, a reverse proxy to a site's origin,
// that enforces the visitor's consent on what a page-side consent manager cannot reach (cookies the
// server sets, and downloads that start before any script runs).
//
// Per request, Handler
//
//  1. reads the consent cookie (the engine's codec, consent.Policy.DecodeState) and Sec-GPC;
//  2. removes the cookies of categories that are not granted from the Cookie header sent to the
//     origin;
//  3. removes every Set-Cookie line of a category that is not granted from the response, and
//     expires the cookies of such categories that the visitor still holds;
//  4. rewrites HTML as it streams through: injects the gate's tag first in <head> where it is
//     missing, and turns each <script src>, <iframe src> and <img src> of a vendor that is not
//     granted into its held form (below), so that the browser never downloads it;
//  5. adds a Content-Security-Policy derived from the consent, when the policy asks for one;
//  6. serves /.well-known/gpc.json and the page module's files under /consentry/;
//  7. passes every other byte through unchanged and streamed. An origin that cannot be reached gives
//     a 502 page, one that does not answer in time a 504.
//
// The same Handler runs natively with net/http (the command in edge/cmd/edge) and on Cloudflare
// Workers through github.com/syumai/workers (the command in edge/cmd/worker, GOOS=js GOARCH=wasm,
// with the entry module in edge/worker/entry.mjs). The package is the library, the commands live
// below it, so that edge.Handler can be imported by other programs and tests.
//
// # The held form
//
// This is the contract between the edge and the page module (wasm/), which releases held elements
// once their category or service is granted.
//
// A held <script> has:
//
//	type="text/plain"                  so that the browser neither fetches nor runs it
//	data-consentry="CATEGORY"          the category id ("" when no service declares the host)
//	data-consentry-service="SERVICE"   the service id (absent when no service declares the host)
//	data-consentry-type="TYPE"         the original type attribute, only when there was one
//	data-consentry-src="URL"           the original src attribute (src itself is removed)
//
// A held <iframe>, <img> or <source> has data-consentry, data-consentry-service and
// data-consentry-src in the same way (src is removed; nothing else changes). A srcset of an <img>
// or <source> is moved to data-consentry-srcset too (a browser loads srcset candidates before src,
// and <picture> sources instead of the <img>).
//
// For example, with analytics not granted,
//
//	<script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>
//
// becomes
//
//	<script async type="text/plain" data-consentry="analytics" data-consentry-service="ga" data-consentry-src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>
//
// The attribute values are the original bytes, with their quoting and character references, so
// releasing is: rename data-consentry-src back to src (and data-consentry-srcset to srcset),
// restore data-consentry-type as type or remove type when there is no data-consentry-type, and, for
// a script, insert a fresh copy of the element (a script whose type changes after insertion does
// not run). The other attributes (async, defer, integrity, crossorigin, ...) are untouched, in
// their place; the new attributes replace src where it stood.
//
// Elements that already carry data-consentry (markup the site held itself), scripts whose type is
// not JavaScript (JSON, importmap, text/plain), and elements inside <svg> and <math> are left as
// they are.
//
// # The gate
//
// Documents (a response whose HTML has a doctype, <html> or <head>) get the gate's tag,
//
//	<script src="/consentry/consentry.js"></script>
//
// as the first element in <head> that loads or runs anything, unless a script whose src ends in
// /consentry.js already comes first there. Only <meta>, <title> and comments may come before it. An
// HTML fragment (no doctype, <html> or <head> before the first other element) gets no tag. A page
// that has the gate later in <head> gets a second, earlier copy: the gate must be idempotent.
package edge
