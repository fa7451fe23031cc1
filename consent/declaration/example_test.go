package declaration_test

import (
	"fmt"
	"os"

	"github.com/consentry/consentry/consent"
	"github.com/consentry/consentry/consent/declaration"
)

func ExampleMarkdown() {
	p, err := consent.Load([]byte(`{
		"site": "Example",
		"languages": ["en", "nb"],
		"categories": [
			{"id": "necessary", "required": true,
			 "label": {"en": "Necessary", "nb": "Nødvendige"}},
			{"id": "analytics",
			 "label": {"en": "Statistics", "nb": "Statistikk"},
			 "description": {"en": "How the site is used.", "nb": "Hvordan nettstedet brukes."}}
		],
		"services": [
			{"id": "stats", "category": "analytics", "provider": "Stats Inc",
			 "cookies": [{"name": "st_id", "expiry": "13mo", "expiryNote": {"en": "from the last visit", "nb": "fra siste besøk"},
			              "description": {"en": "Counts visitors | once.", "nb": "Teller besøkende | én gang."}}]}
		]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := declaration.Markdown(os.Stdout, p, declaration.Options{Lang: "nb"}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// ## Nødvendige
	//
	// *Alltid aktive*
	//
	// **Informasjonskapsler**
	//
	// | Navn | Leverandør | Varighet | Formål |
	// | --- | --- | --- | --- |
	// | `consentry` | Example | 365 dager | Lagrer valgene dine om informasjonskapsler for dette nettstedet. |
	//
	// **Lagring i nettleseren**
	//
	// | Navn | Leverandør | Varighet | Formål |
	// | --- | --- | --- | --- |
	// | `consentry:*` | Example | vedvarende | Husker samtykkevalgene slik at sidene lastes raskere. |
	//
	// ## Statistikk
	//
	// Hvordan nettstedet brukes.
	//
	// **Informasjonskapsler**
	//
	// | Navn | Leverandør | Varighet | Formål |
	// | --- | --- | --- | --- |
	// | `st_id` | Stats Inc | 13 måneder (fra siste besøk) | Teller besøkende \| én gang. |
}

func ExampleHTML() {
	p, err := consent.LoadFile("testdata/policy.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	// A standalone page in Norwegian, whose language switcher links to /cookies/en and /cookies/nb.
	err = declaration.HTML(os.Stdout, p, declaration.Options{
		Lang:        "nb",
		Standalone:  true,
		LanguageURL: declaration.URLPattern("/cookies/{lang}"),
	})
	if err != nil {
		fmt.Println(err)
	}
}

func ExampleURLPattern() {
	link := declaration.URLPattern("/cookies/{lang}")
	fmt.Println(link("nb"))
	// Output: /cookies/nb
}
