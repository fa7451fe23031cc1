package edge

import (
	"net/http"
	"time"

	"golang.org/x/net/publicsuffix"

	"github.com/consentry/consentry/consent"
)

// filterSetCookies removes from h every Set-Cookie line of a cookie the visitor's consent does not
// allow (deletions always pass: consent.FilterSetCookies), and appends the lines that expire the
// cookies in revoke wherever the browser may hold them for this request (consent.ExpiryLines).
//
// The lines are h["Set-Cookie"] one by one: never split or joined on commas, since an Expires date
// contains one. It returns the number of lines removed.
func (v *Visitor) filterSetCookies(h http.Header, revoke []string, r *http.Request, now time.Time) int {
	lines := h["Set-Cookie"]
	removed := 0
	if len(lines) > 0 {
		kept, dropped := consent.FilterSetCookies(lines, v.cookieAllowed, now.Unix())
		removed = len(dropped)
		if removed > 0 {
			if len(kept) == 0 {
				delete(h, "Set-Cookie")
			} else {
				h["Set-Cookie"] = kept
			}
		}
	}
	if len(revoke) > 0 {
		host := hostOnly(r.Host)
		registrable, err := publicsuffix.EffectiveTLDPlusOne(host)
		if err != nil {
			registrable = "" // localhost, an IP address, a public suffix itself: host-only lines only
		}
		expiry := consent.ExpiryLines(revoke, host, registrable, r.URL.EscapedPath(), isHTTPS(r))
		h["Set-Cookie"] = append(h["Set-Cookie"], expiry...)
	}
	return removed
}

// revokedCookies returns the names among dropped (cookies the visitor holds that their consent
// does not allow) that a service declares: the cookies of categories the visitor withdrew or never
// granted. Undeclared cookies are kept from the origin but not deleted: the policy cannot say whose
// they are, and deleting a cookie is not undone by a later grant.
func (v *Visitor) revokedCookies(dropped []string) []string {
	var out []string
	for _, name := range dropped {
		if d := v.Decider.Cookie(name); !d.Allowed && d.Service != "" {
			out = append(out, name)
		}
	}
	return out
}

// hostOnly returns the host of a Host header value, lower-cased, without a port; IPv6 literals keep
// their brackets.
func hostOnly(host string) string {
	if len(host) > 0 && host[0] == '[' {
		for i := 0; i < len(host); i++ {
			if host[i] == ']' {
				return host[:i+1]
			}
		}
		return host
	}
	for i := len(host) - 1; i >= 0; i-- {
		if host[i] == ':' {
			host = host[:i]
			break
		}
		if host[i] < '0' || host[i] > '9' {
			break
		}
	}
	b := []byte(nil)
	for i := 0; i < len(host); i++ {
		if c := host[i]; c >= 'A' && c <= 'Z' {
			if b == nil {
				b = []byte(host)
			}
			b[i] = c + 'a' - 'A'
		}
	}
	if b != nil {
		return string(b)
	}
	return host
}

// isHTTPS reports whether the browser reached the edge over https: natively the connection is TLS,
// on Workers the request URL says so.
func isHTTPS(r *http.Request) bool {
	return r.TLS != nil || r.URL != nil && r.URL.Scheme == "https"
}
