package edge

import (
	"bytes"
	"io"
	"strings"
	"sync"

	"github.com/consentry/consentry/consent"
)

// This file is the streaming HTML rewriter. It scans the bytes as they come for what the edge
// acts on, and copies everything else through as it is:
//
//   - in markup, it jumps from one '<' to the next (bytes.IndexByte) and reads only what starts
//     there: a start tag (its name and attributes, so that a '>' in a quoted value does not end
//     it), an end tag, a comment, a doctype, a CDATA section, a bogus comment, or a '<' that is
//     text;
//   - after the start tag of <script>, <style>, <textarea>, <title>, <xmp> and <iframe>, whose
//     content is raw text, it looks only for the end tag (and, in a script, for "<!--" sections,
//     within which "</script" ends nothing after a "<script"); <plaintext> has no end;
//   - <svg>, <math> and <xml> are read as one block, to their matching end tag, and left alone.
//
// Its tokens are those of tdewolff's HTML lexer (github.com/tdewolff/parse/v2/html), which the
// edge used first and which the tests keep as the reference (rewrite_lexer_test.go): the same
// boundaries, quirks included (the lexer is not the browser's tokenizer: a tag name runs to
// whitespace, '>' or "/>", a comment ends only at "-->" or "--!>"), so that the output is the
// reference's, byte for byte. Where a rule of the lexer differs from the HTML standard, the
// scanner follows the lexer: the golden files are the specification.
//
// It streams: each chunk is scanned as far as it can be decided, and only a construct that is
// not yet complete (a tag, comment or <svg> whose end has not arrived, or the few bytes after a
// '<' that say what it starts) is held back and scanned again with the next chunk. The state
// at the point where it stopped (markup, or the raw text of which element, in which section) is
// kept, so that the output does not depend on where the input was cut. What is held is bounded:
// raw text and text are never held beyond a few bytes, and anything else that grows beyond
// maxHold bytes without ending (an unterminated comment, tag or <svg>) ends rewriting: the rest
// of the body is passed through unchanged. A document built like that is broken anyway, and the
// page-side gate still holds what it loads.

const (
	maxHold   = 1 << 20 // a construct held before rewriting gives up
	longHold  = 64      // longer than any lookahead held in raw text or after a '<'
	chunkSize = 32 << 10
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
	defer rw.release()
	bp := bufs.Get().(*[]byte)
	defer bufs.Put(bp)
	buf := *bp
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

// rewriters and bufs recycle the rewriters and their buffers: a page through the edge would
// otherwise allocate some 100 KB of buffers.
var (
	rewriters = sync.Pool{New: func() any { return &htmlRewriter{} }}
	bufs      = sync.Pool{New: func() any { b := make([]byte, chunkSize); return &b }}
)

type htmlReader struct {
	src  io.Reader
	rw   *htmlRewriter
	buf  *[]byte
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
			r.buf = bufs.Get().(*[]byte)
		}
		n, err := r.src.Read(*r.buf)
		switch {
		case err == io.EOF:
			r.done = true
		case err != nil:
			// Whatever was held back is lost with the stream: the response is cut short, and the
			// proxy aborts it so that the browser sees a truncated body, not a complete one.
			r.err = err
		}
		if n > 0 || r.done {
			r.rw.write((*r.buf)[:n], r.done)
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

// release returns the reader's rewriter and buffer to their pools once the body is done with.
func (r *htmlReader) release() {
	if r.rw != nil {
		r.rw.release()
		r.rw = nil
	}
	if r.buf != nil {
		bufs.Put(r.buf)
		r.buf = nil
	}
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

// tagKind names the elements whose start tags the rewriter acts on; every other is tagOther.
type tagKind uint8

const (
	tagOther tagKind = iota
	tagHTML
	tagHead
	tagMeta
	tagTitle
	tagBase
	tagScript
	tagIframe
	tagImg
	tagSource
	tagStyle
	tagTextarea
	tagXmp
	tagPlaintext
	tagSVG
	tagMath
	tagXML
)

// tagNames are the names of the kinds, lower case.
var tagNames = [...]string{
	tagHTML: "html", tagHead: "head", tagMeta: "meta", tagTitle: "title", tagBase: "base",
	tagScript: "script", tagIframe: "iframe", tagImg: "img", tagSource: "source", tagStyle: "style",
	tagTextarea: "textarea", tagXmp: "xmp", tagPlaintext: "plaintext", tagSVG: "svg", tagMath: "math",
	tagXML: "xml",
}

// tagKindOf returns the kind of a tag name as written (any case).
func tagKindOf(name []byte) tagKind {
	if len(name) < 3 || len(name) > 9 {
		return tagOther
	}
	var lower [9]byte
	for i, c := range name {
		lower[i] = toLower(c)
	}
	switch l := lower[:len(name)]; string(l) {
	case "html":
		return tagHTML
	case "head":
		return tagHead
	case "meta":
		return tagMeta
	case "title":
		return tagTitle
	case "base":
		return tagBase
	case "script":
		return tagScript
	case "iframe":
		return tagIframe
	case "img":
		return tagImg
	case "source":
		return tagSource
	case "style":
		return tagStyle
	case "textarea":
		return tagTextarea
	case "xmp":
		return tagXmp
	case "plaintext":
		return tagPlaintext
	case "svg":
		return tagSVG
	case "math":
		return tagMath
	case "xml":
		return tagXML
	}
	return tagOther
}

// isRawText reports whether the content of an element of kind k is raw text: read to its end tag
// (or, for <plaintext>, to the end), with no markup in it.
func (k tagKind) isRawText() bool {
	switch k {
	case tagScript, tagStyle, tagTextarea, tagTitle, tagXmp, tagIframe, tagPlaintext:
		return true
	}
	return false
}

type htmlRewriter struct {
	o HTMLOptions

	held    []byte // input not yet final: a construct whose end has not arrived
	out     []byte // output not yet handed on
	emitted int    // of the input being scanned, what is written to out (or replaced there)

	scanned     int  // bytes scanned, counting those scanned again (for the tests)
	passthrough bool // rewriting gave up (see maxHold); pass everything on as it is
	bomDone     bool // a byte order mark at the start was looked for

	// Where the scanner is at the start of held: in markup (raw == tagOther), or in the raw text
	// of an element of kind raw; in a script, escaped says it is within a "<!--" section, and
	// double that a "<script" came in that section.
	raw     tagKind
	escaped bool
	double  bool

	doc        docState
	gateDone   bool // the gate was inserted or found first in the head
	baseHref   string
	baseSeen   bool
	attrs      []attr // of the start tag being read
	insertions []byte // scratch for a held tag

	// values holds the attribute values decided on this page, appended one after the other: a
	// strings.Builder never changes what it holds and String shares its buffer, so each value is
	// a string without an allocation of its own (in js/wasm an allocation costs as much as the
	// decision). It is emptied when it grows past maxValues, the strings taken keep theirs.
	values strings.Builder
}

const maxValues = 64 << 10

// attr is one attribute of a start tag, as offsets in the input.
type attr struct {
	start, end         int // the attribute, with the whitespace before it
	nameStart, nameEnd int
	valStart, valEnd   int // the value with its quotes; valStart < 0 when it has none
	kind               attrKind
}

// attrKind names the attributes the rewriter reads; every other is attrOther.
type attrKind uint8

const (
	attrOther attrKind = iota
	attrSrc
	attrSrcset
	attrType
	attrLanguage
	attrHref
	attrDataConsentry
)

// attrKindOf returns the kind of an attribute name as written (any case).
func attrKindOf(name []byte) attrKind {
	switch len(name) {
	case 3:
		if equalFold(name, "src") {
			return attrSrc
		}
	case 4:
		if equalFold(name, "type") {
			return attrType
		}
		if equalFold(name, "href") {
			return attrHref
		}
	case 6:
		if equalFold(name, "srcset") {
			return attrSrcset
		}
	case 8:
		if equalFold(name, "language") {
			return attrLanguage
		}
	case 14:
		if equalFold(name, "data-consentry") {
			return attrDataConsentry
		}
	}
	return attrOther
}

func (a *attr) val(src []byte) []byte {
	if a.valStart < 0 {
		return nil
	}
	return src[a.valStart:a.valEnd]
}

func newHTMLRewriter(o HTMLOptions) *htmlRewriter {
	if o.Scheme == "" {
		o.Scheme = "https"
	}
	rw := rewriters.Get().(*htmlRewriter)
	*rw = htmlRewriter{o: o, held: rw.held[:0], out: rw.out[:0], attrs: rw.attrs[:0], insertions: rw.insertions[:0]}
	rw.values.Grow(1024)
	if o.GateSrc == "" {
		rw.gateDone = true
	}
	return rw
}

// release returns the rewriter to the pool, unless a large document grew its buffers.
func (rw *htmlRewriter) release() {
	rw.o = HTMLOptions{}
	rw.values = strings.Builder{}
	rw.baseHref = ""
	if cap(rw.held) <= 4*chunkSize && cap(rw.out) <= 4*chunkSize {
		rewriters.Put(rw)
	}
}

const utf8BOM = "\xEF\xBB\xBF"

// write takes the next chunk of input; final says it is the last. Output accumulates in rw.out.
func (rw *htmlRewriter) write(chunk []byte, final bool) {
	if rw.passthrough {
		rw.out = append(rw.out, chunk...)
		return
	}
	src := chunk
	if len(rw.held) > 0 {
		rw.held = append(rw.held, chunk...)
		src = rw.held
		if len(rw.held)-len(chunk) >= longHold && !final && bytes.IndexByte(chunk, '>') < 0 {
			// What is held is a tag, comment or <svg> (raw text and the lookahead after a '<' are
			// never held this long), and each of those ends in '>': without one, scanning it
			// again would find the same. Skipping keeps input that trickles in small chunks
			// from making the work quadratic in the length of what is held.
			if len(rw.held) > maxHold {
				rw.out = append(rw.out, rw.held...)
				rw.held = rw.held[:0]
				rw.passthrough = true
			}
			return
		}
	}
	if !rw.bomDone {
		// A byte order mark at the very start is no content: pass it on before scanning, so that
		// the text after it decides where the gate goes.
		if !final && len(src) < len(utf8BOM) && bytes.HasPrefix([]byte(utf8BOM), src) {
			rw.held = append(rw.held[:0], src...)
			return
		}
		rw.bomDone = true
		if bytes.HasPrefix(src, []byte(utf8BOM)) {
			rw.out = append(rw.out, utf8BOM...)
			src = src[len(utf8BOM):]
		}
	}
	n := rw.scan(src, final)
	rest := src[n:]
	switch {
	case rw.passthrough || len(rest) == 0:
		rw.held = rw.held[:0]
	case len(rest) > maxHold:
		rw.out = append(rw.out, rest...)
		rw.held = rw.held[:0]
		rw.passthrough = true
	default:
		// rest may be the end of held itself: copy moves it to the front.
		rw.held = append(rw.held[:0], rest...)
	}
}

// flush writes the input up to pos as it is.
func (rw *htmlRewriter) flush(src []byte, pos int) {
	if pos > rw.emitted {
		rw.out = append(rw.out, src[rw.emitted:pos]...)
		rw.emitted = pos
	}
}

// scan scans src from its start, in the state the previous chunk left, writes what is final to
// rw.out and returns how much of src that is: the rest must be scanned again with more input.
// With final, all of src is final.
func (rw *htmlRewriter) scan(src []byte, final bool) int {
	rw.emitted = 0
	rw.scanned += len(src)
	i := 0
	for i < len(src) {
		var hold bool
		if rw.raw != tagOther {
			i, hold = rw.scanRawText(src, i, final)
		} else {
			i, hold = rw.scanMarkup(src, i, final)
		}
		if rw.passthrough {
			return len(src)
		}
		if hold {
			rw.flush(src, i)
			return i
		}
	}
	rw.flush(src, len(src))
	if final {
		rw.finish()
	}
	return len(src)
}

// at returns src[i], or 0 past its end (which only compares equal to the bytes the scanner looks
// for where the input really has a NUL byte there).
func at(src []byte, i int) byte {
	if i < len(src) {
		return src[i]
	}
	return 0
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func toLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFold reports whether b is lower (which is in lower case), ignoring the case of ASCII
// letters.
func equalFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i, c := range b {
		if toLower(c) != lower[i] {
			return false
		}
	}
	return true
}

// indexFrom returns the index of c in src at or after i, or -1.
func indexFrom(src []byte, i int, c byte) int {
	if j := bytes.IndexByte(src[i:], c); j >= 0 {
		return i + j
	}
	return -1
}

// scanMarkup scans markup from i. It returns where it stopped: at the end of src, at the start of
// an element's raw text (rw.raw set), or, with hold, at the start of a construct it cannot finish
// without more input.
func (rw *htmlRewriter) scanMarkup(src []byte, i int, final bool) (int, bool) {
	n := len(src)
	for {
		j := bytes.IndexByte(src[i:], '<')
		if j < 0 {
			if !rw.gateDone {
				rw.text(src, i, n)
			}
			return n, false
		}
		j += i
		if !rw.gateDone {
			rw.text(src, i, j)
		}
		if j+1 >= n {
			if !final {
				return j, true
			}
			rw.text(src, j, n) // a '<' at the end is text
			return n, false
		}
		switch c := src[j+1]; {
		case isLetter(c):
			end, hold := rw.startTag(src, j, final)
			if hold || rw.passthrough || rw.raw != tagOther {
				return end, hold
			}
			i = end

		case c == '/':
			if j+2 >= n && !final {
				return j, true
			}
			c2 := at(src, j+2)
			if c2 == '>' || j+2 >= n {
				// "</>" and "</" at the end are text.
				rw.text(src, j, j+1)
				i = j + 1
				continue
			}
			end := indexFrom(src, j+2, '>')
			if end < 0 {
				if !final {
					return j, true
				}
				end = n
			} else {
				end++
			}
			if isLetter(c2) && !rw.gateDone {
				// An end tag: </head>, </body> and </html> end the head, so the gate goes before
				// them (</title>, </noscript> and the like end elements within it).
				switch name := endTagName(src[j:end]); {
				case equalFold(name, "head"), equalFold(name, "body"), equalFold(name, "html"):
					rw.insertGate(src, j)
				}
			}
			// Otherwise a bogus comment ("</" and no letter), to the next '>'.
			i = end

		case c == '!':
			end, hold := rw.markupDeclaration(src, j, final)
			if hold {
				return j, true
			}
			i = end

		case c == '?':
			// A bogus comment, to the next '>'.
			end := indexFrom(src, j+2, '>')
			if end < 0 {
				if !final {
					return j, true
				}
				end = n
			} else {
				end++
			}
			i = end

		default:
			// A '<' that starts nothing is text.
			rw.text(src, j, j+1)
			i = j + 1
		}
	}
}

// markupDeclaration scans what starts with "<!" at src[j:]: a comment, a CDATA section, a doctype
// or a bogus comment. It returns its end, or hold when it needs more input.
func (rw *htmlRewriter) markupDeclaration(src []byte, j int, final bool) (int, bool) {
	n := len(src)
	if j+9 > n && !final {
		return j, true // "<![CDATA[" and "<!DOCTYPE" are 9 bytes
	}
	switch {
	case at(src, j+2) == '-' && at(src, j+3) == '-':
		// A comment, to "-->" or "--!>" (not "<!-->": the lexer has no abrupt closing).
		for k := j + 4; ; {
			m := indexFrom(src, k, '-')
			if m < 0 {
				if !final {
					return j, true
				}
				return n, false
			}
			if m+3 >= n && !final {
				return j, true
			}
			if at(src, m+1) == '-' {
				if c := at(src, m+2); c == '>' {
					return m + 3, false
				} else if c == '!' && at(src, m+3) == '>' {
					return m + 4, false
				}
			}
			k = m + 1
		}
	case bytes.HasPrefix(src[j+2:], []byte("[CDATA[")):
		// A CDATA section, to "]]>": text, to the lexer (the gate goes before it).
		end := n
		for k := j + 9; ; {
			m := indexFrom(src, k, ']')
			if m < 0 {
				if !final {
					return j, true
				}
				break
			}
			if m+2 >= n && !final {
				return j, true
			}
			if at(src, m+1) == ']' && at(src, m+2) == '>' {
				end = m + 3
				break
			}
			k = m + 1
		}
		rw.text(src, j, end)
		return end, false
	}
	// A doctype or a bogus comment, to the next '>'.
	end := indexFrom(src, j+2, '>')
	if end < 0 {
		if !final {
			return j, true
		}
		end = n
	} else {
		end++
	}
	if !rw.gateDone && rw.doc == docUnknown && isDoctype(src[j+2:]) {
		rw.doc = docDocument
	}
	return end, false
}

// isDoctype reports whether b starts with "doctype" in any case (what follows "<!").
func isDoctype(b []byte) bool {
	return len(b) >= 7 && equalFold(b[:7], "doctype")
}

// endTagName returns the name of an end tag ("</name ...>").
func endTagName(data []byte) []byte {
	data = data[2:]
	for i, c := range data {
		if c == '>' || c == ' ' || c == '/' || c == '\t' || c == '\n' || c == '\r' || c == '\f' {
			return data[:i]
		}
	}
	return data
}

// startTag scans the start tag at src[j:] (src[j+1] is a letter) and decides it. It returns its
// end, or hold when it needs more input.
func (rw *htmlRewriter) startTag(src []byte, j int, final bool) (int, bool) {
	n := len(src)
	// The name runs to whitespace, '>' or "/>".
	k := j + 1
	for ; k < n; k++ {
		c := src[k]
		if c == ' ' || c == '>' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '/' && at(src, k+1) == '>' {
			break
		}
	}
	if k >= n && !final {
		return j, true // the name may go on
	}
	kind := tagKindOf(src[j+1 : k])
	if kind == tagSVG || kind == tagMath || kind == tagXML {
		end, hold, nul := foreignBlock(src, k, tagNames[kind], final)
		switch {
		case hold:
			return j, true
		case nul:
			// The lexer stops at a NUL byte in <svg>: pass the rest on unchanged.
			rw.flush(src, n)
			rw.passthrough = true
			return n, false
		}
		rw.insertGate(src, j)
		return end, false
	}
	var end int
	var closed bool
	switch kind {
	case tagBase, tagScript, tagIframe, tagImg, tagSource:
		end, closed = rw.attributes(src, k)
	default:
		end, closed = skipAttributes(src, k) // decided by name alone
	}
	if !closed {
		if !final {
			return j, true
		}
		// A tag that the input ends in is text.
		rw.text(src, j, n)
		return n, false
	}
	rw.decideStartTag(kind, src, j, end)
	if kind.isRawText() {
		if kind == tagPlaintext {
			// Everything after <plaintext> is text, to the end of the body.
			rw.flush(src, n)
			rw.passthrough = true
			return n, false
		}
		rw.raw, rw.escaped, rw.double = kind, false, false
	}
	return end, false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// attributes reads the attributes of a start tag from k (after its name) into rw.attrs, and returns
// the tag's end; closed is false when src ends first.
func (rw *htmlRewriter) attributes(src []byte, k int) (end int, closed bool) {
	n := len(src)
	rw.attrs = rw.attrs[:0]
	for {
		start := k
		for k < n && isSpace(src[k]) {
			k++
		}
		if k >= n {
			return n, false
		}
		switch src[k] {
		case '>':
			return k + 1, true
		case '/':
			if k+1 >= n {
				return n, false
			}
			if src[k+1] == '>' {
				return k + 2, true
			}
		}
		// The name runs to whitespace, '=', '>' or "/>" (it may start with '=' or '/').
		a := attr{start: start, nameStart: k, valStart: -1}
		for ; k < n; k++ {
			c := src[k]
			if c == '=' || c == '>' || isSpace(c) || c == '/' && at(src, k+1) == '>' {
				break
			}
		}
		if k >= n {
			return n, false
		}
		a.nameEnd = k
		a.kind = attrKindOf(src[a.nameStart:k])
		v := k
		for v < n && isSpace(src[v]) {
			v++
		}
		if v < n && src[v] == '=' {
			v++
			for v < n && isSpace(src[v]) {
				v++
			}
			if v >= n {
				return n, false
			}
			a.valStart = v
			if q := src[v]; q == '"' || q == '\'' {
				e := indexFrom(src, v+1, q)
				if e < 0 {
					return n, false
				}
				v = e + 1
			} else {
				for v < n && src[v] != '>' && !isSpace(src[v]) {
					v++
				}
			}
			a.valEnd = v
			k = v
		}
		a.end = k
		rw.attrs = append(rw.attrs, a)
	}
}

// skipAttributes returns the end of a start tag from k (after its name), as attributes does,
// without reading the attributes: a '>' ends the tag except within a quoted value, and a value is
// quoted when a quote is the first byte after its '=' (and whitespace); an unquoted value runs to
// whitespace or '>', quotes and '=' included. closed is false when src ends first.
func skipAttributes(src []byte, k int) (end int, closed bool) {
	n := len(src)
	for k < n {
		switch src[k] {
		case '>':
			return k + 1, true
		case '=':
			k++
			for k < n && isSpace(src[k]) {
				k++
			}
			if k >= n {
				return n, false
			}
			if q := src[k]; q == '"' || q == '\'' {
				e := indexFrom(src, k+1, q)
				if e < 0 {
					return n, false
				}
				k = e + 1
				continue
			}
			for k < n && src[k] != '>' && !isSpace(src[k]) {
				k++
			}
		default:
			k++
		}
	}
	return n, false
}

// foreignBlock reads an <svg>, <math> or <xml> element as the lexer does, from k (after its name)
// to the end of its matching end tag: names of nested elements of the same name are counted, a
// '<' between double quotes starts nothing, a tag ending in "/" is self-closing. It returns its
// end; hold when it needs more input; nul when it has a NUL byte (where the lexer stops).
func foreignBlock(src []byte, k int, name string, final bool) (end int, hold, nul bool) {
	n := len(src)
	nested := 0
	inQuote := false
	for {
		if k >= n {
			return n, !final, false
		}
		switch c := src[k]; {
		case c == '"':
			inQuote = !inQuote
			k++
		case c == '<' && !inQuote:
			if k+1 >= n && !final {
				return 0, true, false
			}
			isEnd := at(src, k+1) == '/'
			s := k + 1
			if isEnd {
				s++
			}
			e := s
			for e < n && isLetter(src[e]) {
				e++
			}
			if e >= n && !final {
				return 0, true, false
			}
			k = e
			if !isEnd && at(src, e) == '/' {
				continue // self-closing
			}
			if equalFold(src[s:e], name) {
				if !isEnd {
					nested++
				} else if nested > 0 {
					nested--
				} else {
					// The end tag, to its '>'.
					for ; k < n; k++ {
						switch src[k] {
						case '>':
							return k + 1, false, false
						case 0:
							return 0, false, true
						}
					}
					return n, !final, false
				}
			}
		case c == 0:
			return 0, false, true
		default:
			k++
		}
	}
}

// scanRawText scans the raw text of rw.raw from i, to the start of its end tag (where it returns
// with rw.raw cleared) or the end of src; with hold, it stopped at a '<' or '-' it cannot decide
// without more input.
func (rw *htmlRewriter) scanRawText(src []byte, i int, final bool) (int, bool) {
	n := len(src)
	name := tagNames[rw.raw]
	for {
		if rw.escaped {
			// In a script's "<!--" section: "-->" ends it; "</script" ends the script unless a
			// "<script" came before it in the section.
			m := i + bytes.IndexAny(src[i:], "<-")
			if m < i {
				return n, false
			}
			if src[m] == '-' {
				if m+2 >= n && !final {
					return m, true
				}
				if at(src, m+1) == '-' && at(src, m+2) == '>' {
					rw.escaped, rw.double = false, false
					i = m + 3
				} else {
					i = m + 1
				}
				continue
			}
			if m+1 >= n && !final {
				return m, true
			}
			isEnd := at(src, m+1) == '/'
			s := m + 1
			if isEnd {
				s++
			}
			match, hold := nameAt(src, s, "script", final)
			if hold {
				return m, true
			}
			if match {
				switch {
				case !isEnd:
					rw.double = true
				case !rw.double:
					rw.raw, rw.escaped = tagOther, false
					return m, false
				default:
					rw.double = false
				}
			}
			i = s
			continue
		}
		m := indexFrom(src, i, '<')
		if m < 0 {
			return n, false
		}
		if m+1 >= n {
			if !final {
				return m, true
			}
			return n, false
		}
		switch src[m+1] {
		case '/':
			match, hold := nameAt(src, m+2, name, final)
			if hold {
				return m, true
			}
			if match {
				rw.raw = tagOther
				return m, false
			}
			i = m + 2
		case '!':
			if rw.raw == tagScript {
				if m+3 >= n && !final {
					return m, true
				}
				if at(src, m+2) == '-' && at(src, m+3) == '-' {
					rw.escaped, rw.double = true, false
					i = m + 4
					continue
				}
			}
			i = m + 1
		default:
			i = m + 1
		}
	}
}

// nameAt reports whether the run of ASCII letters at src[s:] is name (lower case), in any case;
// hold when the run may go on past the end of src.
func nameAt(src []byte, s int, name string, final bool) (match, hold bool) {
	n := len(src)
	for t := 0; t < len(name); t++ {
		if s+t >= n {
			return false, !final
		}
		if toLower(src[s+t]) != name[t] {
			return false, false
		}
	}
	if s+len(name) >= n {
		return final, !final
	}
	return !isLetter(src[s+len(name)]), false
}

// text notes text of the markup, src[from:to]: its first byte that is not whitespace starts the
// body, so the gate goes right before it.
func (rw *htmlRewriter) text(src []byte, from, to int) {
	if rw.gateDone {
		return
	}
	for k := from; k < to; k++ {
		if !isSpace(src[k]) {
			rw.insertGate(src, k)
			return
		}
	}
}

// finish runs at the end of the input.
func (rw *htmlRewriter) finish() {
	if !rw.gateDone && rw.doc == docDocument {
		rw.insertGate(nil, 0)
	}
}

// insertGate writes the gate's tag before src[pos], once, if the stream is a document.
func (rw *htmlRewriter) insertGate(src []byte, pos int) {
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
	rw.flush(src, pos)
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
