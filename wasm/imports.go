package wasm

import (
	"errors"
	"strings"
)

// Go's wasm_exec.js offers the module every function of the "gojs" import module that a Go
// program may import; the linker imports only those the program uses. dropUnusedImports removes
// the others from wasm_exec.js, so that consentry.js carries only what its own engine calls (the
// two are built together: consentry.js names the wasm it was built with).

// gojsImports returns the names of the functions a wasm module imports from "gojs".
func gojsImports(wasm []byte) (map[string]bool, error) {
	if len(wasm) < 8 || string(wasm[:4]) != "\x00asm" {
		return nil, errors.New("not a wasm module")
	}
	bad := errors.New("malformed wasm import section")
	i := 8
	uleb := func() (int, bool) {
		v, shift := 0, 0
		for i < len(wasm) && shift < 35 {
			c := wasm[i]
			i++
			v |= int(c&0x7f) << shift
			if c < 0x80 {
				return v, true
			}
			shift += 7
		}
		return 0, false
	}
	name := func() (string, bool) {
		n, ok := uleb()
		if !ok || n > len(wasm)-i {
			return "", false
		}
		i += n
		return string(wasm[i-n : i]), true
	}
	for i < len(wasm) {
		id := wasm[i]
		i++
		size, ok := uleb()
		if !ok || size > len(wasm)-i {
			return nil, bad
		}
		if id != 2 { // not the import section
			i += size
			continue
		}
		n, ok := uleb()
		if !ok {
			return nil, bad
		}
		out := map[string]bool{}
		for ; n > 0; n-- {
			mod, ok1 := name()
			field, ok2 := name()
			if !ok1 || !ok2 || i >= len(wasm) {
				return nil, bad
			}
			kind := wasm[i]
			i++
			switch kind {
			case 0: // function: a type index
				_, ok = uleb()
			case 1: // table: element type, limits
				i++
				ok = limits(wasm, &i, uleb)
			case 2: // memory: limits
				ok = limits(wasm, &i, uleb)
			case 3: // global: value type, mutability
				i += 2
			default:
				ok = false
			}
			if !ok || i > len(wasm) {
				return nil, bad
			}
			if mod == "gojs" && kind == 0 {
				out[field] = true
			}
		}
		return out, nil
	}
	return map[string]bool{}, nil
}

func limits(wasm []byte, i *int, uleb func() (int, bool)) bool {
	if *i >= len(wasm) {
		return false
	}
	flags := wasm[*i]
	*i++
	if _, ok := uleb(); !ok {
		return false
	}
	if flags&1 != 0 {
		_, ok := uleb()
		return ok
	}
	return true
}

// dropUnusedImports removes from wasmExec the functions of its importObject's "gojs" object that
// used does not name, each with the comment lines above it. wasm_exec.js of a Go version whose
// layout differs (no entry found, or an import used that it lacks) is returned whole.
func dropUnusedImports(wasmExec string, used map[string]bool) string {
	lines := strings.SplitAfter(wasmExec, "\n")
	var out []string
	found := map[string]bool{}
	for k := 0; k < len(lines); k++ {
		l := lines[k]
		trimmed := strings.TrimLeft(l, "\t")
		indent := l[:len(l)-len(trimmed)]
		name, ok := importEntry(trimmed)
		if !ok {
			out = append(out, l)
			continue
		}
		found[name] = true
		if used[name] {
			out = append(out, l)
			continue
		}
		end := k + 1
		for end < len(lines) && strings.TrimRight(lines[end], "\r\n") != indent+"}," {
			end++
		}
		if end == len(lines) {
			return wasmExec
		}
		for len(out) > 0 && strings.HasPrefix(out[len(out)-1], indent+"// ") {
			out = out[:len(out)-1]
		}
		k = end
	}
	if len(found) == 0 {
		return wasmExec
	}
	for name := range used {
		if !found[name] {
			return wasmExec
		}
	}
	return strings.Join(out, "")
}

// importEntry reads `"runtime.wasmExit": (sp) => {`, the first line of an importObject entry.
func importEntry(line string) (string, bool) {
	rest, ok := strings.CutPrefix(line, `"`)
	if !ok {
		return "", false
	}
	name, rest, ok := strings.Cut(rest, `": (`)
	if !ok || strings.ContainsAny(name, " \t") {
		return "", false
	}
	_, after, ok := strings.Cut(rest, ") => {")
	return name, ok && strings.TrimSpace(after) == ""
}
