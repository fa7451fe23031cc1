//go:build js && wasm

package main

import (
	"context"
	"errors"
	"log"
	"net/http"
	"strconv"
	"strings"
	"syscall/js"
	"time"

	"github.com/consentry/consentry/edge/internal/jsheader"
)

// This file owns the JS/Go boundary for headers, with the entry module (edge/worker/entry.mjs);
// bodies.go owns it for bodies.
//
// github.com/syumai/workers v0.33.0 converts JS Headers to Go by splitting every value at commas
// (internal/jshttp.ToHeader), which corrupts a Set-Cookie with an Expires date ("Expires=Wed, 21
// Oct 2015 07:28:00 GMT" becomes two lines), an Accept list and a cookie value with a comma. So the
// entry module parks the true header lists in globalThis.context.consentry, and the library carries
// only their key, in the x-consentry-boundary header: wrap swaps in the request's, transport the
// origin response's. Go to JS needs no help: the library appends each Go value on its own.
//
// The boundary also keeps what the JS side would throw on away from it: a header that JS Headers
// rejects (syscall/js turns the exception into a panic, which would end the instance and every
// request in it) is dropped.

const boundaryKey = "X-Consentry-Boundary"

// runtimeEncodingKey marks, inside Go, a response whose body the runtime decoded: Workers' fetch
// hands over bodies decoded (gzip, br) and the Content-Encoding header as the origin sent it, and
// a Response with a Content-Encoding header is encoded again by the runtime on its way out. Inside
// Go the body is what the bytes are (identity, no Content-Encoding); on the way out the coding is
// put back for the runtime to apply.
const runtimeEncodingKey = "X-Consentry-Runtime-Encoding"

type boundary struct {
	obj js.Value
	// The entry module's helpers for bodies (bodies.go).
	passOn, openBody, reader, read, chunk, write, closeBody, abortBody, cancel js.Value
}

func newBoundary() *boundary {
	obj := js.Global().Get("context").Get("consentry")
	return &boundary{obj: obj, passOn: obj.Get("passOn"), openBody: obj.Get("openBody"), reader: obj.Get("reader"), read: obj.Get("read"), chunk: obj.Get("chunk"),
		write: obj.Get("write"), closeBody: obj.Get("close"), abortBody: obj.Get("abort"), cancel: obj.Get("cancel")}
}

// namespace is the object whose fetch method the library's fetch transport calls.
func (b *boundary) namespace() js.Value { return b.obj }

func (b *boundary) setTimeout(d time.Duration) { b.obj.Set("timeoutMs", d.Milliseconds()) }

// take returns a parked header list, once.
func (b *boundary) take(method, id string) (http.Header, bool) {
	if id == "" {
		return nil, false
	}
	v := b.obj.Call(method, id)
	if v.Type() != js.TypeString {
		return nil, false
	}
	return jsheader.Parse(v.String()), true
}

// exchange is the boundary's state for one request: its key, the origin's body as the transport
// got it, and the body stream of the answer.
type exchange struct {
	key        string
	origin     *originBody // the origin's response body, nil before the transport ran
	passOrigin bool        // the answer's body is the origin's, untouched (passOriginBody)
	body       *bodyWriter // the stream of the answer's body, when Go writes it
}

type exchangeKey struct{}

func exchangeFrom(ctx context.Context) *exchange {
	x, _ := ctx.Value(exchangeKey{}).(*exchange)
	return x
}

// wrap gives the handler the request with its true headers, and a ResponseWriter that sends the
// body through the boundary's streams.
func (b *boundary) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get(boundaryKey)
		hdr, ok := b.take("takeRequest", key)
		if !ok {
			http.Error(w, "500 Consentry edge: the worker's entry module is not edge/worker/entry.mjs", http.StatusInternalServerError)
			return
		}
		lib, ok := w.(libraryWriter)
		if !ok {
			http.Error(w, "500 Consentry edge: github.com/syumai/workers is not the version the worker was built for", http.StatusInternalServerError)
			return
		}
		r.Host = hdr.Get("Host")
		if r.Host == "" {
			r.Host = r.URL.Host
		}
		delete(hdr, "Host")
		r.Header = hdr
		r.TransferEncoding = nil
		r.ContentLength = -1
		if cl, err := strconv.ParseInt(hdr.Get("Content-Length"), 10, 64); err == nil && cl >= 0 {
			r.ContentLength = cl
		} else if r.Body == nil {
			r.ContentLength = 0
		}
		if r.ContentLength == 0 && r.Body != nil {
			r.Body = http.NoBody
		}
		x := &exchange{key: key}
		rw := &responseWriter{lib: lib, b: b, x: x, method: r.Method}
		// A response that fails after it started (the origin resets mid-body) must reach the
		// browser cut short, not complete. httputil.ReverseProxy aborts such a response with
		// panic(http.ErrAbortHandler) when it runs under an http.Server, as it does natively; the
		// server marker lets it do so here, and the body stream is then errored, as net/http's
		// server would reset the connection. Any other panic is not ours to handle.
		ctx := context.WithValue(r.Context(), http.ServerContextKey, abortMarker)
		r = r.WithContext(context.WithValue(ctx, exchangeKey{}, x))
		defer func() {
			if v := recover(); v != nil {
				if v != http.ErrAbortHandler {
					panic(v)
				}
				log.Print(errAborted)
				rw.finish(errAborted)
			}
		}()
		next.ServeHTTP(rw, r)
		rw.finish(nil)
	})
}

// abortMarker stands for the http.Server that the worker does not have.
var abortMarker = &http.Server{}

var errAborted = errors.New("consentry: response aborted: the origin's body failed")

// libraryWriter is what the worker needs of the library's ResponseWriter
// (internal/jshttp.ResponseWriter, v0.33.0): Ready makes the library answer the entry module at
// once (it otherwise waits for the first byte of the body or the end of the handler), and
// WriteRawJSBody gives it the body as a JS stream, which it passes on as it is.
type libraryWriter interface {
	http.ResponseWriter
	Ready()
	WriteRawJSBody(body js.Value)
}

// responseWriter puts the runtime's coding back and drops what JS Headers would throw on, before
// the library turns the headers into JS, and sends the body through a stream of the entry
// module's: the origin's own (passOn) or one Go writes to (bodyWriter).
type responseWriter struct {
	lib         libraryWriter
	b           *boundary
	x           *exchange
	method      string
	wroteHeader bool
	noBody      bool // HEAD, or a status without a body
}

func (w *responseWriter) Header() http.Header { return w.lib.Header() }

func (w *responseWriter) WriteHeader(code int) {
	if w.wroteHeader || code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols {
		return // the runtime sends no informational answers
	}
	w.wroteHeader = true
	h := w.Header()
	if enc := h.Get(runtimeEncodingKey); enc != "" {
		delete(h, runtimeEncodingKey)
		if h.Get("Content-Encoding") == "" {
			h.Set("Content-Encoding", enc)
			delete(h, "Content-Length") // the runtime encodes: the length is its business
		}
	}
	jsheader.Sanitize(h)
	length := int64(-1)
	if cl, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64); err == nil && cl >= 0 {
		length = cl
	}
	switch {
	case w.method == http.MethodHead || code == http.StatusNoContent || code == http.StatusResetContent ||
		code == http.StatusNotModified || code == http.StatusSwitchingProtocols:
		w.noBody = true
		w.lib.WriteRawJSBody(js.Null())
	case w.x.passOrigin:
		w.lib.WriteRawJSBody(w.b.passOn.Invoke(w.x.origin.stream, length))
	default:
		w.x.body = w.b.newBodyWriter(length)
		w.lib.WriteRawJSBody(w.x.body.readable)
	}
	w.lib.WriteHeader(code)
	w.lib.Ready()
}

func (w *responseWriter) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	switch {
	case w.x.body != nil:
		return w.x.body.Write(p)
	case w.noBody && w.method != http.MethodHead:
		return 0, http.ErrBodyNotAllowed
	}
	return len(p), nil // a HEAD answer, or the origin's body in its place: nothing to send
}

// Flush does nothing: every Write goes to the visitor's stream at once.
func (w *responseWriter) Flush() {}

// finish ends the answer's body: closed, or errored with err.
func (w *responseWriter) finish(err error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.x.body != nil {
		w.x.body.finish(err)
	}
}

// transport carries requests to the origin through the library's fetch transport (bound to the
// boundary's fetch), and gives the handler the response with its true headers.
func (b *boundary) transport(inner http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		jsheader.Sanitize(req.Header)
		x := exchangeFrom(req.Context())
		res, err := inner.RoundTrip(req)
		if err != nil {
			return nil, originError(err)
		}
		hdr, ok := b.take("takeResponse", res.Header.Get(boundaryKey))
		if !ok {
			res.Body.Close()
			return nil, errors.New("consentry: the origin's response headers were not passed (entry module mismatch)")
		}
		delete(hdr, runtimeEncodingKey)
		res.Header = hdr
		res.ContentLength = -1
		if cl, err := strconv.ParseInt(hdr.Get("Content-Length"), 10, 64); err == nil && cl >= 0 {
			res.ContentLength = cl
		}
		if enc := hdr.Get("Content-Encoding"); enc != "" && !strings.EqualFold(enc, "identity") {
			delete(hdr, "Content-Encoding")
			delete(hdr, "Content-Length")
			res.ContentLength = -1
			hdr.Set(runtimeEncodingKey, enc)
		}
		stream := js.Null()
		if raw, ok := res.Body.(interface{ GetRawJSBody() js.Value }); ok {
			stream = raw.GetRawJSBody()
		}
		switch {
		case req.Method == http.MethodHead, res.StatusCode == http.StatusNoContent,
			res.StatusCode == http.StatusResetContent, res.StatusCode == http.StatusNotModified,
			res.StatusCode < 200, stream.IsNull() || stream.IsUndefined():
			// The JS Response has a null body, which the library's reader cannot read.
			res.Body = http.NoBody
		default:
			// The library's reader of the body is dropped unread: originBody reads the stream
			// itself, or hands it on whole.
			ob := &originBody{b: b, stream: stream, left: res.ContentLength}
			res.Body = ob
			if x != nil {
				x.origin = ob
			}
		}
		res.Request = req
		return res, nil
	})
}

// passOriginBody, the handler's ModifyResponse, hands a body the edge leaves as it is to the
// entry module (passOn), which sends it on stream to stream: copying it through Go would cost a
// promise and a copy each way per chunk, most of a millisecond for a small response, and the edge
// only decides the headers of anything but HTML. It runs after everything the edge does to the
// response (filtering headers, and for HTML, replacing the body).
func passOriginBody(resp *http.Response) error {
	x := exchangeFrom(resp.Request.Context())
	if ob, ok := resp.Body.(*originBody); ok && x != nil && ob == x.origin && !ob.started {
		x.passOrigin = true
		resp.Body = http.NoBody
	}
	return nil
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// originError classifies the entry module's fetch errors: a timeout becomes a net.Error whose
// Timeout is true (the edge answers 504), the rest stay errors (502).
func originError(err error) error {
	if strings.Contains(err.Error(), "consentry-timeout") {
		return timeoutError{err}
	}
	return err
}

type timeoutError struct{ err error }

func (e timeoutError) Error() string   { return e.err.Error() }
func (e timeoutError) Unwrap() error   { return e.err }
func (e timeoutError) Timeout() bool   { return true }
func (e timeoutError) Temporary() bool { return true }
