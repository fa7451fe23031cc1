package edge

import (
	"log"
	"testing"
)

// quietLog returns a logger that writes to the test's log, shown only when the test fails or with -v.
func quietLog(t testing.TB) *log.Logger { return log.New(testWriter{t}, "", 0) }

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Logf("%s", p)
	return len(p), nil
}
