package edge

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// This file drives Chromium through the edge: the site's host and the vendors' real host names
// are mapped to local servers with --host-resolver-rules, so URLs, cookies and domains look like
// production. It shows what the edge is for: cookies the origin sets for a denied category never
// reach the browser's jar, and a held vendor script is never requested.

const chromiumPath = "/usr/bin/chromium"

func chromiumOrSkip(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Chromium is not installed at %s (apt-get install chromium)", chromiumPath)
		}
		t.Skipf("Chromium is not installed at %s; skipping the browser test", chromiumPath)
	}
}

// vendorServer stands in for every vendor host and records what the browser asked it for.
type vendorServer struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string // host + path
}

func newVendorServer(t *testing.T) *vendorServer {
	v := &vendorServer{}
	v.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v.mu.Lock()
		v.seen = append(v.seen, r.Host+r.URL.Path)
		v.mu.Unlock()
		switch {
		case strings.HasSuffix(r.URL.Path, ".js"):
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, "window.loaded = (window.loaded || []).concat(["+`"`+r.Host+r.URL.Path+`"`+"]);\n")
		default:
			w.Header().Set("Content-Type", "image/gif")
			w.Write([]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
		}
	}))
	t.Cleanup(v.Close)
	return v
}

func (v *vendorServer) requested(hostPath string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return slices.Contains(v.seen, hostPath)
}

const browserPage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Shop</title>
<script src="http://www.googletagmanager.com/gtag.js"></script>
<script src="http://connect.facebook.net/fbevents.js"></script>
</head><body><h1>Shop</h1>
<img src="http://www.facebook.com/tr.gif" alt="">
<iframe src="http://www.youtube.com/embed/x.js"></iframe>
</body></html>
`

// newBrowserOrigin is the site: its page sets a necessary, an analytics and a marketing cookie.
func newBrowserOrigin(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Add("Set-Cookie", "sid=s1; Path=/")
		w.Header().Add("Set-Cookie", "_ga=GA1.1; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/")
		w.Header().Add("Set-Cookie", "_fbp=fb.1; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, browserPage)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestBrowserThroughEdge(t *testing.T) {
	chromiumOrSkip(t)
	edges := map[string]func(t *testing.T, origin string) string{
		"native": func(t *testing.T, origin string) string {
			h, err := NewHandler(Config{Origin: origin, Policy: mustRead("testdata/policy.json")})
			if err != nil {
				t.Fatal(err)
			}
			h.Assets = DirAssets(os.DirFS(assetDir(t)))
			h.ErrorLog = quietLog(t)
			srv := httptest.NewServer(h)
			t.Cleanup(srv.Close)
			return srv.Listener.Addr().String()
		},
		"workerd": func(t *testing.T, origin string) string {
			return strings.TrimPrefix(startWorkerd(t, origin).URL, "http://")
		},
	}
	for _, name := range []string{"native", "workerd"} {
		t.Run(name, func(t *testing.T) {
			vendor := newVendorServer(t)
			origin := newBrowserOrigin(t)
			edgeAddr := edges[name](t, origin.URL)
			vendorAddr := vendor.Listener.Addr().String()
			rules := "MAP www.example.com " + edgeAddr
			for _, h := range []string{"www.googletagmanager.com", "connect.facebook.net", "www.facebook.com", "www.youtube.com"} {
				rules += ", MAP " + h + " " + vendorAddr
			}
			ctx := newBrowser(t, rules)

			p := loadTestPolicy(t)
			consentValue := strings.TrimPrefix(consentCookie(p, "analytics"), p.Consent.Cookie+"=")
			if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{
				Name: p.Consent.Cookie, Value: consentValue, URL: "http://www.example.com/"}); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.Navigate("http://www.example.com/"), chromedp.WaitVisible("h1")); err != nil {
				t.Fatal(err)
			}
			loaded, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.loaded || []`))
			if err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{"http://www.example.com/"}})
			if err != nil {
				t.Fatal(err)
			}
			cookies := got.Cookies
			var jar []string
			for _, c := range cookies {
				jar = append(jar, c.Name)
			}
			slices.Sort(jar)
			if want := []string{"_ga", p.Consent.Cookie, "sid"}; !slices.Equal(jar, want) {
				t.Errorf("cookie jar %q, want %q (no _fbp: marketing is denied)", jar, want)
			}
			if !vendor.requested("www.googletagmanager.com/gtag.js") || !slices.Contains(loaded, "www.googletagmanager.com/gtag.js") {
				t.Errorf("the granted analytics script was not loaded and run: requests %q, ran %q", vendor.seen, loaded)
			}
			for _, held := range []string{"connect.facebook.net/fbevents.js", "www.facebook.com/tr.gif", "www.youtube.com/embed/x.js"} {
				if vendor.requested(held) {
					t.Errorf("the browser requested %s, which the edge holds", held)
				}
			}
		})
	}
}

// newBrowser starts headless Chromium with host names mapped by rules, for one test.
func newBrowser(t *testing.T, rules string) context.Context {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("host-resolver-rules", rules),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancel()
		cancelAlloc()
	})
	return ctx
}
