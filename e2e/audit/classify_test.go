package audit

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consentry/consentry/e2e/audit/audittest"
)

// at is the fixed "now" of the classification tests.
var at = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// seconds returns the unix time d from at, as the cookie jar writes expiries.
func seconds(d time.Duration) float64 { return float64(at.Add(d).Unix()) }

func visit(path string) *observation {
	u := "https://www.shop.test" + path
	return &observation{url: u, finalURL: u, status: 200, start: at.Add(-time.Second), end: at,
		documents: []string{u}}
}

func TestClassify(t *testing.T) {
	p := audittest.Policy()
	const day = 24 * time.Hour
	tests := []struct {
		name       string
		choice     Choice
		gpc        bool
		obs        func(o *observation)
		violations []string // "rule item name"
		warnings   []string
		check      func(t *testing.T, r *Report)
	}{
		{
			name:   "declared cookie of a granted category",
			choice: Categories("analytics"),
			obs: func(o *observation) {
				o.jar = append(o.jar, observedCookie{name: "_st_id", domain: "www.shop.test", path: "/", expires: seconds(300 * day)})
			},
			check: func(t *testing.T, r *Report) {
				if d := r.Cookies[0].Decision; !d.Allowed || d.Reason != "granted" || d.Service != "stats" {
					t.Errorf("decision %+v", d)
				}
			},
		},
		{
			name: "declared cookie before any decision",
			obs: func(o *observation) {
				o.jar = append(o.jar, observedCookie{name: "_st_id", domain: "www.shop.test", path: "/", expires: seconds(day)})
			},
			violations: []string{"not-granted cookie _st_id"},
			check: func(t *testing.T, r *Report) {
				want := `cookie "_st_id" on www.shop.test belongs to stats (analytics), which is not granted: the visitor has not decided yet`
				if r.Violations[0].Message != want {
					t.Errorf("message %q\nwant    %q", r.Violations[0].Message, want)
				}
			},
		},
		{
			name:   "declared cookie after a rejection",
			choice: Reject,
			obs: func(o *observation) {
				o.jar = append(o.jar, observedCookie{name: "ads_uid", domain: "pixel.ads-vendor.example", path: "/", expires: seconds(day)})
			},
			violations: []string{"not-granted cookie ads_uid"},
			check: func(t *testing.T, r *Report) {
				if c := r.Cookies[0]; c.Decision.Reason != "denied" || !c.ThirdParty {
					t.Errorf("cookie %+v, want denied and third party", c)
				}
			},
		},
		{
			name:   "GPC denies a marketing cookie that all would grant",
			choice: All, gpc: true,
			obs: func(o *observation) {
				o.jar = append(o.jar, observedCookie{name: "ads_uid", domain: "pixel.ads-vendor.example", path: "/", expires: seconds(day)})
			},
			violations: []string{"not-granted cookie ads_uid"},
			check: func(t *testing.T, r *Report) {
				if !strings.HasSuffix(r.Violations[0].Message, "denied by the Global Privacy Control signal") || r.State() != "all+gpc" {
					t.Errorf("%s: %s", r.State(), r.Violations[0].Message)
				}
			},
		},
		{
			name:   "undeclared cookie the catalogue knows",
			choice: All,
			obs: func(o *observation) {
				o.jar = append(o.jar, observedCookie{name: "_ga", domain: ".shop.test", path: "/", expires: seconds(400 * day)})
				o.writes = append(o.writes, write{kind: ItemCookie, setBy: SetByScript, name: "_ga", source: "https://www.googletagmanager.com/gtag/js?id=G-1"})
			},
			violations: []string{"undeclared cookie _ga"},
			check: func(t *testing.T, r *Report) {
				v := r.Violations[0]
				if v.Vendor != "google-analytics" || !strings.Contains(v.Message, `(probably Google Analytics, catalogue "google-analytics"); set by script https://www.googletagmanager.com/gtag/js?id=G-1`) {
					t.Errorf("%+v", v)
				}
			},
		},
		{
			name: "undeclared storage key, reported by the policy",
			obs: func(o *observation) {
				o.storage = append(o.storage, observedStorage{origin: "https://www.shop.test", area: "session", key: "ab_bucket"})
			},
			warnings: []string{"undeclared storage ab_bucket"},
			check: func(t *testing.T, r *Report) {
				if d := r.Storage[0].Decision; !d.Allowed || d.Reason != "undeclared-reported" {
					t.Errorf("decision %+v", d)
				}
			},
		},
		{
			name:   "cookie outliving its declaration",
			choice: All,
			obs: func(o *observation) {
				o.jar = append(o.jar, observedCookie{name: "lang", domain: "www.shop.test", path: "/", expires: seconds(30 * day)})
			},
			violations: []string{"outlives-declaration cookie lang"},
			check: func(t *testing.T, r *Report) {
				want := `cookie "lang" on www.shop.test lives 30 days, longer than the 1d its declaration allows`
				if r.Violations[0].Message != want || r.Cookies[0].Declared != "1d" {
					t.Errorf("message %q, declared %q", r.Violations[0].Message, r.Cookies[0].Declared)
				}
			},
		},
		{
			name:   "cookie within its declaration and the tolerance",
			choice: All,
			obs: func(o *observation) {
				o.jar = append(o.jar, observedCookie{name: "lang", domain: "www.shop.test", path: "/", expires: seconds(day + time.Minute)})
			},
		},
		{
			name: "persistent cookie declared for the session",
			obs: func(o *observation) {
				o.jar = append(o.jar, observedCookie{name: "sid", domain: "www.shop.test", path: "/", expires: seconds(time.Hour)})
			},
			violations: []string{"outlives-declaration cookie sid"},
		},
		{
			name: "session cookie declared for the session",
			obs: func(o *observation) {
				o.jar = append(o.jar, observedCookie{name: "sid", domain: "www.shop.test", path: "/", expires: -1})
			},
		},
		{
			name: "not granted and outliving its declaration at once",
			obs: func(o *observation) {
				o.jar = append(o.jar, observedCookie{name: "_st_id", domain: "www.shop.test", path: "/", expires: seconds(800 * day)})
			},
			violations: []string{"not-granted cookie _st_id", "outlives-declaration cookie _st_id"},
		},
		{
			name: "requests: first party left out, third party judged, main document skipped",
			obs: func(o *observation) {
				o.requests = []observedRequest{
					{url: "https://www.shop.test/", resourceType: "Document", mainDocument: true},
					{url: "https://www.shop.test/app.js", resourceType: "Script"},
					{url: "https://cdn.shop.test/logo.png", resourceType: "Image"}, // under the consent domain
					{url: "data:image/gif;base64,R0lGOD", resourceType: "Image"},
					{url: "https://cdn.stats-vendor.example/st.js", resourceType: "Script", initiator: "https://www.shop.test/"},
					{url: "https://collect.stats-vendor.example/c", resourceType: "Ping"},
					{url: "https://collect.stats-vendor.example/c", resourceType: "Ping"},
				}
			},
			violations: []string{"not-granted request https://cdn.stats-vendor.example/st.js", "not-granted request https://collect.stats-vendor.example/c"},
			check: func(t *testing.T, r *Report) {
				if len(r.Requests) != 2 || r.Requests[1].Count != 2 || r.Requests[1].Kind != "connect" || r.Requests[0].Kind != "script" {
					t.Errorf("requests %+v", r.Requests)
				}
				if !strings.HasSuffix(r.Violations[0].Message, "; initiated by https://www.shop.test/") {
					t.Error(r.Violations[0].Message)
				}
			},
		},
		{
			name: "a request the browser blocked is no violation",
			obs: func(o *observation) {
				o.requests = []observedRequest{{url: "https://tracker.example/t.js", resourceType: "Script", blocked: "csp"}}
			},
			check: func(t *testing.T, r *Report) {
				if len(r.Requests) != 1 || r.Requests[0].Blocked != "csp" || r.Requests[0].Decision.Reason != "undeclared" {
					t.Errorf("requests %+v", r.Requests)
				}
			},
		},
		{
			name: "scripts: inline, first party, undeclared",
			obs: func(o *observation) {
				o.scripts = []string{"https://www.shop.test/", "https://www.shop.test/app.js", "https://connect.facebook.net/en_US/fbevents.js",
					"https://www.shop.test/", "", "chrome-extension://abc/x.js"}
			},
			violations: []string{"undeclared script https://connect.facebook.net/en_US/fbevents.js"},
			check: func(t *testing.T, r *Report) {
				var got []string
				for _, s := range r.Scripts {
					got = append(got, s.URL+" "+s.Decision.Reason+" "+map[bool]string{true: "inline"}[s.Inline])
				}
				want := []string{
					"https://connect.facebook.net/en_US/fbevents.js undeclared ",
					"https://www.shop.test/ first-party inline",
					"https://www.shop.test/app.js first-party ",
				}
				if !slices.Equal(got, want) {
					t.Errorf("scripts %q", got)
				}
			},
		},
		{
			name:   "who set a cookie: the last write wins; the audit set the consent cookie",
			choice: All,
			obs: func(o *observation) {
				o.consentCookie = "consentry"
				o.jar = []observedCookie{
					{name: "consentry", domain: ".shop.test", path: "/", expires: seconds(180 * day)},
					{name: "lang", domain: "www.shop.test", path: "/", expires: -1},
					{name: "sid", domain: "www.shop.test", path: "/", expires: -1},
					{name: "_st_id", domain: "www.shop.test", path: "/", expires: -1},
				}
				o.writes = []write{
					{kind: ItemCookie, setBy: SetByScript, name: "lang", source: "https://www.shop.test/"},
					{kind: ItemCookie, setBy: SetByHeader, name: "lang", source: "https://www.shop.test/lang"},
					{kind: ItemCookie, setBy: SetByHeader, name: "sid", source: "https://www.shop.test/"},
					{kind: ItemStorage, setBy: SetByScript, name: "_st_id", source: "https://wrong.example/"},
				}
			},
			check: func(t *testing.T, r *Report) {
				var got []string
				for _, c := range r.Cookies {
					got = append(got, c.Name+" "+c.SetBy+" "+c.Source)
				}
				want := []string{"consentry audit ", "_st_id unknown ", "lang header https://www.shop.test/lang", "sid header https://www.shop.test/"}
				if !slices.Equal(got, want) {
					t.Errorf("cookies %q\nwant    %q", got, want)
				}
			},
		},
		{
			name:   "granted categories and redirects",
			choice: Categories("media"), gpc: true,
			obs: func(o *observation) {
				o.url = "https://shop.test/"
			},
			check: func(t *testing.T, r *Report) {
				if r.URL != "https://shop.test/" || r.FinalURL != "https://www.shop.test/" || !slices.Equal(r.Granted, []string{"necessary", "media"}) {
					t.Errorf("url %q final %q granted %q", r.URL, r.FinalURL, r.Granted)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := visit("/")
			if tt.obs != nil {
				tt.obs(o)
			}
			r := classify(p, tt.choice, tt.gpc, o)
			want := append([]string{}, tt.violations...)
			slices.Sort(want)
			if got := keys(r.Violations); !slices.Equal(got, want) {
				t.Errorf("violations %q, want %q", got, want)
			}
			wantW := append([]string{}, tt.warnings...)
			slices.Sort(wantW)
			if got := keys(r.Warnings); !slices.Equal(got, wantW) {
				t.Errorf("warnings %q, want %q", got, wantW)
			}
			if tt.check != nil && !t.Failed() {
				tt.check(t, r)
			}
		})
	}
}

func TestChoice(t *testing.T) {
	p := audittest.Policy()
	for _, tt := range []struct {
		in      string
		granted []string // the state's, nil for no decision
		err     string
	}{
		{in: "none"},
		{in: "all", granted: []string{"necessary", "analytics", "marketing", "media"}},
		{in: "reject", granted: []string{"necessary"}},
		{in: "analytics", granted: []string{"necessary", "analytics"}},
		{in: "media+analytics", granted: []string{"necessary", "analytics", "media"}},
		{in: "necessary", granted: []string{"necessary"}},
		{in: "", err: "empty consent choice"},
		{in: "analytics+", err: `consent choice "analytics+": empty category id`},
		{in: "stats", err: `unknown category "stats" (categories: necessary, analytics, marketing, media)`},
	} {
		c, err := ParseChoice(tt.in)
		if err == nil {
			if c.String() != tt.in {
				t.Errorf("ParseChoice(%q).String() = %q", tt.in, c)
			}
			state, serr := c.state(p)
			err = serr
			if err == nil && (state.Decided != (tt.granted != nil) || !slices.Equal(state.Granted, tt.granted)) {
				t.Errorf("%q: state %+v, want granted %q", tt.in, state, tt.granted)
			}
		}
		if got := ""; err != nil {
			got = err.Error()
			if tt.err == "" || !strings.Contains(got, tt.err) {
				t.Errorf("%q: error %q, want %q", tt.in, got, tt.err)
			}
		} else if tt.err != "" {
			t.Errorf("%q: no error, want %q", tt.in, tt.err)
		}
	}
}

func TestLifetimeAndExpiry(t *testing.T) {
	for _, tt := range []struct {
		d        time.Duration
		lifetime string
		expiry   string // cookieExpiry: rounded up
	}{
		{30 * time.Second, "1 minute", "1m"},
		{59*time.Minute + 59*time.Second, "60 minutes", "60m"},
		{3 * time.Hour, "3 hours", "3h"},
		{47*time.Hour + time.Minute, "47 hours", "48h"},
		{2*24*time.Hour + time.Second, "2 days", "3d"},
		{365*24*time.Hour - time.Second, "365 days", "1y"},
		{400 * 24 * time.Hour, "400 days", "400d"},
	} {
		if got := lifetime(tt.d); got != tt.lifetime {
			t.Errorf("lifetime(%v) = %q, want %q", tt.d, got, tt.lifetime)
		}
		exp := at.Add(tt.d)
		if got := cookieExpiry(Cookie{Expires: &exp}, at); got != tt.expiry {
			t.Errorf("cookieExpiry(%v) = %q, want %q", tt.d, got, tt.expiry)
		}
	}
	if got := cookieExpiry(Cookie{}, at); got != "session" {
		t.Errorf("session cookie: %q", got)
	}
}
