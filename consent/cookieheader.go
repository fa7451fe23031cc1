package consent

import (
	"iter"
	"strings"
)

// This file reads and filters a request's Cookie header field, the browser's side of what
// setcookie.go handles (RFC 6265bis §4.2 "Cookie", §5.8 "Retrieval Model").

// ParseCookieHeader returns the name-value pairs of one Cookie header field value, in order:
//
//	for name, value := range consent.ParseCookieHeader(r.Header.Get("Cookie")) { ... }
//
// The value is split at every ";" (never at ","), each pair is trimmed of SP and HTAB and split at
// its first "=", and name and value are trimmed again. A pair without "=" is a nameless cookie
// (RFC 6265bis §5.8.3 step 6 writes it as its bare value), so it yields "" and the pair. Empty
// pairs (";;", a trailing ";") yield nothing. Nothing is unquoted or decoded, and repeated names
// are all yielded: a browser sends one per path and domain that holds the name.
//
// HTTP/2 and HTTP/3 may split the cookie string over several Cookie fields (RFC 9113 §8.2.3);
// parse each one, or join them with "; " first.
func ParseCookieHeader(h string) iter.Seq2[string, string] {
	return func(yield func(name, value string) bool) {
		for rest := h; rest != ""; {
			var pair string
			pair, rest, _ = strings.Cut(rest, ";")
			if pair = trimCookieWSP(pair); pair == "" {
				continue
			}
			name, value := cookiePairNameValue(pair)
			if !yield(name, value) {
				return
			}
		}
	}
}

// cookiePairNameValue splits a trimmed, non-empty cookie pair.
func cookiePairNameValue(pair string) (name, value string) {
	name, value, ok := strings.Cut(pair, "=")
	if !ok {
		return "", pair
	}
	return trimCookieWSP(name), trimCookieWSP(value)
}

// FilterCookieHeader returns the Cookie header field value h with only the pairs whose name allow
// accepts, for the request the edge sends on to the origin; dropped lists the names of the other
// pairs, in order (a name repeats when the browser sent it more than once).
//
// Pairs are read as ParseCookieHeader reads them. Each kept pair keeps its bytes exactly (trimmed of
// the whitespace around it) and kept pairs are joined with "; ", the separator browsers use
// (RFC 6265bis §5.8.3); commas are never separators, since a value may contain one. When no pair
// is dropped, h itself is returned unchanged; when none is kept (or h has none), kept is "", and
// the caller should remove the header rather than send it empty. allow is called once per pair;
// a nil allow allows nothing. The work is linear in len(h), and nothing is allocated unless
// something is dropped.
func FilterCookieHeader(h string, allow func(name string) bool) (kept string, dropped []string) {
	var b strings.Builder
	building, keptAny := false, false
	for start := 0; start < len(h); {
		end := strings.IndexByte(h[start:], ';')
		if end < 0 {
			end = len(h)
		} else {
			end += start
		}
		pair := trimCookieWSP(h[start:end])
		if pair != "" {
			name, _ := cookiePairNameValue(pair)
			switch {
			case allow != nil && allow(name):
				keptAny = true
				if building {
					writeCookiePair(&b, pair)
				}
			default:
				if !building {
					// The first drop: from here on the result differs from h. Every pair
					// before this one was kept.
					building = true
					b.Grow(len(h) - len(pair))
					for p := range strings.SplitSeq(h[:start], ";") {
						if p = trimCookieWSP(p); p != "" {
							writeCookiePair(&b, p)
						}
					}
				}
				dropped = append(dropped, name)
			}
		}
		start = end + 1
	}
	switch {
	case building:
		return b.String(), dropped
	case keptAny:
		return h, nil
	}
	return "", nil
}

func writeCookiePair(b *strings.Builder, pair string) {
	if b.Len() > 0 {
		b.WriteString("; ")
	}
	b.WriteString(pair)
}
