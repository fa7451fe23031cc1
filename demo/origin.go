package demo

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/consentry/consentry/consent/declaration"
	"github.com/consentry/consentry/demo/vendors"
)

// web holds the sites' templates, stylesheet, images and scripts, and the inspector.
//
//go:embed web
var web embed.FS

// origin is the demo sites' server: what the edge of each site proxies to. It answers by the Host
// header (the edge keeps the visitor's):
//
//	/, and the pages of spec.Pages   the site's pages, with the gate's tag first in <head>
//	/cookie-policy[/LANG]            the cookie declaration, rendered from the site's policy
//	/assets/...                      stylesheet, script and images (first party)
//	/broken/...                      the broken pages and their assets (served around the edge)
//	/_demo/...                       the inspector and what it asks (not behind the edge either)
type origin struct {
	sites  map[string]*Site // by host name
	local  bool             // vendor URLs in pages are rewritten to the local stand-ins
	vendor func(host string) string
}

// pageData is what the page templates get.
type pageData struct {
	Site *spec
	Path string
	Gate bool // the gate's tag first in <head>
	Tags bool // the site's vendor tags (web/SLUG/tags.html)
	Sent bool // a form on the page was sent
	// Assets is where the page's stylesheet, script and icon are: /assets/, or /broken/assets/ for
	// the broken pages, so that nothing they load passes the edge either (the edge would expire
	// the cookies they leak as soon as the browser sent them).
	Assets string
	// The cookie policy page's fields (see cookiePolicy).
	*cookiePolicy
	// The broken pages' fields.
	Broken *brokenPage
}

type brokenPage struct {
	Page  string // "", "undeclared-vendor" or "cookie-before-consent"
	Title string
	Scan  string // the command that audits it
}

// templates parses each page of s into a set of its own: the layout, the site's tags and broken
// tags, and the page.
func templates(s *spec) (map[string]*template.Template, error) {
	base, err := template.ParseFS(web, "web/layout.html", "web/"+s.Slug+"/tags.html", "web/"+s.Slug+"/broken.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	files := map[string]string{"cookie-policy": "web/cookie-policy.html", "broken": "web/broken.html", "notfound": "web/notfound.html"}
	for p, f := range s.Pages {
		files[p] = "web/" + s.Slug + "/" + f
	}
	for name, file := range files {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if out[name], err = t.ParseFS(web, file); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (o *origin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s := o.sites[hostname(r.Host)]
	if s == nil {
		http.Error(w, "no demo site at "+r.Host, http.StatusNotFound)
		return
	}
	p := r.URL.Path
	switch {
	case p == "/_demo/inspector.js":
		serveFile(w, r, "web/inspector.js", "text/javascript; charset=utf-8")
	case p == "/_demo/inspect":
		s.inspect(w, r)
	case p == "/_demo/reset":
		s.reset(w, r)
	case strings.HasPrefix(p, "/assets/"):
		o.serveAsset(w, r, s, strings.TrimPrefix(p, "/assets/"))
	case strings.HasPrefix(p, "/broken/assets/"):
		o.serveAsset(w, r, s, strings.TrimPrefix(p, "/broken/assets/"))
	case p == "/cookie-policy" || strings.HasPrefix(p, "/cookie-policy/"):
		o.serveCookiePolicy(w, r, s, strings.TrimPrefix(strings.TrimPrefix(p, "/cookie-policy"), "/"))
	case p == "/broken":
		http.Redirect(w, r, "/broken/", http.StatusMovedPermanently)
	case strings.HasPrefix(p, "/broken/"):
		o.serveBroken(w, r, s, strings.TrimPrefix(p, "/broken/"))
	case s.spec.Pages[p] != "":
		o.servePage(w, r, s, p)
	default:
		o.render(w, r, s, http.StatusNotFound, "notfound", &pageData{Gate: true, Tags: true})
	}
}

// servePage serves one of the site's pages; a form posted to it is answered with a redirect to
// the page, which then thanks the visitor (POST, redirect, GET).
func (o *origin) servePage(w http.ResponseWriter, r *http.Request, s *Site, p string) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
	case http.MethodPost:
		if !slices.Contains(s.spec.Forms, p) {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		r.ParseForm() // read and discard: the demo keeps nothing
		http.Redirect(w, r, p+"?sent=1", http.StatusSeeOther)
		return
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	for _, c := range s.spec.Cookies {
		setCookie(w, r, c)
	}
	o.render(w, r, s, http.StatusOK, p, &pageData{Gate: true, Tags: true, Sent: r.URL.Query().Get("sent") == "1"})
}

// render executes the page template name of s. In local mode the vendors' URLs in the page are
// rewritten to their stand-ins (vendors.ReplaceURLs): the page's markup is otherwise what the site
// would serve in production.
func (o *origin) render(w http.ResponseWriter, r *http.Request, s *Site, status int, name string, d *pageData) {
	d.Site, d.Path = s.spec, r.URL.Path
	if d.Assets == "" {
		d.Assets = "/assets/"
	}
	var buf bytes.Buffer
	if err := s.templates[name].ExecuteTemplate(&buf, "page", d); err != nil {
		http.Error(w, "template: "+err.Error(), http.StatusInternalServerError)
		return
	}
	b := buf.Bytes()
	if o.local {
		b = vendors.ReplaceURLs(b, o.vendor)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(b)
	}
}

// cookiePolicy is the cookie policy page's data.
type cookiePolicy struct {
	Lang             string
	Languages        []languageLink
	Words            policyWords
	Declaration      template.HTML
	DeclarationStyle template.CSS
}

type languageLink struct {
	Tag, Name, URL string
	Current        bool
}

type policyWords struct{ Title, Intro, Settings, Source, Languages string }

// policyPageWords are the cookie policy page's own words; the declaration words its tables itself.
var policyPageWords = map[string]policyWords{
	"en": {"Cookie policy", "We use cookies and similar technologies as described below. You choose which categories you accept, and you can change your choice at any time.",
		"Change your cookie settings", "This declaration is rendered from the site's policy file, the same file the banner and Consentry's enforcement use.", "Language"},
	"nb": {"Informasjonskapsler", "Vi bruker informasjonskapsler og lignende teknologi som beskrevet nedenfor. Du velger hvilke kategorier du godtar, og du kan endre valget når som helst.",
		"Endre innstillingene for informasjonskapsler", "Denne oversikten er laget fra nettstedets policyfil, den samme filen som banneret og Consentrys håndheving bruker.", "Språk"},
}

// declarationStyle is the declaration's stylesheet without its rules for a standalone page (body,
// h1, :root), which would restyle the site around it.
var declarationStyle = func() template.CSS {
	var keep []string
	for _, line := range strings.Split(declaration.Stylesheet, "\n") {
		if strings.HasPrefix(line, ".consentry-") || strings.HasPrefix(line, "@media") {
			keep = append(keep, line)
		}
	}
	return template.CSS(strings.Join(keep, "\n"))
}()

func (o *origin) serveCookiePolicy(w http.ResponseWriter, r *http.Request, s *Site, lang string) {
	p := s.Policy
	if lang == "" {
		lang = p.DefaultLanguage()
	} else if !slices.Contains(p.Languages, lang) || lang == p.DefaultLanguage() {
		o.render(w, r, s, http.StatusNotFound, "notfound", &pageData{Gate: true, Tags: true})
		return
	}
	var decl bytes.Buffer
	if err := declaration.HTML(&decl, p, declaration.Options{Lang: lang}); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	words, ok := policyPageWords[lang]
	if !ok {
		words = policyPageWords["en"]
	}
	for _, c := range s.spec.Cookies {
		setCookie(w, r, c)
	}
	cp := &cookiePolicy{Lang: lang, Words: words, Declaration: template.HTML(decl.String()), DeclarationStyle: declarationStyle}
	for _, l := range p.Languages {
		u := "/cookie-policy"
		if l != p.DefaultLanguage() {
			u += "/" + l
		}
		cp.Languages = append(cp.Languages, languageLink{Tag: l, Name: declaration.LanguageName(l), URL: u, Current: l == lang})
	}
	o.render(w, r, s, http.StatusOK, "cookie-policy", &pageData{Gate: true, Tags: true, cookiePolicy: cp})
}

// serveBroken serves /broken/, /broken/undeclared-vendor and /broken/cookie-before-consent: no
// gate, no vendor tags but the broken one. The front sends /broken/ to the origin directly,
// around the edge.
func (o *origin) serveBroken(w http.ResponseWriter, r *http.Request, s *Site, page string) {
	titles := map[string]string{
		"":                      "Broken pages",
		"undeclared-vendor":     "A vendor missing from the policy",
		"cookie-before-consent": "Cookies before consent",
	}
	title, ok := titles[page]
	if !ok {
		o.render(w, r, s, http.StatusNotFound, "notfound", &pageData{Gate: true, Tags: true})
		return
	}
	if page == "cookie-before-consent" {
		setCookie(w, r, s.spec.Broken.HeaderCookie)
	}
	pageURL := s.URL + "broken/" + page
	scan := "go run ./cmd/consentry scan " + pageURL + " --policy " + s.PolicyFile + " --consent none"
	o.render(w, r, s, http.StatusOK, "broken", &pageData{Assets: "/broken/assets/", Broken: &brokenPage{Page: page, Title: title, Scan: scan}})
}

func (o *origin) serveAsset(w http.ResponseWriter, r *http.Request, s *Site, name string) {
	if name == "" || strings.Contains(name, "/") {
		http.NotFound(w, r)
		return
	}
	switch path.Ext(name) {
	case ".css":
		serveFile(w, r, "web/"+name, "text/css; charset=utf-8")
	case ".js":
		serveFile(w, r, "web/"+name, "text/javascript; charset=utf-8")
	case ".svg":
		serveFile(w, r, "web/"+s.spec.Slug+"/"+name, "image/svg+xml")
	default:
		http.NotFound(w, r)
	}
}

func serveFile(w http.ResponseWriter, r *http.Request, name, contentType string) {
	b, err := fs.ReadFile(web, name)
	if err != nil || strings.HasSuffix(name, ".html") {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(b)
}

// setCookie adds c to the response as the site's server would set it: Path=/, SameSite=Lax,
// Secure when the visitor came over https (the edge says so in X-Forwarded-Proto).
func setCookie(w http.ResponseWriter, r *http.Request, c cookie) {
	line := c.Name + "=" + c.Value + "; Path=/; Max-Age=" + strconv.Itoa(c.MaxAge) + "; SameSite=Lax"
	if c.HTTPOnly {
		line += "; HttpOnly"
	}
	if isHTTPS(r) {
		line += "; Secure"
	}
	w.Header().Add("Set-Cookie", line)
}

func isHTTPS(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

// hostname is a Host header's name, lower case, without the port.
func hostname(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.ToLower(strings.TrimSuffix(host, "."))
}

// siteURL is the home page of a site served at host over scheme, on port ("" for the default).
func siteURL(scheme, host, port string) string {
	u := url.URL{Scheme: scheme, Host: host, Path: "/"}
	if port != "" {
		u.Host = net.JoinHostPort(host, port)
	}
	return u.String()
}
