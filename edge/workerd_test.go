package edge

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consentry/consentry/edge/internal/workerbuild"
)

// This file runs the worker under the real Workers runtime: workerd from the npm package pinned in
// edge/package-lock.json (make edge-deps), with the worker built for GOOS=js GOARCH=wasm and the
// entry module and config of edge/worker. The same case table as natively runs against it.

// workerdBinary returns the workerd executable installed by npm in edge/node_modules. Without it
// the test is skipped, unless CI=true, where it must be there.
func workerdBinary(t testing.TB) string {
	for _, p := range []string{
		"node_modules/@cloudflare/workerd-linux-64/bin/workerd",
		"node_modules/.bin/workerd",
	} {
		if abs, err := filepath.Abs(p); err == nil {
			if _, err := os.Stat(abs); err == nil {
				return abs
			}
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("workerd is not installed in edge/node_modules: run `make edge-deps` (npm ci in edge/)")
	}
	t.Skip("workerd is not installed in edge/node_modules (run `make edge-deps`); skipping the worker tests")
	return ""
}

var (
	workerBuildOnce sync.Once
	workerBuildDir  string
	workerBuildErr  error
)

// buildWorker builds app.wasm and puts it beside the entry module, wasm_exec.js and the config,
// once per test binary.
func buildWorker(t testing.TB) string {
	workerBuildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "consentry-worker-")
		if err != nil {
			workerBuildErr = err
			return
		}
		workerBuildDir = dir
		workerBuildErr = workerbuild.Build(".", dir)
	})
	if workerBuildErr != nil {
		t.Fatal(workerBuildErr)
	}
	return workerBuildDir
}

// workerdEdge is the worker running in workerd.
type workerdEdge struct {
	URL string
	cmd *exec.Cmd
	out *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
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

// startWorkerd starts workerd with the worker in front of origin; extraEnv adds CONSENTRY_*
// settings.
func startWorkerd(t testing.TB, origin string, extraEnv ...string) *workerdEdge {
	bin := workerdBinary(t)
	dir := buildWorker(t)
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve", filepath.Join(dir, "workerd.capnp"),
		"--socket-addr", "http="+addr, "--directory-path", "assets="+assetDir(t))
	cmd.Env = append(os.Environ(),
		"CONSENTRY_ORIGIN="+origin,
		"CONSENTRY_POLICY="+string(mustRead("testdata/policy.json")),
		"CONSENTRY_TIMEOUT="+testTimeout.String())
	cmd.Env = append(cmd.Env, extraEnv...)
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	e := &workerdEdge{URL: "http://" + addr, cmd: cmd, out: out}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("workerd output:\n%s", out.String())
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("workerd did not listen on %s:\n%s", addr, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return e
}

// instancesStarted counts the Go instances the entry module started, from its log lines.
func (e *workerdEdge) instancesStarted() int {
	return strings.Count(e.out.String(), "consentry: Go instance ") - strings.Count(e.out.String(), " exited")
}

func freeAddr(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestWorkerdEdge runs the case table against the worker in workerd, then checks that every
// request was served by one Go instance.
func TestWorkerdEdge(t *testing.T) {
	o := newTestOrigin(t)
	e := startWorkerd(t, o.URL)
	aborts := 0
	runEdgeCases(t, e.URL, o, func() bool {
		// Each aborted response logs the abort once, shortly after: wait for a new one.
		for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if n := strings.Count(e.out.String(), "response aborted: the origin's body failed"); n > aborts {
				aborts++
				return true
			}
		}
		return false
	})
	if n := e.instancesStarted(); n != 1 {
		t.Errorf("%d Go instances served the table, want 1:\n%s", n, e.out.String())
	}
	if strings.Contains(e.out.String(), "exited") {
		t.Errorf("a Go instance exited:\n%s", e.out.String())
	}
}

// TestWorkerdOneInstance shows the entry module's point: two requests, one Go instance, and the
// second request does not pay for starting one.
func TestWorkerdOneInstance(t *testing.T) {
	o := newTestOrigin(t)
	e := startWorkerd(t, o.URL)
	var took [2]time.Duration
	for i := range took {
		start := time.Now()
		res, err := http.Get(e.URL + "/app.js")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		took[i] = time.Since(start)
		if res.StatusCode != 200 {
			t.Fatalf("request %d: status %d", i+1, res.StatusCode)
		}
	}
	if n := e.instancesStarted(); n != 1 {
		t.Errorf("%d Go instances for two requests, want 1:\n%s", n, e.out.String())
	}
	t.Logf("first request (starts the instance) %v, second %v", took[0], took[1])
}

// TestWorkerdMinifyUnavailable: the worker is built without HTML minification (it would not fit
// the Free plan's size limit), and a worker configured to minify says so on every request
// instead of silently not minifying.
func TestWorkerdMinifyUnavailable(t *testing.T) {
	o := newTestOrigin(t)
	e := startWorkerd(t, o.URL, "CONSENTRY_MINIFY=1")
	res, err := http.Get(e.URL + "/page")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusInternalServerError || !strings.Contains(string(body), "CONSENTRY_MINIFY") {
		t.Errorf("status %d, body %q", res.StatusCode, body)
	}
}
