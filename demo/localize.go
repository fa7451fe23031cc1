package demo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/consentry/consentry/consent"
)

// LocalSuffix is the domain the demo's stand-ins answer under when it runs for a visitor's
// browser: a vendor host H is served at H + LocalSuffix. Browsers resolve every name under
// localhost to the loopback address (RFC 6761 §6.3), so no DNS or hosts file is involved.
const LocalSuffix = ".localhost"

// LocalHost is the name the demo serves a vendor host's stand-in at: "www.google-analytics.com"
// → "www.google-analytics.com.localhost". A host pattern keeps its wildcard and its path:
// "*.intercom.io" → "*.intercom.io.localhost", "www.googletagmanager.com/gtag/js?id=G-" →
// "www.googletagmanager.com.localhost/gtag/js?id=G-".
func LocalHost(pattern string) string {
	if i := strings.IndexAny(pattern, "/?"); i >= 0 {
		return pattern[:i] + LocalSuffix + pattern[i:]
	}
	return pattern + LocalSuffix
}

// LocalizePolicy returns a policy file that is data with, in every service, the local name
// (LocalHost) of each host the service matches, its own and those its catalogue entry gives it.
// This is the demo's only change to a site's policy, and it is made for the demo only: the
// stand-in at www.google-analytics.com.localhost then belongs to the same service, category and
// decisions as www.google-analytics.com does in production. Without it, every stand-in would be
// an undeclared host, blocked whatever the visitor chose.
//
// The result is a valid policy (it is loaded to check); its revision differs from the original's,
// since the revision covers the hosts.
func LocalizePolicy(data []byte) ([]byte, error) {
	p, err := consent.Load(data)
	if err != nil {
		return nil, err
	}
	var file map[string]json.RawMessage
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, err
	}
	var services []map[string]json.RawMessage
	if err := json.Unmarshal(file["services"], &services); err != nil {
		return nil, fmt.Errorf("services: %w", err)
	}
	for i, s := range services {
		var id string
		if err := json.Unmarshal(s["id"], &id); err != nil {
			return nil, fmt.Errorf("services[%d].id: %w", i, err)
		}
		si, ok := p.ServiceIndex(id)
		if !ok {
			return nil, fmt.Errorf("services[%d]: service %q is not in the compiled policy", i, id)
		}
		var hosts []string
		if raw, ok := s["hosts"]; ok {
			if err := json.Unmarshal(raw, &hosts); err != nil {
				return nil, fmt.Errorf("services[%d].hosts: %w", i, err)
			}
		}
		for _, h := range p.Services[si].Hosts {
			hosts = append(hosts, LocalHost(h))
		}
		if len(hosts) == 0 {
			continue
		}
		if s["hosts"], err = json.Marshal(hosts); err != nil {
			return nil, err
		}
	}
	if file["services"], err = json.Marshal(services); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(file); err != nil {
		return nil, err
	}
	if _, err := consent.Load(out.Bytes()); err != nil {
		return nil, fmt.Errorf("the localized policy does not load: %w", err)
	}
	return out.Bytes(), nil
}
