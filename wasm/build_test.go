package wasm

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/consentry/consentry/consent"
)

func goroot(t *testing.T) string {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

func wasmExec(t *testing.T) string {
	b, err := os.ReadFile(filepath.Join(goroot(t), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestStripPolyfills(t *testing.T) {
	ex := wasmExec(t)
	got := stripPolyfills(ex)
	if got == ex {
		t.Fatal("the polyfills of this Go's wasm_exec.js were not found: check stripPolyfills against it")
	}
	for _, gone := range []string{"globalThis.fs", "globalThis.process", "globalThis.path", "polyfill required"} {
		if strings.Contains(got, gone) {
			t.Errorf("%q still in the stripped wasm_exec.js", gone)
		}
	}
	for _, kept := range []string{"globalThis.Go = class", "fs.writeSync", "importObject"} {
		if !strings.Contains(got, kept) {
			t.Errorf("%q missing from the stripped wasm_exec.js", kept)
		}
	}
	if odd := "/* another Go's wasm_exec.js */"; stripPolyfills(odd) != odd {
		t.Error("an unknown wasm_exec.js was changed")
	}
}

func TestGateScript(t *testing.T) {
	for _, min := range []bool{false, true} {
		s, err := GateScript(wasmExec(t), "consentry.0123456789.wasm", `{"c":[],"cookies":{"n":[],"p":[]},"storage":{"n":[],"p":[]}}`, min)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`"consentry.0123456789.wasm"`, "consentryDecide", "instantiateStreaming"} {
			if !strings.Contains(s, want) {
				t.Errorf("min=%v: %q missing", min, want)
			}
		}
		if strings.Contains(s, "/*@") {
			t.Errorf("min=%v: a placeholder is left", min)
		}
		// wasm_exec.js must run with the gate's own globalThis: nothing may assign to window's.
		if regexp.MustCompile(`window\.(Go|fs|process|path)\s*=`).MatchString(s) {
			t.Errorf("min=%v: the script assigns Go's globals on window", min)
		}
	}
}

func TestGateHints(t *testing.T) {
	p, err := consent.LoadFile("../consent/testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	h := gateHints(p)
	for _, want := range []string{`"/api/"`, `"/_hs/"`, `"/gtag/js?id=G-"`, `"sid"`, `"consentry"`, `"consentry:"`} {
		if !strings.Contains(h, want) {
			t.Errorf("hints %s lack %s", h, want)
		}
	}
	for _, not := range []string{`"_ga"`, `"hubspotutk"`} { // not required: they wait for the engine
		if strings.Contains(h, not) {
			t.Errorf("hints %s have %s", h, not)
		}
	}
	if gateHints(nil) != "null" {
		t.Error("the generic build must have no hints")
	}
	// Google Consent Mode's default: every type denied but security_storage (necessary names it),
	// and the types GPC denies (marketing's).
	var cm struct {
		CM struct {
			C [][]any  `json:"c"`
			G []string `json:"g"`
		} `json:"cm"`
	}
	if err := json.Unmarshal([]byte(h), &cm); err != nil {
		t.Fatal(err)
	}
	def, _ := json.Marshal(cm.CM.C)
	if want := `[["consent","default",{"ad_personalization":"denied","ad_storage":"denied","ad_user_data":"denied",` +
		`"analytics_storage":"denied","functionality_storage":"denied","personalization_storage":"denied","security_storage":"granted"}]]`; string(def) != want {
		t.Errorf("Consent Mode commands %s\nwant %s", def, want)
	}
	if !slices.Equal(cm.CM.G, []string{"ad_storage", "ad_user_data", "ad_personalization"}) {
		t.Errorf("GPC types %q", cm.CM.G)
	}
	none, err := consent.Load([]byte(`{"site": "x", "categories": [{"id": "n", "required": true, "label": "N"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(gateHints(none), `"cm"`) {
		t.Error("a policy without Consent Mode types gets a Consent Mode default")
	}
}

// TestBuild builds the assets of a policy (a js/wasm build of the engine: seconds).
func TestBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the engine")
	}
	p, err := consent.LoadFile("../consent/testdata/example.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	res, err := Build(context.Background(), Options{Policy: p, Out: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^consentry\.[0-9a-f]{10}\.wasm$`).MatchString(res.WasmName) {
		t.Errorf("wasm name %q", res.WasmName)
	}
	js, err := os.ReadFile(res.JS)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), res.WasmName) {
		t.Error("consentry.js does not name the engine it was built with")
	}
	w, err := os.ReadFile(res.Wasm)
	if err != nil || len(w) < 4 || string(w[:4]) != "\x00asm" {
		t.Fatalf("engine: %v, %d bytes", err, len(w))
	}
	// The compiled policy is inside the engine.
	bin, _ := p.MarshalBinary()
	if !strings.Contains(string(w), string(bin[:40])) {
		t.Error("the compiled policy is not in the engine")
	}
	// The same policy builds the same engine (the hash is of the content).
	res2, err := Build(context.Background(), Options{Policy: p, Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if res2.WasmName != res.WasmName {
		t.Errorf("rebuild named %s, then %s", res.WasmName, res2.WasmName)
	}
}
