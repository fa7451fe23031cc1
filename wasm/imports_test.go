package wasm

import (
	"strings"
	"testing"
)

func TestDropUnusedImports(t *testing.T) {
	ex := wasmExec(t)
	used := map[string]bool{"runtime.wasmExit": true, "syscall/js.valueGet": true}
	got := dropUnusedImports(ex, used)
	if got == ex {
		t.Fatal("no entry of this Go's wasm_exec.js was found: check dropUnusedImports against it")
	}
	for _, kept := range []string{`"runtime.wasmExit": (sp) => {`, `"syscall/js.valueGet": (sp) => {`, "importObject", "_makeFuncWrapper"} {
		if !strings.Contains(got, kept) {
			t.Errorf("%q was dropped", kept)
		}
	}
	for _, gone := range []string{`"syscall/js.valueInvoke"`, "func valueInvoke(", `"debug"`, `"runtime.walltime"`} {
		if strings.Contains(got, gone) {
			t.Errorf("%q is still there", gone)
		}
	}
	if got := dropUnusedImports(ex, map[string]bool{"runtime.noSuchImport": true}); got != ex {
		t.Error("an import wasm_exec.js lacks did not keep it whole")
	}
}

func TestGojsImports(t *testing.T) {
	// A module with a memory import, a function import from gojs and one from elsewhere.
	mod := []byte("\x00asm\x01\x00\x00\x00" +
		"\x02\x2d\x03" + // import section, 3 imports
		"\x03env\x03mem\x02\x00\x01" +
		"\x04gojs\x10runtime.wasmExit\x00\x00" +
		"\x03env\x01f\x00\x00")
	mod[9] = byte(len(mod) - 10)
	got, err := gojsImports(mod)
	if err != nil || len(got) != 1 || !got["runtime.wasmExit"] {
		t.Errorf("gojsImports = %v, %v", got, err)
	}
	if _, err := gojsImports(mod[:len(mod)-3]); err == nil {
		t.Error("a cut module was read")
	}
}
