package wasm

import (
	"os/exec"
	"strings"
	"testing"
)

// TestEngineDependencies keeps what the gate must offer Go small: no build of the engine may link
// the syscall package (or os or time, which link it), whose init reads Node.js's fs, process and
// path from the global object. The gate offers Go none of them (gate.js, goClass), so an engine
// that linked syscall would fail at start, closed, on every page.
func TestEngineDependencies(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	for _, tags := range []string{"", "consentry_generic", "consentry_bench"} {
		cmd := exec.Command("go", "list", "-deps", "-tags="+tags, EnginePackage)
		cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list: %v", err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if dep == "syscall" || dep == "os" || dep == "time" {
				t.Errorf("the engine (tags %q) depends on %s (find who imports it: GOOS=js GOARCH=wasm go list -deps -f '{{.ImportPath}}: {{.Imports}}' -tags=%q ./wasm/engine)", tags, dep, tags)
			}
		}
	}
}
