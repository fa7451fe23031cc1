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
		maxPending = max(maxPending, len(rw.pending))
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
