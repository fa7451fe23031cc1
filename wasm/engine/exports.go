//go:build js && wasm

package main

import (
	"unsafe"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/wasm/snapshot"
)

// The gate's hooks call these synchronously on every cookie write, storage write and load. They are
// //go:wasmexport functions rather than syscall/js callbacks: a js.FuncOf callback hands control to
// the Go scheduler on each call (about 35× a native document.cookie write, measured in Chromium 156,
// 2026-11), an export is a plain call. The gate writes its string argument into in with
// TextEncoder.encodeInto and passes the byte length; no JS value crosses.

// in is the buffer the gate writes arguments into (and reads the snapshot from).
var in [8192]byte

// Decision kinds, numbered as the gate numbers them (wasm/gate.js).
const (
	kindCookie  = snapshot.KindCookie
	kindStorage = snapshot.KindStorage
	kindLabel   = snapshot.KindLabel
)

//go:wasmexport consentryBuf
func exportBuf() int32 { return int32(uintptr(unsafe.Pointer(&in[0]))) }

// exportDecide decides the n-byte string in in as kind (a consent.Kind for URLs, kindCookie for a
// cookie name, kindStorage for a storage key) and returns the packed decision (see pack).
//
//go:wasmexport consentryDecide
func exportDecide(kind, n int32) int32 {
	if decider == nil || n < 0 || int(n) > len(in) {
		return 0
	}
	s := unsafe.String(&in[0], n) // valid until the gate writes the next argument; not retained
	var d consent.Decision
	switch kind {
	case kindCookie:
		d = decider.Cookie(s)
	case kindStorage:
		d = decider.Storage(s)
	default:
		d = decider.URLOn(consent.Kind(kind), s, scheme)
	}
	if d.Allowed {
		rec.Add(int(kind), s)
	}
	return pack(d)
}

// exportDecideLabel decides explicit markup by its data-consentry value (a category or service id).
//
//go:wasmexport consentryDecideLabel
func exportDecideLabel(n int32) int32 {
	if decider == nil || n < 0 || int(n) > len(in) {
		return 0
	}
	s := unsafe.String(&in[0], n)
	d := decider.Markup(s, cats)
	if d.Allowed {
		rec.Add(kindLabel, s)
	}
	return pack(d)
}

// pack encodes a decision for the gate: bit 0 allowed, bits 1-4 the reason, bits 5 and up the
// service's index + 1 (0 when no service claims the item), which the gate maps to the service and
// category ids it got at start.
func pack(d consent.Decision) int32 {
	r := int32(d.Reason&15) << 1
	if d.Allowed {
		r |= 1
	}
	if d.Service != "" {
		if i, ok := policy.ServiceIndex(d.Service); ok {
			r |= int32(i+1) << 5
		}
	}
	return r
}

// exportSnapshot writes the snapshot of this page view's allowed decisions into in for the gate
// to store, and returns its length (see package snapshot).
//
//go:wasmexport consentrySnap
func exportSnapshot() int32 {
	if decider == nil {
		return 0
	}
	exp := now() + consent.Day
	if state.Decided && policy.Consent.Lifetime > 0 {
		exp = state.At + policy.Consent.Lifetime
	}
	h := snapshot.Header{
		Wasm: gate.Get("wasm").String(), Host: host, GPC: gpc, Expires: exp,
		CookieName: policy.Consent.Cookie, CookieValue: consentCookie(),
	}
	return int32(len(rec.Append(in[:0], h, len(in))))
}
