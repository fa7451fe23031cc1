// Package audittest serves a small fixture shop for testing the audit and the scan command, the way
// net/http/httptest serves handlers: https://www.shop.test, whose pages respect the visitor's
// consent (decided on the server from the consent cookie and the Sec-GPC header), a few pages that
// break the policy in each way an audit must report, and stand-in vendors at third-party host
// names. Chromium reaches all of them through --host-resolver-rules (Server.BrowserOptions).
//
// Pages of the site, under Policy():
//
//	/            respects consent: a first-party session cookie (Set-Cookie) and language cookie
//	             (document.cookie), a cart key in localStorage; the stats vendor's script when
//	             analytics is granted (a cookie, a storage key, a pixel), the ads vendor's pixel
//	             (a third-party cookie) when marketing is, the video vendor's iframe (a cookie, a
//	             storage key and a script of its own) when media is; links to /about and /contact
//	/about       respects consent, like / without the links to the failing pages
//	/contact     respects consent, links to /about
//	/bad         respects consent, links to the three pages below
//	/undeclared  also loads a Meta Pixel stand-in the policy does not declare, whatever the consent,
//	             and writes a localStorage key no service declares (the policy reports those)
//	/leak        sets the stats cookie (document.cookie) and the ads cookie (Set-Cookie) before any
//	             consent
//	/expiry      sets the language cookie for 30 days; its declaration says 1 day
//	/dialog      respects consent, and opens an alert
//	/everything  loads every declared vendor whatever the consent, as a site without a consent
//	             manager does (for scans without a policy, and -suggest)
package audittest

import (
	_ "embed"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/consentry/consentry/consent"
)

//go:embed policy.json
var policyJSON []byte

// PolicyJSON returns the fixture's policy file.
func PolicyJSON() []byte { return append([]byte(nil), policyJSON...) }

// Policy returns the fixture's policy.
func Policy() *consent.Policy {
	p, err := consent.Load(policyJSON)
	if err != nil {
		panic("audittest: policy.json: " + err.Error())
	}
	return p
}

// Site is the origin of the fixture shop.
const Site = "https://www.shop.test"

// Hosts are the host names the server answers for: the shop and its stand-in vendors (three
// declared in the policy, and Meta's, which is not).
var Hosts = []string{
	"www.shop.test",
	"cdn.stats-vendor.example", "collect.stats-vendor.example",
	"pixel.ads-vendor.example",
	"video.video-vendor.example",
	"connect.facebook.net", "www.facebook.com",
}

// Server is a running fixture.
type Server struct {
	*httptest.Server
	Policy *consent.Policy
}

// Start starts the fixture on 127.0.0.1 with a self-signed certificate (browsers must ignore
// certificate errors; BrowserOptions says so). Close stops it.
func Start() *Server {
	s := &Server{Policy: Policy()}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	return s
}

// HostRules is the value of Chromium's --host-resolver-rules that sends every name of Hosts to the
// server (and no other name anywhere: the tests need no network).
func (s *Server) HostRules() string {
	addr := s.Listener.Addr().String()
	var rules []string
	for _, h := range Hosts {
		rules = append(rules, "MAP "+h+" "+addr)
	}
	return strings.Join(append(rules, "MAP * ~NOTFOUND"), ", ")
}

// BrowserOptions are the options audit.NewBrowser (or chromedp.NewExecAllocator) needs to reach
// the fixture.
func (s *Server) BrowserOptions() []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.Flag("host-resolver-rules", s.HostRules()),
		chromedp.IgnoreCertErrors,
	}
}

func hostOf(r *http.Request) string {
	if h, _, err := net.SplitHostPort(r.Host); err == nil {
		return h
	}
	return r.Host
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	switch host := hostOf(r); host {
	case "www.shop.test":
		s.shop(w, r)
	case "cdn.stats-vendor.example":
		script(w, statsJS)
	case "connect.facebook.net":
		script(w, metaJS)
	case "collect.stats-vendor.example", "www.facebook.com":
		pixel(w)
	case "pixel.ads-vendor.example":
		http.SetCookie(w, &http.Cookie{Name: "ads_uid", Value: "a1b2", MaxAge: 30 * 24 * 3600, Path: "/",
			Secure: true, SameSite: http.SameSiteNoneMode})
		pixel(w)
	case "video.video-vendor.example":
		if r.URL.Path == "/player.js" {
			script(w, playerJS)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "vv_pref", Value: "hd", MaxAge: 90 * 24 * 3600, Path: "/",
			Secure: true, SameSite: http.SameSiteNoneMode})
		html(w, `<!doctype html><title>video</title><p>a video</p><script src="/player.js"></script>`)
	default:
		http.NotFound(w, r)
	}
}

// granted returns, per category id, whether the visitor's consent (cookie and Sec-GPC) grants it:
// the site respects consent on the server, so that no page module is needed.
func (s *Server) granted(r *http.Request) map[string]bool {
	var value string
	if c, err := r.Cookie(s.Policy.Consent.Cookie); err == nil {
		value = c.Value
	}
	state, _ := s.Policy.DecodeState(value, time.Now().Unix())
	cats := s.Policy.GrantedCategories(state, r.Header.Get("Sec-GPC") == "1")
	out := map[string]bool{}
	for i, c := range s.Policy.Categories {
		out[c.ID] = cats[i]
	}
	return out
}

func (s *Server) shop(w http.ResponseWriter, r *http.Request) {
	var extra, links string
	switch r.URL.Path {
	case "/":
		links = `<a href="/about">About</a> <a href="/contact#form">Contact</a> <a href="/#top">Top</a>
<a href="/brochure.pdf">Brochure</a> <a href="https://elsewhere.example/">Elsewhere</a>`
	case "/about", "/contact":
		links = `<a href="/">Home</a> <a href="/about">About</a>`
	case "/bad":
		links = `<a href="/undeclared">Undeclared</a> <a href="/leak">Leak</a> <a href="/expiry">Expiry</a>`
	case "/undeclared":
		extra = `<script src="https://connect.facebook.net/en_US/fbevents.js"></script>
<script>localStorage.setItem("ab_bucket", "B");</script>`
	case "/leak":
		extra = `<script>document.cookie = "_st_id=leaked; max-age=31536000; path=/; Secure";</script>`
		http.SetCookie(w, &http.Cookie{Name: "ads_uid", Value: "leaked", MaxAge: 7 * 24 * 3600, Path: "/", Secure: true})
	case "/expiry":
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: "nb", MaxAge: 30 * 24 * 3600, Path: "/", Secure: true})
	case "/everything":
	case "/dialog":
		extra = `<script>alert("Welcome!");</script>`
	default:
		http.NotFound(w, r)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "sid", Value: "s3ss10n", Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
	g := s.granted(r)
	if r.URL.Path == "/everything" {
		g = map[string]bool{"analytics": true, "marketing": true, "media": true}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html><html lang=en><head><meta charset=utf-8><title>Shop %s</title>\n", r.URL.Path)
	b.WriteString(`<script>localStorage.setItem("cart", "[]"); if (!/lang=/.test(document.cookie)) document.cookie = "lang=en; max-age=3600; path=/; Secure";</script>` + "\n")
	if g["analytics"] {
		b.WriteString(`<script src="https://cdn.stats-vendor.example/st.js" async></script>` + "\n")
	}
	b.WriteString(extra)
	b.WriteString("</head><body><h1>Shop</h1>\n")
	if g["marketing"] {
		b.WriteString(`<img src="https://pixel.ads-vendor.example/p.gif?site=shop" width=1 height=1 alt="">` + "\n")
	}
	if g["media"] {
		b.WriteString(`<iframe src="https://video.video-vendor.example/embed/1" width=320 height=180></iframe>` + "\n")
	} else {
		b.WriteString(`<div class=placeholder>The video needs your consent to embedded media.</div>` + "\n")
	}
	b.WriteString("<nav>" + links + "</nav></body></html>\n")
	html(w, b.String())
}

const statsJS = `(function () {
  document.cookie = "_st_id=ST1.2.3; max-age=31536000; path=/; SameSite=Lax; Secure";
  localStorage.setItem("st_queue", "[]");
  new Image().src = "https://collect.stats-vendor.example/c?e=pageview";
})();
`

const metaJS = `(function () {
  document.cookie = "_fbp=fb.1.1700000000000.123; max-age=7776000; path=/; Secure";
  new Image().src = "https://www.facebook.com/tr/?id=1&ev=PageView";
})();
`

const playerJS = `localStorage.setItem("vv_volume", "0.8");
`

func html(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, body)
}

func script(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/javascript")
	fmt.Fprint(w, body)
}

// gif is a transparent 1×1 GIF.
var gif = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

func pixel(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "image/gif")
	w.Write(gif)
}
