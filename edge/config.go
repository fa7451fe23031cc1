package edge

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/consentry/consentry/consent"
)

// Config is the edge's configuration as both commands read it: natively from flags and CONSENTRY_*
// environment variables, on Workers from the worker's environment bindings of the same names.
type Config struct {
	// Origin is the origin's URL (CONSENTRY_ORIGIN). Required natively; on Workers "" sends each
	// request on to its own URL (the zone's origin).
	Origin string
	// Policy is the policy file's JSON (on Workers, the CONSENTRY_POLICY binding's text; natively,
	// read from the file that CONSENTRY_POLICY or -policy names).
	Policy []byte
	// Assets is the directory of the page module's files (CONSENTRY_ASSETS; native only).
	Assets string
	// AssetPrefix is the path the files are served under (CONSENTRY_ASSET_PREFIX, default
	// "/consentry/").
	AssetPrefix string
	// Minify minifies rewritten HTML (CONSENTRY_MINIFY=1). Not available in the js/wasm build,
	// where NewHandler refuses it.
	Minify bool
	// Timeout is how long to wait for the origin's response headers (CONSENTRY_TIMEOUT, a Go
	// duration such as "30s"; default DefaultTimeout).
	Timeout time.Duration
}

// ConfigFromEnv reads the settings that have the same form in both runtimes from getenv
// (os.Getenv natively, the worker's bindings on Workers). CONSENTRY_POLICY is left to the caller:
// a file name natively, the policy's text on Workers.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		Origin:      getenv("CONSENTRY_ORIGIN"),
		Assets:      getenv("CONSENTRY_ASSETS"),
		AssetPrefix: getenv("CONSENTRY_ASSET_PREFIX"),
		Timeout:     DefaultTimeout,
	}
	if v := getenv("CONSENTRY_MINIFY"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("CONSENTRY_MINIFY: %q is not a boolean", v)
		}
		c.Minify = b
	}
	if v := getenv("CONSENTRY_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return c, fmt.Errorf("CONSENTRY_TIMEOUT: %q is not a positive duration", v)
		}
		c.Timeout = d
	}
	return c, nil
}

// NewHandler builds a Handler from c: it loads the policy and checks the origin and the asset
// prefix. Transport and Assets are left for the caller, who knows the runtime.
func NewHandler(c Config) (*Handler, error) {
	if len(c.Policy) == 0 {
		return nil, errors.New("no policy: set CONSENTRY_POLICY")
	}
	p, err := consent.Load(c.Policy)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	if c.Minify && !minifyAvailable {
		return nil, errors.New("CONSENTRY_MINIFY: HTML minification is not available in the Workers build of the edge " +
			"(it would not fit the Workers Free plan's size limit); minify pages at the origin")
	}
	h := &Handler{Policy: p, Minify: c.Minify, AssetPrefix: c.AssetPrefix}
	if c.Origin != "" {
		u, err := url.Parse(c.Origin)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("origin %q: want an http or https URL with a host", c.Origin)
		}
		h.Origin = u
	}
	if c.AssetPrefix != "" && (!strings.HasPrefix(c.AssetPrefix, "/") || !strings.HasSuffix(c.AssetPrefix, "/")) {
		return nil, fmt.Errorf("asset prefix %q: want a path that starts and ends with /", c.AssetPrefix)
	}
	return h, nil
}
