package consent

// Kind is what a URL is loaded as. Decisions do not depend on it today (a vendor host is a vendor
// host whatever loads it); it is carried into reports so that QA can tell a pixel from a script.
type Kind uint8

const (
	KindScript Kind = iota
	KindFrame
	KindImage
	KindConnect // fetch, XMLHttpRequest, sendBeacon, WebSocket, EventSource
	KindStyle
)

var kindNames = [...]string{"script", "frame", "image", "connect", "style"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// ParseKind is the inverse of Kind.String.
func ParseKind(s string) (Kind, bool) {
	for i, n := range kindNames {
		if n == s {
			return Kind(i), true
		}
	}
	return 0, false
}

// Reason says why a decision came out the way it did.
type Reason uint8

const (
	// ReasonRequired: the item belongs to a required (strictly necessary) category.
	ReasonRequired Reason = iota
	// ReasonGranted: its category (or the service itself) is granted.
	ReasonGranted
	// ReasonPending: not granted because the visitor has not decided yet (opt-in).
	ReasonPending
	// ReasonDenied: the visitor did not grant its category or service.
	ReasonDenied
	// ReasonGPC: denied by the browser's Global Privacy Control signal.
	ReasonGPC
	// ReasonFirstParty: a URL of the site itself that no service claims.
	ReasonFirstParty
	// ReasonUndeclared: no service declares it and the policy blocks undeclared items.
	ReasonUndeclared
	// ReasonUndeclaredReported: no service declares it; the policy lets it through and reports it.
	ReasonUndeclaredReported
	// ReasonNoRequest: the URL contacts no host (data:, javascript:, about:blank).
	ReasonNoRequest
)

var reasonNames = [...]string{"required", "granted", "pending", "denied", "gpc", "first-party",
	"undeclared", "undeclared-reported", "no-request"}

func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "unknown"
}

// Decision is the verdict on one cookie, storage key or URL.
type Decision struct {
	Allowed  bool
	Category string // "" when undeclared
	Service  string // "" when undeclared
	Reason   Reason
	// Item is the index of the matching declared cookie or storage key in the service's list,
	// or -1 (URLs, undeclared items).
	Item int
}

// Decider answers decisions for one visitor's consent on one page. Build it with Policy.Decider
// whenever the consent changes; its methods do not allocate and are safe for concurrent use.
type Decider struct {
	policy   *Policy
	pageHost string
	allowed  []bool   // per service: effective permission
	why      []Reason // per service: reason for the decision
}

// Decider returns the decisions for state on a page served from pageHost ("" when unknown, e.g.
// at the edge before the Host header is read). gpc is the browser's Global Privacy Control signal.
//
// A state that is not Decided (no cookie, a malformed or expired one, one for another revision)
// grants only required categories under OptIn, and everything but GPC-marked categories under
// OptOut. A category marked for GPC is denied whenever gpc is set, whatever the state says: the
// signal is the visitor's standing instruction.
func (p *Policy) Decider(state State, gpc bool, pageHost string) *Decider {
	d := &Decider{
		policy:   p,
		pageHost: normalizeHost(stripPort(pageHost)),
		allowed:  make([]bool, len(p.Services)),
		why:      make([]Reason, len(p.Services)),
	}
	cats := p.GrantedCategories(state, gpc)
	for i := range p.Services {
		s := &p.Services[i]
		c := &p.Categories[s.Category]
		switch {
		case c.Required:
			d.allowed[i], d.why[i] = true, ReasonRequired
		case gpc && c.GPC:
			d.why[i] = ReasonGPC
		case !state.Decided:
			if cats[s.Category] {
				d.allowed[i], d.why[i] = true, ReasonGranted
			} else {
				d.why[i] = ReasonPending
			}
		default:
			// An explicit per-service choice overrides the category's.
			granted := cats[s.Category]
			if contains(state.GrantedServices, s.ID) {
				granted = true
			} else if contains(state.DeniedServices, s.ID) {
				granted = false
			}
			d.allowed[i] = granted
			if granted {
				d.why[i] = ReasonGranted
			} else {
				d.why[i] = ReasonDenied
			}
		}
	}
	return d
}

// GrantedCategories returns, per category index, whether state grants it (required categories
// always; GPC-marked ones never when gpc is set; see Decider for undecided states).
func (p *Policy) GrantedCategories(state State, gpc bool) []bool {
	cats := make([]bool, len(p.Categories))
	for i := range p.Categories {
		c := &p.Categories[i]
		switch {
		case c.Required:
			cats[i] = true
		case gpc && c.GPC:
		case !state.Decided:
			cats[i] = p.Regime == OptOut
		default:
			for _, g := range state.Granted {
				if g == c.ID {
					cats[i] = true
					break
				}
			}
		}
	}
	return cats
}

// Policy returns the policy the decider decides by.
func (d *Decider) Policy() *Policy { return d.policy }

// ServiceAllowed reports the effective permission of service i.
func (d *Decider) ServiceAllowed(i int) bool { return d.allowed[i] }

func (d *Decider) service(r ref) Decision {
	s := &d.policy.Services[r.service]
	return Decision{
		Allowed:  d.allowed[r.service],
		Category: d.policy.Categories[s.Category].ID,
		Service:  s.ID,
		Reason:   d.why[r.service],
		Item:     int(r.item),
	}
}

func undeclared(mode UndeclaredMode) Decision {
	if mode == Report {
		return Decision{Allowed: true, Reason: ReasonUndeclaredReported, Item: -1}
	}
	return Decision{Reason: ReasonUndeclared, Item: -1}
}

// Cookie decides a cookie by its name (document.cookie, Set-Cookie, the Cookie header).
func (d *Decider) Cookie(name string) Decision {
	if r := d.policy.cookies.match(name); r.service >= 0 {
		return d.service(r)
	}
	return undeclared(d.policy.Undeclared.Cookies)
}

// Storage decides a localStorage or sessionStorage key.
func (d *Decider) Storage(key string) Decision {
	if r := d.policy.storage.match(key); r.service >= 0 {
		return d.service(r)
	}
	return undeclared(d.policy.Undeclared.Storage)
}

// URL decides a request to rawURL, resolved against the page (https unless pageScheme says
// otherwise). A URL is first party when it is relative or its host is the page's host, one of the
// policy's firstParty hosts, or under the consent cookie's domain; it is allowed unless a service
// claims it. A third-party URL is decided by the service that claims it, or as undeclared.
func (d *Decider) URL(kind Kind, rawURL string) Decision {
	return d.URLOn(kind, rawURL, "https")
}

// URLOn is URL for a page with the given scheme ("http" or "https").
func (d *Decider) URLOn(kind Kind, rawURL, pageScheme string) Decision {
	t := parseTarget(rawURL, pageScheme)
	host := t.host
	if t.relative {
		host = d.pageHost
	} else if host == "" {
		return Decision{Allowed: true, Reason: ReasonNoRequest, Item: -1}
	}
	return d.Host(kind, host, t.path, t.relative)
}

// Host decides a request to a host already normalized (lower case, punycode, no port) and its path
// with query. relative says the URL had no host of its own (it is the page's origin).
func (d *Decider) Host(kind Kind, host, path string, relative bool) Decision {
	if r := d.policy.hosts.match(host, path); r.service >= 0 {
		return d.service(r)
	}
	if relative || d.policy.IsFirstParty(host, d.pageHost) {
		return Decision{Allowed: true, Reason: ReasonFirstParty, Item: -1}
	}
	return undeclared(d.policy.Undeclared.Hosts)
}

// IsFirstParty reports whether host (normalized) is the site's own: the page's host, a firstParty
// pattern of the policy, or the consent cookie's domain or one of its subdomains.
func (p *Policy) IsFirstParty(host, pageHost string) bool {
	if host == "" || host == pageHost {
		return true
	}
	if !p.firstParty.empty() && p.firstParty.match(host, "").service >= 0 {
		return true
	}
	if dom := p.Consent.Domain; dom != "" {
		return host == dom || (len(host) > len(dom) && host[len(host)-len(dom)-1] == '.' &&
			host[len(host)-len(dom):] == dom)
	}
	return false
}

// NormalizeHost returns a host in the form decisions compare: lower case, no port, no trailing dot,
// Unicode labels in punycode.
func NormalizeHost(host string) string { return normalizeHost(stripPort(host)) }

func stripPort(h string) string {
	if len(h) > 0 && h[0] == '[' {
		for i := 0; i < len(h); i++ {
			if h[i] == ']' {
				return h[:i+1]
			}
		}
		return h
	}
	for i := len(h) - 1; i >= 0; i-- {
		if h[i] == ':' {
			return h[:i]
		}
		if h[i] < '0' || h[i] > '9' {
			break
		}
	}
	return h
}
