package audit

import (
	_ "embed"
	"encoding/base64"
	"html/template"
	"io"
	"net/http"
	"strings"
)

//go:embed report.html.tmpl
var htmlTemplate string

var htmlReport = template.Must(template.New("report").Funcs(template.FuncMap{
	"status": func(r *Report, item, name, where string, blocked bool) string {
		return r.status(item, name, where, blocked)
	},
	"lifetime": func(r *Report, c Cookie) string { return c.lifetime(r.end()) },
	"join":     strings.Join,
	"screenshot": func(b []byte) template.URL {
		// The bytes are the browser's own JPEG (or PNG) and the URL is built here, so it is safe
		// to mark as a URL: html/template would otherwise refuse the data: scheme.
		return template.URL("data:" + http.DetectContentType(b) + ";base64," + base64.StdEncoding.EncodeToString(b))
	},
}).Parse(htmlTemplate))

type htmlData struct {
	Reports              []*Report
	Violations, Warnings int
}

// WriteHTML writes the reports as one standalone HTML page: a summary table, then for each page
// and consent state its screenshot (with the Screenshot option), violations, warnings and
// every item with its status. Everything is inline (styles, screenshots as data: URLs), so the
// file can be archived or attached to a CI run as it is.
func WriteHTML(w io.Writer, reports []*Report) error {
	d := htmlData{Reports: reports}
	d.Violations, d.Warnings = Totals(reports)
	return htmlReport.Execute(w, d)
}
