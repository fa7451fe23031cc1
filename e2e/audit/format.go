package audit

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// A Format writes reports to w: one page in one consent state per report. WriteText, WriteJSON,
// WriteJUnit and WriteHTML are the formats; Formats names them.
type Format func(w io.Writer, reports []*Report) error

// Formats are the formats by name, as the scan command's --format flag takes them.
var Formats = map[string]Format{
	"text":  WriteText,
	"json":  WriteJSON,
	"junit": WriteJUnit,
	"html":  WriteHTML,
}

// Totals counts the violations and warnings of reports.
func Totals(reports []*Report) (violations, warnings int) {
	for _, r := range reports {
		violations += len(r.Violations)
		warnings += len(r.Warnings)
	}
	return violations, warnings
}

// Summary says in one line how many violations and warnings a report has: "2 violations, 1
// warning".
func (r *Report) Summary() string {
	return count(len(r.Violations), "violation") + ", " + count(len(r.Warnings), "warning")
}

func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprint(n) + " " + thing + "s"
}

// Status words of an item in the text and HTML reports.
const (
	statusOK      = "ok"
	statusFail    = "FAIL"
	statusWarn    = "warn"
	statusBlocked = "blocked"
)

// status says whether an item passes: FAIL when it has a violation, warn when only a warning,
// blocked for a request the browser did not send.
func (r *Report) status(item, name, where string, blocked bool) string {
	if blocked {
		return statusBlocked
	}
	for _, f := range r.Violations {
		if f.Item == item && f.Name == name && f.Where == where {
			return statusFail
		}
	}
	for _, f := range r.Warnings {
		if f.Item == item && f.Name == name && f.Where == where {
			return statusWarn
		}
	}
	return statusOK
}

// findings returns the violations and the warnings about one item.
func (r *Report) findings(item, name, where string) (violations, warnings []Finding) {
	for _, f := range r.Violations {
		if f.Item == item && f.Name == name && f.Where == where {
			violations = append(violations, f)
		}
	}
	for _, f := range r.Warnings {
		if f.Item == item && f.Name == name && f.Where == where {
			warnings = append(warnings, f)
		}
	}
	return violations, warnings
}

// end is when the observation ended: the "now" of cookie lifetimes.
func (r *Report) end() time.Time { return r.Time.Add(r.Duration) }

// String writes the decision for people: "stats (analytics): granted", "undeclared: probably
// Meta Pixel / Facebook".
func (d Decision) String() string {
	switch {
	case d.Service != "":
		return d.Service + " (" + d.Category + "): " + d.Reason
	case d.VendorName != "":
		return d.Reason + ": probably " + d.VendorName
	}
	return d.Reason
}

// lifetime is how long the cookie had left when the page was observed ("session" for a session
// cookie).
func (c Cookie) lifetime(now time.Time) string {
	if c.Expires == nil {
		return "session"
	}
	return lifetime(c.Expires.Sub(now))
}

// setter says who set the cookie: "header https://...", "script https://...", "audit".
func (c Cookie) setter() string {
	return strings.TrimSpace(c.SetBy + " " + c.Source)
}
