package audit

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// The JUnit XML of WriteJUnit, in the shape CI servers read (Jenkins' JUnit plugin, GitLab's test
// reports): testsuites > testsuite (with properties and system-out) > testcase > failure. There is
// no formal standard; this subset is what they all accept.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name       string          `xml:"name,attr"`
		Tests      int             `xml:"tests,attr"`
		Failures   int             `xml:"failures,attr"`
		Timestamp  string          `xml:"timestamp,attr"`
		Time       string          `xml:"time,attr"`
		Properties []junitProperty `xml:"properties>property"`
		Cases      []junitCase     `xml:"testcase"`
		SystemOut  string          `xml:"system-out,omitempty"`
	}
	junitProperty struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	}
	junitCase struct {
		ClassName string         `xml:"classname,attr"`
		Name      string         `xml:"name,attr"`
		Failures  []junitFailure `xml:"failure"`
		SystemOut string         `xml:"system-out,omitempty"`
	}
	junitFailure struct {
		Type    string `xml:"type,attr"`
		Message string `xml:"message,attr"`
		Text    string `xml:",chardata"`
	}
)

// WriteJUnit writes the reports as JUnit XML for CI: one test suite per page and consent state,
// one test case per check (each cookie, storage key, request and script: "consent"; each cookie
// with a declared expiry: "expiry"), a failure per violation. Warnings and blocked requests are
// the test case's output; notes are the suite's.
func WriteJUnit(w io.Writer, reports []*Report) error {
	doc := junitSuites{Name: "consentry audit"}
	for _, r := range reports {
		s := junitSuite{
			Name:      r.URL + " [consent: " + r.State() + "]",
			Timestamp: r.Time.UTC().Format("2006-01-02T15:04:05Z"),
			Time:      fmt.Sprintf("%.3f", r.Duration.Seconds()),
			Properties: []junitProperty{
				{"url", r.URL}, {"consent", r.Consent}, {"gpc", fmt.Sprint(r.GPC)},
				{"granted", strings.Join(r.Granted, ",")}, {"status", fmt.Sprint(r.Status)},
			},
			SystemOut: strings.Join(r.Notes, "\n"),
		}
		check := func(class, name string, violations, warnings []Finding, out string) {
			c := junitCase{ClassName: class, Name: name}
			for _, f := range violations {
				c.Failures = append(c.Failures, junitFailure{Type: f.Rule, Message: f.Message, Text: f.Message})
			}
			var lines []string
			for _, f := range warnings {
				lines = append(lines, "warning: "+f.Message)
			}
			if out != "" {
				lines = append(lines, out)
			}
			c.SystemOut = strings.Join(lines, "\n")
			s.Cases = append(s.Cases, c)
		}
		for _, c := range r.Cookies {
			v, wn := r.findings(ItemCookie, c.Name, c.Domain)
			var consent, expiry []Finding
			for _, f := range v {
				if f.Rule == RuleOutlivesDeclaration {
					expiry = append(expiry, f)
				} else {
					consent = append(consent, f)
				}
			}
			what := fmt.Sprintf("cookie %s on %s%s", c.Name, c.Domain, c.Path)
			check("cookies", "consent: "+what, consent, wn, c.Decision.String())
			if c.Declared != "" {
				check("cookies", "expiry: "+what, expiry, nil, "declared "+c.Declared+", lives "+c.lifetime(r.end()))
			}
		}
		for _, k := range r.Storage {
			v, wn := r.findings(ItemStorage, k.Key, k.Origin)
			check("storage", fmt.Sprintf("consent: %sStorage %s of %s", k.Area, k.Key, k.Origin), v, wn, k.Decision.String())
		}
		for _, q := range r.Requests {
			v, wn := r.findings(ItemRequest, q.URL, "")
			out := q.Decision.String()
			if q.Blocked != "" {
				out += "; blocked by the browser: " + q.Blocked
			}
			check("requests", "consent: "+q.Kind+" "+q.URL, v, wn, out)
		}
		for _, sc := range r.Scripts {
			v, wn := r.findings(ItemScript, sc.URL, "")
			check("scripts", "consent: script "+sc.URL, v, wn, sc.Decision.String())
		}
		for _, c := range s.Cases {
			s.Tests++
			if len(c.Failures) > 0 {
				s.Failures++
			}
		}
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Suites = append(doc.Suites, s)
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(xml.Header)
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	bw.WriteString("\n")
	return bw.Flush()
}
