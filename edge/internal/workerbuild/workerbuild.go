// Package workerbuild builds the edge worker for Cloudflare Workers (GOOS=js GOARCH=wasm) and
// puts beside it what workerd runs it with, so that the tests, edgebench and `make worker` build
// the same worker.
package workerbuild

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Flags are the go build flags of the worker. nethttpomithttp2 is net/http's own build tag that
// leaves out its bundled HTTP/2 (about 160 KB of the worker after gzip, with the packages only it
// imports): in a js/wasm build the runtime's fetch is the transport and nothing serves HTTP/2,
// and the worker must stay under the Workers Free plan's 3 MB (gzip, as of 2025-11). -s -w drop
// the symbol table and DWARF (panics still name their functions). Keep the Makefile's worker
// target in step.
var Flags = []string{"-tags", "nethttpomithttp2", "-trimpath", "-ldflags=-s -w"}

// Build builds ./cmd/worker of the edge directory edgeDir into dir/app.wasm, and copies there
// wasm_exec.js (from GOROOT), edge/worker/entry.mjs and edge/worker/workerd.capnp.
func Build(edgeDir, dir string) error {
	args := append(append([]string{"build"}, Flags...), "-o", filepath.Join(dir, "app.wasm"), "./cmd/worker")
	cmd := exec.Command("go", args...)
	cmd.Dir = edgeDir
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building the worker: %v\n%s", err, out)
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %v", err)
	}
	for src, dst := range map[string]string{
		filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"): "wasm_exec.js",
		filepath.Join(edgeDir, "worker", "entry.mjs"):                                   "entry.mjs",
		filepath.Join(edgeDir, "worker", "workerd.capnp"):                               "workerd.capnp",
	} {
		b, err := os.ReadFile(src)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, dst), b, 0o644)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
