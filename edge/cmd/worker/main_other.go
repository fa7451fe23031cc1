//go:build !(js && wasm)

// Command worker is Consentry's edge worker for Cloudflare Workers. It only builds for
// GOOS=js GOARCH=wasm (see main.go); this stub says so when it is run natively.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "worker: build with GOOS=js GOARCH=wasm (make worker); to run the edge natively: go run ./edge/cmd/edge")
	os.Exit(2)
}
