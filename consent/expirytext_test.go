package consent

import (
	"slices"
	"strconv"
	"testing"
)

func TestExpiryText(t *testing.T) {
	tests := []struct {
		expiry Expiry
		lang   string
		want   string
	}{
		// English, every unit, singular and plural.
		{"session", "en", "session"},
		{"persistent", "en", "persistent"},
		{"1m", "en", "1 minute"},
		{"30m", "en", "30 minutes"},
		{"1h", "en", "1 hour"},
		{"24h", "en", "24 hours"},
		{"1d", "en", "1 day"},
		{"7d", "en", "7 days"},
		{"1w", "en", "1 week"},
		{"2w", "en", "2 weeks"},
		{"1mo", "en", "1 month"},
		{"13mo", "en", "13 months"},
		{"1y", "en", "1 year"},
		{"2y", "en", "2 years"},

		// Norwegian Bokmål: "år" has no plural ending.
		{"session", "nb", "økt"},
		{"persistent", "nb", "vedvarende"},
		{"1m", "nb", "1 minutt"},
		{"30m", "nb", "30 minutter"},
		{"1h", "nb", "1 time"},
		{"2h", "nb", "2 timer"},
		{"1d", "nb", "1 dag"},
		{"7d", "nb", "7 dager"},
		{"1w", "nb", "1 uke"},
		{"3w", "nb", "3 uker"},
		{"1mo", "nb", "1 måned"},
		{"9mo", "nb", "9 måneder"},
		{"1y", "nb", "1 år"},
		{"2y", "nb", "2 år"},

		// Region subtags, case, and the Norwegian macrolanguage.
		{"2y", "nb-NO", "2 år"},
		{"2y", "NB", "2 år"},
		{"2y", "no", "2 år"},
		{"2y", "en-GB", "2 years"},
		{"2y", "nn", "2 år"},
		{"1w", "nn", "1 veke"},

		// The other languages, one singular and one plural each, and their session words.
		{"1y", "de", "1 Jahr"},
		{"2y", "de", "2 Jahre"},
		{"session", "de", "Sitzung"},
		{"1d", "fr", "1 jour"},
		{"13mo", "fr", "13 mois"},
		{"2y", "fr", "2 ans"},
		{"session", "fr", "session"},
		{"1d", "es", "1 día"},
		{"2y", "es", "2 años"},
		{"session", "es", "sesión"},
		{"1h", "it", "1 ora"},
		{"3h", "it", "3 ore"},
		{"persistent", "it", "persistente"},
		{"1h", "nl", "1 uur"},
		{"2y", "nl", "2 jaar"},
		{"7d", "nl", "7 dagen"},
		{"1w", "sv", "1 vecka"},
		{"2w", "sv", "2 veckor"},
		{"1h", "sv", "1 timme"},
		{"1d", "da", "1 dag"},
		{"7d", "da", "7 dage"},
		{"2w", "da", "2 uger"},
		{"1y", "fi", "1 vuosi"},
		{"2y", "fi", "2 vuotta"},
		{"session", "fi", "istunto"},

		// Polish: one, few (2-4, 22-24, ... but not 12-14), many.
		{"1y", "pl", "1 rok"},
		{"2y", "pl", "2 lata"},
		{"4y", "pl", "4 lata"},
		{"5y", "pl", "5 lat"},
		{"12mo", "pl", "12 miesięcy"},
		{"13mo", "pl", "13 miesięcy"},
		{"22d", "pl", "22 dni"},
		{"1d", "pl", "1 dzień"},
		{"3mo", "pl", "3 miesiące"},
		{"24h", "pl", "24 godziny"},
		{"25h", "pl", "25 godzin"},
		{"112w", "pl", "112 tygodni"},
		{"102w", "pl", "102 tygodnie"},
		{"session", "pl", "sesja"},

		// Unknown languages read English; invalid expiries read nothing.
		{"2y", "tlh", "2 years"},
		{"2y", "", "2 years"},
		{"", "en", ""},
		{"0d", "en", ""},
		{"2x", "en", ""},
		{"y", "nb", ""},
	}
	for _, tt := range tests {
		if got := tt.expiry.Text(tt.lang); got != tt.want {
			t.Errorf("Expiry(%q).Text(%q) = %q, want %q", tt.expiry, tt.lang, got, tt.want)
		}
	}
}

// Every language has a word for every unit in the forms its plural rule picks.
func TestExpiryWordsComplete(t *testing.T) {
	for _, w := range expiryWords {
		if w.session == "" || w.persistent == "" || w.plural == nil {
			t.Errorf("%s: missing session, persistent or plural rule", w.lang)
		}
		for u, forms := range w.units {
			if forms[pluralOne] == "" || forms[pluralOther] == "" {
				t.Errorf("%s %s: missing singular or plural", w.lang, expiryUnits[u])
			}
			for n := 1; n <= 200; n++ {
				e := Expiry(strconv.Itoa(n) + expiryUnits[u])
				if s := e.Text(w.lang); s == "" || s == strconv.Itoa(n)+" " {
					t.Errorf("%s: %q reads %q", w.lang, e, s)
				}
			}
		}
	}
	langs := ExpiryLanguages()
	for _, want := range []string{"en", "nb", "de", "fr", "es", "it", "nl", "sv", "da", "fi", "pl"} {
		if !slices.Contains(langs, want) {
			t.Errorf("ExpiryLanguages() = %v, lacks %s", langs, want)
		}
	}
}

func TestItemExpiryText(t *testing.T) {
	tests := []struct {
		name       string
		item       Item
		lang, want string
	}{
		{"no note", Item{Expiry: "2y"}, "nb", "2 år"},
		{"note in the language", Item{Expiry: "7d", ExpiryNote: Text{"en": "from each log in", "nb": "fra hver innlogging"}},
			"nb", "7 dager (fra hver innlogging)"},
		{"note falls back", Item{Expiry: "7d", ExpiryNote: Text{"en": "from each log in"}}, "nb",
			"7 dager (from each log in)"},
		{"note without expiry", Item{ExpiryNote: Text{"en": "until you log out"}}, "en", "(until you log out)"},
		{"nothing", Item{}, "en", ""},
	}
	for _, tt := range tests {
		if got := tt.item.ExpiryText(tt.lang, "en"); got != tt.want {
			t.Errorf("%s: ExpiryText(%q) = %q, want %q", tt.name, tt.lang, got, tt.want)
		}
	}
}
