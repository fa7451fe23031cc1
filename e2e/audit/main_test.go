package audit

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/consentry/consentry/e2e/audit/audittest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// The run's fixture site and browser, shared by every test: the browser starts with the first
// test that needs it (so that the tests without one run without Chromium) and stops in TestMain.
var (
	fixture     *audittest.Server
	browserOnce sync.Once
	browserCtx  context.Context
	browserStop context.CancelFunc
	browserErr  error
)

func TestMain(m *testing.M) {
	flag.Parse()
	fixture = audittest.Start()
	code := m.Run()
	if browserStop != nil {
		browserStop()
	}
	fixture.Close()
	os.Exit(code)
}

// chromium is the browser the tests use: $CONSENTRY_CHROMIUM or Debian's.
func chromium() string {
	if p := os.Getenv(ChromiumEnv); p != "" {
		return p
	}
	return DebianChromium
}

// browser returns the shared browser for a test that needs one. It skips the test when Chromium
// is not installed, except in CI (CI=true), where a missing browser fails it: a green CI must have
// run the end-to-end tests.
func browser(t testing.TB) context.Context {
	t.Helper()
	if _, err := os.Stat(chromium()); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing (apt-get install -y chromium); CI does not skip the end-to-end tests", chromium())
		}
		t.Skipf("%s is missing (apt-get install -y chromium)", chromium())
	}
	browserOnce.Do(func() {
		browserCtx, browserStop, browserErr = NewBrowser(context.Background(), fixture.BrowserOptions()...)
	})
	if browserErr != nil {
		t.Fatal(fmt.Errorf("starting the browser: %w", browserErr))
	}
	return browserCtx
}
