// Package edgebench measures the edge's budgets (issue 4) for `make bench`: natively, throughput
// and added latency through edge.Handler against a plain httputil.ReverseProxy; under workerd, the
// added latency of a warm request over a plain JavaScript pass-through worker, the cold first
// request, memory while a 100 MB response streams through, and the worker's size.
//
// Every number comes from one run on this machine, with the origin, the proxies and the load on
// loopback; ratios compare runs made side by side, so that the machine's speed cancels out.
package edgebench

import (
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
	// Duration of each native load phase; 0 means 5 s.
	Duration time.Duration
	// Conns is the number of concurrent connections; 0 means 64.
	Conns int
	// WarmRequests is the number of sequential warm requests per worker; 0 means 400.
	WarmRequests int
	// Log, if set, receives progress lines.
	Log func(format string, args ...any)
}

//go:embed testdata/policy.json
var policyJSON []byte

// Cloudflare's limit on a Worker's size after compression, as published in the Workers limits
// documentation (checked 2025-11): 3 MB on the Free plan, 10 MB on paid plans.
const (
	cloudflareFreeLimit = 3 << 20
	cloudflarePaidLimit = 10 << 20
)

// Run measures and returns the table. A measurement that cannot run (workerd missing) is an
// error only when EdgeDir was given.
func Run(ctx context.Context, o Options) ([]Row, error) {
	if o.Duration == 0 {
		o.Duration = 5 * time.Second
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
	rows, err := native(ctx, o)
	if err != nil {
		return rows, err
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

	// Check that the edge does its work on the bench page.
	if body, err := get(edgeURL+"/", cookie); err != nil || !strings.Contains(body, `data-consentry-src="https://connect.facebook.net/en_US/fbevents.js"`) {
		return nil, fmt.Errorf("edgebench: the edge did not rewrite the bench page (err %v)", err)
	}

	// Throughput: closed loop, o.Conns connections, alternating phases so that drift hits both.
	var plainRPS, edgeRPS []float64
	for i := 0; i < 2; i++ {
		o.Log("native: throughput round %d", i+1)
		r, _, err := closedLoop(ctx, plainURL+"/", cookie, o.Conns, o.Duration/2)
		if err != nil {
			return nil, err
		}
		plainRPS = append(plainRPS, r)
		r, _, err = closedLoop(ctx, edgeURL+"/", cookie, o.Conns, o.Duration/2)
		if err != nil {
			return nil, err
		}
		edgeRPS = append(edgeRPS, r)
	}
	pr, er := mean(plainRPS), mean(edgeRPS)
	ratio := er / pr

	// Added latency: the same offered load (open loop, a quarter of what the plain proxy sustains,
	// over o.Conns connections) through both; p99 through the edge minus p99 through the plain
	// proxy.
	rate := pr / 4
	o.Log("native: latency at %.0f requests/s", rate)
	plainLat, err := openLoop(ctx, plainURL+"/", cookie, o.Conns, rate, o.Duration)
	if err != nil {
		return nil, err
	}
	edgeLat, err := openLoop(ctx, edgeURL+"/", cookie, o.Conns, rate, o.Duration)
	if err != nil {
		return nil, err
	}
	pp99, ep99 := percentile(plainLat, 0.99), percentile(edgeLat, 0.99)
	added := ep99 - pp99

	return []Row{
		{Name: "native: plain reverse proxy throughput (20 KB page, " + strconv.Itoa(o.Conns) + " conns)", Value: fmt.Sprintf("%.0f", pr), Unit: "req/s", OK: true},
		{Name: "native: edge throughput (same page, rewritten)", Value: fmt.Sprintf("%.0f", er), Unit: "req/s", OK: true},
		{Name: "native: edge / plain throughput", Value: fmt.Sprintf("%.2f", ratio), Unit: "×", Budget: "≥ 0.80", OK: ratio >= 0.8},
		{Name: fmt.Sprintf("native: p99 latency plain / edge at %.0f req/s", rate), Value: fmt.Sprintf("%.2f / %.2f", ms(pp99), ms(ep99)), Unit: "ms", OK: true},
		{Name: "native: p99 added latency", Value: fmt.Sprintf("%.2f", ms(added)), Unit: "ms", Budget: "≤ 1", OK: added <= time.Millisecond},
	}, nil
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

func newClient(conns int) *http.Client {
	return &http.Client{Transport: &http.Transport{
		MaxConnsPerHost: conns, MaxIdleConnsPerHost: conns, MaxIdleConns: conns,
		DisableCompression: true,
	}, Timeout: 30 * time.Second}
}

func do(c *http.Client, u, cookie string) (time.Duration, error) {
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Cookie", cookie)
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	start := time.Now()
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		return 0, fmt.Errorf("edgebench: %s: status %d", u, res.StatusCode)
	}
	return time.Since(start), err
}

// closedLoop keeps conns requests in flight for d and returns requests per second.
func closedLoop(ctx context.Context, u, cookie string, conns int, d time.Duration) (float64, []time.Duration, error) {
	c := newClient(conns)
	defer c.CloseIdleConnections()
	var n atomic.Int64
	var firstErr atomic.Value
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	lats := make([][]time.Duration, conns)
	start := time.Now()
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for time.Now().Before(deadline) && ctx.Err() == nil {
				lat, err := do(c, u, cookie)
				if err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				lats[i] = append(lats[i], lat)
				n.Add(1)
			}
		}(i)
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return 0, nil, err
	}
	return float64(n.Load()) / time.Since(start).Seconds(), slices.Concat(lats...), nil
}

// openLoop sends requests at rate per second for d, spread over conns connections, and returns the
// latencies (measured from each request's scheduled start, so that queueing counts).
func openLoop(ctx context.Context, u, cookie string, conns int, rate float64, d time.Duration) ([]time.Duration, error) {
	c := newClient(conns)
	defer c.CloseIdleConnections()
	interval := time.Duration(float64(time.Second) / rate * float64(conns))
	var wg sync.WaitGroup
	var firstErr atomic.Value
	lats := make([][]time.Duration, conns)
	start := time.Now()
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			next := start.Add(time.Duration(i) * interval / time.Duration(conns))
			for next.Before(start.Add(d)) && ctx.Err() == nil {
				if w := time.Until(next); w > 0 {
					time.Sleep(w)
				}
				if _, err := do(c, u, cookie); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				lats[i] = append(lats[i], time.Since(next))
				next = next.Add(interval)
			}
		}(i)
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return nil, err
	}
	return slices.Concat(lats...), nil
}

func percentile(d []time.Duration, q float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

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

	o.Log("workerd: %d warm requests each", o.WarmRequests)
	c := newClient(1)
	for i := 0; i < 30; i++ { // warm both
		do(c, "http://"+edgeAddr+"/", cookie)
		do(c, "http://"+jsAddr+"/", cookie)
	}
	var edgeLat, jsLat []time.Duration
	for i := 0; i < o.WarmRequests && ctx.Err() == nil; i++ {
		l, err := do(c, "http://"+jsAddr+"/", cookie)
		if err != nil {
			return rows, err
		}
		jsLat = append(jsLat, l)
		l, err = do(c, "http://"+edgeAddr+"/", cookie)
		if err != nil {
			return rows, err
		}
		edgeLat = append(edgeLat, l)
	}
	jm, em := percentile(jsLat, 0.5), percentile(edgeLat, 0.5)
	added := em - jm
	rows = append(rows,
		Row{Name: "workerd: median warm request, JS pass-through / Consentry (20 KB page)", Value: fmt.Sprintf("%.2f / %.2f", ms(jm), ms(em)), Unit: "ms", OK: true},
		Row{Name: "workerd: median added latency per warm request", Value: fmt.Sprintf("%.2f", ms(added)), Unit: "ms", Budget: "≤ 1", OK: added <= time.Millisecond})

	// Memory while 100 MB stream through (HTML, rewritten as it streams), from workerd's RSS.
	for _, kind := range []string{"text/html", "application/octet-stream"} {
		o.Log("workerd: 100 MB of %s", kind)
		base := rss(edgeProc.Process.Pid)
		peak := base
		done := make(chan error, 1)
		go func() {
			_, err := do(newClient(1), "http://"+edgeAddr+"/large?bytes=100000000&length=1&type="+url.QueryEscape(kind), cookie)
			done <- err
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

// sizeRows reports the worker's size against Cloudflare's limit.
func sizeRows(wasm string) []Row {
	raw, err := os.ReadFile(wasm)
	if err != nil {
		return []Row{{Name: "worker size", Value: err.Error()}}
	}
	cw := &countWriter{}
	zw, _ := gzip.NewWriterLevel(cw, gzip.BestCompression)
	zw.Write(raw)
	zw.Close()
	return []Row{
		{Name: "worker size (app.wasm), raw", Value: fmt.Sprintf("%.2f", float64(len(raw))/(1<<20)), Unit: "MB", OK: true},
		{Name: "worker size (app.wasm), gzip (Cloudflare limit, 2025-11: 3 MB Free, 10 MB paid)", Value: fmt.Sprintf("%.2f", float64(cw.n)/(1<<20)), Unit: "MB",
			Budget: "≤ 10 (paid)", OK: cw.n <= cloudflarePaidLimit},
	}
}

type countWriter struct{ n int }

func (c *countWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

func buildWorker(edgeDir, dir string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, "app.wasm"), "./cmd/worker")
	cmd.Dir = edgeDir
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("edgebench: building the worker: %v\n%s", err, out)
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return err
	}
	for src, dst := range map[string]string{
		filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"): "wasm_exec.js",
		filepath.Join(edgeDir, "worker", "entry.mjs"):                                   "entry.mjs",
		filepath.Join(edgeDir, "worker", "workerd.capnp"):                               "workerd.capnp",
	} {
		b, err := os.ReadFile(src)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, dst), b, 0o644)
		}
		if err != nil {
			return err
		}
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
	c := newClient(1)
	defer c.CloseIdleConnections()
	return do(c, u, cookie)
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
