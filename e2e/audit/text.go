package audit

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteText writes the reports for people: per page and state, every item with its status (ok,
// FAIL, warn, blocked) and decision, then the violations, warnings and notes, and a total.
func WriteText(w io.Writer, reports []*Report) error {
	bw := bufio.NewWriter(w)
	for i, r := range reports {
		if i > 0 {
			bw.WriteString("\n")
		}
		writeTextReport(bw, r)
	}
	v, wn := Totals(reports)
	fmt.Fprintf(bw, "\n%s: %s, %s\n", count(len(reports), "page audit"), count(v, "violation"), count(wn, "warning"))
	return bw.Flush()
}

func writeTextReport(w *bufio.Writer, r *Report) {
	fmt.Fprintf(w, "%s [consent: %s]\n", r.URL, r.State())
	if r.FinalURL != "" {
		fmt.Fprintf(w, "  redirected to %s\n", r.FinalURL)
	}
	fmt.Fprintf(w, "  status %d, granted: %s; %s\n", r.Status, strings.Join(r.Granted, ", "), r.Summary())

	now := r.end()
	section(w, "cookies", len(r.Cookies), func(tw *tabwriter.Writer) {
		for _, c := range r.Cookies {
			fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.status(ItemCookie, c.Name, c.Domain, false),
				c.Name, c.Domain, c.Path, c.lifetime(now), c.setter(), c.Decision)
		}
	})
	section(w, "storage", len(r.Storage), func(tw *tabwriter.Writer) {
		for _, s := range r.Storage {
			fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\t%s\n", r.status(ItemStorage, s.Key, s.Origin, false),
				s.Area, s.Key, s.Origin, s.Decision)
		}
	})
	section(w, "requests", len(r.Requests), func(tw *tabwriter.Writer) {
		for _, q := range r.Requests {
			n := ""
			if q.Count > 1 {
				n = fmt.Sprintf(" (×%d)", q.Count)
			}
			d := q.Decision.String()
			if q.Blocked != "" {
				d += "; blocked by the browser: " + q.Blocked
			}
			fmt.Fprintf(tw, "    %s\t%s\t%s%s\t%s\n", r.status(ItemRequest, q.URL, "", q.Blocked != ""), q.Kind, q.URL, n, d)
		}
	})
	section(w, "scripts", len(r.Scripts), func(tw *tabwriter.Writer) {
		for _, s := range r.Scripts {
			u := s.URL
			if s.Inline {
				u += " (inline)"
			}
			fmt.Fprintf(tw, "    %s\t%s\t%s\n", r.status(ItemScript, s.URL, "", false), u, s.Decision)
		}
	})
	if len(r.Frames) > 0 {
		w.WriteString("  frames\n")
		for _, f := range r.Frames {
			fmt.Fprintf(w, "    %s\n", f)
		}
	}
	findings(w, "violations", r.Violations)
	findings(w, "warnings", r.Warnings)
	if len(r.Notes) > 0 {
		w.WriteString("  notes\n")
		for _, n := range r.Notes {
			fmt.Fprintf(w, "    %s\n", n)
		}
	}
}

func section(w io.Writer, title string, n int, rows func(tw *tabwriter.Writer)) {
	if n == 0 {
		fmt.Fprintf(w, "  %s: none\n", title)
		return
	}
	fmt.Fprintf(w, "  %s\n", title)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	rows(tw)
	tw.Flush()
}

func findings(w io.Writer, title string, fs []Finding) {
	if len(fs) == 0 {
		return
	}
	fmt.Fprintf(w, "  %s\n", title)
	for _, f := range fs {
		fmt.Fprintf(w, "    %s: %s\n", f.Rule, f.Message)
	}
}
