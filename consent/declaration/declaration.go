// Package declaration renders a compiled policy as the cookie declaration of a site's cookie-policy
// page: for each category, in the policy's order, its label and description, and a table of the
// cookies and browser storage keys of its services, with their provider, expiry and purpose, and
// the domain of third-party cookies.
//
// HTML renders accessible, escaped HTML (a fragment to embed, or a standalone page with a small
// stylesheet and a language switcher); Markdown renders the same content as GitHub-flavoured
// Markdown. Both take the language to render in; each text falls back to the policy's default
// language when the policy has none in that language, and the HTML marks such text with its own
// lang attribute so that screen readers pronounce it right.
//
// The package is for servers and build tools: it uses html/template and is not linked into the
// page module. The wording of expiries is consent.Expiry.Text, which the banner shares.
package declaration

import (
	"errors"
	"strings"

	"github.com/consentry/consentry/consent"
)

// Options says how to render a declaration.
type Options struct {
	// Lang is the language to render in ("en", "nb", "nb-NO"); "" means the policy's default
	// language. Headings and expiries are worded in Lang when the package knows it (see Languages),
	// else in English; the policy's texts fall back to its default language one by one.
	Lang string
	// Standalone renders a complete document: for HTML, a page with a title, a stylesheet and a
	// language switcher; for Markdown, a title and links to the other languages. Otherwise the
	// output is a fragment to embed in a page that has its own title.
	Standalone bool
	// LanguageURL returns the address of the declaration in another language of the policy, for the
	// language switcher of a standalone document. Nil leaves the switcher out. See URLPattern.
	LanguageURL func(lang string) string
}

// URLPattern returns a LanguageURL that replaces "{lang}" in pattern with the language:
// URLPattern("/cookies/{lang}") gives "/cookies/nb" for "nb".
func URLPattern(pattern string) func(lang string) string {
	return func(lang string) string { return strings.ReplaceAll(pattern, "{lang}", lang) }
}

// Languages lists the languages whose headings and expiries the package words itself; in any
// other language they are in English.
func Languages() []string {
	out := make([]string, len(wordsByLang))
	for i, w := range wordsByLang {
		out[i] = w.lang
	}
	return out
}

var errNoPolicy = errors.New("declaration: nil policy")

// declaration is what both formats render: the policy resolved into one language.
type declaration struct {
	standalone bool
	Lang       string
	Site       string
	Title      string
	W          *words
	Languages  []languageLink // empty when there is no switcher
	Categories []category
}

type languageLink struct {
	Tag, Name, URL string
	Current        bool
}

type category struct {
	ID          string
	Label       text
	Description text
	Required    bool
	Tables      []table // the cookies, then the storage keys; only those with rows
	// Services are the category's services that have no cookies or storage keys of their own
	// (a site may declare a service only to describe it); the tables show the others.
	Services []service
}

type service struct {
	Provider    provider
	Description text
}

// provider is who sets a cookie, linked to its privacy policy when the policy gives one.
type provider struct {
	Name  string
	URL   string // "" for no link
	Label string // the link's accessible name: "Intercom: privacy policy"
}

// table is the rows of one kind of item (cookies or storage keys) of a category.
type table struct {
	Kind    string // "cookies" or "storage", the table's class (consentry-cookies, consentry-storage)
	Caption string // "Cookies", "Browser storage"
	Domain  bool   // some cookie is set on another domain: show the domain column
	Rows    []row
}

type row struct {
	Name       string
	Provider   provider
	Expiry     string // worded, or "not stated"
	ExpiryNote text
	Purpose    text
	Domain     string // the cookie's domain, or "this site"
}

// text is a policy text resolved into one language.
type text struct {
	// Lang is the language the text is in when that is not the document's (it fell back); else "".
	Lang string
	// Paragraphs are the text's paragraphs (separated by blank lines), each a list of lines.
	Paragraphs [][]string
}

func (t text) empty() bool { return len(t.Paragraphs) == 0 }

// Lines returns every line of every paragraph, for places that hold no paragraphs (table cells).
func (t text) Lines() []string {
	var out []string
	for _, p := range t.Paragraphs {
		out = append(out, p...)
	}
	return out
}

// build resolves the policy into the language of opts.
func build(p *consent.Policy, opts Options) *declaration {
	def := p.DefaultLanguage()
	lang := opts.Lang
	if lang == "" {
		lang = def
	}
	w := wordsFor(lang)
	d := &declaration{standalone: opts.Standalone, Lang: lang, Site: p.Site, W: w, Title: w.title + " – " + p.Site}
	if opts.Standalone && opts.LanguageURL != nil && len(p.Languages) > 1 {
		for _, l := range p.Languages {
			d.Languages = append(d.Languages, languageLink{
				Tag: l, Name: LanguageName(l), URL: opts.LanguageURL(l), Current: l == lang,
			})
		}
	}
	resolve := func(t consent.Text) text { return resolveText(t, lang, def) }
	d.Categories = make([]category, len(p.Categories))
	cookies := make([]table, len(p.Categories))
	storage := make([]table, len(p.Categories))
	for i, c := range p.Categories {
		d.Categories[i] = category{ID: c.ID, Label: resolve(c.Label), Description: resolve(c.Description),
			Required: c.Required}
		cookies[i] = table{Kind: "cookies", Caption: w.cookies}
		storage[i] = table{Kind: "storage", Caption: w.storage}
	}
	for _, s := range p.Services {
		if s.Category < 0 || s.Category >= len(d.Categories) {
			continue // a compiled policy never has this; a hand-built one might
		}
		ck, st := &cookies[s.Category], &storage[s.Category]
		prov := provider{Name: s.Provider, URL: s.PrivacyURL, Label: s.Provider + ": " + w.privacy}
		if len(s.Cookies)+len(s.Storage) == 0 {
			c := &d.Categories[s.Category]
			c.Services = append(c.Services, service{Provider: prov, Description: resolve(s.Description)})
			continue
		}
		rowOf := func(it consent.Item) row {
			r := row{Name: it.Name, Provider: prov,
				Expiry: it.Expiry.Text(lang), ExpiryNote: resolve(it.ExpiryNote), Purpose: resolve(it.Description)}
			if r.Expiry == "" {
				r.Expiry = w.notStated
			}
			if r.Purpose.empty() {
				// An item without a description is explained by its service's.
				r.Purpose = resolve(s.Description)
			}
			return r
		}
		for _, it := range s.Cookies {
			r := rowOf(it)
			r.Domain = it.Domain
			if it.Domain != "" {
				ck.Domain = true
			} else {
				r.Domain = w.thisSite
			}
			ck.Rows = append(ck.Rows, r)
		}
		for _, it := range s.Storage {
			st.Rows = append(st.Rows, rowOf(it))
		}
	}
	for i := range d.Categories {
		for _, t := range []table{cookies[i], storage[i]} {
			if len(t.Rows) > 0 {
				d.Categories[i].Tables = append(d.Categories[i].Tables, t)
			}
		}
	}
	return d
}

// resolveText picks t's text in lang, falling back as consent.Text.In does (lang, its primary
// subtag, the default language, then the smallest tag), and notes which language it picked.
func resolveText(t consent.Text, lang, def string) text {
	_, tag := t.Lookup(lang, def)
	s := strings.TrimSpace(strings.ReplaceAll(t[tag], "\r\n", "\n"))
	if s == "" {
		return text{}
	}
	out := text{}
	if primary(tag) != primary(lang) {
		out.Lang = tag
	}
	var para []string
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			if len(para) > 0 {
				out.Paragraphs = append(out.Paragraphs, para)
				para = nil
			}
			continue
		}
		para = append(para, line)
	}
	if len(para) > 0 {
		out.Paragraphs = append(out.Paragraphs, para)
	}
	return out
}

// primary returns the primary language subtag of a tag, lower-cased: "nb" of "nb-NO".
func primary(tag string) string {
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(tag)
}
