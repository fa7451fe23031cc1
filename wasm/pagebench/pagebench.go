// Package pagebench measures the page module's budgets (issue 3) in headless Chromium, in one run,
// against baselines built and measured in the same run: the sizes of consentry.js and the engine,
// the engine's start against a bare syscall/js Go program, the cost of cookie and storage writes
// through the engine against native ones, a script-insertion decision, the gate's synchronous run
// beside yett's, and the time to release an allowed script on a first and a returning visit.
//
// `make bench` prints Run's rows as a table (Print).
package pagebench

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/e2e/harness"
	"github.com/consentry/consentry/wasm"
)

// Options configure Run.
type Options struct {
	// PolicyFile is the policy compiled into the engine (default e2e/testdata/policy.json).
	PolicyFile string
	// Loads is how many page loads each timing's median is taken over (at least 15).
	Loads int
	// Ops is how many writes the per-operation costs are averaged over (at least 100,000).
	Ops int
	// Yett is the version of yett (npm) whose synchronous run is reported beside the gate's; it is
	// fetched with `npm pack` into the user's cache directory. "" leaves it out.
	Yett string
	// Log, when set, gets progress lines.
	Log io.Writer
}

// Row is one measurement: its value, its budget ("" when it is only reported) and whether the value
// is within the budget.
type Row struct {
	Name, Value, Budget string
	OK                  bool
}

const (
	jsBudgetBrotli  = 6 * 1024
	syncRunBudgetMS = 2.0
	wasmBudget      = 1.15
	readyBudget     = 1.25
	writeBudget     = 3.0
	insertBudgetUS  = 20.0
	benchHost       = "bench.shop.test"
	bannerHost      = "bench-banner.shop.test" // no consent cookie: the banner shows
	defaultPolicy   = "e2e/testdata/policy.json"
)

// Run builds the assets, starts Chromium and measures. It needs /usr/bin/chromium and the brotli
// command (Debian's brotli package).
func Run(ctx context.Context, opts Options) ([]Row, error) {
	if opts.PolicyFile == "" {
		opts.PolicyFile = defaultPolicy
	}
	opts.Loads = max(opts.Loads, 15)
	opts.Ops = max(opts.Ops, 100000)
	logf := func(format string, args ...any) {
		if opts.Log != nil {
			fmt.Fprintf(opts.Log, format+"\n", args...)
		}
	}
	if !harness.Chromium() {
		return nil, errors.New("pagebench: " + harness.ChromiumPath + " is missing (apt-get install -y chromium)")
	}
	logf("building the engine, the benchmark engine and the bare Go program")
	env, err := harness.Setup(ctx, harness.Options{PolicyFile: opts.PolicyFile})
	if err != nil {
		return nil, err
	}
	defer env.Close()
	tmp, err := os.MkdirTemp("", "consentry-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	benchRes, err := wasm.Build(ctx, wasm.Options{Policy: env.Policy, Out: filepath.Join(tmp, "funcof"), Tags: []string{"consentry_bench"}})
	if err != nil {
		return nil, err
	}
	bare := filepath.Join(tmp, "bare.wasm")
	if err := wasm.BuildBare(ctx, "go", bare); err != nil {
		return nil, err
	}
	execJS, err := wasmExecJS(ctx)
	if err != nil {
		return nil, err
	}
	serve := func(path, ctype string, body []byte) {
		env.SetHandler(benchHost, path, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ctype)
			w.Header().Set("Cache-Control", "public, max-age=3600")
			w.Write(body)
		}))
	}
	serveFile := func(path, ctype, file string) error {
		b, err := os.ReadFile(file)
		if err == nil {
			serve(path, ctype, b)
		}
		return err
	}
	if err := errors.Join(
		// consentry.js as a CDN would serve it for the warm-cache measure (the site's own copy is
		// revalidated on every view, which measures the network, not the gate).
		serveFile("/cached/consentry.js", "text/javascript", filepath.Join(env.Assets, "consentry.js")),
		serveFile("/cached/"+env.WasmName, "application/wasm", filepath.Join(env.Assets, env.WasmName)),
		serveFile("/bare/bare.wasm", "application/wasm", bare),
		serveFile("/funcof/consentry.js", "text/javascript", benchRes.JS),
		serveFile("/funcof/"+benchRes.WasmName, "application/wasm", benchRes.Wasm),
	); err != nil {
		return nil, err
	}
	serve("/bare/wasm_exec.js", "text/javascript", execJS)

	var rows []Row
	// Sizes.
	jsRaw, err := os.ReadFile(filepath.Join(env.Assets, "consentry.js"))
	if err != nil {
		return nil, err
	}
	wasmRaw, err := os.ReadFile(filepath.Join(env.Assets, env.WasmName))
	if err != nil {
		return nil, err
	}
	bareRaw, err := os.ReadFile(bare)
	if err != nil {
		return nil, err
	}
	jsBr, err := brotliSize(jsRaw)
	if err != nil {
		return nil, err
	}
	wasmBr, err := brotliSize(wasmRaw)
	if err != nil {
		return nil, err
	}
	rows = append(rows,
		Row{"consentry.js (gate + wasm_exec.js, minified): raw / gzip / brotli",
			fmt.Sprintf("%s / %s / %s", kb(len(jsRaw)), kb(gzipSize(jsRaw)), kb(jsBr)), "brotli ≤ 6.0 KB", jsBr <= jsBudgetBrotli},
		Row{"engine " + env.WasmName + ": raw / gzip / brotli",
			fmt.Sprintf("%s / %s / %s", kb(len(wasmRaw)), kb(gzipSize(wasmRaw)), kb(wasmBr)), "", true},
		Row{"bare syscall/js Go program (runtime floor): raw", kb(len(bareRaw)), "", true},
		ratioRow("engine raw size / bare Go", float64(len(wasmRaw))/float64(len(bareRaw)), wasmBudget),
	)

	tab, err := env.NewTab(ctx)
	if err != nil {
		return nil, err
	}
	defer tab.Close()
	if err := tab.SetConsent(benchHost, consent.State{Granted: []string{"necessary", "functionality"}}); err != nil {
		return nil, err
	}

	// Time from navigation start to "Go runs": the engine against the bare program.
	env.SetPage(benchHost, "/ready-engine", `<!doctype html><html><head>`+harness.Tag+`</head><body></body></html>`)
	env.SetPage(benchHost, "/ready-bare", `<!doctype html><html><head><script src="/bare/wasm_exec.js"></script>
<script>const go = new Go(); WebAssembly.instantiateStreaming(fetch("/bare/bare.wasm"), go.importObject).then((r) => go.run(r.instance));</script>
</head><body></body></html>`)
	logf("engine ready against the bare Go program, %d loads each", opts.Loads)
	var engineReady, bareReady []float64
	for i := 0; i <= opts.Loads; i++ { // the first load of each warms the HTTP cache
		e, err := markTime(tab, "https://"+benchHost+"/ready-engine", "consentry:ready")
		if err != nil {
			return nil, err
		}
		b, err := markTime(tab, "https://"+benchHost+"/ready-bare", "go:ready")
		if err != nil {
			return nil, err
		}
		if i > 0 {
			engineReady, bareReady = append(engineReady, e), append(bareReady, b)
		}
	}
	me, mb := median(engineReady), median(bareReady)
	rows = append(rows,
		Row{"navigation start → engine ready (median)", ms(me), "", true},
		Row{"navigation start → bare Go ready (median)", ms(mb), "", true},
		ratioRow("engine ready / bare Go ready", me/mb, readyBudget),
	)

	// Time from navigation start to the frame that first shows the banner, for a visitor without a
	// decision (internal/bench puts the same measure of other consent managers beside it).
	logf("banner visible, %d loads", opts.Loads)
	env.SetPage(bannerHost, "/banner", `<!doctype html><html lang="en"><head>`+harness.Tag+`
<script>(function f() { var r = document.querySelector("[data-consentry-ui]"), b = r && r.shadowRoot && r.shadowRoot.querySelector(".ly");
  if (b && b.getBoundingClientRect().height > 0) performance.mark("consentry:banner"); else requestAnimationFrame(f); })();</script>
</head><body><main><h1>Banner</h1></main></body></html>`)
	var bannerVisible []float64
	for i := 0; i <= opts.Loads; i++ {
		v, err := markTime(tab, "https://"+bannerHost+"/banner", "consentry:banner")
		if err != nil {
			return nil, err
		}
		if i > 0 {
			bannerVisible = append(bannerVisible, v)
		}
	}
	rows = append(rows, Row{"navigation start → banner visible, no decision (median)", ms(median(bannerVisible)), "", true})

	// The gate's synchronous run with a warm cache, beside yett's.
	logf("synchronous run of consentry.js")
	sync, err := syncRun(tab, env, "/cached/consentry.js", "", opts.Loads)
	if err != nil {
		return nil, err
	}
	rows = append(rows, Row{"consentry.js synchronous run, warm cache (median)", ms(sync), "≤ 2 ms", sync <= syncRunBudgetMS})
	if opts.Yett != "" {
		y, err := yettScript(ctx, opts.Yett)
		if err != nil {
			rows = append(rows, Row{"yett " + opts.Yett + " synchronous run", "n/a: " + err.Error(), "", true})
		} else {
			serve("/yett/yett.min.js", "text/javascript", y)
			ys, err := syncRun(tab, env, "/yett/yett.min.js", `window.YETT_BLACKLIST = [/google-analytics/];`, opts.Loads)
			if err != nil {
				return nil, err
			}
			rows = append(rows, Row{"yett " + opts.Yett + " synchronous run, warm cache (median), for comparison", ms(ys), "", true})
		}
	}

	// Writes through the engine against native writes, and the insertion decision. Both run in one
	// page, alternately, a few rounds each: the native functions are taken before the gate runs.
	logf("write costs, %d operations per round", opts.Ops)
	env.SetPage(benchHost, "/engine", `<!doctype html><html><head><script>
window.__n = {cookie: Object.getOwnPropertyDescriptor(Document.prototype, "cookie").set, setItem: Storage.prototype.setItem,
  ls: localStorage, append: Node.prototype.appendChild, setAttribute: Element.prototype.setAttribute};
</script><script src="/funcof/consentry.js"></script></head><body></body></html>`)
	n := strconv.Itoa(opts.Ops)
	loop := func(body string, ops string) string {
		return `(() => { const N = window.__n, t = performance.now(); for (let i = 0; i < ` + ops + `; i++) { ` + body + ` } return (performance.now() - t) * 1e6 / ` + ops + `; })()`
	}
	loops := map[string]string{
		"cookie-native":  loop(`N.cookie.call(document, "session=v" + (i & 15));`, n),
		"cookie-engine":  loop(`document.cookie = "session=v" + (i & 15);`, n),
		"storage-native": loop(`N.setItem.call(N.ls, "cart", "v" + (i & 15));`, n),
		"storage-engine": loop(`localStorage.setItem("cart", "v" + (i & 15));`, n),
		"denied":         loop(`document.cookie = "_ga=v" + (i & 15);`, n),
		"funcof":         loop(`consentry.benchDecideFuncOf("_ga");`, strconv.Itoa(opts.Ops/10)),
		"insert-native": loop(`const s = document.createElement("script"); N.setAttribute.call(s, "type", "text/plain");
  N.setAttribute.call(s, "data-src", "https://connect.facebook.net/en_US/fbevents.js?i=" + i); N.append.call(document.head, s);`, "2000"),
		"insert-engine": loop(`const s = document.createElement("script"); s.src = "https://connect.facebook.net/en_US/fbevents.js?i=" + i;
  document.head.appendChild(s);`, "2000"),
	}
	order := []string{"cookie-native", "cookie-engine", "storage-native", "storage-engine", "denied", "funcof", "insert-native", "insert-engine"}
	got := map[string][]float64{}
	for round := 0; round < 3; round++ {
		if err := tab.Open("https://" + benchHost + "/engine"); err != nil {
			return nil, err
		}
		if err := tab.WaitReady(); err != nil {
			return nil, err
		}
		for _, k := range order {
			v, err := harness.Eval[float64](tab, loops[k])
			if err != nil {
				return nil, fmt.Errorf("pagebench: %s: %w", k, err)
			}
			got[k] = append(got[k], v)
		}
	}
	m := func(k string) float64 { return median(got[k]) }
	nc, ec, ns, es, ed, ef := m("cookie-native"), m("cookie-engine"), m("storage-native"), m("storage-engine"), m("denied"), m("funcof")
	ni, ei := m("insert-native")/1000, m("insert-engine")/1000
	rows = append(rows,
		Row{"document.cookie write: native / through the engine (ns per op, median of 3 rounds)", fmt.Sprintf("%.0f / %.0f", nc, ec), "", true},
		ratioRow("document.cookie write through the engine / native", ec/nc, writeBudget),
		Row{"localStorage.setItem: native / through the engine (ns per op)", fmt.Sprintf("%.0f / %.0f", ns, es), "", true},
		ratioRow("localStorage.setItem through the engine / native", es/ns, writeBudget),
		Row{"denied cookie write (decision only, //go:wasmexport), ns per op", fmt.Sprintf("%.0f", ed), "", true},
		Row{"the same decision through a syscall/js js.FuncOf callback, ns per op", fmt.Sprintf("%.0f (%.0f× the export)", ef, ef/ed), "", true},
		Row{"script insertion (createElement + src + appendChild): native inert / through the engine, µs", fmt.Sprintf("%.1f / %.1f", ni, ei), "", true},
		Row{"script-insertion decision (engine − native), µs", fmt.Sprintf("%.1f", ei-ni), "≤ 20 µs", ei-ni <= insertBudgetUS},
	)

	// Time to release an allowed script: first visit (no snapshot) and returning visit.
	logf("time to release an allowed script")
	env.SetPage(benchHost, "/release", `<!doctype html><html><head>`+harness.Tag+`
<script src="https://widget.intercom.io/widget/probe.js?probe=release"></script></head><body></body></html>`)
	var first, again []float64
	for i := 0; i < 5; i++ {
		t, err := env.NewTab(ctx)
		if err != nil {
			return nil, err
		}
		if err := t.SetConsent(benchHost, consent.State{Granted: []string{"necessary", "functionality"}}); err != nil {
			t.Close()
			return nil, err
		}
		f, err1 := markTime(t, "https://"+benchHost+"/release", "standin:probe:release")
		a, err2 := markTime(t, "https://"+benchHost+"/release", "standin:probe:release")
		t.Close()
		if err := errors.Join(err1, err2); err != nil {
			return nil, err
		}
		first, again = append(first, f), append(again, a)
	}
	rows = append(rows, Row{"allowed script runs after navigation start: first visit / returning visit (median)",
		ms(median(first)) + " / " + ms(median(again)), "", true})
	return rows, nil
}

// markTime loads url and returns the startTime of the performance mark name (ms since navigation).
func markTime(t *harness.Tab, url, name string) (float64, error) {
	if err := t.Open(url); err != nil {
		return 0, err
	}
	var v float64
	ok := t.WaitFor(20*time.Second, func() bool {
		x, err := harness.Eval[[]float64](t, `performance.getEntriesByName("`+name+`").map((e) => e.startTime)`)
		if err == nil && len(x) > 0 {
			v = x[0]
			return true
		}
		return false
	})
	if !ok {
		return 0, errors.New("pagebench: " + url + ": no mark " + name + "; console: " + strings.Join(t.Console(), " | "))
	}
	return v, nil
}

// syncRun returns the median time between the inline scripts around script (ms): loading it from
// the warm cache, compiling and running it. DevTools' network instrumentation is off meanwhile: it
// records a stack trace for every request a script starts (the gate starts the engine's), which
// costs milliseconds that a visitor's browser does not spend.
func syncRun(t *harness.Tab, env *harness.Env, script, before string, loads int) (float64, error) {
	if _, err := chromedp.Call(t.Ctx, network.Disable, cdp.Empty{}); err != nil {
		return 0, err
	}
	defer chromedp.Call(t.Ctx, network.Enable, network.EnableParams{})
	path := "/sync" + strings.ReplaceAll(script, "/", "-")
	env.SetPage(benchHost, path, `<!doctype html><html><head><script>`+before+`window.__t0 = performance.now();</script>
<script src="`+script+`"></script><script>window.__d = performance.now() - window.__t0;</script></head><body></body></html>`)
	var d []float64
	for i := 0; i <= loads; i++ {
		if err := t.Open("https://" + benchHost + path); err != nil {
			return 0, err
		}
		v, err := harness.Eval[float64](t, `window.__d`)
		if err != nil {
			return 0, err
		}
		if i > 0 {
			d = append(d, v)
		}
	}
	return median(d), nil
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func ratioRow(name string, r, budget float64) Row {
	return Row{name, fmt.Sprintf("%.2f×", r), fmt.Sprintf("≤ %.2f×", budget), r <= budget}
}

func ms(v float64) string { return fmt.Sprintf("%.1f ms", v) }

func kb(n int) string { return fmt.Sprintf("%.1f KB", float64(n)/1024) }

func gzipSize(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}

// brotliSize compresses b with the brotli command at its highest quality, as a server precompresses
// static files.
func brotliSize(b []byte) (int, error) {
	cmd := exec.Command("brotli", "-c", "-q", "11")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		return 0, errors.New("pagebench: brotli (apt-get install -y brotli): " + err.Error())
	}
	return len(out), nil
}

func wasmExecJS(ctx context.Context) ([]byte, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOROOT").Output()
	if err != nil {
		return nil, err
	}
	return os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "lib", "wasm", "wasm_exec.js"))
}

// yettScript returns yett's dist/yett.min.js of the given version, fetched once with npm pack into
// the user's cache directory.
func yettScript(ctx context.Context, version string) ([]byte, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "consentry", "yett-"+version)
	tgz := filepath.Join(dir, "yett-"+version+".tgz")
	if _, err := os.Stat(tgz); err != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		cmd := exec.CommandContext(ctx, "npm", "pack", "yett@"+version, "--pack-destination", dir)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, errors.New("npm pack yett@" + version + ": " + err.Error() + ": " + string(out))
		}
	}
	f, err := os.Open(tgz)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err != nil {
			return nil, errors.New("yett package without dist/yett.min.js")
		}
		if h.Name == "package/dist/yett.min.js" {
			return io.ReadAll(tr)
		}
	}
}

// Print writes rows as a table: measurement, value, budget and whether it is met.
func Print(w io.Writer, rows []Row) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "measurement\tvalue\tbudget\t")
	for _, r := range rows {
		mark := ""
		if r.Budget != "" {
			mark = "ok"
			if !r.OK {
				mark = "OVER"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Name, r.Value, r.Budget, mark)
	}
	tw.Flush()
}
