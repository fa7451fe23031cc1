package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestDeclare(t *testing.T) {
	writePolicies(t)
	tests := []struct {
		name     string
		args     []string
		status   int
		contains []string // in standard output
		lacks    []string
		stderr   []string // in standard error
		file     string   // the output file, when -o is given
	}{
		{name: "html fragment by default", args: []string{"good.json"},
			contains: []string{`<div class="consentry-declaration" lang="en">`, "<code>st_id</code>", "2 years"},
			lacks:    []string{"<!DOCTYPE"}},
		{name: "flags after the policy", args: []string{"good.json", "--format", "md", "--lang", "nb"},
			contains: []string{"## Statistikk", "| `st_id` | Stats Inc | 2 år | Teller besøkende. |"}},
		{name: "flags before the policy", args: []string{"-format=markdown", "-lang=nb", "good.json"},
			contains: []string{"## Statistikk"}},
		{name: "standalone with links", args: []string{"good.json", "--standalone", "--lang", "nb", "--links", "cookies.{lang}.html"},
			contains: []string{"<!DOCTYPE html>", `<html lang="nb">`, `<a href="cookies.en.html" hreflang="en" lang="en">English</a>`}},
		{name: "standalone markdown", args: []string{"good.json", "--standalone", "--format", "md"},
			contains: []string{"# Cookie declaration – Test\n"}},
		{name: "language the policy lacks", args: []string{"good.json", "--lang", "de"},
			contains: []string{`class="consentry-provider">Anbieter</th>`, "2 Jahre", `lang="en">Statistics</h2>`},
			stderr:   []string{`good.json has no texts in "de" (languages: [en nb]); they fall back to "en"`}},
		{name: "output file", args: []string{"good.json", "-o", "out.md", "-format", "md"}, file: "out.md",
			contains: []string{"## Statistics"}},
		{name: "policy with errors", args: []string{"bad.json"}, status: 1,
			stderr: []string{"bad.json: services[0].cookies[0].name: empty", "bad.json: colour: unknown field"}},
		{name: "policy with errors writes no file", args: []string{"bad.json", "-o", "bad.html"}, status: 1,
			stderr: []string{"bad.json: services[0].cookies[0].name: empty"}},
		{name: "missing file", args: []string{"missing.json"}, status: 1,
			stderr: []string{"missing.json: no such file or directory"}},
		{name: "unknown flag", args: []string{"good.json", "--colour"}, status: 2,
			stderr: []string{"flag provided but not defined: -colour", "usage: consentry declare"}},
		{name: "unknown format", args: []string{"good.json", "--format", "pdf"}, status: 2,
			stderr: []string{`consentry declare: unknown format "pdf" (html or md)`}},
		{name: "no policy", args: []string{"--format", "md"}, status: 2,
			stderr: []string{"consentry declare: want one policy file, got 0"}},
		{name: "two policies", args: []string{"good.json", "renamed.jsonc"}, status: 2,
			stderr: []string{"consentry declare: want one policy file, got 2"}},
		{name: "unwritable output", args: []string{"good.json", "-o", "no/such/dir/out.html"}, status: 1,
			stderr: []string{"consentry declare: open no/such/dir/out.html: no such file or directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			status := runDeclare(tt.args, &stdout, &stderr)
			if status != tt.status {
				t.Errorf("status %d, want %d\nstderr:\n%s", status, tt.status, &stderr)
			}
			out := stdout.String()
			if tt.file != "" {
				if out != "" {
					t.Errorf("wrote to stdout with -o:\n%s", out)
				}
				data, err := os.ReadFile(tt.file)
				if err != nil {
					t.Fatal(err)
				}
				out = string(data)
			}
			if status != 0 && out != "" {
				t.Errorf("failed, yet wrote:\n%s", out)
			}
			for _, s := range tt.contains {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tt.lacks {
				if strings.Contains(out, s) {
					t.Errorf("output contains %q", s)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(stderr.String(), s) {
					t.Errorf("stderr lacks %q:\n%s", s, &stderr)
				}
			}
			if tt.stderr == nil && stderr.Len() > 0 {
				t.Errorf("unexpected stderr:\n%s", &stderr)
			}
		})
	}
	if _, err := os.Stat("bad.html"); err == nil {
		t.Error("an invalid policy left an output file")
	}
}
