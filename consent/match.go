package consent

import "strings"

// ref points at what a pattern belongs to: a service and one of its items (cookie or storage key),
// or item -1 for a host pattern.
type ref struct {
	service, item int32
}

var noRef = ref{-1, -1}

// nameMatcher finds the declared cookie or storage key a name belongs to. Exact names win over
// globs; among prefix globs ("_ga_*") the longest prefix wins; other globs ("AMCV_*AdobeOrg") are
// tried last, in declaration order. A lookup walks the name once and does not allocate, so that the
// page can decide every document.cookie write synchronously.
type nameMatcher struct {
	exact map[string]ref
	trie  []trieNode // trie[0] is the root; prefixes of "prefix*" globs
	globs []globRule
}

type trieNode struct {
	edges []trieEdge
	val   ref
}

type trieEdge struct {
	b    byte
	next int32
}

type globRule struct {
	pattern string
	val     ref
}

// add registers pattern for r. It reports false when the very same pattern was registered before
// (the earlier registration stays).
func (m *nameMatcher) add(pattern string, r ref) bool {
	star := strings.IndexByte(pattern, '*')
	switch {
	case star < 0:
		if m.exact == nil {
			m.exact = make(map[string]ref)
		}
		if _, dup := m.exact[pattern]; dup {
			return false
		}
		m.exact[pattern] = r
		return true
	case star == len(pattern)-1:
		if len(m.trie) == 0 {
			m.trie = append(m.trie, trieNode{val: noRef})
		}
		n := int32(0)
		for i := 0; i < star; i++ {
			c := pattern[i]
			next := int32(-1)
			for _, e := range m.trie[n].edges {
				if e.b == c {
					next = e.next
					break
				}
			}
			if next < 0 {
				next = int32(len(m.trie))
				m.trie = append(m.trie, trieNode{val: noRef})
				m.trie[n].edges = append(m.trie[n].edges, trieEdge{c, next})
			}
			n = next
		}
		if m.trie[n].val.service >= 0 {
			return false
		}
		m.trie[n].val = r
		return true
	}
	for _, g := range m.globs {
		if g.pattern == pattern {
			return false
		}
	}
	m.globs = append(m.globs, globRule{pattern, r})
	return true
}

func (m *nameMatcher) match(name string) ref {
	if r, ok := m.exact[name]; ok {
		return r
	}
	if len(m.trie) > 0 {
		best := m.trie[0].val
		n := int32(0)
	walk:
		for i := 0; i < len(name); i++ {
			c := name[i]
			for _, e := range m.trie[n].edges {
				if e.b == c {
					n = e.next
					if v := m.trie[n].val; v.service >= 0 {
						best = v
					}
					continue walk
				}
			}
			break
		}
		if best.service >= 0 {
			return best
		}
	}
	for _, g := range m.globs {
		if globMatch(g.pattern, name) {
			return g.val
		}
	}
	return noRef
}

// globMatch reports whether name matches pattern, where '*' matches any run of bytes (also none).
// It is linear in len(pattern)+len(name) for one star and does not allocate.
func globMatch(pattern, name string) bool {
	p, n := 0, 0
	starP, starN := -1, 0
	for n < len(name) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			starP, starN = p, n
			p++
		case p < len(pattern) && pattern[p] == name[n]:
			p++
			n++
		case starP >= 0:
			starN++
			p, n = starP+1, starN
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// hostMatcher finds the service a URL belongs to. Patterns are "host" or "*.domain" (the domain and
// every subdomain), optionally followed by a path prefix: "www.googletagmanager.com/gtag/js?id=G-".
// An exact host wins over a wildcard, a longer domain over a shorter one, and for one host a longer
// path prefix over a shorter one.
type hostMatcher struct {
	exact map[string][]pathRule
	wild  map[string][]pathRule
}

type pathRule struct {
	prefix string // "" matches every path
	val    ref
}

// splitHostPattern splits "*.example.com/path" into ("example.com", true, "/path").
func splitHostPattern(p string) (domain string, wildcard bool, path string) {
	if i := strings.IndexAny(p, "/?"); i >= 0 {
		p, path = p[:i], p[i:]
	}
	if strings.HasPrefix(p, "*.") {
		return p[2:], true, path
	}
	return p, false, path
}

// add registers a pattern already in normal form (see normalizeHostPattern). It reports false when
// the very same pattern was registered before (the earlier registration stays).
func (m *hostMatcher) add(pattern string, r ref) bool {
	domain, wildcard, path := splitHostPattern(pattern)
	table := &m.exact
	if wildcard {
		table = &m.wild
	}
	if *table == nil {
		*table = make(map[string][]pathRule)
	}
	rules := (*table)[domain]
	for _, rule := range rules {
		if rule.prefix == path {
			return false
		}
	}
	// Keep the longest prefix first so that the first match is the best one.
	i := 0
	for i < len(rules) && len(rules[i].prefix) >= len(path) {
		i++
	}
	rules = append(rules, pathRule{})
	copy(rules[i+1:], rules[i:])
	rules[i] = pathRule{path, r}
	(*table)[domain] = rules
	return true
}

func matchPath(rules []pathRule, path string) ref {
	for _, r := range rules {
		if strings.HasPrefix(path, r.prefix) {
			return r.val
		}
	}
	return noRef
}

// match finds the service for host (normalized) and path ("/a/b?q", may be "").
func (m *hostMatcher) match(host, path string) ref {
	if rules, ok := m.exact[host]; ok {
		if r := matchPath(rules, path); r.service >= 0 {
			return r
		}
	}
	if m.wild == nil {
		return noRef
	}
	for d := host; d != ""; {
		if rules, ok := m.wild[d]; ok {
			if r := matchPath(rules, path); r.service >= 0 {
				return r
			}
		}
		i := strings.IndexByte(d, '.')
		if i < 0 {
			break
		}
		d = d[i+1:]
	}
	return noRef
}

func (m *hostMatcher) empty() bool { return len(m.exact) == 0 && len(m.wild) == 0 }
