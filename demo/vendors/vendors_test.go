package vendors

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRoutesHaveFiles(t *testing.T) {
	for _, r := range Routes {
		if r.File == "" || r.File == ".gif" {
			continue
		}
		if _, err := Files.ReadFile(r.File); err != nil {
			t.Errorf("%s%s: %v", r.Host, r.Prefix, err)
		}
	}
}

func TestReplaceURLs(t *testing.T) {
	local := func(host string) string { return "http://" + host + ".localhost:8080" }
	tests := []struct{ name, in, want string }{
		{"script", `<script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>`,
			`<script src="http://www.googletagmanager.com.localhost:8080/gtag/js?id=G-1"></script>`},
		{"in a JS string", `s.src = "https://widget.intercom.io/widget/" + id;`,
			`s.src = "http://widget.intercom.io.localhost:8080/widget/" + id;`},
		{"two on a line", `"https://bat.bing.com/a" + "https://tr.lfeeder.com/"`,
			`"http://bat.bing.com.localhost:8080/a" + "http://tr.lfeeder.com.localhost:8080/"`},
		{"host only", `fetch("https://k.clarity.ms")`, `fetch("http://k.clarity.ms.localhost:8080")`},
		{"not a vendor", `<a href="https://policies.google.com/privacy">`, `<a href="https://policies.google.com/privacy">`},
		{"longer host", `https://www.facebook.com.example/x`, `https://www.facebook.com.example/x`},
		{"subdomain of a vendor", `https://eu.www.facebook.com/x`, `https://eu.www.facebook.com/x`},
		{"plain http is left", `http://www.facebook.com/tr`, `http://www.facebook.com/tr`},
		{"nothing", `no URLs here`, `no URLs here`},
		{"scheme at the end", `ends with https://`, `ends with https://`},
	}
	for _, tt := range tests {
		if got := string(ReplaceURLs([]byte(tt.in), local)); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

func TestHandler(t *testing.T) {
	h := &Handler{
		Vendor: func(host string) string { return strings.TrimSuffix(host, ".localhost") },
		URL:    func(host string) string { return "http://" + host + ".localhost:8080" },
	}
	tests := []struct {
		host, path  string
		status      int
		contentType string
		contains    string
	}{
		{"www.googletagmanager.com.localhost:8080", "/gtag/js?id=G-1", 200, "text/javascript; charset=utf-8",
			"http://region1.google-analytics.com.localhost:8080/g/collect"},
		{"js.hs-scripts.com.localhost", "/123.js", 200, "text/javascript; charset=utf-8", "http://js.hs-analytics.net.localhost:8080/"},
		{"www.youtube.com.localhost:8080", "/embed/abc", 200, "text/html; charset=utf-8", "standin:ran:youtube"},
		{"www.facebook.com.localhost:8080", "/tr/?id=1", 200, "image/gif", "GIF89a"},
		{"api.segment.io.localhost:8080", "/v1/p", 204, "", ""},
		{"www.facebook.com.localhost:8080", "/elsewhere", 404, "", ""},
		{"www.example.com", "/gtag/js", 404, "", ""},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "http://"+tt.host+tt.path, nil)
		h.ServeHTTP(rec, req)
		res := rec.Result()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != tt.status {
			t.Errorf("%s%s: status %d, want %d", tt.host, tt.path, res.StatusCode, tt.status)
			continue
		}
		if ct := res.Header.Get("Content-Type"); tt.contentType != "" && ct != tt.contentType {
			t.Errorf("%s%s: Content-Type %q, want %q", tt.host, tt.path, ct, tt.contentType)
		}
		if !strings.Contains(string(body), tt.contains) {
			t.Errorf("%s%s: body lacks %q:\n%s", tt.host, tt.path, tt.contains, body)
		}
		if tt.status < 300 && strings.Contains(string(body), "https://") {
			t.Errorf("%s%s: a vendor URL was not rewritten:\n%s", tt.host, tt.path, body)
		}
	}
}
