package wasm

import (
	"strings"

	"github.com/consentry/consentry/consent"
)

// earlyHosts returns the host patterns ("host" or "*.domain", in the policy's normal form) that the
// engine allows for every visitor, decided or not, on any path that no service claims: the hosts of
// the required categories' services, the policy's first-party patterns and the consent cookie's
// domain. The gate allows them before the engine runs (gate.js, early). A pattern is left out when
// a host it covers is also declared by a service that needs consent (the engine decides such a
// host as that service), and when the engine itself does not allow it for a visitor who has not
// decided and sends the GPC signal.
//
// all reports whether every host the engine allows without consent is in hosts: then a URL that
// the gate holds can only be allowed by consent (or as undeclared, see Policy.Undeclared).
func earlyHosts(p *consent.Policy) (hosts []string, all bool) {
	var gated, candidates []string
	all = true
	for i, s := range p.Services {
		required := p.CategoryOf(i).Required
		for _, h := range s.Hosts {
			switch {
			case !required:
				gated = append(gated, h)
			case strings.ContainsAny(h, "/?"):
				all = false // a required service's path on a host: the gate does not match paths
			default:
				candidates = append(candidates, h)
			}
		}
	}
	candidates = append(candidates, p.FirstParty...)
	if d := strings.TrimPrefix(p.Consent.Domain, "."); d != "" {
		candidates = append(candidates, "*."+d)
	}
	undecided := p.Decider(consent.State{}, true, "consentry-page.invalid")
	allowed := func(host string) bool { return undecided.Host(consent.KindScript, host, "/", false).Allowed }
candidates:
	for _, c := range candidates {
		for _, g := range gated {
			if hostPatternsOverlap(c, g) {
				all = false
				continue candidates
			}
		}
		domain, wild := strings.CutPrefix(c, "*.")
		if !allowed(domain) || wild && !allowed("consentry-probe."+domain) {
			all = false
			continue
		}
		hosts = append(hosts, c)
	}
	return hosts, all
}

// hostPatternsOverlap reports whether some host matches both patterns ("host" or "*.domain", where
// "*.domain" is the domain and every subdomain; a path after the host is ignored).
func hostPatternsOverlap(a, b string) bool {
	cut := func(p string) (string, bool) {
		if i := strings.IndexAny(p, "/?"); i >= 0 {
			p = p[:i]
		}
		return strings.CutPrefix(p, "*.")
	}
	da, wa := cut(a)
	db, wb := cut(b)
	return da == db || wa && strings.HasSuffix(db, "."+da) || wb && strings.HasSuffix(da, "."+db)
}
