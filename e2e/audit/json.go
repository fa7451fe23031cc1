package audit

import (
	"encoding/json"
	"io"
)

// JSONVersion is the "format" field of WriteJSON's output. It changes only when a field changes
// meaning or goes away; new fields may appear in any version.
const JSONVersion = "consentry-audit/1"

// jsonReports is the document WriteJSON writes.
type jsonReports struct {
	Format     string    `json:"format"`
	Violations int       `json:"violations"`
	Warnings   int       `json:"warnings"`
	Reports    []*Report `json:"reports"`
}

// WriteJSON writes the reports as one JSON document: {"format", "violations", "warnings",
// "reports": [...]}, each report with the field names of Report (screenshots left out).
func WriteJSON(w io.Writer, reports []*Report) error {
	doc := jsonReports{Format: JSONVersion, Reports: reports}
	if doc.Reports == nil {
		doc.Reports = []*Report{}
	}
	doc.Violations, doc.Warnings = Totals(reports)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

// ReadJSON reads what WriteJSON wrote.
func ReadJSON(r io.Reader) ([]*Report, error) {
	var doc jsonReports
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, err
	}
	return doc.Reports, nil
}
