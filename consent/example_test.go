package consent_test

import (
	"fmt"
	"time"

	"github.com/consentry/consentry/consent"
)

func ExampleLoad() {
	_, err := consent.Load([]byte(`{
		"site": "Example",
		"categories": [{"id": "necessary", "required": true, "label": "Necessary"}],
		"services": [{"id": "chat", "category": "functional", "cookies": [{"name": ""}]}]
	}`))
	fmt.Println(err)
	// Output:
	// services[0].cookies[0].name: empty
	// services[0].category: unknown category "functional" (categories: necessary)
}

func ExamplePolicy_Decider() {
	p, err := consent.LoadFile("testdata/example.json")
	if err != nil {
		panic(err)
	}
	// A visitor who granted analytics only, on www.example.com.
	d := p.Decider(consent.State{Decided: true, Granted: []string{"analytics"}}, false, "www.example.com")
	fmt.Printf("%+v\n", d.Cookie("_ga_1X2Y3Z"))
	fmt.Printf("%+v\n", d.URL(consent.KindScript, "https://js.hs-scripts.com/123.js"))
	fmt.Printf("%+v\n", d.URL(consent.KindImage, "/logo.png"))
	// Output:
	// {Allowed:true Category:analytics Service:ga Reason:granted Item:1}
	// {Allowed:false Category:marketing Service:hubspot Reason:denied Item:-1}
	// {Allowed:true Category: Service: Reason:first-party Item:-1}
}

func ExamplePolicy_DecodeState() {
	p, err := consent.LoadFile("testdata/example.json")
	if err != nil {
		panic(err)
	}
	at := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC).Unix()
	cookie := p.EncodeState(consent.State{Granted: []string{"analytics"}, At: at,
		Source: consent.SourceBanner, ID: consent.ConsentID([]byte("random-bytes"))})

	state, err := p.DecodeState(cookie, at+consent.Hour)
	fmt.Println(state.Decided, state.Granted, err)

	forged := cookie[:len(cookie)-1] + "x"
	state, err = p.DecodeState(forged, at)
	fmt.Println(state.Decided, state.Granted, err)
	// Output:
	// true [necessary analytics] <nil>
	// false [] consent: consent cookie checksum mismatch
}
