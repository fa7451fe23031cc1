package audit_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/chromedp/chromedp"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/e2e/audit"
)

// A QA suite audits a page before consent, after "accept all" and with GPC, and fails on any
// violation. In a Go test, start the browser once in TestMain and report with t.Error.
func ExampleRun() {
	policy, err := consent.LoadFile("policy.json")
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel, err := audit.NewBrowser(context.Background(),
		// Staging serves the production host names: send them there.
		chromedp.Flag("host-resolver-rules", "MAP www.example.com staging.internal:443"))
	if err != nil {
		log.Fatal(err)
	}
	defer cancel()

	for _, opts := range [][]audit.Option{
		{audit.Consent(audit.None)},
		{audit.Consent(audit.All)},
		{audit.Consent(audit.Categories("analytics")), audit.GPC()},
	} {
		report, err := audit.Run(ctx, "https://www.example.com/", policy, opts...)
		if err != nil {
			log.Fatal(err)
		}
		for _, v := range report.Violations {
			fmt.Printf("[%s] %s: %s\n", report.State(), v.Rule, v.Message)
		}
	}
}

// Crawl audits up to 20 pages of the site and writes them as JUnit XML for CI.
func ExampleCrawl() {
	policy, err := consent.LoadFile("policy.json")
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel, err := audit.NewBrowser(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	defer cancel()

	var reports []*audit.Report
	for report, err := range audit.Crawl(ctx, "https://www.example.com/", policy, 20, audit.Consent(audit.None)) {
		if err != nil {
			log.Print(err) // the page could not be opened; the crawl goes on
			continue
		}
		reports = append(reports, report)
	}
	if err := audit.WriteJUnit(os.Stdout, reports); err != nil {
		log.Fatal(err)
	}
}

func ExampleParseChoice() {
	for _, s := range []string{"none", "all", "reject", "analytics+marketing"} {
		c, err := audit.ParseChoice(s)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(c)
	}
	// Output:
	// none
	// all
	// reject
	// analytics+marketing
}
