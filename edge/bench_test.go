package edge

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/consentry/consentry/consent"
)

// Benchmarks of the per-request work (budgets live in edgebench, not here).

func benchPageHTML() string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><title>Bench</title><script src="https://connect.facebook.net/x.js"></script></head><body>`)
	for b.Len() < 20000 {
		b.WriteString(`<article class="card"><h2>Product</h2><img src="/img/1.jpg" alt="Product" loading="lazy"><p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p><a class="button" href="/p/1">Buy</a></article>` + "\n")
	}
	b.WriteString("</body></html>")
	return b.String()
}

func BenchmarkRewriteHTML(b *testing.B) {
	p := loadTestPolicy(b)
	o := HTMLOptions{Decider: p.Decider(consent.State{}, false, "www.example.com"), GateSrc: "/consentry/consentry.js"}
	page := benchPageHTML()
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		RewriteHTML(io.Discard, strings.NewReader(page), o)
	}
}

// benchOrigin serves the bench page at / and a script of the same size at /app.js.
func benchOrigin(b *testing.B) *httptest.Server {
	page := benchPageHTML()
	script := strings.Repeat("function f(a, b) { return document.querySelectorAll('.card').length + a * b; }\n", 250)
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/app.js" {
			w.Header().Set("Content-Type", "text/javascript")
			w.Header().Set("Content-Length", strconv.Itoa(len(script)))
			io.WriteString(w, script)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Header().Add("Set-Cookie", "_ga=1; Path=/")
		io.WriteString(w, page)
	}))
	b.Cleanup(origin.Close)
	return origin
}

// benchProxy runs requests for the page and the script through h.
func benchProxy(b *testing.B, h http.Handler) {
	cookie := consentCookie(loadTestPolicy(b), "analytics") + "; _ga=1; sid=2"
	for _, c := range []struct{ name, path, accept, dest string }{
		{"page", "/", "text/html,application/xhtml+xml", "document"},
		{"script", "/app.js", "*/*", "script"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := httptest.NewRequest("GET", "http://www.example.com"+c.path, nil)
				r.Header.Set("Cookie", cookie)
				r.Header.Set("Accept", c.accept)
				r.Header.Set("Sec-Fetch-Dest", c.dest)
				w := &discardWriter{h: http.Header{}}
				h.ServeHTTP(w, r)
			}
		})
	}
}

func BenchmarkServeHTTP(b *testing.B) {
	origin := benchOrigin(b)
	h, err := NewHandler(Config{Origin: origin.URL, Policy: mustRead("testdata/policy.json")})
	if err != nil {
		b.Fatal(err)
	}
	benchProxy(b, h)
}

type discardWriter struct {
	h http.Header
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

func BenchmarkPlainProxy(b *testing.B) {
	origin := benchOrigin(b)
	u, _ := url.Parse(origin.URL)
	h := httputil.NewSingleHostReverseProxy(u)
	h.Transport = NewTransport(DefaultTimeout)
	benchProxy(b, h)
}
