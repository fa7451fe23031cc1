package consent

import (
	"errors"
	"strconv"
	"strings"
)

// Source says how a decision was made.
type Source uint8

const (
	SourceNone        Source = iota // no decision
	SourceBanner                    // the visitor used the banner or the preferences dialog
	SourceAPI                       // the site called consentry.set/acceptAll/rejectAll
	SourcePlaceholder               // the visitor allowed a service from a click-to-load placeholder
	SourceGPC                       // recorded from the Global Privacy Control signal
)

// sourceCodes are the one-character codes of the consent cookie; index = Source.
const sourceCodes = "-bapg"

var sourceNames = [...]string{"none", "banner", "api", "placeholder", "gpc"}

func (s Source) String() string {
	if int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return "unknown"
}

// ParseSource is the inverse of Source.String.
func ParseSource(s string) (Source, bool) {
	for i, n := range sourceNames {
		if n == s {
			return Source(i), true
		}
	}
	return SourceNone, false
}

// State is one visitor's consent.
type State struct {
	// Decided is false when there is no valid decision: no cookie, or one that is malformed,
	// forged, expired or for another revision of the policy. The banner then asks.
	Decided bool
	// Granted lists the granted category ids (required ones included).
	Granted []string
	// GrantedServices and DeniedServices list per-service choices that differ from the service's
	// category (a visitor who allows YouTube but not the rest of marketing).
	GrantedServices, DeniedServices []string
	Revision                        string // the policy revision the decision was made for
	At                              int64  // when, in unix seconds
	Source                          Source
	ID                              string // random id of the decision, for consent receipts
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Grants reports whether the state grants the category with the given id.
func (s State) Grants(category string) bool { return contains(s.Granted, category) }

// Errors of DecodeState. Each means "no decision".
var (
	ErrNoConsent = errors.New("consent: no consent cookie")
	ErrMalformed = errors.New("consent: malformed consent cookie")
	ErrVersion   = errors.New("consent: consent cookie of an unknown version")
	ErrChecksum  = errors.New("consent: consent cookie checksum mismatch")
	ErrRevision  = errors.New("consent: consent given for another policy revision")
	ErrExpired   = errors.New("consent: consent older than the policy's lifetime")
	ErrFuture    = errors.New("consent: consent dated in the future")
)

// The consent cookie (version 1) is eight fields joined by '.', all in base64url characters, so it
// never needs quoting or escaping in a Cookie or Set-Cookie header:
//
//	1.REVISION.CATEGORIES.SERVICES.AT.SOURCE.ID.CHECK
//	1.kP3x_Q2a.D..mb9w1c.b.Vq3fZk0aP1xR.Hq2pLm
//
// CATEGORIES is a bitmap of granted categories in policy order, six per character, least
// significant bit first; SERVICES likewise marks the services whose choice differs from their
// category's (trailing zero characters omitted); AT is the unix time in base 36; SOURCE one of
// sourceCodes; ID 12 characters of randomness; CHECK 36 bits of FNV-1a over everything before it.
// The check is not a signature (the visitor may grant what they like, it is their consent): it
// turns truncation, corruption and hand-made values into "no decision" instead of a grant.
const (
	cookieVersion  = "1"
	idLength       = 12
	checkLength    = 6
	maxCookieBytes = 1024
	// clockSkew is how far in the future a decision may be dated (a visitor's clock is wrong, or
	// an edge and a page disagree) before it is treated as forged.
	clockSkew = Day
)

const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

func b64Value(c byte) int {
	switch {
	case c >= 'A' && c <= 'Z':
		return int(c - 'A')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 26
	case c >= '0' && c <= '9':
		return int(c-'0') + 52
	case c == '-':
		return 62
	case c == '_':
		return 63
	}
	return -1
}

// ConsentID encodes 9 random bytes (the page passes crypto.getRandomValues output) as a decision
// id of 12 base64url characters. Missing bytes count as zero; extra bytes are ignored.
func ConsentID(random []byte) string {
	var in [9]byte
	copy(in[:], random)
	var out [idLength]byte
	for i := 0; i < 3; i++ {
		v := uint32(in[3*i])<<16 | uint32(in[3*i+1])<<8 | uint32(in[3*i+2])
		for j := 3; j >= 0; j-- {
			out[4*i+j] = b64[v&63]
			v >>= 6
		}
	}
	return string(out[:])
}

func checksum(s string) string {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	var out [checkLength]byte
	for i := range out {
		out[i] = b64[h&63]
		h >>= 6
	}
	return string(out[:])
}

func appendBitmap(b []byte, bits []bool, trim bool) []byte {
	n := (len(bits) + 5) / 6
	start := len(b)
	for c := 0; c < n; c++ {
		v := 0
		for j := 0; j < 6 && c*6+j < len(bits); j++ {
			if bits[c*6+j] {
				v |= 1 << j
			}
		}
		b = append(b, b64[v])
	}
	if trim {
		for len(b) > start && b[len(b)-1] == 'A' {
			b = b[:len(b)-1]
		}
	}
	return b
}

// EncodeState returns the consent cookie value for s. It records what the state grants under this
// policy (unknown ids are dropped, required categories are always set) and p's revision.
func (p *Policy) EncodeState(s State) string {
	cats := make([]bool, len(p.Categories))
	for i, c := range p.Categories {
		cats[i] = c.Required || contains(s.Granted, c.ID)
	}
	except := make([]bool, len(p.Services))
	for i, svc := range p.Services {
		granted := cats[svc.Category]
		if contains(s.GrantedServices, svc.ID) && !granted || contains(s.DeniedServices, svc.ID) && granted &&
			!p.Categories[svc.Category].Required {
			except[i] = true
		}
	}
	id := s.ID
	if !validConsentID(id) {
		id = ConsentID([]byte(strconv.FormatInt(s.At, 36) + p.Revision))
	}
	src := s.Source
	if int(src) >= len(sourceCodes) || src == SourceNone {
		src = SourceAPI
	}
	b := make([]byte, 0, 48+len(p.Services)/6)
	b = append(b, cookieVersion...)
	b = append(b, '.')
	b = append(b, p.Revision...)
	b = append(b, '.')
	b = appendBitmap(b, cats, false)
	b = append(b, '.')
	b = appendBitmap(b, except, true)
	b = append(b, '.')
	b = strconv.AppendInt(b, s.At, 36)
	b = append(b, '.', sourceCodes[src], '.')
	b = append(b, id...)
	b = append(b, '.')
	b = append(b, checksum(string(b))...)
	return string(b)
}

func validConsentID(id string) bool {
	if len(id) != idLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		if b64Value(id[i]) < 0 {
			return false
		}
	}
	return true
}

// DecodeState reads a consent cookie value. Anything but a well-formed, unaltered cookie for this
// policy's revision, dated within its lifetime, gives a State that is not Decided and the error
// saying why: never a grant, never a panic. An empty value gives ErrNoConsent.
func (p *Policy) DecodeState(value string, now int64) (State, error) {
	if value == "" {
		return State{}, ErrNoConsent
	}
	if len(value) > maxCookieBytes {
		return State{}, ErrMalformed
	}
	// Browsers may keep a cookie value in double quotes (RFC 6265 cookie-value grammar).
	if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
		value = value[1 : len(value)-1]
	}
	var f [8]string
	rest := value
	for i := range f {
		j := strings.IndexByte(rest, '.')
		if i == len(f)-1 {
			if j >= 0 {
				return State{}, ErrMalformed
			}
			f[i] = rest
			break
		}
		if j < 0 {
			return State{}, ErrMalformed
		}
		f[i], rest = rest[:j], rest[j+1:]
	}
	if f[0] != cookieVersion {
		return State{}, ErrVersion
	}
	if len(f[7]) != checkLength || checksum(value[:len(value)-checkLength]) != f[7] {
		return State{}, ErrChecksum
	}
	if f[1] != p.Revision {
		return State{}, ErrRevision
	}
	nCats, nSvcs := len(p.Categories), len(p.Services)
	if len(f[2]) != (nCats+5)/6 || len(f[3]) > (nSvcs+5)/6 || len(f[5]) != 1 || !validConsentID(f[6]) {
		return State{}, ErrMalformed
	}
	if _, ok := readBitmap(f[2], nCats); !ok {
		return State{}, ErrMalformed
	}
	except, ok := readBitmap(f[3], nSvcs)
	if !ok {
		return State{}, ErrMalformed
	}
	if len(f[4]) == 0 || len(f[4]) > 8 {
		return State{}, ErrMalformed
	}
	secs, err := strconv.ParseInt(f[4], 36, 64)
	if err != nil || secs < 0 {
		return State{}, ErrMalformed
	}
	src := strings.IndexByte(sourceCodes, f[5][0])
	if src <= 0 {
		return State{}, ErrMalformed
	}
	if secs > now+clockSkew {
		return State{}, ErrFuture
	}
	if p.Consent.Lifetime > 0 && now-secs > p.Consent.Lifetime {
		return State{}, ErrExpired
	}
	s := State{Decided: true, Revision: f[1], At: secs, Source: Source(src), ID: f[6]}
	s.Granted = make([]string, 0, nCats)
	for i := range p.Categories {
		if p.Categories[i].Required || bitSet(f[2], i) {
			s.Granted = append(s.Granted, p.Categories[i].ID)
		}
	}
	if except != 0 || len(f[3]) > 0 {
		for i := range p.Services {
			if !bitSet(f[3], i) {
				continue
			}
			svc := &p.Services[i]
			if p.Categories[svc.Category].Required {
				continue
			}
			if contains(s.Granted, p.Categories[svc.Category].ID) {
				s.DeniedServices = append(s.DeniedServices, svc.ID)
			} else {
				s.GrantedServices = append(s.GrantedServices, svc.ID)
			}
		}
	}
	return s, nil
}

// readBitmap validates a bitmap of n bits: only base64url characters, no bit set at or beyond n.
// It returns the first 64 bits (enough for the category check and a quick non-empty test).
func readBitmap(s string, n int) (uint64, bool) {
	var first uint64
	for c := 0; c < len(s); c++ {
		v := b64Value(s[c])
		if v < 0 {
			return 0, false
		}
		for j := 0; j < 6; j++ {
			if v&(1<<j) == 0 {
				continue
			}
			bit := c*6 + j
			if bit >= n {
				return 0, false
			}
			if bit < 64 {
				first |= 1 << bit
			}
		}
	}
	return first, true
}

func bitSet(s string, bit int) bool {
	c := bit / 6
	if c >= len(s) {
		return false
	}
	return b64Value(s[c])&(1<<(bit%6)) != 0
}
