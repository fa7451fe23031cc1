// Package vendors holds Consentry's stand-ins for third-party vendors: small scripts of our own that
// set the same cookies and storage keys and call the same kinds of endpoints, at the same host
// names, as the real vendors' tags do (2026-11). The e2e tests and the demo serve them at the real
// host names (mapped to a local server) so that what the page sees looks like production.
//
// Each stand-in reports that it ran with console.debug("standin:ran:NAME") and
// performance.mark("standin:NAME"), which tests observe from outside the page (CDP).
//
// Where a vendor's real cookie lifetime differs from what the demo policies declare (from the seed
// documents or the catalogue), the stand-in keeps the declared one, so that the demo sites are
// true to their policies; its comment says what the vendor really does.
package vendors

import (
	"embed"
	"net"
	"net/http"
	"strings"
)

// Files holds the stand-ins, by file name (see Routes for where each is served).
//
//go:embed *.js *.html
var Files embed.FS

// Route says which stand-in file answers a vendor URL: requests to Host whose path starts with
// Prefix get File ("" for an empty 204 answer, a collection endpoint; ".gif" for a 1×1 pixel).
type Route struct {
	Host, Prefix, File string
}

// Routes are the vendors' URLs as their real tags use them.
var Routes = []Route{
	{"www.googletagmanager.com", "/gtag/js", "gtag.js"},
	{"www.googletagmanager.com", "/gtm.js", "gtm.js"},
	{"www.google-analytics.com", "/g/collect", ""},
	{"region1.google-analytics.com", "/g/collect", ""},
	{"connect.facebook.net", "/en_US/fbevents.js", "fbevents.js"},
	{"www.facebook.com", "/tr", ".gif"},
	{"js.hs-scripts.com", "/", "hubspot.js"},
	{"js.hs-analytics.net", "/analytics/", "hubspot-analytics.js"},
	{"track.hubspot.com", "/__ptq.gif", ".gif"},
	{"www.clarity.ms", "/tag/", "clarity.js"},
	{"k.clarity.ms", "/collect", ""},
	{"widget.intercom.io", "/widget/", "intercom.js"},
	{"api-iam.intercom.io", "/", ""},
	{"cdn.segment.com", "/analytics.js/", "segment.js"},
	{"api.segment.io", "/v1/", ""},
	{"sc.lfeeder.com", "/lftracker", "leadfeeder.js"},
	{"tr.lfeeder.com", "/", ".gif"},
	{"www.youtube.com", "/embed/", "youtube-embed.html"},
	{"www.youtube.com", "/generate_204", ""},
	{"googleads.g.doubleclick.net", "/pagead/", ".gif"},
	{"connect.facebook.net", "/en_US/sdk.js", "facebook-sdk.js"},
	{"www.facebook.com", "/plugins/", "facebook-plugin.html"},
	{"bat.bing.com", "/bat.js", "bat.js"},
	{"bat.bing.com", "/action/", ".gif"},
	{"platform.twitter.com", "/widgets.js", "twitter-widgets.js"},
	{"platform.twitter.com", "/widgets/", "twitter-button.html"},
	{"syndication.twitter.com", "/i/jot", ".gif"},
}

// Hosts are the vendor host names of Routes, each once.
func Hosts() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range Routes {
		if !seen[r.Host] {
			seen[r.Host] = true
			out = append(out, r.Host)
		}
	}
	return out
}

// IsHost reports whether host is one of Hosts.
func IsHost(host string) bool {
	for _, r := range Routes {
		if r.Host == host {
			return true
		}
	}
	return false
}

// Handler serves the stand-ins by Routes: a request whose vendor host and path match a route gets
// its file, its empty answer or its pixel; any other request gets 404. Answers allow credentialed
// cross-origin reads (as collection endpoints do) and are not cached.
type Handler struct {
	// Vendor returns the vendor host that a request's host (without its port) stands for, or ""
	// for none. Nil means the request's host itself.
	Vendor func(host string) string
	// URL, if set, is where the stand-in of a vendor host is served, as a URL prefix
	// ("http://www.google-analytics.com.localhost:8080"): the vendor URLs inside the files served
	// are rewritten with ReplaceURLs, so that the requests a stand-in makes reach stand-ins too.
	URL func(host string) string
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host := r.Host
	if hn, _, err := net.SplitHostPort(host); err == nil {
		host = hn
	}
	host = strings.ToLower(host)
	if h.Vendor != nil {
		host = h.Vendor(host)
	}
	for _, rt := range Routes {
		if rt.Host != host || !strings.HasPrefix(r.URL.Path, rt.Prefix) {
			continue
		}
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("Cache-Control", "no-store")
		switch {
		case rt.File == "":
			w.WriteHeader(http.StatusNoContent)
		case rt.File == ".gif":
			w.Header().Set("Content-Type", "image/gif")
			w.Write(Pixel)
		default:
			b, err := Files.ReadFile(rt.File)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			if h.URL != nil {
				b = ReplaceURLs(b, h.URL)
			}
			ct := "text/javascript; charset=utf-8"
			if strings.HasSuffix(rt.File, ".html") {
				ct = "text/html; charset=utf-8"
			}
			w.Header().Set("Content-Type", ct)
			w.Write(b)
		}
		return
	}
	http.NotFound(w, r)
}

// Pixel is the 1×1 transparent GIF the pixel endpoints answer with.
var Pixel = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

// ReplaceURLs returns b with each "https://HOST" whose HOST is a vendor host (IsHost) replaced by
// url(HOST); the rest of each URL (port, path, query) is kept. A host is read up to the first byte
// that cannot be part of a host name, so "https://www.facebook.com.example" is left alone.
func ReplaceURLs(b []byte, url func(host string) string) []byte {
	const scheme = "https://"
	var out []byte
	rest := string(b)
	for {
		i := strings.Index(rest, scheme)
		if i < 0 {
			break
		}
		j := i + len(scheme)
		k := j
		for k < len(rest) && isHostByte(rest[k]) {
			k++
		}
		if host := rest[j:k]; IsHost(host) {
			out = append(out, rest[:i]...)
			out = append(out, url(host)...)
		} else {
			out = append(out, rest[:k]...)
		}
		rest = rest[k:]
	}
	if out == nil {
		return b
	}
	return append(out, rest...)
}

func isHostByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-' || 'A' <= c && c <= 'Z'
}
