package audit

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/e2e/audit/audittest"
)

func TestSuggest(t *testing.T) {
	p := audittest.Policy()
	got := Suggest(p, sampleReports())
	var b bytes.Buffer
	if err := WriteSuggestions(&b, got); err != nil {
		t.Fatal(err)
	}
	golden(t, "suggest.json", b.Bytes())
}

// TestSuggestionsDeclareWhatWasUndeclared adds the suggestions to the fixture's policy (with a
// category chosen for each "TODO"), loads it, and classifies the same visits again: nothing may
// be undeclared any more.
func TestSuggestionsDeclareWhatWasUndeclared(t *testing.T) {
	p := audittest.Policy()
	var file map[string]any
	if err := json.Unmarshal(audittest.PolicyJSON(), &file); err != nil {
		t.Fatal(err)
	}
	suggestions := Suggest(p, sampleReports())
	if len(suggestions) == 0 {
		t.Fatal("no suggestions")
	}
	services := file["services"].([]any)
	for _, s := range suggestions {
		if s.Category == TODOCategory {
			s.Category = "necessary"
		}
		b, _ := json.Marshal(s)
		var entry any
		json.Unmarshal(b, &entry)
		services = append(services, entry)
	}
	file["services"] = services
	data, _ := json.Marshal(file)
	extended, err := consent.Load(data)
	if err != nil {
		t.Fatalf("the policy with the suggestions does not load: %v\n%s", err, data)
	}
	for _, v := range sampleVisits() {
		r := classify(extended, v.choice, v.gpc, v.obs)
		for _, f := range append(r.Violations, r.Warnings...) {
			if f.Rule == RuleUndeclared {
				t.Errorf("still undeclared: %s", f.Message)
			}
		}
	}
}

func TestSuggestUnknownVendor(t *testing.T) {
	p := audittest.Policy()
	o := visit("/")
	o.jar = []observedCookie{
		{name: "xq7_uid", domain: "www.shop.test", path: "/", expires: seconds(40 * 24 * time.Hour)},
		{name: "xq7_uid", domain: ".shop.test", path: "/", expires: seconds(90 * 24 * time.Hour)},
		{name: "xq7_tp", domain: ".widgets.example", path: "/", expires: -1},
		{name: "pref", domain: "www.shop.test", path: "/", expires: -1},
	}
	o.writes = []write{
		{kind: ItemCookie, setBy: SetByScript, name: "xq7_uid", source: "https://cdn.widgets.example/w.js"},
		{kind: ItemCookie, setBy: SetByHeader, name: "pref", source: "https://www.shop.test/"},
	}
	o.requests = []observedRequest{
		{url: "https://cdn.widgets.example/w.js", resourceType: "Script"},
		{url: "https://api.widgets.example/v1", resourceType: "Fetch"},
	}
	got := Suggest(p, []*Report{classify(p, None, false, o)})
	var b bytes.Buffer
	WriteSuggestions(&b, got)
	want := `{
  "services": [
    {
      "id": "site",
      "category": "TODO",
      "provider": "Shop (audit fixture)",
      "cookies": [
        {
          "name": "pref",
          "expiry": "session"
        }
      ]
    },
    {
      "id": "widgets",
      "category": "TODO",
      "provider": "widgets.example",
      "hosts": [
        "api.widgets.example",
        "cdn.widgets.example"
      ],
      "cookies": [
        {
          "name": "xq7_tp",
          "expiry": "session"
        },
        {
          "name": "xq7_uid",
          "expiry": "90d"
        }
      ]
    }
  ]
}
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"stats-vendor.example": "stats-vendor",
		"cdn.co.uk":            "cdn",
		"Ünïcode.example":      "n-code",
		"...":                  "vendor",
	} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}
