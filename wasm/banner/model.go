package banner

import (
	"strings"

	"github.com/consentry/consentry/consent"
)

// Model is what the first layer and the preferences dialog show, for one policy, state, GPC
// signal and language. The page module renders it as it is.
type Model struct {
	Texts      *Texts
	Categories []Category
	// PolicyURL is the site's cookie policy page, "" when the policy names none (or one that is
	// not a path or an http(s) URL: it becomes an href).
	PolicyURL string
	// GPCNote states what the Global Privacy Control signal decided, "" when it decided nothing
	// (no signal, or no category is marked for it).
	GPCNote string
	Modal   bool // the first layer is a modal dialog
	Button  bool // a floating button reopens the preferences
}

// Category is one category's switch and what it covers.
type Category struct {
	Index int
	ID    string
	// Label and Description are in the language of LabelLang and DescriptionLang: the banner's
	// language, or the policy's fallback (the page marks such a text with its own lang).
	Label, LabelLang             string
	Description, DescriptionLang string
	On                           bool   // granted now (or, before a decision, by the regime)
	Locked                       bool   // required, or denied by GPC: the switch cannot change
	Note                         string // "Always active", or what GPC decided; "" otherwise
	Services                     []Service
}

// Service is one service of a category, with its own switch (overriding the category's) and the
// cookies and storage keys it declares.
type Service struct {
	Index                        int
	ID                           string
	Name                         string // the provider, with the service id when two share it
	Description, DescriptionLang string
	PrivacyURL                   string
	On, Locked                   bool
	Cookies, Storage             []Item
}

// Item is one row of a cookie or storage table.
type Item struct {
	_                    [0]func() // not comparable: spares the page module a generated equality function
	Name                 string
	Expiry, ExpiryLang   string
	Purpose, PurposeLang string
}

// Build makes the model for policy p, the decider d of the visitor's state, the categories'
// reasons cats (consent.Policy.CategoryReasons for the same state and signal), gpc and lang.
func Build(p *consent.Policy, d *consent.Decider, cats []consent.Reason, gpc bool, lang string) *Model {
	t := NewTexts(p, lang)
	m := &Model{Texts: t, PolicyURL: SafeURL(p.PolicyURL), Modal: p.Banner.Modal, Button: p.Banner.Button}
	def := p.DefaultLanguage()
	expLang := lang
	if !contains(consent.ExpiryLanguages(), primary(lang)) && primary(lang) != "no" {
		expLang = "en"
	}
	var denied []string
	for i := range p.Categories {
		c := &p.Categories[i]
		v := Category{Index: i, ID: c.ID}
		v.Label, v.LabelLang = c.Label.Lookup(lang, def)
		v.Description, v.DescriptionLang = c.Description.Lookup(lang, def)
		r := cats[i]
		v.On = r == consent.ReasonRequired || r == consent.ReasonGranted
		switch {
		case c.Required:
			v.Locked, v.Note = true, t.Get(AlwaysActive)
		case r == consent.ReasonGPC:
			v.Locked, v.Note = true, t.Get(GPCDenied)
			denied = append(denied, v.Label)
		}
		for si := range p.Services {
			s := &p.Services[si]
			if s.Category != i {
				continue
			}
			sv := Service{Index: si, ID: s.ID, Name: serviceName(p, si), PrivacyURL: SafeURL(s.PrivacyURL),
				On: d.ServiceAllowed(si), Locked: v.Locked}
			sv.Description, sv.DescriptionLang = s.Description.Lookup(lang, def)
			sv.Cookies = items(s.Cookies, lang, def, expLang)
			sv.Storage = items(s.Storage, lang, def, expLang)
			v.Services = append(v.Services, sv)
		}
		m.Categories = append(m.Categories, v)
	}
	if gpc && len(denied) > 0 {
		m.GPCNote = t.With(GPC, "categories", strings.Join(denied, ", "))
	}
	return m
}

func items(list []consent.Item, lang, def, expLang string) []Item {
	out := make([]Item, len(list))
	for i, it := range list {
		out[i] = Item{Name: it.Name, Expiry: it.ExpiryText(expLang, def), ExpiryLang: expLang}
		out[i].Purpose, out[i].PurposeLang = it.Description.Lookup(lang, def)
	}
	return out
}

// ServiceName is how the banner names service i: its provider, followed by the service's id when
// another service of the same category has the same provider ("Google (google-analytics)"); the
// built-in service of the consent cookie is "Consentry".
func ServiceName(p *consent.Policy, i int) string { return serviceName(p, i) }

func serviceName(p *consent.Policy, i int) string {
	s := &p.Services[i]
	if s.ID == "consentry" && i == 0 {
		return "Consentry" // the built-in service of the consent cookie (its provider is the site)
	}
	name := s.Provider
	if name == "" {
		return s.ID
	}
	for j := range p.Services {
		if j != i && p.Services[j].Category == s.Category && p.Services[j].Provider == name && p.Services[j].ID != "consentry" {
			return name + " (" + s.ID + ")"
		}
	}
	return name
}

// NeedsBanner reports whether the first layer is shown: there is no valid decision, and some
// category is left for the visitor to choose (the GPC signal may have decided all of them).
func NeedsBanner(p *consent.Policy, st consent.State, cats []consent.Reason) bool {
	if st.Decided {
		return false
	}
	for i, c := range p.Categories {
		if !c.Required && cats[i] != consent.ReasonGPC {
			return true
		}
	}
	return false
}

// SafeURL returns u when it may become an href: a path or an http(s) URL (the loader checks
// this already; the page checks again what it turns into a link). Otherwise "".
func SafeURL(u string) string {
	l := strings.ToLower(u)
	if strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") || strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
		return u
	}
	return ""
}

// StateFor is the decision the visitor's switches stand for: catOn per category and svcOn per
// service (in policy order). Required categories are always granted; a service whose switch
// differs from its category's becomes a per-service exception (GrantedServices or DeniedServices).
// Switches of locked categories (GPC) are ignored: the engine denies them whatever is recorded.
func StateFor(p *consent.Policy, catOn, svcOn []bool) consent.State {
	st := consent.State{Decided: true}
	for i, c := range p.Categories {
		if c.Required || i < len(catOn) && catOn[i] {
			st.Granted = append(st.Granted, c.ID)
		}
	}
	for i, s := range p.Services {
		c := &p.Categories[s.Category]
		if c.Required || i >= len(svcOn) {
			continue
		}
		on := s.Category < len(catOn) && catOn[s.Category]
		switch {
		case svcOn[i] && !on:
			st.GrantedServices = append(st.GrantedServices, s.ID)
		case !svcOn[i] && on:
			st.DeniedServices = append(st.DeniedServices, s.ID)
		}
	}
	return st
}

// All is the decision of Accept all (true) or Reject all (false). Under the GPC signal (gpc), Accept
// all leaves out the categories the signal denies: the banner shows them off and locked, and a
// click on Accept all is no consent to them should the signal stop.
func All(p *consent.Policy, accept, gpc bool) consent.State {
	st := consent.State{Decided: true}
	for _, c := range p.Categories {
		if c.Required || accept && !(gpc && c.GPC) {
			st.Granted = append(st.Granted, c.ID)
		}
	}
	return st
}

// AllowService is st with service id allowed on its own (a placeholder's "Always allow"): the
// other choices stay. Before any decision, the categories the regime grants stay granted (only the
// required ones under opt-in), so that allowing one service withdraws nothing.
func AllowService(p *consent.Policy, st consent.State, id string) consent.State {
	out := consent.State{Decided: true}
	for i, on := range p.GrantedCategories(st, false) {
		if on {
			out.Granted = append(out.Granted, p.Categories[i].ID)
		}
	}
	for _, s := range st.GrantedServices {
		if s != id {
			out.GrantedServices = append(out.GrantedServices, s)
		}
	}
	for _, s := range st.DeniedServices {
		if s != id {
			out.DeniedServices = append(out.DeniedServices, s)
		}
	}
	out.GrantedServices = append(out.GrantedServices, id)
	return out
}
