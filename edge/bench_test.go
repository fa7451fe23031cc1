package edge

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
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

func BenchmarkServeHTTP(b *testing.B) {
	page := benchPageHTML()
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Add("Set-Cookie", "_ga=1; Path=/")
		io.WriteString(w, page)
	}))
	defer origin.Close()
	h, err := NewHandler(Config{Origin: origin.URL, Policy: mustRead("testdata/policy.json")})
	if err != nil {
		b.Fatal(err)
	}
	cookie := consentCookie(loadTestPolicy(b), "analytics") + "; _ga=1; sid=2"
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("GET", "http://www.example.com/", nil)
		r.Header.Set("Cookie", cookie)
		w := &discardWriter{h: http.Header{}}
		h.ServeHTTP(w, r)
	}
}

type discardWriter struct {
	h http.Header
	b bytes.Buffer
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

func BenchmarkPlainProxy(b *testing.B) {
	page := benchPageHTML()
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Add("Set-Cookie", "_ga=1; Path=/")
		io.WriteString(w, page)
	}))
	defer origin.Close()
	u, _ := url.Parse(origin.URL)
	h := httputil.NewSingleHostReverseProxy(u)
	h.Transport = NewTransport(DefaultTimeout)
	cookie := consentCookie(loadTestPolicy(b), "analytics") + "; _ga=1; sid=2"
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("GET", "http://www.example.com/", nil)
		r.Header.Set("Cookie", cookie)
		w := &discardWriter{h: http.Header{}}
		h.ServeHTTP(w, r)
	}
}
