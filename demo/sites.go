package demo

// The three demo sites, each modelled on a seed company (shared/seeds) and named after it: what
// the site is, its pages and forms, the vendors its policy names (web/SLUG/tags.html), and the two
// deliberately broken pages the audit must report.

// spec describes one demo site.
type spec struct {
	Slug    string // the policy's file name without .json, and the site's local host name
	Name    string // as the policy's "site"
	Company string // the company the site is modelled on
	Domain  string // the company's domain, for the site's production host name www.DOMAIN
	Logo    string // the word mark
	Tagline string
	About   string // one sentence, for the index and <meta name="description">
	Nav     []link
	// Vendors are the third parties whose tags the site carries, as the seed names them.
	Vendors []string

	// Pages maps each path to its template in web/SLUG/.
	Pages map[string]string
	// Forms are the paths whose form posts back to the page (answered with ?sent=1).
	Forms []string
	// Cookies are set by the origin on every page of the site (through the edge, which keeps or
	// drops them by the visitor's consent), as the company's own servers do.
	Cookies []cookie

	// Broken says what the site's two broken pages do (web/broken.html, web/SLUG/broken.html).
	Broken broken
}

type link struct {
	Path, Label string
	Button      bool
}

type cookie struct {
	Name, Value string
	MaxAge      int // seconds
	HTTPOnly    bool
}

// broken is what a site's pages under /broken/ do. They are served straight from the origin,
// around the edge, and without the gate: pages that a site forgot to put behind Consentry. The
// audit must report both.
type broken struct {
	// Vendor names the vendor /broken/undeclared-vendor loads (the template "undeclared-tag" of
	// web/SLUG/broken.html), which the site's policy does not declare.
	Vendor string
	// HeaderCookie is the declared, non-necessary cookie /broken/cookie-before-consent sets with
	// Set-Cookie before any consent, and ScriptCookie the one its inline script (the template
	// "early-cookie") writes; Category is theirs.
	HeaderCookie cookie
	ScriptCookie string
	Category     string
}

var specs = []*spec{
	{
		Slug: "huma", Name: "Huma", Company: "Huma AS", Domain: "huma.com", Logo: "huma",
		Tagline: "Digital health platform",
		About:   "Digital health: remote patient monitoring, digital biomarkers and decentralised clinical trials.",
		Nav:     []link{{"/", "Home", false}, {"/platform", "Platform", false}, {"/contact", "Book a demo", true}},
		Vendors: []string{"Google Analytics", "Intercom"},
		Pages:   map[string]string{"/": "home.html", "/platform": "platform.html", "/contact": "contact.html"},
		Forms:   []string{"/contact"},
		Broken: broken{
			Vendor:       "the Meta Pixel",
			HeaderCookie: cookie{Name: "_ga", Value: "GA1.1.1402938710.1763800000", MaxAge: 2 * 365 * 86400},
			ScriptCookie: "_gid",
			Category:     "analytics",
		},
	},
	{
		Slug: "cyberpilot", Name: "CyberPilot", Company: "CyberPilot ApS", Domain: "cyberpilot.io", Logo: "CyberPilot",
		Tagline: "Security awareness training",
		About:   "Security awareness training: e-learning, phishing simulations and compliance reports.",
		Nav:     []link{{"/", "Home", false}, {"/courses", "Courses", false}, {"/book-a-demo", "Book a demo", true}},
		Vendors: []string{"HubSpot", "Segment", "Meta Pixel", "Google Ads", "Leadfeeder", "Microsoft Clarity",
			"Microsoft Advertising", "YouTube"},
		Pages: map[string]string{"/": "home.html", "/courses": "courses.html", "/book-a-demo": "book-a-demo.html"},
		Forms: []string{"/book-a-demo"},
		// HubSpot's CDN sets its bot-protection cookie on the pages it serves; the seed declares it
		// as necessary (hubspot-necessary).
		Cookies: []cookie{{Name: "__cf_bm", Value: "cp3Kx9.demo-1763800000", MaxAge: 1800, HTTPOnly: true}},
		Broken: broken{
			Vendor:       "Intercom",
			HeaderCookie: cookie{Name: "hubspotutk", Value: "5f1b2c3d4e5f60718293a4b5c6d7e8f9", MaxAge: 180 * 86400},
			ScriptCookie: "_fbp",
			Category:     "performance, targeting",
		},
	},
	{
		Slug: "huddly", Name: "Huddly", Company: "Huddly AS", Domain: "huddly.com", Logo: "huddly",
		Tagline: "Intelligent video conferencing cameras",
		About:   "AI video conferencing cameras: Huddly Crew, a multi-camera system with an AI director.",
		Nav:     []link{{"/", "Home", false}, {"/products/crew", "Huddly Crew", false}, {"/contact", "Talk to sales", true}},
		Vendors: []string{"Google Analytics", "Facebook buttons", "X share button"},
		Pages:   map[string]string{"/": "home.html", "/products/crew": "crew.html", "/contact": "contact.html"},
		Forms:   []string{"/contact"},
		Broken: broken{
			Vendor:       "HubSpot",
			HeaderCookie: cookie{Name: "_ga", Value: "GA1.1.873640921.1763800000", MaxAge: 2 * 365 * 86400},
			ScriptCookie: "_gid",
			Category:     "statistics",
		},
	},
}
