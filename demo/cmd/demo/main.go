// Command demo runs Consentry's demo (what `make demo` runs): it builds each demo site's page
// module, starts the sites behind the native edge and the vendors' stand-ins, all on one port,
// and prints the URLs to open.
//
//	go run ./demo/cmd/demo [-addr localhost:8080] [-build build/demo] [-policies demo/policies]
//
// The sites are at huma.localhost, cyberpilot.localhost and huddly.localhost, the stand-ins at
// each vendor's host name under localhost; browsers resolve every *.localhost name to the
// loopback address (Chrome, Edge and Firefox do; -hosts prints /etc/hosts lines for clients that
// do not). Ctrl-C stops it. See package github.com/consentry/consentry/demo.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/consentry/consentry/demo"
	"github.com/consentry/consentry/demo/vendors"
)

func main() {
	addr := flag.String("addr", "localhost:8080", "`host:port` to listen on; localhost listens on both 127.0.0.1 and ::1")
	build := flag.String("build", "build/demo", "`directory` for each site's page module and policy")
	policies := flag.String("policies", "demo/policies", "`directory` of the sites' policy files")
	hosts := flag.Bool("hosts", false, "print /etc/hosts lines for every name the demo serves, and exit")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: go run ./demo/cmd/demo [flags]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if *hosts {
		printHosts()
		return
	}
	if err := run(*addr, *build, *policies); err != nil {
		fmt.Fprintln(os.Stderr, err) // the demo package's errors say "demo:" already
		os.Exit(1)
	}
}

func run(addr, build, policies string) error {
	if _, err := os.Stat(policies); err != nil {
		return fmt.Errorf("demo: %w (run it from the repository's root: make demo)", err)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("demo: -addr: %w", err)
	}
	// Listen before building, so that a port in use is said at once.
	var lns []net.Listener
	if host == "localhost" {
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", port))
		if err != nil {
			return fmt.Errorf("demo: %w (another port: -addr localhost:8090)", err)
		}
		lns = append(lns, ln)
		port = portOf(ln)
		// Browsers may try ::1 first for *.localhost names; where there is no IPv6 loopback, they
		// fall back to 127.0.0.1.
		if ln6, err := net.Listen("tcp", net.JoinHostPort("::1", port)); err == nil {
			lns = append(lns, ln6)
		}
	} else {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		lns = append(lns, ln)
		port = portOf(ln)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	fmt.Printf("Building the page module of each demo site (%s)...\n", strings.Join(demo.Slugs(), ", "))
	d, err := demo.New(ctx, demo.Options{Policies: policies, Build: build, Local: true, Port: port,
		ErrorLog: log.New(os.Stderr, "edge: ", log.LstdFlags)})
	if err != nil {
		if ctx.Err() != nil {
			return nil // interrupted while building
		}
		return err
	}
	defer d.Close()

	srv := &http.Server{Handler: d, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, len(lns))
	for _, ln := range lns {
		go func() { errc <- srv.Serve(ln) }()
	}
	printURLs(d, port, time.Since(start), build)

	select {
	case <-ctx.Done():
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("demo: %w", err)
		}
	}
	fmt.Println("\nStopping.")
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(shutdown)
	return nil
}

func portOf(ln net.Listener) string {
	_, p, _ := net.SplitHostPort(ln.Addr().String())
	return p
}

func printURLs(d *demo.Demo, port string, took time.Duration, build string) {
	fmt.Printf("\nConsentry demo: three sites behind the edge, their vendors played by local stand-ins.\n\n")
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 3, ' ', 0)
	for _, s := range d.Sites {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", s.Name, s.URL, strings.Join(s.Vendors, ", "))
	}
	tw.Flush()
	fmt.Printf("\n  Start here: http://localhost:%s/ (what to try). Each page has an inspector in its corner.\n", port)
	fmt.Printf("\nBuilt in %.1fs (each site's page module and policy are in %s/). Ctrl-C stops.\n", took.Seconds(), build)
}

// printHosts prints the /etc/hosts lines that point every name the demo serves at 127.0.0.1, for
// clients that do not resolve *.localhost themselves.
func printHosts() {
	fmt.Println("# Consentry demo (go run ./demo/cmd/demo -hosts)")
	for _, s := range demo.Slugs() {
		fmt.Println("127.0.0.1 " + s + demo.LocalSuffix)
	}
	for _, h := range vendors.Hosts() {
		fmt.Println("127.0.0.1 " + demo.LocalHost(h))
	}
}
