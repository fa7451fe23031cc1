package audit

import "time"

// Report is what one page did in one consent state: every cookie in the browser's jar, every
// storage key, every request to a third party and every script that ran, each with the policy's
// decision, and the violations among them. The JSON field names are stable.
type Report struct {
	URL      string `json:"url"`                // the URL asked for
	FinalURL string `json:"finalUrl,omitempty"` // where the page ended up, when it differs (redirects)
	Status   int    `json:"status,omitempty"`   // HTTP status of the page's document
	// Consent is the state the page was opened in, as Choice.String writes it, and GPC whether
	// the browser sent the Global Privacy Control signal.
	Consent string `json:"consent"`
	GPC     bool   `json:"gpc,omitempty"`
	// Granted lists the categories the policy grants in this state (required ones included,
	// GPC-marked ones left out when GPC is on).
	Granted []string `json:"granted"`

	Time     time.Time     `json:"time"`       // when the page was opened
	Duration time.Duration `json:"durationNs"` // from navigation to the end of the observation

	Cookies  []Cookie     `json:"cookies"`
	Storage  []StorageKey `json:"storage"`
	Requests []Request    `json:"requests"`
	Scripts  []Script     `json:"scripts"`
	Frames   []string     `json:"frames,omitempty"` // URLs of the page's iframes

	// Violations are what the policy does not allow: items of categories not granted, undeclared
	// items where the policy blocks them, cookies that live longer than declared.
	Violations []Finding `json:"violations"`
	// Warnings are undeclared items the policy lets through and reports ("undeclared": "report").
	Warnings []Finding `json:"warnings"`
	// Notes say what the audit could not observe (a frame in another process, a page that did not
	// settle in time); they are no verdict on the site.
	Notes []string `json:"notes,omitempty"`

	Links      []string `json:"links,omitempty"` // same-site links of the page, for Crawl
	Screenshot []byte   `json:"-"`               // JPEG of the viewport, with the Screenshot option
}

// State names the report's consent state with its GPC signal: "none", "all+gpc".
func (r *Report) State() string {
	if r.GPC {
		return r.Consent + "+gpc"
	}
	return r.Consent
}

// Decision is the policy's verdict on one item, as consent.Decision gives it, with the reason
// spelled out.
type Decision struct {
	Allowed  bool   `json:"allowed"`
	Category string `json:"category,omitempty"` // "" when undeclared
	Service  string `json:"service,omitempty"`  // "" when undeclared
	// Reason is one of required, granted, pending, denied, gpc, first-party, undeclared,
	// undeclared-reported, no-request (see consent.Reason).
	Reason string `json:"reason"`
	// Vendor is the catalogue vendor an undeclared item probably belongs to ("meta-pixel"),
	// when the built-in catalogue knows its name or host.
	Vendor     string `json:"vendor,omitempty"`
	VendorName string `json:"vendorName,omitempty"`
}

// Set-by values of Cookie.SetBy and StorageKey.SetBy.
const (
	SetByHeader = "header" // a Set-Cookie response header
	SetByScript = "script" // document.cookie, cookieStore, or (storage) any script
	SetByAudit  = "audit"  // the consent cookie the audit wrote for the consent state
	// SetByUnknown: no write was seen, so it came from where the audit could not look: a frame or
	// worker in a process of its own (see Report.Notes), a service worker's response.
	SetByUnknown = "unknown"
)

// Cookie is one cookie the browser held at the end of the visit.
type Cookie struct {
	Name   string `json:"name"`
	Domain string `json:"domain"` // ".example.com" for a domain cookie, the host for a host-only one
	Path   string `json:"path"`
	// Expires is when the browser will drop it; nil for a session cookie.
	Expires  *time.Time `json:"expires,omitempty"`
	HTTPOnly bool       `json:"httpOnly,omitempty"`
	Secure   bool       `json:"secure,omitempty"`
	SameSite string     `json:"sameSite,omitempty"`
	// ThirdParty reports a cookie outside the page's site (registrable domain).
	ThirdParty bool `json:"thirdParty,omitempty"`
	// SetBy says who wrote it (SetByHeader, SetByScript, SetByAudit, SetByUnknown) and Source where
	// from: the response URL of a header, the URL of the script that wrote it when its stack
	// showed one.
	SetBy    string   `json:"setBy"`
	Source   string   `json:"source,omitempty"`
	Declared string   `json:"declaredExpiry,omitempty"` // the expiry its declaration gives
	Decision Decision `json:"decision"`
}

// StorageKey is one localStorage or sessionStorage key present at the end of the visit.
type StorageKey struct {
	Origin string `json:"origin"`
	Area   string `json:"area"` // "local" or "session"
	Key    string `json:"key"`
	// Source is the URL of the script that called setItem for it, when its stack showed one.
	Source   string   `json:"source,omitempty"`
	Decision Decision `json:"decision"`
}

// Request is a request the page made to a third party, or to a first-party URL a service
// claims. Requests to the site itself are left out.
type Request struct {
	URL  string `json:"url"`
	Kind string `json:"kind"` // script, frame, image, connect or style (consent.Kind)
	Type string `json:"type"` // Chromium's resource type: Script, Image, Ping, XHR, Document, ...
	// Initiator is the URL of the document or script that caused the request, when known.
	Initiator string `json:"initiator,omitempty"`
	Count     int    `json:"count"` // how many times the page requested the URL
	// Blocked is why the browser did not send it (Chromium's reason: csp, mixed-content, ...);
	// a blocked request reached nobody and is no violation.
	Blocked  string   `json:"blocked,omitempty"`
	Decision Decision `json:"decision"`
}

// Script is a script that ran (was parsed by the page's JavaScript engine), by URL.
type Script struct {
	URL string `json:"url"`
	// Inline reports inline scripts of a document (their URL is the document's).
	Inline   bool     `json:"inline,omitempty"`
	Decision Decision `json:"decision"`
}

// Rules of Finding.Rule.
const (
	// RuleNotGranted: a declared item whose category (or service) the state does not grant.
	RuleNotGranted = "not-granted"
	// RuleUndeclared: an item no service declares (a violation where the policy blocks
	// undeclared items, a warning where it reports them).
	RuleUndeclared = "undeclared"
	// RuleOutlivesDeclaration: a cookie whose expiry is later than its declaration allows.
	RuleOutlivesDeclaration = "outlives-declaration"
)

// Items of Finding.Item.
const (
	ItemCookie  = "cookie"
	ItemStorage = "storage"
	ItemRequest = "request"
	ItemScript  = "script"
)

// Finding is one violation or warning.
type Finding struct {
	Rule string `json:"rule"` // RuleNotGranted, RuleUndeclared or RuleOutlivesDeclaration
	Item string `json:"item"` // ItemCookie, ItemStorage, ItemRequest or ItemScript
	// Name is the cookie name, storage key or URL; Where the cookie's domain or the storage's
	// origin.
	Name     string `json:"name"`
	Where    string `json:"where,omitempty"`
	Service  string `json:"service,omitempty"`
	Category string `json:"category,omitempty"`
	Vendor   string `json:"vendor,omitempty"` // catalogue vendor of an undeclared item
	// Message says it in a sentence, for people.
	Message string `json:"message"`
}
