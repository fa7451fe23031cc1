// Package banner holds what the page module shows and signals about consent, in plain Go that
// tests run on the host: the banner's words in twelve languages and the choice of language, the
// model of the first layer and the preferences dialog (what each switch shows, which are locked,
// the cookie details), the state a visitor's switches stand for, the Google Consent Mode v2
// signals, and the body of a consent receipt.
//
// The page module (wasm/engine, ui*.go) renders the model with syscall/js and decides nothing of
// its own. This package must stay small in the page: it imports consent, strconv and strings,
// never fmt, reflect, time or encoding/json (a test guards it).
package banner

import (
	"strings"

	"github.com/consentry/consentry/consent"
)

// Key names one of the banner's texts. The keys are consent.BannerTextKeys, in that order: a
// policy overrides a text by its key ("texts": {"en": {"title": "..."}}).
type Key int

const (
	Title Key = iota
	Description
	AcceptAll
	RejectAll
	Preferences
	PreferencesTitle
	PreferencesDescription
	Save
	Close
	AlwaysActive
	Services
	Cookies
	Storage
	Name
	Expiry
	Purpose
	PrivacyPolicy
	CookiePolicy
	GPC
	GPCDenied
	Placeholder
	PlaceholderText
	LoadOnce
	AlwaysAllow
	Reopen
	numKeys
)

// String is the key's name in a policy's "texts".
func (k Key) String() string { return consent.BannerTextKeys[k] }

// Texts are the banner's texts in one language, with the policy's overrides applied and {site}
// filled in.
type Texts struct {
	Lang string
	w    [numKeys]string
	_    [0]func() // not comparable: spares the page module a generated equality function
}

// NewTexts resolves every text for lang (a tag ChooseLanguage returned): the policy's override in
// lang (or its primary subtag), else the built-in words of lang, else English.
func NewTexts(p *consent.Policy, lang string) *Texts {
	t := &Texts{Lang: lang}
	base := wordsOf(lang)
	for k := Key(0); k < numKeys; k++ {
		s := base.w[k]
		if o, ok := p.Texts[k.String()]; ok {
			if v, ok := o[lang]; ok {
				s = v
			} else if v, ok := o[primary(lang)]; ok {
				s = v
			}
		}
		t.w[k] = fill(s, "{site}", p.Site)
	}
	return t
}

// fill replaces every name in s with value. (strings.ReplaceAll would link strings.Replace, several
// kilobytes of the page module, for what is a loop.)
func fill(s, name, value string) string {
	out := ""
	for {
		i := strings.Index(s, name)
		if i < 0 {
			return out + s
		}
		out += s[:i] + value
		s = s[i+len(name):]
	}
}

// Get returns the text of k.
func (t *Texts) Get(k Key) string { return t.w[k] }

// Named returns the text of the key named name (consent.BannerTextKeys), "" for an unknown name.
func (t *Texts) Named(name string) string {
	for k, n := range consent.BannerTextKeys {
		if n == name {
			return t.w[k]
		}
	}
	return ""
}

// With returns the text of k with each {name} of pairs (name, value, name, value...) filled in.
func (t *Texts) With(k Key, pairs ...string) string {
	s := t.w[k]
	for i := 0; i+1 < len(pairs); i += 2 {
		s = fill(s, "{"+pairs[i]+"}", pairs[i+1])
	}
	return s
}

// ChooseLanguage picks the banner's language from the visitor's preferences, best first: the
// page's <html lang>, then navigator.languages. A candidate is taken when the banner can speak it:
// it has built-in words for it, or the policy lists it or overrides texts in it. An exact tag the
// policy uses wins over its primary subtag ("de-CH" when the policy has "de-CH" texts, else "de");
// "no" reads as Bokmål. When no candidate fits, the policy's default language.
func ChooseLanguage(p *consent.Policy, candidates []string) string {
	own := policyLanguages(p)
	for _, c := range candidates {
		if c == "" {
			continue
		}
		for _, l := range own {
			if lower(l) == lower(c) {
				return l
			}
		}
		pr := primary(c)
		if pr == "no" {
			pr = "nb"
		}
		for _, l := range own {
			if l == pr {
				return l
			}
		}
		if _, ok := builtinWords(pr); ok {
			return pr
		}
	}
	return p.DefaultLanguage()
}

// policyLanguages lists the languages the policy has texts in: its languages and the languages of
// its banner texts.
func policyLanguages(p *consent.Policy) []string {
	out := append([]string(nil), p.Languages...)
	for _, t := range p.Texts {
		for l := range t {
			if !contains(out, l) {
				out = append(out, l)
			}
		}
	}
	return out
}

// Languages lists the languages the banner has built-in words for, English first.
func Languages() []string {
	out := make([]string, len(builtin))
	for i, w := range builtin {
		out[i] = w.lang
	}
	return out
}

// primary returns the lower-case primary subtag of a language tag ("nb" of "nb-NO").
func primary(tag string) string {
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return lower(tag)
}

// lower lower-cases ASCII letters: language tags are ASCII (BCP 47), and strings.ToLower and
// EqualFold would link Unicode's case tables into the page module.
func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func builtinWords(lang string) (*words, bool) {
	for i := range builtin {
		if builtin[i].lang == lang {
			return &builtin[i], true
		}
	}
	return &builtin[0], false
}

// wordsOf returns the built-in words of lang's primary subtag, or English.
func wordsOf(lang string) *words {
	p := primary(lang)
	if p == "no" {
		p = "nb"
	}
	w, _ := builtinWords(p)
	return w
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
