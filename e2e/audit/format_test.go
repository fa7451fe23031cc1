package audit

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/consentry/consentry/e2e/audit/audittest"
)

// sampleVisit is an observation written by hand and the state it was made in.
type sampleVisit struct {
	choice Choice
	gpc    bool
	obs    *observation
}

// sampleReports are deterministic reports of the fixture, classified from sampleVisits (fixed
// times, no browser).
func sampleReports() []*Report {
	p := audittest.Policy()
	var out []*Report
	for _, v := range sampleVisits() {
		out = append(out, classify(p, v.choice, v.gpc, v.obs))
	}
	return out
}

// sampleVisits are a page that leaks before consent, one with an undeclared vendor, and a clean
// one with an iframe, in three states.
func sampleVisits() []sampleVisit {
	const day = 24 * time.Hour

	leak := visit("/leak")
	leak.jar = []observedCookie{
		{name: "_st_id", domain: "www.shop.test", path: "/", expires: seconds(365 * day), secure: true},
		{name: "ads_uid", domain: "www.shop.test", path: "/", expires: seconds(7 * day), secure: true},
		{name: "lang", domain: "www.shop.test", path: "/", expires: seconds(time.Hour), secure: true},
		{name: "sid", domain: "www.shop.test", path: "/", expires: -1, httpOnly: true, secure: true, sameSite: "Lax"},
	}
	leak.writes = []write{
		{kind: ItemCookie, setBy: SetByHeader, name: "ads_uid", source: "https://www.shop.test/leak"},
		{kind: ItemCookie, setBy: SetByHeader, name: "sid", source: "https://www.shop.test/leak"},
		{kind: ItemStorage, setBy: SetByScript, name: "cart", source: "https://www.shop.test/leak"},
		{kind: ItemCookie, setBy: SetByScript, name: "lang", source: "https://www.shop.test/leak"},
		{kind: ItemCookie, setBy: SetByScript, name: "_st_id", source: "https://www.shop.test/leak"},
	}
	leak.storage = []observedStorage{{origin: "https://www.shop.test", area: "local", key: "cart"}}
	leak.scripts = []string{"https://www.shop.test/leak"}

	undeclared := visit("/undeclared")
	undeclared.consentCookie = "consentry"
	undeclared.jar = []observedCookie{
		{name: "consentry", domain: ".shop.test", path: "/", expires: seconds(180 * day), secure: true, sameSite: "Lax"},
		{name: "_fbp", domain: "www.shop.test", path: "/", expires: seconds(90 * day), secure: true},
		{name: "sid", domain: "www.shop.test", path: "/", expires: -1, httpOnly: true, secure: true, sameSite: "Lax"},
	}
	undeclared.writes = []write{
		{kind: ItemCookie, setBy: SetByHeader, name: "sid", source: "https://www.shop.test/undeclared"},
		{kind: ItemCookie, setBy: SetByScript, name: "_fbp", source: "https://connect.facebook.net/en_US/fbevents.js"},
		{kind: ItemStorage, setBy: SetByScript, name: "ab_bucket", source: "https://www.shop.test/undeclared"},
	}
	undeclared.storage = []observedStorage{{origin: "https://www.shop.test", area: "local", key: "ab_bucket"}}
	undeclared.requests = []observedRequest{
		{url: "https://www.shop.test/undeclared", resourceType: "Document", mainDocument: true},
		{url: "https://connect.facebook.net/en_US/fbevents.js", resourceType: "Script", initiator: "https://www.shop.test/undeclared"},
		{url: "https://www.facebook.com/tr/?id=1&ev=PageView", resourceType: "Image", initiator: "https://connect.facebook.net/en_US/fbevents.js"},
		{url: "https://www.facebook.com/tr/?id=1&ev=PageView", resourceType: "Image", initiator: "https://connect.facebook.net/en_US/fbevents.js"},
		{url: "https://ads.tracker.example/t.js?<b>", resourceType: "Script", blocked: "csp"},
	}
	undeclared.scripts = []string{"https://www.shop.test/undeclared", "https://connect.facebook.net/en_US/fbevents.js"}
	undeclared.notes = []string{"not observed (runs in a process of its own): worker https://www.shop.test/sw.js"}
	undeclared.screenshot = []byte("\xff\xd8\xff\xe0 not really a JPEG")

	home := visit("/")
	home.consentCookie = "consentry"
	home.jar = []observedCookie{
		{name: "consentry", domain: ".shop.test", path: "/", expires: seconds(180 * day), secure: true, sameSite: "Lax"},
		{name: "_st_id", domain: "www.shop.test", path: "/", expires: seconds(365*day - time.Second), secure: true, sameSite: "Lax"},
		{name: "vv_pref", domain: "video.video-vendor.example", path: "/", expires: seconds(90 * day), secure: true, sameSite: "None"},
	}
	home.writes = []write{
		{kind: ItemCookie, setBy: SetByScript, name: "_st_id", source: "https://cdn.stats-vendor.example/st.js"},
		{kind: ItemCookie, setBy: SetByHeader, name: "vv_pref", source: "https://video.video-vendor.example/embed/1"},
	}
	home.storage = []observedStorage{{origin: "https://video.video-vendor.example", area: "local", key: "vv_volume"}}
	home.requests = []observedRequest{
		{url: "https://cdn.stats-vendor.example/st.js", resourceType: "Script", initiator: "https://www.shop.test/"},
		{url: "https://video.video-vendor.example/embed/1", resourceType: "Document", initiator: "https://www.shop.test/"},
	}
	home.scripts = []string{"https://cdn.stats-vendor.example/st.js"}
	home.frames = []string{"https://video.video-vendor.example/embed/1"}
	home.links = []string{"https://www.shop.test/about", "https://elsewhere.example/"}

	return []sampleVisit{{None, false, leak}, {All, false, undeclared}, {All, true, home}}
}

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test ./e2e/audit -update and review the diff.\ngot:\n%s", path, got)
	}
}

func TestFormatsGolden(t *testing.T) {
	for _, tt := range []struct {
		format Format
		file   string
	}{
		{WriteText, "report.txt"},
		{WriteJSON, "report.json"},
		{WriteJUnit, "report.junit.xml"},
		{WriteHTML, "report.html"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.format(&b, sampleReports()); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.file, b.Bytes())
		})
	}
}

func TestFormatsOfNoReport(t *testing.T) {
	for name, format := range Formats {
		var b bytes.Buffer
		if err := format(&b, nil); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if b.Len() == 0 {
			t.Errorf("%s: no output", name)
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	reports := sampleReports()
	var b bytes.Buffer
	if err := WriteJSON(&b, reports); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(&b)
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	WriteJSON(&again, back)
	b.Reset()
	WriteJSON(&b, reports)
	if b.String() != again.String() {
		t.Errorf("JSON does not survive a round trip")
	}
}

// TestHTMLEscapes makes sure that what a page controls (URLs, cookie names, storage keys) cannot
// inject markup into the report.
func TestHTMLEscapes(t *testing.T) {
	p := audittest.Policy()
	o := visit("/")
	o.jar = []observedCookie{{name: `<script>alert(1)</script>`, domain: "www.shop.test", path: "/", expires: -1}}
	o.storage = []observedStorage{{origin: "https://www.shop.test", area: "local", key: `"><img src=x onerror=alert(2)>`}}
	var b bytes.Buffer
	if err := WriteHTML(&b, []*Report{classify(p, None, false, o)}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script>alert", "<img src=x"} {
		if strings.Contains(b.String(), bad) {
			t.Errorf("HTML report contains %q unescaped", bad)
		}
	}
}
