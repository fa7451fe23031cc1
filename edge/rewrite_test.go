package edge

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/consentry/consentry/consent"
)

// Golden files: testdata/html/NAME.html is rewritten for a visitor who granted analytics only
// (marketing and media denied) on https://www.example.com, into testdata/html/NAME.golden.
// Regenerate with UPDATE_GOLDEN=1 go test ./edge -run TestRewriteGolden, and review the diff.

func goldenOptions(t testing.TB) HTMLOptions {
	p := loadTestPolicy(t)
	s := consent.State{Decided: true, Granted: []string{"necessary", "analytics"}}
	return HTMLOptions{Decider: p.Decider(s, false, "www.example.com"), Scheme: "https", GateSrc: "/consentry/consentry.js"}
}

func rewriteString(t testing.TB, in string, o HTMLOptions, chunk int) string {
	t.Helper()
	var b bytes.Buffer
	if err := RewriteHTML(&b, &chunkReader{s: in, n: chunk}, o); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// chunkReader returns s n bytes at a time.
type chunkReader struct {
	s string
	n int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.s) == 0 {
		return 0, io.EOF
	}
	n := min(c.n, len(p), len(c.s))
	copy(p, c.s[:n])
	c.s = c.s[n:]
	return n, nil
}

func TestRewriteGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/html/*.html")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	o := goldenOptions(t)
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".html")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got := rewriteString(t, string(src), o, 1<<20)
			golden := strings.TrimSuffix(in, ".html") + ".golden"
			if os.Getenv("UPDATE_GOLDEN") != "" {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (UPDATE_GOLDEN=1 writes it)", err)
			}
			if got != string(want) {
				t.Errorf("rewritten %s differs from %s:\n%s", in, golden, got)
			}
			// The stream gives the same output however the input is cut.
			for _, n := range []int{1, 2, 3, 5, 8, 13, 17, 64, 100, 4096} {
				if got := rewriteString(t, string(src), o, n); got != string(want) {
					t.Errorf("in chunks of %d bytes the output differs:\n%s", n, got)
				}
			}
		})
	}
}

// TestRewriteUnchanged: with everything allowed and no gate, output is input, byte for byte.
func TestRewriteUnchanged(t *testing.T) {
	p := loadTestPolicy(t)
	s := consent.State{Decided: true, Granted: []string{"necessary", "analytics", "marketing", "media"}}
	o := HTMLOptions{Decider: p.Decider(s, false, "www.example.com")}
	inputs, _ := filepath.Glob("testdata/html/*.html")
	for _, in := range inputs {
		src, _ := os.ReadFile(in)
		src = bytes.ReplaceAll(src, []byte("unknown-tracker.example"), []byte("www.example.com"))
		if bytes.Contains(src, []byte("<base")) {
			continue // the base points undeclared relative URLs at a vendor
		}
		for _, n := range []int{1, 7, 1 << 20} {
			if got := rewriteString(t, string(src), o, n); got != string(src) && !strings.Contains(in, "tricky") {
				t.Errorf("%s in chunks of %d changed:\n%s", in, n, got)
			}
		}
	}
}

func TestRewriteLongRawText(t *testing.T) {
	o := goldenOptions(t)
	script := `var data = "` + strings.Repeat(`</scrip x <!-- y `, 40000) + `";`
	in := "<!DOCTYPE html><html><head><script>" + script + `</script><script src="https://connect.facebook.net/after.js"></script></head></html>`
	want := "<!DOCTYPE html><html><head>" + `<script src="/consentry/consentry.js"></script>` + "<script>" + script +
		`</script><script type="text/plain" data-consentry="marketing" data-consentry-service="facebook" data-consentry-src="https://connect.facebook.net/after.js"></script></head></html>`
	for _, n := range []int{1000, 4096, 32 << 10, 1 << 22} {
		if got := rewriteString(t, in, o, n); got != want {
			t.Errorf("chunks of %d: output of %d bytes differs (want %d)", n, len(got), len(want))
		}
	}
}

// TestRewriteBoundedHold: an unterminated comment larger than the hold limit is passed on, not
// held in memory: rewriting gives up and the rest passes through unchanged.
func TestRewriteBoundedHold(t *testing.T) {
	o := goldenOptions(t)
	in := "<!DOCTYPE html><html><head><title>t</title><!--" + strings.Repeat("x", maxHold+100) +
		`<script src="https://connect.facebook.net/x.js"></script>`
	r := NewHTMLReader(&chunkReader{s: in, n: 4096}, o)
	rw := r.(*htmlReader).rw
	maxPending := 0
	var out bytes.Buffer
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		out.Write(buf[:n])
		maxPending = max(maxPending, len(rw.held))
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if maxPending > maxHold+chunkSize {
		t.Errorf("held %d bytes, limit %d", maxPending, maxHold)
	}
	if !strings.HasSuffix(out.String(), `<script src="https://connect.facebook.net/x.js"></script>`) {
		t.Errorf("the rest was not passed through")
	}
}

// TestRewriteTrickle: a long construct that arrives a byte at a time is not scanned again for
// every byte (which would take time quadratic in its length).
func TestRewriteTrickle(t *testing.T) {
	o := goldenOptions(t)
	for _, c := range []struct{ name, open, close string }{
		{"comment", "<!--", "-->"},
		{"attribute value", `<img alt="`, `" src="https://www.facebook.com/p.png">`},
		{"svg", "<svg><text>", "</text></svg>"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := "<p>x</p>" + c.open + strings.Repeat("0123456789 ", 30000) + c.close + "<p>y</p>"
			want := rewriteString(t, in, o, 1<<20)
			rw := newHTMLRewriter(o)
			var out bytes.Buffer
			for i := range len(in) {
				rw.write([]byte(in[i:i+1]), false)
				out.Write(rw.out)
				rw.out = rw.out[:0]
			}
			rw.write(nil, true)
			out.Write(rw.out)
			if out.String() != want {
				t.Fatalf("a byte at a time, the output differs")
			}
			if rw.scanned > 4*len(in) {
				t.Errorf("%d bytes a byte at a time: %d bytes scanned", len(in), rw.scanned)
			}
		})
	}
}

// Error injection: a body that fails at any offset gives its error, and so does a writer.

type failingReader struct {
	s   string
	at  int
	err error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.at <= 0 {
		return 0, r.err
	}
	n := min(len(p), r.at, len(r.s))
	copy(p, r.s[:n])
	r.s, r.at = r.s[n:], r.at-n
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

type failingWriter struct {
	n, at int
	err   error
}

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n+len(p) > w.at {
		k := w.at - w.n
		w.n = w.at
		return k, w.err
	}
	w.n += len(p)
	return len(p), nil
}

func TestRewriteErrors(t *testing.T) {
	o := goldenOptions(t)
	src, _ := os.ReadFile("testdata/html/basic.html")
	errBody := errors.New("origin reset")
	errWrite := errors.New("client gone")
	full := rewriteString(t, string(src), o, 1<<20)
	for at := 0; at < len(src); at++ {
		err := RewriteHTML(io.Discard, &failingReader{s: string(src), at: at, err: errBody}, o)
		if !errors.Is(err, errBody) {
			t.Fatalf("body failing at %d: err %v", at, err)
		}
		// The reader form: what was read before the error is a prefix of the full output.
		r := NewHTMLReader(&failingReader{s: string(src), at: at, err: errBody}, o)
		got, err := io.ReadAll(r)
		if !errors.Is(err, errBody) || !strings.HasPrefix(full, string(got)) {
			t.Fatalf("reader failing at %d: err %v, prefix %v", at, err, strings.HasPrefix(full, string(got)))
		}
	}
	for at := 0; at < len(full); at += 7 {
		err := RewriteHTML(&failingWriter{at: at, err: errWrite}, &chunkReader{s: string(src), n: 16}, o)
		if !errors.Is(err, errWrite) {
			t.Fatalf("writer failing at %d: err %v", at, err)
		}
	}
}

func TestSrcsetURLs(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"a.png 1x, b.png 2x", []string{"a.png", "b.png"}},
		{"a.png,b.png", []string{"a.png,b.png"}},
		{"a.png, b.png", []string{"a.png", "b.png"}},
		{" ,a.png 100w (x, y), b.png 2x ", []string{"a.png", "b.png"}},
		{"https://x.test/a,b.png 1x", []string{"https://x.test/a,b.png"}},
		{"", nil},
	} {
		if got := srcsetURLs(c.in); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("srcsetURLs(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzRewriteHTML(f *testing.F) {
	inputs, _ := filepath.Glob("testdata/html/*.html")
	for _, in := range inputs {
		b, _ := os.ReadFile(in)
		f.Add(b, 7)
	}
	f.Add([]byte("<script src=x"), 1)
	f.Add([]byte("<!--<script>--><scr"), 2)
	o := goldenOptions(f)
	f.Fuzz(func(t *testing.T, data []byte, chunk int) {
		if chunk <= 0 || chunk > 1<<16 {
			chunk = 1 + chunk&0xfff
			if chunk <= 0 {
				chunk = 1
			}
		}
		whole := rewriteString(t, string(data), o, 1<<20)
		if got := rewriteString(t, string(data), o, chunk); got != whole {
			t.Errorf("chunks of %d give a different output:\n%q\nwhole:\n%q", chunk, got, whole)
		}
	})
}

// scannerCases are the constructs the scanner reads closely, with what they become for the golden
// visitor (analytics granted; marketing and media not). Each is checked whole, cut at every
// offset, and against the reference lexer (rewrite_lexer_test.go).
var scannerCases = func() []struct{ name, in, want string } {
	const (
		fb     = `https://connect.facebook.net/x.js`
		px     = `https://www.facebook.com/p.png`
		script = `<script src="` + fb + `"></script>`
		held   = `<script type="text/plain" data-consentry="marketing" data-consentry-service="facebook" data-consentry-src="` + fb + `"></script>`
		img    = `<img src="` + px + `">`
		heldMk = ` data-consentry="marketing" data-consentry-service="facebook"`
		gate   = `<script src="/consentry/consentry.js"></script>`
	)
	return []struct{ name, in, want string }{
		{"comment containing a script", `<!-- ` + script + ` -->` + script, `<!-- ` + script + ` -->` + held},
		{"comment ending in --!>", `<!-- x --!>` + script, `<!-- x --!>` + held},
		{"unterminated comment", `<!-- ` + script, `<!-- ` + script},
		{"script in an attribute value", `<p title="` + script + `">x</p>` + script, `<p title="` + script + `">x</p>` + held},
		{"'>' in quoted values", `<img alt='a>b' title="c>d" src="` + px + `">`, `<img alt='a>b' title="c>d"` + heldMk + ` data-consentry-src="` + px + `">`},
		{"upper case names", `<SCRIPT SRC="` + fb + `"></SCRIPT>`, `<SCRIPT type="text/plain"` + heldMk + ` data-consentry-src="` + fb + `"></SCRIPT>`},
		{"mixed case names", `<scriPt src="` + fb + `"></sCRIPT>` + script, `<scriPt type="text/plain"` + heldMk + ` data-consentry-src="` + fb + `"></sCRIPT>` + held},
		{"end tag with spaces", `<script>a</script >` + script, `<script>a</script >` + held},
		{"end tag with attributes", `<script>a</script foo="x">` + script, `<script>a</script foo="x">` + held},
		{"longer end tag name is raw text", `<script>x</scripts>` + img + `</script>`, `<script>x</scripts>` + img + `</script>`},
		{"script's <!-- section with a nested script", `<script><!--<script></script>` + img + `--></script>` + script,
			`<script><!--<script></script>` + img + `--></script>` + held},
		{"script's <!-- section ended by </script>", `<script><!--</script>` + script, `<script><!--</script>` + held},
		{"raw text of style and textarea", `<style>p{}</style><style>` + img + `</style><textarea>` + script + `</textarea>`,
			`<style>p{}</style><style>` + img + `</style><textarea>` + script + `</textarea>`},
		{"iframe held, its content raw", `<iframe src="https://www.youtube.com/embed/x">` + img + `</iframe>`,
			`<iframe data-consentry="media" data-consentry-service="youtube" data-consentry-src="https://www.youtube.com/embed/x">` + img + `</iframe>`},
		{"plaintext to the end", `<plaintext>` + script, `<plaintext>` + script},
		{"NUL bytes in text and raw text", "<p>\x00" + script + "<script>\x00</script>", "<p>\x00" + held + "<script>\x00</script>"},
		{"NUL byte in svg passes the rest through", "<svg>\x00</svg>" + script, "<svg>\x00</svg>" + script},
		{"svg with scripts left alone", `<svg><script href="` + fb + `"/>` + script + `</svg>` + script, `<svg><script href="` + fb + `"/>` + script + `</svg>` + held},
		{"nested svg", `<svg><svg></svg>` + img + `</svg>` + img, `<svg><svg></svg>` + img + `</svg><img` + heldMk + ` data-consentry-src="` + px + `">`},
		{"quotes in svg", `<svg><text>"</svg>"</text></svg>` + img, `<svg><text>"</svg>"</text></svg><img` + heldMk + ` data-consentry-src="` + px + `">`},
		{"math", `<math><mi>x</mi></math>` + script, `<math><mi>x</mi></math>` + held},
		{"template content held", `<template>` + script + `</template>`, `<template>` + held + `</template>`},
		{"CDATA is text", `<![CDATA[` + script + `]]>` + script, `<![CDATA[` + script + `]]>` + held},
		{"bogus comments", `<?php <b> ?></ x><!x>` + script, `<?php <b> ?></ x><!x>` + held},
		{"'<' as text", `a < b <3 </> <` + script, `a < b <3 </> <` + held},
		{"self-closing slash", `<img src="` + px + `"/>`, `<img` + heldMk + ` data-consentry-src="` + px + `"/>`},
		{"spaces around =", `<img src = ` + px + ` alt>`, `<img` + heldMk + ` data-consentry-src = ` + px + ` alt>`},
		{"unterminated tag at the end", `<p>x</p><script src="` + fb + `"`, `<p>x</p><script src="` + fb + `"`},
		{"unterminated value at the end", `<p>x</p><img src="` + px, `<p>x</p><img src="` + px},
		{"'<' at the end", `<p>x<`, `<p>x<`},
		{"gate before the first script", `<!DOCTYPE html><html><head><title>t</title>` + script, `<!DOCTYPE html><html><head><title>t</title>` + gate + held},
		{"gate before </head>", `<html><head></head><body>`, `<html><head>` + gate + `</head><body>`},
		{"gate before text", "<!doctype html>\n\nHello", "<!doctype html>\n\n" + gate + "Hello"},
		{"gate at the end of a bare document", `<!doctype html><title>t</title>`, `<!doctype html><title>t</title>` + gate},
		{"no gate in a fragment", `<p>x</p>` + script, `<p>x</p>` + held},
	}
}()

func TestRewriteScannerCases(t *testing.T) {
	o := goldenOptions(t)
	for _, c := range scannerCases {
		t.Run(c.name, func(t *testing.T) {
			if got := rewriteString(t, c.in, o, 1<<20); got != c.want {
				t.Errorf("rewritten:\n got %q\nwant %q", got, c.want)
			}
			for n := 1; n < len(c.in); n++ {
				if got := rewriteString(t, c.in, o, n); got != c.want {
					t.Fatalf("in chunks of %d:\n got %q\nwant %q", n, got, c.want)
				}
			}
			if ref := rewriteWithLexer([]byte(c.in), o); ref != c.want {
				t.Errorf("the reference lexer gives %q", ref)
			}
		})
	}
}
