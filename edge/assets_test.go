package edge

import "testing"

func TestAssetName(t *testing.T) {
	for in, want := range map[string]string{
		"/consentry/consentry.js":            "consentry.js",
		"/consentry/sub/x.wasm":              "sub/x.wasm",
		"/consentry/":                        "",
		"/consentry/../etc/passwd":           "",
		"/consentry/a/../b.js":               "",
		"/consentry/.env":                    "",
		"/consentry/a//b.js":                 "",
		"/consentry/a\\b.js":                 "",
		"/consentry/dir/":                    "",
		"/other/consentry.js":                "",
		"/consentry/consentry.0123abcd.wasm": "consentry.0123abcd.wasm",
	} {
		if got := assetName(in, DefaultAssetPrefix); got != want {
			t.Errorf("assetName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAssetHeaders(t *testing.T) {
	for name, want := range map[string][2]string{
		"consentry.js":            {"text/javascript; charset=utf-8", cacheRevalidate},
		"consentry.3f9a2b1c.wasm": {"application/wasm", cacheImmutable},
		"consentry.wasm":          {"application/wasm", cacheRevalidate},
		"chunk.deadbeef0.js":      {"text/javascript; charset=utf-8", cacheImmutable},
		"consentry.notahash1.js":  {"text/javascript; charset=utf-8", cacheRevalidate},
		"data.bin":                {"application/octet-stream", cacheRevalidate},
	} {
		cache := cacheRevalidate
		if isHashedName(name) {
			cache = cacheImmutable
		}
		if got := [2]string{assetType(name), cache}; got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}
