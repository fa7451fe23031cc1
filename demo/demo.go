// Package demo runs Consentry's demo: three small sites modelled on the seed companies (Huma,
// CyberPilot, Huddly), each behind the native edge with its policy from demo/policies and its
// page module built from that policy, and the vendors its policy names played by local stand-ins
// (demo/vendors) that set the same cookies and storage keys and call the same kinds of endpoints.
//
// `make demo` runs it for a visitor's browser (demo/cmd/demo): the sites at huma.localhost,
// cyberpilot.localhost and huddly.localhost, each vendor's stand-in at its host name under
// localhost (LocalHost), all over plain http on one port; browsers resolve every *.localhost name
// to the loopback address, so it works offline and needs no hosts file. e2e/demo_test.go runs it
// with production host names (www.huma.com, www.googletagmanager.com, ...) over https, mapped by
// Chromium's host resolver rules to e2e/standin.
//
// Requests go:
//
//	browser ─▶ Demo (by Host) ─┬▶ edge.Handler of the site ─▶ origin (the site's pages)
//	                           ├▶ origin, for /broken/ and /_demo/ (around the edge)
//	                           └▶ vendors.Handler (local mode; e2e/standin in the tests)
//
// Each page carries a small inspector (web/inspector.js), added by the origin after the gate: a
// panel that shows the page's cookies and storage keys, what Consentry held or dropped and why,
// and the consent. It is part of the demo, not of Consentry.
package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/demo/vendors"
	"github.com/consentry/consentry/edge"
	"github.com/consentry/consentry/wasm"
)

// Options configure New.
type Options struct {
	// Policies is the directory of the sites' policy files: huma.json, cyberpilot.json and
	// huddly.json (demo/policies).
	Policies string
	// Build is the directory New writes each site's files into, BUILD/SLUG/: its page module
	// (assets/consentry.js, assets/consentry.<hash>.wasm) and the policy it enforces (policy.json).
	// Each site's directory is emptied first.
	Build string
	// Local runs the demo for a visitor's browser, over plain http on Port: each site at
	// SLUG.localhost, each vendor's stand-in at LocalHost(vendor host), and each policy localized
	// (LocalizePolicy). Otherwise the sites are at their production names (www.huma.com), the
	// vendors at theirs, over https: for a browser whose host resolver rules send every one of
	// those names to the server, as the tests do with e2e/standin, which then serves the vendors.
	Local bool
	// Port is the port of the demo's URLs in local mode ("8080").
	Port string
	// Go is the go command that builds the page module; "" means "go".
	Go string
	// ErrorLog receives the edges' errors; nil means the log package's standard logger.
	ErrorLog *log.Logger
}

// Site is one demo site as New set it up.
type Site struct {
	Slug, Name string
	About      string
	Host       string // the host name it is served at
	URL        string // its home page
	// Policy is the policy its page module and edge enforce, and PolicyFile the same as a file
	// (localized in local mode).
	Policy     *consent.Policy
	PolicyFile string
	// Vendors are the third parties whose tags the site carries (the vendors its seed names).
	Vendors []string

	spec      *spec
	edge      *edge.Handler
	templates map[string]*template.Template
}

// Demo is the running demo: an http.Handler for every host name it serves.
type Demo struct {
	Sites []*Site

	opts    Options
	origin  *origin
	server  *http.Server // the origin's, which the edges proxy to
	vendors http.Handler // local mode only
	index   *template.Template
}

// Slugs are the demo sites, in the order they are shown.
func Slugs() []string {
	var out []string
	for _, s := range specs {
		out = append(out, s.Slug)
	}
	return out
}

// New builds each site's page module, starts the origin (on a loopback port of its own) and sets
// up each site's edge. It takes a few seconds (the go build of the page module, once per site).
func New(ctx context.Context, opts Options) (*Demo, error) {
	d, err := newDemo(opts)
	if err != nil {
		return nil, err
	}
	if err := d.build(ctx); err != nil {
		return nil, err
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: the origin: %w", err)
	}
	d.server = &http.Server{Handler: d.origin, ReadHeaderTimeout: 10 * time.Second}
	go d.server.Serve(ln)
	originURL := "http://" + ln.Addr().String()
	for _, s := range d.Sites {
		data, err := os.ReadFile(s.PolicyFile)
		if err != nil {
			d.Close()
			return nil, err
		}
		h, err := edge.NewHandler(edge.Config{Origin: originURL, Policy: data})
		if err != nil {
			d.Close()
			return nil, fmt.Errorf("demo: %s: %w", s.Slug, err)
		}
		h.Assets = edge.DirAssets(os.DirFS(filepath.Join(opts.Build, s.Slug, "assets")))
		h.Rewrite = func(pr *edge.ProxyRequest) { pr.Out.Host = pr.In.Host } // the origin serves by Host
		h.ErrorLog = opts.ErrorLog
		s.edge = h
	}
	return d, nil
}

// newDemo sets up the sites and the origin, without building or starting anything.
func newDemo(opts Options) (*Demo, error) {
	if opts.Local && opts.Port == "" {
		return nil, errors.New("demo: local mode needs the port")
	}
	d := &Demo{opts: opts}
	d.origin = &origin{sites: map[string]*Site{}, local: opts.Local, vendor: d.vendorURL}
	for _, sp := range specs {
		s, err := d.prepare(sp)
		if err != nil {
			return nil, err
		}
		d.Sites = append(d.Sites, s)
		d.origin.sites[s.Host] = s
	}
	if opts.Local {
		d.vendors = &vendors.Handler{
			Vendor: func(host string) string { return strings.TrimSuffix(host, LocalSuffix) },
			URL:    d.vendorURL,
		}
	}
	d.index = template.Must(template.ParseFS(web, "web/index.html"))
	return d, nil
}

// prepare reads a site's policy (localizing it in local mode), writes the one to enforce into
// BUILD/SLUG/policy.json and parses the site's templates.
func (d *Demo) prepare(sp *spec) (*Site, error) {
	data, err := os.ReadFile(filepath.Join(d.opts.Policies, sp.Slug+".json"))
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	s := &Site{Slug: sp.Slug, Name: sp.Name, About: sp.About, Vendors: sp.Vendors, spec: sp}
	if d.opts.Local {
		if data, err = LocalizePolicy(data); err != nil {
			return nil, fmt.Errorf("demo: %s.json: %w", sp.Slug, err)
		}
		s.Host = sp.Slug + LocalSuffix
		s.URL = siteURL("http", s.Host, d.opts.Port)
	} else {
		s.Host = "www." + sp.Domain
		s.URL = siteURL("https", s.Host, "")
	}
	if s.Policy, err = consent.Load(data); err != nil {
		return nil, fmt.Errorf("demo: %s.json: %w", sp.Slug, err)
	}
	dir := filepath.Join(d.opts.Build, sp.Slug)
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	s.PolicyFile = filepath.Join(dir, "policy.json")
	if err := os.WriteFile(s.PolicyFile, data, 0o644); err != nil {
		return nil, err
	}
	if s.templates, err = templates(sp); err != nil {
		return nil, fmt.Errorf("demo: %s: %w", sp.Slug, err)
	}
	return s, nil
}

// build builds the page module of each site: the first alone, so that it fills the go build
// cache, then the others together, which only compile their policy and link.
func (d *Demo) build(ctx context.Context) error {
	one := func(s *Site) error {
		_, err := wasm.Build(ctx, wasm.Options{Policy: s.Policy, Out: filepath.Join(d.opts.Build, s.Slug, "assets"), Go: d.opts.Go})
		if err != nil {
			return fmt.Errorf("demo: building %s's page module: %w", s.Slug, err)
		}
		return nil
	}
	if err := one(d.Sites[0]); err != nil {
		return err
	}
	errs := make([]error, len(d.Sites))
	var wg sync.WaitGroup
	for i, s := range d.Sites[1:] {
		wg.Go(func() { errs[i+1] = one(s) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// vendorURL is where the pages and the stand-ins find a vendor host's stand-in in local mode.
func (d *Demo) vendorURL(host string) string {
	return "http://" + net.JoinHostPort(LocalHost(host), d.opts.Port)
}

// Site returns the site with the given slug, or nil.
func (d *Demo) Site(slug string) *Site {
	for _, s := range d.Sites {
		if s.Slug == slug {
			return s
		}
	}
	return nil
}

// ServeHTTP answers by host name: a site's pages through its edge, except /broken/ and /_demo/,
// which the origin answers directly; in local mode, the vendors' stand-ins and, on any other
// name (localhost), the index of the demo.
func (d *Demo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host := hostname(r.Host)
	if s := d.origin.sites[host]; s != nil {
		if p := r.URL.Path; p == "/broken" || strings.HasPrefix(p, "/broken/") || strings.HasPrefix(p, "/_demo/") {
			d.origin.ServeHTTP(w, r)
			return
		}
		s.edge.ServeHTTP(w, r)
		return
	}
	if !d.opts.Local {
		http.Error(w, "no demo site at "+r.Host, http.StatusNotFound)
		return
	}
	if v, ok := strings.CutSuffix(host, LocalSuffix); ok && vendors.IsHost(v) {
		d.vendors.ServeHTTP(w, r)
		return
	}
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	d.serveIndex(w, r)
}

func (d *Demo) serveIndex(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := d.index.Execute(&buf, d); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	io.Copy(w, &buf)
}

// Close stops the origin. The caller stops its own servers first.
func (d *Demo) Close() error {
	if d.server == nil {
		return nil
	}
	return d.server.Close()
}
