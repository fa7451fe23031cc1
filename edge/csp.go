package edge

import (
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/consentry/consentry/consent"
)

// This file builds the consent-derived Content-Security-Policy (policy setting "csp": "enforce" or
// "report-only"): a policy that lets the page load scripts, images and frames and connect only to
// the site itself and the hosts of the services the visitor granted, so that the browser enforces
// the decision on every request it makes, the preload scanner's and workers' included.
//
// It is sent as a header of its own beside whatever policy the site sends. A browser enforces every
// policy it is given and a request must pass all of them (CSP Level 3 §8.1, "The effect of multiple
// policies"), so this one only ever takes away: it allows inline scripts, eval and WebAssembly
// (which the site's own policy may still forbid) and restricts hosts, nothing else.
//
// Hosts are granular to the host: a service that claims "host/path" contributes "host" (CSP path
// matching is exact unless the path ends in "/", and cannot express a query). The page module
// keeps the finer decisions.

// cspHeader returns the header name and value of the consent-derived policy for this visitor, or
// "" when the policy asks for none.
//
// When the policy lets undeclared hosts through (undeclared.hosts "report"), an enforced CSP would
// block what the policy allows, so it is sent as Content-Security-Policy-Report-Only instead.
func cspHeader(p *consent.Policy, v *Visitor) (name, value string) {
	if name = cspName(p); name == "" {
		return "", ""
	}
	return name, cspValue(p, v)
}

// cspName returns the header the policy asks for, or "".
func cspName(p *consent.Policy) string {
	switch p.CSP {
	case consent.CSPEnforce:
		if p.Undeclared.Hosts == consent.Report {
			return "Content-Security-Policy-Report-Only"
		}
		return "Content-Security-Policy"
	case consent.CSPReportOnly:
		return "Content-Security-Policy-Report-Only"
	}
	return ""
}

// cspValue builds the policy: 'self', the site's first-party hosts and the granted services' hosts
// in script-src, img-src, frame-src and connect-src.
func cspValue(p *consent.Policy, v *Visitor) string {
	var hosts []string
	seen := map[string]bool{}
	add := func(pattern string) {
		for _, src := range cspSources(pattern) {
			if !seen[src] {
				seen[src] = true
				hosts = append(hosts, src)
			}
		}
	}
	for _, fp := range p.FirstParty {
		add(fp)
	}
	if p.Consent.Domain != "" {
		add("*." + p.Consent.Domain)
	}
	for i := range p.Services {
		if !v.Decider.ServiceAllowed(i) {
			continue
		}
		for _, h := range p.Services[i].Hosts {
			add(h)
		}
	}
	connect := hosts
	if u, err := url.Parse(p.Consent.ReceiptEndpoint); err == nil && u.Host != "" && validCSPHost(u.Host) {
		src := u.Host
		if u.Scheme == "https" || u.Scheme == "http" {
			src = u.Scheme + "://" + u.Host
		}
		if !seen[src] {
			connect = append(append([]string(nil), hosts...), src)
		}
	}
	list := strings.Join(hosts, " ")
	var b strings.Builder
	b.Grow(4*len(list) + 160)
	directive := func(name, fixed string, sources []string) {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(name)
		b.WriteString(" 'self'")
		b.WriteString(fixed)
		for _, s := range sources {
			b.WriteByte(' ')
			b.WriteString(s)
		}
	}
	directive("script-src", " 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' blob:", hosts)
	directive("img-src", " data: blob:", hosts)
	directive("frame-src", " blob: data:", hosts)
	directive("connect-src", "", connect)
	return b.String()
}

// cspSources turns a policy host pattern into CSP host-sources: "host" stays, "*.domain" (the
// domain and every subdomain) becomes "domain" and "*.domain" (a CSP wildcard matches subdomains
// only). A path or query is dropped. Patterns that are not plain host names give nothing.
func cspSources(pattern string) []string {
	if i := strings.IndexAny(pattern, "/?"); i >= 0 {
		pattern = pattern[:i]
	}
	if d, ok := strings.CutPrefix(pattern, "*."); ok {
		if !validCSPHost(d) {
			return nil
		}
		return []string{d, "*." + d}
	}
	if !validCSPHost(pattern) {
		return nil
	}
	return []string{pattern}
}

// validCSPHost reports whether h can be written as a CSP host-source: letters, digits, "-" and "."
// (IDN hosts are in punycode in a compiled policy), optionally with a port.
func validCSPHost(h string) bool {
	if h == "" {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

// addCSP adds the consent-derived policy to the response headers h, beside the site's own; cache,
// if not nil, remembers the values.
func addCSP(h http.Header, p *consent.Policy, v *Visitor, cache *cspCache) {
	name := cspName(p)
	if name == "" {
		return
	}
	var value string
	if cache != nil {
		value = cache.value(p, v)
	} else {
		value = cspValue(p, v)
	}
	h[name] = append(h[name], value)
}

// cspCacheSize bounds the number of values a cspCache holds.
const cspCacheSize = 256

// cspCache remembers the policy's value per set of allowed services, which is all it depends on:
// visitors share a few such sets, and building the value is most of what the edge spends on a
// response it passes through. It holds up to cspCacheSize sets (a visitor may choose any
// combination of services: beyond that, values are built per request). The zero value is ready
// to use, for one policy.
type cspCache struct {
	mu     sync.RWMutex
	values map[string]string // by the allowed services, one bit each
}

func (c *cspCache) value(p *consent.Policy, v *Visitor) string {
	var buf [32]byte
	key := buf[:0]
	var bits byte
	for i := range p.Services {
		if v.Decider.ServiceAllowed(i) {
			bits |= 1 << (i % 8)
		}
		if i%8 == 7 {
			key, bits = append(key, bits), 0
		}
	}
	key = append(key, bits)
	c.mu.RLock()
	value, ok := c.values[string(key)]
	c.mu.RUnlock()
	if ok {
		return value
	}
	value = cspValue(p, v)
	c.mu.Lock()
	if c.values == nil {
		c.values = make(map[string]string)
	}
	if len(c.values) < cspCacheSize {
		c.values[string(key)] = value
	}
	c.mu.Unlock()
	return value
}
