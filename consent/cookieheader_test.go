package consent_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/consentry/consentry/consent"
)

// cookiePairs collects ParseCookieHeader's pairs as "name=value" strings, nameless ones as
// "(nameless)value", so that a table can spell them.
func cookiePairs(h string) []string {
	var pairs []string
	for name, value := range consent.ParseCookieHeader(h) {
		if name == "" {
			pairs = append(pairs, "(nameless)"+value)
			continue
		}
		pairs = append(pairs, name+"="+value)
	}
	return pairs
}

func TestParseCookieHeader(t *testing.T) {
	tests := []struct {
		name   string
		header string
		want   []string
	}{
		{"empty", "", nil},
		{"one pair", "SID=31d4d96e407aad42", []string{"SID=31d4d96e407aad42"}},
		{"as browsers send them", "SID=31d4d96e407aad42; lang=en-US", []string{"SID=31d4d96e407aad42", "lang=en-US"}},
		{"without spaces", "a=1;b=2", []string{"a=1", "b=2"}},
		{"extra SP and HTAB", " \ta = 1 ;\tb=2\t ", []string{"a=1", "b=2"}},
		{"empty pairs skipped", ";a=1;; ;b=2;", []string{"a=1", "b=2"}},
		{"only separators", " ; ;; ", nil},
		{"a pair without equals sign is nameless", "foo; a=1", []string{"(nameless)foo", "a=1"}},
		{"a pair with empty name is nameless", "=foo", []string{"(nameless)foo"}},
		{"empty value", "a=; b", []string{"a=", "(nameless)b"}},
		{"split at the first equals sign", "a=b=c==", []string{"a=b=c=="}},
		{"commas do not separate", "a=1, b=2", []string{"a=1, b=2"}},
		{"quotes are kept", `a="x y"; b="1,2"`, []string{`a="x y"`, `b="1,2"`}},
		{"repeated names are all yielded", "a=1; a=2", []string{"a=1", "a=2"}},
		{"spaces inside names and values kept", "a b = c d", []string{"a b=c d"}},
		{"invalid UTF-8 kept", "\xff=\xfe", []string{"\xff=\xfe"}},
		{"newlines are not whitespace", "a=1\n; b=2", []string{"a=1\n", "b=2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cookiePairs(tt.header); !equalStrings(got, tt.want) {
				t.Errorf("ParseCookieHeader(%q) = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestParseCookieHeaderStops(t *testing.T) {
	var names []string
	for name := range consent.ParseCookieHeader("a=1; b=2; c=3") {
		names = append(names, name)
		if name == "b" {
			break
		}
	}
	if want := []string{"a", "b"}; !equalStrings(names, want) {
		t.Errorf("got %q, want %q", names, want)
	}
}

func TestFilterCookieHeader(t *testing.T) {
	only := func(names ...string) func(string) bool {
		return func(name string) bool { return containsString(names, name) }
	}
	tests := []struct {
		name        string
		header      string
		allow       func(string) bool
		wantKept    string
		wantDropped []string
	}{
		{"nothing dropped: the header as it came", "SID=1;lang=en ; ", only("SID", "lang"), "SID=1;lang=en ; ", nil},
		{"drop in the middle", "SID=1; _ga=GA1.2.3; lang=en", only("SID", "lang"), "SID=1; lang=en", []string{"_ga"}},
		{"drop first: separators normalized", " _ga=1 ;SID=2;\tlang=en ", only("SID", "lang"), "SID=2; lang=en", []string{"_ga"}},
		{"drop last", "SID=1; _ga=2", only("SID"), "SID=1", []string{"_ga"}},
		{"drop all", "_ga=1; _gid=2", only("SID"), "", []string{"_ga", "_gid"}},
		{"empty header", "", only("SID"), "", nil},
		{"only separators", " ; ;; ", only("SID"), "", nil},
		{"nil allow drops everything", "SID=1; lang=en", nil, "", []string{"SID", "lang"}},
		{"kept pairs keep their bytes", `_ga=1; pref="a,b c"; x = y,z ; _gid=2`, only("pref", "x"), `pref="a,b c"; x = y,z`, []string{"_ga", "_gid"}},
		{"commas never separate", "_ga=1, SID=2; SID=3", only("SID"), "SID=3", []string{"_ga"}},
		{"a nameless pair is decided by allow(\"\")", "foo; SID=1", only("SID"), "SID=1", []string{""}},
		{"a nameless pair kept when allowed", "foo; SID=1; _ga=2", only("", "SID"), "foo; SID=1", []string{"_ga"}},
		{"repeated names", "_ga=1; SID=2; _ga=3", only("SID"), "SID=2", []string{"_ga", "_ga"}},
		{"names are case-sensitive", "sid=1; SID=2", only("SID"), "SID=2", []string{"sid"}},
		{"empty pairs vanish once rebuilt", "SID=1;; ;_ga=2;;lang=en;", only("SID", "lang"), "SID=1; lang=en", []string{"_ga"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kept, dropped := consent.FilterCookieHeader(tt.header, tt.allow)
			if kept != tt.wantKept || !equalStrings(dropped, tt.wantDropped) {
				t.Errorf("FilterCookieHeader(%q)\n got %q, dropped %q\nwant %q, dropped %q", tt.header, kept, dropped, tt.wantKept, tt.wantDropped)
			}
		})
	}
}

func BenchmarkFilterCookieHeader(b *testing.B) {
	header := "SID=31d4d96e407aad42; lang=en-US; _ga=GA1.2.1234567890.1700000000; _gid=GA1.2.987654321.1700000000; " +
		"_fbp=fb.1.1700000000.123; consentry=v1.abc"
	for _, bench := range []struct {
		name  string
		allow func(string) bool
	}{
		{"all granted", func(string) bool { return true }},
		{"necessary only", func(name string) bool { return name == "SID" || name == "lang" || name == "consentry" }},
	} {
		b.Run(bench.name, func(b *testing.B) {
			for b.Loop() {
				consent.FilterCookieHeader(header, bench.allow)
			}
		})
	}
}

func ExampleParseCookieHeader() {
	for name, value := range consent.ParseCookieHeader("SID=31d4d96e407aad42; lang=en-US; _ga=GA1.2.3,4") {
		fmt.Printf("%s = %s\n", name, value)
	}
	// Output:
	// SID = 31d4d96e407aad42
	// lang = en-US
	// _ga = GA1.2.3,4
}

func ExampleFilterCookieHeader() {
	granted := func(name string) bool { return name == "SID" || name == "lang" }
	kept, dropped := consent.FilterCookieHeader("SID=31d4d96e407aad42; _ga=GA1.2.3; lang=en-US", granted)
	fmt.Printf("Cookie: %s\ndropped: %s\n", kept, strings.Join(dropped, ", "))
	// Output:
	// Cookie: SID=31d4d96e407aad42; lang=en-US
	// dropped: _ga
}
