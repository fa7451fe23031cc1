package consent

import (
	"strings"
	"unicode/utf8"
)

// This file finds the host a URL will contact, the way a browser would resolve it against the page
// (WHATWG URL Standard, https://url.spec.whatwg.org/#concept-basic-url-parser), without net/url:
// net/url allocates and differs from browsers in exactly the places trackers hide in (backslashes,
// tabs and newlines inside the URL, percent-encoded hosts, Unicode hosts).

// urlTarget is what a URL decision needs: the normalized host (or "" for "no network request to a
// host", e.g. data: or javascript:), whether the URL is relative (same origin as the page), and the
// path with query, for services that claim a path prefix.
type urlTarget struct {
	host     string
	relative bool
	path     string
}

func isSpecialScheme(s string) bool {
	return equalFold(s, "http") || equalFold(s, "https") || equalFold(s, "ws") || equalFold(s, "wss") ||
		equalFold(s, "ftp")
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		c := a[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != b[i] {
			return false
		}
	}
	return true
}

// cleanURL applies the URL Standard's first steps: strip leading and trailing C0 controls and
// spaces, and remove every ASCII tab and newline ("ht\ttps://..." is "https://..." to a browser).
func cleanURL(raw string) string {
	start, end := 0, len(raw)
	for start < end && raw[start] <= ' ' {
		start++
	}
	for end > start && raw[end-1] <= ' ' {
		end--
	}
	raw = raw[start:end]
	if strings.IndexAny(raw, "\t\n\r") < 0 {
		return raw
	}
	b := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; c != '\t' && c != '\n' && c != '\r' {
			b = append(b, c)
		}
	}
	return string(b)
}

// parseTarget resolves raw against a page on pageHost with scheme pageScheme ("https" when unknown).
func parseTarget(raw, pageScheme string) urlTarget {
	raw = cleanURL(raw)
	// Scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
	scheme := ""
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		isAlpha := (c|0x20) >= 'a' && (c|0x20) <= 'z'
		if i == 0 && !isAlpha {
			break
		}
		if c == ':' {
			scheme = raw[:i]
			raw = raw[i+1:]
			break
		}
		if !isAlpha && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.' {
			break
		}
	}
	slash := func(c byte) bool { return c == '/' || c == '\\' }
	switch {
	case scheme == "":
		if len(raw) >= 2 && slash(raw[0]) && slash(raw[1]) && isSpecialScheme(pageScheme) {
			return authorityTarget(raw[2:])
		}
		return urlTarget{relative: true, path: raw}
	case isSpecialScheme(scheme):
		// "https:host" and "https:/host" are absolute when the page's scheme differs, and relative
		// (to the page) when it is the same (URL Standard, "special relative or authority state").
		i := 0
		for i < len(raw) && slash(raw[i]) {
			i++
		}
		if i < 2 && equalFold(pageScheme, strings.ToLower(scheme)) {
			return urlTarget{relative: true, path: raw}
		}
		return authorityTarget(raw[i:])
	case equalFold(scheme, "blob"):
		// A blob: URL belongs to the origin that made it: blob:https://site/uuid.
		t := parseTarget(raw, pageScheme)
		return t
	}
	// data:, javascript:, about:, mailto:, ... contact no host.
	return urlTarget{}
}

// authorityTarget reads "userinfo@host:port/path?query#fragment".
func authorityTarget(rest string) urlTarget {
	end := len(rest)
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; c == '/' || c == '\\' || c == '?' || c == '#' {
			end = i
			break
		}
	}
	auth, path := rest[:end], rest[end:]
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		auth = auth[at+1:]
	}
	if strings.HasPrefix(auth, "[") {
		if j := strings.IndexByte(auth, ']'); j >= 0 {
			return urlTarget{host: normalizeHost(auth[:j+1]), path: path}
		}
		return urlTarget{host: invalidHost, path: path}
	}
	if j := strings.IndexByte(auth, ':'); j >= 0 {
		auth = auth[:j]
	}
	if h := strings.IndexByte(path, '#'); h >= 0 {
		path = path[:h]
	}
	return urlTarget{host: normalizeHost(auth), path: path}
}

// invalidHost stands for a host a browser would refuse to parse (RFC 2606 reserves the name).
const invalidHost = "invalid"

// normalizeHost returns host lower-cased, without trailing dots, percent-decoded and with Unicode
// labels in punycode, the form browsers send in Host headers and the form policy patterns are
// compiled to. It allocates only when the host is not already in that form.
func normalizeHost(h string) string {
	if strings.HasPrefix(h, "[") {
		// An IPv6 literal: hex digits, ':' and '.' (an embedded IPv4) between brackets.
		if len(h) < 3 || h[len(h)-1] != ']' {
			return invalidHost
		}
		for i := 1; i < len(h)-1; i++ {
			if c := h[i]; !isHex(c) && c != ':' && c != '.' {
				return invalidHost
			}
		}
		return strings.ToLower(h)
	}
	for len(h) > 0 && h[len(h)-1] == '.' {
		h = h[:len(h)-1]
	}
	clean := true
	for i := 0; i < len(h); i++ {
		c := h[i]
		if c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf || c <= ' ' || c == 0x7f ||
			c == '%' || c == '#' || c == '/' || c == ':' || c == '<' || c == '>' || c == '?' || c == '@' ||
			c == '[' || c == '\\' || c == ']' || c == '^' || c == '|' {
			clean = false
			break
		}
	}
	if clean {
		return h
	}
	if strings.IndexByte(h, '%') >= 0 {
		h = percentDecode(h)
		for len(h) > 0 && h[len(h)-1] == '.' {
			h = h[:len(h)-1]
		}
	}
	// A host with a forbidden code point is a URL failure to a browser (URL Standard, "host
	// parsing"). It is given a name no pattern matches and that is never first party, so that it is
	// decided as an undeclared third party: a parser difference must not become an allowed request.
	for i := 0; i < len(h); i++ {
		if c := h[i]; c <= ' ' || c == 0x7f || strings.IndexByte("#%/:<>?@[\\]^|", c) >= 0 {
			return invalidHost
		}
	}
	h = strings.ToLower(h)
	if !isASCII(h) {
		h = toPunycodeHost(mapFullStops(h))
	}
	return h
}

// mapFullStops replaces the ideographic full stop and its kin with '.', as browsers do (UTS #46),
// and leaves every other byte as it is. (strings.NewReplacer would do, but it links about 25 KB of
// replacer machinery into the page's engine for these three runes.)
func mapFullStops(h string) string {
	var b []byte
	for i := 0; i < len(h); i++ {
		if i+3 <= len(h) && (h[i:i+3] == "\u3002" || h[i:i+3] == "\uff0e" || h[i:i+3] == "\uff61") {
			if b == nil {
				b = append(make([]byte, 0, len(h)), h[:i]...)
			}
			b = append(b, '.')
			i += 2
		} else if b != nil {
			b = append(b, h[i])
		}
	}
	if b == nil {
		return h
	}
	return string(b)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func percentDecode(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func toPunycodeHost(h string) string {
	b := make([]byte, 0, len(h)+8)
	for {
		label, rest, more := strings.Cut(h, ".")
		if isASCII(label) {
			b = append(b, label...)
		} else {
			b = append(append(b, "xn--"...), punycodeEncode(label)...)
		}
		if !more {
			return string(b)
		}
		b = append(b, '.')
		h = rest
	}
}

// punycodeEncode encodes one label with the Bootstring parameters of RFC 3492 §5.
func punycodeEncode(label string) string {
	const (
		base        = 36
		tMin        = 1
		tMax        = 26
		skew        = 38
		damp        = 700
		initialBias = 72
		initialN    = 128
	)
	runes := []rune(label)
	out := make([]byte, 0, len(label)+8)
	for _, r := range runes {
		if r < 0x80 {
			out = append(out, byte(r))
		}
	}
	b := len(out)
	h := b
	if b > 0 {
		out = append(out, '-')
	}
	digit := func(d int) byte {
		if d < 26 {
			return byte('a' + d)
		}
		return byte('0' + d - 26)
	}
	adapt := func(delta, numPoints int, first bool) int {
		if first {
			delta /= damp
		} else {
			delta /= 2
		}
		delta += delta / numPoints
		k := 0
		for delta > ((base-tMin)*tMax)/2 {
			delta /= base - tMin
			k += base
		}
		return k + (base-tMin+1)*delta/(delta+skew)
	}
	n, delta, bias := initialN, 0, initialBias
	for h < len(runes) {
		m := int(^uint32(0) >> 1)
		for _, r := range runes {
			if int(r) >= n && int(r) < m {
				m = int(r)
			}
		}
		delta += (m - n) * (h + 1)
		n = m
		for _, r := range runes {
			if int(r) < n {
				delta++
			}
			if int(r) == n {
				q := delta
				for k := base; ; k += base {
					t := k - bias
					if t < tMin {
						t = tMin
					} else if t > tMax {
						t = tMax
					}
					if q < t {
						break
					}
					out = append(out, digit(t+(q-t)%(base-t)))
					q = (q - t) / (base - t)
				}
				out = append(out, digit(q))
				bias = adapt(delta, h+1, h == b)
				delta = 0
				h++
			}
		}
		delta++
		n++
	}
	return string(out)
}
