package edge

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// DefaultTimeout is how long the edge waits for the origin's response headers before it answers
// 504 Gateway Timeout. The body may then take as long as it takes: it streams.
const DefaultTimeout = 30 * time.Second

// NewTransport returns the native transport to the origin: http.DefaultTransport's settings, with
// a deadline of timeout for the response headers, enough idle connections to keep a busy edge from
// dialing for every request, and no transparent decompression (the edge decides about codings).
func NewTransport(timeout time.Duration) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = timeout
	t.MaxIdleConns = 1024
	t.MaxIdleConnsPerHost = 256
	t.DisableCompression = true
	return t
}

// ErrorStatus is the status the edge answers for an error of the origin: 504 Gateway Timeout when it
// did not answer in time (a net.Error that is a timeout, context.DeadlineExceeded), else 502 Bad
// Gateway (refused, reset, unreachable, a broken response, a failed ModifyResponse).
func ErrorStatus(err error) int {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return http.StatusGatewayTimeout
	}
	return http.StatusBadGateway
}

// errorPage is the edge's answer when the origin fails: short, plain, uncached, and clear about
// who failed (the site's server, not the visitor's connection, nor the edge).
func errorPage(status int, explanation string) string {
	title := strconv.Itoa(status) + " " + http.StatusText(status)
	return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>` + title + `</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#222}h1{font-size:1.4em}</style>
</head><body>
<h1>` + title + `</h1>
<p>` + explanation + `</p>
<p>Please try again in a moment.</p>
</body></html>
`
}

func (h *Handler) errorHandler(w http.ResponseWriter, r *http.Request, err error) {
	if h.ErrorHandler != nil {
		h.ErrorHandler(w, r, err)
		return
	}
	status := ErrorStatus(err)
	if !errors.Is(err, context.Canceled) {
		h.logf("edge: %s %s: %v", r.Method, r.URL.Redacted(), err)
	}
	explanation := "The site's server could not be reached, or its answer was broken."
	if status == http.StatusGatewayTimeout {
		explanation = "The site's server did not answer in time."
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, errorPage(status, explanation))
}
