// Command declarations serves the cookie declarations of policy files: an index of the sites at /,
// and each site's declaration in each of its languages at /SITE/LANG (a standalone page rendered by
// consent/declaration) and /SITE/LANG.md (its Markdown). SITE is the policy's file name without
// its extension.
//
//	go run ./demo/declarations -addr 127.0.0.1:8080 demo/policies/*.json
//
// It is what `make demo` runs until the demo site and the edge worker serve the declarations
// themselves. A policy that does not load is listed on the index with its problems.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/consent/declaration"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "`address` to listen on")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: go run ./demo/declarations [-addr HOST:PORT] POLICY...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	sites := loadSites(flag.Args())

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "declarations:", err)
		os.Exit(1)
	}
	srv := &http.Server{Handler: newHandler(sites), ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	fmt.Printf("Consentry demo: %s\n", baseURL(*addr, ln.Addr()))
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, "declarations:", err)
		os.Exit(1)
	}
}

// baseURL is the address to print: the one asked for, with the port actually bound (for ":0"), and
// "localhost" for a wildcard host, which is not an address a browser can open.
func baseURL(asked string, bound net.Addr) string {
	host, _, _ := net.SplitHostPort(asked)
	_, port, _ := net.SplitHostPort(bound.String())
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

// site is one policy file.
type site struct {
	Slug     string // the path segment: the file name without its extension
	File     string // as given
	Policy   *consent.Policy
	Problems []string // why it did not load
}

func loadSites(files []string) []*site {
	var sites []*site
	seen := map[string]bool{}
	for _, file := range files {
		slug := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
		for base, n := slug, 2; seen[slug]; n++ {
			slug = fmt.Sprintf("%s-%d", base, n)
		}
		seen[slug] = true
		s := &site{Slug: slug, File: file}
		p, err := consent.LoadFile(file)
		if err != nil {
			s.Problems = strings.Split(err.Error(), "\n")
			fmt.Fprintf(os.Stderr, "declarations: %s does not load:\n  %s\n", file, strings.Join(s.Problems, "\n  "))
		}
		s.Policy = p
		sites = append(sites, s)
	}
	return sites
}

func newHandler(sites []*site) http.Handler {
	bySlug := map[string]*site{}
	for _, s := range sites {
		bySlug[s.Slug] = s
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		var buf bytes.Buffer
		if err := indexPage.Execute(&buf, indexData{sites, template.CSS(declaration.Stylesheet + indexStyle)}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		send(w, "text/html; charset=utf-8", buf.Bytes())
	})
	mux.HandleFunc("GET /{site}/{$}", func(w http.ResponseWriter, r *http.Request) {
		s := bySlug[r.PathValue("site")]
		if s == nil || s.Policy == nil {
			http.NotFound(w, r)
			return
		}
		http.Redirect(w, r, "/"+url.PathEscape(s.Slug)+"/"+s.Policy.DefaultLanguage(), http.StatusFound)
	})
	mux.HandleFunc("GET /{site}/{lang}", func(w http.ResponseWriter, r *http.Request) {
		s := bySlug[r.PathValue("site")]
		lang, markdown := strings.CutSuffix(r.PathValue("lang"), ".md")
		if s == nil || s.Policy == nil || !slices.Contains(s.Policy.Languages, lang) {
			http.NotFound(w, r)
			return
		}
		render, ctype, ext := declaration.HTML, "text/html; charset=utf-8", ""
		if markdown {
			render, ctype, ext = declaration.Markdown, "text/markdown; charset=utf-8", ".md"
		}
		var buf bytes.Buffer
		err := render(&buf, s.Policy, declaration.Options{
			Lang:        lang,
			Standalone:  true,
			LanguageURL: declaration.URLPattern("/" + url.PathEscape(s.Slug) + "/{lang}" + ext),
		})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		send(w, ctype, buf.Bytes())
	})
	return mux
}

func send(w http.ResponseWriter, contentType string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	// The pages have no scripts; the policy says so, and lets through only their inline stylesheet.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	w.Write(body)
}

type indexData struct {
	Sites []*site
	Style template.CSS
}

// Languages lists the site's languages with their names and addresses, for the index.
func (s *site) Languages() []languageLink {
	var out []languageLink
	for _, l := range s.Policy.Languages {
		u := "/" + url.PathEscape(s.Slug) + "/" + l
		out = append(out, languageLink{Tag: l, Name: declaration.LanguageName(l), URL: u})
	}
	return out
}

type languageLink struct{ Tag, Name, URL string }

const indexStyle = `
.sites{list-style:none;padding:0;display:grid;gap:1.5rem;grid-template-columns:repeat(auto-fill,minmax(18rem,1fr))}
.sites>li{border:1px solid rgb(128 128 128 / .35);border-radius:.5rem;padding:1rem 1.25rem}
.sites h2{font-size:1.2rem;margin:0 0 .25rem}
.sites p{margin:.25rem 0;color:GrayText;font-size:.9rem}
.sites ul{padding-left:1.25rem;margin:.5rem 0 0}
.problems{color:#b3261e}
`

var indexPage = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Consentry demo: cookie declarations</title>
<style>
{{.Style}}</style>
</head>
<body>
<main>
<h1>Consentry demo: cookie declarations</h1>
<p>Each site's cookie declaration, rendered from its policy file by <code>consent/declaration</code>.</p>
<ul class="sites">
{{- range .Sites}}
<li>
{{- if .Policy}}
<h2>{{.Policy.Site}}</h2>
<p><code>{{.File}}</code>, revision {{.Policy.Revision}}</p>
<ul>
{{- range .Languages}}
<li><a href="{{.URL}}" hreflang="{{.Tag}}" lang="{{.Tag}}">{{.Name}}</a> (<a href="{{.URL}}.md" hreflang="{{.Tag}}">Markdown</a>)</li>
{{- end}}
</ul>
{{- else}}
<h2>{{.Slug}}</h2>
<p><code>{{.File}}</code> does not load:</p>
<ul class="problems">
{{- range .Problems}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
</li>
{{- end}}
</ul>
</main>
</body>
</html>
`))
