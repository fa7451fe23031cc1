package declaration

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/consentry/consentry/consent"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func loadPolicy(t testing.TB) *consent.Policy {
	t.Helper()
	p, err := consent.LoadFile("testdata/policy.json")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGolden renders testdata/policy.json in every format and compares with the golden files.
// Regenerate them with `go test ./consent/declaration -update` and review the diff.
func TestGolden(t *testing.T) {
	p := loadPolicy(t)
	links := URLPattern("cookies.{lang}.html")
	tests := []struct {
		file   string
		render func(io.Writer, *consent.Policy, Options) error
		opts   Options
	}{
		{"en.html", HTML, Options{Lang: "en", Standalone: true, LanguageURL: links}},
		{"nb.html", HTML, Options{Lang: "nb", Standalone: true, LanguageURL: links}},
		{"nb.fragment.html", HTML, Options{Lang: "nb"}},
		{"en.md", Markdown, Options{Lang: "en", Standalone: true, LanguageURL: URLPattern("cookies.{lang}.md")}},
		{"nb.md", Markdown, Options{Lang: "nb"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.render(&buf, p, tt.opts); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tt.file)
			if *update {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got := buf.String(); got != string(want) {
				t.Errorf("%s differs from the golden file (run with -update and review the diff):\n%s",
					tt.file, firstDifference(got, string(want)))
			}
		})
	}
}

// firstDifference shows the first line where got and want differ.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return ""
}

// hostile is a policy built by hand, past the loader's checks, with text that must not survive as
// markup in either format.
func hostile() *consent.Policy {
	return &consent.Policy{
		Site:      `Evil "Site" <script>alert(1)</script>`,
		Languages: []string{"en", "nb"},
		Categories: []consent.Category{
			{ID: "necessary", Required: true, Label: consent.Text{"en": `<img src=x onerror=alert(1)>`},
				Description: consent.Text{"en": "- not a list\n# not a heading\n1. not an ordered list\n> not a quote"}},
			{ID: "ads", Label: consent.Text{"en": "Ads | pipes"}},
		},
		Services: []consent.Service{
			{ID: "x", Category: 0, Provider: `P" onmouseover="alert(1)`, PrivacyURL: "javascript:alert(1)",
				Cookies: []consent.Item{{Name: "a|b`c", Expiry: "2y",
					Description: consent.Text{"en": "</td></tr></table><script>alert(1)</script>\nline | two"},
					Domain:      `ads.example" x="y`}}},
		},
	}
}

func TestHTMLEscaping(t *testing.T) {
	var buf bytes.Buffer
	if err := HTML(&buf, hostile(), Options{Standalone: true, LanguageURL: URLPattern("javascript:alert('{lang}')")}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"<script", "<img", `onmouseover="`, `href="javascript:`, `x="y"`} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q:\n%s", bad, out)
		}
	}
	for _, want := range []string{"&lt;script&gt;", "&lt;img src=x onerror=alert(1)&gt;", "line | two", "#ZgotmplZ"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	checkHTML(t, out)
}

func TestMarkdownEscaping(t *testing.T) {
	var buf bytes.Buffer
	if err := Markdown(&buf, hostile(), Options{Standalone: true}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"](javascript:", "\n- not", "\n# not", "\n1. not", "\n> not"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q:\n%s", bad, out)
		}
	}
	// The only markup is the <br> of line breaks in cells; every other "<" is escaped.
	for i := 0; i < len(out); i++ {
		if out[i] == '<' && !strings.HasPrefix(out[i:], "<br>") && (i == 0 || out[i-1] != '\\') {
			t.Errorf("unescaped < at %d: %q", i, out[max(0, i-20):min(len(out), i+20)])
		}
	}
	// Every row of a table has as many unescaped pipes as its header.
	for _, table := range strings.Split(out, "\n\n") {
		lines := strings.Split(strings.TrimSpace(table), "\n")
		if !strings.HasPrefix(lines[0], "|") {
			continue
		}
		want := cellBoundaries(lines[0])
		for _, l := range lines[1:] {
			if got := cellBoundaries(l); got != want {
				t.Errorf("row has %d cell boundaries, header %d: %s", got, want, l)
			}
		}
	}
}

func cellBoundaries(line string) int {
	n := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n
}

func TestMarkdownText(t *testing.T) {
	tests := []struct {
		name string
		f    func(string) string
		in   string
		want string
	}{
		{"plain", mdInline, "Keeps you signed in.", "Keeps you signed in."},
		{"emphasis", mdInline, "*really* _this_", `\*really\* \_this\_`},
		{"html", mdInline, "<b>bold</b>", `\<b\>bold\</b\>`},
		{"entity", mdInline, "&amp; & Co", `\&amp; & Co`},
		{"link", mdInline, "[x](y)", `\[x\](y)`},
		{"pipe", mdInline, "a | b", `a \| b`},
		{"code", mdInline, "`x`", "\\`x\\`"},
		{"backslash", mdInline, `a\b`, `a\\b`},
		{"list", mdLine, "- item", `\- item`},
		{"plus list", mdLine, "+ item", `\+ item`},
		{"ordered", mdLine, "12. item", `12\. item`},
		{"ordered paren", mdLine, "3) item", `3\) item`},
		{"number", mdLine, "2024 was", "2024 was"},
		{"heading", mdLine, "# Title", `\# Title`},
		{"quote", mdLine, "> quote", `\> quote`},
		{"setext", mdLine, "===", `\===`},
		{"cell spaces", mdCell, "a\n  b\tc", "a b c"},
		{"code span", mdCode, "_ga_*", "`_ga_*`"},
		{"code span pipe", mdCode, "a|b", "`a\\|b`"},
		{"code span backtick", mdCode, "a`b", "``a`b``"},
		{"code span edge backtick", mdCode, "`a", "`` `a ``"},
	}
	for _, tt := range tests {
		if got := tt.f(tt.in); got != tt.want {
			t.Errorf("%s: %q → %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestMarkdownLink(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://example.com/privacy", "[P](https://example.com/privacy)"},
		{"/privacy", "[P](/privacy)"},
		{"https://example.com/a (b)|c", "[P](https://example.com/a%20%28b%29%7Cc)"},
		{"javascript:alert(1)", "P"},
		{"", "P"},
	}
	for _, tt := range tests {
		if got := mdLink("P", tt.url); got != tt.want {
			t.Errorf("mdLink(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}

// TestLanguages checks the language of headings, texts and fallbacks.
func TestLanguages(t *testing.T) {
	p := loadPolicy(t)
	tests := []struct {
		name     string
		lang     string
		contains []string
		lacks    []string
	}{
		{"default language", "", []string{`lang="en"`, "<th scope=\"col\" class=\"consentry-name\">Name</th>", "2 years"}, []string{"Navn"}},
		{"norwegian", "nb", []string{`<div class="consentry-declaration" lang="nb">`, "Navn", "Leverandør",
			"Varighet", "Formål", "2 år", "økt", "vedvarende", "1 uke (fra hver innlogging)", "Alltid aktive"}, nil},
		{"fallback marked", "nb", []string{`<h2 id="cookies-marketing" lang="en">`,
			`13 måneder (<span lang="en">renewed on each visit</span>)`, `<td lang="en">Anonymous visitor`}, nil},
		{"region subtag", "nb-NO", []string{"Navn", "Nødvendige informasjonskapsler"},
			[]string{`<h2 id="cookies-necessary" lang=`}},
		{"unlisted language", "de", []string{`lang="de"`, "Anbieter", "Speicherdauer", "2 Jahre",
			`<h2 id="cookies-necessary" lang="en">Essential cookies</h2>`}, nil},
		{"unknown language", "tlh", []string{"Provider", "2 years"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := HTML(&buf, p, Options{Lang: tt.lang}); err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.contains {
				if !strings.Contains(buf.String(), s) {
					t.Errorf("lacks %q", s)
				}
			}
			for _, s := range tt.lacks {
				if strings.Contains(buf.String(), s) {
					t.Errorf("contains %q", s)
				}
			}
		})
	}
}

func TestLayout(t *testing.T) {
	p := loadPolicy(t)
	empty := &consent.Policy{Site: "Empty", Languages: []string{"en"}, Categories: []consent.Category{
		{ID: "necessary", Required: true, Label: consent.Text{"en": "Necessary"}}}}
	described := &consent.Policy{Site: "Described", Languages: []string{"en", "nb"},
		Categories: []consent.Category{{ID: "necessary", Required: true, Label: consent.Text{"en": "Necessary"}}},
		Services: []consent.Service{{ID: "cdn", Provider: "CDN Inc", PrivacyURL: "https://cdn.example/privacy",
			Description: consent.Text{"en": "Serves our images."}}}}
	tests := []struct {
		name     string
		p        *consent.Policy
		opts     Options
		contains []string
		lacks    []string
	}{
		{"fragment", p, Options{}, []string{`<div class="consentry-declaration"`},
			[]string{"<!DOCTYPE", "<style", "<h1", "<nav"}},
		{"standalone", p, Options{Standalone: true, LanguageURL: URLPattern("/c/{lang}")},
			[]string{"<!DOCTYPE html>", `<html lang="en">`, "<title>Cookie declaration – Nordlys &amp; Co &lt;AS&gt;</title>",
				"<style>", `<nav aria-label="Language">`, `<a href="/c/nb" hreflang="nb" lang="nb">Norsk bokmål</a>`,
				`<a href="/c/en" hreflang="en" lang="en" aria-current="page">English</a>`}, nil},
		{"standalone without links", p, Options{Standalone: true}, []string{"<h1>"}, []string{"<nav"}},
		{"domain column only with third-party cookies", p, Options{},
			[]string{`<td>ads.example.net</td>`, `<td>this site</td>`, `<th scope="col" class="consentry-domain">Domain</th>`}, nil},
		{"captions", p, Options{}, []string{
			`<caption>Cookies<span class="consentry-vh"> – Essential cookies</span></caption>`,
			`<caption>Browser storage<span class="consentry-vh"> – Performance and functionality</span></caption>`}, nil},
		{"privacy link", p, Options{}, []string{
			`<a href="https://ads.example.net/privacy?lang=en&amp;ref=cookies" aria-label="Ad Partner &#34;Nord&#34; | Ltd: privacy policy">`}, nil},
		{"consent cookie first", p, Options{}, []string{"<tbody>\n<tr>\n<th scope=\"row\"><code>consentry</code></th>"}, nil},
		{"empty category", empty, Options{}, []string{"<p>This category uses no cookies or browser storage.</p>"},
			[]string{"<table", "<ul"}},
		{"services without items", p, Options{}, []string{
			"<p class=\"consentry-services\" id=\"cookies-functionality-services\">Other services in this category</p>\n" +
				"<ul aria-labelledby=\"cookies-functionality-services\">\n" +
				"<li>Nordlys &amp; Co &lt;AS&gt;: Remembers your language and the tabs you last viewed, in your browser&#39;s cache.</li>\n</ul>"},
			nil},
		{"only services without items", described, Options{Lang: "nb"}, []string{
			"<p class=\"consentry-services\" id=\"cookies-necessary-services\">Tjenester i denne kategorien</p>",
			`<li><a href="https://cdn.example/privacy" aria-label="CDN Inc: personvernerklæring">CDN Inc</a>: <span lang="en">Serves our images.</span></li>`},
			[]string{"<table", "Denne kategorien bruker ingen"}},
		{"description lines", p, Options{}, []string{
			"<p>Needed for the site to work: sign-in, security and your cookie choices.<br>You cannot switch them off here.</p>",
			"<td>Identifies your browser across &lt;sites&gt; that show | our ads.<br>Second line &amp; more.</td>"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := HTML(&buf, tt.p, tt.opts); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			for _, s := range tt.contains {
				if !strings.Contains(out, s) {
					t.Errorf("lacks %q", s)
				}
			}
			for _, s := range tt.lacks {
				if strings.Contains(out, s) {
					t.Errorf("contains %q", s)
				}
			}
			checkHTML(t, out)
		})
	}
	// The domain column is left out of tables without third-party cookies.
	var buf bytes.Buffer
	if err := HTML(&buf, p, Options{}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), `<th scope="col" class="consentry-domain">Domain</th>`); n != 1 {
		t.Errorf("%d tables have a domain column, want 1 (marketing cookies)", n)
	}
}

// checkHTML checks that out is well nested and that its tables are labelled.
func checkHTML(t *testing.T, out string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(out))
	var stack []string
	tables, captions := 0, 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				t.Fatal(z.Err())
			}
			if len(stack) > 0 {
				t.Errorf("unclosed elements: %v", stack)
			}
			if tables != captions {
				t.Errorf("%d tables, %d captions", tables, captions)
			}
			return
		case html.StartTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			switch tag {
			case "meta", "br", "img", "link", "input":
				continue
			case "table":
				tables++
			case "caption":
				captions++
			case "th":
				scope := ""
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					if string(k) == "scope" {
						scope = string(v)
					}
				}
				if scope != "col" && scope != "row" {
					t.Errorf("<th> without scope")
				}
			}
			stack = append(stack, tag)
		case html.EndTagToken:
			name, _ := z.TagName()
			if len(stack) == 0 || stack[len(stack)-1] != string(name) {
				t.Fatalf("</%s> closes %v", name, stack)
			}
			stack = stack[:len(stack)-1]
		}
	}
}

// errWriter fails once n bytes have been written.
type errWriter struct{ n int }

var errWrite = errors.New("write failed")

func (w *errWriter) Write(b []byte) (int, error) {
	if len(b) > w.n {
		n := w.n
		w.n = 0
		return n, errWrite
	}
	w.n -= len(b)
	return len(b), nil
}

// TestWriteErrors fails the writer at every offset and expects the error back.
func TestWriteErrors(t *testing.T) {
	p := loadPolicy(t)
	for _, f := range []struct {
		name   string
		render func(io.Writer, *consent.Policy, Options) error
	}{{"HTML", HTML}, {"Markdown", Markdown}} {
		var full bytes.Buffer
		opts := Options{Lang: "nb", Standalone: true, LanguageURL: URLPattern("/{lang}")}
		if err := f.render(&full, p, opts); err != nil {
			t.Fatal(err)
		}
		for n := 0; n < full.Len(); n += 7 {
			if err := f.render(&errWriter{n: n}, p, opts); !errors.Is(err, errWrite) {
				t.Fatalf("%s, writer failing after %d of %d bytes: error %v", f.name, n, full.Len(), err)
			}
		}
	}
}

func TestNilPolicy(t *testing.T) {
	if err := HTML(io.Discard, nil, Options{}); err == nil {
		t.Error("HTML(nil policy) succeeded")
	}
	if err := Markdown(io.Discard, nil, Options{}); err == nil {
		t.Error("Markdown(nil policy) succeeded")
	}
}
