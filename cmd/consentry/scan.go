package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/chromedp/chromedp"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/e2e/audit"
)

func init() {
	register("scan", command{
		summary: "audit a site in Chromium, in each consent state, against its policy",
		run: func(args []string) int {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			return runScan(ctx, args, os.Stdout, os.Stderr)
		},
	})
}

// Exit statuses of scan.
const (
	scanClean      = 0 // no violation
	scanViolations = 1 // violations found
	scanError      = 2 // a usage error, or a page or the browser failed
)

// outputFormats maps the extensions of -o files to formats.
var outputFormats = map[string]string{
	".txt": "text", ".text": "text",
	".json":  "json",
	".xml":   "junit",
	".html":  "html",
	".htm":   "html",
	".junit": "junit",
}

// outputFlag collects the repeatable -o flag.
type outputFlag []string

func (o *outputFlag) String() string { return strings.Join(*o, ", ") }
func (o *outputFlag) Set(v string) error {
	if _, ok := outputFormats[strings.ToLower(filepath.Ext(v))]; !ok {
		return fmt.Errorf("%s: unknown extension (.txt, .json, .xml for JUnit, .html)", v)
	}
	*o = append(*o, v)
	return nil
}

// state is one consent state of --consent.
type state struct {
	choice audit.Choice
	gpc    bool
}

func (s state) String() string {
	if s.gpc {
		return s.choice.String() + "+gpc"
	}
	return s.choice.String()
}

// parseStates reads --consent: states separated by commas, each "none", "all", "reject" or
// category ids joined by '+', with "+gpc" (or "gpc" alone, for none) to add the GPC signal.
func parseStates(list string) ([]state, error) {
	var out []state
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		var st state
		if s == "gpc" {
			s, st.gpc = "none", true
		} else if rest, ok := strings.CutSuffix(s, "+gpc"); ok {
			s, st.gpc = rest, true
		}
		c, err := audit.ParseChoice(s)
		if err != nil {
			return nil, err
		}
		st.choice = c
		out = append(out, st)
	}
	return out, nil
}

// runScan audits URL (and with --pages, the same-site pages it links to) in each consent state
// and writes the reports. It returns scanClean, scanViolations or scanError.
func runScan(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("scan", flag.ContinueOnError)
	flags.SetOutput(stderr)
	policyFile := flags.String("policy", "", "the site's policy `file` (default: a policy that declares nothing, so that everything the site uses is reported; see -suggest)")
	consentList := flags.String("consent", "none,all", "the consent `states` to scan in, separated by commas: none, all, reject, or category ids joined by '+' (analytics+marketing); add +gpc for the Global Privacy Control signal (all+gpc)")
	pages := flags.Int("pages", 1, "crawl up to `n` same-site pages from URL, in each state")
	format := flags.String("format", "text", "the report's `format` on standard output: text, json, junit or html")
	var outputs outputFlag
	flags.Var(&outputs, "o", "also write the report to `file`, in the format of its extension: .txt, .json, .xml (JUnit), .html; repeatable")
	suggest := flags.Bool("suggest", false, "print policy entries (JSON) for what is undeclared on standard output instead of the report (write the report with -o)")
	chromium := flags.String("chromium", "", "the Chromium `binary` (default: $"+audit.ChromiumEnv+", "+audit.DebianChromium+", or one chromedp finds)")
	hostRules := flags.String("host-rules", "", "Chromium's --host-resolver-rules, to send production host `names` to another server: \"MAP www.example.com 10.0.0.5\"")
	insecure := flags.Bool("insecure", false, "accept invalid TLS certificates (a staging server's)")
	settle := flags.Duration("settle", audit.DefaultIdle, "how long a page must be quiet to count as done")
	timeout := flags.Duration("timeout", audit.DefaultLimit, "how long to wait at most for a page to be done")
	quiet := flags.Bool("q", false, "print no progress on standard error")
	flags.Usage = func() {
		fmt.Fprintln(stderr, `usage: consentry scan URL [-policy FILE] [-consent none,all,...] [-pages N] [-format text|json|junit|html] [-o FILE]... [-suggest]

Opens URL in Chromium in each consent state, lets it settle, and reports every cookie, storage key,
third-party request and script, classified against the policy, with the violations: items of
categories the state does not grant, undeclared items, cookies that outlive their declaration.
Exit status: 0 no violation, 1 violations found, 2 usage error or failed scan.`)
		flags.PrintDefaults()
	}
	positional, err := parseInterspersed(flags, args)
	if err != nil {
		return usageStatus(err)
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "consentry scan: "+format+"\n", a...)
		return scanError
	}
	if len(positional) != 1 {
		flags.Usage()
		return scanError
	}
	target := positional[0]
	if !strings.Contains(target, "://") {
		target = "https://" + target
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fail("%q is not an http(s) URL", positional[0])
	}
	if _, ok := audit.Formats[*format]; !ok {
		return fail("unknown format %q (text, json, junit or html)", *format)
	}
	states, err := parseStates(*consentList)
	if err != nil {
		return fail("-consent: %v", err)
	}

	var p *consent.Policy
	if *policyFile == "" {
		p, err = emptyPolicy(u.Hostname())
		if err != nil {
			return fail("%v", err)
		}
	} else if p, err = consent.LoadFile(*policyFile); err != nil {
		for _, line := range problems(*policyFile, err) {
			fmt.Fprintln(stderr, line)
		}
		return scanError
	}
	for _, s := range states {
		if err := s.choice.Validate(p); err != nil {
			return fail("-consent %s: %v", s, err)
		}
	}

	screenshots := *format == "html" && !*suggest
	for _, o := range outputs {
		screenshots = screenshots || outputFormats[strings.ToLower(filepath.Ext(o))] == "html"
	}
	var browserOpts []chromedp.ExecAllocatorOption
	if *chromium != "" {
		browserOpts = append(browserOpts, chromedp.ExecPath(*chromium))
	}
	if *hostRules != "" {
		browserOpts = append(browserOpts, chromedp.Flag("host-resolver-rules", *hostRules))
	}
	if *insecure {
		browserOpts = append(browserOpts, chromedp.IgnoreCertErrors)
	}
	bctx, stop, err := audit.NewBrowser(ctx, browserOpts...)
	if err != nil {
		return fail("%v", err)
	}
	defer stop()

	progress := stderr
	if *quiet {
		progress = io.Discard
	}
	var reports []*audit.Report
	failed := false
	for _, s := range states {
		opts := []audit.Option{audit.Consent(s.choice), audit.Settle(*settle, *timeout)}
		if s.gpc {
			opts = append(opts, audit.GPC())
		}
		if screenshots {
			opts = append(opts, audit.Screenshot())
		}
		for r, err := range audit.Crawl(bctx, target, p, *pages, opts...) {
			if err != nil {
				fmt.Fprintf(progress, "scanning [consent: %s] ... failed: %v\n", s, err)
				failed = true
				if ctx.Err() != nil {
					return scanError
				}
				continue
			}
			fmt.Fprintf(progress, "scanning %s [consent: %s] ... %s\n", r.URL, r.State(), r.Summary())
			reports = append(reports, r)
		}
	}
	reports, npages := byPage(reports)
	violations, warnings := audit.Totals(reports)
	fmt.Fprintf(progress, "%s in %s: %s, %s\n", count(npages, "page", "pages"), count(len(states), "consent state", "consent states"),
		count(violations, "violation", "violations"), count(warnings, "warning", "warnings"))

	for _, o := range outputs {
		var b bytes.Buffer
		if err := audit.Formats[outputFormats[strings.ToLower(filepath.Ext(o))]](&b, reports); err != nil {
			return fail("%s: %v", o, err)
		}
		if err := os.WriteFile(o, b.Bytes(), 0o644); err != nil {
			return fail("%v", err)
		}
	}
	if *suggest {
		err = audit.WriteSuggestions(stdout, audit.Suggest(p, reports))
	} else {
		err = audit.Formats[*format](stdout, reports)
	}
	if err != nil {
		return fail("%v", err)
	}
	switch {
	case failed:
		return scanError
	case violations > 0:
		return scanViolations
	}
	return scanClean
}

// byPage orders reports by page, in the order the pages were first scanned, and by state within
// a page, so that the states of one page read side by side; it returns the number of pages too.
func byPage(reports []*audit.Report) ([]*audit.Report, int) {
	var order []string
	pages := map[string][]*audit.Report{}
	for _, r := range reports {
		if _, ok := pages[r.URL]; !ok {
			order = append(order, r.URL)
		}
		pages[r.URL] = append(pages[r.URL], r)
	}
	out := make([]*audit.Report, 0, len(reports))
	for _, u := range order {
		out = append(out, pages[u]...)
	}
	return out, len(order)
}

// emptyPolicy is the policy of a scan without -policy: one required category and no service,
// so that every cookie, storage key and third-party host of the site is undeclared.
func emptyPolicy(host string) (*consent.Policy, error) {
	p, err := consent.Load([]byte(`{"site": "` + strings.NewReplacer(`"`, "", `\`, "").Replace(host) + `",
		"categories": [{"id": "necessary", "required": true, "label": "Necessary"}]}`))
	if err != nil {
		return nil, errors.New("building the empty policy: " + err.Error())
	}
	return p, nil
}
