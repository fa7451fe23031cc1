package jsheader

import (
	"net/http"
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want http.Header
	}{
		{"", http.Header{}},
		{"set-cookie\na=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT\nset-cookie\nb=2\n",
			http.Header{"Set-Cookie": {"a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT", "b=2"}}},
		{"accept\ntext/html, */*;q=0.8\ncookie\nx=1,2; y=3\n",
			http.Header{"Accept": {"text/html, */*;q=0.8"}, "Cookie": {"x=1,2; y=3"}}},
		{"empty\n\n", http.Header{"Empty": {""}}},
		{"dangling", http.Header{}},
	} {
		if got := Parse(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Parse(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSanitize(t *testing.T) {
	h := http.Header{
		"Ok":          {"a, b", "café"},
		"Bad Name":    {"x"},
		"Mixed":       {"fine", "bad\r\nvalue", "€ sign", "\xff", "also fine"},
		"All-Bad":     {"\x00"},
		"Latin-Other": {"\u00ff"},
	}
	Sanitize(h)
	want := http.Header{"Ok": {"a, b", "café"}, "Mixed": {"fine", "also fine"}, "Latin-Other": {"\u00ff"}}
	if !reflect.DeepEqual(h, want) {
		t.Errorf("Sanitize = %q, want %q", h, want)
	}
}

// FuzzRoundTrip: what Sanitize keeps survives Format and Parse unchanged (no value is split or
// joined), and Parse never panics.
func FuzzRoundTrip(f *testing.F) {
	f.Add("Set-Cookie", "a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT", "b")
	f.Add("X", "\xff\n", "\x00")
	f.Fuzz(func(t *testing.T, name, v1, v2 string) {
		_ = Parse(name + "\n" + v1 + "\n" + v2)
		h := http.Header{http.CanonicalHeaderKey(name): {v1, v2}}
		Sanitize(h)
		if got := Parse(Format(h)); len(h) > 0 && !reflect.DeepEqual(got, h) {
			t.Errorf("round trip of %q gave %q", h, got)
		}
	})
}
