// Command edgebench prints the edge's performance table (make bench):
//
//	go run ./edge/edgebench/cmd/edgebench -edge edge
//
// It exits 1 when a budget is missed.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"github.com/consentry/consentry/edge/edgebench"
)

func main() {
	edgeDir := flag.String("edge", "edge", "the repository's edge/ directory (\"\" skips workerd)")
	d := flag.Duration("d", 2*time.Second, "duration of each native load phase")
	rounds := flag.Int("rounds", 5, "rounds of native phases (plain, edge) per page; numbers are medians over them")
	conns := flag.Int("conns", 64, "concurrent connections")
	warm := flag.Int("warm", 400, "sequential warm requests per worker")
	noNative := flag.Bool("no-native", false, "skip the native rows")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run (the native rows: origin, proxies and load together) to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "edgebench:", err)
			os.Exit(2)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "edgebench:", err)
			os.Exit(2)
		}
		defer pprof.StopCPUProfile()
	}
	rows, err := edgebench.Run(context.Background(), edgebench.Options{EdgeDir: *edgeDir, Duration: *d, Rounds: *rounds, Conns: *conns,
		WarmRequests: *warm, NoNative: *noNative, Log: func(f string, a ...any) { fmt.Fprintf(os.Stderr, f+"\n", a...) }})
	ok := true
	for _, r := range rows {
		mark := "ok"
		if !r.OK {
			mark, ok = "MISSED", false
		}
		budget := r.Budget
		if budget == "" {
			budget = "-"
		}
		fmt.Printf("%-80s %14s %-6s %-10s %s\n", r.Name, r.Value, r.Unit, budget, mark)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "edgebench:", err)
		pprof.StopCPUProfile()
		os.Exit(2)
	}
	if !ok {
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}
