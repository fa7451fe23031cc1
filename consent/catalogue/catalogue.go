// Package catalogue is Consentry's built-in vendor catalogue: which vendor a
// cookie name, a storage key or a host belongs to, and what the vendor's
// cookies are for and how long they live.
//
// The data comes from the Open Cookie Database (Apache-2.0, see
// LICENSE.open-cookie-database) and from vendors.txt, which adds what that
// database lacks: the hosts each vendor's scripts, iframes, pixels and beacons
// load from, storage keys, and corrections. Vendors of the database that are
// not curated are in the catalogue too, without hosts, so that audits can name
// the owner of an undeclared cookie.
//
// The package runs in the page (js/wasm) as well as at the edge, so it keeps
// its dependencies to strings, strconv, sync and slices: the data is one string
// constant, parsed on first use.
package catalogue

//go:generate go run ./gen

import (
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Vendor is a company's product that sets cookies or storage keys, or that a
// page loads resources from. Values returned by this package are shared: do
// not modify them.
type Vendor struct {
	ID, Name string
	// Category is the vendor's default category in the Open Cookie Database's
	// terms, lower-cased: functional, personalization, analytics, marketing,
	// security (or necessary). A site's policy decides the real one.
	Category string
	// Hosts are exact host names or "*.domain" (the domain and all its
	// subdomains), lower-case. Only curated vendors have hosts.
	Hosts      []string
	PrivacyURL string
	Cookies    []Item // cookie names, exact or globs with '*'
	Storage    []Item // localStorage/sessionStorage keys, exact or globs
	// Curated reports whether the vendor is hand-curated (vendors.txt) rather
	// than taken as is from the Open Cookie Database.
	Curated bool
	// Aliases are other ids Lookup accepts ("facebook" for "meta-pixel").
	Aliases []string
}

// Item is a cookie or a storage key of a vendor.
type Item struct {
	Name        string // exact, or a glob where '*' matches any run of characters
	Description string // English, from the Open Cookie Database or vendors.txt
	Retention   string // the source's own text: "2 years", "session", "13 months by default, modifiable"
	// Expiry is Retention normalized by NormalizeExpiry: "session",
	// "persistent" or <n><unit> ("2y", "13mo", "30m"); "" when unknown.
	Expiry string
	Domain string // the database's domain column ("youtube.com (3rd party)"); may be ""
	// Category is the database's category of this item, which may differ from
	// the vendor's (a marketing vendor's load-balancing cookie is functional).
	Category string
}

// Lookup returns the vendor with the given id or alias.
func Lookup(id string) (*Vendor, bool) {
	v, ok := load().byID[id]
	return v, ok
}

// Vendors returns every vendor, sorted by ID. The slice is the caller's; the
// vendors are shared.
func Vendors() []*Vendor {
	return slices.Clone(load().vendors)
}

// MatchCookie returns the vendor that uses a cookie of this name, and the
// cookie. An exact name beats a glob, a glob with more literal characters beats
// one with fewer, and on a tie a curated vendor beats one taken from the
// database as is, then the smaller vendor id wins.
func MatchCookie(name string) (*Vendor, *Item, bool) {
	return load().cookies.match(name)
}

// MatchStorage is MatchCookie for localStorage and sessionStorage keys.
func MatchStorage(key string) (*Vendor, *Item, bool) {
	return load().storage.match(key)
}

// MatchHost returns the vendor whose scripts, iframes, pixels or beacons are
// served from host, which must be lower-case ASCII (punycode for IDN hosts).
// An exact host beats "*.domain", and a longer domain beats a shorter one.
func MatchHost(host string) (*Vendor, bool) {
	return load().matchHost(host)
}

func (idx *index) matchHost(host string) (*Vendor, bool) {
	host = strings.TrimSuffix(host, ".")
	if v, ok := idx.hostExact[host]; ok {
		return v, true
	}
	for d := host; d != ""; {
		if v, ok := idx.hostDomain[d]; ok {
			return v, true
		}
		i := strings.IndexByte(d, '.')
		if i < 0 {
			break
		}
		d = d[i+1:]
	}
	return nil, false
}

// index is the parsed catalogue.
type index struct {
	vendors    []*Vendor          // sorted by ID
	byID       map[string]*Vendor // ids and aliases
	cookies    nameIndex
	storage    nameIndex
	hostExact  map[string]*Vendor // "www.googletagmanager.com"
	hostDomain map[string]*Vendor // "*.hubspot.com" is stored as "hubspot.com"
	malformed  int                // data lines the parser did not understand (tests want 0)
}

var (
	loadOnce sync.Once
	loaded   *index
)

func load() *index {
	loadOnce.Do(func() { loaded = parse(catalogueData) })
	return loaded
}

// categoryName decodes the one-letter category codes of catalogueData; the
// generator's categoryCode is its inverse. (A switch, not a map: a package-level
// map is built at init in every program that imports the package, the page's
// engine included, which never reads the catalogue.)
func categoryName(code string) string {
	switch code {
	case "f":
		return "functional"
	case "p":
		return "personalization"
	case "a":
		return "analytics"
	case "m":
		return "marketing"
	case "s":
		return "security"
	case "n":
		return "necessary"
	}
	return ""
}

// parse reads catalogueData. Its format, one record a line, fields separated
// by tabs:
//
//	consentry-catalogue 1                     the format's name and version
//	D  description                            description table; the n-th D line is description n
//	V  id  name  category  privacyURL  curated(0|1)  hosts(space-separated)  aliases(space-separated)
//	C  name  category  retention  domain  description-number   a cookie of the last V
//	S  name  category  retention  domain  description-number   a storage key of the last V
//
// Categories are one-letter codes (categoryName). The strings of the result
// share catalogueData's memory. A line parse does not understand is counted
// in malformed and skipped: the data is generated and tested, and a catalogue
// missing a line is better than a page that fails to start.
func parse(data string) *index {
	idx := &index{byID: map[string]*Vendor{}, hostExact: map[string]*Vendor{}, hostDomain: map[string]*Vendor{}}
	header, data, _ := strings.Cut(data, "\n")
	if header != "consentry-catalogue 1" {
		idx.malformed++
		return idx
	}
	var (
		descs   []string
		expiry  = map[string]string{} // NormalizeExpiry, memoized: few distinct texts
		vendor  *Vendor
		fields  [8]string
		vendors []*Vendor
	)
	for data != "" {
		var line string
		line, data, _ = strings.Cut(data, "\n")
		n := splitTabs(line, fields[:])
		switch {
		case fields[0] == "D" && n == 2:
			descs = append(descs, fields[1])
		case fields[0] == "V" && n == 8:
			vendor = &Vendor{
				ID: fields[1], Name: fields[2], Category: categoryName(fields[3]),
				PrivacyURL: fields[4], Curated: fields[5] == "1",
				Hosts: strings.Fields(fields[6]), Aliases: strings.Fields(fields[7]),
			}
			vendors = append(vendors, vendor)
		case (fields[0] == "C" || fields[0] == "S") && n == 6 && vendor != nil:
			it := Item{Name: fields[1], Category: categoryName(fields[2]), Retention: fields[3], Domain: fields[4]}
			if fields[5] != "" {
				d, err := strconv.Atoi(fields[5])
				if err != nil || d < 0 || d >= len(descs) {
					idx.malformed++
					continue
				}
				it.Description = descs[d]
			}
			e, ok := expiry[it.Retention]
			if !ok {
				e = NormalizeExpiry(it.Retention)
				expiry[it.Retention] = e
			}
			it.Expiry = e
			if fields[0] == "C" {
				vendor.Cookies = append(vendor.Cookies, it)
			} else {
				vendor.Storage = append(vendor.Storage, it)
			}
		default:
			idx.malformed++
		}
	}
	idx.vendors = vendors

	// Precedence for names and hosts: curated vendors first, then the rest;
	// by id within each (the data is sorted by id).
	ordered := make([]*Vendor, 0, len(vendors))
	for _, curated := range []bool{true, false} {
		for _, v := range vendors {
			if v.Curated == curated {
				ordered = append(ordered, v)
			}
		}
	}
	for _, v := range ordered {
		for _, id := range append([]string{v.ID}, v.Aliases...) {
			if _, dup := idx.byID[id]; !dup {
				idx.byID[id] = v
			}
		}
		for i := range v.Cookies {
			idx.cookies.add(v, &v.Cookies[i])
		}
		for i := range v.Storage {
			idx.storage.add(v, &v.Storage[i])
		}
		for _, h := range v.Hosts {
			if strings.ContainsAny(h, "/?") {
				// A path-prefixed host ("www.googletagmanager.com/gtag/js?id=G-") tells
				// services apart in a policy; by host alone it names no vendor.
				continue
			}
			m, key := idx.hostExact, h
			if d, ok := strings.CutPrefix(h, "*."); ok {
				m, key = idx.hostDomain, d
			}
			if _, dup := m[key]; !dup {
				m[key] = v
			}
		}
	}
	idx.cookies.sortGlobs()
	idx.storage.sortGlobs()
	return idx
}

// splitTabs splits line at tabs into fields and returns how many fields the
// line has (which may exceed len(fields); the excess is not stored).
func splitTabs(line string, fields []string) int {
	n := 0
	for {
		f, rest, more := strings.Cut(line, "\t")
		if n < len(fields) {
			fields[n] = f
		}
		n++
		if !more {
			return n
		}
		line = rest
	}
}

// nameIndex finds the item of a cookie name or storage key.
type nameIndex struct {
	exact map[string]itemRef
	globs []globRef // most literal characters first, then in precedence order
}

type itemRef struct {
	vendor *Vendor
	item   *Item
}

type globRef struct {
	itemRef
	literal int // characters other than '*'
}

func (x *nameIndex) add(v *Vendor, it *Item) {
	if strings.Contains(it.Name, "*") {
		x.globs = append(x.globs, globRef{itemRef{v, it}, len(it.Name) - strings.Count(it.Name, "*")})
		return
	}
	if x.exact == nil {
		x.exact = map[string]itemRef{}
	}
	if _, dup := x.exact[it.Name]; !dup {
		x.exact[it.Name] = itemRef{v, it}
	}
}

func (x *nameIndex) sortGlobs() {
	slices.SortStableFunc(x.globs, func(a, b globRef) int { return b.literal - a.literal })
}

func (x *nameIndex) match(name string) (*Vendor, *Item, bool) {
	if r, ok := x.exact[name]; ok {
		return r.vendor, r.item, true
	}
	for _, g := range x.globs {
		if matchGlob(g.item.Name, name) {
			return g.vendor, g.item, true
		}
	}
	return nil, nil, false
}

// matchGlob reports whether name matches pattern, where '*' matches any run of
// characters (also none) and every other byte matches itself. It backtracks
// only to the last star, so it runs in O(len(pattern)·len(name)) at worst.
func matchGlob(pattern, name string) bool {
	p, n := 0, 0
	starP, starN := -1, 0 // the last star seen, and where its match would resume
	for p < len(pattern) || n < len(name) {
		if p < len(pattern) {
			if pattern[p] == '*' {
				starP, starN = p, n+1
				p++
				continue
			}
			if n < len(name) && pattern[p] == name[n] {
				p++
				n++
				continue
			}
		}
		if starP >= 0 && starN <= len(name) {
			// Let the last star swallow one more byte and retry.
			p, n = starP+1, starN
			starN++
			continue
		}
		return false
	}
	return true
}
