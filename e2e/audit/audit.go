// Package audit opens a page in Chromium in a given consent state and reports what it set, sent
// and ran: every cookie (with its domain, path, expiry and who set it), every localStorage and
// sessionStorage key, every request to a third party and every script, each classified against a
// Consentry policy, with the violations: items of categories the state does not grant, items no
// service declares, cookies that live longer than declared. It observes the browser from outside
// (the DevTools protocol), so it audits any site, whatever enforces its consent.
//
// It is built on chromedp: the caller's chromedp context is the browser, and each audit opens a
// tab in a browser context of its own, so that no cookie or storage leaks from one consent state
// into the next. A QA suite starts one browser for the run (NewBrowser, or its own) and audits
// its pages from its tests:
//
//	ctx, cancel, err := audit.NewBrowser(context.Background())
//	...
//	report, err := audit.Run(ctx, "https://www.example.com/", policy, audit.Consent(audit.None))
//	for _, v := range report.Violations {
//		t.Error(v.Message)
//	}
//
// Reports render as text, JSON, JUnit XML and a standalone HTML page (WriteText, WriteJSON,
// WriteJUnit, WriteHTML); Crawl audits the same-site pages a start page links to; Suggest turns
// undeclared items into policy entries. The consentry scan command does all of it from the
// command line.
package audit

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/consentry/consentry/consent"
)

// Option configures Run and Crawl.
type Option func(*settings)

type settings struct {
	choice     Choice
	gpc        bool
	idle       time.Duration
	limit      time.Duration
	screenshot bool
}

// Defaults of Settle.
const (
	DefaultIdle  = 500 * time.Millisecond
	DefaultLimit = 10 * time.Second
)

// Consent opens the page with the visitor's consent c (None, All, Reject or Categories). The
// default is None.
func Consent(c Choice) Option {
	return func(s *settings) { s.choice = c }
}

// GPC makes the browser send the Global Privacy Control signal: the Sec-GPC: 1 request header
// and navigator.globalPrivacyControl.
func GPC() Option {
	return func(s *settings) { s.gpc = true }
}

// Settle sets when a page counts as done: after its load event, once nothing has happened (no
// request started or finished, no script parsed, no cookie or storage write) for idle and no
// request is in flight; or, at the latest, limit after the navigation started. The defaults are
// DefaultIdle and DefaultLimit. A page that is still busy at limit is reported as it is then, with
// a note.
func Settle(idle, limit time.Duration) Option {
	return func(s *settings) { s.idle, s.limit = idle, limit }
}

// Screenshot adds a JPEG screenshot of the viewport, taken once the page settled, to the report.
func Screenshot() Option {
	return func(s *settings) { s.screenshot = true }
}

func newSettings(opts []Option) settings {
	s := settings{choice: None, idle: DefaultIdle, limit: DefaultLimit}
	for _, o := range opts {
		o(&s)
	}
	return s
}

// ErrNotChromedp is returned by Run and Crawl for a context that is not a chromedp context.
var ErrNotChromedp = errors.New("audit: not a chromedp context (use NewBrowser or chromedp.NewContext)")

// Run opens pageURL in a new tab, in a browser context of its own, of the browser of ctx (a
// chromedp context, as NewBrowser or chromedp.NewContext make), with the consent the options give,
// lets the page settle, and reports what it did under policy p. The tab and its browser context
// are closed when Run returns. Audits of one browser may run in parallel.
//
// An error means there is no report: the URL is not http(s), a category of the choice is not in
// the policy, the browser failed, or the page could not be loaded at all (DNS, connection). A page
// that loads with an HTTP error status is reported, with its Status.
func Run(ctx context.Context, pageURL string, p *consent.Policy, opts ...Option) (*Report, error) {
	s := newSettings(opts)
	u, err := url.Parse(pageURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("audit: %q is not an http(s) URL", pageURL)
	}
	state, err := s.choice.state(p)
	if err != nil {
		return nil, fmt.Errorf("audit: consent %s: %w", s.choice, err)
	}
	c := chromedp.FromContext(ctx)
	if c == nil {
		return nil, ErrNotChromedp
	}
	if c.Browser == nil {
		// A tab in a new browser context needs a running browser.
		if err := chromedp.Do(ctx); err != nil {
			return nil, fmt.Errorf("audit: starting the browser: %w", err)
		}
	}
	obs, err := observe(ctx, u, p, state, s)
	if err != nil {
		return nil, fmt.Errorf("audit: %s: %w", pageURL, err)
	}
	return classify(p, s.choice, s.gpc, obs), nil
}
