package declaration

import (
	"bufio"
	"html/template"
	"io"

	"github.com/consentry/consentry/consent"
)

// HTML writes the declaration of p as HTML: a fragment (a <div class="consentry-declaration">
// holding a <section> per category, with an <h2> and a <table> per kind of item), or with
// opts.Standalone a complete page. Every text is escaped by html/template; the output has no
// scripts and no inline event handlers, so it passes a strict Content-Security-Policy (the
// standalone page's stylesheet is an inline <style> element).
//
// The fragment marks text meant only for screen readers with the class consentry-vh; a page that
// embeds it should style that class as visually hidden, as Stylesheet does. Each table is wrapped in
// a div.consentry-table that scrolls sideways on narrow screens. It has no tabindex: Firefox and
// Chromium (since version 130, October 2024) let the keyboard focus a container only when it does
// scroll, whereas a tabindex would add a tab stop per table on every screen.
func HTML(w io.Writer, p *consent.Policy, opts Options) error {
	if p == nil {
		return errNoPolicy
	}
	d := build(p, opts)
	bw := bufio.NewWriter(w)
	name := "fragment"
	if opts.Standalone {
		name = "page"
	}
	if err := htmlTemplates.ExecuteTemplate(bw, name, htmlData{d, template.CSS(Stylesheet)}); err != nil {
		return err
	}
	return bw.Flush()
}

type htmlData struct {
	*declaration
	Style template.CSS
}

// Stylesheet is the standalone page's stylesheet. Its rules for the declaration itself are scoped to
// .consentry-declaration, so a site may include it with an embedded fragment.
const Stylesheet = `:root{color-scheme:light dark}
body{font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:70rem;margin:0 auto;padding:1rem 1.5rem 4rem}
h1{font-size:1.75rem;line-height:1.2;margin:1rem 0 2rem}
.consentry-languages{display:flex;flex-wrap:wrap;justify-content:flex-end;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
.consentry-languages a[aria-current]{font-weight:700;text-decoration:none;color:inherit}
.consentry-declaration section{margin:0 0 3rem}
.consentry-declaration h2{font-size:1.3rem;margin:0 0 .5rem}
.consentry-declaration p{margin:.5rem 0;max-width:45rem}
.consentry-declaration .consentry-always{display:inline-block;margin:0;padding:0 .5rem;border:1px solid;border-radius:1rem;font-size:.85rem}
.consentry-declaration .consentry-table{overflow-x:auto;margin:1.25rem 0 0}
.consentry-declaration .consentry-table:focus-visible{outline:2px solid;outline-offset:2px}
.consentry-declaration table{width:100%;border-collapse:collapse;font-size:.95rem;table-layout:fixed}
.consentry-declaration caption{text-align:start;font-weight:600;padding:0 0 .25rem}
.consentry-declaration th,.consentry-declaration td{text-align:start;vertical-align:top;padding:.45rem .75rem .45rem 0;border-bottom:1px solid rgb(128 128 128 / .35);overflow-wrap:anywhere}
.consentry-declaration thead th{border-bottom:2px solid rgb(128 128 128 / .7);hyphens:auto}
.consentry-declaration tbody th{font-weight:400}
.consentry-declaration code{font:.9em/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
.consentry-declaration .consentry-name{width:19%}
.consentry-declaration .consentry-provider{width:14%}
.consentry-declaration .consentry-domain{width:14%}
.consentry-declaration .consentry-expiry{width:13%}
.consentry-declaration .consentry-services{font-weight:600;margin-top:1.25rem}
.consentry-declaration ul{margin:.25rem 0;padding-inline-start:1.25rem;max-width:45rem}
@media (max-width:40rem){.consentry-declaration table{min-width:40rem}}
.consentry-vh{position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
`

// The templates are laid out for readable output (the golden files are reviewed as diffs), hence
// the trimming markers.
var htmlTemplates = template.Must(template.New("").Parse(`
{{- define "page" -}}
<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
{{.Style}}</style>
</head>
<body>
{{- if .Languages}}
<header>
<nav aria-label="{{.W.Language}}">
<ul class="consentry-languages">
{{- range .Languages}}
<li><a href="{{.URL}}" hreflang="{{.Tag}}" lang="{{.Tag}}"{{if .Current}} aria-current="page"{{end}}>{{.Name}}</a></li>
{{- end}}
</ul>
</nav>
</header>
{{- end}}
<main>
<h1>{{.Title}}</h1>
{{template "fragment" .}}
</main>
</body>
</html>
{{end}}

{{- define "fragment" -}}
<div class="consentry-declaration" lang="{{.Lang}}">
{{- $w := .W}}
{{- range .Categories}}
{{- $id := .ID}}
{{- $label := .Label}}
<section aria-labelledby="cookies-{{$id}}">
<h2 id="cookies-{{$id}}"{{with $label.Lang}} lang="{{.}}"{{end}}>{{template "inline" $label}}</h2>
{{- if .Required}}
<p class="consentry-always">{{$w.AlwaysActive}}</p>
{{- end}}
{{- $lang := .Description.Lang}}
{{- range .Description.Paragraphs}}
<p{{with $lang}} lang="{{.}}"{{end}}>{{range $i, $l := .}}{{if $i}}<br>{{end}}{{$l}}{{end}}</p>
{{- end}}
{{- range .Tables}}
{{- $domain := .Domain}}
<div class="consentry-table">
<table class="consentry-{{.Kind}}">
<caption>{{.Caption}}<span class="consentry-vh"> – {{template "text" $label}}</span></caption>
<thead>
<tr><th scope="col" class="consentry-name">{{$w.Name}}</th><th scope="col" class="consentry-provider">{{$w.Provider}}</th>
{{- if $domain}}<th scope="col" class="consentry-domain">{{$w.Domain}}</th>{{end -}}
<th scope="col" class="consentry-expiry">{{$w.Expiry}}</th><th scope="col">{{$w.Purpose}}</th></tr>
</thead>
<tbody>
{{- range .Rows}}
<tr>
<th scope="row"><code>{{.Name}}</code></th>
<td>{{template "provider" .Provider}}</td>
{{- if $domain}}
<td>{{.Domain}}</td>
{{- end}}
<td>{{.Expiry}}{{if .ExpiryNote.Paragraphs}} ({{template "text" .ExpiryNote}}){{end}}</td>
<td{{with .Purpose.Lang}} lang="{{.}}"{{end}}>{{range $i, $l := .Purpose.Lines}}{{if $i}}<br>{{end}}{{$l}}{{end}}</td>
</tr>
{{- end}}
</tbody>
</table>
</div>
{{- else}}
{{- if not .Services}}
<p>{{$w.None}}</p>
{{- end}}
{{- end}}
{{- if .Services}}
<p class="consentry-services" id="cookies-{{$id}}-services">{{if .Tables}}{{$w.MoreServices}}{{else}}{{$w.Services}}{{end}}</p>
<ul aria-labelledby="cookies-{{$id}}-services">
{{- range .Services}}
<li>{{template "provider" .Provider}}{{if .Description.Paragraphs}}: {{template "text" .Description}}{{end}}</li>
{{- end}}
</ul>
{{- end}}
</section>
{{- end}}
</div>
{{- end}}

{{- /* inline: a text on one line, its lines joined by spaces */ -}}
{{- define "inline"}}{{range $i, $l := .Lines}}{{if $i}} {{end}}{{$l}}{{end}}{{end}}

{{- /* text: inline, in a span of its own language when that is not the document's */ -}}
{{- define "text"}}{{if .Lang}}<span lang="{{.Lang}}">{{template "inline" .}}</span>{{else}}{{template "inline" .}}{{end}}{{end}}

{{- define "provider"}}{{if .URL}}<a href="{{.URL}}" aria-label="{{.Label}}">{{.Name}}</a>{{else}}{{.Name}}{{end}}{{end}}
`))
