package edge

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/html"

	"github.com/consentry/consentry/consent"
)

// This file keeps the edge's first HTML rewriter, built on tdewolff's HTML lexer
// (github.com/tdewolff/parse/v2/html), as the reference that the streaming scanner of rewrite.go
// is checked against (FuzzRewriteHTMLDifferential, TestRewriteScannerCases): the scanner must
// find the same tokens and make the same changes, byte for byte, on any input. The lexer reads a
// complete buffer, and this rewriter made it stream by lexing each chunk together with what was
// held back from the one before, which was not exact everywhere (a CDATA section cut by a chunk
// was partly read as markup; a script's "<!--" section lost its state when more than 64 KB of it
// were passed on). The reference is run on whole inputs, where it is exact; the scanner keeps its
// state from chunk to chunk and is checked in chunks against the same output.

const (
	holdMargin = 16      // longer than "</plaintext" plus the byte after it
	rawFlush   = 1 << 16 // raw text held before it is passed on in pieces
)

// rewriteWithLexer rewrites src whole with the reference rewriter.
func rewriteWithLexer(src []byte, o HTMLOptions) string {
	rw := newLexRewriter(o)
	rw.write(append([]byte(nil), src...), true)
	return string(rw.out)
}

type lexRewriter struct {
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
	attrs      []lexAttr // of the start tag being read
	insertions []byte    // scratch for a held tag
}

// lexAttr is one attribute of a start tag: its span in the input and its name (lower case).
type lexAttr struct {
	start, end int    // span in the input, leading whitespace included
	name       []byte // lower case (points into the lexer's buffer, valid while the tag is read)
	val        []byte // raw value with its quotes; nil when the attribute has none
}

func newLexRewriter(o HTMLOptions) *lexRewriter {
	if o.Scheme == "" {
		o.Scheme = "https"
	}
	rw := &lexRewriter{o: o}
	if o.GateSrc == "" {
		rw.gateDone = true
	}
	return rw
}

// write takes the next chunk of input; final says it is the last. Output accumulates in rw.out.
func (rw *lexRewriter) write(chunk []byte, final bool) {
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

// lex lexes rw.pending, writes every final token and keeps the rest in rw.pending.
func (rw *lexRewriter) lex(final bool) {
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
				rw.attrs = append(rw.attrs, lexAttr{start: aStart, end: in.Offset(), name: l.AttrKey(), val: val})
			}
			end = in.Offset()
			if !closed || end > limit {
				keepFrom = start
				continue
			}
			rw.startTag(nameBytes, src, start, end)
			if lexIsRawTextElement(name) {
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
func lexIsRawTextElement(h html.Hash) bool {
	switch h {
	case html.Script, html.Style, html.Textarea, html.Title, html.Xmp, html.Iframe, html.Plaintext:
		return true
	}
	return false
}

// writeText writes text of the data state. Non-space text starts the body, so the gate goes
// right before its first non-space byte (wherever the text was cut into pieces).
func (rw *lexRewriter) writeText(text []byte) {
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
func (rw *lexRewriter) otherToken(tt html.TokenType, data []byte) {
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
		switch string(bytes.ToLower(lexEndTagName(data))) {
		case "head", "body", "html":
			rw.insertGate()
		}
	default:
		rw.insertGate()
	}
}

// endTagName returns the name of an end tag token ("</name ...>").
func lexEndTagName(data []byte) []byte {
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
func (rw *lexRewriter) finish() {
	if !rw.gateDone && rw.doc == docDocument {
		rw.insertGate()
	}
}

// insertGate writes the gate's tag, once, if the stream is a document.
func (rw *lexRewriter) insertGate() {
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

// startTag writes the start tag src[start:end], named name (lower case), whose attributes are in
// rw.attrs: as it is, or held, with the gate before it when it is the first thing in the head that
// loads or runs anything.
func (rw *lexRewriter) startTag(nameBytes []byte, src []byte, start, end int) {
	var kind consent.Kind
	switch string(nameBytes) {
	case "html", "head":
		if rw.doc == docUnknown {
			rw.doc = docDocument
		}
		rw.out = append(rw.out, src[start:end]...)
		return
	case "meta", "title":
		// May come before the gate: they load and run nothing.
		rw.out = append(rw.out, src[start:end]...)
		return
	case "base":
		rw.insertGate()
		if !rw.baseSeen {
			// Only the first <base href> counts (HTML, "the base element").
			if a := rw.attr("href"); a != nil {
				rw.baseSeen = true
				rw.baseHref = attrValue(a.val)
			}
		}
		rw.out = append(rw.out, src[start:end]...)
		return
	case "script":
		kind = consent.KindScript
	case "iframe":
		kind = consent.KindFrame
	case "img", "source":
		kind = consent.KindImage
	default:
		rw.insertGate()
		rw.out = append(rw.out, src[start:end]...)
		return
	}

	if kind == consent.KindScript && !rw.gateDone {
		if a := rw.attr("src"); a != nil && isGateSrc(attrValue(a.val)) {
			rw.gateDone = true // the site has it first in the head already
			rw.out = append(rw.out, src[start:end]...)
			return
		}
	}
	rw.insertGate()
	if d, ok := rw.holdDecision(kind); ok {
		rw.writeHeld(kind, d, src, start, end)
		return
	}
	rw.out = append(rw.out, src[start:end]...)
}

// lexAttr returns the first attribute of the current tag with the given (lower-case) name.
func (rw *lexRewriter) attr(name string) *lexAttr {
	for i := range rw.attrs {
		if string(rw.attrs[i].name) == name {
			return &rw.attrs[i]
		}
	}
	return nil
}

// holdDecision decides the current tag: ok is true, with the decision that denies it, when it must
// be held.
func (rw *lexRewriter) holdDecision(kind consent.Kind) (consent.Decision, bool) {
	if rw.attr("data-consentry") != nil {
		return consent.Decision{}, false // the site's own held markup
	}
	if kind == consent.KindScript {
		if !lexIsJavaScript(rw.attr("type"), rw.attr("language")) {
			return consent.Decision{}, false
		}
		if a := rw.attr("src"); a != nil && isGateSrc(attrValue(a.val)) {
			return consent.Decision{}, false // never hold the gate, wherever it is served from
		}
	}
	if a := rw.attr("src"); a != nil {
		if d := rw.decide(kind, attrValue(a.val)); !d.Allowed {
			return d, true
		}
	}
	if kind == consent.KindImage {
		if a := rw.attr("srcset"); a != nil {
			for _, u := range srcsetURLs(attrValue(a.val)) {
				if d := rw.decide(kind, u); !d.Allowed {
					return d, true
				}
			}
		}
	}
	return consent.Decision{}, false
}

// decide decides a URL of the page, resolved against its <base href> when it has one.
func (rw *lexRewriter) decide(kind consent.Kind, u string) consent.Decision {
	if rw.baseHref != "" {
		u = resolveAgainstBase(rw.baseHref, u)
	}
	return rw.o.Decider.URLOn(kind, u, rw.o.Scheme)
}

// writeHeld writes the current tag in its held form: the attributes that would load it renamed
// (src, srcset; and type for a script), the data-consentry attributes inserted where the first of
// them stood.
func (rw *lexRewriter) writeHeld(kind consent.Kind, d consent.Decision, src []byte, start, end int) {
	ins := rw.insertions[:0]
	if kind == consent.KindScript {
		ins = append(ins, ` type="text/plain"`...)
	}
	ins = append(ins, ` data-consentry="`...)
	ins = append(ins, d.Category...)
	ins = append(ins, '"')
	if d.Service != "" {
		ins = append(ins, ` data-consentry-service="`...)
		ins = append(ins, d.Service...)
		ins = append(ins, '"')
	}
	rw.insertions = ins

	pos := start
	inserted := false
	for _, a := range rw.attrs {
		var rename string
		switch name := string(a.name); {
		case name == "src":
			rename = "data-consentry-src"
		case name == "srcset" && kind == consent.KindImage:
			rename = "data-consentry-srcset"
		case name == "type" && kind == consent.KindScript:
			rename = "data-consentry-type"
		default:
			continue
		}
		rw.out = append(rw.out, src[pos:a.start]...)
		if !inserted && rename != "data-consentry-type" {
			rw.out = append(rw.out, ins...)
			inserted = true
		}
		span := src[a.start:a.end]
		ws := 0
		for ws < len(span) && isSpace(span[ws]) {
			ws++
		}
		rw.out = append(rw.out, span[:ws]...)
		rw.out = append(rw.out, rename...)
		rw.out = append(rw.out, span[ws+len(a.name):]...)
		pos = a.end
	}
	rw.out = append(rw.out, src[pos:end]...)
}

// isJavaScript reports whether a script with these type and language attributes (nil when absent)
// is one the browser fetches and runs: a classic script or a module (HTML, "prepare the script
// element": no type and no language, an empty type, a JavaScript MIME type, or "module"; with no
// type, a language L counts as "text/L").
func lexIsJavaScript(typ, lang *lexAttr) bool {
	var t string
	switch {
	case typ != nil:
		t = attrValue(typ.val)
		if typ.val == nil {
			t = ""
		}
	case lang != nil && lang.val != nil && attrValue(lang.val) != "":
		t = "text/" + attrValue(lang.val)
	default:
		return true
	}
	t = strings.ToLower(strings.Trim(t, " \t\n\r\f"))
	return t == "" || t == "module" || javaScriptTypes[t]
}

// FuzzRewriteHTMLDifferential: on any input, the scanner gives the reference's output, whole and
// in chunks of any size.
func FuzzRewriteHTMLDifferential(f *testing.F) {
	inputs, _ := filepath.Glob("testdata/html/*.html")
	for _, in := range inputs {
		b, _ := os.ReadFile(in)
		f.Add(b, 7)
	}
	for _, c := range scannerCases {
		f.Add([]byte(c.in), 3)
	}
	o := goldenOptions(f)
	f.Fuzz(func(t *testing.T, data []byte, chunk int) {
		chunk = 1 + chunk&0x3ff
		if chunk < 1 {
			chunk = 1
		}
		want := rewriteWithLexer(data, o)
		if got := rewriteString(t, string(data), o, 1<<20); got != want {
			t.Fatalf("scanner and lexer differ on %q:\nscanner %q\nlexer   %q", data, got, want)
		}
		if got := rewriteString(t, string(data), o, chunk); got != want {
			t.Fatalf("in chunks of %d, scanner and lexer differ on %q:\nscanner %q\nlexer   %q", chunk, data, got, want)
		}
	})
}
