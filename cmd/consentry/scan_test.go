package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/consentry/consentry/e2e/audit"
	"github.com/consentry/consentry/e2e/audit/audittest"
)

func TestScanUsage(t *testing.T) {
	dir := t.TempDir()
	policy := filepath.Join(dir, "policy.json")
	if err := os.WriteFile(policy, audittest.PolicyJSON(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		args   []string
		status int
		stderr string
	}{
		{"help", []string{"-h"}, 0, "usage: consentry scan URL"},
		{"no URL", nil, scanError, "usage: consentry scan URL"},
		{"two URLs", []string{"https://a.test/", "https://b.test/"}, scanError, "usage: consentry scan URL"},
		{"not http", []string{"ftp://a.test/"}, scanError, `"ftp://a.test/" is not an http(s) URL`},
		{"format", []string{"https://a.test/", "-format", "pdf"}, scanError, `unknown format "pdf"`},
		{"output extension", []string{"https://a.test/", "-o", "report.pdf"}, scanError, "report.pdf: unknown extension"},
		{"empty state", []string{"https://a.test/", "-consent", "none,,all"}, scanError, "-consent: empty consent choice"},
		{"unknown category", []string{"https://a.test/", "-policy", policy, "-consent", "none,analytic+gpc"}, scanError,
			`-consent analytic+gpc: unknown category "analytic" (categories: necessary, analytics, marketing, media)`},
		{"no such policy", []string{"https://a.test/", "-policy", filepath.Join(dir, "missing.json")}, scanError, "missing.json: "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if got := runScan(t.Context(), tt.args, &stdout, &stderr); got != tt.status {
				t.Errorf("status %d, want %d; stderr:\n%s", got, tt.status, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr:\n%s\nwant it to contain %q", stderr.String(), tt.stderr)
			}
		})
	}
}

func TestParseStates(t *testing.T) {
	got, err := parseStates("none, all,reject,analytics+media,all+gpc,gpc")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range got {
		names = append(names, s.String())
	}
	if want := "none all reject analytics+media all+gpc none+gpc"; strings.Join(names, " ") != want {
		t.Errorf("states %q, want %q", names, want)
	}
}

// scanFixture runs the scan command against the audit fixture (a browser of its own) and returns
// its status, standard output and standard error.
func scanFixture(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	chromium := os.Getenv(audit.ChromiumEnv)
	if chromium == "" {
		chromium = audit.DebianChromium
	}
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing (apt-get install -y chromium); CI does not skip the end-to-end tests", chromium)
		}
		t.Skipf("%s is missing (apt-get install -y chromium)", chromium)
	}
	srv := audittest.Start()
	t.Cleanup(srv.Close)
	policy := filepath.Join(t.TempDir(), "policy.json")
	if err := os.WriteFile(policy, audittest.PolicyJSON(), 0o644); err != nil {
		t.Fatal(err)
	}
	for i, a := range args {
		if a == "POLICY" {
			args[i] = policy
		}
	}
	args = append(args, "-host-rules", srv.HostRules(), "-insecure", "-settle", "200ms")
	var stdout, stderr bytes.Buffer
	status := runScan(t.Context(), args, &stdout, &stderr)
	return status, stdout.String(), stderr.String()
}

func readJSON(t *testing.T, path string) []*audit.Report {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	reports, err := audit.ReadJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	return reports
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestScanRespectingSite crawls the fixture's pages that respect consent with the correct policy,
// in several states: no violation, exit status 0, in every format.
func TestScanRespectingSite(t *testing.T) {
	dir := t.TempDir()
	out := func(name string) string { return filepath.Join(dir, name) }
	status, stdout, stderr := scanFixture(t, audittest.Site+"/", "-policy", "POLICY", "-consent", "none,all,all+gpc",
		"-pages", "5", "-o", out("r.json"), "-o", out("r.xml"), "-o", out("r.html"), "-o", out("r.txt"))
	if status != scanClean {
		t.Fatalf("status %d, want 0\nstdout:\n%s\nstderr:\n%s", status, stdout, stderr)
	}
	// Progress: one line a page and state, and the total.
	if n := strings.Count(stderr, "scanning https://www.shop.test/"); n != 9 {
		t.Errorf("%d progress lines, want 3 pages × 3 states:\n%s", n, stderr)
	}
	if !strings.Contains(stderr, "scanning https://www.shop.test/about [consent: all+gpc] ... 0 violations, 0 warnings\n") ||
		!strings.HasSuffix(stderr, "3 pages in 3 consent states: 0 violations, 0 warnings\n") {
		t.Errorf("stderr:\n%s", stderr)
	}
	if !strings.HasSuffix(stdout, "9 page audits: 0 violations, 0 warnings\n") || stdout != readFile(t, out("r.txt")) {
		t.Errorf("text report:\n%s", stdout)
	}
	reports := readJSON(t, out("r.json"))
	var order []string
	for _, r := range reports {
		order = append(order, strings.TrimPrefix(r.URL, audittest.Site)+" "+r.State())
	}
	want := "/ none,/ all,/ all+gpc,/about none,/about all,/about all+gpc,/contact none,/contact all,/contact all+gpc"
	if strings.Join(order, ",") != want {
		t.Errorf("reports in order %q, want by page then state", order)
	}
	if x := readFile(t, out("r.xml")); !strings.Contains(x, `failures="0"`) || strings.Count(x, "<testsuite ") != 9 {
		t.Errorf("JUnit:\n%s", x)
	}
	if h := readFile(t, out("r.html")); strings.Count(h, `src="data:image/jpeg;base64,`) != 9 {
		t.Errorf("HTML report has %d screenshots, want one per page and state", strings.Count(h, "data:image/jpeg"))
	}
}

// TestScanFailingPages crawls the fixture's failing pages: an undeclared vendor, cookies before
// consent (by script and by Set-Cookie), a cookie outliving its declaration. Each is reported in
// every format, and the exit status is 1.
func TestScanFailingPages(t *testing.T) {
	dir := t.TempDir()
	out := func(name string) string { return filepath.Join(dir, name) }
	status, stdout, stderr := scanFixture(t, audittest.Site+"/bad", "-policy", "POLICY", "-consent", "none", "-pages", "4",
		"-format", "junit", "-o", out("r.json"), "-o", out("r.html"), "-o", out("r.txt"))
	if status != scanViolations {
		t.Fatalf("status %d, want 1\nstderr:\n%s", status, stderr)
	}
	for _, line := range []string{
		"scanning https://www.shop.test/bad [consent: none] ... 0 violations, 0 warnings",
		"scanning https://www.shop.test/undeclared [consent: none] ... 4 violations, 1 warning",
		"scanning https://www.shop.test/leak [consent: none] ... 2 violations, 0 warnings",
		"scanning https://www.shop.test/expiry [consent: none] ... 1 violation, 0 warnings",
		"4 pages in 1 consent state: 7 violations, 1 warning",
	} {
		if !strings.Contains(stderr, line+"\n") {
			t.Errorf("stderr lacks %q:\n%s", line, stderr)
		}
	}
	reports := readJSON(t, out("r.json"))
	if v, w := audit.Totals(reports); v != 7 || w != 1 {
		t.Errorf("JSON: %d violations, %d warnings; want 7 and 1", v, w)
	}
	text, html := readFile(t, out("r.txt")), readFile(t, out("r.html"))
	for _, r := range reports {
		for _, v := range r.Violations {
			if !strings.Contains(text, v.Message) {
				t.Errorf("text lacks %q", v.Message)
			}
			if !strings.Contains(stdout, `type="`+v.Rule+`" message="`) {
				t.Errorf("JUnit lacks a %s failure", v.Rule)
			}
			if !strings.Contains(html, v.Name) && !strings.Contains(html, strings.ReplaceAll(v.Name, "&", "&amp;")) {
				t.Errorf("HTML lacks %q", v.Name)
			}
		}
	}
	if !regexp.MustCompile(`<testsuites name="consentry audit" tests="\d+" failures="7">`).MatchString(stdout) {
		t.Errorf("JUnit on stdout:\n%s", stdout)
	}
}

// TestScanSuggest scans the page with an undeclared vendor and prints policy entries for it.
func TestScanSuggest(t *testing.T) {
	status, stdout, stderr := scanFixture(t, audittest.Site+"/undeclared", "-policy", "POLICY", "-consent", "all", "-suggest", "-q")
	if status != scanViolations || stderr != "" {
		t.Fatalf("status %d, stderr:\n%s", status, stderr)
	}
	var doc struct{ Services []audit.Suggestion }
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	var ids []string
	for _, s := range doc.Services {
		ids = append(ids, s.ID+":"+s.Category)
	}
	if strings.Join(ids, " ") != "meta-pixel:marketing site:TODO" {
		t.Errorf("suggested %q:\n%s", ids, stdout)
	}
}

// TestScanWithoutPolicy scans a site without a consent manager and without a policy: everything
// it uses is undeclared, and -suggest drafts the policy's services. With the draft as its policy
// (each TODO category chosen), a second scan finds nothing undeclared.
func TestScanWithoutPolicy(t *testing.T) {
	status, stdout, stderr := scanFixture(t, audittest.Site+"/everything", "-consent", "none", "-suggest")
	if status != scanViolations {
		t.Fatalf("status %d, stderr:\n%s", status, stderr)
	}
	for _, want := range []string{`"id": "stats-vendor"`, `"cdn.stats-vendor.example"`, `"name": "_st_id"`, `"name": "st_queue"`,
		`"id": "ads-vendor"`, `"name": "ads_uid"`, `"id": "video-vendor"`, `"name": "vv_pref"`, `"id": "site"`, `"name": "sid"`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("suggestions lack %s:\n%s", want, stdout)
		}
	}

	draft := filepath.Join(t.TempDir(), "draft.json")
	services := strings.ReplaceAll(stdout, `"category": "TODO"`, `"category": "necessary"`)
	services = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(services), "{"), "}")
	policy := `{"site": "Draft", "categories": [{"id": "necessary", "required": true, "label": "Necessary"}],` + services + "}"
	if err := os.WriteFile(draft, []byte(policy), 0o644); err != nil {
		t.Fatal(err)
	}
	status, stdout, stderr = scanFixture(t, audittest.Site+"/everything", "-policy", draft, "-consent", "none", "-q")
	if status != scanClean {
		t.Errorf("with the drafted policy: status %d\n%s\n%s\npolicy:\n%s", status, stdout, stderr, policy)
	}
}
