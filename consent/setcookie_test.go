package consent_test

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/consentry/consentry/consent"
)

// setCookieNow is the clock of the Set-Cookie tests.
var setCookieNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC).Unix()

// updatingGolden reports whether the package's -update switch is on. The flag is defined once for
// the package (helpers_test.go); this external test package reads it by name.
func updatingGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// noDate marks an Expires value that must not parse.
const noDate = math.MinInt64

func rfc3339(unix int64) string { return time.Unix(unix, 0).UTC().Format(time.RFC3339) }

func utc(year int, month time.Month, day, hour, min, sec int) int64 {
	return time.Date(year, month, day, hour, min, sec, 0, time.UTC).Unix()
}

// describeSetCookie prints every field, so that a failing case shows what differs.
func describeSetCookie(c consent.SetCookie) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name=%q value=%q", c.Name, c.Value)
	if c.Domain != "" {
		fmt.Fprintf(&b, " domain=%q", c.Domain)
	}
	if c.Path != "" {
		fmt.Fprintf(&b, " path=%q", c.Path)
	}
	if c.HasExpires {
		fmt.Fprintf(&b, " expires=%s", rfc3339(c.Expires))
	} else if c.Expires != 0 {
		fmt.Fprintf(&b, " expires(without HasExpires)=%s", rfc3339(c.Expires))
	}
	if c.HasMaxAge {
		fmt.Fprintf(&b, " max-age=%d", c.MaxAge)
	} else if c.MaxAge != 0 {
		fmt.Fprintf(&b, " max-age(without HasMaxAge)=%d", c.MaxAge)
	}
	for _, f := range []struct {
		on   bool
		name string
	}{{c.Secure, "secure"}, {c.HTTPOnly, "httponly"}, {c.Partitioned, "partitioned"}, {!c.Valid, "INVALID"}} {
		if f.on {
			b.WriteString(" " + f.name)
		}
	}
	if c.SameSite != "" {
		fmt.Fprintf(&b, " samesite=%s", c.SameSite)
	}
	return b.String()
}

func TestParseSetCookie(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	ok := func(name, value string) consent.SetCookie {
		return consent.SetCookie{Name: name, Value: value, Valid: true}
	}
	with := func(c consent.SetCookie, edit func(*consent.SetCookie)) consent.SetCookie {
		edit(&c)
		return c
	}
	maxAge := func(n int) consent.SetCookie {
		return consent.SetCookie{Name: "a", Value: "b", MaxAge: n, HasMaxAge: true, Valid: true}
	}
	tests := []struct {
		name string
		line string
		want consent.SetCookie
	}{
		// The name-value pair (§5.6 steps 2–6).
		{"name and value", "SID=31d4d96e407aad42", ok("SID", "31d4d96e407aad42")},
		{"the draft's example with attributes", "SID=31d4d96e407aad42; Path=/; Domain=site.example; Secure; HttpOnly",
			consent.SetCookie{Name: "SID", Value: "31d4d96e407aad42", Path: "/", Domain: "site.example",
				Secure: true, HTTPOnly: true, Valid: true}},
		{"no equals sign: a nameless cookie", "foobar", ok("", "foobar")},
		{"no equals sign before the attributes", "foobar; Path=/", with(ok("", "foobar"), func(c *consent.SetCookie) { c.Path = "/" })},
		{"equals sign only in an attribute", "foobar; Max-Age=5", with(ok("", "foobar"), func(c *consent.SetCookie) { c.MaxAge, c.HasMaxAge = 5, true })},
		{"empty value", "a=", ok("a", "")},
		{"empty value with attributes", "a=; Path=/", with(ok("a", ""), func(c *consent.SetCookie) { c.Path = "/" })},
		{"empty name", "=b", ok("", "b")},
		{"empty name and value: ignored", "=", consent.SetCookie{}},
		{"empty line: ignored", "", consent.SetCookie{}},
		{"only whitespace: ignored", " \t ", consent.SetCookie{}},
		{"only attributes: ignored", "; Path=/; Secure", consent.SetCookie{Path: "/", Secure: true}},
		{"split at the first equals sign", "a=b=c==", ok("a", "b=c==")},
		{"quotes are part of the value", `a="b c"`, ok("a", `"b c"`)},
		{"a quoted semicolon still ends the value", `a="x;y"; Path=/`, with(ok("a", `"x`), func(c *consent.SetCookie) { c.Path = "/" })},
		{"comma in the value", "a=b,c, d", ok("a", "b,c, d")},
		{"SP and HTAB trimmed around name and value, kept inside", " \t a b \t= \t c d \t; path=/p",
			with(ok("a b", "c d"), func(c *consent.SetCookie) { c.Path = "/p" })},
		{"no-break space is not whitespace", "a=\u00a0b\u00a0", ok("a", "\u00a0b\u00a0")},
		{"percent-encoding is not decoded", "a%3D=b%3B", ok("a%3D", "b%3B")},
		{"invalid UTF-8 kept byte for byte", "\xff=\xfe\xc3; Path=/\xc3(", with(ok("\xff", "\xfe\xc3"), func(c *consent.SetCookie) { c.Path = "/\xc3(" })},
		{"name and value of 4096 bytes together", "n=" + long(4095), ok("n", long(4095))},
		{"name and value over 4096 bytes: ignored", "n=" + long(4096), consent.SetCookie{Name: "n", Value: long(4096)}},
		{"whitespace does not count toward 4096", "n= " + long(4095) + " ", ok("n", long(4095))},

		// Control characters (§5.6 step 1): anything but HTAB makes the whole line ignored.
		{"NUL in the value: ignored", "a=b\x00c", consent.SetCookie{Name: "a", Value: "b\x00c"}},
		{"NUL at the end: ignored", "a=b\x00", consent.SetCookie{Name: "a", Value: "b\x00"}},
		{"DEL: ignored", "a=b\x7f", consent.SetCookie{Name: "a", Value: "b\x7f"}},
		{"CR LF header injection: ignored", "a=b\r\nSet-Cookie: c=d", consent.SetCookie{Name: "a", Value: "b\r\nSet-Cookie: c=d"}},
		{"control character in the name: ignored", "\x01a=b", consent.SetCookie{Name: "\x01a", Value: "b"}},
		{"control character in an attribute: ignored", "a=b; Path=/\x1f", consent.SetCookie{Name: "a", Value: "b", Path: "/\x1f"}},
		{"control character in an unknown attribute: ignored", "a=b; Comment=\x0b", consent.SetCookie{Name: "a", Value: "b"}},
		{"HTAB inside the value is fine", "a=b\tc", ok("a", "b\tc")},
		{"bytes above DEL are fine", "a=\x80\xff", ok("a", "\x80\xff")},

		// Attribute names (§5.6 steps 4–7).
		{"attribute names in upper case",
			"a=b; DOMAIN=Example.COM; PATH=/X; SECURE; HTTPONLY; SAMESITE=STRICT; MAX-AGE=60; EXPIRES=Wed, 21 Oct 2015 07:28:00 GMT; PARTITIONED",
			consent.SetCookie{Name: "a", Value: "b", Domain: "example.com", Path: "/X", Secure: true, HTTPOnly: true,
				SameSite: "Strict", MaxAge: 60, HasMaxAge: true, Expires: utc(2015, 10, 21, 7, 28, 0), HasExpires: true,
				Partitioned: true, Valid: true}},
		{"attribute names in mixed case", "a=b; dOmAiN=x.example; sEcUrE; hTtPoNlY",
			consent.SetCookie{Name: "a", Value: "b", Domain: "x.example", Secure: true, HTTPOnly: true, Valid: true}},
		{"whitespace around attribute names and values", "a=b;Max-Age = 60 ;\tPath\t=\t/p\t;  Secure  ",
			consent.SetCookie{Name: "a", Value: "b", MaxAge: 60, HasMaxAge: true, Path: "/p", Secure: true, Valid: true}},
		{"Unicode look-alikes do not match: long s is not Secure", "a=b; \u017fecure; HttpOnly",
			with(ok("a", "b"), func(c *consent.SetCookie) { c.HTTPOnly = true })},
		{"Unicode look-alikes do not match: Kelvin sign is not Max-Age", "a=b; Max-Age=5; Max-A\u212age=0",
			maxAge(5)},
		{"flags ignore their value", "a=b; Secure=false; HttpOnly=0; Partitioned=no",
			with(ok("a", "b"), func(c *consent.SetCookie) { c.Secure, c.HTTPOnly, c.Partitioned = true, true, true })},
		{"unknown attributes ignored", "a=b; Comment=hi; Version=1; Priority=High; SameParty; =x; ; ;Secure",
			with(ok("a", "b"), func(c *consent.SetCookie) { c.Secure = true })},
		{"trailing semicolon", "a=b;", ok("a", "b")},
		{"attribute value of 1024 bytes kept", "a=b; Path=/" + long(1023),
			with(ok("a", "b"), func(c *consent.SetCookie) { c.Path = "/" + long(1023) })},
		{"attribute value over 1024 bytes ignored", "a=b; Path=/ok; Path=/" + long(1024),
			with(ok("a", "b"), func(c *consent.SetCookie) { c.Path = "/ok" })},
		{"a flag with a value over 1024 bytes is ignored too", "a=b; Secure=" + long(1025), ok("a", "b")},
		{"an Expires over 1024 bytes is ignored", "a=b; Expires=Wed, 21 Oct 2015 07:28:00 GMT " + long(1000), ok("a", "b")},

		// Last attribute wins.
		{"duplicate attributes: the last wins",
			"a=b; Path=/one; Path=/two; Domain=a.example; Domain=b.example; SameSite=Lax; SameSite=Strict; Max-Age=1; Max-Age=2",
			consent.SetCookie{Name: "a", Value: "b", Path: "/two", Domain: "b.example", SameSite: "Strict",
				MaxAge: 2, HasMaxAge: true, Valid: true}},
		{"a later relative Path resets to the default path", "a=b; Path=/one; Path=rel", ok("a", "b")},
		{"a later empty Path resets to the default path", "a=b; Path=/one; Path=", ok("a", "b")},
		{"a later empty Path without equals sign resets too", "a=b; Path=/one; Path", ok("a", "b")},
		{"a later unknown SameSite resets to the default", "a=b; SameSite=Strict; SameSite=bogus", ok("a", "b")},
		{"a later invalid Max-Age is ignored", "a=b; Max-Age=60; Max-Age=abc", maxAge(60)},
		{"a later invalid Expires is ignored", "a=b; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Expires=someday",
			with(ok("a", "b"), func(c *consent.SetCookie) { c.Expires, c.HasExpires = utc(2015, 10, 21, 7, 28, 0), true })},
		{"a later valid Expires wins", "a=b; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
			with(ok("a", "b"), func(c *consent.SetCookie) { c.Expires, c.HasExpires = utc(1970, 1, 1, 0, 0, 0), true })},

		// Domain (§5.6.3).
		{"Domain lower-cased", "a=b; Domain=WWW.Example.COM", with(ok("a", "b"), func(c *consent.SetCookie) { c.Domain = "www.example.com" })},
		{"Domain loses one leading dot", "a=b; Domain=.example.com", with(ok("a", "b"), func(c *consent.SetCookie) { c.Domain = "example.com" })},
		{"Domain loses only one leading dot", "a=b; Domain=..example.com", with(ok("a", "b"), func(c *consent.SetCookie) { c.Domain = ".example.com" })},
		{"Domain of only a dot is host-only", "a=b; Domain=example.com; Domain=.", ok("a", "b")},
		{"an empty Domain is host-only (the draft; Chrome skips it)", "a=b; Domain=example.com; Domain=", ok("a", "b")},
		{"Domain lower-cases ASCII only", "a=b; Domain=B\u00dcCHER.Example", with(ok("a", "b"), func(c *consent.SetCookie) { c.Domain = "b\u00dccher.example" })},
		{"Domain keeps a trailing dot and a port", "a=b; Domain=example.com.:443", with(ok("a", "b"), func(c *consent.SetCookie) { c.Domain = "example.com.:443" })},

		// SameSite (§5.6.7).
		{"SameSite=Lax", "a=b; SameSite=Lax", with(ok("a", "b"), func(c *consent.SetCookie) { c.SameSite = "Lax" })},
		{"SameSite=none in lower case", "a=b; samesite=none", with(ok("a", "b"), func(c *consent.SetCookie) { c.SameSite = "None" })},
		{"SameSite=STRICT", "a=b; SameSite=STRICT", with(ok("a", "b"), func(c *consent.SetCookie) { c.SameSite = "Strict" })},
		{"SameSite without value is the default", "a=b; SameSite", ok("a", "b")},
		{"SameSite=Lax-ish is the default", "a=b; SameSite=Laxer", ok("a", "b")},

		// Max-Age (§5.6.2).
		{"Max-Age=0", "a=b; Max-Age=0", maxAge(0)},
		{"Max-Age=-1", "a=b; Max-Age=-1", maxAge(-1)},
		{"Max-Age=-0", "a=b; Max-Age=-0", maxAge(0)},
		{"Max-Age with leading zeros", "a=b; Max-Age=007", maxAge(7)},
		{"Max-Age=3600", "a=b; Max-Age=3600", maxAge(3600)},
		{"Max-Age of exactly 400 days", "a=b; Max-Age=34560000", maxAge(34560000)},
		{"Max-Age over 400 days is capped", "a=b; Max-Age=34560001", maxAge(34560000)},
		{"huge Max-Age is capped", "a=b; Max-Age=99999999999999999999999999", maxAge(34560000)},
		{"huge negative Max-Age", "a=b; Max-Age=-99999999999999999999999999", maxAge(-34560000)},
		{"Max-Age=abc ignored", "a=b; Max-Age=abc", ok("a", "b")},
		{"Max-Age empty ignored", "a=b; Max-Age=", ok("a", "b")},
		{"Max-Age without equals sign ignored", "a=b; Max-Age", ok("a", "b")},
		{"Max-Age of a lone minus ignored", "a=b; Max-Age=-", ok("a", "b")},
		{"Max-Age with a plus sign ignored", "a=b; Max-Age=+5", ok("a", "b")},
		{"Max-Age with a unit ignored", "a=b; Max-Age=5s", ok("a", "b")},
		{"Max-Age with a decimal point ignored", "a=b; Max-Age=1.5", ok("a", "b")},
		{"Max-Age with inner space ignored", "a=b; Max-Age=1 2", ok("a", "b")},
		{"Max-Age with two minus signs ignored", "a=b; Max-Age=--1", ok("a", "b")},
		{"Max-Age in Unicode digits ignored", "a=b; Max-Age=\u0661", ok("a", "b")},

		// Expires (§5.6.1); the date formats have their own table.
		{"Expires IMF-fixdate", "a=b; Expires=Wed, 21 Oct 2015 07:28:00 GMT",
			with(ok("a", "b"), func(c *consent.SetCookie) { c.Expires, c.HasExpires = utc(2015, 10, 21, 7, 28, 0), true })},
		{"Expires garbage ignored", "a=b; Expires=never", ok("a", "b")},
		{"Expires empty ignored", "a=b; Expires=", ok("a", "b")},
		{"Expires and Max-Age both kept", "a=b; Max-Age=0; Expires=Wed, 21 Oct 2099 07:28:00 GMT",
			with(maxAge(0), func(c *consent.SetCookie) { c.Expires, c.HasExpires = utc(2099, 10, 21, 7, 28, 0), true })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := consent.ParseSetCookie(tt.line)
			if g, w := describeSetCookie(got), describeSetCookie(tt.want); g != w || got.Expires != tt.want.Expires {
				t.Errorf("ParseSetCookie(%q)\n got %s\nwant %s", tt.line, g, w)
			}
		})
	}
}

// TestParseSetCookieExpires runs the cookie-date algorithm (RFC 6265bis §5.1.1) through the
// Expires attribute. A zero want means the date must not parse.
func TestParseSetCookieExpires(t *testing.T) {
	nov6 := utc(1994, 11, 6, 8, 49, 37)
	tests := []struct {
		name  string
		value string
		want  int64 // noDate: the value is not a cookie-date
	}{
		// The three formats of RFC 9110 §5.6.7, and their relatives.
		{"IMF-fixdate", "Sun, 06 Nov 1994 08:49:37 GMT", nov6},
		{"RFC 850 with two-digit year", "Sunday, 06-Nov-94 08:49:37 GMT", nov6},
		{"asctime", "Sun Nov  6 08:49:37 1994", nov6},
		{"Netscape's dashed four-digit year", "Sun, 06-Nov-1994 08:49:37 GMT", nov6},
		{"no weekday", "06 Nov 1994 08:49:37 GMT", nov6},
		{"wrong weekday is not checked", "Fri, 06 Nov 1994 08:49:37 GMT", nov6},
		{"lower-case month and zone", "sun, 06 nov 1994 08:49:37 gmt", nov6},
		{"full month name", "06 November 1994 08:49:37", nov6},
		{"year first", "1994 Nov 06 08:49:37", nov6},
		{"time first", "08:49:37 06 Nov 1994", nov6},
		{"one-digit time fields", "6 Nov 1994 8:49:37", nov6},
		{"time glued to the zone", "Sun, 06 Nov 1994 08:49:37GMT", nov6},
		{"other zones are ignored: always UTC", "Sun, 06 Nov 1994 08:49:37 +0200", nov6},
		{"ordinal day", "Sun, 6th Nov 1994 08:49:37", nov6},
		{"odd delimiters", "Sun,,06//Nov..1994__08:49:37!!", nov6},
		{"a second time is ignored", "Sun, 06 Nov 1994 08:49:37 GMT 10:00:00", nov6},
		{"a second year is ignored", "Sun, 06 Nov 1994 08:49:37 GMT 2016", nov6},
		{"the PHP deletion date", "Thu, 01-Jan-1970 00:00:01 GMT", utc(1970, 1, 1, 0, 0, 1)},

		// Two-digit years (§5.1.1 steps 3 and 4).
		{"70 is 1970", "Thu, 01 Jan 70 00:00:00 GMT", utc(1970, 1, 1, 0, 0, 0)},
		{"99 is 1999", "01 Jan 99 00:00:00", utc(1999, 1, 1, 0, 0, 0)},
		{"00 is 2000", "01 Jan 00 00:00:00", utc(2000, 1, 1, 0, 0, 0)},
		{"69 is 2069", "01 Jan 69 00:00:00", utc(2069, 1, 1, 0, 0, 0)},
		{"three-digit 100 is year 100, before 1601", "01 Jan 100 00:00:00", noDate},
		{"four-digit 0070 counts as 70", "01 Jan 0070 00:00:00", utc(1970, 1, 1, 0, 0, 0)},

		// Range checks (§5.1.1 steps 5 and 6).
		{"1601 is the earliest year", "Mon, 01 Jan 1601 00:00:00 GMT", utc(1601, 1, 1, 0, 0, 0)},
		{"1600 is too early", "Sat, 01 Jan 1600 00:00:00 GMT", noDate},
		{"9999 is the latest year", "Fri, 31 Dec 9999 23:59:59 GMT", utc(9999, 12, 31, 23, 59, 59)},
		{"five-digit year", "Wed, 21 Oct 12015 07:28:00 GMT", noDate},
		{"29 February in a leap year", "Mon, 29 Feb 2016 00:00:00 GMT", utc(2016, 2, 29, 0, 0, 0)},
		{"29 February in another year", "Sun, 29 Feb 2015 00:00:00 GMT", noDate},
		{"31 February", "Wed, 31 Feb 2015 07:28:00 GMT", noDate},
		{"31 April", "31 Apr 2015 07:28:00", noDate},
		{"day 0", "00 Oct 2015 07:28:00", noDate},
		{"day 32", "32 Oct 2015 07:28:00", noDate},
		{"hour 24", "21 Oct 2015 24:00:00", noDate},
		{"minute 60", "21 Oct 2015 23:60:00", noDate},
		{"leap second", "31 Dec 2016 23:59:60", noDate},
		{"23:59:59", "31 Dec 2016 23:59:59", utc(2016, 12, 31, 23, 59, 59)},

		// Garbage.
		{"empty", "", noDate},
		{"a word", "tomorrow", noDate},
		{"a number", "0", noDate},
		{"minus one", "-1", noDate},
		{"no time", "Wed, 21 Oct 2015", noDate},
		{"no year", "Wed, 21 Oct 07:28:00 GMT", noDate},
		{"no month", "Wed, 21 10 2015 07:28:00 GMT", noDate},
		{"ISO 8601", "2015-10-21T07:28:00Z", noDate},
		{"Unix seconds", "1445412480", noDate},
		{"three-digit hour", "21 Oct 2015 107:28:00", noDate},
		{"three-digit second", "21 Oct 2015 07:28:000", noDate},
		{"time with two fields", "21 Oct 2015 07:28", noDate},
		{"month glued to a day", "Oct21 2015 07:28:00", noDate},
		{"day glued after a byte above DEL", "\xff21 Oct 2015 07:28:00", noDate},
		{"Cyrillic month", "21 \u041e\u043a\u0442 2015 07:28:00", noDate},
		{"three-digit day", "021 Oct 2015 07:28:00", noDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := consent.ParseSetCookie("a=b; Expires=" + tt.value)
			switch {
			case tt.want == noDate && c.HasExpires:
				t.Errorf("Expires=%q parsed as %s, want no date", tt.value, rfc3339(c.Expires))
			case tt.want != noDate && !c.HasExpires:
				t.Errorf("Expires=%q did not parse, want %s", tt.value, rfc3339(tt.want))
			case tt.want != noDate && c.Expires != tt.want:
				t.Errorf("Expires=%q parsed as %s, want %s", tt.value, rfc3339(c.Expires), rfc3339(tt.want))
			}
		})
	}
}

func TestSetCookieExpired(t *testing.T) {
	now := setCookieNow
	tests := []struct {
		line string
		want bool
	}{
		{"a=b", false},
		{"a=b; Max-Age=0", true},
		{"a=b; Max-Age=-1", true},
		{"a=b; Max-Age=1", false},
		{"a=b; Max-Age=abc", false},
		{"a=b; Expires=Thu, 01 Jan 1970 00:00:00 GMT", true},
		{"a=b; Expires=Wed, 21 Oct 2099 07:28:00 GMT", false},
		{"a=b; Expires=Sun, 01 Mar 2026 12:00:00 GMT", true},  // exactly now
		{"a=b; Expires=Sun, 01 Mar 2026 12:00:01 GMT", false}, // a second later
		{"a=b; Expires=never", false},
		{"a=b; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60", false},
		{"a=b; Max-Age=0; Expires=Wed, 21 Oct 2099 07:28:00 GMT", true},
		{"a=b; Max-Age=abc; Expires=Thu, 01 Jan 1970 00:00:00 GMT", true},
	}
	for _, tt := range tests {
		if got := consent.ParseSetCookie(tt.line).Expired(now); got != tt.want {
			t.Errorf("ParseSetCookie(%q).Expired(%s) = %v, want %v", tt.line, rfc3339(now), got, tt.want)
		}
	}
}

// setCookieAllows are the allow functions every FilterSetCookies case runs under, by the name its
// cases' keptUnder column uses.
var setCookieAllows = []struct {
	name  string
	allow func(string) bool
}{
	{"all", func(string) bool { return true }},
	{"none", func(string) bool { return false }},
	{"nil", nil},
	{"essential", func(name string) bool { return name == "SID" || name == "lang" || name == "consentry" }},
	{"nameless", func(name string) bool { return name == "" }},
}

func TestFilterSetCookies(t *testing.T) {
	type line struct {
		line      string
		keptUnder string // the allow functions under which the line is kept, or "every"
	}
	const past, future = "Thu, 01 Jan 1970 00:00:00 GMT", "Wed, 21 Oct 2099 07:28:00 GMT"
	tests := []struct {
		name  string
		lines []line
	}{
		{"no lines", nil},
		{"a response's cookies, decided by name", []line{
			{"SID=31d4d96e407aad42; Path=/; Secure; HttpOnly", "all essential"},
			{"_ga=GA1.2.1234567890.1700000000; Domain=example.com; Path=/; Expires=" + future, "all"},
			{"lang=en-US; Path=/; Domain=example.com", "all essential"},
			{"_fbp=fb.1.1700000000.123; Max-Age=7776000", "all"},
			{"consentry=v1.abc; Path=/; SameSite=Lax", "all essential"},
		}},
		{"deletions pass whatever the name", []line{
			{"_ga=; Max-Age=0", "every"},
			{"_gid=; Max-Age=-1; Path=/", "every"},
			{"_ga=deleted; expires=Thu, 01-Jan-1970 00:00:01 GMT; Max-Age=0", "every"},     // PHP
			{`_gid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/`, "every"}, // Django
			{"_fbp=; Path=/; Expires=" + past, "every"},                                    // Express
			{"_gcl_au=x; Max-Age=0; Expires=" + future, "every"},                           // Max-Age wins
			{"_gcl_au=x; Max-Age=0; Max-Age=-5", "every"},
			{"_gcl_au=x; Expires=" + past + "; Expires=Sun, 06 Nov 1994 08:49:37 GMT", "every"},
			{"_gcl_au=x; Max-Age=-99999", "every"},
			{"=; Max-Age=0", "all nameless"}, // ignored entirely by browsers, so not a deletion
		}},
		{"lines that only look like deletions are decided by name", []line{
			{"_ga=x; Max-Age=0; Max-Age=abc", "all"},                  // Chrome takes the last Max-Age, fails, keeps a session cookie
			{"_ga=x; Max-Age=0; Max-Age=60", "all"},                   // the last wins
			{"_ga=x; Max-Age=60; Expires=" + past, "all"},             // Max-Age wins over Expires
			{"_ga=x; Max-Age=+0", "all"},                              // not a number to the draft, zero to Chrome
			{"_ga=x; Max-Age=-99999999999999999999", "all"},           // past int64: parsers differ
			{"_ga=x; Expires=" + past + "; Expires=someday", "all"},   // a date only some parsers reject
			{"_ga=x; Expires=" + past + "; Expires=" + future, "all"}, // one past, one future
			{"_ga=x; Expires=Sat, 01 Jan 1600 00:00:00 GMT", "all"},   // before 1601: not a date
			{"_ga=x; Max-Age=" + strings.Repeat("0", 1025), "all"},    // over 1024 bytes: ignored
			{"_ga=x; Expires=" + future, "all"},
			{"_ga=x; Expires=Sun, 01 Mar 2026 12:00:01 GMT", "all"}, // a second after now
			{"_ga=x", "all"},
			{"_ga=x\x00; Max-Age=0", "all"}, // ignored by browsers, so not a deletion
		}},
		{"commas stay inside their line", []line{
			{"lang=en; Expires=" + future, "all essential"},
			{"_ga=GA1.2.3,4; Expires=" + future, "all"},
			{"SID=a,b, c; Path=/", "all essential"},
		}},
		{"nameless cookies are the caller's decision", []line{
			{"foobar", "all nameless"},
			{"=x; Path=/", "all nameless"},
			{"_ga", "all nameless"}, // a nameless cookie whose value is "_ga"
			{"SID", "all nameless"},
		}},
		{"malformed lines are decided by name", []line{
			{"SID=1\x00; Path=/", "all essential"},
			{"_ga=1\r\n", "all"},
			{"=", "all nameless"},
			{"", "all nameless"},
			{"; Secure", "all nameless"},
			{"SID=" + strings.Repeat("x", 5000), "all essential"},
		}},
		{"names are case-sensitive and trimmed", []line{
			{"sid=1", "all"},
			{" SID =1", "all essential"},
			{"\tlang\t=\ten", "all essential"},
			{"SID\u00a0=1", "all"},
		}},
	}
	for _, tt := range tests {
		lines := make([]string, len(tt.lines))
		for i, l := range tt.lines {
			lines[i] = l.line
		}
		for _, a := range setCookieAllows {
			t.Run(tt.name+"/allow "+a.name, func(t *testing.T) {
				var wantKept, wantDropped []string
				for _, l := range tt.lines {
					under := " " + l.keptUnder + " "
					if l.keptUnder == "every" || strings.Contains(under, " "+a.name+" ") {
						wantKept = append(wantKept, l.line)
					} else {
						wantDropped = append(wantDropped, consent.ParseSetCookie(l.line).Name)
					}
				}
				kept, dropped := consent.FilterSetCookies(lines, a.allow, setCookieNow)
				var droppedNames []string
				for _, c := range dropped {
					droppedNames = append(droppedNames, c.Name)
				}
				if !equalStrings(kept, wantKept) {
					t.Errorf("kept:\n%s\nwant:\n%s", quoteLines(kept), quoteLines(wantKept))
				}
				if !equalStrings(droppedNames, wantDropped) {
					t.Errorf("dropped names %q, want %q", droppedNames, wantDropped)
				}
			})
		}
	}
}

func TestFilterSetCookiesCallsAllowOncePerLiveLine(t *testing.T) {
	lines := []string{"a=1", "b=; Max-Age=0", "c=3", "a=4"}
	var asked []string
	kept, _ := consent.FilterSetCookies(lines, func(name string) bool {
		asked = append(asked, name)
		return name == "a"
	}, setCookieNow)
	if want := []string{"a", "c", "a"}; !equalStrings(asked, want) {
		t.Errorf("allow asked %q, want %q (never for the deletion)", asked, want)
	}
	if want := []string{"a=1", "b=; Max-Age=0", "a=4"}; !equalStrings(kept, want) {
		t.Errorf("kept %q, want %q", kept, want)
	}
}

// hostileSetCookies is a response built to be slow to filter: 300 lines of 200 bytes of
// attributes, dates and separators, and three lines of 64 KB.
func hostileSetCookies() []string {
	var lines []string
	for i := range 100 {
		lines = append(lines,
			"_ga"+strconv.Itoa(i)+"="+strings.Repeat("v", 100)+strings.Repeat("; Expires=1 1 1 1", 5),
			"x=; "+strings.Repeat("Max-Age=0;", 20),
			"y=1; Expires="+strings.Repeat("Jan ", 50),
		)
	}
	return append(lines,
		strings.Repeat(";", 64<<10),
		"x=; "+strings.Repeat("Max-Age=0;", 64<<10/10),
		"_ga="+strings.Repeat("1 Jan 1970 00:00:00 ", 64<<10/20),
	)
}

// TestFilterSetCookiesHostileInput checks that such a response is filtered whole, keeping only
// deletions. Its cost is measured by BenchmarkFilterSetCookies, not timed here.
func TestFilterSetCookiesHostileInput(t *testing.T) {
	lines := hostileSetCookies()
	kept, dropped := consent.FilterSetCookies(lines, func(string) bool { return false }, setCookieNow)
	if len(kept)+len(dropped) != len(lines) {
		t.Fatalf("kept %d + dropped %d != %d lines", len(kept), len(dropped), len(lines))
	}
	for _, l := range kept {
		if !strings.HasPrefix(l, "x=; Max-Age=0;") {
			t.Fatalf("kept a line that is not a deletion: %.40q", l)
		}
	}
}

func BenchmarkFilterSetCookies(b *testing.B) {
	allow := func(name string) bool { return name == "SID" || name == "lang" }
	for _, bench := range []struct {
		name  string
		lines []string
	}{
		{"typical", []string{
			"SID=31d4d96e407aad42; Path=/; Secure; HttpOnly; SameSite=Lax",
			"_ga=GA1.2.1234567890.1700000000; Domain=example.com; Path=/; Expires=Wed, 21 Oct 2099 07:28:00 GMT",
			"_gid=GA1.2.987654321.1700000000; Domain=example.com; Path=/; Max-Age=86400",
			"lang=en-US; Path=/",
			"_fbp=; Max-Age=0",
		}},
		{"hostile", hostileSetCookies()},
	} {
		b.Run(bench.name, func(b *testing.B) {
			for b.Loop() {
				consent.FilterSetCookies(bench.lines, allow, setCookieNow)
			}
		})
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func quoteLines(lines []string) string {
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "\t%q\n", l)
	}
	return b.String()
}

// TestExpiryLines compares ExpiryLines with the golden files in testdata/setcookie. Run
// go test -run TestExpiryLines -update to rewrite them, and review the diff.
func TestExpiryLines(t *testing.T) {
	tests := []struct {
		file                           string
		names                          []string
		host, registrable, requestPath string
		secure                         bool
	}{
		{"www-root-https", []string{"_ga", "_gid"}, "www.example.com", "example.com", "/", true},
		{"www-deep-path", []string{"_ga"}, "www.example.com", "example.com", "/blog/2026/03/hello", true},
		{"apex-http", []string{"_fbp"}, "example.com", "example.com", "/shop/", false},
		{"deep-host-with-port", []string{"intercom-id-abc"}, "a.b.shop.example.co.uk:8443", "example.co.uk", "/shop/cart", true},
		{"too-deep-host", []string{"x"}, "l1.l2.l3.l4.l5.l6.l7.l8.l9.l10.example.com", "example.com", "/", true},
		{"upper-case-host-and-dotted-registrable", []string{"_ga"}, "WWW.Example.COM", ".Example.com", "/", true},
		{"registrable-not-a-suffix", []string{"_ga"}, "www.example.com", "example.org", "/", true},
		{"registrable-suffix-not-at-a-label", []string{"_ga"}, "myexample.com", "example.com", "/", true},
		{"no-registrable", []string{"_ga"}, "localhost:3000", "", "/app/page", false},
		{"ipv4", []string{"_ga"}, "192.168.1.10:8080", "168.1.10", "/", false},
		{"ipv4-shorthand", []string{"_ga"}, "127.1", "1", "/", false},
		{"last-label-hex-is-ipv4", []string{"_ga"}, "a.0X7F", "a.0x7f", "/", false},
		{"last-label-not-a-number", []string{"_ga"}, "a.b7", "a.b7", "/", false},
		{"empty-label", []string{"_ga"}, "a..example.com", "example.com", "/", false},
		{"ipv6", []string{"_ga"}, "[2001:db8::1]:8443", "", "/a/b", true},
		{"trailing-dot-host", []string{"_ga"}, "www.example.com.", "example.com", "/", true},
		{"prefixed-names-over-http", []string{"__Host-sid", "__host-lower", "__Secure-ga", "__SECURE-upper", "__Http-h", "__Host-Http-hh", "__Hostile"},
			"www.example.com", "example.com", "/", false},
		{"unwritable-and-repeated-names", []string{"", " a", "b ", "c;d", "e=f", "g\x00", "\th", "_ga", "_ga", "ok name,with"},
			"www.example.com", "example.com", "/", true},
		{"path-with-query-and-fragment", []string{"_ga"}, "example.com", "example.com", "/search?q=/x/y#/z", true},
		{"path-with-unsafe-bytes", []string{"_ga"}, "example.com", "example.com", "/a b/c;d/e", true},
		{"relative-path", []string{"_ga"}, "example.com", "example.com", "search", true},
		{"trailing-slash-path", []string{"_ga"}, "example.com", "example.com", "/docs/guide/", true},
		{"hostile-host", []string{"_ga"}, "evil.com;Secure", "com;Secure", "/", true},
		{"no-names", nil, "www.example.com", "example.com", "/", true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			lines := consent.ExpiryLines(tt.names, tt.host, tt.registrable, tt.requestPath, tt.secure)
			var b strings.Builder
			fmt.Fprintf(&b, "# ExpiryLines(%q, %q, %q, %q, %v)\n", tt.names, tt.host, tt.registrable, tt.requestPath, tt.secure)
			for _, l := range lines {
				b.WriteString(l + "\n")
			}
			got := b.String()
			path := filepath.Join("testdata", "setcookie", tt.file+".golden")
			if updatingGolden() {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("ExpiryLines differs from %s (run with -update and review the diff):\n got:\n%s\nwant:\n%s", path, got, want)
			}
			checkExpiryLines(t, tt.names, tt.host, lines)
		})
	}
}

// checkExpiryLines checks what every deletion line must be, whatever the golden file says: a
// valid line that deletes one of the names at once, with a Path, only one Domain that host is in,
// and Secure where the name's prefix needs it. The fuzz test runs it too.
func checkExpiryLines(t *testing.T, names []string, host string, lines []string) {
	t.Helper()
	if len(lines) > 36*len(names) {
		t.Errorf("%d lines for %d names, over the bound of 36 per name", len(lines), len(names))
	}
	lowerHost := strings.ToLower(host)
	if i := strings.LastIndexByte(lowerHost, ':'); i >= 0 && !strings.HasPrefix(lowerHost, "[") {
		lowerHost = lowerHost[:i]
	}
	for _, l := range lines {
		c := consent.ParseSetCookie(l)
		if !c.Valid || !c.Expired(utc(1601, 1, 1, 0, 0, 0)) || !c.HasMaxAge || c.MaxAge != 0 {
			t.Errorf("%q is not a valid deletion: %s", l, describeSetCookie(c))
		}
		if !containsString(names, c.Name) {
			t.Errorf("%q deletes %q, which is not among the names", l, c.Name)
		}
		if c.Path == "" || c.Path[0] != '/' {
			t.Errorf("%q has no absolute Path", l)
		}
		if c.Domain != "" && !strings.HasSuffix(lowerHost, c.Domain) {
			t.Errorf("%q has a Domain that %q is not in", l, host)
		}
		seen := map[string]bool{}
		for _, av := range strings.Split(l, ";")[1:] {
			name, _, _ := strings.Cut(strings.TrimSpace(av), "=")
			switch {
			case !containsString([]string{"Max-Age", "Expires", "Path", "Domain", "Secure", "HttpOnly"}, name):
				t.Errorf("%q has an attribute %q: something was injected", l, name)
			case seen[name]:
				t.Errorf("%q has %s twice: something was injected", l, name)
			}
			seen[name] = true
		}
		lower := strings.ToLower(c.Name)
		if strings.HasPrefix(lower, "__secure-") || strings.HasPrefix(lower, "__host-") || strings.HasPrefix(lower, "__http-") {
			if !c.Secure {
				t.Errorf("%q lacks Secure", l)
			}
		}
		if strings.HasPrefix(lower, "__host-") && (c.Domain != "" || c.Path != "/") {
			t.Errorf("%q is a __Host- deletion with a Domain or a Path other than /", l)
		}
	}
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func ExampleParseSetCookie() {
	c := consent.ParseSetCookie("_ga=GA1.2.1234.5678; Domain=.Example.com; Path=/; Expires=Wed, 21-Oct-26 07:28:00 GMT; Secure")
	fmt.Println(c.Name, c.Value, c.Domain, c.Path, time.Unix(c.Expires, 0).UTC(), c.Secure)
	// Output: _ga GA1.2.1234.5678 example.com / 2026-10-21 07:28:00 +0000 UTC true
}

func ExampleFilterSetCookies() {
	// The Set-Cookie values of one response, one per header line: never split on commas.
	lines := []string{
		"SID=31d4d96e407aad42; Path=/; Secure; HttpOnly",
		"_ga=GA1.2.1234.5678; Domain=example.com; Expires=Wed, 21 Oct 2099 07:28:00 GMT",
		"_fbp=; Max-Age=0", // a deletion: always passes
	}
	granted := func(name string) bool { return name == "SID" } // only necessary cookies
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC).Unix() // the engine counts unix seconds

	kept, dropped := consent.FilterSetCookies(lines, granted, now)
	for _, line := range kept {
		fmt.Println("Set-Cookie:", line)
	}
	for _, c := range dropped {
		fmt.Println("dropped:", c.Name)
	}
	// Output:
	// Set-Cookie: SID=31d4d96e407aad42; Path=/; Secure; HttpOnly
	// Set-Cookie: _fbp=; Max-Age=0
	// dropped: _ga
}

func ExampleExpiryLines() {
	// The visitor withdrew analytics consent; their browser sent _ga on https://www.example.com/blog/post.
	for _, line := range consent.ExpiryLines([]string{"_ga"}, "www.example.com", "example.com", "/blog/post", true) {
		fmt.Println("Set-Cookie:", line)
	}
	// Output:
	// Set-Cookie: _ga=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Secure
	// Set-Cookie: _ga=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/blog; Secure
	// Set-Cookie: _ga=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/blog/post; Secure
	// Set-Cookie: _ga=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Domain=www.example.com; Secure
	// Set-Cookie: _ga=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/blog; Domain=www.example.com; Secure
	// Set-Cookie: _ga=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/blog/post; Domain=www.example.com; Secure
	// Set-Cookie: _ga=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Domain=example.com; Secure
	// Set-Cookie: _ga=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/blog; Domain=example.com; Secure
	// Set-Cookie: _ga=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/blog/post; Domain=example.com; Secure
}
