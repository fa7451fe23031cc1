package consent

import (
	"strconv"
	"strings"
)

// This file holds the decisions that only the page makes: explicit markup, the consent cookie as
// document.cookie writes it, and what a withdrawal deletes. The page module (wasm/engine) is a thin
// adapter around them.

// CategoryReasons returns, per category index, why the category is granted or not for state and
// the GPC signal: ReasonRequired or ReasonGranted when it is granted (as GrantedCategories says),
// else ReasonGPC, ReasonPending (no decision yet) or ReasonDenied.
func (p *Policy) CategoryReasons(state State, gpc bool) []Reason {
	granted := p.GrantedCategories(state, gpc)
	out := make([]Reason, len(p.Categories))
	for i := range p.Categories {
		c := &p.Categories[i]
		switch {
		case c.Required:
			out[i] = ReasonRequired
		case granted[i]:
			out[i] = ReasonGranted
		case gpc && c.GPC:
			out[i] = ReasonGPC
		case !state.Decided:
			out[i] = ReasonPending
		default:
			out[i] = ReasonDenied
		}
	}
	return out
}

// Markup decides explicit markup, data-consentry="category-or-service" (DESIGN §4): a service id
// is decided as that service, a category id as that category (cats is CategoryReasons for the same
// state and signal as the decider). An id that is neither is decided as an undeclared host: the
// markup names something the policy does not know.
func (d *Decider) Markup(id string, cats []Reason) Decision {
	p := d.policy
	if i, ok := p.serviceIndex[id]; ok {
		return d.service(ref{int32(i), -1})
	}
	i, ok := p.categoryIndex[id]
	if !ok || i >= len(cats) {
		return undeclared(p.Undeclared.Hosts)
	}
	r := cats[i]
	return Decision{Allowed: r == ReasonRequired || r == ReasonGranted, Category: p.Categories[i].ID, Reason: r, Item: -1}
}

// Revokes reports whether moving from the decisions of before to those of after withdraws
// something: a service allowed before is denied after. The page then deletes what the revoked
// services stored and reloads, so that code already running stops (DESIGN §4).
func Revokes(before, after *Decider) bool {
	for i := range after.allowed {
		if i < len(before.allowed) && before.allowed[i] && !after.allowed[i] {
			return true
		}
	}
	return false
}

// DeniedCookies returns the names among present that belong to a declared service the decider
// denies: the cookies a withdrawal deletes. Undeclared cookies are left alone even when the policy
// blocks undeclared writes: they may be the site's own server-set cookies, and deleting them would
// break the site rather than protect the visitor.
func (d *Decider) DeniedCookies(present []string) []string {
	var out []string
	for _, n := range present {
		if dec := d.Cookie(n); !dec.Allowed && dec.Service != "" && indexOfString(out, n) < 0 {
			out = append(out, n)
		}
	}
	return out
}

// DeniedStorage is DeniedCookies for localStorage and sessionStorage keys.
func (d *Decider) DeniedStorage(keys []string) []string {
	var out []string
	for _, k := range keys {
		if dec := d.Storage(k); !dec.Allowed && dec.Service != "" && indexOfString(out, k) < 0 {
			out = append(out, k)
		}
	}
	return out
}

// ConsentCookieLine returns what the page writes to document.cookie to store value (EncodeState):
// the policy's cookie name, Path=/, SameSite=Lax, Max-Age of the consent lifetime, Secure on https
// pages, and Domain=the policy's consent domain when the page's host is that domain or under it
// (elsewhere the browser would reject the cookie, so it is host-only there). DESIGN §3.
func (p *Policy) ConsentCookieLine(value, pageHost string, secure bool) string {
	var b strings.Builder
	b.WriteString(p.Consent.Cookie)
	b.WriteByte('=')
	b.WriteString(value)
	b.WriteString("; Path=/; SameSite=Lax")
	if p.Consent.Lifetime > 0 {
		b.WriteString("; Max-Age=")
		b.WriteString(strconv.FormatInt(p.Consent.Lifetime, 10))
	}
	host := NormalizeHost(pageHost)
	if dom := p.Consent.Domain; dom != "" && (host == dom || strings.HasSuffix(host, "."+dom)) {
		b.WriteString("; Domain=")
		b.WriteString(dom)
	}
	if secure {
		b.WriteString("; Secure")
	}
	return b.String()
}

// HeldCookie is a cookie the browser holds as the Cookie Store API reports it (cookieStore.getAll):
// its Domain attribute ("" for a host-only cookie) and path.
type HeldCookie struct {
	Name, Domain, Path string
}

// PageExpiryLines returns the document.cookie writes that delete the cookies named: for each one
// the browser reported (held), its exact domain and path; and for every name, each domain and path
// variant ExpiryLines gives for the page, down to the registrable domain. The page cannot compute
// the registrable domain without the public suffix list (too big for the page), so it takes the
// shortest domain the browser reported for a cookie of this host (no page can set a cookie above
// its registrable domain), or else the host's last two labels:
// a variant on a public suffix (co.uk) is one the browser refuses to write, so it deletes nothing,
// and no variant on the registrable domain is missed. Lines with HttpOnly are left out: the
// browser ignores them in document.cookie, and no page script can delete such a cookie.
func PageExpiryLines(names []string, held []HeldCookie, host, path string, secure bool) []string {
	host = NormalizeHost(host)
	registrable := ""
	for _, h := range held {
		d := strings.TrimPrefix(strings.ToLower(h.Domain), ".")
		if d != "" && (host == d || strings.HasSuffix(host, "."+d)) && (registrable == "" || len(d) < len(registrable)) {
			registrable = d
		}
	}
	if registrable == "" {
		registrable = lastLabels(host, 2)
	}
	var lines []string
	for _, h := range held {
		if indexOfString(names, h.Name) < 0 || h.Path == "" {
			continue
		}
		d := strings.TrimPrefix(h.Domain, ".")
		lines = append(lines, expiryLine(h.Name, h.Path, d, secure || cookiePrefixIs(h.Name, "__secure-"), false))
	}
	for _, l := range ExpiryLines(names, host, registrable, path, secure) {
		if !strings.HasSuffix(l, "; HttpOnly") && indexOfString(lines, l) < 0 {
			lines = append(lines, l)
		}
	}
	return lines
}

// lastLabels returns the last n labels of host (all of it when it has fewer), or host itself for an
// IPv6 literal.
func lastLabels(host string, n int) string {
	if strings.HasPrefix(host, "[") {
		return host
	}
	i := len(host)
	for ; n > 0; n-- {
		j := strings.LastIndexByte(host[:i], '.')
		if j < 0 {
			return host
		}
		i = j
	}
	return host[i+1:]
}
