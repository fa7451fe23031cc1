package catalogue

import (
	"strconv"
	"strings"
)

// NormalizeExpiry turns a retention text, as the Open Cookie Database or a
// cookie policy writes it, into the policy file's expiry form: "session",
// "persistent", or <n><unit> with unit m (minutes), h, d, w, mo or y. It
// returns "" when the text gives no single lifetime.
//
//	"2 Years", "2 years after last activity"  -> "2y"
//	"13 months by default, modifiable"        -> "13mo"
//	"7 days (from each log in)"               -> "7d"
//	"Session", "End of session (browser)"     -> "session"
//	"forever", "Local Storage"                -> "persistent"
//	"90 sec"                                  -> "2m" (rounded up: there is no unit for seconds)
//	"0 days"                                  -> "session"
//	"1 week to 1 year", "Varies", "10 Nov 2030", "1 hour or longer" -> ""
//
// Numbers keep their unit ("365 days" stays "365d"), so the text a visitor
// reads says what the source said.
func NormalizeExpiry(text string) string {
	t := strings.ToLower(strings.Join(strings.Fields(text), " "))
	switch t {
	case "session", "sessions", "seesion", "session cookie", "session only",
		"end of session", "end of session (browser)", "end of the session",
		"browser session", "end of browser session":
		return "session"
	case "persistent", "permanent", "forever", "unlimited", "never",
		"no expiration", "never expires", "local storage":
		return "persistent"
	}
	digits := 0
	for digits < len(t) && t[digits] >= '0' && t[digits] <= '9' {
		digits++
	}
	if digits == 0 {
		return ""
	}
	n, err := strconv.Atoi(t[:digits])
	if err != nil {
		return ""
	}
	rest := strings.TrimPrefix(t[digits:], " ")
	letters := 0
	for letters < len(rest) && rest[letters] >= 'a' && rest[letters] <= 'z' {
		letters++
	}
	unit, ok := expiryUnits[rest[:letters]]
	if !ok || !plainQualifier(strings.TrimSpace(rest[letters:])) {
		return ""
	}
	switch {
	case n == 0:
		// The database writes "0 days" for cookies that do not outlive the visit.
		return "session"
	case unit == "s":
		return strconv.Itoa((n+59)/60) + "m"
	}
	return strconv.Itoa(n) + unit
}

// expiryUnits maps the unit words of retention texts to the policy file's
// units; "s" (seconds) is rounded up to minutes by NormalizeExpiry.
var expiryUnits = map[string]string{
	"s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s",
	"m": "m", "min": "m", "mins": "m", "minute": "m", "minutes": "m",
	"h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
	"d": "d", "day": "d", "days": "d",
	"w": "w", "wk": "w", "wks": "w", "week": "w", "weeks": "w",
	"mo": "mo", "mos": "mo", "month": "mo", "months": "mo",
	"y": "y", "yr": "y", "yrs": "y", "year": "y", "years": "y",
}

// plainQualifier reports whether what follows "<n> <unit>" only qualifies that
// lifetime ("after last activity", "(from each log in)", "by default,
// modifiable") rather than offering another one ("or 10 years", "to 1 year",
// "if you select Remember Me").
func plainQualifier(q string) bool {
	if q == "" {
		return true
	}
	ok := false
	for _, p := range []string{"(", "after ", "from ", "since ", "by default"} {
		ok = ok || strings.HasPrefix(q, p)
	}
	if !ok {
		return false
	}
	for _, alt := range []string{" or ", " to ", " till ", " until ", " if ", "otherwise", "depending"} {
		if strings.Contains(" "+q+" ", alt) {
			return false
		}
	}
	return true
}
