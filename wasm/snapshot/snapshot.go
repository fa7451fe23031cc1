// Package snapshot records the allowed decisions the page engine made, so that the gate can apply
// them synchronously on the visitor's next page view, before the engine runs (DESIGN §4: a
// returning visitor's allowed scripts should not wait for the WebAssembly module to compile).
//
// The snapshot is a memo of the engine's own outputs, not a second decision procedure: the gate
// uses it only while everything the decisions depend on is unchanged (the engine build, which
// embeds the policy; the consent cookie; the page's host; the GPC signal; the consent's lifetime),
// and only for what it lists as allowed. Anything else waits for the engine as on a first visit.
//
// The format, read by wasm/gate.js (loadSnap), is text: a header line of tab-separated fields
//
//	1 WASM HOST GPC EXPIRES COOKIE-NAME COOKIE-VALUE
//
// then one line per allowed decision, "KIND:INPUT", KIND being the gate's decision code (0 script,
// 1 frame, 2 image, 3 connect, 8 cookie, 9 storage key, 10 markup label).
package snapshot

import "strconv"

// Decision kinds, as the gate numbers them.
const (
	KindCookie  = 8
	KindStorage = 9
	KindLabel   = 10
	kinds       = 11
)

// Bounds keep the snapshot small: it is read synchronously on every page view.
const (
	MaxEntries = 256
	MaxBytes   = 8000
)

// Recorder collects allowed decisions, at most MaxEntries of them. The zero value is ready to use.
type Recorder struct {
	sets    [kinds]map[string]struct{}
	entries int
}

// Add records an allowed decision. It does not allocate when the entry is known (the hot path:
// the same cookie written again), so the caller may pass a string that aliases a reused buffer.
func (r *Recorder) Add(kind int, input string) {
	if kind < 0 || kind >= kinds {
		return
	}
	set := r.sets[kind]
	if _, ok := set[input]; ok || r.entries >= MaxEntries || len(input) > 2048 {
		return
	}
	for i := 0; i < len(input); i++ {
		if input[i] == '\n' || input[i] == '\r' {
			return // cannot be written on one line
		}
	}
	if set == nil {
		set = make(map[string]struct{})
		r.sets[kind] = set
	}
	set[string([]byte(input))] = struct{}{}
	r.entries++
}

// Reset forgets every entry (the consent changed).
func (r *Recorder) Reset() { *r = Recorder{} }

// Header is what the decisions depend on besides the recorded input.
type Header struct {
	Wasm        string // the engine file name, which changes with the engine and the policy
	Host        string // location.hostname
	GPC         bool
	Expires     int64 // unix seconds after which the decision no longer holds
	CookieName  string
	CookieValue string // the consent cookie's value as document.cookie shows it ("" for none)
}

// Append appends the snapshot to b, keeping the result within max bytes (entries that do not fit
// are left out). It returns b unchanged when even the header does not fit.
func (r *Recorder) Append(b []byte, h Header, max int) []byte {
	start := len(b)
	gpc := "0"
	if h.GPC {
		gpc = "1"
	}
	for i, f := range []string{"1", h.Wasm, h.Host, gpc, strconv.FormatInt(h.Expires, 10), h.CookieName, h.CookieValue} {
		if i > 0 {
			b = append(b, '\t')
		}
		b = append(b, f...)
	}
	if len(b)-start > max {
		return b[:start]
	}
	for k, set := range r.sets {
		for in := range set {
			n := len(in) + 4
			if len(b)-start+n > max {
				return b
			}
			b = append(b, '\n')
			b = strconv.AppendInt(b, int64(k), 10)
			b = append(b, ':')
			b = append(b, in...)
		}
	}
	return b
}
