package snapshot

import (
	"strings"
	"testing"
)

func TestAppend(t *testing.T) {
	var r Recorder
	r.Add(0, "https://www.googletagmanager.com/gtag/js?id=G-1")
	r.Add(KindCookie, "_ga")
	r.Add(KindCookie, "_ga")          // once
	r.Add(KindStorage, "multi\nline") // cannot be written: left out
	r.Add(99, "bad kind")
	h := Header{Wasm: "consentry.abc.wasm", Host: "www.example.com", GPC: true, Expires: 1700000000,
		CookieName: "consentry", CookieValue: "1.x.y"}
	got := string(r.Append(nil, h, MaxBytes))
	lines := strings.Split(got, "\n")
	if lines[0] != "1\tconsentry.abc.wasm\twww.example.com\t1\t1700000000\tconsentry\t1.x.y" {
		t.Errorf("header %q", lines[0])
	}
	want := map[string]bool{"0:https://www.googletagmanager.com/gtag/js?id=G-1": true, "8:_ga": true}
	if len(lines)-1 != len(want) {
		t.Fatalf("entries %q, want %v", lines[1:], want)
	}
	for _, l := range lines[1:] {
		if !want[l] {
			t.Errorf("unexpected entry %q", l)
		}
	}
}

func TestBounds(t *testing.T) {
	var r Recorder
	for i := 0; i < MaxEntries+50; i++ {
		r.Add(KindCookie, strings.Repeat("x", i+1))
	}
	if r.entries != MaxEntries {
		t.Errorf("entries = %d, want %d", r.entries, MaxEntries)
	}
	out := r.Append(nil, Header{Wasm: "w"}, 1000)
	if len(out) > 1000 {
		t.Errorf("snapshot of %d bytes, bound 1000", len(out))
	}
	if got := r.Append([]byte("keep"), Header{Wasm: strings.Repeat("w", 100)}, 10); string(got) != "keep" {
		t.Errorf("header over the bound: %q", got)
	}
}

func TestAddDoesNotAllocateForKnownEntries(t *testing.T) {
	var r Recorder
	r.Add(KindCookie, "_ga")
	buf := []byte("_ga")
	if n := testing.AllocsPerRun(100, func() { r.Add(KindCookie, string(buf)) }); n != 0 {
		t.Errorf("Add allocates %v times for a known entry", n)
	}
}
