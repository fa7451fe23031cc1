//go:build js && wasm

package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"syscall/js"
	"time"

	"github.com/consentry/consentry/edge/internal/jsheader"
)

// This file owns the JS/Go boundary for headers, with the entry module (edge/worker/entry.mjs).
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

type boundary struct{ obj js.Value }

func newBoundary() *boundary {
	return &boundary{obj: js.Global().Get("context").Get("consentry")}
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

// wrap gives the handler the request with its true headers.
func (b *boundary) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr, ok := b.take("takeRequest", r.Header.Get(boundaryKey))
		if !ok {
			http.Error(w, "500 Consentry edge: the worker's entry module is not edge/worker/entry.mjs", http.StatusInternalServerError)
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
		// A response that fails after it started (the origin resets mid-body) must reach the
		// browser cut short, not complete. httputil.ReverseProxy aborts such a response with
		// panic(http.ErrAbortHandler) when it runs under an http.Server, as it does natively; the
		// server marker lets it do so here, and abortResponse does what net/http's server does:
		// it ends the stream with an error. Any other panic is not ours to handle.
		r = r.WithContext(context.WithValue(r.Context(), http.ServerContextKey, abortMarker))
		defer func() {
			if v := recover(); v != nil {
				if v != http.ErrAbortHandler {
					panic(v)
				}
				abortResponse(w)
			}
		}()
		next.ServeHTTP(&responseWriter{ResponseWriter: w}, r)
	})
}

// abortMarker stands for the http.Server that the worker does not have.
var abortMarker = &http.Server{}

var errAborted = errors.New("consentry: response aborted: the origin's body failed")

// abortResponse ends the response stream with an error, so that the runtime cuts the response
// short. The library's ResponseWriter (internal/jshttp.ResponseWriter, v0.33.0) writes the body
// into an io.PipeWriter in its exported Writer field, which the library's JS stream reads; closing
// it with an error errors that stream.
func abortResponse(w http.ResponseWriter) {
	v := reflect.ValueOf(w)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return
	}
	f := v.Elem().FieldByName("Writer")
	if !f.IsValid() || !f.CanInterface() {
		return
	}
	if pw, ok := f.Interface().(*io.PipeWriter); ok {
		pw.CloseWithError(errAborted)
	}
}

// responseWriter puts the runtime's coding back and drops what JS Headers would throw on, before
// the library turns the headers into JS.
type responseWriter struct {
	http.ResponseWriter
	wroteHeader bool
}

func (w *responseWriter) WriteHeader(code int) {
	if !w.wroteHeader {
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
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *responseWriter) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}

func (w *responseWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// transport carries requests to the origin through the library's fetch transport (bound to the
// boundary's fetch), and gives the handler the response with its true headers.
func (b *boundary) transport(inner http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		jsheader.Sanitize(req.Header)
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
		switch {
		case req.Method == http.MethodHead, res.StatusCode == http.StatusNoContent,
			res.StatusCode == http.StatusResetContent, res.StatusCode == http.StatusNotModified,
			res.StatusCode < 200:
			// The JS Response has a null body, which the library's reader cannot read.
			res.Body = http.NoBody
		}
		res.Request = req
		return res, nil
	})
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
