package consent

import (
	"strconv"
)

// Text is a text in several languages, keyed by language tag ("en", "nb").
type Text map[string]string

// In returns the text in lang, else in fallback, else in any language (the smallest tag, so that
// the choice is stable), else "".
func (t Text) In(lang, fallback string) string {
	s, _ := t.Lookup(lang, fallback)
	return s
}

// Lookup is In that also returns the language the text is in, so that a page can mark a text
// that fell back to another language with its own lang attribute.
func (t Text) Lookup(lang, fallback string) (text, tag string) {
	if s, ok := t[lang]; ok {
		return s, lang
	}
	// "nb-NO" falls back to "nb".
	for i := 0; i < len(lang); i++ {
		if lang[i] == '-' {
			if s, ok := t[lang[:i]]; ok {
				return s, lang[:i]
			}
			break
		}
	}
	if s, ok := t[fallback]; ok {
		return s, fallback
	}
	best := ""
	for k := range t {
		if best == "" || k < best {
			best = k
		}
	}
	return t[best], best
}

// Expiry is a declared lifetime: "session", "persistent" (no stated end), or a count and a unit:
// m (minutes), h, d, w, mo (months), y ("2y", "13mo", "30m").
type Expiry string

const (
	ExpirySession    Expiry = "session"
	ExpiryPersistent Expiry = "persistent"
)

// ParseExpiry validates s as an Expiry.
func ParseExpiry(s string) (Expiry, bool) {
	if s == string(ExpirySession) || s == string(ExpiryPersistent) {
		return Expiry(s), true
	}
	n, unit, ok := splitExpiry(s)
	if !ok || n <= 0 {
		return "", false
	}
	_ = unit
	return Expiry(s), true
}

func splitExpiry(s string) (n int, unit string, ok bool) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || i > 6 {
		return 0, "", false
	}
	n, err := strconv.Atoi(s[:i])
	if err != nil {
		return 0, "", false
	}
	switch unit = s[i:]; unit {
	case "m", "h", "d", "w", "mo", "y":
		return n, unit, true
	}
	return 0, "", false
}

// Seconds is the longest time the declared lifetime allows, in seconds (months count as 31 days,
// years as 366, so that a cookie within its declaration is never reported as outliving it). It
// returns false for session and persistent lifetimes.
func (e Expiry) Seconds() (int64, bool) {
	n, unit, ok := splitExpiry(string(e))
	if !ok {
		return 0, false
	}
	d := int64(n)
	switch unit {
	case "m":
		return d * Minute, true
	case "h":
		return d * Hour, true
	case "d":
		return d * Day, true
	case "w":
		return d * 7 * Day, true
	case "mo":
		return d * 31 * Day, true
	}
	return d * 366 * Day, true
}

// Count returns the number and the unit of a counted expiry ("13mo" → 13, "mo").
func (e Expiry) Count() (int, string, bool) { return splitExpiry(string(e)) }
