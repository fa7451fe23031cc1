package wasm

import (
	"slices"
	"testing"

	"github.com/consentry/consentry/consent"
)

func TestHostPatternsOverlap(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"cdn.shop.com", "cdn.shop.com", true},
		{"cdn.shop.com", "img.shop.com", false},
		{"*.shop.com", "cdn.shop.com", true},
		{"cdn.shop.com", "*.shop.com", true},
		{"*.shop.com", "shop.com", true},
		{"*.shop.com", "*.a.shop.com", true},
		{"*.shop.com", "*.myshop.com", false},
		{"*.shop.com", "myshop.com", false},
		{"shop.com/tag/", "*.shop.com", true},
		{"www.shop.com?x", "www.shop.com", true},
	} {
		if got := hostPatternsOverlap(c.a, c.b); got != c.want {
			t.Errorf("hostPatternsOverlap(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// TestEarlyHosts checks what the gate may allow before the engine: the hosts the engine allows for
// every visitor, and nothing a service that needs consent declares.
func TestEarlyHosts(t *testing.T) {
	const cats = `"categories": [{"id": "necessary", "required": true, "label": "N"}, {"id": "ads", "label": "A"}]`
	for _, c := range []struct {
		name, policy string
		hosts        []string
		all          bool
	}{
		{"first party and required hosts", `{"site": "x", "firstParty": ["*.shop-cdn.net"], "consent": {"domain": "shop.com"}, ` + cats + `,
			"services": [{"id": "pay", "category": "necessary", "provider": "P", "hosts": ["js.pay.com"]},
			             {"id": "tag", "category": "ads", "provider": "T", "hosts": ["*.tags.com"]}]}`,
			[]string{"js.pay.com", "*.shop-cdn.net", "*.shop.com"}, true},
		{"a consent service inside the first party", `{"site": "x", "consent": {"domain": "shop.com"}, ` + cats + `,
			"services": [{"id": "tag", "category": "ads", "provider": "T", "hosts": ["stats.shop.com"]}]}`,
			nil, false},
		{"a required service's path", `{"site": "x", ` + cats + `,
			"services": [{"id": "pay", "category": "necessary", "provider": "P", "hosts": ["www.pay.com/js/"]}]}`,
			nil, false},
		{"a required host a consent service shares", `{"site": "x", ` + cats + `,
			"services": [{"id": "pay", "category": "necessary", "provider": "P", "hosts": ["js.pay.com"]},
			             {"id": "tag", "category": "ads", "provider": "T", "hosts": ["*.pay.com"]}]}`,
			nil, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := consent.Load([]byte(c.policy))
			if err != nil {
				t.Fatal(err)
			}
			hosts, all := earlyHosts(p)
			if !slices.Equal(hosts, c.hosts) || all != c.all {
				t.Errorf("earlyHosts = %q, %v; want %q, %v", hosts, all, c.hosts, c.all)
			}
		})
	}
}
