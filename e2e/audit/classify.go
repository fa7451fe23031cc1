package audit

import (
	"cmp"
	"fmt"
	"math"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/publicsuffix"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/consent/catalogue"
)

// observation is what the browser showed of one visit, before any policy is applied. Run fills it
// from the DevTools protocol and classify turns it into a Report; the tests of classify build
// observations by hand, without a browser.
type observation struct {
	url, finalURL string
	status        int
	start, end    time.Time // end is "now" for cookie lifetimes

	requests []observedRequest
	scripts  []string // URLs of the scripts parsed, in order, repeats included
	// documents are the URLs of the documents loaded (page and frames): a script parsed with a
	// document's URL is one of its inline scripts.
	documents []string
	frames    []string // iframe URLs

	// writes are the cookie and storage writes seen, in order: Set-Cookie lines the browser
	// stored, and document.cookie, cookieStore and setItem calls the page's scripts made.
	writes []write
	// consentCookie is the name of the consent cookie the audit wrote, "" for none.
	consentCookie string

	jar     []observedCookie
	storage []observedStorage

	links      []string
	notes      []string
	screenshot []byte
}

type observedRequest struct {
	url          string
	resourceType string // Chromium's: Document, Script, Image, Ping, ...
	initiator    string
	blocked      string // Chromium's blocked reason, "" when sent
	mainDocument bool   // the page's own document (navigation and redirects)
}

// write is one cookie or storage write: by a response header (source is the response URL) or by
// a script (source is the script's URL when its stack showed one).
type write struct {
	kind   string // ItemCookie or ItemStorage
	setBy  string // SetByHeader or SetByScript
	name   string // cookie name or storage key
	source string
}

type observedCookie struct {
	name, domain, path string
	expires            float64 // unix seconds; negative for a session cookie
	httpOnly, secure   bool
	sameSite           string
}

type observedStorage struct {
	origin, area, key string
}

// expiryTolerance is how much longer than its declaration a cookie may live before it is
// reported: clocks and rounding (a script's "one year from now" computed a second late), not
// generosity. consent.Expiry.Duration already counts months as 31 days and years as 366.
const expiryTolerance = 2 * time.Minute

// classify applies the policy to what was observed, for the consent choice and GPC signal the page
// was opened with.
func classify(p *consent.Policy, choice Choice, gpc bool, obs *observation) *Report {
	state, _ := choice.state(p) // Run validated the choice
	page := cmp.Or(obs.finalURL, obs.url)
	scheme, host := "https", ""
	if u, err := url.Parse(page); err == nil {
		scheme, host = u.Scheme, u.Hostname()
	}
	d := p.Decider(state, gpc, host)
	r := &Report{
		URL:      obs.url,
		Status:   obs.status,
		Consent:  choice.String(),
		GPC:      gpc,
		Time:     obs.start,
		Duration: obs.end.Sub(obs.start),
		Notes:    obs.notes,
		Links:    siteLinks(page, obs.links),
		Frames:   sortedUnique(obs.frames),

		Screenshot: obs.screenshot,
		Cookies:    []Cookie{},
		Storage:    []StorageKey{},
		Requests:   []Request{},
		Scripts:    []Script{},
		Violations: []Finding{},
		Warnings:   []Finding{},
	}
	if obs.finalURL != obs.url {
		r.FinalURL = obs.finalURL
	}
	granted := p.GrantedCategories(state, gpc)
	for i, cat := range p.Categories {
		if granted[i] {
			r.Granted = append(r.Granted, cat.ID)
		}
	}
	site := registrableDomain(host)

	for _, oc := range sortedCookies(obs.jar) {
		dec := d.Cookie(oc.name)
		c := Cookie{
			Name: oc.name, Domain: oc.domain, Path: oc.path,
			HTTPOnly: oc.httpOnly, Secure: oc.secure, SameSite: oc.sameSite,
			ThirdParty: registrableDomain(strings.TrimPrefix(oc.domain, ".")) != site,
		}
		c.Decision = decision(dec, func() *catalogue.Vendor { return vendorOfCookie(oc.name) })
		if oc.expires >= 0 {
			t := time.Unix(0, int64(oc.expires*1e9)).UTC()
			c.Expires = &t
		}
		c.SetBy, c.Source = setter(obs, ItemCookie, oc.name)
		what := fmt.Sprintf("cookie %q on %s", c.Name, c.Domain)
		r.judge(ItemCookie, c.Name, c.Domain, what, c.Decision, setterDetail(c.SetBy, c.Source))
		if e, ok := declaredExpiry(p, dec, true); ok {
			c.Declared = string(e)
			if msg := outlives(e, c.Expires, obs.end); msg != "" {
				r.Violations = append(r.Violations, Finding{
					Rule: RuleOutlivesDeclaration, Item: ItemCookie, Name: c.Name, Where: c.Domain,
					Service: c.Decision.Service, Category: c.Decision.Category,
					Message: what + " " + msg,
				})
			}
		}
		r.Cookies = append(r.Cookies, c)
	}

	for _, st := range sortedStorage(obs.storage) {
		dec := d.Storage(st.key)
		k := StorageKey{Origin: st.origin, Area: st.area, Key: st.key,
			Decision: decision(dec, func() *catalogue.Vendor { return vendorOfStorage(st.key) })}
		_, k.Source = setter(obs, ItemStorage, st.key)
		what := fmt.Sprintf("%sStorage key %q of %s", st.area, k.Key, k.Origin)
		r.judge(ItemStorage, k.Key, k.Origin, what, k.Decision, setterDetail(SetByScript, k.Source))
		r.Storage = append(r.Storage, k)
	}

	requests := map[string]int{} // URL and type -> index in r.Requests
	for _, or := range obs.requests {
		if or.mainDocument || !isHTTP(or.url) {
			continue
		}
		kind := kindOf(or.resourceType)
		dec := d.URLOn(kind, or.url, scheme)
		if dec.Reason == consent.ReasonFirstParty || dec.Reason == consent.ReasonNoRequest {
			continue
		}
		key := or.url + "\x00" + or.resourceType
		if i, ok := requests[key]; ok {
			r.Requests[i].Count++
			if or.blocked == "" { // one sent copy is enough to count as sent
				r.Requests[i].Blocked = ""
			}
			continue
		}
		requests[key] = len(r.Requests)
		r.Requests = append(r.Requests, Request{
			URL: or.url, Kind: kind.String(), Type: or.resourceType, Initiator: or.initiator,
			Count: 1, Blocked: or.blocked,
			Decision: decision(dec, func() *catalogue.Vendor { return vendorOfURL(or.url) }),
		})
	}
	slices.SortStableFunc(r.Requests, func(a, b Request) int {
		return cmp.Or(strings.Compare(a.URL, b.URL), strings.Compare(a.Type, b.Type))
	})
	for _, rq := range r.Requests {
		if rq.Blocked != "" {
			continue
		}
		detail := ""
		if rq.Initiator != "" {
			detail = "initiated by " + rq.Initiator
		}
		r.judge(ItemRequest, rq.URL, "", rq.Kind+" request to "+rq.URL, rq.Decision, detail)
	}

	for _, u := range sortedUnique(obs.scripts) {
		if !isHTTP(u) {
			continue
		}
		s := Script{URL: u, Inline: slices.Contains(obs.documents, u),
			Decision: decision(d.URLOn(consent.KindScript, u, scheme), func() *catalogue.Vendor { return vendorOfURL(u) })}
		what := "script " + u
		if s.Inline {
			what = "inline script of " + u
		}
		r.judge(ItemScript, u, "", what, s.Decision, "")
		r.Scripts = append(r.Scripts, s)
	}
	return r
}

// decision converts the engine's decision and, for an undeclared item, names the catalogue vendor
// that vendor finds.
func decision(d consent.Decision, vendor func() *catalogue.Vendor) Decision {
	out := Decision{Allowed: d.Allowed, Category: d.Category, Service: d.Service, Reason: d.Reason.String()}
	if d.Reason == consent.ReasonUndeclared || d.Reason == consent.ReasonUndeclaredReported {
		if v := vendor(); v != nil {
			out.Vendor, out.VendorName = v.ID, v.Name
		}
	}
	return out
}

// judge adds the finding the decision calls for, if any: what describes the item for people,
// detail (may be "") says more about where it came from.
func (r *Report) judge(item, name, where, what string, d Decision, detail string) {
	f := Finding{Item: item, Name: name, Where: where, Service: d.Service, Category: d.Category, Vendor: d.Vendor}
	switch d.Reason {
	case consent.ReasonUndeclared.String(), consent.ReasonUndeclaredReported.String():
		f.Rule = RuleUndeclared
		f.Message = what + " is not declared by any service"
		if d.Vendor != "" {
			f.Message += fmt.Sprintf(" (probably %s, catalogue %q)", d.VendorName, d.Vendor)
		}
	case consent.ReasonPending.String(), consent.ReasonDenied.String(), consent.ReasonGPC.String():
		f.Rule = RuleNotGranted
		f.Message = fmt.Sprintf("%s belongs to %s (%s), which is not granted: %s", what, d.Service, d.Category, reasonText[d.Reason])
	default:
		return
	}
	if detail != "" {
		f.Message += "; " + detail
	}
	if d.Allowed {
		r.Warnings = append(r.Warnings, f)
	} else {
		r.Violations = append(r.Violations, f)
	}
}

var reasonText = map[string]string{
	consent.ReasonPending.String(): "the visitor has not decided yet",
	consent.ReasonDenied.String():  "the visitor did not grant it",
	consent.ReasonGPC.String():     "denied by the Global Privacy Control signal",
}

func setterDetail(setBy, source string) string {
	switch {
	case source == "":
		return ""
	case setBy == SetByHeader:
		return "set by a Set-Cookie header of " + source
	}
	return "set by script " + source
}

// setter says who wrote a cookie or storage key last: a header or a script, with its source, or
// the audit (the consent cookie). The probe sees every script write in the frames the audit
// observes (with an empty source when the stack shows no URL), and the network events every
// header, so a cookie of no write seen came from somewhere the audit could not observe.
func setter(obs *observation, kind, name string) (setBy, source string) {
	for i := len(obs.writes) - 1; i >= 0; i-- {
		if w := obs.writes[i]; w.kind == kind && w.name == name {
			return w.setBy, w.source
		}
	}
	if kind == ItemCookie && name == obs.consentCookie {
		return SetByAudit, ""
	}
	return SetByUnknown, ""
}

// declaredExpiry is the expiry the declaration of a cookie (or storage key) gives.
func declaredExpiry(p *consent.Policy, d consent.Decision, cookie bool) (consent.Expiry, bool) {
	i, ok := p.ServiceIndex(d.Service)
	if !ok || d.Item < 0 {
		return "", false
	}
	items := p.Services[i].Cookies
	if !cookie {
		items = p.Services[i].Storage
	}
	if d.Item >= len(items) || items[d.Item].Expiry == "" {
		return "", false
	}
	return items[d.Item].Expiry, true
}

// outlives says how a cookie expiring at expires (nil: a session cookie) outlives its declared
// expiry, seen at now, or "" when it does not.
func outlives(declared consent.Expiry, expires *time.Time, now time.Time) string {
	switch {
	case expires == nil || declared == consent.ExpiryPersistent:
		return ""
	case declared == consent.ExpirySession:
		return fmt.Sprintf("lives %s, past the session its declaration allows", lifetime(expires.Sub(now)))
	}
	maxSeconds, ok := declared.Seconds()
	max := time.Duration(maxSeconds) * time.Second
	if !ok {
		return ""
	}
	if left := expires.Sub(now); left > max+expiryTolerance {
		return fmt.Sprintf("lives %s, longer than the %s its declaration allows", lifetime(left), declared)
	}
	return ""
}

// lifetime writes a duration the way people read cookie lifetimes: "400 days", "5 hours".
func lifetime(d time.Duration) string {
	unit, n := "minute", math.Round(d.Minutes())
	switch {
	case d >= 48*time.Hour:
		unit, n = "day", math.Round(d.Hours()/24)
	case d >= 2*time.Hour:
		unit, n = "hour", math.Round(d.Hours())
	}
	s := strconv.FormatFloat(n, 'f', 0, 64) + " " + unit
	if n != 1 {
		s += "s"
	}
	return s
}

// kindOf maps Chromium's resource types to the engine's kinds.
func kindOf(resourceType string) consent.Kind {
	switch resourceType {
	case "Script":
		return consent.KindScript
	case "Document":
		return consent.KindFrame
	case "Image", "Media":
		return consent.KindImage
	case "Stylesheet", "Font":
		return consent.KindStyle
	}
	return consent.KindConnect // XHR, Fetch, Ping (beacons), EventSource, WebSocket, Other, ...
}

func vendorOfCookie(name string) *catalogue.Vendor {
	v, _, _ := catalogue.MatchCookie(name)
	return v
}

func vendorOfStorage(key string) *catalogue.Vendor {
	v, _, _ := catalogue.MatchStorage(key)
	return v
}

func vendorOfURL(raw string) *catalogue.Vendor {
	u, err := url.Parse(raw)
	if err != nil {
		return nil
	}
	v, _ := catalogue.MatchHost(consent.NormalizeHost(u.Host))
	return v
}

func isHTTP(raw string) bool {
	return strings.HasPrefix(raw, "https://") || strings.HasPrefix(raw, "http://")
}

// registrableDomain is host's registrable domain (eTLD+1, by the public suffix list), or host
// itself for an IP address, a single-label host (localhost) or a public suffix.
func registrableDomain(host string) string {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if net.ParseIP(strings.Trim(host, "[]")) != nil {
		return host
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return host
	}
	return d
}

func sortedUnique(list []string) []string {
	out := slices.Clone(list)
	slices.Sort(out)
	return slices.Compact(out)
}

func sortedCookies(jar []observedCookie) []observedCookie {
	out := slices.Clone(jar)
	slices.SortFunc(out, func(a, b observedCookie) int {
		return cmp.Or(strings.Compare(strings.TrimPrefix(a.domain, "."), strings.TrimPrefix(b.domain, ".")),
			strings.Compare(a.name, b.name), strings.Compare(a.path, b.path), strings.Compare(a.domain, b.domain))
	})
	return out
}

func sortedStorage(keys []observedStorage) []observedStorage {
	out := slices.Clone(keys)
	slices.SortFunc(out, func(a, b observedStorage) int {
		return cmp.Or(strings.Compare(a.origin, b.origin), strings.Compare(a.area, b.area), strings.Compare(a.key, b.key))
	})
	return slices.Compact(out)
}
