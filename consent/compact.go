package consent

import (
	"errors"
	"sort"
)

// The compact form is how a compiled policy travels into the page module: the loader (JSON, the
// catalogue) stays out of the WebAssembly binary, and reading it is a single pass with no parsing of
// text formats. It holds everything a page needs: the decisions' inputs and every text the banner
// and the cookie declaration show.
//
// Layout: "CSPL", a version byte, then fields in the order of writeCompact; strings and lists are
// length-prefixed with unsigned varints.

const compactMagic = "CSPL"
const compactVersion = 2

// ErrCompact is returned by ReadCompiled for bytes that are not a compiled policy of this version.
var ErrCompact = errors.New("consent: not a compiled policy of this version (rebuild the assets)")

// MarshalBinary returns the compact form of p (see ReadCompiled).
func (p *Policy) MarshalBinary() ([]byte, error) {
	w := compactWriter{buf: append([]byte(compactMagic), compactVersion)}
	w.str(p.Site)
	w.strs(p.Languages)
	w.byte(byte(p.Regime))
	w.str(p.PolicyURL)
	w.strs(p.FirstParty)
	w.str(p.Consent.Cookie)
	w.str(p.Consent.Domain)
	w.uint(uint64(p.Consent.Lifetime))
	w.str(p.Consent.ReceiptEndpoint)
	w.byte(byte(p.Undeclared.Cookies))
	w.byte(byte(p.Undeclared.Storage))
	w.byte(byte(p.Undeclared.Hosts))
	w.uint(uint64(p.ConsentMode.WaitForUpdate))
	w.byte(flags(p.ConsentMode.AdsDataRedaction, p.ConsentMode.URLPassthrough))
	w.byte(byte(p.CSP))
	w.byte(flags(p.Banner.Modal, p.Banner.Button))
	keys := make([]string, 0, len(p.Texts))
	for k := range p.Texts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	w.uint(uint64(len(keys)))
	for _, k := range keys {
		w.str(k)
		w.text(p.Texts[k])
	}
	w.str(p.Revision)
	w.str(p.SourceRevision)
	w.uint(uint64(len(p.Categories)))
	for _, c := range p.Categories {
		w.str(c.ID)
		w.byte(flags(c.Required, c.GPC))
		w.text(c.Label)
		w.text(c.Description)
		w.strs(c.ConsentMode)
	}
	w.uint(uint64(len(p.Services)))
	for _, s := range p.Services {
		w.str(s.ID)
		w.uint(uint64(s.Category))
		w.str(s.Provider)
		w.text(s.Description)
		w.str(s.PrivacyURL)
		w.str(s.Catalogue)
		w.strs(s.Hosts)
		w.items(s.Cookies)
		w.items(s.Storage)
	}
	return w.buf, nil
}

func flags(bits ...bool) byte {
	var b byte
	for i, v := range bits {
		if v {
			b |= 1 << i
		}
	}
	return b
}

type compactWriter struct{ buf []byte }

func (w *compactWriter) byte(b byte) { w.buf = append(w.buf, b) }

// uint writes v as an unsigned LEB128 varint (the encoding/binary format; that package is not used
// because it imports reflect).
func (w *compactWriter) uint(v uint64) {
	for v >= 0x80 {
		w.buf = append(w.buf, byte(v)|0x80)
		v >>= 7
	}
	w.buf = append(w.buf, byte(v))
}
func (w *compactWriter) str(s string) {
	w.uint(uint64(len(s)))
	w.buf = append(w.buf, s...)
}
func (w *compactWriter) strs(list []string) {
	w.uint(uint64(len(list)))
	for _, s := range list {
		w.str(s)
	}
}
func (w *compactWriter) text(t Text) {
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	w.uint(uint64(len(keys)))
	for _, k := range keys {
		w.str(k)
		w.str(t[k])
	}
}
func (w *compactWriter) items(items []Item) {
	w.uint(uint64(len(items)))
	for _, it := range items {
		w.str(it.Name)
		w.str(string(it.Expiry))
		w.text(it.ExpiryNote)
		w.text(it.Description)
		w.str(it.Domain)
	}
}

// ReadCompiled rebuilds a policy from its compact form (MarshalBinary). Bytes that are truncated,
// of another version or inconsistent give ErrCompact, never a partial policy.
func ReadCompiled(b []byte) (*Policy, error) {
	if len(b) < len(compactMagic)+1 || string(b[:len(compactMagic)]) != compactMagic || b[len(compactMagic)] != compactVersion {
		return nil, ErrCompact
	}
	r := compactReader{buf: b[len(compactMagic)+1:]}
	p := &Policy{}
	p.Site = r.str()
	p.Languages = r.strs()
	p.Regime = Regime(r.byte())
	p.PolicyURL = r.str()
	p.FirstParty = r.strs()
	p.Consent.Cookie = r.str()
	p.Consent.Domain = r.str()
	p.Consent.Lifetime = int64(r.uint())
	p.Consent.ReceiptEndpoint = r.str()
	p.Undeclared.Cookies = UndeclaredMode(r.byte())
	p.Undeclared.Storage = UndeclaredMode(r.byte())
	p.Undeclared.Hosts = UndeclaredMode(r.byte())
	p.ConsentMode.WaitForUpdate = int(r.uint())
	f := r.byte()
	p.ConsentMode.AdsDataRedaction, p.ConsentMode.URLPassthrough = f&1 != 0, f&2 != 0
	p.CSP = CSPMode(r.byte())
	f = r.byte()
	p.Banner.Modal, p.Banner.Button = f&1 != 0, f&2 != 0
	if n := r.count(); n > 0 {
		p.Texts = make(map[string]Text, n)
		for i := 0; i < n; i++ {
			k := r.str()
			p.Texts[k] = r.text()
		}
	}
	p.Revision = r.str()
	p.SourceRevision = r.str()
	n := r.count()
	p.Categories = make([]Category, n)
	for i := range p.Categories {
		c := &p.Categories[i]
		c.ID = r.str()
		f := r.byte()
		c.Required, c.GPC = f&1 != 0, f&2 != 0
		c.Label = r.text()
		c.Description = r.text()
		c.ConsentMode = r.strs()
	}
	n = r.count()
	p.Services = make([]Service, n)
	for i := range p.Services {
		s := &p.Services[i]
		s.ID = r.str()
		s.Category = int(r.uint())
		if s.Category >= len(p.Categories) {
			r.bad = true
		}
		s.Provider = r.str()
		s.Description = r.text()
		s.PrivacyURL = r.str()
		s.Catalogue = r.str()
		s.Hosts = r.strs()
		s.Cookies = r.items()
		s.Storage = r.items()
	}
	if r.bad || len(r.buf) != 0 || p.Regime > OptOut || p.CSP > CSPReportOnly || len(p.Categories) == 0 {
		return nil, ErrCompact
	}
	p.index()
	return p, nil
}

type compactReader struct {
	buf []byte
	bad bool
}

func (r *compactReader) byte() byte {
	if len(r.buf) == 0 {
		r.bad = true
		return 0
	}
	b := r.buf[0]
	r.buf = r.buf[1:]
	return b
}

func (r *compactReader) uint() uint64 {
	var v uint64
	for i := 0; i < len(r.buf) && i < 10; i++ {
		b := r.buf[i]
		v |= uint64(b&0x7f) << (7 * i)
		if b < 0x80 {
			r.buf = r.buf[i+1:]
			return v
		}
	}
	r.bad = true
	r.buf = nil
	return 0
}

// count reads a list length, bounded by what the remaining bytes could hold (one byte an element at
// least), so that a corrupt length cannot make the reader allocate gigabytes.
func (r *compactReader) count() int {
	v := r.uint()
	if v > uint64(len(r.buf)) {
		r.bad = true
		r.buf = nil
		return 0
	}
	return int(v)
}

func (r *compactReader) str() string {
	n := r.count()
	s := string(r.buf[:n])
	r.buf = r.buf[n:]
	return s
}

func (r *compactReader) strs() []string {
	n := r.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.str()
	}
	return out
}

func (r *compactReader) text() Text {
	n := r.count()
	t := make(Text, n)
	for i := 0; i < n; i++ {
		k := r.str()
		t[k] = r.str()
	}
	return t
}

func (r *compactReader) items() []Item {
	n := r.count()
	if n == 0 {
		return nil
	}
	out := make([]Item, n)
	for i := range out {
		it := &out[i]
		it.Name = r.str()
		it.Expiry = Expiry(r.str())
		it.ExpiryNote = r.text()
		it.Description = r.text()
		it.Domain = r.str()
	}
	return out
}
