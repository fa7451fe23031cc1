package audit

import (
	"cmp"
	"encoding/json"
	"io"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/consent/catalogue"
)

// Suggestion is a policy file's service entry (the JSON of one element of "services") that would
// declare undeclared items of audit reports. An entry whose ID is already a service of the policy
// lists what to add to that service.
type Suggestion struct {
	ID string `json:"id"`
	// Catalogue refers to the built-in catalogue's vendor, which supplies its hosts, cookies,
	// storage keys, expiries and descriptions.
	Catalogue string `json:"catalogue,omitempty"`
	// Category is a category of the policy: the catalogue vendor's, where the policy has a
	// category of that name, or else "TODO", which consentry check rejects until someone chooses.
	Category string           `json:"category"`
	Provider string           `json:"provider,omitempty"`
	Hosts    []string         `json:"hosts,omitempty"`
	Cookies  []SuggestionItem `json:"cookies,omitempty"`
	Storage  []SuggestionItem `json:"storage,omitempty"`
}

// SuggestionItem is a cookie or storage key of a Suggestion, with the expiry observed (the
// longest, rounded up) for a cookie.
type SuggestionItem struct {
	Name   string `json:"name"`
	Expiry string `json:"expiry,omitempty"`
}

// TODOCategory is the category of a suggestion the audit cannot place.
const TODOCategory = "TODO"

// categorySynonyms maps the catalogue's categories to the category ids sites commonly use for
// them, in order of preference.
var categorySynonyms = map[string][]string{
	"analytics":       {"analytics", "statistics", "performance", "measurement"},
	"marketing":       {"marketing", "advertising", "ads", "targeting"},
	"functional":      {"functional", "functionality", "preferences", "personalization"},
	"personalization": {"personalization", "preferences", "functional", "functionality"},
}

// Suggest returns service entries that declare the undeclared items of reports, one per vendor:
// a catalogue reference for a vendor the catalogue knows, plus whatever of it the catalogue does
// not list; for other vendors, the hosts, cookies and storage keys seen, grouped by registrable
// domain. A cookie or storage key belongs to the vendor whose script or response wrote it, when
// the audit saw that, else to the catalogue vendor that uses its name, else to the third party
// that holds it; the site's own go to one entry, "site". Each cookie gets the longest lifetime
// seen. Entries come in order of id.
func Suggest(p *consent.Policy, reports []*Report) []Suggestion {
	byID := map[string]*Suggestion{}
	get := func(key string, fresh func() Suggestion) *Suggestion {
		s, ok := byID[key]
		if !ok {
			n := fresh()
			s = &n
			byID[key] = s
		}
		return s
	}
	undeclared := func(d Decision) bool {
		return d.Reason == consent.ReasonUndeclared.String() || d.Reason == consent.ReasonUndeclaredReported.String()
	}
	// entry finds the entry of the vendor of a catalogue id, a URL's registrable domain, or the
	// site.
	entry := func(vendorID, rawURL, site string) *Suggestion {
		if v, ok := catalogue.Lookup(vendorID); vendorID != "" && ok {
			return get("catalogue:"+v.ID, func() Suggestion { return catalogueEntry(p, v) })
		}
		if u, err := url.Parse(rawURL); err == nil && isHTTP(rawURL) {
			if dom := registrableDomain(u.Hostname()); dom != site {
				if v, ok := catalogue.MatchHost(consent.NormalizeHost(u.Host)); ok {
					return get("catalogue:"+v.ID, func() Suggestion { return catalogueEntry(p, v) })
				}
				return get("domain:"+dom, func() Suggestion {
					return Suggestion{ID: slug(dom), Category: TODOCategory, Provider: dom}
				})
			}
		}
		return get("site:"+site, func() Suggestion {
			return Suggestion{ID: "site", Category: TODOCategory, Provider: p.Site}
		})
	}

	for _, r := range reports {
		page := cmp.Or(r.FinalURL, r.URL)
		site := ""
		if u, err := url.Parse(page); err == nil {
			site = registrableDomain(u.Hostname())
		}
		for _, q := range r.Requests {
			if q.Blocked != "" || !undeclared(q.Decision) {
				continue
			}
			s := entry(q.Decision.Vendor, q.URL, site)
			if s.Catalogue == "" {
				u, _ := url.Parse(q.URL)
				s.Hosts = addName(s.Hosts, consent.NormalizeHost(u.Host))
			}
		}
		for _, sc := range r.Scripts {
			if !undeclared(sc.Decision) {
				continue
			}
			s := entry(sc.Decision.Vendor, sc.URL, site)
			if s.Catalogue == "" {
				u, _ := url.Parse(sc.URL)
				s.Hosts = addName(s.Hosts, consent.NormalizeHost(u.Host))
			}
		}
		// A cookie or key belongs to whoever wrote it, when the audit saw that: the name a
		// catalogue vendor also uses is a weaker clue ("lang" is a LinkedIn cookie too).
		owner := func(writer, nameVendor, holder string) (s *Suggestion, listed bool) {
			switch {
			case writer != "":
				s = entry("", writer, site)
			case nameVendor != "":
				s = entry(nameVendor, "", site)
			default:
				s = entry("", holder, site)
			}
			return s, s.Catalogue != "" && s.Catalogue == nameVendor
		}
		for _, c := range r.Cookies {
			if !undeclared(c.Decision) {
				continue
			}
			holder := ""
			if c.ThirdParty {
				holder = "https://" + strings.TrimPrefix(c.Domain, ".") + "/"
			}
			if s, listed := owner(c.Source, c.Decision.Vendor, holder); !listed {
				s.Cookies = addItem(s.Cookies, c.Name, cookieExpiry(c, r.end()))
			}
		}
		for _, k := range r.Storage {
			if !undeclared(k.Decision) {
				continue
			}
			if s, listed := owner(k.Source, k.Decision.Vendor, k.Origin+"/"); !listed {
				s.Storage = addItem(s.Storage, k.Key, "")
			}
		}
	}

	out := make([]Suggestion, 0, len(byID))
	taken := map[string]bool{}
	for _, s := range p.Services {
		taken[s.ID] = true
	}
	for _, s := range byID {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b Suggestion) int { return strings.Compare(a.ID, b.ID) })
	for i := range out {
		s := &out[i]
		if s.Catalogue == "" {
			// A new entry needs an id of its own (catalogue entries of a declared vendor keep the
			// service's id on purpose).
			base := s.ID
			for n := 2; taken[s.ID]; n++ {
				s.ID = base + "-" + strconv.Itoa(n)
			}
		}
		taken[s.ID] = true
		slices.Sort(s.Hosts)
		slices.SortFunc(s.Cookies, func(a, b SuggestionItem) int { return strings.Compare(a.Name, b.Name) })
		slices.SortFunc(s.Storage, func(a, b SuggestionItem) int { return strings.Compare(a.Name, b.Name) })
	}
	return out
}

// catalogueEntry is the entry for catalogue vendor v: the policy's service that already refers to
// it, or a new one in the category the vendor's category maps to.
func catalogueEntry(p *consent.Policy, v *catalogue.Vendor) Suggestion {
	for i, s := range p.Services {
		if s.Catalogue == v.ID {
			return Suggestion{ID: s.ID, Catalogue: v.ID, Category: p.CategoryOf(i).ID}
		}
	}
	category := TODOCategory
	if v.Category == "necessary" || v.Category == "security" {
		for _, c := range p.Categories {
			if c.Required {
				category = c.ID
				break
			}
		}
	}
	for _, id := range categorySynonyms[v.Category] {
		if _, ok := p.CategoryIndex(id); ok {
			category = id
			break
		}
	}
	return Suggestion{ID: v.ID, Catalogue: v.ID, Category: category, Provider: v.Name}
}

func addName(list []string, name string) []string {
	if slices.Contains(list, name) {
		return list
	}
	return append(list, name)
}

// addItem adds a cookie or key, keeping the longest expiry of those seen for one name.
func addItem(items []SuggestionItem, name, expiry string) []SuggestionItem {
	for i := range items {
		if items[i].Name == name {
			if longerExpiry(expiry, items[i].Expiry) {
				items[i].Expiry = expiry
			}
			return items
		}
	}
	return append(items, SuggestionItem{Name: name, Expiry: expiry})
}

func longerExpiry(a, b string) bool {
	switch {
	case b == "" || a == string(consent.ExpiryPersistent):
		return a != ""
	case a == "" || b == string(consent.ExpiryPersistent) || a == string(consent.ExpirySession):
		return false
	case b == string(consent.ExpirySession):
		return true
	}
	da, _ := consent.Expiry(a).Seconds()
	db, _ := consent.Expiry(b).Seconds()
	return da > db
}

// cookieExpiry writes the lifetime a cookie had at now in the policy's expiry form, rounded up
// so that the declaration covers it: "session", "45m", "7h", "30d", "1y".
func cookieExpiry(c Cookie, now time.Time) string {
	if c.Expires == nil {
		return string(consent.ExpirySession)
	}
	d := c.Expires.Sub(now)
	up := func(unit time.Duration) int { return int(math.Ceil(float64(d) / float64(unit))) }
	switch {
	case d <= 0:
		return string(consent.ExpirySession)
	case d <= 90*time.Minute:
		return strconv.Itoa(up(time.Minute)) + "m"
	case d <= 48*time.Hour:
		return strconv.Itoa(up(time.Hour)) + "h"
	}
	days := up(24 * time.Hour)
	if days%365 == 0 {
		return strconv.Itoa(days/365) + "y"
	}
	return strconv.Itoa(days) + "d"
}

// slug makes a service id of a registrable domain: the label before its public suffix, in the
// characters ids allow ("stats-vendor.example" -> "stats-vendor", "cdn.co.uk" -> "cdn").
func slug(domain string) string {
	if i := strings.IndexByte(domain, '.'); i > 0 {
		domain = domain[:i]
	}
	var b strings.Builder
	for _, r := range strings.ToLower(domain) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return cmp.Or(strings.Trim(b.String(), "-_"), "vendor")
}

// WriteSuggestions writes suggestions as the "services" member of a policy file, to paste into one.
func WriteSuggestions(w io.Writer, suggestions []Suggestion) error {
	if suggestions == nil {
		suggestions = []Suggestion{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Services []Suggestion `json:"services"`
	}{suggestions})
}
