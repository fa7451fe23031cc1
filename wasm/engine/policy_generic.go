//go:build js && wasm && consentry_generic

package main

import (
	"errors"

	"github.com/consentry/consentry/consent"
)

// readPolicy loads the JSON policy the gate fetched from the tag's data-policy URL. This build links
// the policy loader, which the compiled build leaves out.
func readPolicy() (*consent.Policy, error) {
	text := gate.Get("policyText").String()
	if text == "" {
		return nil, errors.New("the generic engine needs the policy's URL in the tag: <script src=\".../consentry.js\" data-policy=\"/policy.json\">")
	}
	return consent.Load([]byte(text))
}
