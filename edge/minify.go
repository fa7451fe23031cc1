//go:build !(js && wasm)

package edge

import (
	"bytes"
	"io"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	minhtml "github.com/tdewolff/minify/v2/html"
)

// Optional HTML minification (Handler.Minify) with tdewolff/minify. It is left out of the
// js/wasm build (minify_js.go).
//
// Minifying HTML needs the whole document (whitespace and optional end tags depend on what
// follows), so a minified page is held until it ends, up to maxMinify bytes: the browser gets it
// whole instead of as it streams. A longer page is sent as it is, unminified and streamed from the
// point where the limit was reached. That trade is why minification is off by default.

const maxMinify = 2 << 20

// minifyAvailable says whether this build can minify.
const minifyAvailable = true

// minifier is shared: a minify.M is safe for concurrent use once configured.
var minifier = func() *minify.M {
	m := minify.New()
	// Conservative settings: keep the document's structure (<html>, <head>, <body>, end tags) and
	// quotes as they are, so that the page module and the site's scripts find what they expect.
	m.Add("text/html", &minhtml.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true,
		KeepConditionalComments: true, KeepSpecialComments: true})
	m.AddFunc("text/css", css.Minify)
	return m
}()

// minifyReader reads src whole (up to maxMinify bytes), then returns it minified; past the limit it
// returns src as it is.
type minifyReader struct {
	src    io.ReadCloser
	out    bytes.Buffer
	filled bool
	raw    bool // the limit was reached: pass src on as it is
}

func newMinifyReader(src io.ReadCloser) *minifyReader { return &minifyReader{src: src} }

func (m *minifyReader) Read(p []byte) (int, error) {
	if m.raw && m.out.Len() == 0 {
		return m.src.Read(p)
	}
	if !m.filled {
		m.filled = true
		var in bytes.Buffer
		n, err := in.ReadFrom(io.LimitReader(m.src, maxMinify+1))
		if err != nil {
			return 0, err
		}
		if n > maxMinify {
			m.raw = true
			m.out = in
		} else if merr := minifier.Minify("text/html", &m.out, bytes.NewReader(in.Bytes())); merr != nil {
			m.out.Reset()
			m.out.Write(in.Bytes())
		}
	}
	if m.out.Len() == 0 {
		if m.raw {
			return m.src.Read(p)
		}
		return 0, io.EOF
	}
	return m.out.Read(p)
}

func (m *minifyReader) Close() error { return m.src.Close() }
