// Package wasm builds Consentry's page assets: consentry.js (the synchronous gate, gate.js, with
// Go's wasm_exec.js inside it, minified) and consentry.<hash>.wasm (the engine of wasm/engine, with
// the compiled policy inside it). `consentry build` is a thin command around Build.
package wasm

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/js"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/wasm/banner"
)

//go:embed gate.js
var gateJS string

// EnginePackage is the import path of the page engine.
const EnginePackage = "github.com/consentry/consentry/wasm/engine"

// Options configure Build.
type Options struct {
	// Policy is the policy compiled into the engine. Nil makes the generic build, which reads the
	// JSON policy at run time from the tag's data-policy URL (and links the policy loader).
	Policy *consent.Policy
	// Out is the directory the files are written to (created if missing).
	Out string
	// Go is the go command to build with ("go" when empty). wasm_exec.js is taken from its GOROOT,
	// since it must match the runtime the engine is linked with.
	Go string
	// NoMinify leaves consentry.js readable (for debugging the gate).
	NoMinify bool
	// Tags are extra build tags for the engine (consentry_bench adds what wasm/pagebench measures).
	Tags []string
}

// Result says what Build wrote.
type Result struct {
	JS, Wasm string // paths
	WasmName string // the wasm's file name, as the gate refers to it
}

// Build writes consentry.js and consentry.<hash>.wasm into opts.Out. The hash is of the wasm's
// content, so that the wasm can be cached forever while consentry.js (whose URL is in every page)
// names the current one.
func Build(ctx context.Context, opts Options) (*Result, error) {
	goCmd := opts.Go
	if goCmd == "" {
		goCmd = "go"
	}
	tmp, err := os.MkdirTemp("", "consentry-build-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	wasmBytes, err := buildEngine(ctx, goCmd, opts.Policy, opts.Tags, tmp)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(wasmBytes)
	name := "consentry." + hex.EncodeToString(sum[:5]) + ".wasm"

	goroot, err := goEnv(ctx, goCmd, "GOROOT")
	if err != nil {
		return nil, err
	}
	execJS, err := os.ReadFile(filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		// Go before 1.24 kept it in misc/wasm.
		if execJS, err = os.ReadFile(filepath.Join(goroot, "misc", "wasm", "wasm_exec.js")); err != nil {
			return nil, errors.New("wasm_exec.js not found in GOROOT " + goroot)
		}
	}
	if used, err := gojsImports(wasmBytes); err == nil {
		execJS = []byte(dropUnusedImports(string(execJS), used))
	}
	script, err := GateScript(string(execJS), name, gateHints(opts.Policy), !opts.NoMinify)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return nil, err
	}
	res := &Result{JS: filepath.Join(opts.Out, "consentry.js"), Wasm: filepath.Join(opts.Out, name), WasmName: name}
	// Earlier builds' wasm files stay: pages cached with an older consentry.js may still ask for them.
	if err := os.WriteFile(res.Wasm, wasmBytes, 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(res.JS, []byte(script), 0o644); err != nil {
		return nil, err
	}
	return res, nil
}

// GateScript returns consentry.js: gate.js with wasmExec (Go's wasm_exec.js) inside it and the
// engine's file name and the policy's hints (gateHints) filled in, minified when min is set.
func GateScript(wasmExec, wasmName, hints string, min bool) (string, error) {
	const execMark, nameMark, hintsMark = "/*@WASM_EXEC@*/", `/*@WASM@*/ "consentry.wasm"`, "/*@HINTS@*/ null"
	if !strings.Contains(gateJS, execMark) || !strings.Contains(gateJS, nameMark) || !strings.Contains(gateJS, hintsMark) {
		return "", errors.New("gate.js lacks its placeholders")
	}
	s := strings.Replace(gateJS, nameMark, strconv.Quote(wasmName), 1)
	s = strings.Replace(s, hintsMark, hints, 1)
	s = strings.Replace(s, execMark, stripPolyfills(wasmExec), 1)
	if !min {
		return s, nil
	}
	m := minify.New()
	m.AddFunc("application/javascript", js.Minify)
	return m.String("application/javascript", s)
}

// stripPolyfills removes from wasm_exec.js the Node.js polyfills it defines when fs, process and
// path are missing, and its checks for crypto, performance and TextEncoder, which every browser the
// gate runs in has: the gate defines smaller fs, process and path of its own (gate.js, goClass).
// wasm_exec.js of another Go version, where the block is not found as expected, is kept whole.
func stripPolyfills(wasmExec string) string {
	start := strings.Index(wasmExec, "if (!globalThis.fs) {")
	end := strings.Index(wasmExec, "const encoder = new TextEncoder(")
	if start < 0 || end < start {
		return wasmExec
	}
	cut := wasmExec[start:end]
	for _, must := range []string{"globalThis.process", "globalThis.path", "globalThis.TextDecoder"} {
		if !strings.Contains(cut, must) {
			return wasmExec
		}
	}
	if strings.Count(cut, "if (!globalThis.") != 7 { // fs, process, path, crypto, performance, TextEncoder, TextDecoder
		return wasmExec
	}
	return wasmExec[:start] + wasmExec[end:]
}

// gateHints returns what the gate may apply before the engine runs, as a JS object literal
// (gate.js, early): the exact names and the prefixes ("name*") of the required categories' cookies
// and storage keys, every path prefix a service claims on a host (a same-origin URL under one
// of them waits for the engine), and Google Consent Mode's default commands. Other globs are left out: what they match waits for the engine.
// The generic build has no policy: "null", everything waits.
func gateHints(p *consent.Policy) string {
	if p == nil {
		return "null"
	}
	type names struct {
		N []string `json:"n"`
		P []string `json:"p"`
	}
	type consentMode struct {
		Commands json.RawMessage `json:"c"`
		GPC      []string        `json:"g"`
	}
	h := struct {
		Claims  []string `json:"c"`
		Cookies names    `json:"cookies"`
		Storage names    `json:"storage"`
		// Google Consent Mode's default and settings, pushed before any other script runs
		// (wasm/banner/consentmode.go); absent when no category names a consent type.
		ConsentMode *consentMode `json:"cm,omitempty"`
		// Hosts the engine allows for every visitor (earlyHosts), and the ids of the required
		// categories and their services (explicit markup that names them).
		Hosts  []string `json:"h"`
		Labels []string `json:"l"`
		// NeedsConsent says that while the visitor has not decided (no Cookie), nothing the gate
		// holds can be allowed: the policy is opt-in, blocks undeclared hosts, and every host it
		// allows without consent is in Hosts. Held scripts then keep no order (gate.js, soft).
		NeedsConsent bool   `json:"g"`
		Cookie       string `json:"k"`
	}{Claims: []string{}, Cookies: names{[]string{}, []string{}}, Storage: names{[]string{}, []string{}}, Labels: []string{}}
	hosts, all := earlyHosts(p)
	h.Hosts = append([]string{}, hosts...)
	h.NeedsConsent = all && p.Regime == consent.OptIn && p.Undeclared.Hosts != consent.Report
	h.Cookie = p.Consent.Cookie
	undecided, cats := p.Decider(consent.State{}, true, "consentry-page.invalid"), p.CategoryReasons(consent.State{}, true)
	for _, c := range p.Categories {
		if c.Required && undecided.Markup(c.ID, cats).Allowed {
			h.Labels = append(h.Labels, c.ID)
		}
	}
	for i, s := range p.Services {
		if p.CategoryOf(i).Required && undecided.Markup(s.ID, cats).Allowed {
			h.Labels = append(h.Labels, s.ID)
		}
	}
	if banner.ConsentModeEnabled(p) {
		_, gpcTypes := banner.ConsentModeDefault(p)
		h.ConsentMode = &consentMode{json.RawMessage(banner.ConsentModeCommands(p)), append([]string{}, gpcTypes...)}
	}
	add := func(n *names, name string) {
		switch i := strings.IndexByte(name, '*'); {
		case i < 0:
			n.N = append(n.N, name)
		case i == len(name)-1 && i > 0:
			n.P = append(n.P, name[:i])
		}
	}
	for i, s := range p.Services {
		for _, host := range s.Hosts {
			if j := strings.IndexAny(host, "/?"); j >= 0 {
				path := host[j:]
				if path[0] == '?' {
					path = "/" + path
				}
				h.Claims = append(h.Claims, path)
			}
		}
		if !p.CategoryOf(i).Required {
			continue
		}
		for _, c := range s.Cookies {
			add(&h.Cookies, c.Name)
		}
		for _, k := range s.Storage {
			add(&h.Storage, k.Name)
		}
	}
	b, err := json.Marshal(h)
	if err != nil {
		return "null"
	}
	return string(b)
}

// buildEngine compiles wasm/engine for js/wasm. The compiled policy goes into a generated Go file
// that an -overlay adds to the package for this build only: nothing is written into the source tree,
// the policy is a string constant in the binary's data (no decoding at start), and the engine
// source is the same for every site.
func buildEngine(ctx context.Context, goCmd string, p *consent.Policy, tags []string, tmp string) ([]byte, error) {
	dir, err := packageDir(ctx, goCmd, EnginePackage)
	if err != nil {
		return nil, err
	}
	args := []string{"build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(tmp, "engine.wasm")}
	if p == nil {
		tags = append(tags, "consentry_generic")
	}
	if len(tags) > 0 {
		args = append(args, "-tags="+strings.Join(tags, ","))
	}
	if p != nil {
		bin, err := p.MarshalBinary()
		if err != nil {
			return nil, err
		}
		src := "//go:build js && wasm\n\n// Code generated by consentry build. DO NOT EDIT.\n\npackage main\n\n" +
			"func init() { compiledPolicy = " + strconv.Quote(string(bin)) + " }\n"
		gen := filepath.Join(tmp, "policy_embedded.go")
		if err := os.WriteFile(gen, []byte(src), 0o644); err != nil {
			return nil, err
		}
		overlay := `{"Replace":{` + strconv.Quote(filepath.Join(dir, "policy_embedded.go")) + `:` + strconv.Quote(gen) + `}}`
		if err := os.WriteFile(filepath.Join(tmp, "overlay.json"), []byte(overlay), 0o644); err != nil {
			return nil, err
		}
		args = append(args, "-overlay", filepath.Join(tmp, "overlay.json"))
	}
	args = append(args, EnginePackage)
	if err := goRun(ctx, goCmd, dir, args...); err != nil {
		return nil, err
	}
	return os.ReadFile(filepath.Join(tmp, "engine.wasm"))
}

// BuildBare builds the Go runtime floor the engine's size and start time are compared with: a
// syscall/js program that only tells the page it runs (wasm/pagebench uses it).
func BuildBare(ctx context.Context, goCmd, out string) error {
	tmp, err := os.MkdirTemp("", "consentry-bare-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	src := "package main\n\nimport \"syscall/js\"\n\nfunc main() {\n\tjs.Global().Get(\"performance\").Call(\"mark\", \"go:ready\")\n\tselect {}\n}\n"
	if err := os.WriteFile(filepath.Join(tmp, "main.go"), []byte(src), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), []byte("module bare\n\ngo 1.26\n"), 0o644); err != nil {
		return err
	}
	return goRun(ctx, goCmd, tmp, "build", "-trimpath", "-ldflags=-s -w", "-o", out, ".")
}

func packageDir(ctx context.Context, goCmd, pkg string) (string, error) {
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, goCmd, "list", "-f", "{{.Dir}}", pkg)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", errors.New("go list " + pkg + ": " + err.Error())
	}
	return strings.TrimSpace(out.String()), nil
}

func goEnv(ctx context.Context, goCmd, key string) (string, error) {
	out, err := exec.CommandContext(ctx, goCmd, "env", key).Output()
	if err != nil {
		return "", errors.New("go env " + key + ": " + err.Error())
	}
	return strings.TrimSpace(string(out)), nil
}

func goRun(ctx context.Context, goCmd, dir string, args ...string) error {
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, goCmd, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return errors.New("go " + strings.Join(args, " ") + ": " + err.Error() + "\n" + stderr.String())
	}
	return nil
}
