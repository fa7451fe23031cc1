package edge

import (
	"context"
	"log"
	"mime"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/consentry/consentry/consent"
)

// Handler is a reverse proxy to a site's origin that enforces the visitor's consent (see the
// package documentation for what it does per request). Its behaviour is changed through the hooks
// Rewrite, ModifyResponse and ErrorHandler, each of which runs after the edge's own work and has
// the last word.
//
// A Handler must not be changed after its first request. It is safe for concurrent use.
type Handler struct {
	// Policy is the site's compiled policy. Required: without it every request gets a 500 page.
	Policy *consent.Policy

	// Origin is where requests go: its scheme, host and optional base path (a request for /a with
	// Origin https://origin.example/base goes to https://origin.example/base/a). The outbound Host
	// header is Origin's host; a Rewrite hook that sets pr.Out.Host = pr.In.Host keeps the
	// visitor's. Nil sends each request to its own URL, which on Cloudflare Workers reaches the
	// zone's origin server (natively it would come back to the edge: set Origin).
	Origin *url.URL

	// Transport carries requests to the origin. Nil means NewTransport(DefaultTimeout). On Workers,
	// the command in edge/cmd/worker sets the fetch transport.
	Transport http.RoundTripper

	// Assets serves the page module's files, by the request path below AssetPrefix ("/consentry.js"
	// for "/consentry/consentry.js"): DirAssets natively, FetchAssets on Workers. The edge sets
	// Content-Type and Cache-Control itself. Nil answers 404 under AssetPrefix.
	Assets http.Handler
	// AssetPrefix is the path the assets are served under, with a leading and a trailing "/";
	// "" means "/consentry/". The gate injected into pages is AssetPrefix + "consentry.js".
	AssetPrefix string

	// Minify minifies rewritten HTML (tdewolff/minify). A minified page is sent once complete
	// (up to 2 MiB; longer ones are sent unminified), not as it streams. The js/wasm build (the
	// worker for Cloudflare Workers) cannot minify: there it does nothing (see NewHandler).
	Minify bool

	// FlushDelay is how long a flush of a streamed body (one of unknown length: the pages the edge
	// rewrites, an origin's chunked answers) may wait so that the writes after it go out with it
	// (see flush.go); the end of a body is flushed at once. 0 means DefaultFlushDelay; a negative
	// value flushes after every write, as httputil.ReverseProxy does (the worker for Workers,
	// whose writes go to the visitor's stream as they are made).
	FlushDelay time.Duration

	// Rewrite, if set, is called for every request forwarded to the origin, after the edge has
	// pointed pr.Out at the origin, set the X-Forwarded headers, and removed from pr.Out's Cookie
	// header the cookies the visitor's consent does not allow. It may change pr.Out in any way
	// (headers, URL, Host); what it adds is sent as it is, even a cookie the consent does not
	// allow: the hook is the site's own code. It must not modify pr.In, nor read either body.
	Rewrite func(pr *ProxyRequest)

	// ModifyResponse, if set, is called with every response from the origin, after the edge has
	// removed the Set-Cookie lines the visitor's consent does not allow, added the lines that
	// expire revoked cookies and the consent-derived Content-Security-Policy, and, for HTML,
	// replaced resp.Body with the rewriting stream (Content-Length removed). resp.Request is the
	// outbound request; VisitorFrom(resp.Request.Context()) is the visitor. It may change headers
	// and replace the body (keeping Content-Length and Content-Encoding true to it). A non-nil
	// error sends the response to ErrorHandler instead.
	ModifyResponse func(resp *http.Response) error

	// ErrorHandler, if set, answers requests whose origin could not be reached, did not answer in
	// time, or whose ModifyResponse failed, instead of the edge's error page (502 Bad Gateway, 504
	// Gateway Timeout when the origin timed out: see ErrorStatus). It is called before anything is
	// written to w. Errors after the response has started cannot be answered: the response is cut
	// short so that the browser sees it incomplete.
	ErrorHandler func(w http.ResponseWriter, r *http.Request, err error)

	// ErrorLog receives the proxy's errors; nil means the log package's standard logger.
	ErrorLog *log.Logger

	// Now returns the current time, for consent lifetimes and cookie dates; nil means time.Now.
	Now func() time.Time

	once  sync.Once
	proxy *httputil.ReverseProxy
	csp   cspCache
}

// ProxyRequest is the request the Rewrite hook gets: httputil.ProxyRequest's In (the request the
// edge received, not to be modified) and Out (the request it will send), and the visitor.
type ProxyRequest struct {
	*httputil.ProxyRequest
	Visitor *Visitor
}

// DefaultAssetPrefix is where the page module's files are served unless AssetPrefix says otherwise.
const DefaultAssetPrefix = "/consentry/"

// GPCPath is the Global Privacy Control well-known resource
// (https://privacycg.github.io/gpc-spec/#gpc-support-resource).
const GPCPath = "/.well-known/gpc.json"

func (h *Handler) assetPrefix() string {
	if h.AssetPrefix == "" {
		return DefaultAssetPrefix
	}
	return h.AssetPrefix
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// exchange is the edge's state for one request, from Rewrite to ModifyResponse.
type exchange struct {
	visitor *Visitor
	in      *http.Request
	revoke  []string // cookies the visitor holds and must lose
}

type exchangeKey struct{}

func exchangeFrom(ctx context.Context) *exchange {
	x, _ := ctx.Value(exchangeKey{}).(*exchange)
	return x
}

// VisitorFrom returns the Visitor of a request the Handler handles (the context of the inbound
// request within hooks, and of the outbound request and its response), or nil.
func VisitorFrom(ctx context.Context) *Visitor {
	if x := exchangeFrom(ctx); x != nil {
		return x.visitor
	}
	return nil
}

func (h *Handler) init() {
	transport := h.Transport
	if transport == nil {
		transport = NewTransport(DefaultTimeout)
	}
	h.proxy = &httputil.ReverseProxy{
		Rewrite:        h.rewrite,
		Transport:      transport,
		ModifyResponse: h.modifyResponse,
		ErrorHandler:   h.errorHandler,
		ErrorLog:       h.ErrorLog,
		BufferPool:     bufferPool{},
	}
}

// ServeHTTP answers the GPC resource and the assets itself and proxies everything else.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.once.Do(h.init)
	if h.Policy == nil {
		http.Error(w, "500 edge: no policy configured", http.StatusInternalServerError)
		return
	}
	switch p := r.URL.Path; {
	case p == GPCPath:
		h.serveGPC(w, r)
		return
	case strings.HasPrefix(p, h.assetPrefix()):
		h.serveAsset(w, r)
		return
	}
	x := &exchange{visitor: ReadVisitor(h.Policy, r, h.now()), in: r}
	if delay := h.flushDelay(); delay > 0 {
		fw := &flushDelayWriter{ResponseWriter: w, delay: delay}
		defer fw.stop()
		w = fw
	}
	h.proxy.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), exchangeKey{}, x)))
}

func (h *Handler) flushDelay() time.Duration {
	if h.FlushDelay == 0 {
		return DefaultFlushDelay
	}
	return h.FlushDelay
}

// rewrite is the proxy's Rewrite: the edge's changes to the outbound request, then the hook's.
func (h *Handler) rewrite(pr *httputil.ProxyRequest) {
	x := exchangeFrom(pr.In.Context())
	if h.Origin != nil {
		pr.SetURL(h.Origin)
	} else {
		pr.Out.URL.Scheme = "http"
		if isHTTPS(pr.In) {
			pr.Out.URL.Scheme = "https"
		}
		pr.Out.URL.Host = pr.In.Host
		pr.Out.Host = pr.In.Host
	}
	pr.SetXForwarded()
	if isHTTPS(pr.In) {
		pr.Out.Header.Set("X-Forwarded-Proto", "https") // on Workers the URL says so, not a TLS state
	}
	dropped := x.visitor.filterRequestCookies(pr.Out.Header)
	x.revoke = x.visitor.revokedCookies(dropped)
	if mayGetHTML(pr.In.Header) {
		narrowAcceptEncoding(pr.Out.Header)
	}
	if h.Rewrite != nil {
		h.Rewrite(&ProxyRequest{ProxyRequest: pr, Visitor: x.visitor})
	}
}

// modifyResponse is the proxy's ModifyResponse: the edge's changes to the response, then the hook's.
func (h *Handler) modifyResponse(resp *http.Response) error {
	x := exchangeFrom(resp.Request.Context())
	v := x.visitor
	v.filterSetCookies(resp.Header, x.revoke, x.in, h.now())

	mediaType, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	isHTML := mediaType == "text/html"
	if isHTML || isJavaScriptType(mediaType) {
		addCSP(resp.Header, h.Policy, v, &h.csp)
	}
	if isHTML && resp.StatusCode != http.StatusPartialContent {
		h.rewriteBody(resp, x)
	}
	if h.ModifyResponse != nil {
		return h.ModifyResponse(resp)
	}
	return nil
}

// rewriteBody replaces an HTML response's body with the rewriting stream, keeping Content-Encoding
// true to the bytes, and fixes the headers that described the original bytes.
func (h *Handler) rewriteBody(resp *http.Response, x *exchange) {
	coding := contentCoding(resp.Header)
	if coding != "" && coding != "gzip" {
		h.logf("edge: %s %s: HTML in Content-Encoding %q is passed through unrewritten", x.in.Method, x.in.URL.Path, coding)
		return
	}
	// The body now depends on the visitor's consent, and no longer matches the origin's length,
	// digests and byte ranges.
	resp.Header.Del("Content-Length")
	resp.Header.Del("Content-Md5")
	resp.Header.Del("Content-Digest")
	resp.Header.Del("Repr-Digest")
	resp.Header.Del("Accept-Ranges")
	resp.ContentLength = -1
	if et := resp.Header.Get("Etag"); et != "" && !strings.HasPrefix(et, "W/") {
		resp.Header.Set("Etag", "W/"+et)
	}
	resp.Header.Add("Vary", "Cookie")
	resp.Header.Add("Vary", "Sec-GPC")

	if resp.Body == nil || resp.Body == http.NoBody || x.in.Method == http.MethodHead ||
		resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusNotModified {
		return
	}
	body := resp.Body
	if coding == "gzip" {
		body = &gunzipReader{src: body}
	}
	scheme := "http"
	if isHTTPS(x.in) {
		scheme = "https"
	}
	body = NewHTMLReader(body, HTMLOptions{Decider: x.visitor.Decider, Scheme: scheme,
		GateSrc: h.assetPrefix() + "consentry.js"})
	if h.Minify {
		body = newMinifyReader(body)
	}
	if coding == "gzip" {
		body = newGzipReader(body)
	}
	resp.Body = body
}

// isJavaScriptType reports whether a media type is JavaScript's (a worker script gets its CSP from
// its own response).
func isJavaScriptType(t string) bool {
	return t == "text/javascript" || t == "application/javascript" || t == "application/x-javascript"
}

func (h *Handler) logf(format string, args ...any) {
	if h.ErrorLog != nil {
		h.ErrorLog.Printf(format, args...)
	} else {
		log.Printf(format, args...)
	}
}

// serveGPC answers the GPC support resource: "gpc": true when the policy honours the signal (some
// category is denied by it), false otherwise.
func (h *Handler) serveGPC(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	honours := false
	for _, c := range h.Policy.Categories {
		if c.GPC {
			honours = true
		}
	}
	body := `{"gpc": false}` + "\n"
	if honours {
		body = `{"gpc": true}` + "\n"
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write([]byte(body))
}

// bufferPool recycles the proxy's copy buffers.
type bufferPool struct{}

var copyBuffers = sync.Pool{New: func() any { b := make([]byte, chunkSize); return &b }}

func (bufferPool) Get() []byte  { return *(copyBuffers.Get().(*[]byte)) }
func (bufferPool) Put(b []byte) { copyBuffers.Put(&b) }
