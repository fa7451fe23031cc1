// Command pagebench prints the page module's budget table (see package pagebench). Run it from the
// repository root: go run ./wasm/pagebench/cmd/pagebench
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/consentry/consentry/wasm/pagebench"
)

func main() {
	policy := flag.String("policy", "", "the policy file compiled into the engine (default e2e/testdata/policy.json)")
	loads := flag.Int("loads", 15, "page loads per timing median (at least 15)")
	ops := flag.Int("ops", 100000, "operations per write cost (at least 100000)")
	yett := flag.String("yett", "0.1.13", "yett version to compare the gate's synchronous run with (\"\" to leave out)")
	flag.Parse()
	rows, err := pagebench.Run(context.Background(), pagebench.Options{PolicyFile: *policy, Loads: *loads, Ops: *ops, Yett: *yett, Log: os.Stderr})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	pagebench.Print(os.Stdout, rows)
	for _, r := range rows {
		if r.Budget != "" && !r.OK {
			os.Exit(1)
		}
	}
}
