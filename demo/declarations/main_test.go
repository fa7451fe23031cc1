package main

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHandler(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "nordlys.json")
	bad := filepath.Join(dir, "broken.json")
	data, err := os.ReadFile("../../consent/declaration/testdata/policy.json")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(good, data, 0o644)
	os.WriteFile(bad, []byte(`{"site": "Broken", "categories": []}`), 0o644)
	srv := httptest.NewServer(newHandler(loadSites([]string{good, bad})))
	defer srv.Close()
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	tests := []struct {
		path     string
		status   int
		ctype    string
		contains []string
	}{
		{"/", 200, "text/html; charset=utf-8", []string{
			"<h2>Nordlys &amp; Co &lt;AS&gt;</h2>", `<a href="/nordlys/en" hreflang="en" lang="en">English</a>`,
			`<a href="/nordlys/nb" hreflang="nb" lang="nb">Norsk bokmål</a>`, "<h2>broken</h2>", "categories: empty"}},
		{"/nordlys/nb", 200, "text/html; charset=utf-8", []string{`<html lang="nb">`,
			`<a href="/nordlys/en" hreflang="en" lang="en">English</a>`, "Oversikt over informasjonskapsler"}},
		{"/nordlys/en.md", 200, "text/markdown; charset=utf-8", []string{"# Cookie declaration", "[Norsk bokmål](/nordlys/nb.md)"}},
		{"/nordlys/", 302, "", nil},
		{"/nordlys/de", 404, "", nil},
		{"/broken/en", 404, "", nil},
		{"/nowhere/en", 404, "", nil},
	}
	for _, tt := range tests {
		resp, err := client.Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d", tt.path, resp.StatusCode, tt.status)
			continue
		}
		if tt.ctype != "" && resp.Header.Get("Content-Type") != tt.ctype {
			t.Errorf("%s: Content-Type %q, want %q", tt.path, resp.Header.Get("Content-Type"), tt.ctype)
		}
		if tt.status == 302 && resp.Header.Get("Location") != "/nordlys/en" {
			t.Errorf("%s: redirects to %q", tt.path, resp.Header.Get("Location"))
		}
		for _, s := range tt.contains {
			if !strings.Contains(string(body), s) {
				t.Errorf("%s: lacks %q", tt.path, s)
			}
		}
	}
}

func TestBaseURL(t *testing.T) {
	tests := []struct{ asked, bound, want string }{
		{"127.0.0.1:8080", "127.0.0.1:8080", "http://127.0.0.1:8080/"},
		{":8080", "[::]:8080", "http://localhost:8080/"},
		{"0.0.0.0:0", "0.0.0.0:41234", "http://localhost:41234/"},
		{"[::1]:9000", "[::1]:9000", "http://[::1]:9000/"},
	}
	for _, tt := range tests {
		bound, err := net.ResolveTCPAddr("tcp", tt.bound)
		if err != nil {
			t.Fatal(err)
		}
		if got := baseURL(tt.asked, bound); got != tt.want {
			t.Errorf("baseURL(%q, %s) = %q, want %q", tt.asked, tt.bound, got, tt.want)
		}
	}
}
