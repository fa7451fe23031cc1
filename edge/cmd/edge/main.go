// Command edge runs Consentry's edge worker natively: a reverse proxy to the site's origin that
// enforces each visitor's consent (see package github.com/consentry/consentry/edge).
//
//	go run ./edge/cmd/edge -origin http://127.0.0.1:8081 -policy site.json -assets build/ -listen :8080
//
// Every flag defaults to its environment variable: CONSENTRY_ORIGIN, CONSENTRY_POLICY (a file),
// CONSENTRY_ASSETS (a directory), CONSENTRY_LISTEN, CONSENTRY_MINIFY, CONSENTRY_TIMEOUT,
// CONSENTRY_ASSET_PREFIX.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/consentry/consentry/edge"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "edge:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	env, err := edge.ConfigFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("edge", flag.ContinueOnError)
	origin := fs.String("origin", env.Origin, "origin URL (CONSENTRY_ORIGIN)")
	policy := fs.String("policy", os.Getenv("CONSENTRY_POLICY"), "policy file (CONSENTRY_POLICY)")
	assets := fs.String("assets", env.Assets, "directory of the page module's files (CONSENTRY_ASSETS)")
	listen := fs.String("listen", envOr("CONSENTRY_LISTEN", "127.0.0.1:8080"), "address to listen on (CONSENTRY_LISTEN)")
	minify := fs.Bool("minify", env.Minify, "minify rewritten HTML (CONSENTRY_MINIFY)")
	timeout := fs.Duration("timeout", env.Timeout, "wait this long for the origin's response headers (CONSENTRY_TIMEOUT)")
	prefix := fs.String("asset-prefix", env.AssetPrefix, "path the assets are served under (CONSENTRY_ASSET_PREFIX)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *origin == "" {
		return errors.New("no origin: set -origin or CONSENTRY_ORIGIN")
	}
	if *policy == "" {
		return errors.New("no policy: set -policy or CONSENTRY_POLICY")
	}
	data, err := os.ReadFile(*policy)
	if err != nil {
		return err
	}
	h, err := edge.NewHandler(edge.Config{Origin: *origin, Policy: data, Minify: *minify, AssetPrefix: *prefix})
	if err != nil {
		return fmt.Errorf("%s: %w", *policy, err)
	}
	h.Transport = edge.NewTransport(*timeout)
	if *assets != "" {
		if st, err := os.Stat(*assets); err != nil || !st.IsDir() {
			return fmt.Errorf("assets %q: not a directory", *assets)
		}
		h.Assets = edge.DirAssets(os.DirFS(*assets))
	}
	srv := &http.Server{Addr: *listen, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	log.Printf("edge: http://%s -> %s (policy %s, revision %s)", *listen, *origin, *policy, h.Policy.Revision)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
