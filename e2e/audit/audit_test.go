package audit

import (
	"bytes"
	"encoding/xml"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/consentry/consentry/e2e/audit/audittest"
)

// states are the consent states the end-to-end tests open pages in.
var states = []struct {
	name   string
	choice Choice
	gpc    bool
}{
	{"none", None, false},
	{"all", All, false},
	{"reject", Reject, false},
	{"analytics", Categories("analytics"), false},
	{"media", Categories("media"), false},
	{"all+gpc", All, true},
	{"none+gpc", None, true},
}

func options(choice Choice, gpc bool) []Option {
	opts := []Option{Consent(choice)}
	if gpc {
		opts = append(opts, GPC())
	}
	return opts
}

// keys lists findings as "rule item name" lines, sorted, for comparison.
func keys(fs []Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.Rule+" "+f.Item+" "+f.Name)
	}
	slices.Sort(out)
	return out
}

func audit(t *testing.T, path string, opts ...Option) *Report {
	t.Helper()
	// The fixture answers at once: a shorter quiet period than the default keeps the run short.
	opts = append([]Option{Settle(250*time.Millisecond, DefaultLimit)}, opts...)
	r, err := Run(browser(t), audittest.Site+path, fixture.Policy, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRespectingPagesHaveNoViolation opens each page of the fixture that respects consent in
// every state: the audit must find nothing (a false alarm is as much a defect as a missed leak).
func TestRespectingPagesHaveNoViolation(t *testing.T) {
	for _, path := range []string{"/", "/about", "/bad"} {
		for _, st := range states {
			t.Run(strings.TrimPrefix(path, "/")+"/"+st.name, func(t *testing.T) {
				t.Parallel()
				r := audit(t, path, options(st.choice, st.gpc)...)
				if len(r.Violations) > 0 || len(r.Warnings) > 0 || len(r.Notes) > 0 {
					var b bytes.Buffer
					WriteText(&b, []*Report{r})
					t.Errorf("want a clean report, got:\n%s", b.String())
				}
				if r.Status != 200 {
					t.Errorf("status %d", r.Status)
				}
			})
		}
	}
}

// TestWhatTheAuditSees checks the items of the home page in the states that load each vendor:
// who set each cookie, where storage keys live, which requests and scripts were seen.
func TestWhatTheAuditSees(t *testing.T) {
	t.Parallel()
	cookie := func(r *Report, name string) *Cookie {
		for i := range r.Cookies {
			if r.Cookies[i].Name == name {
				return &r.Cookies[i]
			}
		}
		return nil
	}
	t.Run("all", func(t *testing.T) {
		t.Parallel()
		r := audit(t, "/", Consent(All))
		want := map[string]struct{ setBy, source string }{
			"consentry": {SetByAudit, ""},
			"sid":       {SetByHeader, "https://www.shop.test/"},
			"lang":      {SetByScript, "https://www.shop.test/"},
			"_st_id":    {SetByScript, "https://cdn.stats-vendor.example/st.js"},
			"ads_uid":   {SetByHeader, "https://pixel.ads-vendor.example/p.gif?site=shop"},
			"vv_pref":   {SetByHeader, "https://video.video-vendor.example/embed/1"},
		}
		for name, w := range want {
			c := cookie(r, name)
			if c == nil {
				t.Errorf("cookie %s missing", name)
				continue
			}
			if c.SetBy != w.setBy || c.Source != w.source {
				t.Errorf("cookie %s set by %q %q, want %q %q", name, c.SetBy, c.Source, w.setBy, w.source)
			}
			if !c.Decision.Allowed {
				t.Errorf("cookie %s: %v", name, c.Decision)
			}
		}
		if c := cookie(r, "consentry"); c != nil && c.Domain != ".shop.test" {
			t.Errorf("consent cookie on %q, want the policy's consent domain .shop.test", c.Domain)
		}
		if c := cookie(r, "ads_uid"); c != nil && (!c.ThirdParty || c.Domain != "pixel.ads-vendor.example") {
			t.Errorf("ads_uid: %+v, want a third-party cookie of pixel.ads-vendor.example", *c)
		}
		var storage []string
		for _, k := range r.Storage {
			storage = append(storage, k.Area+" "+k.Origin+" "+k.Key+" "+k.Source)
		}
		wantStorage := []string{
			"local https://video.video-vendor.example vv_volume https://video.video-vendor.example/player.js",
			"local https://www.shop.test cart https://www.shop.test/",
			"local https://www.shop.test st_queue https://cdn.stats-vendor.example/st.js",
		}
		if !slices.Equal(storage, wantStorage) {
			t.Errorf("storage:\n%s\nwant:\n%s", strings.Join(storage, "\n"), strings.Join(wantStorage, "\n"))
		}
		var requests []string
		for _, q := range r.Requests {
			requests = append(requests, q.Kind+" "+q.URL+" "+q.Decision.Service)
		}
		wantRequests := []string{
			"script https://cdn.stats-vendor.example/st.js stats",
			"image https://collect.stats-vendor.example/c?e=pageview stats",
			"image https://pixel.ads-vendor.example/p.gif?site=shop ads",
			"frame https://video.video-vendor.example/embed/1 video",
			"script https://video.video-vendor.example/player.js video",
		}
		if !slices.Equal(requests, wantRequests) {
			t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(requests, "\n"), strings.Join(wantRequests, "\n"))
		}
		var scripts []string
		for _, s := range r.Scripts {
			scripts = append(scripts, s.URL)
		}
		wantScripts := []string{"https://cdn.stats-vendor.example/st.js", "https://video.video-vendor.example/player.js", "https://www.shop.test/"}
		if !slices.Equal(scripts, wantScripts) {
			t.Errorf("scripts %q, want %q", scripts, wantScripts)
		}
		if !slices.Equal(r.Frames, []string{"https://video.video-vendor.example/embed/1"}) {
			t.Errorf("frames %q", r.Frames)
		}
		if want := []string{"https://www.shop.test/about", "https://www.shop.test/contact", "https://www.shop.test/"}; !slices.Equal(r.Links, want) {
			t.Errorf("links %q, want %q", r.Links, want)
		}
	})
	t.Run("all+gpc", func(t *testing.T) {
		t.Parallel()
		r := audit(t, "/", Consent(All), GPC())
		if want := []string{"necessary", "analytics", "media"}; !slices.Equal(r.Granted, want) {
			t.Errorf("granted %q, want %q (marketing is denied by GPC)", r.Granted, want)
		}
		if cookie(r, "ads_uid") != nil {
			t.Error("the site loaded its marketing pixel although the browser sent GPC")
		}
		if cookie(r, "_st_id") == nil {
			t.Error("the stats cookie is missing: analytics is granted")
		}
	})
	t.Run("none", func(t *testing.T) {
		t.Parallel()
		r := audit(t, "/", Screenshot())
		if len(r.Requests) != 0 || cookie(r, "consentry") != nil {
			t.Errorf("requests %v, consent cookie %v: want none before consent", r.Requests, cookie(r, "consentry"))
		}
		if !bytes.HasPrefix(r.Screenshot, []byte("\xff\xd8\xff")) {
			t.Errorf("screenshot is not a JPEG: % x", r.Screenshot[:min(8, len(r.Screenshot))])
		}
	})
}

// TestFailingPages are the pages that break the policy, each in the states where it does.
func TestFailingPages(t *testing.T) {
	undeclared := []string{
		"undeclared cookie _fbp",
		"undeclared request https://connect.facebook.net/en_US/fbevents.js",
		"undeclared request https://www.facebook.com/tr/?id=1&ev=PageView",
		"undeclared script https://connect.facebook.net/en_US/fbevents.js",
	}
	tests := []struct {
		name       string
		path       string
		choice     Choice
		violations []string
		warnings   []string
	}{
		{"undeclared vendor before consent", "/undeclared", None, undeclared, []string{"undeclared storage ab_bucket"}},
		{"undeclared vendor after consent", "/undeclared", All, undeclared, []string{"undeclared storage ab_bucket"}},
		{"cookies before consent", "/leak", None, []string{"not-granted cookie _st_id", "not-granted cookie ads_uid"}, nil},
		{"cookies after rejection", "/leak", Reject, []string{"not-granted cookie _st_id", "not-granted cookie ads_uid"}, nil},
		{"cookies after consent", "/leak", All, nil, nil},
		{"cookie outlives its declaration", "/expiry", All, []string{"outlives-declaration cookie lang"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := audit(t, tt.path, Consent(tt.choice))
			want := append([]string{}, tt.violations...)
			slices.Sort(want)
			if got := keys(r.Violations); !slices.Equal(got, want) {
				t.Errorf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			wantW := append([]string{}, tt.warnings...)
			if got := keys(r.Warnings); !slices.Equal(got, wantW) {
				t.Errorf("warnings %q, want %q", got, wantW)
			}
		})
	}
	t.Run("vendor named by the catalogue", func(t *testing.T) {
		t.Parallel()
		r := audit(t, "/undeclared")
		for _, v := range r.Violations {
			if v.Vendor != "meta-pixel" || !strings.Contains(v.Message, "Meta Pixel") {
				t.Errorf("%s: vendor %q, want meta-pixel named in the message", v.Message, v.Vendor)
			}
		}
	})
	t.Run("setters", func(t *testing.T) {
		t.Parallel()
		r := audit(t, "/leak")
		for _, v := range r.Violations {
			switch v.Name {
			case "_st_id":
				if !strings.HasSuffix(v.Message, "set by script https://www.shop.test/leak") {
					t.Errorf("_st_id: %s", v.Message)
				}
			case "ads_uid":
				if !strings.HasSuffix(v.Message, "set by a Set-Cookie header of https://www.shop.test/leak") {
					t.Errorf("ads_uid: %s", v.Message)
				}
			}
		}
	})
}

// TestFailingPagesInEveryFormat renders the reports of the failing pages in each format and looks
// for each violation in the output.
func TestFailingPagesInEveryFormat(t *testing.T) {
	var reports []*Report
	for _, path := range []string{"/undeclared", "/leak", "/expiry"} {
		reports = append(reports, audit(t, path, Screenshot()))
	}
	for name, format := range Formats {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := format(&b, reports); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, r := range reports {
				for _, v := range r.Violations {
					want := v.Name
					switch name {
					case "text", "junit":
						want = v.Message
					}
					if name == "junit" || name == "html" {
						var esc bytes.Buffer
						xml.EscapeText(&esc, []byte(want))
						want = esc.String()
					}
					if !strings.Contains(out, want) {
						t.Errorf("%s output lacks %q", name, want)
					}
				}
			}
			switch name {
			case "json":
				back, err := ReadJSON(&b)
				if err != nil {
					t.Fatal(err)
				}
				if v, _ := Totals(back); v != 7 {
					t.Errorf("JSON holds %d violations, want 7", v)
				}
			case "junit":
				if !strings.Contains(out, `<testsuites name="consentry audit" tests=`) || !strings.Contains(out, `failures="7"`) {
					t.Errorf("JUnit totals wrong:\n%s", out[:min(400, len(out))])
				}
			case "html":
				if n := strings.Count(out, `src="data:image/jpeg;base64,`); n != 3 {
					t.Errorf("HTML has %d screenshots, want 3", n)
				}
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	ctx := browser(t)
	for _, tt := range []struct {
		name, url string
		opts      []Option
		want      string
	}{
		{"not http", "ftp://www.shop.test/", nil, "not an http(s) URL"},
		{"relative", "/about", nil, "not an http(s) URL"},
		{"unknown category", audittest.Site + "/", []Option{Consent(Categories("analytic"))}, `unknown category "analytic" (categories: necessary, analytics, marketing, media)`},
		{"unreachable", "https://nowhere.shop.test/", nil, "ERR_NAME_NOT_RESOLVED"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(ctx, tt.url, fixture.Policy, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	if _, err := Run(t.Context(), audittest.Site+"/", fixture.Policy); err != ErrNotChromedp {
		t.Errorf("plain context: %v, want ErrNotChromedp", err)
	}
}

func TestNotFoundPageIsReported(t *testing.T) {
	r := audit(t, "/missing")
	if r.Status != 404 {
		t.Errorf("status %d, want 404", r.Status)
	}
}

// TestSuitesOwnBrowser audits with a browser a suite may start itself, with chromedp's defaults
// and site isolation on: the cross-site iframe runs in a process of its own, whose requests,
// scripts and storage the page's tab does not see, and the browser's profile refuses third-party
// cookies. The report must say both.
func TestSuitesOwnBrowser(t *testing.T) {
	browser(t) // skips without Chromium
	actx, cancelAlloc := chromedp.NewExecAllocator(t.Context(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium()), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("site-per-process", true), chromedp.Flag("disable-features", "HttpsUpgrades"),
		chromedp.Flag("host-resolver-rules", fixture.HostRules()), chromedp.IgnoreCertErrors)...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	r, err := Run(ctx, audittest.Site+"/", fixture.Policy, Consent(All)) // starts the browser
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Violations) > 0 {
		t.Errorf("violations: %q", keys(r.Violations))
	}
	notes := strings.Join(r.Notes, "\n")
	for _, want := range []string{"iframe https://video.video-vendor.example/embed/1", "refused 2 third-party cookies"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes %q, want one on %q", r.Notes, want)
		}
	}
}

func TestDialogIsDismissed(t *testing.T) {
	r := audit(t, "/dialog")
	if len(r.Violations) > 0 || !slices.Equal(r.Notes, []string{`the page opened a JavaScript alert ("Welcome!"); the audit dismissed it`}) {
		t.Errorf("violations %q, notes %q", keys(r.Violations), r.Notes)
	}
}
