package edge

import (
	"bytes"
	"io"
	"sync"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/html"

	"github.com/consentry/consentry/consent"
)

// This file is the streaming HTML rewriter. It feeds the bytes it has to tdewolff's HTML lexer
// (github.com/tdewolff/parse/v2/html), which reads a complete buffer, and makes that streaming by
// lexing each chunk together with what was held back from the one before: a token is final only
// when the lexer stopped at least holdMargin bytes before the end of what it had, since it looks
// ahead a few bytes to decide where a token ends ("</script" then a letter, "-->" and "--!>"). The
// rest is held back and lexed again with the next chunk, so the tokens are those the lexer would
// find in the whole document. Output is the input byte for byte, except where an element is held
// or the gate is inserted.
//
// What the rewriter holds back is bounded:
//
//   - text is passed on as it comes, all but its last holdMargin bytes;
//   - the raw text of <script>, <style>, <textarea>, <title>, <xmp> and <iframe> (a 5 MB inline
//     JSON blob is no rarity) is passed on once more than rawFlush bytes of it are held, keeping its
//     start tag and last holdMargin bytes to resume in the same state;
//   - anything else that grows beyond maxHold bytes without ending (an unterminated comment, tag
//     or <svg>) ends rewriting: the rest of the body is passed through unchanged. A document built
//     like that is broken anyway, and the page-side gate still holds what it loads.

const (
	holdMargin = 16      // longer than "</plaintext" plus the byte after it
	rawFlush   = 1 << 16 // raw text held before it is passed on in pieces
	maxHold    = 1 << 20 // anything else held before rewriting gives up
	chunkSize  = 32 << 10
)

// HTMLOptions configures the HTML rewriter.
type HTMLOptions struct {
	// Decider decides each <script src>, <iframe src> and <img src> (and <img srcset>, <source
	// srcset>). Required.
	Decider *consent.Decider
	// Scheme is the page's scheme, "https" or "http", which scheme-relative and "https:host" URLs
	// resolve against; "" means "https".
	Scheme string
	// GateSrc is the src of the gate's script, inserted first in the head of a document where it is
	// missing (see the package documentation); "" inserts nothing.
	GateSrc string
}

// RewriteHTML copies the HTML document r to w, holding the elements the decider does not allow and
// inserting the gate (see the package documentation). It streams: output is written as input
// arrives, except for a bounded amount held back to find where tokens end. It returns the first
// error of r (other than io.EOF) or of w.
func RewriteHTML(w io.Writer, r io.Reader, o HTMLOptions) error {
	rw := newHTMLRewriter(o)
	buf := make([]byte, chunkSize)
	for {
		n, err := r.Read(buf)
		final := err == io.EOF
		if err != nil && !final {
			return err
		}
		if n > 0 || final {
			rw.write(buf[:n], final)
			if len(rw.out) > 0 {
				if _, werr := w.Write(rw.out); werr != nil {
					return werr
				}
				rw.out = rw.out[:0]
			}
		}
		if final {
			return nil
		}
	}
}

// NewHTMLReader returns a reader of r's HTML, rewritten as RewriteHTML does. Closing it closes r
// when r is an io.Closer.
func NewHTMLReader(r io.Reader, o HTMLOptions) io.ReadCloser {
	return &htmlReader{src: r, rw: newHTMLRewriter(o)}
}

// rewriters recycles rewriters with their buffers: a page through the edge would otherwise
// allocate some 150 KB of buffers.
var rewriters = sync.Pool{New: func() any { return &htmlRewriter{} }}

// release returns the reader's rewriter to the pool once the body is done with.
func (r *htmlReader) release() {
	if r.rw != nil && r.done && r.off == len(r.rw.out) {
		rw := r.rw
		r.rw = nil
		rw.o = HTMLOptions{}
		rw.attrs = rw.attrs[:0]
		if cap(rw.pending) <= 4*chunkSize && cap(rw.out) <= 4*chunkSize {
			rewriters.Put(rw)
		}
		if r.buf != nil {
			bufs.Put(&r.buf)
			r.buf = nil
		}
	}
}

var bufs = sync.Pool{New: func() any { b := make([]byte, chunkSize); return &b }}

type htmlReader struct {
	src  io.Reader
	rw   *htmlRewriter
	buf  []byte
	off  int // of rw.out, already read
	done bool
	err  error
}

func (r *htmlReader) Read(p []byte) (int, error) {
	if r.rw == nil {
		return 0, io.EOF
	}
	for r.off == len(r.rw.out) {
		if r.err != nil {
			return 0, r.err
		}
		if r.done {
			r.release()
			return 0, io.EOF
		}
		r.rw.out, r.off = r.rw.out[:0], 0
		if r.buf == nil {
			r.buf = *bufs.Get().(*[]byte)
		}
		n, err := r.src.Read(r.buf)
		switch {
		case err == io.EOF:
			r.done = true
		case err != nil:
			// Whatever was held back is lost with the stream: the response is cut short, and the
			// proxy aborts it so that the browser sees a truncated body, not a complete one.
			r.err = err
		}
		if n > 0 || r.done {
			r.rw.write(r.buf[:n], r.done)
		}
	}
	n := copy(p, r.rw.out[r.off:])
	r.off += n
	if r.done && r.off == len(r.rw.out) {
		r.release()
		return n, io.EOF
	}
	return n, nil
}

func (r *htmlReader) Close() error {
	if c, ok := r.src.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// docState says whether the stream is a document (which gets the gate) or a fragment.
type docState uint8

const (
	docUnknown docState = iota
	docDocument
	docFragment
)

type htmlRewriter struct {
	o HTMLOptions

	pending []byte // input not yet final; lexed again with the next chunk
	spare   []byte // a second buffer for pending, to rebuild it without allocating
	scratch []byte // the copy of pending that the lexer reads (it lower-cases names in place)
	out     []byte // output not yet handed on

	passthrough bool // rewriting gave up (see maxHold); pass everything on as it is
	bomDone     bool // a byte order mark at the start was looked for

	// resumeRaw is set when pending starts with the (already written) start tag of an element whose
	// raw text is being read; rawStart holds that tag's original bytes.
	resumeRaw bool
	rawStart  []byte

	doc        docState
	gateDone   bool // the gate was inserted or found first in the head
	baseHref   string
	baseSeen   bool
	attrs      []attr // of the start tag being read
	insertions []byte // scratch for a held tag
}

// attr is one attribute of a start tag: its span in the input and its name (lower case).
type attr struct {
	start, end int    // span in the input, leading whitespace included
	name       []byte // lower case (points into the lexer's buffer, valid while the tag is read)
	val        []byte // raw value with its quotes; nil when the attribute has none
}

func newHTMLRewriter(o HTMLOptions) *htmlRewriter {
	if o.Scheme == "" {
		o.Scheme = "https"
	}
	rw := rewriters.Get().(*htmlRewriter)
	*rw = htmlRewriter{o: o, pending: rw.pending[:0], spare: rw.spare[:0], scratch: rw.scratch[:0], out: rw.out[:0],
		rawStart: rw.rawStart[:0], attrs: rw.attrs[:0], insertions: rw.insertions[:0]}
	if o.GateSrc == "" {
		rw.gateDone = true
	}
	return rw
}

// write takes the next chunk of input; final says it is the last. Output accumulates in rw.out.
func (rw *htmlRewriter) write(chunk []byte, final bool) {
	if rw.passthrough {
		rw.out = append(rw.out, chunk...)
		return
	}
	rw.pending = append(rw.pending, chunk...)
	if !rw.bomDone {
		// A byte order mark at the very start is no content: pass it on before lexing, so that
		// the text after it decides where the gate goes.
		if !final && len(rw.pending) < len(utf8BOM) && bytes.HasPrefix([]byte(utf8BOM), rw.pending) {
			return
		}
		rw.bomDone = true
		if bytes.HasPrefix(rw.pending, []byte(utf8BOM)) {
			rw.out = append(rw.out, utf8BOM...)
			rw.pending = append(rw.pending[:0], rw.pending[len(utf8BOM):]...)
		}
	}
	rw.lex(final)
	if !rw.passthrough && len(rw.pending) > maxHold {
		rw.out = append(rw.out, rw.pending...)
		rw.pending = rw.pending[:0]
		rw.passthrough = true
	}
}

const utf8BOM = "\xEF\xBB\xBF"

// lex lexes rw.pending, writes every final token and keeps the rest in rw.pending.
func (rw *htmlRewriter) lex(final bool) {
	src := rw.pending
	rw.scratch = append(rw.scratch[:0], src...)
	in := parse.NewInputBytes(rw.scratch)
	defer in.Restore()
	l := html.NewLexer(in)
	limit := len(src) - holdMargin // a token ending after limit may still change, unless final
	if final {
		limit = len(src)
	}
	pos := 0       // everything before pos is written (or consumed by a held-back resume)
	keepFrom := -1 // when >= 0, pending becomes src[keepFrom:] (with rawStart before it if resumeRaw)
	resume := false
	rawTag := html.Hash(0) // set after the start tag of a raw text element: the next text is raw

	if rw.resumeRaw {
		// pending starts with the raw element's start tag, already written: lex it again to put the
		// lexer in the raw text state, and write nothing of it.
		rw.resumeRaw = false
		if tt, data := l.Next(); tt == html.StartTagToken {
			rawTag = html.ToHash(data[1:])
			for {
				tt, _ = l.Next()
				if tt != html.AttributeToken {
					break
				}
			}
			pos = in.Offset()
		}
	}

	for keepFrom < 0 {
		start := pos
		tt, data := l.Next()
		end := in.Offset()
		wasRaw := rawTag
		rawTag = 0
		switch tt {
		case html.ErrorToken:
			if l.Err() != io.EOF {
				// A NUL byte inside <svg>, say. Pass the rest on unchanged.
				rw.out = append(rw.out, src[start:]...)
				rw.pending = rw.pending[:0]
				rw.passthrough = true
				return
			}
			keepFrom = start
			continue
		case html.TextToken:
			if wasRaw != 0 {
				if end > limit {
					// Raw text that may go on. Resume at its start tag, unless it is long.
					if end-start > rawFlush {
						cut := end - holdMargin
						rw.out = append(rw.out, src[start:cut]...)
						start = cut
					}
					keepFrom, resume = start, true
					continue
				}
				rw.out = append(rw.out, src[start:end]...)
				pos = end
				continue
			}
			if end > limit {
				// Text may go on; what is well before the end cannot change.
				if cut := limit; cut > start {
					rw.writeText(src[start:cut])
					start = cut
				}
				keepFrom = start
				continue
			}
			rw.writeText(src[start:end])
		case html.StartTagToken:
			name := html.ToHash(data[1:])
			nameBytes := data[1:]
			rw.attrs = rw.attrs[:0]
			closed := false
			for {
				aStart := in.Offset()
				tt2, _ := l.Next()
				if tt2 != html.AttributeToken {
					closed = tt2 == html.StartTagCloseToken || tt2 == html.StartTagVoidToken
					break
				}
				var val []byte
				if v := l.AttrVal(); v != nil {
					val = v
				}
				rw.attrs = append(rw.attrs, attr{start: aStart, end: in.Offset(), name: l.AttrKey(), val: val})
			}
			end = in.Offset()
			if !closed || end > limit {
				keepFrom = start
				continue
			}
			rw.startTag(nameBytes, src, start, end)
			if isRawTextElement(name) {
				if name == html.Plaintext {
					// Everything after <plaintext> is text, to the end of the body.
					rw.out = append(rw.out, src[end:]...)
					rw.pending = rw.pending[:0]
					rw.passthrough = true
					return
				}
				rawTag = name
				rw.rawStart = append(rw.rawStart[:0], src[start:end]...)
			}
		default:
			// Comments, doctypes, end tags, and <svg>, <math>, <xml> as whole blocks.
			if end > limit {
				keepFrom = start
				continue
			}
			rw.otherToken(tt, data)
			rw.out = append(rw.out, src[start:end]...)
		}
		pos = end
	}

	rest := src[keepFrom:]
	if final {
		// Nothing more will come: what is left is final as it stands (the lexer reached the end).
		if len(rest) > 0 {
			rw.writeText(rest)
		}
		rw.finish()
		rw.pending = rw.pending[:0]
		return
	}
	if resume {
		// pending becomes the raw element's start tag followed by its raw text so far.
		rw.spare = append(append(rw.spare[:0], rw.rawStart...), rest...)
		rw.pending, rw.spare = rw.spare, rw.pending
		rw.resumeRaw = true
		return
	}
	rw.pending = append(rw.pending[:0], rest...)
}

// isRawTextElement reports whether the lexer reads the element's content as raw text.
func isRawTextElement(h html.Hash) bool {
	switch h {
	case html.Script, html.Style, html.Textarea, html.Title, html.Xmp, html.Iframe, html.Plaintext:
		return true
	}
	return false
}

// writeText writes text of the data state. Non-space text starts the body, so the gate goes
// right before its first non-space byte (wherever the text was cut into pieces).
func (rw *htmlRewriter) writeText(text []byte) {
	if !rw.gateDone && rw.doc != docFragment {
		for i, c := range text {
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
				rw.out = append(rw.out, text[:i]...)
				rw.insertGate()
				text = text[i:]
				break
			}
		}
	}
	rw.out = append(rw.out, text...)
}

// otherToken runs before a comment, doctype, end tag or foreign block is written.
func (rw *htmlRewriter) otherToken(tt html.TokenType, data []byte) {
	if rw.gateDone {
		return
	}
	switch tt {
	case html.DoctypeToken:
		if rw.doc == docUnknown {
			rw.doc = docDocument
		}
	case html.CommentToken:
	case html.EndTagToken:
		// </title>, </noscript> and the like end elements of the head; </head>, </body> and
		// </html> end it.
		switch string(bytes.ToLower(endTagName(data))) {
		case "head", "body", "html":
			rw.insertGate()
		}
	default:
		rw.insertGate()
	}
}

// endTagName returns the name of an end tag token ("</name ...>").
func endTagName(data []byte) []byte {
	if len(data) < 2 {
		return nil
	}
	data = data[2:]
	for i, c := range data {
		if c == '>' || c == ' ' || c == '/' || c == '\t' || c == '\n' || c == '\r' || c == '\f' {
			return data[:i]
		}
	}
	return data
}

// finish runs at the end of the input.
func (rw *htmlRewriter) finish() {
	if !rw.gateDone && rw.doc == docDocument {
		rw.insertGate()
	}
}

// insertGate writes the gate's tag, once, if the stream is a document.
func (rw *htmlRewriter) insertGate() {
	if rw.gateDone {
		return
	}
	if rw.doc == docUnknown {
		rw.doc = docFragment
	}
	rw.gateDone = true
	if rw.doc != docDocument {
		return
	}
	rw.out = append(rw.out, `<script src="`...)
	rw.out = appendAttrEscaped(rw.out, rw.o.GateSrc)
	rw.out = append(rw.out, `"></script>`...)
}

// appendAttrEscaped appends s escaped for a double-quoted attribute value.
func appendAttrEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b = append(b, "&amp;"...)
		case '"':
			b = append(b, "&#34;"...)
		case '<':
			b = append(b, "&lt;"...)
		default:
			b = append(b, c)
		}
	}
	return b
}
