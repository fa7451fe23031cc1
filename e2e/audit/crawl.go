package audit

import (
	"context"
	"iter"
	"net/url"
	"path"
	"strings"

	"github.com/consentry/consentry/consent"
)

// Crawl audits startURL and then the same-site pages it links to (same registrable domain, by the
// public suffix list), breadth first, n pages in all at most (at least 1), each as Run does with
// opts. It yields each report as soon as it is made, or the error of a page that could not be
// audited, and then goes on with the next page; stop early with break.
//
//	for report, err := range audit.Crawl(ctx, "https://www.example.com/", policy, 20, audit.Consent(audit.None)) {
//		...
//	}
func Crawl(ctx context.Context, startURL string, p *consent.Policy, n int, opts ...Option) iter.Seq2[*Report, error] {
	return func(yield func(*Report, error) bool) {
		start, err := url.Parse(startURL)
		if err != nil {
			yield(nil, err)
			return
		}
		queue := []string{startURL}
		seen := map[string]bool{pageKey(start): true}
		for done := 0; len(queue) > 0 && (done < n || done == 0); done++ {
			next := queue[0]
			queue = queue[1:]
			r, err := Run(ctx, next, p, opts...)
			if err != nil {
				if !yield(nil, err) || ctx.Err() != nil {
					return
				}
				continue
			}
			for _, link := range r.Links {
				u, err := url.Parse(link)
				if err != nil || !sameSite(start, u) || seen[pageKey(u)] {
					continue
				}
				seen[pageKey(u)] = true
				queue = append(queue, link)
			}
			if !yield(r, nil) {
				return
			}
		}
	}
}

// pageKey identifies a page: its URL without the fragment and with an empty path as "/".
func pageKey(u *url.URL) string {
	k := *u
	k.Fragment, k.RawFragment = "", ""
	if k.Path == "" {
		k.Path = "/"
	}
	return k.String()
}

func sameSite(a, b *url.URL) bool {
	return (b.Scheme == "http" || b.Scheme == "https") &&
		registrableDomain(a.Hostname()) == registrableDomain(b.Hostname())
}

// notPages are the extensions of links a crawl does not follow: downloads and media, which are no
// pages and would only start a download.
var notPages = map[string]bool{
	".pdf": true, ".zip": true, ".gz": true, ".dmg": true, ".exe": true, ".msi": true,
	".doc": true, ".docx": true, ".xls": true, ".xlsx": true, ".ppt": true, ".pptx": true, ".csv": true,
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".svg": true, ".webp": true, ".avif": true,
	".mp3": true, ".mp4": true, ".webm": true, ".mov": true, ".ics": true, ".xml": true, ".json": true,
}

// siteLinks returns the links of a page on page's site that a crawl may follow, without their
// fragments, each once, in document order.
func siteLinks(page string, links []string) []string {
	base, err := url.Parse(page)
	if err != nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, l := range links {
		u, err := url.Parse(l)
		if err != nil || !sameSite(base, u) || notPages[strings.ToLower(path.Ext(u.Path))] {
			continue
		}
		u.Fragment, u.RawFragment = "", ""
		if k := pageKey(u); !seen[k] {
			seen[k] = true
			out = append(out, u.String())
		}
	}
	return out
}
