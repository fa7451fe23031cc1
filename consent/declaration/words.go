package declaration

// words are the declaration's own texts in one language: its title, table headings and the few
// phrases it adds. Exported methods are for the HTML template.
type words struct {
	lang         string
	title        string // of the document: "Cookie declaration"
	cookies      string // caption of the cookie table
	storage      string // caption of the storage-key table
	name         string // column headings
	provider     string
	expiry       string
	purpose      string
	domain       string
	thisSite     string // the domain of a first-party cookie
	notStated    string // an expiry the policy does not state
	alwaysActive string // under the heading of a required category
	none         string // a category with neither cookies nor storage
	language     string // label of the language switcher
	privacy      string // spoken after a provider's name on the link to its privacy policy
	services     string // heading of the services that have no cookies or storage of their own
	moreServices string // the same, after the tables of the category
}

func (w *words) Cookies() string      { return w.cookies }
func (w *words) Storage() string      { return w.storage }
func (w *words) Name() string         { return w.name }
func (w *words) Provider() string     { return w.provider }
func (w *words) Expiry() string       { return w.expiry }
func (w *words) Purpose() string      { return w.purpose }
func (w *words) Domain() string       { return w.domain }
func (w *words) AlwaysActive() string { return w.alwaysActive }
func (w *words) None() string         { return w.none }
func (w *words) Language() string     { return w.language }
func (w *words) Privacy() string      { return w.privacy }
func (w *words) Services() string     { return w.services }
func (w *words) MoreServices() string { return w.moreServices }

// wordsByLang is English first: it is the fallback.
var wordsByLang = []words{
	{lang: "en", title: "Cookie declaration", cookies: "Cookies", storage: "Browser storage",
		name: "Name", provider: "Provider", expiry: "Expiry", purpose: "Purpose", domain: "Domain",
		thisSite: "this site", notStated: "not stated", alwaysActive: "Always active",
		none: "This category uses no cookies or browser storage.", language: "Language", privacy: "privacy policy",
		services: "Services in this category", moreServices: "Other services in this category"},
	{lang: "nb", title: "Oversikt over informasjonskapsler", cookies: "Informasjonskapsler",
		storage: "Lagring i nettleseren", name: "Navn", provider: "Leverandør", expiry: "Varighet",
		purpose: "Formål", domain: "Domene", thisSite: "dette nettstedet", notStated: "ikke oppgitt",
		alwaysActive: "Alltid aktive",
		none:         "Denne kategorien bruker ingen informasjonskapsler eller lagring i nettleseren.", language: "Språk", privacy: "personvernerklæring",
		services: "Tjenester i denne kategorien", moreServices: "Andre tjenester i denne kategorien"},
	{lang: "nn", title: "Oversikt over informasjonskapslar", cookies: "Informasjonskapslar",
		storage: "Lagring i nettlesaren", name: "Namn", provider: "Leverandør", expiry: "Varigheit",
		purpose: "Føremål", domain: "Domene", thisSite: "denne nettstaden", notStated: "ikkje oppgitt",
		alwaysActive: "Alltid aktive",
		none:         "Denne kategorien brukar ingen informasjonskapslar eller lagring i nettlesaren.", language: "Språk", privacy: "personvernerklæring",
		services: "Tenester i denne kategorien", moreServices: "Andre tenester i denne kategorien"},
	{lang: "da", title: "Cookieerklæring", cookies: "Cookies", storage: "Lagring i browseren",
		name: "Navn", provider: "Udbyder", expiry: "Udløb", purpose: "Formål", domain: "Domæne",
		thisSite: "dette website", notStated: "ikke oplyst", alwaysActive: "Altid aktive",
		none: "Denne kategori bruger ingen cookies eller lagring i browseren.", language: "Sprog", privacy: "privatlivspolitik",
		services: "Tjenester i denne kategori", moreServices: "Andre tjenester i denne kategori"},
	{lang: "sv", title: "Cookiedeklaration", cookies: "Kakor", storage: "Lagring i webbläsaren",
		name: "Namn", provider: "Leverantör", expiry: "Lagringstid", purpose: "Syfte", domain: "Domän",
		thisSite: "denna webbplats", notStated: "inte angivet", alwaysActive: "Alltid aktiva",
		none: "Den här kategorin använder inga kakor eller lagring i webbläsaren.", language: "Språk", privacy: "integritetspolicy",
		services: "Tjänster i den här kategorin", moreServices: "Andra tjänster i den här kategorin"},
	{lang: "fi", title: "Evästeseloste", cookies: "Evästeet", storage: "Selaimen tallennustila",
		name: "Nimi", provider: "Palveluntarjoaja", expiry: "Voimassaolo", purpose: "Tarkoitus",
		domain: "Verkkotunnus", thisSite: "tämä sivusto", notStated: "ei ilmoitettu", alwaysActive: "Aina käytössä",
		none: "Tämä luokka ei käytä evästeitä eikä selaimen tallennustilaa.", language: "Kieli", privacy: "tietosuojaseloste",
		services: "Tämän luokan palvelut", moreServices: "Muut tämän luokan palvelut"},
	{lang: "de", title: "Cookie-Erklärung", cookies: "Cookies", storage: "Speicher im Browser",
		name: "Name", provider: "Anbieter", expiry: "Speicherdauer", purpose: "Zweck", domain: "Domain",
		thisSite: "diese Website", notStated: "nicht angegeben", alwaysActive: "Immer aktiv",
		none: "Diese Kategorie verwendet weder Cookies noch Speicher im Browser.", language: "Sprache", privacy: "Datenschutzerklärung",
		services: "Dienste in dieser Kategorie", moreServices: "Weitere Dienste in dieser Kategorie"},
	{lang: "nl", title: "Cookieverklaring", cookies: "Cookies", storage: "Opslag in de browser",
		name: "Naam", provider: "Aanbieder", expiry: "Bewaartermijn", purpose: "Doel", domain: "Domein",
		thisSite: "deze website", notStated: "niet vermeld", alwaysActive: "Altijd actief",
		none: "Deze categorie gebruikt geen cookies of opslag in de browser.", language: "Taal", privacy: "privacybeleid",
		services: "Diensten in deze categorie", moreServices: "Andere diensten in deze categorie"},
	{lang: "fr", title: "Déclaration relative aux cookies", cookies: "Cookies", storage: "Stockage du navigateur",
		name: "Nom", provider: "Fournisseur", expiry: "Durée", purpose: "Finalité", domain: "Domaine",
		thisSite: "ce site", notStated: "non précisée", alwaysActive: "Toujours actifs",
		none: "Cette catégorie n’utilise ni cookies ni stockage du navigateur.", language: "Langue", privacy: "politique de confidentialité",
		services: "Services de cette catégorie", moreServices: "Autres services de cette catégorie"},
	{lang: "es", title: "Declaración de cookies", cookies: "Cookies", storage: "Almacenamiento del navegador",
		name: "Nombre", provider: "Proveedor", expiry: "Duración", purpose: "Finalidad", domain: "Dominio",
		thisSite: "este sitio", notStated: "no indicada", alwaysActive: "Siempre activas",
		none: "Esta categoría no utiliza cookies ni almacenamiento del navegador.", language: "Idioma", privacy: "política de privacidad",
		services: "Servicios de esta categoría", moreServices: "Otros servicios de esta categoría"},
	{lang: "it", title: "Dichiarazione sui cookie", cookies: "Cookie", storage: "Archiviazione del browser",
		name: "Nome", provider: "Fornitore", expiry: "Durata", purpose: "Finalità", domain: "Dominio",
		thisSite: "questo sito", notStated: "non indicata", alwaysActive: "Sempre attivi",
		none: "Questa categoria non utilizza cookie né archiviazione del browser.", language: "Lingua", privacy: "informativa sulla privacy",
		services: "Servizi in questa categoria", moreServices: "Altri servizi in questa categoria"},
	{lang: "pl", title: "Deklaracja dotycząca plików cookie", cookies: "Pliki cookie",
		storage: "Pamięć przeglądarki", name: "Nazwa", provider: "Dostawca", expiry: "Okres przechowywania",
		purpose: "Cel", domain: "Domena", thisSite: "ta witryna", notStated: "nie podano",
		alwaysActive: "Zawsze aktywne", none: "Ta kategoria nie używa plików cookie ani pamięci przeglądarki.",
		language: "Język", privacy: "polityka prywatności",
		services: "Usługi w tej kategorii", moreServices: "Inne usługi w tej kategorii"},
}

// wordsFor returns the words of lang's primary subtag; "no" reads as Bokmål, anything unknown as English.
func wordsFor(lang string) *words {
	p := primary(lang)
	if p == "no" {
		p = "nb"
	}
	for i := range wordsByLang {
		if wordsByLang[i].lang == p {
			return &wordsByLang[i]
		}
	}
	return &wordsByLang[0]
}

// languageNames are the names of languages in themselves, for the language switcher.
var languageNames = map[string]string{
	"en": "English", "nb": "Norsk bokmål", "nn": "Norsk nynorsk", "no": "Norsk", "da": "Dansk",
	"sv": "Svenska", "fi": "Suomi", "de": "Deutsch", "nl": "Nederlands", "fr": "Français",
	"es": "Español", "it": "Italiano", "pl": "Polski", "pt": "Português", "is": "Íslenska",
	"et": "Eesti", "lv": "Latviešu", "lt": "Lietuvių", "cs": "Čeština", "sk": "Slovenčina",
	"hu": "Magyar", "ro": "Română", "el": "Ελληνικά", "ja": "日本語", "zh": "中文",
}

// LanguageName names a language in itself, for a language switcher: "Norsk bokmål" for "nb",
// "Deutsch (de-AT)" for "de-AT". A language it does not know is named by its tag.
func LanguageName(tag string) string {
	if n, ok := languageNames[tag]; ok {
		return n
	}
	if n, ok := languageNames[primary(tag)]; ok {
		return n + " (" + tag + ")"
	}
	return tag
}
