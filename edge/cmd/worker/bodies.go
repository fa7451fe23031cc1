//go:build js && wasm

package main

import (
	"errors"
	"io"
	"syscall/js"
)

// This file owns the JS/Go boundary for bodies, with the entry module's helpers (passOn, openBody,
// reader, read, chunk, write, close, abort, cancel in edge/worker/entry.mjs).
//
// The library's own streams cost a promise, two callbacks (js.FuncOf, whose registrations the
// library does not always release) and a Go allocation per chunk each way, and pull 16 KB at a
// time. Here:
//
//   - a body the edge does not change (anything but HTML) never enters Go: the entry module pipes
//     the origin's stream to the visitor's (passOn), and Go only decides the headers;
//   - the origin's HTML is read straight from its stream (originBody) into Go's buffer, all that
//     has arrived (up to 64 KB) per read, and a body whose length is known ends without one more
//     read to learn it;
//   - what Go writes goes to the visitor's stream as it is written (bodyWriter), one chunk per
//     Write, in buffers the entry module reuses once the runtime has taken their chunks, with up
//     to maxInFlight bytes on their way (that is the backpressure).
//
// Each body awaits its promises with one callback (waiter), made once and released at its end.

// waiter awaits the entry module's promises, which always resolve (to a value or to an error's
// message), through one callback.
type waiter struct {
	done chan js.Value
	fn   js.Func
}

func newWaiter() *waiter {
	w := &waiter{done: make(chan js.Value, 1)}
	w.fn = js.FuncOf(func(_ js.Value, args []js.Value) any {
		w.done <- args[0] // buffered: a callback must not block
		return nil
	})
	return w
}

// then makes the waiter receive the promise's value; at most one promise at a time.
func (w *waiter) then(promise js.Value) { promise.Call("then", w.fn) }

func (w *waiter) await(promise js.Value) js.Value {
	w.then(promise)
	return <-w.done
}

func (w *waiter) release() { w.fn.Release() }

// originBody is the origin's response body: the JS stream of the runtime's fetch, read from Go
// when the edge rewrites it, or handed on whole (passOn) when the edge leaves it as it is.
type originBody struct {
	b       *boundary
	stream  js.Value // a ReadableStream
	started bool     // Go reads it: it can no longer be handed on
	reader  js.Value
	w       *waiter
	rest    js.Value // the part of the last chunk not yet read (a Uint8Array)
	restLen int
	// left is what remains of the body's Content-Length, or -1: once it is read, the body is
	// known to end, without another promise to learn it.
	left int64
	err  error
}

func (o *originBody) Read(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if o.left == 0 {
		o.end(io.EOF)
		return 0, io.EOF
	}
	if !o.started {
		o.started = true
		o.reader = o.b.reader.Invoke(o.stream)
		o.w = newWaiter()
	}
	for o.restLen == 0 {
		v := o.w.await(o.b.read.Invoke(o.reader))
		switch v.Type() {
		case js.TypeNull:
			o.end(io.EOF)
			return 0, io.EOF
		case js.TypeString:
			o.end(errors.New("consentry: reading the origin's body: " + v.String()))
			return 0, o.err
		}
		o.rest, o.restLen = v, v.Get("byteLength").Int()
	}
	if o.left > 0 && int64(len(p)) > o.left {
		p = p[:o.left] // more than the length says: the runtime would fail the stream
	}
	n := js.CopyBytesToGo(p, o.rest)
	if o.left > 0 {
		o.left -= int64(n)
	}
	if n < o.restLen {
		o.rest, o.restLen = o.rest.Call("subarray", n), o.restLen-n
	} else {
		o.rest, o.restLen = js.Undefined(), 0
	}
	return n, nil
}

// end records the body's end and releases the waiter: no promise is pending.
func (o *originBody) end(err error) {
	o.err = err
	if o.w != nil {
		o.w.release()
		o.w = nil
	}
}

// Close cancels what is left of the body (the runtime then stops fetching it).
func (o *originBody) Close() error {
	switch {
	case !o.started:
		o.started = true
		o.b.cancel.Invoke(o.stream)
	case o.err == nil || o.left == 0 && o.err == io.EOF:
		// Unread, or read to its length but not to its end: release the connection.
		o.b.cancel.Invoke(o.reader)
	}
	if o.err == nil {
		o.end(errors.New("consentry: the origin's body is closed"))
	}
	return nil
}

// bodyWriter writes the answer's body to the visitor's stream (the readable side goes to the
// library as the Response's body). Writes do not wait for the runtime to take each chunk: up to
// maxInFlight bytes may be on their way, then Write waits for the last one (the stream takes
// chunks in order). That is the backpressure, and it tells Write when the visitor left.
type bodyWriter struct {
	b        *boundary
	readable js.Value
	writer   js.Value
	w        *waiter
	last     js.Value // the promise of the last write, while inFlight > 0
	inFlight int
	err      error
}

const maxInFlight = 256 << 10

// newBodyWriter opens the visitor's stream: of length bytes, or of unknown length when length < 0.
func (b *boundary) newBodyWriter(length int64) *bodyWriter {
	s := b.openBody.Invoke(length)
	return &bodyWriter{b: b, readable: s.Get("readable"), writer: s.Get("writer"), w: newWaiter()}
}

func (bw *bodyWriter) Write(p []byte) (int, error) {
	if bw.err != nil {
		return 0, bw.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	chunk := bw.b.chunk.Invoke(len(p))
	js.CopyBytesToJS(chunk, p)
	bw.last = bw.b.write.Invoke(bw.writer, chunk)
	bw.inFlight += len(p)
	if bw.inFlight >= maxInFlight {
		if err := bw.wait(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// wait waits until the runtime has taken every chunk written (or the stream failed: the visitor
// left).
func (bw *bodyWriter) wait() error {
	if bw.inFlight > 0 {
		bw.inFlight = 0
		if v := bw.w.await(bw.last); v.Type() == js.TypeString {
			bw.err = errors.New("consentry: sending the body: " + v.String())
		}
		bw.last = js.Undefined()
	}
	return bw.err
}

// finish ends the stream: closed after the chunks written, or errored with err (the runtime cuts
// the response short).
func (bw *bodyWriter) finish(err error) {
	if bw.w == nil {
		return
	}
	if err != nil {
		bw.b.abortBody.Invoke(bw.writer, err.Error())
	} else {
		bw.b.closeBody.Invoke(bw.writer)
	}
	bw.w.release()
	bw.w = nil
}
