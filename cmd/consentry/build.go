package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/wasm"
)

func init() {
	register("build", command{summary: "build the page assets (consentry.js and the engine) of a policy", run: runBuild})
}

func runBuild(args []string) int {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	policy := fs.String("policy", "", "the policy `file` (JSON) to compile into the engine")
	generic := fs.Bool("generic", false, "build the generic engine, which reads the policy at run time from the tag's data-policy URL")
	out := fs.String("out", "", "the `directory` to write consentry.js and consentry.<hash>.wasm into")
	noMin := fs.Bool("no-minify", false, "leave consentry.js readable")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: consentry build (--policy FILE | --generic) --out DIR")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || (*policy == "") == !*generic || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	opts := wasm.Options{Out: *out, NoMinify: *noMin}
	if !*generic {
		p, err := consent.LoadFile(*policy)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		opts.Policy = p
	}
	res, err := wasm.Build(context.Background(), opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "consentry build:", err)
		return 1
	}
	for _, f := range []string{res.JS, res.Wasm} {
		if st, err := os.Stat(f); err == nil {
			fmt.Printf("%s\t%d bytes\n", f, st.Size())
		}
	}
	return 0
}
