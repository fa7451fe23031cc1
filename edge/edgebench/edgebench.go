// Package edgebench measures the edge's budgets (issue 4) for `make bench`: natively, throughput
// and added latency through edge.Handler against a plain httputil.ReverseProxy, for a page (which
// the edge rewrites) and a script (which it passes through); under workerd, the added latency of
// a warm request over a plain JavaScript pass-through worker, the cold first request, memory while
// a 100 MB response streams through, and the worker's size.
//
// Every number comes from one run on this machine, with the origin, the proxies and the load
// generator on loopback, sharing its cores. Ratios compare phases run side by side, in rounds of
// alternating order, and each number is the median over the rounds, so that the machine's speed
// and whatever else runs on it cancel out as far as they can.
package edgebench

import (
	"cmp"
	"compress/gzip"
	"context"
	_ "embed"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/edge"
	"github.com/consentry/consentry/edge/internal/workerbuild"
)

// Row is one line of the performance table.
type Row struct {
	Name   string
	Value  string
	Unit   string
	Budget string // "" when the value is only reported
	OK     bool
}

// Options configures Run.
type Options struct {
	// EdgeDir is the edge/ directory of the repository (for node_modules/workerd and worker/).
	// "" skips the workerd rows.
	EdgeDir string
	// Duration of each native load phase; 0 means 2 s.
	Duration time.Duration
	// Rounds of native phases (one plain, one edge each) per page; 0 means 5.
	Rounds int
	// Conns is the number of concurrent connections (closed loop: one request in flight on each);
	// 0 means 64.
	Conns int
	// WarmRequests is the number of sequential warm requests per worker; 0 means 400.
	WarmRequests int
	// NoNative skips the native rows.
	NoNative bool
	// Log, if set, receives progress lines.
	Log func(format string, args ...any)
}

//go:embed testdata/policy.json
var policyJSON []byte

// Cloudflare's limits on a Worker's size after compression (gzip), as published in the Workers
// limits documentation (checked 2025-11; they have changed before: the Free plan's was 1 MB until
// late 2024): 3 MB on the Free plan, 10 MB on paid plans. wrangler reports the size in KiB: MB
// here are MiB.
const (
	cloudflareFreeLimit = 3 << 20
	cloudflarePaidLimit = 10 << 20
)

// Run measures and returns the table. A measurement that cannot run (workerd missing) is an
// error only when EdgeDir was given.
func Run(ctx context.Context, o Options) ([]Row, error) {
	if o.Duration == 0 {
		o.Duration = 2 * time.Second
	}
	if o.Rounds == 0 {
		o.Rounds = 5
	}
	if o.Conns == 0 {
		o.Conns = 64
	}
	if o.WarmRequests == 0 {
		o.WarmRequests = 400
	}
	if o.Log == nil {
		o.Log = func(string, ...any) {}
	}
	var rows []Row
	if !o.NoNative {
		nr, err := native(ctx, o)
		rows = append(rows, nr...)
		if err != nil {
			return rows, err
		}
	}
	if o.EdgeDir != "" {
		wr, err := workerd(ctx, o)
		rows = append(rows, wr...)
		if err != nil {
			return rows, err
		}
	}
	return rows, nil
}

// benchPage is a representative landing page: 20 KB of markup with the usual third parties, for a
// visitor who granted analytics and not marketing (so the edge holds some elements).
var benchPage = func() []byte {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Bench</title>
<link rel="stylesheet" href="/site.css">
<script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>
<script src="https://connect.facebook.net/en_US/fbevents.js"></script>
<script src="/app.js" defer></script>
</head><body><header><nav><a href="/">Home</a> <a href="/shop">Shop</a></nav></header><main>
`)
	for i := 0; b.Len() < 20000; i++ {
		fmt.Fprintf(&b, `<article class="card"><h2>Product %d</h2><img src="/img/%d.jpg" alt="Product %d" loading="lazy"><p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.</p><a class="button" href="/p/%d">Buy</a></article>`+"\n", i, i, i, i)
		if i%10 == 5 {
			b.WriteString(`<img src="https://www.facebook.com/tr?id=1&amp;ev=ViewContent" width="1" height="1" alt="">` + "\n")
		}
	}
	b.WriteString(`<iframe src="https://www.youtube.com/embed/abc" title="video"></iframe></main></body></html>` + "\n")
	return []byte(b.String())
}()

// benchScript is a 20 KB script: what the edge passes through untouched.
var benchScript = func() []byte {
	var b strings.Builder
	for i := 0; b.Len() < 20000; i++ {
		fmt.Fprintf(&b, "function f%d(a, b) { return document.querySelectorAll('.card-%d').length + a * b; }\n", i, i)
	}
	return []byte(b.String())
}()

// benchOrigin serves the page, a script and a large body on loopback.
func benchOrigin() (*http.Server, string, error) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(benchPage)))
		w.Header().Add("Set-Cookie", "sid=s1; Path=/; HttpOnly")
		w.Header().Add("Set-Cookie", "_ga=GA1.2; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/")
		w.Header().Add("Set-Cookie", "_fbp=fb.1; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/")
		w.Write(benchPage)
	})
	mux.HandleFunc("/app.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Header().Set("Content-Length", strconv.Itoa(len(benchScript)))
		w.Header().Set("Cache-Control", "public, max-age=600")
		w.Write(benchScript)
	})
	mux.HandleFunc("/large", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("bytes"))
		w.Header().Set("Content-Type", r.URL.Query().Get("type"))
		if r.URL.Query().Get("length") != "" {
			w.Header().Set("Content-Length", strconv.Itoa(n))
		}
		block := []byte(strings.Repeat(`<p class="filler">Lorem ipsum <b>dolor</b> sit amet, <img src="/a.png" alt="">.</p>`+"\n", 400))
		for n > 0 {
			k := min(n, len(block))
			if _, err := w.Write(block[:k]); err != nil {
				return
			}
			n -= k
		}
	})
	return serve(mux)
}

func serve(h http.Handler) (*http.Server, string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 1 << 20}
	go srv.Serve(l)
	return srv, "http://" + l.Addr().String(), nil
}

// visitorCookie is what a visitor who granted analytics sends.
func visitorCookie(p *consent.Policy) string {
	v := p.EncodeState(consent.State{Decided: true, Granted: []string{"analytics"}, At: time.Now().Add(-time.Hour).Unix(),
		Source: consent.SourceBanner, ID: "AAAAAAAAAAAA"})
	return "sid=s1; _ga=GA1.2; _gid=GA1.3; " + p.Consent.Cookie + "=" + v
}

func native(ctx context.Context, o Options) ([]Row, error) {
	origin, originURL, err := benchOrigin()
	if err != nil {
		return nil, err
	}
	defer origin.Close()
	target, _ := url.Parse(originURL)

	plain := httputil.NewSingleHostReverseProxy(target)
	plain.Transport = edge.NewTransport(edge.DefaultTimeout)
	plainSrv, plainURL, err := serve(plain)
	if err != nil {
		return nil, err
	}
	defer plainSrv.Close()

	h, err := edge.NewHandler(edge.Config{Origin: originURL, Policy: policyJSON})
	if err != nil {
		return nil, err
	}
	h.Transport = edge.NewTransport(edge.DefaultTimeout)
	edgeSrv, edgeURL, err := serve(h)
	if err != nil {
		return nil, err
	}
	defer edgeSrv.Close()
	cookie := visitorCookie(h.Policy)

	// Check that the edge does its work on the bench page, and passes the script through.
	if body, err := get(edgeURL+"/", cookie); err != nil || !strings.Contains(body, `data-consentry-src="https://connect.facebook.net/en_US/fbevents.js"`) {
		return nil, fmt.Errorf("edgebench: the edge did not rewrite the bench page (err %v)", err)
	}
	if body, err := get(edgeURL+"/app.js", cookie); err != nil || body != string(benchScript) {
		return nil, fmt.Errorf("edgebench: the edge did not pass the bench script through (err %v)", err)
	}

	var rows []Row
	for _, page := range []struct {
		name, path string
		html       bool
	}{
		{"20 KB HTML page", "/", true},
		{"20 KB script", "/app.js", false},
	} {
		plainLoad, edgeLoad := newLoad(plainURL+page.path, cookie, page.html, o.Conns), newLoad(edgeURL+page.path, cookie, page.html, o.Conns)
		// Warm both: connections open, pools and caches filled.
		for _, l := range []*load{plainLoad, edgeLoad} {
			if _, err := l.run(ctx, o.Duration/5); err != nil {
				return nil, err
			}
		}
		// Rounds of plain and edge phases, in alternating order (ABBA) so that drift in what else
		// the machine does hits both alike; each number is the median over the rounds.
		var plainRPS, edgeRPS, ratios []float64
		var plainP99, edgeP99, added, plainCPU, edgeCPU []time.Duration
		for r := 0; r < o.Rounds && ctx.Err() == nil; r++ {
			o.Log("native: %s, round %d of %d", page.name, r+1, o.Rounds)
			order := []*load{plainLoad, edgeLoad}
			if r%2 == 1 {
				order = []*load{edgeLoad, plainLoad}
			}
			res := map[*load]phase{}
			for _, l := range order {
				ph, err := l.run(ctx, o.Duration)
				if err != nil {
					return nil, err
				}
				res[l] = ph
			}
			p, e := res[plainLoad], res[edgeLoad]
			plainRPS, edgeRPS, ratios = append(plainRPS, p.rps), append(edgeRPS, e.rps), append(ratios, e.rps/p.rps)
			plainP99, edgeP99, added = append(plainP99, p.p99), append(edgeP99, e.p99), append(added, e.p99-p.p99)
			plainCPU, edgeCPU = append(plainCPU, p.cpu), append(edgeCPU, e.cpu)
		}
		ratio, add := median(ratios), median(added)
		what := fmt.Sprintf("%s, %d conns", page.name, o.Conns)
		rows = append(rows,
			Row{Name: "native: plain / edge throughput (" + what + ")", Value: fmt.Sprintf("%.0f / %.0f", median(plainRPS), median(edgeRPS)), Unit: "req/s", OK: true},
			Row{Name: "native: edge / plain throughput (" + page.name + ")", Value: fmt.Sprintf("%.2f", ratio), Unit: "×", Budget: "≥ 0.80", OK: ratio >= 0.8},
			Row{Name: "native: p99 latency plain / edge (" + page.name + ")", Value: fmt.Sprintf("%.2f / %.2f", ms(median(plainP99)), ms(median(edgeP99))), Unit: "ms", OK: true},
			Row{Name: "native: p99 added latency (" + page.name + ")", Value: fmt.Sprintf("%.2f", ms(add)), Unit: "ms", Budget: "≤ 1", OK: add <= time.Millisecond},
			Row{Name: "native: CPU per request (load, proxy, origin), plain / edge (" + page.name + ")",
				Value: fmt.Sprintf("%.0f / %.0f", us(median(plainCPU)), us(median(edgeCPU))), Unit: "µs", OK: true},
		)
	}
	return rows, nil
}

func get(u, cookie string) (string, error) {
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Cookie", cookie)
	req.Header.Set("Accept", "text/html")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return string(b), err
}

// load is a closed-loop load generator for one URL: conns keep-alive connections, each with one
// request in flight at a time, sent again as soon as its answer has been read. It is lean, since
// it shares the machine's cores with the servers it measures: one request value per connection,
// reused, sent with the transport directly (no client timers or redirect logic), and bodies read
// into io.Discard.
type load struct {
	tr    *http.Transport
	reqs  []*http.Request
	conns int
}

// newLoad prepares the requests a browser would send for a page (html) or a script.
func newLoad(u, cookie string, html bool, conns int) *load {
	l := &load{conns: conns, tr: &http.Transport{
		MaxConnsPerHost: conns, MaxIdleConnsPerHost: conns, MaxIdleConns: conns,
		DisableCompression: true,
	}}
	for range conns {
		req, _ := http.NewRequest("GET", u, nil)
		req.Header.Set("Cookie", cookie)
		if html {
			req.Header.Set("Accept", "text/html,application/xhtml+xml")
			req.Header.Set("Sec-Fetch-Dest", "document")
		} else {
			req.Header.Set("Accept", "*/*")
			req.Header.Set("Sec-Fetch-Dest", "script")
		}
		l.reqs = append(l.reqs, req)
	}
	return l
}

// phase is what one closed-loop phase measured.
type phase struct {
	rps      float64
	p50, p99 time.Duration
	// cpu is the CPU time the process (load, proxy and origin together) spent per request: what
	// the machine's other work disturbs least.
	cpu time.Duration
}

// run keeps every connection busy for d and returns the throughput and the latencies of the
// requests, each from the moment it was sent until its body was read.
func (l *load) run(ctx context.Context, d time.Duration) (phase, error) {
	var firstErr atomic.Value
	var wg sync.WaitGroup
	lats := make([][]time.Duration, l.conns)
	cpu0 := cpuTime()
	start := time.Now()
	deadline := start.Add(d)
	for i := range l.conns {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			lat := make([]time.Duration, 0, 4096)
			for ctx.Err() == nil {
				t0 := time.Now()
				if !t0.Before(deadline) {
					break
				}
				if err := roundTrip(l.tr, l.reqs[i]); err != nil {
					firstErr.CompareAndSwap(nil, err)
					break
				}
				lat = append(lat, time.Since(t0))
			}
			lats[i] = lat
		}(i)
	}
	wg.Wait()
	elapsed, cpu := time.Since(start), cpuTime()-cpu0
	if err, _ := firstErr.Load().(error); err != nil {
		return phase{}, err
	}
	all := slices.Concat(lats...)
	slices.Sort(all)
	if len(all) == 0 {
		return phase{}, fmt.Errorf("edgebench: no request completed in %v", d)
	}
	return phase{rps: float64(len(all)) / elapsed.Seconds(), p50: quantile(all, 0.5), p99: quantile(all, 0.99),
		cpu: cpu / time.Duration(len(all))}, nil
}

// roundTrip sends req on tr and reads the answer's body.
func roundTrip(tr http.RoundTripper, req *http.Request) error {
	res, err := tr.RoundTrip(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err == nil && res.StatusCode != http.StatusOK {
		err = fmt.Errorf("edgebench: %s: status %d", req.URL, res.StatusCode)
	}
	return err
}

// timed sends req on tr and returns how long the answer took, body included.
func timed(tr http.RoundTripper, req *http.Request) (time.Duration, error) {
	start := time.Now()
	err := roundTrip(tr, req)
	return time.Since(start), err
}

// quantile returns the q-quantile of sorted durations.
func quantile(s []time.Duration, q float64) time.Duration {
	if len(s) == 0 {
		return 0
	}
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

// median returns the median of the values (the lower middle one of an even count).
func median[T cmp.Ordered](v []T) T {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// workerd measures the worker under workerd against a JavaScript pass-through worker.
func workerd(ctx context.Context, o Options) ([]Row, error) {
	bin := filepath.Join(o.EdgeDir, "node_modules", "@cloudflare", "workerd-linux-64", "bin", "workerd")
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("edgebench: workerd is not installed in %s/node_modules (make edge-deps)", o.EdgeDir)
	}
	dir, err := os.MkdirTemp("", "consentry-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	o.Log("workerd: building the worker")
	if err := buildWorker(o.EdgeDir, dir); err != nil {
		return nil, err
	}
	rows := sizeRows(filepath.Join(dir, "app.wasm"))

	origin, originURL, err := benchOrigin()
	if err != nil {
		return rows, err
	}
	defer origin.Close()
	p, err := consent.Load(policyJSON)
	if err != nil {
		return rows, err
	}
	cookie := visitorCookie(p)

	// The Consentry worker, timed from process start to the first answer (the cold request).
	edgeAddr, err := freeAddr()
	if err != nil {
		return rows, err
	}
	started := time.Now()
	edgeProc, err := startWorkerd(bin, filepath.Join(dir, "workerd.capnp"), edgeAddr, dir,
		"CONSENTRY_ORIGIN="+originURL, "CONSENTRY_POLICY="+string(policyJSON))
	if err != nil {
		return rows, err
	}
	defer stop(edgeProc)
	listening := time.Now()
	cold, err := timeOne("http://"+edgeAddr+"/", cookie)
	if err != nil {
		return rows, fmt.Errorf("edgebench: first request to the worker: %v", err)
	}
	rows = append(rows, Row{Name: "workerd: cold first request (starts the Go instance)", Value: fmt.Sprintf("%.1f", ms(cold)), Unit: "ms", OK: true},
		Row{Name: "workerd: process start until listening", Value: fmt.Sprintf("%.0f", ms(listening.Sub(started))), Unit: "ms", OK: true})

	// The JavaScript pass-through worker: the same fetch, in plain JS.
	jsAddr, err := freeAddr()
	if err != nil {
		return rows, err
	}
	if err := writePassThrough(dir); err != nil {
		return rows, err
	}
	jsProc, err := startWorkerd(bin, filepath.Join(dir, "passthrough.capnp"), jsAddr, dir, "CONSENTRY_ORIGIN="+originURL)
	if err != nil {
		return rows, err
	}
	defer stop(jsProc)

	// Warm requests, one at a time, alternating between the two workers.
	for _, page := range []struct {
		name, path string
		html       bool
	}{
		{"20 KB HTML page", "/", true},
		{"20 KB script", "/app.js", false},
	} {
		o.Log("workerd: %s, %d warm requests each", page.name, o.WarmRequests)
		edgeLoad, jsLoad := newLoad("http://"+edgeAddr+page.path, cookie, page.html, 1), newLoad("http://"+jsAddr+page.path, cookie, page.html, 1)
		for range 30 { // warm both
			if _, err := timed(edgeLoad.tr, edgeLoad.reqs[0]); err != nil {
				return rows, err
			}
			if _, err := timed(jsLoad.tr, jsLoad.reqs[0]); err != nil {
				return rows, err
			}
		}
		var edgeLat, jsLat []time.Duration
		for i := 0; i < o.WarmRequests && ctx.Err() == nil; i++ {
			first, second := jsLoad, edgeLoad
			if i%2 == 1 {
				first, second = edgeLoad, jsLoad
			}
			for _, l := range []*load{first, second} {
				d, err := timed(l.tr, l.reqs[0])
				if err != nil {
					return rows, err
				}
				if l == edgeLoad {
					edgeLat = append(edgeLat, d)
				} else {
					jsLat = append(jsLat, d)
				}
			}
		}
		jm, em := median(jsLat), median(edgeLat)
		added := em - jm
		rows = append(rows,
			Row{Name: "workerd: median warm request, JS pass-through / Consentry (" + page.name + ")", Value: fmt.Sprintf("%.2f / %.2f", ms(jm), ms(em)), Unit: "ms", OK: true},
			Row{Name: "workerd: median added latency per warm request (" + page.name + ")", Value: fmt.Sprintf("%.2f", ms(added)), Unit: "ms", Budget: "≤ 1", OK: added <= time.Millisecond})
		edgeLoad.tr.CloseIdleConnections()
		jsLoad.tr.CloseIdleConnections()
	}

	// Memory while 100 MB stream through (HTML, rewritten as it streams), from workerd's RSS.
	for _, kind := range []string{"text/html", "application/octet-stream"} {
		o.Log("workerd: 100 MB of %s", kind)
		base := rss(edgeProc.Process.Pid)
		peak := base
		done := make(chan error, 1)
		go func() {
			l := newLoad("http://"+edgeAddr+"/large?bytes=100000000&length=1&type="+url.QueryEscape(kind), cookie, kind == "text/html", 1)
			defer l.tr.CloseIdleConnections()
			done <- roundTrip(l.tr, l.reqs[0])
		}()
		var streamErr error
	sample:
		for {
			select {
			case streamErr = <-done:
				break sample
			case <-time.After(20 * time.Millisecond):
				peak = max(peak, rss(edgeProc.Process.Pid))
			}
		}
		if streamErr != nil {
			return rows, streamErr
		}
		growth := peak - base
		rows = append(rows, Row{Name: "workerd: memory growth while 100 MB of " + kind + " stream through",
			Value: fmt.Sprintf("%.1f", float64(growth)/(1<<20)), Unit: "MB", Budget: "≤ 20", OK: growth <= 20<<20})
	}
	if n := strings.Count(edgeProc.out.String(), "Go instance"); n != 1 {
		return rows, fmt.Errorf("edgebench: %d Go instance lines in workerd's output, want 1:\n%s", n, edgeProc.out.String())
	}
	return rows, nil
}

// sizeRows reports the worker's size against Cloudflare's limits.
func sizeRows(wasm string) []Row {
	raw, err := os.ReadFile(wasm)
	if err != nil {
		return []Row{{Name: "worker size", Value: err.Error()}}
	}
	cw := &countWriter{}
	zw, _ := gzip.NewWriterLevel(cw, gzip.BestCompression)
	zw.Write(raw)
	zw.Close()
	mb := func(n int) string { return fmt.Sprintf("%.2f", float64(n)/(1<<20)) }
	return []Row{
		{Name: "worker size (app.wasm), raw", Value: mb(len(raw)), Unit: "MB", OK: true},
		{Name: "worker size (app.wasm), gzip: Workers Free plan limit (3 MB, 2025-11)", Value: mb(cw.n), Unit: "MB",
			Budget: "≤ 3", OK: cw.n <= cloudflareFreeLimit},
		{Name: "worker size (app.wasm), gzip: Workers paid plans limit (10 MB, 2025-11)", Value: mb(cw.n), Unit: "MB",
			Budget: "≤ 10", OK: cw.n <= cloudflarePaidLimit},
	}
}

type countWriter struct{ n int }

func (c *countWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

func buildWorker(edgeDir, dir string) error {
	if err := workerbuild.Build(edgeDir, dir); err != nil {
		return fmt.Errorf("edgebench: %v", err)
	}
	return os.MkdirAll(filepath.Join(dir, "assets"), 0o755)
}

// writePassThrough writes the JavaScript pass-through worker and its config.
func writePassThrough(dir string) error {
	js := `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    return fetch(env.CONSENTRY_ORIGIN + url.pathname + url.search, request);
  },
};
`
	capnp := `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "js", worker = .js), (name = "origin", network = (allow = ["public", "private", "local"]))],
  sockets = [(name = "http", address = "127.0.0.1:8788", http = (), service = "js")],
);
const js :Workerd.Worker = (
  modules = [(name = "passthrough.mjs", esModule = embed "passthrough.mjs")],
  compatibilityDate = "2025-11-01",
  bindings = [(name = "CONSENTRY_ORIGIN", fromEnvironment = "CONSENTRY_ORIGIN")],
  globalOutbound = "origin",
);
`
	if err := os.WriteFile(filepath.Join(dir, "passthrough.mjs"), []byte(js), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "passthrough.capnp"), []byte(capnp), 0o644)
}

type proc struct {
	*exec.Cmd
	out *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func startWorkerd(bin, config, addr, dir string, env ...string) (*proc, error) {
	args := []string{"serve", config, "--socket-addr", "http=" + addr}
	if strings.HasSuffix(config, "workerd.capnp") {
		args = append(args, "--directory-path", "assets="+filepath.Join(dir, "assets"))
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	p := &proc{Cmd: cmd, out: &lockedBuffer{}}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond); err == nil {
			c.Close()
			return p, nil
		}
		if time.Now().After(deadline) {
			stop(p)
			return nil, fmt.Errorf("edgebench: workerd did not listen on %s:\n%s", addr, p.out.String())
		}
	}
}

func stop(p *proc) {
	_ = p.Process.Kill()
	_ = p.Wait()
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func timeOne(u, cookie string) (time.Duration, error) {
	l := newLoad(u, cookie, true, 1)
	defer l.tr.CloseIdleConnections()
	return timed(l.tr, l.reqs[0])
}

// rss returns a process's resident set size in bytes (Linux).
func rss(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(v)
			if len(f) > 0 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb << 10
			}
		}
	}
	return 0
}
