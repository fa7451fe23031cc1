package edge

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// assetDir writes the asset fixtures into a temporary directory.
func assetDir(t testing.TB) string {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "consentry.js"), []byte(testGate), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "consentry.0123abcd.wasm"), testWasm, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".secret"), []byte("no"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// newNativeEdge starts the edge natively in front of o, configured as the workerd test configures
// the worker.
func newNativeEdge(t testing.TB, o *testOrigin) *httptest.Server {
	h, err := NewHandler(Config{Origin: o.URL, Policy: mustRead("testdata/policy.json")})
	if err != nil {
		t.Fatal(err)
	}
	h.Transport = NewTransport(testTimeout)
	h.Assets = DirAssets(os.DirFS(assetDir(t)))
	h.ErrorLog = quietLog(t)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// TestNativeEdge runs the case table against the edge on net/http.
func TestNativeEdge(t *testing.T) {
	o := newTestOrigin(t)
	srv := newNativeEdge(t, o)
	runEdgeCases(t, srv.URL, o, nil)
}
