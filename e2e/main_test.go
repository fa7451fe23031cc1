package e2e

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/consentry/consentry/e2e/harness"
)

// env is the run's browser, stand-in server and assets, shared by every test (see TestMain).
var env *harness.Env

func TestMain(m *testing.M) {
	if _, err := os.Stat(harness.ChromiumPath); err != nil && os.Getenv("CI") != "true" {
		fmt.Fprintln(os.Stderr, "e2e: skipping: "+harness.ChromiumPath+" is missing (apt-get install -y chromium)")
		os.Exit(m.Run()) // the tests skip themselves
	}
	var err error
	env, err = harness.Setup(context.Background(), harness.Options{PolicyFile: "testdata/policy.json", Generic: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: setup:", err)
		os.Exit(1)
	}
	code := m.Run()
	env.Close()
	os.Exit(code)
}

// tab opens a tab for t in a browser context of its own.
func tab(t *testing.T) *harness.Tab {
	t.Helper()
	harness.SkipWithoutChromium(t)
	if env == nil {
		t.Fatal("no test environment")
	}
	tb, err := env.NewTab(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tb.Close)
	return tb
}
