// Package vendors holds Consentry's stand-ins for third-party vendors: small scripts of our own that
// set the same cookies and storage keys and call the same kinds of endpoints, at the same host
// names, as the real vendors' tags do (2026-11). The e2e tests and the demo serve them at the real
// host names (mapped to a local server) so that what the page sees looks like production.
//
// Each stand-in reports that it ran with console.debug("standin:ran:NAME") and
// performance.mark("standin:NAME"), which tests observe from outside the page (CDP).
package vendors

import "embed"

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
