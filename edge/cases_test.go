package edge

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// This file is the case table that runs against the edge natively (handler_test.go) and against
// the worker in workerd (workerd_test.go): the same requests, the same origin, the same answers.

// testTimeout is the origin header deadline both edges are configured with in the tests.
const testTimeout = time.Second

type edgeCase struct {
	name   string
	method string // "" is GET
	path   string
	host   string            // the Host header; "" is the edge's address
	header map[string]string // request header fields
	body   string
	noRead bool // the check reads the body itself (r.body is nil)
	check  func(t *testing.T, r *caseResult)
}

type caseResult struct {
	res    *http.Response
	body   []byte
	err    error // reading the body
	origin *testOrigin
	// streamAborted reports whether the edge ended the response stream with an error (where the
	// runtime, not the client, is what can show it; nil natively).
	streamAborted func() bool
}

// wantCutShort checks that a response whose origin failed mid-body did not arrive as complete.
//
// workerd (2025-11-18) ends a chunked response cleanly even when the worker errors its body stream
// (a plain JS ReadableStream that errors does the same), so there the test checks that the worker
// did error the stream, which is all a worker can do.
func wantCutShort(t *testing.T, r *caseResult) {
	t.Helper()
	if r.err != nil {
		return
	}
	if r.streamAborted != nil && r.streamAborted() {
		t.Logf("the runtime ended the response after the worker aborted it (%d bytes)", len(r.body))
		return
	}
	t.Errorf("a body the origin cut short arrived as complete (%d bytes)", len(r.body))
}

func (r *caseResult) setCookies() []string { return r.res.Header["Set-Cookie"] }

// expiry returns the deletion lines consent.ExpiryLines writes for name on a request for path (one
// directory deep) to a host that is an IP address: host-only, Path=/ and Path=path.
func expiry(name, path string) []string {
	return []string{
		name + "=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/",
		name + "=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=" + path,
	}
}

func wantStatus(t *testing.T, r *caseResult, code int) {
	t.Helper()
	if r.res.StatusCode != code {
		t.Fatalf("status %d, want %d; body %q", r.res.StatusCode, code, truncate(r.body))
	}
}

func wantLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func truncate(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
}

func edgeCases(t testing.TB) []edgeCase {
	p := loadTestPolicy(t)
	none := ""
	analytics := consentCookie(p, "analytics")
	all := consentCookie(p, "analytics", "marketing", "media")
	expired := consentCookieAt(p, time.Now().Add(-400*24*time.Hour), "analytics", "marketing", "media")

	setCookieCase := func(name, cookie string, extra map[string]string, want []string) edgeCase {
		h := map[string]string{"Cookie": cookie}
		for k, v := range extra {
			h[k] = v
		}
		if cookie == "" {
			delete(h, "Cookie")
		}
		return edgeCase{name: "set-cookie/" + name, path: "/cookies", header: h, check: func(t *testing.T, r *caseResult) {
			wantStatus(t, r, 200)
			wantLines(t, "Set-Cookie", r.setCookies(), want)
		}}
	}
	necessary := []string{originSetCookies[0], originSetCookies[7]}
	withAnalytics := []string{originSetCookies[0], originSetCookies[1], originSetCookies[2], originSetCookies[3], originSetCookies[7]}
	allDeclared := []string{originSetCookies[0], originSetCookies[1], originSetCookies[2], originSetCookies[3],
		originSetCookies[4], originSetCookies[5], originSetCookies[7]}
	withoutMarketing := withAnalytics

	return []edgeCase{
		// Set-Cookie sets × consent states.
		setCookieCase("no consent keeps necessary and deletions", none, nil, necessary),
		setCookieCase("analytics granted", analytics, nil, withAnalytics),
		setCookieCase("all granted keeps every declared cookie", all, nil, allDeclared),
		setCookieCase("GPC denies marketing whatever was granted", all, map[string]string{"Sec-GPC": "1"}, withoutMarketing),
		setCookieCase("Sec-GPC other than 1 is no signal", all, map[string]string{"Sec-GPC": "0"}, allDeclared),
		setCookieCase("malformed consent is no decision", p.Consent.Cookie+"=1.garbage.x", nil, necessary),
		setCookieCase("expired consent is no decision", expired, nil, necessary),
		setCookieCase("consent of invalid UTF-8 is no decision", p.Consent.Cookie+"=\xff\xfe", nil, necessary),
		setCookieCase("newest of two consent cookies wins (older grants all)",
			consentCookieAt(p, time.Now().Add(-2*time.Hour), "analytics", "marketing", "media")+"; "+analytics, nil, withAnalytics),
		setCookieCase("newest of two consent cookies wins (newer grants all)",
			analytics+"; "+consentCookieAt(p, time.Now().Add(-time.Minute), "analytics", "marketing", "media"), nil, allDeclared),
		setCookieCase("revoked cookies the visitor holds are expired", analytics+"; _fbp=old; hubspotutk=u; tracker_y=1", nil,
			slices.Concat(withAnalytics, expiry("_fbp", "/cookies"), expiry("hubspotutk", "/cookies"))),
		{
			name: "set-cookie/hundreds of lines", path: "/many-cookies?n=400", header: map[string]string{"Cookie": analytics},
			check: func(t *testing.T, r *caseResult) {
				wantStatus(t, r, 200)
				var want []string
				for i := 0; i < 400; i += 2 {
					want = append(want, "_ga_"+strconv.Itoa(i)+"=v"+strconv.Itoa(i)+"; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/")
				}
				wantLines(t, "Set-Cookie", r.setCookies(), want)
			},
		},

		// The Cookie header the origin gets.
		{
			name: "cookie/denied and undeclared cookies do not reach the origin", path: "/echo",
			header: map[string]string{"Cookie": `sid="a,b"; _ga=GA1.2; _fbp=fb; x=1,2; ` + analytics},
			check: func(t *testing.T, r *caseResult) {
				wantStatus(t, r, 200)
				if got, want := r.res.Header.Get("X-Origin-Cookie"), `sid="a,b"; _ga=GA1.2; `+analytics; got != want {
					t.Errorf("origin got Cookie %q, want %q", got, want)
				}
				wantLines(t, "Set-Cookie", r.setCookies(), expiry("_fbp", "/echo"))
			},
		},
		{
			name: "cookie/nothing allowed removes the header", path: "/echo",
			header: map[string]string{"Cookie": "_fbp=1; tracker=2"},
			check: func(t *testing.T, r *caseResult) {
				if got := r.res.Header.Get("X-Origin-Cookie-Fields"); got != "0" {
					t.Errorf("origin got %s Cookie fields, want none", got)
				}
			},
		},
		{
			name: "cookie/64 KB of cookies", path: "/echo", header: map[string]string{"Cookie": bigCookieHeader(analytics)},
			check: func(t *testing.T, r *caseResult) {
				wantStatus(t, r, 200)
				got := r.res.Header.Get("X-Origin-Cookie")
				if !strings.HasPrefix(got, "sid=1; _ga_0=") || strings.Contains(got, "_fbp") || strings.Contains(got, "junk") {
					t.Errorf("origin got Cookie %q", truncate([]byte(got)))
				}
			},
		},
		{
			name: "header/Accept list passes intact", path: "/echo",
			header: map[string]string{"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
			check: func(t *testing.T, r *caseResult) {
				if got := r.res.Header.Get("X-Origin-Accept"); got != "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" {
					t.Errorf("origin got Accept %q", got)
				}
				if got := r.res.Header.Get("X-Origin-Accept-Encoding"); got != "" {
					t.Errorf("origin got Accept-Encoding %q for a navigation without one", got)
				}
			},
		},
		{
			name: "header/navigations ask the origin only for gzip", path: "/echo",
			header: map[string]string{"Accept": "text/html", "Accept-Encoding": "gzip, deflate, br, zstd"},
			check: func(t *testing.T, r *caseResult) {
				if got := r.res.Header.Get("X-Origin-Accept-Encoding"); got != "gzip" {
					t.Errorf("origin got Accept-Encoding %q, want gzip", got)
				}
			},
		},
		{
			name: "request body streams to the origin", method: "POST", path: "/echo", body: strings.Repeat("b", 100000),
			header: map[string]string{"Content-Type": "application/octet-stream"},
			check: func(t *testing.T, r *caseResult) {
				wantStatus(t, r, 200)
				if string(r.body) != "body=100000" {
					t.Errorf("origin got %q", r.body)
				}
			},
		},

		// HTML.
		{
			name: "html/vendor elements held, gate injected", path: "/page", header: map[string]string{"Cookie": analytics},
			check: func(t *testing.T, r *caseResult) {
				wantStatus(t, r, 200)
				body := string(r.body)
				for _, want := range []string{
					`<title>Edge test page</title>` + "\n" + `<script src="/consentry/consentry.js"></script><script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>`,
					`<script type="text/plain" data-consentry="marketing" data-consentry-service="facebook" data-consentry-src="https://connect.facebook.net/en_US/fbevents.js"></script>`,
					`<script src="/app.js"></script>`,
					`<img data-consentry="marketing" data-consentry-service="facebook" data-consentry-src="https://www.facebook.com/tr?id=1&amp;ev=PageView" width="1"`,
					`<iframe data-consentry="media" data-consentry-service="youtube" data-consentry-src="https://www.youtube.com/embed/abc" title="video"></iframe>`,
				} {
					if !strings.Contains(body, want) {
						t.Errorf("body lacks %s\n%s", want, body)
					}
				}
				if cl := r.res.Header.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(r.body)) {
					t.Errorf("Content-Length %s for a body of %d", cl, len(r.body))
				}
				if et := r.res.Header.Get("Etag"); et != `W/"page-1"` {
					t.Errorf("Etag %q, want the origin's made weak", et)
				}
				if csp := r.res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") ||
					!strings.Contains(csp, "www.googletagmanager.com") || strings.Contains(csp, "connect.facebook.net") {
					t.Errorf("Content-Security-Policy %q", csp)
				}
			},
		},
		{
			name: "html/all granted holds nothing", path: "/page", header: map[string]string{"Cookie": all},
			check: func(t *testing.T, r *caseResult) {
				want := strings.Replace(testPage, "<title>Edge test page</title>\n",
					"<title>Edge test page</title>\n"+`<script src="/consentry/consentry.js"></script>`, 1)
				if string(r.body) != want {
					t.Errorf("body:\n%s\nwant:\n%s", r.body, want)
				}
			},
		},
		{
			name: "html/gzip page decoded, rewritten, Content-Encoding true", path: "/gzip-page",
			header: map[string]string{"Accept": "text/html", "Accept-Encoding": "gzip"},
			check: func(t *testing.T, r *caseResult) {
				wantStatus(t, r, 200)
				body := r.body
				if ce := r.res.Header.Get("Content-Encoding"); ce == "gzip" {
					zr, err := gzip.NewReader(bytes.NewReader(body))
					if err != nil {
						t.Fatalf("Content-Encoding gzip, body is not: %v", err)
					}
					if body, err = io.ReadAll(zr); err != nil {
						t.Fatal(err)
					}
				} else if ce != "" {
					t.Fatalf("Content-Encoding %q", ce)
				}
				if !strings.Contains(string(body), `data-consentry-src="https://connect.facebook.net/en_US/fbevents.js"`) {
					t.Errorf("body not rewritten:\n%s", body)
				}
			},
		},
		{
			name: "html/2 MB page rewritten byte for byte", path: "/big-page",
			header: map[string]string{"Cookie": analytics, "Accept": "text/html"},
			check: func(t *testing.T, r *caseResult) {
				wantStatus(t, r, 200)
				want := strings.Replace(bigPage, "</head>", `<script src="/consentry/consentry.js"></script></head>`, 1)
				want = strings.ReplaceAll(want, `<img src="https://www.facebook.com/tr?`,
					`<img data-consentry="marketing" data-consentry-service="facebook" data-consentry-src="https://www.facebook.com/tr?`)
				if got := string(r.body); got != want {
					i := 0
					for i < len(got) && i < len(want) && got[i] == want[i] {
						i++
					}
					t.Errorf("body of %d bytes (want %d) differs at %d: %q, want %q", len(got), len(want), i,
						truncate([]byte(got[i:min(i+200, len(got))])), truncate([]byte(want[i:min(i+200, len(want))])))
				}
			},
		},
		{
			name: "html/HEAD", method: "HEAD", path: "/page",
			check: func(t *testing.T, r *caseResult) {
				wantStatus(t, r, 200)
				if len(r.body) != 0 {
					t.Errorf("HEAD has a body of %d bytes", len(r.body))
				}
			},
		},
		{
			name: "html/204 passes", path: "/status/204",
			check: func(t *testing.T, r *caseResult) { wantStatus(t, r, 204) },
		},
		{
			name: "html/304 passes", path: "/status/304",
			check: func(t *testing.T, r *caseResult) { wantStatus(t, r, 304) },
		},

		// Other bodies.
		{
			name: "passthrough/JavaScript byte for byte with its length", path: "/app.js",
			check: func(t *testing.T, r *caseResult) {
				wantStatus(t, r, 200)
				if string(r.body) != `console.log("a,b", 1);`+"\n" {
					t.Errorf("body %q", r.body)
				}
				if r.res.Header.Get("Content-Security-Policy") == "" {
					t.Errorf("no Content-Security-Policy on a script (a worker's policy comes with it)")
				}
			},
		},
		{
			name: "passthrough/binary with invalid UTF-8", path: "/bytes",
			check: func(t *testing.T, r *caseResult) {
				if !bytes.Equal(r.body, binaryBody) {
					t.Errorf("body %q, want %q", r.body, binaryBody)
				}
			},
		},

		// Served by the edge.
		{
			name: "gpc.json", path: "/.well-known/gpc.json",
			check: func(t *testing.T, r *caseResult) {
				wantStatus(t, r, 200)
				if string(r.body) != `{"gpc": true}`+"\n" || r.res.Header.Get("Content-Type") != "application/json" {
					t.Errorf("%q %q", r.res.Header.Get("Content-Type"), r.body)
				}
			},
		},
		{
			name: "assets/gate revalidated", path: "/consentry/consentry.js",
			check: func(t *testing.T, r *caseResult) {
				wantStatus(t, r, 200)
				if r.res.Header.Get("Content-Type") != "text/javascript; charset=utf-8" || r.res.Header.Get("Cache-Control") != cacheRevalidate {
					t.Errorf("headers %v", r.res.Header)
				}
				if string(r.body) != testGate {
					t.Errorf("body %q", r.body)
				}
			},
		},
		{
			name: "assets/hashed wasm immutable", path: "/consentry/consentry.0123abcd.wasm",
			check: func(t *testing.T, r *caseResult) {
				wantStatus(t, r, 200)
				if r.res.Header.Get("Content-Type") != "application/wasm" || r.res.Header.Get("Cache-Control") != cacheImmutable {
					t.Errorf("headers %v", r.res.Header)
				}
				if !bytes.Equal(r.body, testWasm) {
					t.Errorf("body %q", r.body)
				}
			},
		},
		{
			name: "assets/missing", path: "/consentry/nope.js",
			check: func(t *testing.T, r *caseResult) { wantStatus(t, r, 404) },
		},
		{
			name: "assets/hidden file", path: "/consentry/.secret",
			check: func(t *testing.T, r *caseResult) { wantStatus(t, r, 404) },
		},

		// Failures of the origin.
		{
			name: "origin/reset before answering gives 502", path: "/reset",
			check: func(t *testing.T, r *caseResult) {
				wantStatus(t, r, 502)
				if !strings.Contains(string(r.body), "502 Bad Gateway") {
					t.Errorf("body %q", r.body)
				}
			},
		},
		{
			name: "origin/timeout gives 504", path: "/slow",
			check: func(t *testing.T, r *caseResult) {
				wantStatus(t, r, 504)
				if !strings.Contains(string(r.body), "did not answer in time") {
					t.Errorf("body %q", r.body)
				}
			},
		},
		{
			name: "origin/a body that never ends streams, and stops when the visitor leaves", path: "/infinite",
			noRead: true,
			check: func(t *testing.T, r *caseResult) {
				wantStatus(t, r, 200)
				// The rewritten stream arrives as it is made: 256 KB well before any end.
				buf := make([]byte, 256<<10)
				start := time.Now()
				if _, err := io.ReadFull(r.res.Body, buf); err != nil {
					t.Fatalf("reading the endless body: %v", err)
				}
				if !bytes.Contains(buf, []byte(`data-consentry-src="https://www.facebook.com/tr?x=1"`)) {
					t.Errorf("endless body not rewritten: %q", truncate(buf))
				}
				t.Logf("256 KB of an endless body in %v", time.Since(start))
				r.res.Body.Close()
				select {
				case <-r.origin.closed:
				case <-time.After(10 * time.Second):
					t.Errorf("the origin still streams 10 s after the visitor left")
				}
			},
		},
		{
			name: "origin/reset mid-body cuts the response short", path: "/reset-body",
			check: wantCutShort,
		},
		{
			name: "origin/reset mid-body of a passthrough cuts it short", path: "/reset-body?type=application/octet-stream",
			check: wantCutShort,
		},
	}
}

// bigCookieHeader returns about 64 KB of cookies: granted, denied and undeclared ones, with commas
// and bytes that are not UTF-8 in values.
func bigCookieHeader(consentPair string) string {
	var b strings.Builder
	b.WriteString("sid=1")
	for i := 0; b.Len() < 64<<10; i++ {
		b.WriteString("; _ga_" + strconv.Itoa(i) + "=" + strings.Repeat("a,b", 20))
		b.WriteString("; _fbp" + strconv.Itoa(i) + "=x")
		b.WriteString("; junk" + strconv.Itoa(i) + "=\xff\xfe")
	}
	b.WriteString("; " + consentPair)
	return b.String()
}

// The asset fixtures both edges serve.
const testGate = "/* consentry gate fixture */\n"

var testWasm = []byte("\x00asm\x01\x00\x00\x00")

// runEdgeCases runs the table against the edge at base.
func runEdgeCases(t *testing.T, base string, o *testOrigin, aborted func() bool) {
	client := &http.Client{
		Transport:     &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 8},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       20 * time.Second,
	}
	for _, c := range edgeCases(t) {
		t.Run(c.name, func(t *testing.T) {
			method := c.method
			if method == "" {
				method = "GET"
			}
			var body io.Reader
			if c.body != "" {
				body = strings.NewReader(c.body)
			}
			req, err := http.NewRequest(method, base+c.path, body)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range c.header {
				req.Header[http.CanonicalHeaderKey(k)] = []string{v}
			}
			if c.host != "" {
				req.Host = c.host
			}
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var b []byte
			if !c.noRead {
				b, err = io.ReadAll(res.Body)
				if errors.Is(err, io.EOF) {
					err = io.ErrUnexpectedEOF
				}
			}
			c.check(t, &caseResult{res: res, body: b, err: err, origin: o, streamAborted: aborted})
		})
	}
}
