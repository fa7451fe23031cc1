package consent

import (
	"sort"
	"strconv"
	"strings"

	"github.com/consentry/consentry/consent/catalogue"
)

// builtinService is the id of the service every policy gets for Consentry's own cookie and storage.
const builtinService = "consentry"

// BuiltinStorageKey is the prefix of the storage keys Consentry itself uses in the page.
const BuiltinStorageKey = "consentry:"

func days(n int) int64 { return int64(n) * Day }

// compile resolves catalogue references, adds the built-in service, checks that no two services
// claim the same cookie, key or host, builds the matchers and derives the revision.
func (l *loader) compile(src *source) *Policy {
	p := new(Policy)
	*p = src.policy
	p.Categories = src.categories
	p.categoryIndex = make(map[string]int, len(p.Categories))
	ids := make([]string, len(p.Categories))
	for i, c := range p.Categories {
		p.categoryIndex[c.ID] = i
		ids[i] = c.ID
	}
	required := -1
	for i, c := range p.Categories {
		if c.Required {
			required = i
			break
		}
	}
	if required < 0 {
		return p // reported by the loader
	}
	p.Services = append(p.Services, builtin(p, required))

	// Explicit declarations are registered before catalogue-derived ones so that a site's own word
	// wins; a catalogue item that another service already claims is dropped from the later service
	// (it could never match there), which keeps every pattern unique in the compiled policy.
	cookieOrigin := [][]itemOrigin{{{"consent.cookie", true}}}
	storageOrigin := [][]itemOrigin{{{"", true}}}
	hostOrigin := [][]itemOrigin{nil}
	for _, s := range src.services {
		svc := Service{ID: s.id, Provider: s.provider, Description: s.desc, PrivacyURL: s.privacyURL,
			Catalogue: s.catalogue}
		var co, so, ho []itemOrigin
		catCategory := ""
		if s.catalogue != "" {
			v, ok := catalogue.Lookup(s.catalogue)
			if !ok {
				l.fail(field(s.path, "catalogue"), "unknown catalogue entry "+strconv.Quote(s.catalogue))
			} else {
				catCategory = v.Category
				if svc.Provider == "" {
					svc.Provider = v.Name
				}
				if svc.PrivacyURL == "" {
					svc.PrivacyURL = v.PrivacyURL
				}
				for _, h := range v.Hosts {
					svc.Hosts = append(svc.Hosts, h)
					ho = append(ho, itemOrigin{field(s.path, "catalogue"), false})
				}
				svc.Cookies, co = mergeItems(s.cookies, v.Cookies, field(s.path, "cookies"))
				svc.Storage, so = mergeItems(s.storage, v.Storage, field(s.path, "storage"))
			}
		}
		if s.catalogue == "" {
			svc.Cookies, co = mergeItems(s.cookies, nil, field(s.path, "cookies"))
			svc.Storage, so = mergeItems(s.storage, nil, field(s.path, "storage"))
		}
		for i, h := range s.hosts {
			svc.Hosts = append(svc.Hosts, h)
			ho = append(ho, itemOrigin{index(field(s.path, "hosts"), i), true})
		}
		if svc.Provider == "" {
			svc.Provider = p.Site
		}
		switch {
		case s.category != "":
			if i, ok := p.categoryIndex[s.category]; ok {
				svc.Category = i
			} else {
				l.fail(s.categoryAt, "unknown category "+strconv.Quote(s.category)+" (categories: "+
					strings.Join(ids, ", ")+")")
			}
		case catCategory != "":
			if i, ok := p.categoryIndex[catCategory]; ok {
				svc.Category = i
			} else {
				l.fail(field(s.path, "category"), "required: the catalogue says "+strconv.Quote(catCategory)+
					", which is not a category of this policy ("+strings.Join(ids, ", ")+")")
			}
		default:
			l.fail(field(s.path, "category"), "required")
		}
		p.Services = append(p.Services, svc)
		cookieOrigin = append(cookieOrigin, co)
		storageOrigin = append(storageOrigin, so)
		hostOrigin = append(hostOrigin, ho)
	}
	if len(l.errs) > 0 {
		return p
	}

	// Resolve collisions, explicit declarations first.
	type claim struct {
		service int
		path    string
	}
	resolve := func(kind string, list func(*Service) *[]Item, origins [][]itemOrigin) {
		claims := map[string]claim{}
		for pass := 0; pass < 2; pass++ {
			for si := range p.Services {
				items := list(&p.Services[si])
				for ii, it := range *items {
					o := origins[si][ii]
					if o.explicit != (pass == 0) {
						continue
					}
					prev, taken := claims[it.Name]
					switch {
					case !taken:
						claims[it.Name] = claim{si, o.path}
					case o.explicit && prev.service != si:
						l.fail(index(o.path, ii)+".name", strconv.Quote(it.Name)+" is also declared by service "+
							strconv.Quote(p.Services[prev.service].ID))
					case o.explicit:
						l.fail(index(o.path, ii)+".name", "duplicate "+kind+" "+strconv.Quote(it.Name))
					}
				}
			}
		}
		// Drop the catalogue items that lost.
		for si := range p.Services {
			items := list(&p.Services[si])
			kept := (*items)[:0]
			for _, it := range *items {
				if claims[it.Name].service == si {
					kept = append(kept, it)
				}
			}
			*items = kept
		}
	}
	resolve("cookie", func(s *Service) *[]Item { return &s.Cookies }, cookieOrigin)
	resolve("storage key", func(s *Service) *[]Item { return &s.Storage }, storageOrigin)
	hostClaims := map[string]claim{}
	for pass := 0; pass < 2; pass++ {
		for si := range p.Services {
			for hi, h := range p.Services[si].Hosts {
				o := hostOrigin[si][hi]
				if o.explicit != (pass == 0) {
					continue
				}
				if prev, taken := hostClaims[h]; !taken {
					hostClaims[h] = claim{si, o.path}
				} else if o.explicit {
					l.fail(o.path, strconv.Quote(h)+" is also claimed by service "+strconv.Quote(p.Services[prev.service].ID))
				}
			}
		}
	}
	for si := range p.Services {
		s := &p.Services[si]
		kept := s.Hosts[:0]
		for _, h := range s.Hosts {
			if hostClaims[h].service == si {
				kept = append(kept, h)
			}
		}
		s.Hosts = kept
	}
	if len(l.errs) > 0 {
		return p
	}
	p.Revision = revision(p)
	p.index()
	return p
}

// itemOrigin says where a compiled item came from: the field path of its list, and whether the
// site declared it (explicit) or the catalogue supplied it.
type itemOrigin struct {
	path     string
	explicit bool
}

// mergeItems returns the explicit items followed by the catalogue's items of other names, with
// their origins.
func mergeItems(explicit []Item, cat []catalogue.Item, path string) ([]Item, []itemOrigin) {
	var items []Item
	var origins []itemOrigin
	for _, it := range explicit {
		items = append(items, it)
		origins = append(origins, itemOrigin{path, true})
	}
	for _, c := range cat {
		dup := false
		for _, it := range explicit {
			if it.Name == c.Name {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		it := Item{Name: c.Name, Domain: c.Domain}
		if e, ok := ParseExpiry(c.Expiry); ok {
			it.Expiry = e
		}
		if c.Description != "" {
			it.Description = Text{"en": c.Description}
		}
		items = append(items, it)
		origins = append(origins, itemOrigin{path, false})
	}
	return items, origins
}

func builtin(p *Policy, category int) Service {
	return Service{
		ID:       builtinService,
		Category: category,
		Provider: p.Site,
		Description: Text{
			"en": "Consentry, the consent manager of this site: keeps your cookie choices and enforces them.",
			"nb": "Consentry, samtykkeverktøyet på dette nettstedet: husker og håndhever valgene dine om informasjonskapsler.",
		},
		Cookies: []Item{{
			Name:   p.Consent.Cookie,
			Expiry: Expiry(strconv.FormatInt(p.Consent.Lifetime/Day, 10) + "d"),
			Description: Text{
				"en": "Stores your cookie consent choices for this site.",
				"nb": "Lagrer valgene dine om informasjonskapsler for dette nettstedet.",
			},
		}},
		Storage: []Item{{
			Name:   BuiltinStorageKey + "*",
			Expiry: ExpiryPersistent,
			Description: Text{
				"en": "Remembers the consent decisions for faster page loads.",
				"nb": "Husker samtykkevalgene slik at sidene lastes raskere.",
			},
		}},
	}
}

// index builds the lookup tables and matchers of a policy whose services are final.
func (p *Policy) index() {
	p.categoryIndex = make(map[string]int, len(p.Categories))
	for i, c := range p.Categories {
		p.categoryIndex[c.ID] = i
	}
	p.serviceIndex = make(map[string]int, len(p.Services))
	p.cookies, p.storage, p.hosts, p.firstParty = nameMatcher{}, nameMatcher{}, hostMatcher{}, hostMatcher{}
	for si := range p.Services {
		s := &p.Services[si]
		p.serviceIndex[s.ID] = si
		for ii, it := range s.Cookies {
			p.cookies.add(it.Name, ref{int32(si), int32(ii)})
		}
		for ii, it := range s.Storage {
			p.storage.add(it.Name, ref{int32(si), int32(ii)})
		}
		for _, h := range s.Hosts {
			p.hosts.add(h, ref{int32(si), -1})
		}
	}
	for _, h := range p.FirstParty {
		p.firstParty.add(h, ref{0, -1})
	}
}

// revision hashes what a visitor consents to: the regime, the categories, and each service with its
// category and everything it matches. Texts are left out: rewording a description does not ask
// every visitor again; the file's "revision" field does when a site wants it to.
func revision(p *Policy) string {
	// FNV-1a (64 bits) over a length-prefixed canonical form. The revision only has to change when
	// the content changes; it is not a security boundary, and crypto/sha256 would cost the page
	// module its FIPS machinery (hundreds of kilobytes) in the generic build.
	h := uint64(14695981039346656037)
	add := func(s string) {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= 1099511628211
		}
	}
	w := func(parts ...string) {
		for _, s := range parts {
			add(strconv.Itoa(len(s)))
			add(":")
			add(s)
		}
		add("\n")
	}
	w("consentry-revision-1", p.SourceRevision, p.Regime.String())
	for _, c := range p.Categories {
		w("category", c.ID, strconv.FormatBool(c.Required), strconv.FormatBool(c.GPC))
	}
	sorted := func(items []Item) []string {
		out := make([]string, len(items))
		for i, it := range items {
			out[i] = it.Name
		}
		sort.Strings(out)
		return out
	}
	for _, s := range p.Services {
		w("service", s.ID, p.Categories[s.Category].ID)
		hosts := append([]string(nil), s.Hosts...)
		sort.Strings(hosts)
		w(append([]string{"hosts"}, hosts...)...)
		w(append([]string{"cookies"}, sorted(s.Cookies)...)...)
		w(append([]string{"storage"}, sorted(s.Storage)...)...)
	}
	// 48 bits as 8 base64url characters.
	var out [8]byte
	for i := 7; i >= 0; i-- {
		out[i] = b64[h&63]
		h >>= 6
	}
	return string(out[:])
}
