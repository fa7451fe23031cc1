package demo

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/consentry/consentry/consent"
)

// The inspector's server side (web/inspector.js). /_demo/ is answered by the origin directly, not
// through the edge, so that it sees every cookie the browser sends, as the browser holds them.

// inspectRequest is what the inspector sends: the storage keys the page sees.
type inspectRequest struct {
	Local   []string `json:"local"`
	Session []string `json:"session"`
}

// inspectAnswer is the policy's decisions on what the page holds, for the visitor's consent as
// the consent cookie of the request says (as the edge reads it).
type inspectAnswer struct {
	Site       string          `json:"site"`
	Categories []inspectCat    `json:"categories"`
	Cookies    []inspectItem   `json:"cookies"`
	Storage    []inspectItem   `json:"storage"`
	Consent    inspectDecision `json:"consent"`
}

type inspectCat struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Required bool   `json:"required"`
	Granted  bool   `json:"granted"`
}

type inspectItem struct {
	Name     string `json:"name"`
	Area     string `json:"area,omitempty"` // "local" or "session", for storage keys
	Allowed  bool   `json:"allowed"`
	Category string `json:"category,omitempty"`
	Service  string `json:"service,omitempty"`
	Reason   string `json:"reason"`
}

type inspectDecision struct {
	Decided bool   `json:"decided"`
	Source  string `json:"source,omitempty"`
	GPC     bool   `json:"gpc,omitempty"`
}

// maxInspectBody bounds what the inspector may send.
const maxInspectBody = 64 << 10

// inspect answers POST /_demo/inspect with the decisions of the site's policy (the one its page
// module and edge enforce) on the cookies of the request and the storage keys of the body.
func (s *Site) inspect(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var req inspectRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxInspectBody)).Decode(&req); err != nil {
		http.Error(w, "inspect: "+err.Error(), http.StatusBadRequest)
		return
	}
	p := s.Policy
	var state consent.State
	names := cookieNames(r)
	for _, v := range cookieValues(r, p.Consent.Cookie) {
		// As the edge does: the newest valid decision wins; anything malformed is no decision.
		if st, err := p.DecodeState(v, time.Now().Unix()); err == nil && (!state.Decided || st.At > state.At) {
			state = st
		}
	}
	gpc := r.Header.Get("Sec-GPC") == "1"
	d := p.Decider(state, gpc, hostname(r.Host))

	ans := inspectAnswer{Site: p.Site, Cookies: []inspectItem{}, Storage: []inspectItem{},
		Consent: inspectDecision{Decided: state.Decided, GPC: gpc}}
	if state.Decided {
		ans.Consent.Source = state.Source.String()
	}
	granted := p.GrantedCategories(state, gpc)
	for i, c := range p.Categories {
		ans.Categories = append(ans.Categories, inspectCat{ID: c.ID, Label: c.Label.In("en", p.DefaultLanguage()),
			Required: c.Required, Granted: granted[i]})
	}
	for _, name := range names {
		ans.Cookies = append(ans.Cookies, item(name, "", d.Cookie(name)))
	}
	for area, keys := range map[string][]string{"local": req.Local, "session": req.Session} {
		for _, k := range keys {
			ans.Storage = append(ans.Storage, item(k, area, d.Storage(k)))
		}
	}
	sortItems(ans.Cookies)
	sortItems(ans.Storage)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(ans)
}

func item(name, area string, d consent.Decision) inspectItem {
	return inspectItem{Name: name, Area: area, Allowed: d.Allowed, Category: d.Category, Service: d.Service, Reason: d.Reason.String()}
}

func sortItems(items []inspectItem) {
	slices.SortFunc(items, func(a, b inspectItem) int {
		if c := strings.Compare(a.Area, b.Area); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
}

// reset answers POST /_demo/reset: it expires every cookie the browser sent (host-only, and on
// the consent cookie's domain where the site is under it) and asks the browser to clear the
// site's cookies and storage (Clear-Site-Data, which browsers honour on secure contexts, as
// http://*.localhost is).
func (s *Site) reset(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	host := hostname(r.Host)
	dom := s.Policy.Consent.Domain
	for _, name := range cookieNames(r) {
		w.Header().Add("Set-Cookie", name+"=; Path=/; Max-Age=0")
		if dom != "" && (host == dom || strings.HasSuffix(host, "."+dom)) {
			w.Header().Add("Set-Cookie", name+"=; Path=/; Domain="+dom+"; Max-Age=0")
		}
	}
	w.Header().Set("Clear-Site-Data", `"cookies", "storage"`)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

// cookieNames returns the names of the cookies of r, each once, in the order sent. The engine's
// parser reads them as browsers send them (net/http's drops values it finds invalid).
func cookieNames(r *http.Request) []string {
	var names []string
	for _, h := range r.Header.Values("Cookie") {
		for name := range consent.ParseCookieHeader(h) {
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	return names
}

// cookieValues returns every value r sends for the cookie name.
func cookieValues(r *http.Request, name string) []string {
	var values []string
	for _, h := range r.Header.Values("Cookie") {
		for n, v := range consent.ParseCookieHeader(h) {
			if n == name {
				values = append(values, v)
			}
		}
	}
	return values
}
