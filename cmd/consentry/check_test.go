package main

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// goodPolicy declares everything itself, so that the tests do not depend on the catalogue.
const goodPolicy = `{
  "site": "Test",
  "languages": ["en", "nb"],
  "categories": [
    {"id": "necessary", "required": true, "label": {"en": "Necessary", "nb": "Nødvendige"}},
    {"id": "analytics", "label": {"en": "Statistics", "nb": "Statistikk"}}
  ],
  "services": [
    {"id": "stats", "category": "analytics", "provider": "Stats Inc", "hosts": ["stats.example.net"],
     "cookies": [{"name": "st_id", "expiry": "2y", "description": {"en": "Counts visitors.", "nb": "Teller besøkende."}}]}
  ]
}`

// badPolicy has three problems, one of each kind the loader reports.
const badPolicy = `{
  "site": "Test",
  "categories": [{"id": "necessary", "required": true, "label": "Necessary"}],
  "services": [{"id": "stats", "category": "necessary", "cookies": [{"name": "", "expiry": "2 years"}]}],
  "colour": "blue"
}`

// writePolicies writes the test policies into a temporary directory and changes into it, so that
// file names in the output are short and predictable.
func writePolicies(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	for name, data := range map[string]string{
		"good.json":     goodPolicy,
		"bad.json":      badPolicy,
		"notjson.json":  `{"site": "Test",`,
		"-dashed.json":  goodPolicy,
		"renamed.jsonc": goodPolicy,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
}

func TestCheck(t *testing.T) {
	writePolicies(t)
	okGood := `ok  good.json \(revision \S{8}, 2 categories, 1 service\)\n`
	tests := []struct {
		name   string
		args   []string
		status int
		stdout string   // a regular expression matching all of standard output
		stderr []string // lines standard error must contain
	}{
		{name: "good policy", args: []string{"good.json"}, stdout: okGood},
		{name: "quiet", args: []string{"-q", "good.json"}},
		{name: "quiet after the file", args: []string{"good.json", "-q"}},
		{name: "several files", args: []string{"good.json", "renamed.jsonc"},
			stdout: okGood + `ok  renamed.jsonc \(revision \S{8}, 2 categories, 1 service\)\n`},
		{name: "policy with errors", args: []string{"bad.json"}, status: 1, stderr: []string{
			"bad.json: services[0].cookies[0].name: empty",
			`bad.json: services[0].cookies[0].expiry: "2 years" is not session, persistent or a count and unit like 30m, 24h, 7d, 2w, 13mo, 2y`,
			"bad.json: colour: unknown field",
		}},
		{name: "good and bad", args: []string{"bad.json", "good.json"}, status: 1, stdout: okGood,
			stderr: []string{"bad.json: services[0].cookies[0].name: empty"}},
		{name: "not JSON", args: []string{"notjson.json"}, status: 1,
			stderr: []string{"notjson.json: not valid JSON: line 1, column 17: "}},
		{name: "missing file", args: []string{"missing.json"}, status: 1,
			stderr: []string{"missing.json: no such file or directory"}},
		{name: "a directory", args: []string{"."}, status: 1, stderr: []string{".: is a directory"}},
		{name: "file after --", args: []string{"--", "-dashed.json"},
			stdout: `ok  -dashed.json \(revision \S{8}, 2 categories, 1 service\)\n`},
		{name: "unknown flag", args: []string{"-x", "good.json"}, status: 2,
			stderr: []string{"flag provided but not defined: -x", "usage: consentry check"}},
		{name: "no files", args: nil, status: 2, stderr: []string{"usage: consentry check [-q] POLICY..."}},
		{name: "help", args: []string{"-h"}, status: 0, stderr: []string{"usage: consentry check"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			status := runCheck(tt.args, &stdout, &stderr)
			if status != tt.status {
				t.Errorf("status %d, want %d\nstdout:\n%s\nstderr:\n%s", status, tt.status, &stdout, &stderr)
			}
			if !regexp.MustCompile(`\A` + tt.stdout + `\z`).MatchString(stdout.String()) {
				t.Errorf("stdout:\n%s\nwant it to match:\n%s", &stdout, tt.stdout)
			}
			lines := strings.Split(stderr.String(), "\n")
			for _, want := range tt.stderr {
				found := false
				for _, l := range lines {
					found = found || strings.HasPrefix(l, want)
				}
				if !found {
					t.Errorf("stderr lacks a line starting %q:\n%s", want, &stderr)
				}
			}
			if tt.stderr == nil && stderr.Len() > 0 {
				t.Errorf("unexpected stderr:\n%s", &stderr)
			}
		})
	}
}

func TestParseInterspersed(t *testing.T) {
	tests := []struct {
		args       []string
		positional []string
		o          string
		q          bool
	}{
		{[]string{"a", "b"}, []string{"a", "b"}, "", false},
		{[]string{"-q", "a"}, []string{"a"}, "", true},
		{[]string{"a", "-q"}, []string{"a"}, "", true},
		{[]string{"a", "-o", "out", "b"}, []string{"a", "b"}, "out", false},
		{[]string{"a", "--o=out", "-q", "b"}, []string{"a", "b"}, "out", true},
		{[]string{"a", "--", "-q", "-o"}, []string{"a", "-q", "-o"}, "", false},
		{[]string{"-o", "--", "a"}, []string{"a"}, "--", false},
		{[]string{"-q", "--", "-o"}, []string{"-o"}, "", true},
		{nil, nil, "", false},
	}
	for _, tt := range tests {
		flags := newTestFlags()
		o := flags.String("o", "", "")
		q := flags.Bool("q", false, "")
		got, err := parseInterspersed(flags, tt.args)
		if err != nil {
			t.Errorf("%q: %v", tt.args, err)
			continue
		}
		if strings.Join(got, " ") != strings.Join(tt.positional, " ") || *o != tt.o || *q != tt.q {
			t.Errorf("%q: positional %q, -o %q, -q %v; want %q, %q, %v", tt.args, got, *o, *q, tt.positional, tt.o, tt.q)
		}
	}
}

func newTestFlags() *flag.FlagSet {
	flags := flag.NewFlagSet("test", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	return flags
}
