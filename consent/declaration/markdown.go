package declaration

import (
	"bufio"
	"io"
	"strings"

	"github.com/consentry/consentry/consent"
)

// Markdown writes the declaration of p as GitHub-flavoured Markdown: a "##" heading per category,
// its description, and a pipe table per kind of item. With opts.Standalone it starts with a "#"
// title and, when opts.LanguageURL is set, a line of links to the other languages.
//
// Text from the policy is escaped so that it reads as written: Markdown punctuation is
// backslash-escaped, "|" cannot end a table cell, and line breaks inside a cell become <br>.
func Markdown(w io.Writer, p *consent.Policy, opts Options) error {
	if p == nil {
		return errNoPolicy
	}
	d := build(p, opts)
	bw := bufio.NewWriter(w)
	m := &markdown{w: bw, d: d}
	m.document()
	return bw.Flush() // bufio's errors are sticky: the first failed write is the one reported
}

type markdown struct {
	w *bufio.Writer
	d *declaration
}

func (m *markdown) s(parts ...string) {
	for _, p := range parts {
		m.w.WriteString(p)
	}
}

func (m *markdown) document() {
	d, w := m.d, m.d.W
	if d.standalone {
		m.s("# ", mdInline(d.Title), "\n\n")
		if len(d.Languages) > 0 {
			m.s(mdInline(w.language), ": ")
			for i, l := range d.Languages {
				if i > 0 {
					m.s(" · ")
				}
				if l.Current {
					m.s("**", mdInline(l.Name), "**")
				} else {
					m.s(mdLink(mdInline(l.Name), l.URL))
				}
			}
			m.s("\n\n")
		}
	}
	for i, c := range d.Categories {
		if i > 0 {
			m.s("\n")
		}
		m.s("## ", mdInline(strings.Join(c.Label.Lines(), " ")), "\n\n")
		if c.Required {
			m.s("*", mdInline(w.alwaysActive), "*\n\n")
		}
		for _, para := range c.Description.Paragraphs {
			for j, line := range para {
				if j > 0 {
					m.s("\\\n") // a hard line break
				}
				m.s(mdLine(line))
			}
			m.s("\n\n")
		}
		if len(c.Tables)+len(c.Services) == 0 {
			m.s(mdInline(w.none), "\n")
		}
		for j, t := range c.Tables {
			if j > 0 {
				m.s("\n")
			}
			m.table(t)
		}
		if len(c.Services) > 0 {
			lead := w.services
			if len(c.Tables) > 0 {
				lead = w.moreServices
				m.s("\n")
			}
			m.s("**", mdInline(lead), "**\n\n")
			for _, s := range c.Services {
				m.s("- ", mdProvider(s.Provider, mdInline))
				if !s.Description.empty() {
					m.s(": ", mdInline(strings.Join(s.Description.Lines(), " ")))
				}
				m.s("\n")
			}
		}
	}
}

func (m *markdown) table(t table) {
	w := m.d.W
	m.s("**", mdInline(t.Caption), "**\n\n")
	head := []string{w.name, w.provider, w.expiry, w.purpose}
	if t.Domain {
		head = []string{w.name, w.provider, w.domain, w.expiry, w.purpose}
	}
	m.s("|")
	for _, h := range head {
		m.s(" ", mdCell(h), " |")
	}
	m.s("\n|")
	for range head {
		m.s(" --- |")
	}
	m.s("\n")
	for _, r := range t.Rows {
		provider := mdProvider(r.Provider, mdCell)
		expiry := mdCell(r.Expiry)
		if note := r.ExpiryNote.Lines(); len(note) > 0 {
			expiry += " (" + mdCellLines(note) + ")"
		}
		m.s("| ", mdCode(r.Name), " | ", provider, " | ")
		if t.Domain {
			m.s(mdCell(r.Domain), " | ")
		}
		m.s(expiry, " | ", mdCellLines(r.Purpose.Lines()), " |\n")
	}
}

// mdEscaped is the ASCII punctuation that can start or end Markdown inline syntax: emphasis, code,
// links, HTML, entities, strikethrough and (in tables) cell boundaries. CommonMark lets any ASCII
// punctuation be backslash-escaped (spec §2.4), so escaping one that did not need it is harmless.
const mdEscaped = "\\`*_[]<>&|~#"

// mdInline escapes text for inline use: a heading, a paragraph line, a link's text.
func mdInline(s string) string {
	if !strings.ContainsAny(s, mdEscaped) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(mdEscaped, s[i]) >= 0 && !(s[i] == '&' && !startsEntity(s[i+1:])) {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// startsEntity reports whether an "&" before s could start an entity or character reference
// ("&amp;", "&#38;"); only then does it need escaping, which keeps "Nordlys & Co" readable.
func startsEntity(s string) bool {
	return s != "" && (s[0] == '#' || s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z')
}

// mdLine escapes one line of a paragraph: inline syntax, and what would make the line a block of
// its own (a list item, a quote, a heading underline, a thematic break, an ordered list).
func mdLine(s string) string {
	s = mdInline(s)
	if s == "" {
		return s
	}
	switch s[0] {
	case '-', '+', '=':
		return "\\" + s
	}
	// "1. " or "1) " starts an ordered list.
	i := 0
	for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') {
		return s[:i] + "\\" + s[i:]
	}
	return s
}

// mdCell escapes text for a table cell (which is one line).
func mdCell(s string) string { return mdInline(strings.Join(strings.Fields(s), " ")) }

// mdCellLines joins lines into one cell with <br>, GitHub's way of breaking a line in a table.
func mdCellLines(lines []string) string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = mdCell(l)
	}
	return strings.Join(out, "<br>")
}

// mdCode writes s as a code span, fenced with more backticks than it contains in a row (CommonMark
// §6.1). Backslashes do not escape inside code spans, but GitHub's tables split cells on "|" before
// reading code spans and honour "\|" there, so "|" is still escaped.
func mdCode(s string) string {
	s = strings.ReplaceAll(strings.Join(strings.Fields(s), " "), "|", "\\|")
	run, longest := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// mdProvider is a provider's name, escaped with escape, linked to its privacy policy.
func mdProvider(p provider, escape func(string) string) string {
	if p.URL == "" {
		return escape(p.Name)
	}
	return mdLink(escape(p.Name), p.URL)
}

// mdLink links text (already escaped) to url. Only http(s) URLs and site paths are linked: the
// policy loader allows no others, and a javascript: URL must not become a link in any case. The
// characters that could end the destination or a table cell are percent-encoded.
func mdLink(text, url string) string {
	if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "/") {
		return text
	}
	r := strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "|", "%7C",
		"\\", "%5C", "\n", "", "\r", "")
	return "[" + text + "](" + r.Replace(url) + ")"
}
