//go:build !js

package consent

import "os"

// This file is left out of js/wasm builds: importing os there costs the page module about
// 480 KB, and a page has no files to read.

// LoadFile reads and loads the policy file at path; errors are prefixed with the path.
func LoadFile(path string) (*Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	p, err := Load(data)
	if err != nil {
		if es, ok := err.(Errors); ok {
			out := make(Errors, len(es))
			for i, e := range es {
				out[i] = &FieldError{Path: path + ": " + e.Path, Msg: e.Msg}
				if e.Path == "" {
					out[i] = &FieldError{Path: path, Msg: e.Msg}
				}
			}
			return nil, out
		}
		return nil, &FieldError{Path: path, Msg: err.Error()}
	}
	return p, nil
}
