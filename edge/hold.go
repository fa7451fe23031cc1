package edge

import (
	"bytes"
	stdhtml "html"
	"net/url"
	"strings"

	"github.com/consentry/consentry/consent"
)

// This file decides each start tag the rewriter reads: where the gate goes, and which elements are
// written in their held form (see the package documentation for the form).

// decideStartTag decides the start tag src[start:end] of kind kind, whose attributes are in
// rw.attrs: it stays as it is, or is written held, with the gate before it when it is the first
// thing in the head that loads or runs anything.
func (rw *htmlRewriter) decideStartTag(kind tagKind, src []byte, start, end int) {
	var k consent.Kind
	switch kind {
	case tagHTML, tagHead:
		if rw.doc == docUnknown {
			rw.doc = docDocument
		}
		return
	case tagMeta, tagTitle:
		// May come before the gate: they load and run nothing.
		return
	case tagBase:
		rw.insertGate(src, start)
		if !rw.baseSeen {
			// Only the first <base href> counts (HTML, "the base element").
			if a := rw.attr(attrHref); a != nil {
				rw.baseSeen = true
				rw.baseHref = attrValue(a.val(src))
			}
		}
		return
	case tagScript:
		k = consent.KindScript
	case tagIframe:
		k = consent.KindFrame
	case tagImg, tagSource:
		k = consent.KindImage
	default:
		rw.insertGate(src, start)
		return
	}

	if k == consent.KindScript && !rw.gateDone {
		if a := rw.attr(attrSrc); a != nil && isGateSrc(rw.value(a.val(src))) {
			rw.gateDone = true // the site has it first in the head already
			return
		}
	}
	rw.insertGate(src, start)
	if d, ok := rw.holdDecision(k, src); ok {
		rw.writeHeld(k, d, src, start, end)
	}
}

// attr returns the first attribute of the current tag of the given kind.
func (rw *htmlRewriter) attr(kind attrKind) *attr {
	for i := range rw.attrs {
		if rw.attrs[i].kind == kind {
			return &rw.attrs[i]
		}
	}
	return nil
}

// value returns an attribute's value as attrValue does, but taking the string from rw.values.
func (rw *htmlRewriter) value(raw []byte) string {
	if len(raw) > 0 && (raw[0] == '"' || raw[0] == '\'') {
		q := raw[0]
		raw = raw[1:]
		if len(raw) > 0 && raw[len(raw)-1] == q {
			raw = raw[:len(raw)-1]
		}
	}
	if bytes.IndexByte(raw, '&') >= 0 {
		return stdhtml.UnescapeString(string(raw))
	}
	if rw.values.Len()+len(raw) > maxValues {
		rw.values.Reset()
	}
	start := rw.values.Len()
	rw.values.Write(raw)
	return rw.values.String()[start:]
}

// holdDecision decides the current tag: ok is true, with the decision that denies it, when it must
// be held.
func (rw *htmlRewriter) holdDecision(kind consent.Kind, src []byte) (consent.Decision, bool) {
	if rw.attr(attrDataConsentry) != nil {
		return consent.Decision{}, false // the site's own held markup
	}
	srcAttr := rw.attr(attrSrc)
	if kind == consent.KindScript {
		var typ, lang []byte
		typAttr := rw.attr(attrType)
		if typAttr != nil {
			typ = typAttr.val(src)
		} else if a := rw.attr(attrLanguage); a != nil {
			lang = a.val(src)
		}
		if !isJavaScript(typAttr != nil, typ, lang) {
			return consent.Decision{}, false
		}
		if srcAttr != nil && isGateSrc(rw.value(srcAttr.val(src))) {
			return consent.Decision{}, false // never hold the gate, wherever it is served from
		}
	}
	if srcAttr != nil {
		if d := rw.decide(kind, rw.value(srcAttr.val(src))); !d.Allowed {
			return d, true
		}
	}
	if kind == consent.KindImage {
		if a := rw.attr(attrSrcset); a != nil {
			for _, u := range srcsetURLs(rw.value(a.val(src))) {
				if d := rw.decide(kind, u); !d.Allowed {
					return d, true
				}
			}
		}
	}
	return consent.Decision{}, false
}

// decide decides a URL of the page, resolved against its <base href> when it has one.
func (rw *htmlRewriter) decide(kind consent.Kind, u string) consent.Decision {
	if rw.baseHref != "" {
		u = resolveAgainstBase(rw.baseHref, u)
	}
	return rw.o.Decider.URLOn(kind, u, rw.o.Scheme)
}

// resolveAgainstBase resolves u against a <base href> that names another host; a base on the
// page's own host (a path) changes nothing a decision looks at.
func resolveAgainstBase(base, u string) string {
	b, err := url.Parse(strings.TrimSpace(base))
	if err != nil || b.Host == "" {
		return u
	}
	if b.Scheme == "" {
		b.Scheme = "https"
	}
	r, err := url.Parse(strings.TrimSpace(u))
	if err != nil {
		return u
	}
	return b.ResolveReference(r).String()
}

// writeHeld writes the current tag in its held form: the attributes that would load it renamed
// (src, srcset; and type for a script), the data-consentry attributes inserted where the first of
// them stood.
func (rw *htmlRewriter) writeHeld(kind consent.Kind, d consent.Decision, src []byte, start, end int) {
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

	rw.flush(src, start)
	pos := start
	inserted := false
	for _, a := range rw.attrs {
		var rename string
		switch {
		case a.kind == attrSrc:
			rename = "data-consentry-src"
		case a.kind == attrSrcset && kind == consent.KindImage:
			rename = "data-consentry-srcset"
		case a.kind == attrType && kind == consent.KindScript:
			rename = "data-consentry-type"
		default:
			continue
		}
		rw.out = append(rw.out, src[pos:a.start]...)
		if !inserted && rename != "data-consentry-type" {
			rw.out = append(rw.out, ins...)
			inserted = true
		}
		rw.out = append(rw.out, src[a.start:a.nameStart]...)
		rw.out = append(rw.out, rename...)
		rw.out = append(rw.out, src[a.nameEnd:a.end]...)
		pos = a.end
	}
	rw.out = append(rw.out, src[pos:end]...)
	rw.emitted = end
}

// attrValue returns an attribute's value as the browser reads it: without its quotes, with
// character references decoded.
func attrValue(raw []byte) string {
	if len(raw) > 0 && (raw[0] == '"' || raw[0] == '\'') {
		q := raw[0]
		raw = raw[1:]
		if len(raw) > 0 && raw[len(raw)-1] == q {
			raw = raw[:len(raw)-1]
		}
	}
	s := string(raw)
	if strings.IndexByte(s, '&') >= 0 {
		s = stdhtml.UnescapeString(s)
	}
	return s
}

// isGateSrc reports whether a script src is the gate's: its path ends in "/consentry.js" (the files
// may be served from any path or CDN).
func isGateSrc(u string) bool {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	u = strings.TrimSpace(u)
	return u == "consentry.js" || strings.HasSuffix(u, "/consentry.js")
}

// javaScriptTypes are the type attribute values of a classic script that browsers run: the
// JavaScript MIME type essences (MIME Sniffing Standard, "JavaScript MIME type"), matched
// case-insensitively after trimming ASCII whitespace. With parameters ("text/javascript;
// charset=utf-8") a type does not match, and the script does not run (HTML, "prepare the script
// element", step 8 and 9).
var javaScriptTypes = map[string]bool{
	"application/ecmascript": true, "application/javascript": true, "application/x-ecmascript": true,
	"application/x-javascript": true, "text/ecmascript": true, "text/javascript": true,
	"text/javascript1.0": true, "text/javascript1.1": true, "text/javascript1.2": true,
	"text/javascript1.3": true, "text/javascript1.4": true, "text/javascript1.5": true,
	"text/jscript": true, "text/livescript": true, "text/x-ecmascript": true, "text/x-javascript": true,
}

// isJavaScript reports whether a script with these type and language attributes is one the
// browser fetches and runs: a classic script or a module (HTML, "prepare the script element": no
// type and no language, an empty type, a JavaScript MIME type, or "module"; with no type, a
// language L counts as "text/L"). typ and lang are the raw values (nil when absent or empty).
func isJavaScript(hasType bool, typ, lang []byte) bool {
	var t string
	switch {
	case hasType:
		t = attrValue(typ)
	case attrValue(lang) != "":
		t = "text/" + attrValue(lang)
	default:
		return true
	}
	t = strings.ToLower(strings.Trim(t, " \t\n\r\f"))
	return t == "" || t == "module" || javaScriptTypes[t]
}

// srcsetURLs returns the URLs of a srcset attribute value (HTML, "parse a srcset attribute": URLs
// are runs of non-whitespace, descriptors follow up to a comma outside parentheses).
func srcsetURLs(s string) []string {
	var urls []string
	i := 0
	for i < len(s) {
		for i < len(s) && (isSpace(s[i]) || s[i] == ',') {
			i++
		}
		if i >= len(s) {
			break
		}
		j := i
		for j < len(s) && !isSpace(s[j]) {
			j++
		}
		u := s[i:j]
		i = j
		if strings.HasSuffix(u, ",") {
			u = strings.TrimRight(u, ",")
		} else {
			depth := 0
			for i < len(s) {
				c := s[i]
				if c == '(' {
					depth++
				} else if c == ')' && depth > 0 {
					depth--
				} else if c == ',' && depth == 0 {
					break
				}
				i++
			}
		}
		if u != "" {
			urls = append(urls, u)
		}
	}
	return urls
}
