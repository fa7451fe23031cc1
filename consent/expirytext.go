package consent

import "strconv"

// This file words a declared lifetime for people: the cookie declaration and the banner's cookie
// details both call Expiry.Text, so that "13mo" reads the same everywhere. It is plain tables (no
// fmt, no text/template) because the page module links it.

// Text returns the expiry as a visitor reads it, in lang: "2 years", "1 day", "session",
// "persistent" in English; "2 år", "1 dag", "økt", "vedvarende" in Norwegian Bokmål. Counts take
// the singular or plural form the language asks for ("1 rok", "2 lata", "5 lat" in Polish).
//
// lang is a language tag; a region or script subtag is ignored ("nb-NO" reads as "nb"), and a
// language without its own words (see ExpiryLanguages) gets English. An empty or invalid expiry gives "".
func (e Expiry) Text(lang string) string {
	w := expiryWordsFor(lang)
	switch e {
	case ExpirySession:
		return w.session
	case ExpiryPersistent:
		return w.persistent
	}
	n, unit, ok := splitExpiry(string(e))
	if !ok || n <= 0 {
		return ""
	}
	u := 0
	for u < len(expiryUnits) && expiryUnits[u] != unit {
		u++
	}
	forms := w.units[u]
	form := w.plural(n)
	if forms[form] == "" {
		form = pluralOther // a language with two forms leaves "few" empty
	}
	return strconv.Itoa(n) + " " + forms[form]
}

// ExpiryText returns the item's expiry in lang followed by its expiry note in parentheses, when it
// has one: "7 days (from each log in)". The note falls back to the fallback language, then to any
// language, like every Text.
func (it Item) ExpiryText(lang, fallback string) string {
	s := it.Expiry.Text(lang)
	note := it.ExpiryNote.In(lang, fallback)
	switch {
	case note == "":
		return s
	case s == "":
		return "(" + note + ")"
	}
	return s + " (" + note + ")"
}

// ExpiryLanguages lists the languages Expiry.Text has words for.
func ExpiryLanguages() []string {
	out := make([]string, len(expiryWords))
	for i, w := range expiryWords {
		out[i] = w.lang
	}
	return out
}

// expiryUnits is the order of the units in expiryWords.units.
var expiryUnits = [...]string{"m", "h", "d", "w", "mo", "y"}

// Plural forms, after the CLDR plural rules for cardinals
// (https://www.unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html). Only
// positive whole numbers occur here, which makes every rule we need fit one of two functions.
const (
	pluralOne = iota
	pluralFew
	pluralOther
)

// pluralOneOther is the rule of English, the Scandinavian and most Western European languages:
// "1 day", "2 days" (French treats 0 as singular too, but an expiry is never 0).
func pluralOneOther(n int) int {
	if n == 1 {
		return pluralOne
	}
	return pluralOther
}

// pluralSlavic is Polish: one for 1; few for 2–4, 22–24, 32–34, ... but not 12–14; many otherwise
// ("1 miesiąc", "3 miesiące", "13 miesięcy", "5 miesięcy"). "many" is stored as pluralOther.
func pluralSlavic(n int) int {
	switch {
	case n == 1:
		return pluralOne
	case n%10 >= 2 && n%10 <= 4 && !(n%100 >= 12 && n%100 <= 14):
		return pluralFew
	}
	return pluralOther
}

// expiryWordsOf holds one language's words: each unit's forms in the order one, few, other.
type expiryWordsOf struct {
	lang                string
	session, persistent string
	plural              func(n int) int
	units               [len(expiryUnits)][3]string
}

// expiryWords is English first: it is the fallback.
var expiryWords = []expiryWordsOf{
	{lang: "en", session: "session", persistent: "persistent", plural: pluralOneOther, units: [6][3]string{
		{"minute", "", "minutes"}, {"hour", "", "hours"}, {"day", "", "days"},
		{"week", "", "weeks"}, {"month", "", "months"}, {"year", "", "years"}}},
	{lang: "nb", session: "økt", persistent: "vedvarende", plural: pluralOneOther, units: [6][3]string{
		{"minutt", "", "minutter"}, {"time", "", "timer"}, {"dag", "", "dager"},
		{"uke", "", "uker"}, {"måned", "", "måneder"}, {"år", "", "år"}}},
	{lang: "nn", session: "økt", persistent: "varig", plural: pluralOneOther, units: [6][3]string{
		{"minutt", "", "minutt"}, {"time", "", "timar"}, {"dag", "", "dagar"},
		{"veke", "", "veker"}, {"månad", "", "månader"}, {"år", "", "år"}}},
	{lang: "da", session: "session", persistent: "vedvarende", plural: pluralOneOther, units: [6][3]string{
		{"minut", "", "minutter"}, {"time", "", "timer"}, {"dag", "", "dage"},
		{"uge", "", "uger"}, {"måned", "", "måneder"}, {"år", "", "år"}}},
	{lang: "sv", session: "session", persistent: "beständig", plural: pluralOneOther, units: [6][3]string{
		{"minut", "", "minuter"}, {"timme", "", "timmar"}, {"dag", "", "dagar"},
		{"vecka", "", "veckor"}, {"månad", "", "månader"}, {"år", "", "år"}}},
	{lang: "fi", session: "istunto", persistent: "pysyvä", plural: pluralOneOther, units: [6][3]string{
		{"minuutti", "", "minuuttia"}, {"tunti", "", "tuntia"}, {"päivä", "", "päivää"},
		{"viikko", "", "viikkoa"}, {"kuukausi", "", "kuukautta"}, {"vuosi", "", "vuotta"}}},
	{lang: "de", session: "Sitzung", persistent: "dauerhaft", plural: pluralOneOther, units: [6][3]string{
		{"Minute", "", "Minuten"}, {"Stunde", "", "Stunden"}, {"Tag", "", "Tage"},
		{"Woche", "", "Wochen"}, {"Monat", "", "Monate"}, {"Jahr", "", "Jahre"}}},
	{lang: "nl", session: "sessie", persistent: "blijvend", plural: pluralOneOther, units: [6][3]string{
		{"minuut", "", "minuten"}, {"uur", "", "uur"}, {"dag", "", "dagen"},
		{"week", "", "weken"}, {"maand", "", "maanden"}, {"jaar", "", "jaar"}}},
	{lang: "fr", session: "session", persistent: "persistant", plural: pluralOneOther, units: [6][3]string{
		{"minute", "", "minutes"}, {"heure", "", "heures"}, {"jour", "", "jours"},
		{"semaine", "", "semaines"}, {"mois", "", "mois"}, {"an", "", "ans"}}},
	{lang: "es", session: "sesión", persistent: "persistente", plural: pluralOneOther, units: [6][3]string{
		{"minuto", "", "minutos"}, {"hora", "", "horas"}, {"día", "", "días"},
		{"semana", "", "semanas"}, {"mes", "", "meses"}, {"año", "", "años"}}},
	{lang: "it", session: "sessione", persistent: "persistente", plural: pluralOneOther, units: [6][3]string{
		{"minuto", "", "minuti"}, {"ora", "", "ore"}, {"giorno", "", "giorni"},
		{"settimana", "", "settimane"}, {"mese", "", "mesi"}, {"anno", "", "anni"}}},
	{lang: "pl", session: "sesja", persistent: "stały", plural: pluralSlavic, units: [6][3]string{
		{"minuta", "minuty", "minut"}, {"godzina", "godziny", "godzin"}, {"dzień", "dni", "dni"},
		{"tydzień", "tygodnie", "tygodni"}, {"miesiąc", "miesiące", "miesięcy"}, {"rok", "lata", "lat"}}},
}

// expiryWordsFor finds lang's words by its primary subtag, case-insensitively. "no" (Norwegian
// without a written standard) reads as Bokmål, which most Norwegian sites write.
func expiryWordsFor(lang string) *expiryWordsOf {
	primary := lang
	for i := 0; i < len(lang); i++ {
		if lang[i] == '-' || lang[i] == '_' {
			primary = lang[:i]
			break
		}
	}
	if len(primary) == 2 && (primary[0] < 'a' || primary[1] < 'a') {
		b := []byte(primary)
		for i, c := range b {
			if c >= 'A' && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
		}
		primary = string(b)
	}
	if primary == "no" {
		primary = "nb"
	}
	for i := range expiryWords {
		if expiryWords[i].lang == primary {
			return &expiryWords[i]
		}
	}
	return &expiryWords[0]
}
