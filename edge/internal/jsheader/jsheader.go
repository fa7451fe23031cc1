// Package jsheader holds the pure parts of the worker's JS/Go header boundary (see
// edge/cmd/worker/boundary.go and edge/worker/entry.mjs), so that they are tested and fuzzed
// natively: the header list format the entry module writes, and what JS Headers accepts.
package jsheader

import (
	"net/http"
	"strings"
	"unicode/utf8"
)

// Parse reads a header list as the entry module writes it: "name\nvalue\nname\nvalue\n...", one
// field per pair, in order, each Set-Cookie line on its own. Values are kept whole: nothing is
// split at commas. A trailing name without a value is ignored.
func Parse(s string) http.Header {
	h := make(http.Header, strings.Count(s, "\n")/2)
	for s != "" {
		name, rest, ok := strings.Cut(s, "\n")
		if !ok {
			break
		}
		value, rest2, ok := strings.Cut(rest, "\n")
		if !ok && rest == "" {
			break
		}
		key := http.CanonicalHeaderKey(name)
		h[key] = append(h[key], value)
		s = rest2
	}
	return h
}

// Format writes h in the list format Parse reads (for tests and for the Go side of a fake
// boundary); fields whose name or value cannot be carried (see Sanitize) must be removed first.
func Format(h http.Header) string {
	var b strings.Builder
	for name, values := range h {
		for _, v := range values {
			b.WriteString(strings.ToLower(name))
			b.WriteByte('\n')
			b.WriteString(v)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// Sanitize drops the fields that JS Headers rejects with a TypeError (which syscall/js turns into a
// panic): a name that is not an HTTP token, a value with NUL, CR or LF, or with a character a JS
// header cannot hold (above U+00FF, which is also what invalid UTF-8 becomes). Fetch Standard,
// "header name" and "header value" (https://fetch.spec.whatwg.org/#concept-header-value); WebIDL
// ByteString.
func Sanitize(h http.Header) {
	for name, values := range h {
		if !ValidName(name) {
			delete(h, name)
			continue
		}
		for i, v := range values {
			if ValidValue(v) {
				continue
			}
			kept := append([]string(nil), values[:i]...)
			for _, v := range values[i+1:] {
				if ValidValue(v) {
					kept = append(kept, v)
				}
			}
			if len(kept) == 0 {
				delete(h, name)
			} else {
				h[name] = kept
			}
			break
		}
	}
}

// ValidName reports whether s is an HTTP token (RFC 9110 §5.6.2).
func ValidName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// ValidValue reports whether s can be a JS header value once Go's UTF-8 becomes a JS string: no
// NUL, CR or LF, valid UTF-8, nothing above U+00FF.
func ValidValue(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == 0 || c == '\r' || c == '\n' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || r > 0xff {
			return false
		}
		i += size
	}
	return true
}
