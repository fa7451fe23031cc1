package edge

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// This file keeps Content-Encoding true to the bytes sent when the edge rewrites a body.
//
// The rewriter reads HTML, not gzip: a compressed page is decoded, rewritten and encoded again with
// gzip, so the browser, which asked for gzip, gets what the header says. For requests that may get
// HTML back (navigations), the edge asks the origin only for the codings it can decode, so that the
// origin does not answer in Brotli or Zstandard; a page that arrives in a coding the edge cannot
// decode is passed through unrewritten (and logged): the browser can read it, and the page-side
// gate still holds what it loads.

// mayGetHTML reports whether a request is one whose response is likely a page: the browser's
// navigations and frames (Sec-Fetch-Dest, Fetch Metadata §2.1), or an Accept that names text/html.
func mayGetHTML(h http.Header) bool {
	switch h.Get("Sec-Fetch-Dest") {
	case "document", "iframe", "frame", "embed", "object":
		return true
	case "":
	default:
		return false
	}
	for _, a := range h["Accept"] {
		if strings.Contains(a, "text/html") {
			return true
		}
	}
	return false
}

// narrowAcceptEncoding limits the Accept-Encoding of a request sent to the origin to the codings
// the rewriter can decode: gzip when the browser accepts it, else none (identity).
func narrowAcceptEncoding(h http.Header) {
	if _, ok := h["Accept-Encoding"]; !ok {
		return
	}
	if acceptsCoding(h["Accept-Encoding"], "gzip") {
		h["Accept-Encoding"] = []string{"gzip"}
	} else {
		delete(h, "Accept-Encoding")
	}
}

// acceptsCoding reports whether an Accept-Encoding field accepts the coding (RFC 9110 §12.5.3): it
// is listed, or "*" is, with a q-value above zero.
func acceptsCoding(fields []string, coding string) bool {
	star := false
	for _, f := range fields {
		for _, item := range strings.Split(f, ",") {
			name, params, _ := strings.Cut(item, ";")
			name = strings.ToLower(trimOWS(name))
			q := 1.0
			for _, p := range strings.Split(params, ";") {
				k, v, ok := strings.Cut(trimOWS(p), "=")
				if ok && strings.EqualFold(trimOWS(k), "q") {
					if f, err := strconv.ParseFloat(trimOWS(v), 64); err == nil {
						q = f
					}
				}
			}
			switch name {
			case coding, "x-" + coding:
				return q > 0
			case "*":
				star = q > 0
			}
		}
	}
	return star
}

// contentCoding returns the response's content coding in lower case: "" for none (or identity),
// "gzip" (x-gzip too), or whatever else it is (a list of several codings is returned as it is).
func contentCoding(h http.Header) string {
	v := h.Values("Content-Encoding")
	if len(v) == 0 {
		return ""
	}
	c := strings.ToLower(trimOWS(strings.Join(v, ",")))
	switch c {
	case "", "identity":
		return ""
	case "gzip", "x-gzip":
		return "gzip"
	}
	return c
}

// gunzipReader decodes a gzip body lazily: the gzip header is read on the first Read, so that a
// broken body gives an error from Read, when the proxy streams it, not before.
type gunzipReader struct {
	src io.ReadCloser
	zr  *gzip.Reader
	err error
}

func (g *gunzipReader) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if g.zr == nil {
		zr, err := gzip.NewReader(g.src)
		if err != nil {
			g.err = err
			return 0, err
		}
		g.zr = zr
	}
	n, err := g.zr.Read(p)
	if err != nil {
		g.err = err
	}
	return n, err
}

func (g *gunzipReader) Close() error { return g.src.Close() }

// gzipReader encodes what it reads from src with gzip, flushing after each chunk so that the body
// still streams.
type gzipReader struct {
	src  io.ReadCloser
	buf  bytes.Buffer
	zw   *gzip.Writer
	tmp  []byte
	done bool
	err  error
}

func newGzipReader(src io.ReadCloser) *gzipReader {
	g := &gzipReader{src: src, tmp: make([]byte, chunkSize)}
	g.zw, _ = gzip.NewWriterLevel(&g.buf, gzip.BestSpeed)
	return g
}

func (g *gzipReader) Read(p []byte) (int, error) {
	for g.buf.Len() == 0 {
		if g.err != nil {
			return 0, g.err
		}
		if g.done {
			return 0, io.EOF
		}
		n, err := g.src.Read(g.tmp)
		if n > 0 {
			_, _ = g.zw.Write(g.tmp[:n]) // writes to a bytes.Buffer cannot fail
			_ = g.zw.Flush()
		}
		switch {
		case err == io.EOF:
			_ = g.zw.Close()
			g.done = true
		case err != nil:
			g.err = err
		}
	}
	return g.buf.Read(p)
}

func (g *gzipReader) Close() error { return g.src.Close() }
