package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/consent/declaration"
)

func init() {
	register("declare", command{
		summary: "render a policy's cookie declaration (HTML or Markdown)",
		run:     func(args []string) int { return runDeclare(args, os.Stdout, os.Stderr) },
	})
}

// runDeclare renders the cookie declaration of one policy file. Flags may come before or after the
// file. It returns 1 if the policy is invalid or the output cannot be written, 2 for a usage error.
func runDeclare(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("declare", flag.ContinueOnError)
	flags.SetOutput(stderr)
	format := flags.String("format", "html", "output `format`: html or md")
	lang := flags.String("lang", "", "`language` to render in (default: the policy's first language)")
	standalone := flags.Bool("standalone", false, "render a complete page (title, stylesheet, language links) rather than a fragment to embed")
	links := flags.String("links", "", "with -standalone, link the other languages at this `pattern`, in which {lang} is replaced: cookies.{lang}.html")
	out := flags.String("o", "", "write to `file` instead of standard output")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: consentry declare POLICY [-format html|md] [-lang LANG] [-standalone [-links PATTERN]] [-o FILE]\n\nRenders the cookie declaration of a policy file.")
		flags.PrintDefaults()
	}
	files, err := parseInterspersed(flags, args)
	if err != nil {
		return usageStatus(err)
	}
	if len(files) != 1 {
		fmt.Fprintf(stderr, "consentry declare: want one policy file, got %d\n", len(files))
		flags.Usage()
		return 2
	}
	render := declaration.HTML
	switch *format {
	case "html":
	case "md", "markdown":
		render = declaration.Markdown
	default:
		fmt.Fprintf(stderr, "consentry declare: unknown format %q (html or md)\n", *format)
		return 2
	}

	file := files[0]
	p, err := consent.LoadFile(file)
	if err != nil {
		for _, line := range problems(file, err) {
			fmt.Fprintln(stderr, line)
		}
		return 1
	}
	opts := declaration.Options{Lang: *lang, Standalone: *standalone}
	if *links != "" {
		opts.LanguageURL = declaration.URLPattern(*links)
	}
	if *lang != "" && !slices.Contains(p.Languages, *lang) {
		fmt.Fprintf(stderr, "consentry declare: %s has no texts in %q (languages: %v); they fall back to %q\n",
			file, *lang, p.Languages, p.DefaultLanguage())
	}

	// Render in full before writing, so that a failure leaves no half-written file.
	var buf bytes.Buffer
	if err := render(&buf, p, opts); err != nil {
		fmt.Fprintf(stderr, "consentry declare: %s: %v\n", file, err)
		return 1
	}
	if *out == "" {
		if _, err := stdout.Write(buf.Bytes()); err != nil {
			fmt.Fprintf(stderr, "consentry declare: %v\n", err)
			return 1
		}
		return 0
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintf(stderr, "consentry declare: %v\n", err)
		return 1
	}
	return 0
}
