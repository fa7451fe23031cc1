package edge

import (
	"net/http"
	"time"

	"github.com/consentry/consentry/consent"
)

// Visitor is what the edge knows of the visitor behind one request: the consent their cookie
// carries, their Global Privacy Control signal, and the decisions that follow for the page's host.
// Hooks find it with VisitorFrom(r.Context()).
type Visitor struct {
	// State is the newest valid consent among the consent cookies of the request, or a State that
	// is not Decided when there is none.
	State consent.State
	// ConsentErr says why there is no decision (consent.ErrNoConsent, consent.ErrMalformed, ...);
	// nil when State.Decided.
	ConsentErr error
	// GPC is true when the request carries "Sec-GPC: 1".
	GPC bool
	// Host is the page's host (the request's Host header, normalized: lower case, no port).
	Host string
	// Decider decides cookies and URLs for this visitor on this host.
	Decider *consent.Decider
}

// ReadVisitor reads the consent of the request's visitor under p at time now.
//
// Every cookie named p.Consent.Cookie is read (a browser sends one per domain and path that holds
// the name: host-only and the shared domain, say) and the newest one that decodes wins. Anything
// malformed, forged, expired or of another revision is no decision, never a grant.
func ReadVisitor(p *consent.Policy, r *http.Request, now time.Time) *Visitor {
	v := &Visitor{
		ConsentErr: consent.ErrNoConsent,
		GPC:        gpcSignal(r.Header),
		Host:       consent.NormalizeHost(r.Host),
	}
	for _, line := range r.Header["Cookie"] {
		for name, value := range consent.ParseCookieHeader(line) {
			if name != p.Consent.Cookie {
				continue
			}
			s, err := p.DecodeState(value, now.Unix())
			switch {
			case err == nil:
				if !v.State.Decided || s.At > v.State.At {
					v.State, v.ConsentErr = s, nil
				}
			case !v.State.Decided && (v.ConsentErr == consent.ErrNoConsent):
				v.ConsentErr = err
			}
		}
	}
	v.Decider = p.Decider(v.State, v.GPC, v.Host)
	return v
}

// gpcSignal reports whether the header carries the Global Privacy Control signal: "Sec-GPC: 1"
// (https://privacycg.github.io/gpc-spec/#the-sec-gpc-header-field-for-http-requests: the only
// valid value is "1"; anything else is no signal).
func gpcSignal(h http.Header) bool {
	for _, v := range h["Sec-Gpc"] {
		if trimOWS(v) == "1" {
			return true
		}
	}
	return false
}

// trimOWS trims optional whitespace (SP and HTAB, RFC 9110 §5.6.3) around a field value.
func trimOWS(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// cookieAllowed is the decision for one cookie name: what the visitor's consent allows under the
// policy (required categories, granted categories and services, undeclared cookies in report mode).
func (v *Visitor) cookieAllowed(name string) bool { return v.Decider.Cookie(name).Allowed }

// filterRequestCookies removes the cookies the visitor's consent does not allow from the Cookie
// header fields of h (the request sent to the origin). Several fields are joined into one with
// "; " (RFC 9113 §8.2.3 allows that for HTTP/2 and HTTP/1.1 has only one). It returns the names
// removed.
func (v *Visitor) filterRequestCookies(h http.Header) (dropped []string) {
	lines := h["Cookie"]
	if len(lines) == 0 {
		return nil
	}
	kept := make([]string, 0, len(lines))
	for _, line := range lines {
		k, d := consent.FilterCookieHeader(line, v.cookieAllowed)
		dropped = append(dropped, d...)
		if k != "" {
			kept = append(kept, k)
		}
	}
	switch len(kept) {
	case 0:
		delete(h, "Cookie")
	case 1:
		h["Cookie"] = kept[:1]
	default:
		joined := kept[0]
		for _, k := range kept[1:] {
			joined += "; " + k
		}
		h["Cookie"] = []string{joined}
	}
	return dropped
}
