package consent

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad: any input gives a policy or errors, never a panic; a policy survives the compact form.
func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	demo, _ := filepath.Glob("../demo/policies/*.json")
	for _, name := range append(files, demo...) {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(minimal("", `[{"id": "a", "category": "analytics", "hosts": ["*.x.com/p?q="], "cookies": [{"name": "a*b"}]}]`)))
	f.Add([]byte(`{"site": "\ud800", "categories": [[[[[[[[]]]]]]]]}`))
	f.Add([]byte(`{"a":1e999,"b":-0.0e-5,"c":"\u00e9\\\/"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Load(data)
		if (p == nil) == (err == nil) {
			t.Fatalf("Load returned policy %v with error %v", p != nil, err)
		}
		if err != nil {
			if _, ok := err.(Errors); !ok || err.Error() == "" {
				t.Fatalf("error %T %q", err, err)
			}
			return
		}
		b, _ := p.MarshalBinary()
		q, err := ReadCompiled(b)
		if err != nil || q.Revision != p.Revision {
			t.Fatalf("compact round trip: %v", err)
		}
	})
}

// FuzzDecodeState: no input panics, and whatever decodes re-encodes to an equivalent decision.
func FuzzDecodeState(f *testing.F) {
	p := examplePolicy(f)
	data, _ := os.ReadFile("testdata/codec/vectors.txt")
	for _, line := range strings.Split(string(data), "\n") {
		if col := strings.Split(line, "\t"); len(col) > 1 && !strings.HasPrefix(line, "#") {
			f.Add(col[1])
		}
	}
	f.Add("")
	f.Add("1........")
	f.Add(`"1.AAAAAAAA.P..0.b.AAAAAAAAAAAA.AAAAAA"`)
	f.Fuzz(func(t *testing.T, value string) {
		s, err := p.DecodeState(value, testNow)
		if err != nil {
			if s.Decided || len(s.Granted) > 0 || len(s.GrantedServices) > 0 {
				t.Fatalf("rejected cookie %q grants %+v", value, s)
			}
			return
		}
		again, err := p.DecodeState(p.EncodeState(s), testNow)
		if err != nil || strings.Join(again.Granted, ",") != strings.Join(s.Granted, ",") ||
			strings.Join(again.GrantedServices, ",") != strings.Join(s.GrantedServices, ",") ||
			strings.Join(again.DeniedServices, ",") != strings.Join(s.DeniedServices, ",") {
			t.Fatalf("%q decodes to %+v, which re-encodes to %+v (%v)", value, s, again, err)
		}
	})
}

// FuzzDecideURL: no URL panics the matcher, host normalization is idempotent, and the decision
// for a URL is the decision for the host it resolves to.
func FuzzDecideURL(f *testing.F) {
	p := examplePolicy(f)
	for _, u := range []string{"https://www.google-analytics.com/g/collect", "//js.hs-scripts.com/1.js", "/a",
		"https:\\\\x.hubspot.com", "ht\ttps://a.b", "https://[::1]:8080/x", "https://bücher.example/", "blob:https://x/y",
		"https://u@h:1", "%", "https://%zz/", "https://xn--/", "javascript:1", "HTTP://WWW.YOUTUBE.COM./embed"} {
		f.Add(u)
	}
	d := p.Decider(State{Decided: true, Granted: []string{"analytics"}}, false, "www.example.com")
	f.Fuzz(func(t *testing.T, raw string) {
		got := d.URL(KindScript, raw)
		tgt := parseTarget(raw, "https")
		if n := normalizeHost(tgt.host); n != tgt.host {
			t.Fatalf("host %q normalizes again to %q", tgt.host, n)
		}
		if tgt.host != "" && !tgt.relative {
			if byHost := d.Host(KindScript, tgt.host, tgt.path, false); byHost != got {
				t.Fatalf("URL(%q) = %+v, Host(%q) = %+v", raw, got, tgt.host, byHost)
			}
		}
	})
}

// FuzzReadCompiled: corrupt compact forms are errors, never panics or huge allocations.
func FuzzReadCompiled(f *testing.F) {
	p := examplePolicy(f)
	b, _ := p.MarshalBinary()
	f.Add(b)
	f.Add([]byte("CSPL\x01"))
	f.Add([]byte("CSPL\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		q, err := ReadCompiled(data)
		if (q == nil) == (err == nil) {
			t.Fatalf("ReadCompiled returned policy %v with error %v", q != nil, err)
		}
	})
}
