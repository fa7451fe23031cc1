package consent

import (
	"strings"
)

// This file reads Set-Cookie header values the way browsers do, decides which of a response's
// Set-Cookie lines may reach the browser, and writes the lines that delete a cookie when consent is
// withdrawn.
//
// The reference is RFC 6265bis, "Cookies: HTTP State Management Mechanism"
// (draft-ietf-httpbis-rfc6265bis, text of January 2026, https://httpwg.org/http-extensions/
// draft-ietf-httpbis-rfc6265bis.html). Section numbers below are that draft's: §5.1.1 dates, §5.1.4
// paths, §5.4 name prefixes, §5.5 lifetime limits, §5.6 the Set-Cookie parsing algorithm, §5.7 the
// storage model. Where browsers are known to differ from the draft, the comment says so.

// SetCookie is one Set-Cookie header value as a user agent parses it (RFC 6265bis §5.6).
//
// It records what the line says, not what a cookie store would make of it: the storage model
// (§5.7) needs the request URL to resolve the default path, to check Domain against the host and
// the public suffix list, to apply the 400-day limit to Expires and to enforce the cookie-name
// prefixes, and none of that is known here.
type SetCookie struct {
	// Name and Value are the name-value pair (everything before the first ";"), split at its first
	// "=" and trimmed of SP and HTAB. A pair without "=" has an empty Name and the whole pair as
	// Value (§5.6 step 3). Nothing is unquoted or decoded: `a="b"` has the Value `"b"`.
	Name, Value string

	// Domain is the value of the last Domain attribute without one leading "." and lower-cased
	// (ASCII letters only) (§5.6.3). Empty means host-only: no Domain attribute, or a last one that
	// is empty or "." (§5.7 step 7). Chrome (2022) instead skips an empty Domain attribute.
	Domain string
	// Path is the value of the last Path attribute, or "" for the default path (§5.1.4): no Path
	// attribute, or a last one that is empty or does not start with "/" (§5.6.4).
	Path string

	// Expires is the date of the last Expires attribute that parses as a cookie-date (§5.1.1), in
	// UTC; HasExpires reports whether there was one. It is not reduced to the 400-day limit (§5.5),
	// which counts from the moment the browser receives the line.
	Expires    int64 // unix seconds (the engine does not import time: see unixtime.go)
	HasExpires bool
	// MaxAge is the delta-seconds of the last valid Max-Age attribute (§5.6.2), clamped to ±400 days
	// (±34560000; §5.5 caps the positive side, the negative side only ever means "now"); HasMaxAge
	// reports whether there was one. Zero or less means the cookie expires at once.
	MaxAge    int
	HasMaxAge bool

	// Secure, HTTPOnly and Partitioned report the attributes of those names (§5.6.5, §5.6.6;
	// Partitioned is CHIPS, draft-cutler-httpbis-partitioned-cookies). Their values are ignored:
	// "Secure=no" sets Secure.
	Secure, HTTPOnly, Partitioned bool
	// SameSite is "Strict", "Lax" or "None" from the last SameSite attribute, or "" for the default
	// enforcement: no SameSite attribute, or a last one with any other value (§5.6.7, §5.7 step 17).
	SameSite string

	// Valid is false when a user agent ignores the whole line: it contains a control character
	// other than HTAB (§5.6 step 1), or its name and value are both empty (§5.7 step 2) or longer
	// than 4096 bytes together (§5.6 step 5). The other fields still hold what was read, for
	// reports. Valid says nothing about rules that need the request (Domain, Secure, prefixes).
	Valid bool
}

// Limits from RFC 6265bis, in bytes and seconds.
const (
	maxCookieNameValue = 4096            // §5.6 step 5: name and value together
	maxCookieAttrValue = 1024            // §5.6 step 6: longer attribute values are ignored
	cookieAgeLimit     = 400 * 24 * 3600 // §5.5: 400 days, in seconds (Chrome since M104, 2022)
)

// ParseSetCookie parses one Set-Cookie header value (never several joined with commas: an Expires
// date contains one) following RFC 6265bis §5.6:
//
//   - the name-value pair is everything up to the first ";", split at its first "=", with SP and
//     HTAB trimmed from name and value; without "=", the name is empty and the pair is the value;
//   - attributes follow, separated by ";", each split at its first "=" and trimmed; names are
//     matched ASCII case-insensitively, unknown ones ignored, and attributes whose value is longer
//     than 1024 bytes ignored (§5.6 step 6);
//   - the last occurrence of an attribute wins, except that an Expires that is not a cookie-date
//     (§5.1.1) and a Max-Age that is not an integer (§5.6.2) are ignored, so an earlier valid one
//     stays.
//
// It never fails: a line a browser would ignore entirely comes back with Valid false. Its work is
// linear in the length of the line, and it allocates only to lower-case a Domain.
func ParseSetCookie(line string) SetCookie {
	c, _ := parseSetCookie(line)
	return c
}

// Expired reports whether a browser would treat the cookie as expired at now, that is whether the
// line deletes the cookie (and any stored cookie of the same name, domain and path) instead of
// storing it (RFC 6265bis §5.7 step 6 and the note after step 24). Max-Age wins over Expires; a
// cookie with neither is a session cookie and is not expired. An expiry exactly at now counts as
// expired.
func (c SetCookie) Expired(now int64) bool {
	if c.HasMaxAge {
		return c.MaxAge <= 0
	}
	return c.HasExpires && c.Expires <= now
}

// expiryEvidence is what parseSetCookie saw of every Max-Age and Expires attribute, valid or not,
// not only of the last valid one. Browsers do not all pick the same one: Chrome (net/cookies
// canonical_cookie.cc, as of 2024) takes the last Max-Age attribute even when it is not a number,
// and then falls back to Expires, where the draft keeps an earlier valid Max-Age. A line is a deletion for FilterSetCookies only when every
// reading agrees (see deletes).
type expiryEvidence struct {
	maxAges, expires int   // Max-Age and Expires attributes seen, whatever their value
	maxAgeMayKeep    bool  // a Max-Age that is not an integer ≤ 0 within int64, or too long
	expiresMayKeep   bool  // an Expires that is not a cookie-date, or too long
	latestExpires    int64 // the latest date among the Expires that parsed (unix seconds)
}

// deletes reports whether the line expires its cookie at now under every reading of its
// attributes: when it has Max-Age attributes, all of them are integers ≤ 0; when it has none, it
// has Expires attributes and all of them are valid dates not after now.
func (e expiryEvidence) deletes(now int64) bool {
	if e.maxAges > 0 {
		return !e.maxAgeMayKeep
	}
	return e.expires > 0 && !e.expiresMayKeep && e.latestExpires <= now
}

// parseSetCookie is ParseSetCookie, which also returns what FilterSetCookies needs to tell a
// certain deletion.
func parseSetCookie(line string) (c SetCookie, ev expiryEvidence) {
	c.Valid = !hasCookieCTL(line)
	pair, attrs, more := strings.Cut(line, ";")
	name, value, hasEq := strings.Cut(pair, "=")
	if !hasEq {
		name, value = "", pair
	}
	c.Name, c.Value = trimCookieWSP(name), trimCookieWSP(value)
	if c.Name == "" && c.Value == "" || len(c.Name)+len(c.Value) > maxCookieNameValue {
		c.Valid = false
	}
	for more {
		var av string
		av, attrs, more = strings.Cut(attrs, ";")
		k, v, _ := strings.Cut(av, "=")
		k, v = trimCookieWSP(k), trimCookieWSP(v)
		tooLong := len(v) > maxCookieAttrValue
		switch {
		case equalFold(k, "expires"):
			ev.expires++
			if tooLong {
				ev.expiresMayKeep = true
				continue
			}
			t, ok := parseCookieDate(v)
			if !ok {
				ev.expiresMayKeep = true
				continue
			}
			if !c.HasExpires || t > ev.latestExpires {
				ev.latestExpires = t
			}
			c.Expires, c.HasExpires = t, true
		case equalFold(k, "max-age"):
			ev.maxAges++
			secs, ok, exact := parseMaxAge(v)
			if tooLong || !ok {
				ev.maxAgeMayKeep = true
				continue
			}
			c.MaxAge, c.HasMaxAge = secs, true
			if secs > 0 || !exact {
				ev.maxAgeMayKeep = true
			}
		case tooLong:
			// §5.6 step 6: the whole cookie-av is ignored, whatever its name.
		case equalFold(k, "domain"):
			c.Domain = lowerCookieDomain(strings.TrimPrefix(v, "."))
		case equalFold(k, "path"):
			if v == "" || v[0] != '/' {
				v = "" // the default path (§5.6.4 step 1)
			}
			c.Path = v
		case equalFold(k, "secure"):
			c.Secure = true
		case equalFold(k, "httponly"):
			c.HTTPOnly = true
		case equalFold(k, "partitioned"):
			c.Partitioned = true
		case equalFold(k, "samesite"):
			switch {
			case equalFold(v, "strict"):
				c.SameSite = "Strict"
			case equalFold(v, "lax"):
				c.SameSite = "Lax"
			case equalFold(v, "none"):
				c.SameSite = "None"
			default:
				c.SameSite = ""
			}
		}
	}
	return c, ev
}

// hasCookieCTL reports whether s contains %x00-08 / %x0A-1F / %x7F, the control characters that
// make a user agent ignore a whole Set-Cookie line (RFC 6265bis §5.6 step 1). HTAB is whitespace.
func hasCookieCTL(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return true
		}
	}
	return false
}

// trimCookieWSP removes leading and trailing WSP (SP and HTAB, RFC 5234) and nothing else: not
// newlines, not Unicode spaces.
func trimCookieWSP(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// lowerCookieDomain lower-cases ASCII letters and leaves every other byte as it is (strings.ToLower
// would rewrite invalid UTF-8 as U+FFFD). It allocates only when there is something to change.
func lowerCookieDomain(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// parseMaxAge reads a Max-Age attribute-value per RFC 6265bis §5.6.2: an optional "-" followed by
// one or more digits, nothing else. ok is false when the attribute must be ignored. secs is
// clamped to ±cookieAgeLimit. exact is false when the magnitude does not fit in an int64: Chrome
// saturates such values, other parsers fail on them, so such a line is no certain deletion.
func parseMaxAge(v string) (secs int, ok, exact bool) {
	digits := strings.TrimPrefix(v, "-")
	if digits == "" {
		return 0, false, false
	}
	const maxInt64 = 1<<63 - 1
	var n uint64
	exact = true
	for i := 0; i < len(digits); i++ {
		d := digits[i]
		if d < '0' || d > '9' {
			return 0, false, false
		}
		if n > (maxInt64-uint64(d-'0'))/10 {
			exact, n = false, maxInt64
			continue
		}
		n = n*10 + uint64(d-'0')
	}
	if n > cookieAgeLimit {
		n = cookieAgeLimit
	}
	secs = int(n)
	if len(digits) < len(v) {
		secs = -secs
	}
	return secs, true, exact
}

// parseCookieDate parses an Expires attribute-value with the cookie-date algorithm of RFC 6265bis
// §5.1.1, which reads every date format servers have used (IMF-fixdate "Sun, 06 Nov 1994 08:49:37
// GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT", asctime "Sun Nov  6 08:49:37 1994", and worse) by
// looking at tokens instead of a layout:
//
//   - the value is split into tokens at delimiters (HTAB, SP to "/", ";" to "@", "[" to "`", "{" to
//     "~");
//   - each token, in order, is the first of time (h:m:s, one or two digits each), day of month (one
//     or two digits), month (starts with "jan" ... "dec", any case) and year (two to four digits)
//     that it matches and that is not found yet; a number may be followed by a non-digit and
//     anything ("21st", "07:28:00GMT"); other tokens are skipped;
//   - years 70–99 become 1970–1999 and 0–69 become 2000–2069;
//   - all four must be found, and day 1–31, year ≥ 1601, hour ≤ 23, minute and second ≤ 59, and the
//     date must exist (no 30 February).
//
// The time zone is always UTC: "GMT" and anything else are skipped tokens.
func parseCookieDate(s string) (int64, bool) {
	var (
		foundTime, foundDay, foundMonth, foundYear bool
		hour, minute, second, day, month, year     int
	)
	for i := 0; i < len(s); {
		for i < len(s) && isCookieDateDelimiter(s[i]) {
			i++
		}
		start := i
		for i < len(s) && !isCookieDateDelimiter(s[i]) {
			i++
		}
		tok := s[start:i]
		if tok == "" {
			break
		}
		if !foundTime {
			if h, m, sec, ok := cookieDateTime(tok); ok {
				hour, minute, second, foundTime = h, m, sec, true
				continue
			}
		}
		if !foundDay {
			if n, ok := cookieDateNumber(tok, 1, 2); ok {
				day, foundDay = n, true
				continue
			}
		}
		if !foundMonth {
			if m := cookieDateMonth(tok); m != 0 {
				month, foundMonth = m, true
				continue
			}
		}
		if !foundYear {
			if n, ok := cookieDateNumber(tok, 2, 4); ok {
				year, foundYear = n, true
				continue
			}
		}
	}
	switch {
	case year >= 70 && year <= 99:
		year += 1900
	case year >= 0 && year <= 69:
		year += 2000
	}
	if !foundTime || !foundDay || !foundMonth || !foundYear ||
		day < 1 || day > 31 || year < 1601 || hour > 23 || minute > 59 || second > 59 {
		return 0, false
	}
	if day > daysInMonth(year, month) {
		return 0, false
	}
	return unixSeconds(year, month, day, hour, minute, second), true
}

// isCookieDateDelimiter reports whether c is a delimiter of RFC 6265bis §5.1.1:
// %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E.
func isCookieDateDelimiter(c byte) bool {
	return c == 0x09 || c >= 0x20 && c <= 0x2f || c >= 0x3b && c <= 0x40 || c >= 0x5b && c <= 0x60 ||
		c >= 0x7b && c <= 0x7e
}

// cookieDigits returns the number made of the leading digits of s (at most a few: callers bound
// the count) and how many there are.
func cookieDigits(s string) (n, count int) {
	for count < len(s) && s[count] >= '0' && s[count] <= '9' {
		if count < 9 {
			n = n*10 + int(s[count]-'0')
		}
		count++
	}
	return n, count
}

// cookieDateNumber matches fewest*most DIGIT [ non-digit *OCTET ] (the day-of-month and year rules).
func cookieDateNumber(tok string, fewest, most int) (int, bool) {
	n, count := cookieDigits(tok)
	return n, count >= fewest && count <= most
}

// cookieDateTime matches hms-time [ non-digit *OCTET ], hms-time being three 1*2DIGIT fields
// joined by ":".
func cookieDateTime(tok string) (h, m, s int, ok bool) {
	var fields [3]int
	for i := range fields {
		n, count := cookieDigits(tok)
		if count < 1 || count > 2 {
			return 0, 0, 0, false
		}
		fields[i], tok = n, tok[count:]
		if i < 2 {
			if tok == "" || tok[0] != ':' {
				return 0, 0, 0, false
			}
			tok = tok[1:]
		}
	}
	return fields[0], fields[1], fields[2], true
}

// cookieDateMonth returns 1–12 when tok starts with a month's three-letter abbreviation in any
// case, and 0 otherwise.
func cookieDateMonth(tok string) int {
	if len(tok) < 3 {
		return 0
	}
	const months = "janfebmaraprmayjunjulaugsepoctnovdec"
	for i := 0; i < len(months); i += 3 {
		if equalFold(tok[:3], months[i:i+3]) {
			return i/3 + 1
		}
	}
	return 0
}

// FilterSetCookies decides which of a response's Set-Cookie header values may reach the browser.
//
// lines are the header's values one by one, as the response carries them (http.Header's
// ["Set-Cookie"] slice): they are never split or joined on commas, since "Expires=Wed, 21 Oct 2015
// 07:28:00 GMT" contains one. kept holds the lines that pass, in their order, each the very string
// it was; dropped holds the parsed form of each other line, for reports.
//
// A line passes when allow(name) is true for its cookie's name (as ParseSetCookie reads it; a line
// without "=" has the name "", and allow decides it like any other), or when it deletes its
// cookie: deleting is never a leak, and a withdrawal must be able to clear what was set before.
// allow is called once for each line that is not a deletion; a nil allow allows nothing.
//
// A line counts as a deletion only when the draft and the browsers' own parsers agree that it is
// one: it is Valid, and either all its Max-Age attributes are integers ≤ 0, or it has none and all
// its Expires attributes are valid dates not after now. SetCookie.Expired alone is not enough:
// "Max-Age=0; Max-Age=abc" is expired by the draft (an invalid Max-Age is ignored) but a session
// cookie in Chrome, which takes the last Max-Age, fails to read it and falls back to Expires.
//
// now should be the time of the response's Date header when it has one: Chrome
// (canonical_cookie.cc, 2024) and Firefox (its cookie service, long since) measure an Expires date
// against the server's Date, not their own clock, so an Expires a minute ago by the edge's clock
// but after the origin's Date is a live cookie to them.
//
// Lines a browser ignores entirely (SetCookie.Valid false) are decided by their name like the rest:
// a browser that ignores them is unaffected either way, and one that is laxer sees only allowed
// names.
//
// The work is linear in the total length of the lines, with no allocation besides the two results
// (and Domain lower-casing), so hundreds of lines and 64 KB of hostile input cost well under a
// millisecond (see BenchmarkFilterSetCookies).
func FilterSetCookies(lines []string, allow func(name string) bool, now int64) (kept []string, dropped []SetCookie) {
	for _, line := range lines {
		c, ev := parseSetCookie(line)
		if c.Valid && ev.deletes(now) || allow != nil && allow(c.Name) {
			kept = append(kept, line)
			continue
		}
		dropped = append(dropped, c)
	}
	return kept, dropped
}

// Bounds of ExpiryLines.
const (
	maxExpiryPaths   = 4   // path variants per domain variant, "/" included
	maxExpiryDomains = 8   // Domain= variants per name, besides the host-only one
	maxExpiryNames   = 180 // distinct names: Chrome and Firefox keep at most 180 cookies per site (2026)
)

// expiryEpoch is the Expires of every deletion line, beside Max-Age=0, for user agents that predate
// Max-Age. 1970-01-01 is the customary value (and after 1601, so it parses).
const expiryEpoch = "Thu, 01 Jan 1970 00:00:00 GMT"

// ExpiryLines returns Set-Cookie header values that delete each named cookie wherever the browser
// may hold it for this request, for when consent is withdrawn.
//
// A Set-Cookie line deletes a stored cookie only when its name, domain, host-only flag and path
// are the same (RFC 6265bis §5.7 step 23), and the Cookie header tells none of those but the name.
// So each name gets one line per variant, each
//
//	name=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=P[; Domain=D][; Secure][; HttpOnly]
//
// in this order: domain variants outer, path variants inner:
//
//   - domains: host-only (no Domain attribute) first, then Domain= host and each parent of host
//     down to and including registrable, deepest first. registrable is the host's registrable
//     domain, which the caller computes with the public suffix list; when it is "", is not host
//     nor a suffix of host at a label boundary, or host is an IP address, only host-only is
//     written. At most 8 Domain= variants are written, those nearest registrable: a host more than
//     8 labels below it loses its deepest variants.
//   - paths: "/" first and at most 4 in all, shortest first: "/", the default path of requestPath
//     (§5.1.4: where a cookie set without Path on this page lives), requestPath itself, and its
//     first segment ("/shop" of "/shop/cart/item", an application's root), whichever differ.
//     requestPath is the path as the browser sent it (escaped, without query: for net/http,
//     r.URL.EscapedPath()), since browsers compare cookie paths byte for byte. A path containing
//     ";", a control character or a space, or longer than 1024 bytes, is left out.
//   - Secure is added when secure is true (an https request) and always for __Secure- names.
//     __Host- names get exactly one line, host-only with Path=/ and Secure, since nothing else can
//     hold them (§5.4, §5.7 step 21). __Http- and __Host-Http- names also get HttpOnly
//     (draft-ietf-httpbis-layered-cookies). Prefixes are matched in any case (§5.4).
//
// host is the request's Host: lower-case, with or without a port, an IPv6 literal in brackets.
// Names that cannot be written in a line (empty, or with ";", "=", control characters or leading
// or trailing space) are skipped, and a repeated name is written once. Cookies set with the
// Partitioned attribute (CHIPS) live in a separate jar and are not reached.
//
// Bound: at most (1+8)×4 = 36 lines per distinct name (one per __Host- name), for at most the first
// 180 distinct names, since no browser keeps more cookies for one site: 6480 lines, and about 9 per
// name for a host one label below its registrable domain on a page one directory deep. The work
// is proportional to the number of names and lines.
func ExpiryLines(names []string, host, registrable, requestPath string, secure bool) []string {
	domains := expiryDomains(host, registrable)
	paths := expiryPaths(requestPath)
	var lines, seen []string
	for _, name := range names {
		if len(seen) == maxExpiryNames {
			break
		}
		if !expirableName(name) || indexOfString(seen, name) >= 0 {
			continue
		}
		seen = append(seen, name)
		httpOnly := cookiePrefixIs(name, "__http-") || cookiePrefixIs(name, "__host-http-")
		if cookiePrefixIs(name, "__host-") {
			lines = append(lines, expiryLine(name, "/", "", true, httpOnly))
			continue
		}
		sec := secure || httpOnly || cookiePrefixIs(name, "__secure-")
		for _, d := range domains {
			for _, p := range paths {
				lines = append(lines, expiryLine(name, p, d, sec, httpOnly))
			}
		}
	}
	return lines
}

func expiryLine(name, path, domain string, secure, httpOnly bool) string {
	var b strings.Builder
	b.Grow(len(name) + len(path) + len(domain) + 80)
	b.WriteString(name)
	b.WriteString("=; Max-Age=0; Expires=" + expiryEpoch + "; Path=")
	b.WriteString(path)
	if domain != "" {
		b.WriteString("; Domain=")
		b.WriteString(domain)
	}
	if secure {
		b.WriteString("; Secure")
	}
	if httpOnly {
		b.WriteString("; HttpOnly")
	}
	return b.String()
}

// indexOfString returns the index of the first s in list, or -1. The lists are short: the names
// ExpiryLines keeps (at most 180) and its paths (at most 4).
func indexOfString(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// cookiePrefixIs reports whether name starts with prefix (given in lower case), ASCII
// case-insensitively, as user agents match cookie-name prefixes (RFC 6265bis §5.4).
func cookiePrefixIs(name, prefix string) bool {
	return len(name) >= len(prefix) && equalFold(name[:len(prefix)], prefix)
}

// expirableName reports whether a deletion line can name the cookie: a non-empty name without ";",
// "=" or control characters and without leading or trailing whitespace, which a parser would
// trim (a nameless cookie cannot be named: "=" alone is ignored, §5.7 step 2).
func expirableName(name string) bool {
	if name == "" || len(name) > maxCookieNameValue || trimCookieWSP(name) != name {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x20 || c == 0x7f || c == ';' || c == '=' {
			return false
		}
	}
	return true
}

// expiryDomains returns the domain variants for ExpiryLines: "" for host-only, then host and its
// parents down to registrable.
func expiryDomains(host, registrable string) []string {
	domains := []string{""}
	h, isIP := expiryHost(host)
	registrable = lowerCookieDomain(strings.TrimPrefix(registrable, "."))
	if isIP || h == "" || registrable == "" || !isPlainHostname(h) ||
		h != registrable && !strings.HasSuffix(h, "."+registrable) {
		return domains
	}
	var all []string
	for d := h; ; {
		all = append(all, d)
		if d == registrable {
			break
		}
		d = d[strings.IndexByte(d, '.')+1:]
	}
	if len(all) > maxExpiryDomains {
		all = all[len(all)-maxExpiryDomains:]
	}
	return append(domains, all...)
}

// expiryHost strips the port from a Host value and lower-cases it, and reports whether it is an
// IP address: an IPv6 literal, or a host whose last label is a number, which the URL Standard
// parses as IPv4 ("ends in a number", https://url.spec.whatwg.org/#ends-in-a-number-checker).
func expiryHost(host string) (h string, isIP bool) {
	if strings.HasPrefix(host, "[") || strings.Count(host, ":") > 1 {
		return "", true
	}
	if i := strings.IndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	h = lowerCookieDomain(host)
	last := strings.TrimSuffix(h, ".")
	last = last[strings.LastIndexByte(last, '.')+1:]
	if last == "" {
		return h, false
	}
	hex := len(last) >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X')
	digits := last
	if hex {
		digits = last[2:]
	}
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if !(c >= '0' && c <= '9' || hex && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
			return h, false
		}
	}
	return h, true
}

// isPlainHostname reports whether h is what a DNS name in a Host header is (lower-case ASCII
// letters, digits, "-" and "_" in labels joined by single dots), so that it can be written into a
// Domain attribute as is.
func isPlainHostname(h string) bool {
	if h == "" || h[0] == '.' || strings.Contains(h, "..") {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// expiryPaths returns the path variants for ExpiryLines, shortest first.
func expiryPaths(requestPath string) []string {
	p := requestPath
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	paths := []string{"/"}
	if p == "" || p[0] != '/' {
		return paths
	}
	defaultPath := "/"
	if i := strings.LastIndexByte(p, '/'); i > 0 {
		defaultPath = p[:i]
	}
	first := p
	if i := strings.IndexByte(p[1:], '/'); i >= 0 {
		first = p[:i+1]
	}
	for _, c := range [...]string{defaultPath, p, first} {
		if len(paths) < maxExpiryPaths && expirablePath(c) && indexOfString(paths, c) < 0 {
			paths = append(paths, c)
		}
	}
	// Shortest first; the candidates are prefixes of one path, so length orders them.
	for i := 1; i < len(paths); i++ {
		for j := i; j > 0 && len(paths[j]) < len(paths[j-1]); j-- {
			paths[j], paths[j-1] = paths[j-1], paths[j]
		}
	}
	return paths
}

// expirablePath reports whether p can be written as a Path attribute that a browser keeps:
// starting with "/", at most 1024 bytes (§5.6 step 6), without ";", spaces or control characters.
func expirablePath(p string) bool {
	if p == "" || p[0] != '/' || len(p) > maxCookieAttrValue {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c <= 0x20 || c == 0x7f || c == ';' {
			return false
		}
	}
	return true
}
