// Package consent is Consentry's engine: the policy model and its loader, the consent state and its
// cookie codec, decisions for cookies, storage keys and URLs, and Set-Cookie filtering.
//
// It is pure Go and is linked into the page's WebAssembly module as well as the edge worker, so it
// imports neither fmt, encoding/json, regexp nor reflect (a test guards this): every byte it adds is
// downloaded by every visitor.
package consent

// Policy is a site's compiled cookie policy: what it uses, grouped into the categories a visitor
// consents to. A Policy is built by Load (from the JSON policy file) or ReadCompiled (from the compact
// form the page module embeds), is immutable afterwards and safe for concurrent use.
type Policy struct {
	Site       string
	Languages  []string // the first is the default
	Regime     Regime
	PolicyURL  string
	FirstParty []string // host patterns that count as first party besides the page's own host

	Consent     ConsentSettings
	Undeclared  UndeclaredSettings
	ConsentMode ConsentModeSettings
	CSP         CSPMode
	Banner      BannerSettings

	// Texts overrides the banner's built-in words: text key (one of BannerTextKeys) → language →
	// text. Nil when the policy overrides none.
	Texts map[string]Text

	Categories []Category
	Services   []Service // includes the built-in "consentry" service for the consent cookie

	// Revision identifies what a visitor consents to: a hash of the categories, the services and what
	// they match, and the file's own "revision". A consent given for another revision is no decision.
	Revision string
	// SourceRevision is the "revision" field of the file, as written (may be empty).
	SourceRevision string

	categoryIndex map[string]int
	serviceIndex  map[string]int
	cookies       nameMatcher
	storage       nameMatcher
	hosts         hostMatcher
	firstParty    hostMatcher
}

// Regime says what applies before the visitor decides.
type Regime uint8

const (
	// OptIn grants nothing but required categories until the visitor decides (GDPR, ePrivacy).
	OptIn Regime = iota
	// OptOut grants everything until the visitor decides otherwise (for example CCPA); categories
	// marked for GPC are still denied when the browser sends the Global Privacy Control signal.
	OptOut
)

func (r Regime) String() string {
	if r == OptOut {
		return "opt-out"
	}
	return "opt-in"
}

// ConsentSettings configures the consent cookie and what is done with a decision.
type ConsentSettings struct {
	Cookie          string // cookie name, default "consentry"
	Domain          string // cookie Domain attribute; "" means host-only
	Lifetime        int64  // how long a decision holds, in seconds
	ReceiptEndpoint string // where decisions are POSTed; "" for none
}

// DefaultConsentCookie is the consent cookie's name unless the policy names another.
const DefaultConsentCookie = "consentry"

// DefaultLifetimeDays is how long a decision holds unless the policy says otherwise.
const DefaultLifetimeDays = 365

// UndeclaredMode says what happens to a cookie, storage key or third-party host no service declares.
type UndeclaredMode uint8

const (
	// Block treats an undeclared item as belonging to no granted category.
	Block UndeclaredMode = iota
	// Report lets it through and reports it (for sites rolling Consentry out).
	Report
)

func (m UndeclaredMode) String() string {
	if m == Report {
		return "report"
	}
	return "block"
}

// UndeclaredSettings holds the undeclared mode of each kind of item.
type UndeclaredSettings struct {
	Cookies, Storage, Hosts UndeclaredMode
}

// ConsentModeSettings holds the Google Consent Mode v2 options of the policy.
type ConsentModeSettings struct {
	WaitForUpdate    int // milliseconds; 0 omits wait_for_update
	AdsDataRedaction bool
	URLPassthrough   bool
}

// BannerSettings says how the page shows the banner.
type BannerSettings struct {
	// Modal makes the first layer a modal dialog (the page is inert until the visitor chooses)
	// instead of a non-blocking bar.
	Modal bool
	// Button shows a small floating button that reopens the preferences once the visitor decided.
	Button bool
}

// BannerTextKeys are the keys of the banner's texts that a policy may override ("texts"), in the
// order the page module's tables keep them (wasm/banner). Texts may contain {site}, and the
// placeholder's {service} and {category}; gpc has {categories}.
var BannerTextKeys = [...]string{
	"title", "description", "acceptAll", "rejectAll", "preferences",
	"preferencesTitle", "preferencesDescription", "save", "close", "alwaysActive",
	"services", "cookies", "storage", "name", "expiry", "purpose",
	"privacyPolicy", "cookiePolicy", "gpc", "gpcDenied",
	"placeholder", "placeholderText", "loadOnce", "alwaysAllow", "reopen",
}

// CSPMode says whether the edge sends a consent-derived Content-Security-Policy.
type CSPMode uint8

const (
	CSPOff CSPMode = iota
	CSPEnforce
	CSPReportOnly
)

func (m CSPMode) String() string {
	switch m {
	case CSPEnforce:
		return "enforce"
	case CSPReportOnly:
		return "report-only"
	}
	return "off"
}

// Category is a purpose the visitor consents to (or not) as a whole.
type Category struct {
	ID          string
	Required    bool // always granted: strictly necessary
	Label       Text
	Description Text
	ConsentMode []string // Google Consent Mode types this category stands for
	GPC         bool     // denied whenever the browser sends the Global Privacy Control signal
}

// Service is one vendor or first-party feature: what it loads from and what it stores.
type Service struct {
	ID          string
	Category    int // index into Policy.Categories
	Provider    string
	Description Text
	PrivacyURL  string
	Catalogue   string   // the catalogue entry it was resolved from, if any
	Hosts       []string // "host", "*.domain", optionally followed by a path prefix ("host/gtag/js?id=G-")
	Cookies     []Item
	Storage     []Item
}

// Item is one declared cookie or storage key.
type Item struct {
	Name        string // exact, or a glob with '*'
	Expiry      Expiry
	ExpiryNote  Text
	Description Text
	Domain      string // the domain the cookie is set on, when not the site's (third-party cookies)
}

// CategoryOf returns the category of service i.
func (p *Policy) CategoryOf(service int) *Category {
	return &p.Categories[p.Services[service].Category]
}

// CategoryIndex returns the index of the category with the given id.
func (p *Policy) CategoryIndex(id string) (int, bool) {
	i, ok := p.categoryIndex[id]
	return i, ok
}

// ServiceIndex returns the index of the service with the given id.
func (p *Policy) ServiceIndex(id string) (int, bool) {
	i, ok := p.serviceIndex[id]
	return i, ok
}

// DefaultLanguage is the language texts fall back to.
func (p *Policy) DefaultLanguage() string {
	if len(p.Languages) == 0 {
		return "en"
	}
	return p.Languages[0]
}
