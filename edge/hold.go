package edge

import (
	stdhtml "html"
	"net/url"
	"strings"

	"github.com/consentry/consentry/consent"
)

// This file decides each start tag the rewriter reads: where the gate goes, and which elements are
// written in their held form (see the package documentation for the form).

// startTag writes the start tag src[start:end], named name (lower case), whose attributes are in
// rw.attrs: as it is, or held, with the gate before it when it is the first thing in the head that
// loads or runs anything.
func (rw *htmlRewriter) startTag(nameBytes []byte, src []byte, start, end int) {
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

// attr returns the first attribute of the current tag with the given (lower-case) name.
func (rw *htmlRewriter) attr(name string) *attr {
	for i := range rw.attrs {
		if string(rw.attrs[i].name) == name {
			return &rw.attrs[i]
		}
	}
	return nil
}

// holdDecision decides the current tag: ok is true, with the decision that denies it, when it must
// be held.
func (rw *htmlRewriter) holdDecision(kind consent.Kind) (consent.Decision, bool) {
	if rw.attr("data-consentry") != nil {
		return consent.Decision{}, false // the site's own held markup
	}
	if kind == consent.KindScript {
		if !isJavaScript(rw.attr("type"), rw.attr("language")) {
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
		for ws < len(span) && isHTMLSpace(span[ws]) {
			ws++
		}
		rw.out = append(rw.out, span[:ws]...)
		rw.out = append(rw.out, rename...)
		rw.out = append(rw.out, span[ws+len(a.name):]...)
		pos = a.end
	}
	rw.out = append(rw.out, src[pos:end]...)
}

func isHTMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

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

// isJavaScript reports whether a script with these type and language attributes (nil when absent)
// is one the browser fetches and runs: a classic script or a module (HTML, "prepare the script
// element": no type and no language, an empty type, a JavaScript MIME type, or "module"; with no
// type, a language L counts as "text/L").
func isJavaScript(typ, lang *attr) bool {
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

// srcsetURLs returns the URLs of a srcset attribute value (HTML, "parse a srcset attribute": URLs
// are runs of non-whitespace, descriptors follow up to a comma outside parentheses).
func srcsetURLs(s string) []string {
	var urls []string
	i := 0
	for i < len(s) {
		for i < len(s) && (isHTMLSpace(s[i]) || s[i] == ',') {
			i++
		}
		if i >= len(s) {
			break
		}
		j := i
		for j < len(s) && !isHTMLSpace(s[j]) {
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
