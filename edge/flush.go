package edge

import (
	"net/http"
	"sync"
	"time"
)

// This file holds back the flushes of streamed bodies for a moment, so that the writes that
// follow go out with them.
//
// httputil.ReverseProxy flushes after every write of a body of unknown length (a page the edge
// rewrites, or an origin's chunked answer), and once more at the start for the headers. Each
// flush is a system call, and net/http's chunk framing makes it two for a piece longer than its
// 4 KB buffer: the data, then the chunk's closing "\r\n" alone. A 20 KB page through the edge
// took five writes where a plain proxy of the same page, whose length is known, takes three; on a
// busy edge the system calls cost more than rewriting the page. A flush held back for FlushDelay
// lets the writes of a body that arrives in a burst leave together, and the end of a body is
// flushed at once (the server does when the handler returns), so the delay only ever applies to
// the bytes before a pause of the origin's.

// DefaultFlushDelay is how long a flush of a streamed body waits for the writes after it unless
// Handler.FlushDelay says otherwise: well below what a browser would notice, above what a burst
// of an origin's writes takes to pass through.
const DefaultFlushDelay = 2 * time.Millisecond

// flushDelayWriter is the ResponseWriter the proxy writes a response to: its Flush schedules a
// flush of the underlying writer within delay, and the writes before that flush join it. It is
// safe for the proxy's goroutine and the timer's.
type flushDelayWriter struct {
	http.ResponseWriter
	delay time.Duration

	mu      sync.Mutex
	timer   *time.Timer
	pending bool // a flush is scheduled
	done    bool // the handler returned: the server flushes what is left
}

func (w *flushDelayWriter) WriteHeader(code int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.ResponseWriter.WriteHeader(code)
}

func (w *flushDelayWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ResponseWriter.Write(p)
}

// Flush schedules a flush, unless one is.
func (w *flushDelayWriter) Flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done || w.pending {
		return
	}
	w.pending = true
	if w.timer == nil {
		w.timer = time.AfterFunc(w.delay, w.flush)
	} else {
		w.timer.Reset(w.delay)
	}
}

func (w *flushDelayWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done || !w.pending {
		return
	}
	w.pending = false
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// stop ends the scheduling when the handler returns.
func (w *flushDelayWriter) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.done = true
	if w.timer != nil {
		w.timer.Stop()
	}
}

// Unwrap gives http.ResponseController the underlying writer (to hijack a connection that
// switches protocols, set deadlines).
func (w *flushDelayWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
