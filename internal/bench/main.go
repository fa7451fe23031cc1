// Command bench measures every performance budget of Consentry in one run and prints one table
// (and writes it to BENCHMARKS.md with -out). Run it with make bench.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"
)

// notes are footnotes that sections add below the table: methods, tool versions.
var notes []string

// Row is one measurement: what, the value measured, the budget it is held to, and whether it holds.
type Row struct {
	Section, Name, Value, Budget string
	OK                           bool
}

func main() {
	out := flag.String("out", "", "also write the table to this Markdown file")
	flag.Parse()
	start := time.Now()
	var rows []Row
	var failed []string
	sections := []struct {
		name string
		run  func() ([]Row, error)
	}{
		{"engine", engineRows},
		{"page module", wasmRows},
		{"edge", edgeRows},
		{"edge growth", edgeGrowthRows},
		{"pages", pageRows},
	}
	for _, s := range sections {
		fmt.Fprintf(os.Stderr, "bench: %s ...\n", s.name)
		r, err := s.run()
		if err != nil {
			failed = append(failed, s.name+": "+err.Error())
			continue
		}
		rows = append(rows, r...)
	}
	var b strings.Builder
	writeTable(&b, rows, failed, time.Since(start))
	fmt.Print(b.String())
	if *out != "" {
		if err := os.WriteFile(*out, []byte(b.String()), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
	}
	if len(failed) > 0 {
		os.Exit(1)
	}
}

func writeTable(w io.Writer, rows []Row, failed []string, took time.Duration) {
	fmt.Fprintf(w, "# Consentry benchmarks\n\n")
	fmt.Fprintf(w, "Measured %s by `make bench` in %s on %s/%s, %d CPUs, %s, %s.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), took.Round(time.Second), runtime.GOOS, runtime.GOARCH,
		runtime.NumCPU(), cpuModel(), runtime.Version())
	fmt.Fprintf(w, "Medians; ratios are against a baseline measured in the same run. ✓ holds the budget, ✗ does not.\n\n")
	fmt.Fprintf(w, "| section | measure | value | budget | |\n|---|---|---|---|---|\n")
	for _, r := range rows {
		mark := "✓"
		if !r.OK {
			mark = "✗"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", r.Section, r.Name, r.Value, r.Budget, mark)
	}
	for _, n := range notes {
		fmt.Fprintf(w, "\n%s\n", n)
	}
	for _, f := range failed {
		fmt.Fprintf(w, "\nnot measured: %s\n", f)
	}
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "model name") {
			if i := strings.IndexByte(line, ':'); i >= 0 {
				return strings.TrimSpace(line[i+1:])
			}
		}
	}
	return "unknown CPU"
}
