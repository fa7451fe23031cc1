package catalogue

import (
	"regexp"
	"testing"
)

func TestNormalizeExpiry(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		// The common forms of the Open Cookie Database and of the seed policies.
		{"2 years", "2y"},
		{"2 Years", "2y"},
		{"2 year", "2y"},
		{"1 year", "1y"},
		{"1 Year", "1y"},
		{"1 year ", "1y"},
		{"13 months", "13mo"},
		{"13 Months", "13mo"},
		{"1 months", "1mo"},
		{"9 Months", "9mo"},
		{"30 minutes", "30m"},
		{"30 Minutes", "30m"},
		{"30 mins", "30m"},
		{"1440 Minutes", "1440m"},
		{"180 days", "180d"},
		{"90 Days", "90d"},
		{"1 day", "1d"},
		{"1 Day", "1d"},
		{"24 hours", "24h"},
		{"1 Hour", "1h"},
		{"2 Weeks", "2w"},
		{"1 week", "1w"},
		{"session", "session"},
		{"Session", "session"},
		{"Sessions", "session"},
		{"Seesion", "session"},
		{"session cookie", "session"},
		{"End of session (browser)", "session"},
		{"End of session", "session"},
		{"persistent", "persistent"},
		{"Persistent", "persistent"},
		{"permanent", "persistent"},
		{"forever", "persistent"},
		{"Unlimited", "persistent"},
		{"no expiration", "persistent"},
		{"Local Storage", "persistent"},
		// Qualified lifetimes keep their number.
		{"2 years after last activity", "2y"},
		{"180 days after last activity ", "180d"},
		{"10 years from set/ update", "10y"},
		{"13 months by default, modifiable", "13mo"},
		{"7 days (from each log in)", "7d"},
		{"1 year (in some countries, the period may be longer)", "1y"},
		// Seconds round up to minutes; zero means the visit.
		{"1 second", "1m"},
		{"30 secs", "1m"},
		{"90 sec", "2m"},
		{"120 seconds", "2m"},
		{"0 days", "session"},
		{"0 day", "session"},
		// Already normalized.
		{"2y", "2y"},
		{"13mo", "13mo"},
		{"30m", "30m"},
		// No single lifetime.
		{"", ""},
		{"Unknown", ""},
		{"Varies", ""},
		{"various", ""},
		{"undefined", ""},
		{"Awin", ""},
		{"10 Nov 2030", ""},
		{"1 hour or longer", ""},
		{" 1 hour or longer", ""},
		{"1 week to 1 year", ""},
		{"Session to 30 days", ""},
		{"30 seconds till 1 year", ""},
		{"60 days till 3650 days", ""},
		{"30 minutes, 3w or 1y depending on value", ""},
		{"180 days after last activity or 10 years when opting out", ""},
		{"14 days if you select “Remember Me” when logging in. Otherwise, Session.", ""},
		{"Deleted when oauth state is validated", ""},
		{"Immediately removed", ""},
		{"2 fortnights", ""},
		{"99999999999999999999 days", ""},
	} {
		if got := NormalizeExpiry(c.text); got != c.want {
			t.Errorf("NormalizeExpiry(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

var expiryForm = regexp.MustCompile(`^(|session|persistent|[1-9][0-9]*(m|h|d|w|mo|y))$`)

// Every retention text of the catalogue normalizes to the policy file's form.
func TestCatalogueExpiriesHaveThePolicyForm(t *testing.T) {
	unknown := map[string]bool{}
	for _, v := range Vendors() {
		for _, it := range append(append([]Item(nil), v.Cookies...), v.Storage...) {
			if !expiryForm.MatchString(it.Expiry) {
				t.Errorf("%s %s: expiry %q from %q", v.ID, it.Name, it.Expiry, it.Retention)
			}
			if it.Expiry == "" {
				unknown[it.Retention] = true
			}
		}
	}
	t.Logf("retention texts without a single lifetime: %q", keys(unknown))
}

func FuzzNormalizeExpiry(f *testing.F) {
	for _, s := range []string{"2 years", "Session", "13 months by default, modifiable", "90 sec", "0 days", "1 week to 1 year", "10 Nov 2030", "7d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got := NormalizeExpiry(text)
		if !expiryForm.MatchString(got) {
			t.Fatalf("NormalizeExpiry(%q) = %q, not in the policy form", text, got)
		}
		if got != "" && NormalizeExpiry(got) != got {
			t.Fatalf("NormalizeExpiry(%q) = %q, which does not normalize to itself", text, got)
		}
	})
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
