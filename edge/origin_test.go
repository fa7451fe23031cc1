package edge

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consentry/consentry/consent"
)

// This file is the stand-in origin of the edge's tests: a real HTTP server on loopback (workerd
// reaches it over the network like any origin), with one route per behaviour the cases need.

var (
	policyOnce sync.Once
	testPolicy *consent.Policy
	policyJSON []byte
)

// loadTestPolicy returns testdata/policy.json, compiled.
func loadTestPolicy(t testing.TB) *consent.Policy {
	t.Helper()
	policyOnce.Do(func() {
		p, err := consent.LoadFile("testdata/policy.json")
		if err != nil {
			panic(err)
		}
		testPolicy = p
		policyJSON = mustRead("testdata/policy.json")
	})
	return testPolicy
}

// consentCookie returns a consent cookie pair granting the categories, given an hour ago.
func consentCookie(p *consent.Policy, granted ...string) string {
	return consentCookieAt(p, time.Now().Add(-time.Hour), granted...)
}

func consentCookieAt(p *consent.Policy, at time.Time, granted ...string) string {
	v := p.EncodeState(consent.State{Decided: true, Granted: granted, At: at.Unix(), Source: consent.SourceBanner,
		ID: "AAAAAAAAAAAA"})
	return p.Consent.Cookie + "=" + v
}

// The Set-Cookie lines the origin's /cookies route sends, with the Expires dates whose commas the
// worker's boundary must keep.
var originSetCookies = []string{
	"sid=s1; Path=/; HttpOnly",
	"_ga=GA1.2.3; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/; Domain=example.com",
	"_ga_ABC=GS1.1; Max-Age=63072000; Path=/",
	"_gid=GA1.2.9; Expires=Thu, 22 Oct 2037 07:28:00 GMT; Path=/",
	"_fbp=fb.1.2; Expires=Fri, 23 Oct 2037 07:28:00 GMT; Path=/",
	"__hstc=hs.1; Max-Age=34128000; Path=/",
	"tracker_x=1; Path=/",
	"_fbc=; Max-Age=0; Path=/",
}

const testPage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Edge test page</title>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>
<script src="https://connect.facebook.net/en_US/fbevents.js"></script>
<script src="/app.js"></script>
</head><body>
<h1>Hello</h1>
<img src="https://www.facebook.com/tr?id=1&amp;ev=PageView" width="1" height="1" alt="">
<iframe src="https://www.youtube.com/embed/abc" title="video"></iframe>
</body></html>
`

// testOrigin is the stand-in origin.
type testOrigin struct {
	*httptest.Server
	mu      sync.Mutex
	cookies map[string]string // path → the Cookie header it received
	headers map[string]http.Header
	closed  chan string // paths whose long response the client abandoned
}

func newTestOrigin(t testing.TB) *testOrigin {
	o := &testOrigin{cookies: map[string]string{}, headers: map[string]http.Header{}, closed: make(chan string, 16)}
	mux := http.NewServeMux()
	page := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(testPage)))
		w.Header().Set("Etag", `"page-1"`)
		for _, c := range originSetCookies {
			w.Header().Add("Set-Cookie", c)
		}
		io.WriteString(w, testPage)
	}
	mux.HandleFunc("/page", page)
	mux.HandleFunc("/cookies", func(w http.ResponseWriter, r *http.Request) {
		for _, c := range originSetCookies {
			w.Header().Add("Set-Cookie", c)
		}
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "ok")
	})
	mux.HandleFunc("/many-cookies", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		for i := 0; i < n; i++ {
			if i%2 == 0 {
				w.Header().Add("Set-Cookie", fmt.Sprintf("_ga_%d=v%d; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/", i, i))
			} else {
				w.Header().Add("Set-Cookie", fmt.Sprintf("_fbp%d=v%d; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/", i, i))
			}
		}
		io.WriteString(w, "ok")
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("X-Origin-Cookie", r.Header.Get("Cookie"))
		w.Header().Set("X-Origin-Cookie-Fields", strconv.Itoa(len(r.Header["Cookie"])))
		w.Header().Set("X-Origin-Accept", strings.Join(r.Header["Accept"], "|"))
		w.Header().Set("X-Origin-Accept-Encoding", strings.Join(r.Header["Accept-Encoding"], "|"))
		w.Header().Set("X-Origin-Forwarded-Proto", r.Header.Get("X-Forwarded-Proto"))
		n, _ := io.Copy(io.Discard, r.Body)
		fmt.Fprintf(w, "body=%d", n)
	})
	mux.HandleFunc("/gzip-page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			io.WriteString(w, testPage)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		io.WriteString(zw, testPage)
		zw.Close()
	})
	mux.HandleFunc("/app.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Header().Set("Content-Length", "23")
		io.WriteString(w, `console.log("a,b", 1);`+"\n")
	})
	mux.HandleFunc("/bytes", func(w http.ResponseWriter, r *http.Request) {
		// Not HTML: must pass byte for byte, invalid UTF-8 and all.
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(binaryBody)
	})
	mux.HandleFunc("/status/", func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/status/"))
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(code)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
		io.WriteString(w, "late")
	})
	mux.HandleFunc("/reset", func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			if tc, ok := conn.(interface{ SetLinger(int) error }); ok {
				tc.SetLinger(0) // RST, not FIN
			}
			conn.Close()
		}
	})
	mux.HandleFunc("/reset-body", func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		ct := r.URL.Query().Get("type")
		if ct == "" {
			ct = "text/html"
		}
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nTransfer-Encoding: chunked\r\n\r\n", ct)
		fmt.Fprintf(buf, "%x\r\n%s\r\n", 40000, strings.Repeat("<p>x</p>", 5000))
		buf.Flush()
		time.Sleep(50 * time.Millisecond)
		if tc, ok := conn.(interface{ SetLinger(int) error }); ok {
			tc.SetLinger(0)
		}
		conn.Close()
	})
	mux.HandleFunc("/infinite", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!DOCTYPE html><html><head><title>forever</title></head><body>")
		chunk := strings.Repeat(`<p>more <img src="https://www.facebook.com/tr?x=1"></p>`, 20)
		for {
			if _, err := io.WriteString(w, chunk); err != nil {
				break
			}
			http.NewResponseController(w).Flush()
			select {
			case <-r.Context().Done():
				o.closed <- r.URL.Path
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
		o.closed <- r.URL.Path
	})
	mux.HandleFunc("/big-page", func(w http.ResponseWriter, r *http.Request) {
		// Written in pieces that fit no buffer size, without a length: the edge gets it in
		// chunks that cut tags anywhere.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		for rest := bigPage; len(rest) > 0; {
			n := min(7001, len(rest))
			if _, err := io.WriteString(w, rest[:n]); err != nil {
				return
			}
			rest = rest[n:]
		}
	})
	mux.HandleFunc("/large", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("bytes"))
		w.Header().Set("Content-Type", r.URL.Query().Get("type"))
		w.Header().Set("Content-Length", strconv.Itoa(n))
		writeFiller(w, n)
	})
	o.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.mu.Lock()
		o.cookies[r.URL.Path] = r.Header.Get("Cookie")
		o.headers[r.URL.Path] = r.Header.Clone()
		o.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(o.Close)
	return o
}

// bigPage is a page of about 2 MB with a tracking pixel on every line.
var bigPage = func() string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html><head><title>big</title></head><body>\n")
	for i := 0; b.Len() < 2<<20; i++ {
		fmt.Fprintf(&b, `<p id="p%d">line %d <img src="https://www.facebook.com/tr?i=%d" alt=""></p>`+"\n", i, i, i)
	}
	b.WriteString("</body></html>\n")
	return b.String()
}()

// binaryBody is a non-HTML body with invalid UTF-8, NUL bytes and something that looks like HTML.
var binaryBody = []byte("\xff\xfe\x00<script src=https://connect.facebook.net/x.js></script>\xc3\x28 end")

// writeFiller writes n bytes of HTML-ish filler, in 32 KB writes.
func writeFiller(w io.Writer, n int) {
	block := []byte(strings.Repeat(`<p class="filler">Lorem ipsum <b>dolor</b> sit amet.</p>`+"\n", 600))
	for n > 0 {
		b := block
		if len(b) > n {
			b = b[:n]
		}
		if _, err := w.Write(b); err != nil {
			return
		}
		n -= len(b)
	}
}

func mustRead(name string) []byte {
	b, err := os.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return b
}
