package edge

import (
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// This file serves the page module's files (consentry.js, consentry.<hash>.wasm) under the asset
// prefix, "/consentry/" by default. The files come from an Assets handler: DirAssets natively (the
// build directory), FetchAssets on Workers (the static-assets binding). Whatever the source says,
// the edge sets the type and the caching of each file itself, so that both runtimes answer alike.

// Cache-Control values of the assets. A hashed name never changes content, so it is cached for a
// year and never revalidated (RFC 8246 "immutable"); the gate's name is stable, so browsers
// revalidate it on each use (cheap: a 304), and a new build reaches every visitor at once.
const (
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheRevalidate = "public, no-cache"
)

// assetTypes are the Content-Types of the asset files by extension. WebAssembly must be served as
// application/wasm for WebAssembly.instantiateStreaming (WebAssembly Web API §3).
var assetTypes = map[string]string{
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".wasm": "application/wasm",
	".json": "application/json",
	".map":  "application/json",
	".css":  "text/css; charset=utf-8",
	".html": "text/html; charset=utf-8",
	".txt":  "text/plain; charset=utf-8",
	".svg":  "image/svg+xml",
}

// assetType returns the Content-Type for a file name.
func assetType(name string) string {
	if t, ok := assetTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

// isHashedName reports whether a file name carries a content hash: a dot-separated part of at least
// 8 hexadecimal digits before the extension ("consentry.3f9a2b1c.wasm").
func isHashedName(name string) bool {
	parts := strings.Split(path.Base(name), ".")
	if len(parts) < 3 {
		return false
	}
	for _, p := range parts[1 : len(parts)-1] {
		if len(p) < 8 {
			continue
		}
		hex := true
		for i := 0; i < len(p); i++ {
			c := p[i]
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				hex = false
				break
			}
		}
		if hex {
			return true
		}
	}
	return false
}

// assetName returns the file name a request path names below prefix, or "" when it names none: a
// directory, a hidden file, or anything that could climb out of the asset directory.
func assetName(p, prefix string) string {
	name, ok := strings.CutPrefix(p, prefix)
	if !ok || name == "" || strings.HasSuffix(name, "/") || strings.ContainsAny(name, "\\\x00") {
		return ""
	}
	for _, seg := range strings.Split(name, "/") {
		if seg == "" || seg[0] == '.' {
			return ""
		}
	}
	if path.Clean("/"+name) != "/"+name {
		return ""
	}
	return name
}

// serveAsset answers a request under the asset prefix.
func (h *Handler) serveAsset(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := assetName(r.URL.Path, h.assetPrefix())
	if name == "" || h.Assets == nil {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path, r2.URL.RawPath = "/"+name, ""
	r2.Header.Del("Cookie") // the files are public; the visitor's cookies are none of the source's business
	h.Assets.ServeHTTP(&assetWriter{ResponseWriter: w, name: name}, r2)
}

// assetWriter sets the type and caching of an asset on its way out, over whatever the source set.
type assetWriter struct {
	http.ResponseWriter
	name        string
	wroteHeader bool
}

func (w *assetWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.wroteHeader = true
		h := w.Header()
		if code < 400 {
			h.Set("Content-Type", assetType(w.name))
			h.Set("X-Content-Type-Options", "nosniff")
			if isHashedName(w.name) {
				h.Set("Cache-Control", cacheImmutable)
			} else {
				h.Set("Cache-Control", cacheRevalidate)
			}
			h.Del("Set-Cookie")
		} else {
			h.Set("Cache-Control", "no-store")
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *assetWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *assetWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// DirAssets serves the files of fsys (the page module's build directory: os.DirFS(dir)) by the
// request's path: "/consentry.js" is fsys's "consentry.js". It serves files only (no listings, no
// index pages), with conditional and range requests answered by http.ServeContent.
func DirAssets(fsys fs.FS) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		f, err := fsys.Open(name)
		if err != nil {
			http.Error(w, "404 page not found", http.StatusNotFound)
			return
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil || !st.Mode().IsRegular() {
			http.Error(w, "404 page not found", http.StatusNotFound)
			return
		}
		rs, ok := f.(io.ReadSeeker)
		if !ok {
			// Every fs.FS of files on disk or embedded seeks; others are served whole.
			w.Header().Set("Content-Type", assetType(name))
			_, _ = io.Copy(w, f)
			return
		}
		w.Header().Set("Content-Type", assetType(name))
		http.ServeContent(w, r, name, st.ModTime(), rs)
	})
}

// FetchAssets serves the files that rt returns for "http://assets/NAME": on Workers, rt is the
// fetch transport bound to the static-assets binding (env.ASSETS), which answers by path. Status,
// validators and body pass through; the edge sets type and caching.
func FetchAssets(rt http.RoundTripper) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		out, err := http.NewRequestWithContext(r.Context(), r.Method, "http://assets"+r.URL.EscapedPath(), nil)
		if err != nil {
			http.Error(w, "404 page not found", http.StatusNotFound)
			return
		}
		for _, k := range []string{"If-None-Match", "If-Modified-Since", "Range", "If-Range"} {
			if v := r.Header[k]; len(v) > 0 {
				out.Header[k] = v
			}
		}
		res, err := rt.RoundTrip(out)
		if err != nil {
			http.Error(w, "502 assets unavailable", http.StatusBadGateway)
			return
		}
		defer res.Body.Close()
		for _, k := range []string{"Etag", "Last-Modified", "Content-Length", "Content-Range", "Accept-Ranges"} {
			if v := res.Header[k]; len(v) > 0 {
				w.Header()[k] = v
			}
		}
		if res.StatusCode == http.StatusNotFound {
			http.Error(w, "404 page not found", http.StatusNotFound)
			return
		}
		w.WriteHeader(res.StatusCode)
		if r.Method != http.MethodHead {
			_, _ = io.Copy(w, res.Body)
		}
	})
}
