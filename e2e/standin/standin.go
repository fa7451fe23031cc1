// Package standin serves third-party vendor stand-ins (demo/vendors) at the vendors' real host
// names, over https, and the site under test, from one local server; and it records every request
// it receives, so that a test can assert that no request reached a vendor.
//
// Browsers reach it through host mapping: Chromium's --host-resolver-rules maps every name of Hosts
// (and the site's) to the server's address; see ResolverRules. The certificate is made at start for
// all those names by a CA of its own (CA), which a browser trusts by its SPKI hash or, in tests, by
// --ignore-certificate-errors.
package standin

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/consentry/consentry/demo/vendors"
)

// Request is one request the server received.
type Request struct {
	Time    time.Time
	Method  string
	Host    string // without port
	URL     string // path and query
	Referer string
	Cookie  string // the Cookie header sent with it
}

// Server is a running stand-in server.
type Server struct {
	// Site answers every request whose host is not a vendor's (the site under test).
	Site http.Handler
	// SPKI is the base64 SHA-256 of the CA's public key, for --ignore-certificate-errors-spki-list.
	SPKI string

	addr string
	srv  *http.Server
	ln   net.Listener
	mu   sync.Mutex
	log  []Request
}

// SiteSuffix is the domain of the sites under test: every name under it maps to the server.
const SiteSuffix = "shop.test"

// Hosts are the vendor host names the server answers for.
func Hosts() []string { return vendors.Hosts() }

// Start starts a server on 127.0.0.1 with a fresh certificate for the vendor hosts, *.shop.test and
// *.localhost. site answers for the site's hosts.
func Start(site http.Handler) (*Server, error) {
	cert, spki, err := certificate(append(Hosts(), SiteSuffix, "*."+SiteSuffix, "localhost", "*.localhost"))
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{Site: site, SPKI: spki, addr: ln.Addr().String(), ln: ln}
	s.srv = &http.Server{Handler: s, TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}}, ReadHeaderTimeout: 10 * time.Second}
	go s.srv.ServeTLS(ln, "", "")
	return s, nil
}

// Addr is the server's address, host:port.
func (s *Server) Addr() string { return s.addr }

// Port is the server's port.
func (s *Server) Port() string { _, p, _ := net.SplitHostPort(s.addr); return p }

// ResolverRules is the value of Chromium's --host-resolver-rules that sends every vendor host and
// every host under shop.test and localhost to the server. Chromium keeps the URL's port (443), so
// the mapping names the server's port too.
func (s *Server) ResolverRules() string {
	var rules []string
	for _, h := range append(Hosts(), SiteSuffix, "*."+SiteSuffix) {
		rules = append(rules, "MAP "+h+" "+s.addr)
	}
	return strings.Join(rules, ", ")
}

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

// Requests returns the requests received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// From returns the requests whose Host or Referer host is host: what one page (on its own host)
// caused the server to receive.
func (s *Server) From(host string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Host == host || refererHost(r.Referer) == host {
			out = append(out, r)
		}
	}
	return out
}

func refererHost(ref string) string {
	ref = strings.TrimPrefix(strings.TrimPrefix(ref, "https://"), "http://")
	if i := strings.IndexAny(ref, "/:"); i >= 0 {
		ref = ref[:i]
	}
	return ref
}

// IsVendor reports whether host is a vendor's.
func IsVendor(host string) bool {
	for _, h := range Hosts() {
		if h == host {
			return true
		}
	}
	return false
}

var gif = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	s.mu.Lock()
	s.log = append(s.log, Request{Time: time.Now(), Method: r.Method, Host: host, URL: r.URL.RequestURI(),
		Referer: r.Referer(), Cookie: r.Header.Get("Cookie")})
	s.mu.Unlock()
	if !IsVendor(host) {
		if s.Site == nil {
			http.NotFound(w, r)
			return
		}
		s.Site.ServeHTTP(w, r)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
	w.Header().Set("Access-Control-Allow-Credentials", "true")
	w.Header().Set("Cache-Control", "no-store")
	// Probes (any URL with ?probe=NAME): side-effect-free resources that say which test vector
	// loaded them: a script that logs "standin:ran:probe:NAME", a document, an image.
	if v := r.URL.Query().Get("probe"); v != "" {
		switch {
		case strings.HasSuffix(r.URL.Path, ".html"):
			// A document: it loads a subresource, so that the server can tell it rendered.
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<!doctype html><title>probe</title><img src=\"/rendered.gif?probe=" + url.QueryEscape(v) + "\">"))
		case strings.HasSuffix(r.URL.Path, ".gif"), strings.HasPrefix(r.URL.Path, "/tr"), strings.HasSuffix(r.URL.Path, "/collect"):
			w.Header().Set("Content-Type", "image/gif")
			w.Write(gif)
		case r.Method != http.MethodGet && r.Method != http.MethodHead:
			w.WriteHeader(http.StatusNoContent)
		default:
			// A script (any other path): it says that it ran.
			w.Header().Set("Content-Type", "text/javascript")
			w.Write([]byte("console.debug(" + strconv.Quote("standin:ran:probe:"+v) + ");try{performance.mark(" + strconv.Quote("standin:probe:"+v) + ")}catch(e){}\n"))
		}
		return
	}
	for _, rt := range vendors.Routes {
		if rt.Host != host || !strings.HasPrefix(r.URL.Path, rt.Prefix) {
			continue
		}
		switch {
		case rt.File == "":
			w.WriteHeader(http.StatusNoContent)
		case rt.File == ".gif":
			w.Header().Set("Content-Type", "image/gif")
			w.Write(gif)
		default:
			b, err := vendors.Files.ReadFile(rt.File)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			ct := "text/javascript"
			if strings.HasSuffix(rt.File, ".html") {
				ct = "text/html; charset=utf-8"
			}
			w.Header().Set("Content-Type", ct)
			w.Write(b)
		}
		return
	}
	http.NotFound(w, r)
}

// certificate makes a CA and a leaf certificate for names, signed by it. It returns the chain and
// the base64 SHA-256 of the leaf's SPKI.
func certificate(names []string) (tls.Certificate, string, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	now := time.Now()
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Consentry test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: names[0]},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		DNSNames: names, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	spki, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	sum := sha256.Sum256(spki)
	return tls.Certificate{Certificate: [][]byte{der, caDER}, PrivateKey: key}, base64.StdEncoding.EncodeToString(sum[:]), nil
}
