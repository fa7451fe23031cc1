//go:build js && wasm && !consentry_generic

package main

import (
	"errors"

	"github.com/consentry/consentry/consent"
)

// readPolicy reads the policy compiled into this build.
func readPolicy() (*consent.Policy, error) {
	if compiledPolicy == "" {
		return nil, errors.New("no policy compiled into the engine (build it with `consentry build`)")
	}
	return consent.ReadCompiled([]byte(compiledPolicy))
}
