package catalogue_test

import (
	"fmt"

	"github.com/consentry/consentry/consent/catalogue"
)

func ExampleMatchCookie() {
	v, cookie, ok := catalogue.MatchCookie("_ga_ABC123")
	fmt.Println(ok, v.ID, cookie.Name, cookie.Expiry)
	// Output: true google-analytics _ga_* 2y
}

func ExampleMatchHost() {
	v, ok := catalogue.MatchHost("js-eu1.hs-scripts.com")
	fmt.Println(ok, v.ID, v.Category)
	_, ok = catalogue.MatchHost("www.google.com")
	fmt.Println(ok)
	// Output:
	// true hubspot marketing
	// false
}

func ExampleLookup() {
	v, _ := catalogue.Lookup("facebook")
	fmt.Println(v.ID, v.Name)
	// Output: meta-pixel Meta Pixel / Facebook
}

func ExampleNormalizeExpiry() {
	for _, text := range []string{"2 Years", "7 days (from each log in)", "End of session (browser)", "1 week to 1 year"} {
		fmt.Printf("%q\n", catalogue.NormalizeExpiry(text))
	}
	// Output:
	// "2y"
	// "7d"
	// "session"
	// ""
}
