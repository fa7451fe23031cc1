package consent_test

import (
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/consentry/consentry/consent"
)

// The fuzz targets of the Set-Cookie and Cookie parsers: both read what an origin server or a
// browser sends. go test runs their seeds; go test -fuzz FuzzParseSetCookie (and the others)
// explores further.

// setCookieSeeds are lines a server might send, well-formed or not.
var setCookieSeeds = []string{
	"SID=31d4d96e407aad42; Path=/; Domain=site.example; Secure; HttpOnly; SameSite=Lax",
	"_ga=GA1.2.1234567890.1700000000; Domain=.example.com; Path=/; Expires=Wed, 21 Oct 2099 07:28:00 GMT",
	"_ga=; Max-Age=0",
	"_ga=deleted; expires=Thu, 01-Jan-1970 00:00:01 GMT; Max-Age=0",
	"a=b; Max-Age=0; Max-Age=abc",
	"a=b; Expires=Sunday, 06-Nov-94 08:49:37 GMT\na=b; Expires=Sun Nov  6 08:49:37 1994",
	"foobar",
	"=",
	"",
	"a=b\x00c; Path=/",
	"a=b\r\nSet-Cookie: c=d",
	`a="x;y"; Path=rel; Domain=; SameSite=bogus`,
	"\xff=\xfe; Domain=\xc3\x9c.EXAMPLE",
	"a=b; Max-Age=-99999999999999999999; Expires=1 Jan 1601 00:00:00",
	"a=b; Max-Age=" + strings.Repeat("9", 1025),
	"a=b; \u017fecure; Max-A\u212age=0",
	"a=b; Expires=Feb 29 2016 23:59:59; Partitioned",
}

// checkKeptSubsequence fails unless kept is a subsequence of lines: the same strings (the same
// bytes in memory, not copies) in the same order.
func checkKeptSubsequence(t *testing.T, lines, kept []string) {
	t.Helper()
	j := 0
	for _, k := range kept {
		for j < len(lines) && !(lines[j] == k && unsafe.StringData(lines[j]) == unsafe.StringData(k)) {
			j++
		}
		if j == len(lines) {
			t.Fatalf("kept %q is not one of the lines, in order", k)
		}
		j++
	}
}

func FuzzParseSetCookie(f *testing.F) {
	for _, s := range setCookieSeeds {
		f.Add(s)
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC).Unix()
	f.Fuzz(func(t *testing.T, input string) {
		lines := strings.Split(input, "\n")
		for _, line := range append(lines, input) {
			checkParsedSetCookie(t, line, consent.ParseSetCookie(line), now)
		}

		all, dropped := consent.FilterSetCookies(lines, func(string) bool { return true }, now)
		if len(all) != len(lines) || len(dropped) != 0 {
			t.Fatalf("allow-all kept %d and dropped %d of %d lines", len(all), len(dropped), len(lines))
		}
		checkKeptSubsequence(t, lines, all)

		none, dropped := consent.FilterSetCookies(lines, func(string) bool { return false }, now)
		if len(none)+len(dropped) != len(lines) {
			t.Fatalf("allow-none kept %d + dropped %d != %d lines", len(none), len(dropped), len(lines))
		}
		checkKeptSubsequence(t, lines, none)
		for _, k := range none {
			if c := consent.ParseSetCookie(k); !c.Valid || !c.Expired(now) {
				t.Fatalf("allow-none kept %q, which is no deletion", k)
			}
		}

		odd := func(name string) bool { return len(name)%2 == 1 }
		some, dropped := consent.FilterSetCookies(lines, odd, now)
		checkKeptSubsequence(t, lines, some)
		for _, c := range dropped {
			if odd(c.Name) {
				t.Fatalf("dropped %q, which allow accepts", c.Name)
			}
		}
		if len(some)+len(dropped) != len(lines) {
			t.Fatalf("kept %d + dropped %d != %d lines", len(some), len(dropped), len(lines))
		}
	})
}

// checkParsedSetCookie checks what must hold of any parse, whatever the line.
func checkParsedSetCookie(t *testing.T, line string, c consent.SetCookie, now int64) {
	t.Helper()
	trimmed := func(s string) bool { return s == strings.Trim(s, " \t") }
	switch {
	case !strings.Contains(line, c.Name) || !strings.Contains(line, c.Value):
		t.Fatalf("%q: name %q or value %q not in the line", line, c.Name, c.Value)
	case !trimmed(c.Name) || !trimmed(c.Value):
		t.Fatalf("%q: name %q or value %q not trimmed", line, c.Name, c.Value)
	case strings.Contains(c.Name, ";") || strings.Contains(c.Value, ";") || strings.Contains(c.Name, "="):
		t.Fatalf("%q: name %q or value %q crosses a separator", line, c.Name, c.Value)
	case c.Valid && strings.ContainsFunc(line, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }):
		t.Fatalf("%q: valid despite a control character", line)
	case c.Valid && (c.Name == "" && c.Value == "" || len(c.Name)+len(c.Value) > 4096):
		t.Fatalf("%q: valid with name %d and value %d bytes", line, len(c.Name), len(c.Value))
	case c.HasMaxAge && (c.MaxAge > 34560000 || c.MaxAge < -34560000), !c.HasMaxAge && c.MaxAge != 0:
		t.Fatalf("%q: Max-Age %d (has %v)", line, c.MaxAge, c.HasMaxAge)
	case c.HasExpires && (time.Unix(c.Expires, 0).UTC().Year() < 1601 || time.Unix(c.Expires, 0).UTC().Year() > 9999),
		!c.HasExpires && c.Expires != 0:
		t.Fatalf("%q: Expires %v (has %v)", line, c.Expires, c.HasExpires)
	case c.SameSite != "" && c.SameSite != "Strict" && c.SameSite != "Lax" && c.SameSite != "None":
		t.Fatalf("%q: SameSite %q", line, c.SameSite)
	case c.Path != "" && (c.Path[0] != '/' || !strings.Contains(line, c.Path) || len(c.Path) > 1024):
		t.Fatalf("%q: Path %q", line, c.Path)
	case strings.ContainsAny(c.Domain, "ABCDEFGHIJKLMNOPQRSTUVWXYZ;") || len(c.Domain) > 1024:
		t.Fatalf("%q: Domain %q", line, c.Domain)
	case c.Secure && !strings.Contains(strings.ToLower(line), "secure"),
		c.HTTPOnly && !strings.Contains(strings.ToLower(line), "httponly"):
		t.Fatalf("%q: a flag without its attribute", line)
	}
	if c.HasMaxAge && c.Expired(now) != (c.MaxAge <= 0) {
		t.Fatalf("%q: Expired disagrees with Max-Age %d", line, c.MaxAge)
	}
}

func FuzzFilterCookieHeader(f *testing.F) {
	for _, s := range []string{
		"SID=31d4d96e407aad42; lang=en-US",
		"a=1;b=2;;c=3;",
		" \ta = 1 ;\tb=2\t ",
		"foo; =bar; baz=",
		`_ga=GA1.2.3,4; pref="a,b c"`,
		"a=1; a=2; a=3",
		"\xff=\xfe; \x00=\x01",
		"; ; ;",
		"",
	} {
		f.Add(s, byte(0))
		f.Add(s, byte(1))
	}
	f.Fuzz(func(t *testing.T, h string, seed byte) {
		type pair struct{ name, value string }
		var pairs []pair
		var raw []string // each pair's bytes, trimmed
		for name, value := range consent.ParseCookieHeader(h) {
			pairs = append(pairs, pair{name, value})
		}
		for _, p := range strings.Split(h, ";") {
			if p = strings.Trim(p, " \t"); p != "" {
				raw = append(raw, p)
			}
		}
		if len(raw) != len(pairs) {
			t.Fatalf("%q: %d pairs parsed, %d in the header", h, len(pairs), len(raw))
		}
		parse := func(s string) []pair {
			var out []pair
			for name, value := range consent.ParseCookieHeader(s) {
				out = append(out, pair{name, value})
			}
			return out
		}
		same := func(a, b []pair) bool {
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

		kept, dropped := consent.FilterCookieHeader(h, func(string) bool { return true })
		if len(dropped) != 0 || !same(parse(kept), pairs) || len(pairs) > 0 && kept != h {
			t.Fatalf("allow-all of %q gave %q, dropped %q", h, kept, dropped)
		}

		kept, dropped = consent.FilterCookieHeader(h, func(string) bool { return false })
		if kept != "" || len(dropped) != len(pairs) {
			t.Fatalf("allow-none of %q gave %q, dropped %q", h, kept, dropped)
		}
		for i, p := range pairs {
			if dropped[i] != p.name {
				t.Fatalf("allow-none of %q dropped %q, want %q", h, dropped, pairs)
			}
		}

		allow := func(name string) bool { return (len(name)+int(seed))%3 != 0 }
		kept, dropped = consent.FilterCookieHeader(h, allow)
		var wantPairs []pair
		var wantRaw, wantDropped []string
		for i, p := range pairs {
			if allow(p.name) {
				wantPairs = append(wantPairs, p)
				wantRaw = append(wantRaw, raw[i])
			} else {
				wantDropped = append(wantDropped, p.name)
			}
		}
		if !same(parse(kept), wantPairs) || !equalStrings(dropped, wantDropped) {
			t.Fatalf("%q: kept %q, dropped %q; want pairs %q, dropped %q", h, kept, dropped, wantPairs, wantDropped)
		}
		if len(dropped) > 0 && kept != strings.Join(wantRaw, "; ") {
			t.Fatalf("%q: kept %q, want the kept pairs' bytes %q", h, kept, strings.Join(wantRaw, "; "))
		}
	})
}

// FuzzExpiryLines checks that no name, host or path, however hostile, makes ExpiryLines write a
// line that is not a plain deletion of that name (an injected attribute, a foreign Domain).
func FuzzExpiryLines(f *testing.F) {
	f.Add("_ga", "www.example.com", "example.com", "/blog/post", true)
	f.Add("__Host-sid", "EXAMPLE.com:443", "example.com", "/", false)
	f.Add("__Secure-x", "[::1]:80", "", "/a;b", true)
	f.Add("x; Domain=evil.example", "evil.example;x", "x", "/; Secure", false)
	f.Add("a\x00b", "a..example.com", ".example.com", "/a b\x7f", true)
	f.Fuzz(func(t *testing.T, name, host, registrable, path string, secure bool) {
		lines := consent.ExpiryLines([]string{name, name}, host, registrable, path, secure)
		checkExpiryLines(t, []string{name}, host, lines)
	})
}
