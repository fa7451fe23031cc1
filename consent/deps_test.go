package consent

import (
	"os/exec"
	"strings"
	"testing"
)

// TestPageModuleDependencies keeps the engine small in the page: the js/wasm build of this package
// must not reach packages that add hundreds of kilobytes to every visitor's download
// (encoding/json and fmt about 1.3 MB and 0.5 MB raw; regexp, text/template and reflect likewise).
func TestPageModuleDependencies(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	forbidden := map[string]bool{"fmt": true, "encoding/json": true, "regexp": true, "text/template": true,
		"html/template": true, "reflect": true, "net/http": true, "net/url": true, "golang.org/x/net/publicsuffix": true}
	for _, dep := range strings.Fields(string(out)) {
		if forbidden[dep] {
			t.Errorf("the js/wasm build of consent depends on %s (find who imports it: GOOS=js GOARCH=wasm go list -deps -f '{{.ImportPath}}: {{.Imports}}' ./consent)", dep)
		}
	}
}
