package consent

import (
	"flag"
	"os"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files and test vectors")

// testNow is the clock (unix seconds) of every test that needs one.
var testNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC).Unix()

func loadTestPolicy(t testing.TB, path string) *Policy {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Load(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return p
}

func examplePolicy(t testing.TB) *Policy { return loadTestPolicy(t, "testdata/example.json") }
