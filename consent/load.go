package consent

import (
	"strconv"
	"strings"
)

// FieldError is one problem in a policy file, at a field path such as "services[3].cookies[0].name".
type FieldError struct {
	Path string
	Msg  string
}

func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Errors is every problem Load found, in document order. Load reports all of them at once so that
// a file can be fixed in one pass.
type Errors []*FieldError

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// maxErrors bounds what a hostile or badly broken file can make Load report.
const maxErrors = 200

// Load parses, validates and compiles a policy file (the JSON format of docs/policy-format.md).
// It returns every problem as Errors, each naming its field path; it never returns a policy that is
// weaker than the file says (an unknown field, a misspelt category or a bad pattern is an error, not
// something skipped).
func Load(data []byte) (*Policy, error) {
	root, err := parseJSON(data)
	if err != nil {
		return nil, Errors{{Msg: "not valid JSON: " + err.Error()}}
	}
	l := &loader{}
	src := l.policy(root)
	if len(l.errs) > 0 {
		return nil, l.errs
	}
	p := l.compile(src)
	if len(l.errs) > 0 {
		return nil, l.errs
	}
	return p, nil
}

// source is the policy file as written, after field validation and before compilation.
type source struct {
	policy     Policy // settings fields filled in
	categories []Category
	services   []serviceSource
}

type serviceSource struct {
	path       string
	id         string
	category   string
	categoryAt string // field path of "category"
	provider   string
	catalogue  string
	desc       Text
	privacyURL string
	hosts      []string
	cookies    []Item
	storage    []Item
}

type loader struct {
	errs      Errors
	languages []string
}

func (l *loader) fail(path, msg string) {
	if len(l.errs) < maxErrors {
		l.errs = append(l.errs, &FieldError{Path: path, Msg: msg})
	}
}

func field(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func (l *loader) is(path string, v *jsonValue, kind jsonKind) bool {
	if v.kind != kind {
		l.fail(path, "must be "+kind.String()+", not "+v.kind.String())
		return false
	}
	return true
}

// members calls fn for each member of object v; fn returns false for a member it does not know.
func (l *loader) members(path string, v *jsonValue, fn func(key, path string, v *jsonValue) bool) {
	if !l.is(path, v, jsonObject) {
		return
	}
	for _, m := range v.members {
		if !fn(m.key, field(path, m.key), m.value) {
			l.fail(field(path, m.key), "unknown field")
		}
	}
}

func (l *loader) str(path string, v *jsonValue) string {
	if !l.is(path, v, jsonString) {
		return ""
	}
	return v.str
}

func (l *loader) boolean(path string, v *jsonValue) bool {
	if !l.is(path, v, jsonBool) {
		return false
	}
	return v.boolean
}

func (l *loader) integer(path string, v *jsonValue, min, max int) int {
	if !l.is(path, v, jsonNumber) {
		return 0
	}
	n, err := strconv.Atoi(v.str)
	if err != nil {
		l.fail(path, "must be a whole number")
		return 0
	}
	if n < min || n > max {
		l.fail(path, "must be between "+strconv.Itoa(min)+" and "+strconv.Itoa(max))
	}
	return n
}

func (l *loader) list(path string, v *jsonValue, fn func(path string, v *jsonValue)) {
	if !l.is(path, v, jsonArray) {
		return
	}
	for i, item := range v.items {
		fn(index(path, i), item)
	}
}

func (l *loader) strings(path string, v *jsonValue) []string {
	var out []string
	l.list(path, v, func(p string, item *jsonValue) { out = append(out, l.str(p, item)) })
	return out
}

// text reads a localized text: {"en": "...", "nb": "..."} or a plain string in the default language.
func (l *loader) text(path string, v *jsonValue) Text {
	t := Text{}
	if v.kind == jsonString {
		t[l.defaultLanguage()] = v.str
		return t
	}
	if v.kind != jsonObject {
		l.fail(path, "must be a string or an object of language: text, not "+v.kind.String())
		return t
	}
	for _, m := range v.members {
		p := field(path, m.key)
		if !contains(l.languages, m.key) {
			l.fail(p, "language not listed in languages "+strconv.Quote(strings.Join(l.languages, ",")))
			continue
		}
		t[m.key] = l.str(p, m.value)
	}
	return t
}

func (l *loader) defaultLanguage() string {
	if len(l.languages) == 0 {
		return "en"
	}
	return l.languages[0]
}

func (l *loader) policy(root *jsonValue) *source {
	src := &source{}
	p := &src.policy
	p.Consent = ConsentSettings{Cookie: DefaultConsentCookie, Lifetime: days(DefaultLifetimeDays)}
	l.languages = []string{"en"}
	if root.kind != jsonObject {
		l.fail("", "the policy must be a JSON object, not "+root.kind.String())
		return src
	}
	// Languages first: every text below is checked against them.
	for _, m := range root.members {
		if m.key == "languages" {
			l.languages = l.readLanguages("languages", m.value)
		}
	}
	p.Languages = l.languages
	var categories, services *jsonValue
	l.members("", root, func(key, path string, v *jsonValue) bool {
		switch key {
		case "site":
			if p.Site = strings.TrimSpace(l.str(path, v)); p.Site == "" && v.kind == jsonString {
				l.fail(path, "empty")
			}
		case "languages":
		case "revision":
			p.SourceRevision = l.str(path, v)
		case "regime":
			switch s := l.str(path, v); s {
			case "opt-in":
				p.Regime = OptIn
			case "opt-out":
				p.Regime = OptOut
			default:
				if v.kind == jsonString {
					l.fail(path, strconv.Quote(s)+" is not opt-in or opt-out")
				}
			}
		case "policyUrl":
			p.PolicyURL = l.url(path, v)
		case "firstParty":
			l.list(path, v, func(ip string, item *jsonValue) {
				if h, ok := l.hostPattern(ip, l.str(ip, item), false); ok {
					p.FirstParty = append(p.FirstParty, h)
				}
			})
		case "consent":
			l.consent(path, v, &p.Consent)
		case "undeclared":
			l.undeclared(path, v, &p.Undeclared)
		case "consentMode":
			l.members(path, v, func(key, path string, v *jsonValue) bool {
				switch key {
				case "waitForUpdate":
					p.ConsentMode.WaitForUpdate = l.integer(path, v, 0, 60000)
				case "adsDataRedaction":
					p.ConsentMode.AdsDataRedaction = l.boolean(path, v)
				case "urlPassthrough":
					p.ConsentMode.URLPassthrough = l.boolean(path, v)
				default:
					return false
				}
				return true
			})
		case "csp":
			switch s := l.str(path, v); s {
			case "off":
				p.CSP = CSPOff
			case "enforce":
				p.CSP = CSPEnforce
			case "report-only":
				p.CSP = CSPReportOnly
			default:
				if v.kind == jsonString {
					l.fail(path, strconv.Quote(s)+" is not off, enforce or report-only")
				}
			}
		case "banner":
			l.members(path, v, func(key, path string, v *jsonValue) bool {
				switch key {
				case "modal":
					p.Banner.Modal = l.boolean(path, v)
				case "button":
					p.Banner.Button = l.boolean(path, v)
				default:
					return false
				}
				return true
			})
		case "texts":
			p.Texts = l.texts(path, v)
		case "categories":
			categories = v
		case "services":
			services = v
		case "$schema", "$comment":
			// Editors' conveniences; they change nothing.
		default:
			return false
		}
		return true
	})
	if p.Site == "" && !l.has("site") {
		l.fail("site", "required")
	}
	if categories == nil {
		l.fail("categories", "required")
	} else {
		src.categories = l.categories("categories", categories)
	}
	if services != nil {
		src.services = l.services("services", services)
	}
	ids := make([]string, 0, len(src.categories))
	for _, c := range src.categories {
		ids = append(ids, c.ID)
	}
	for _, s := range src.services {
		if s.category != "" && !contains(ids, s.category) && len(ids) > 0 {
			l.fail(s.categoryAt, "unknown category "+strconv.Quote(s.category)+" (categories: "+
				strings.Join(ids, ", ")+")")
		}
	}
	return src
}

func (l *loader) has(path string) bool {
	for _, e := range l.errs {
		if e.Path == path {
			return true
		}
	}
	return false
}

func (l *loader) readLanguages(path string, v *jsonValue) []string {
	var out []string
	l.list(path, v, func(p string, item *jsonValue) {
		tag := l.str(p, item)
		if item.kind != jsonString {
			return
		}
		if !validLanguageTag(tag) {
			l.fail(p, strconv.Quote(tag)+" is not a language tag like en or nb")
			return
		}
		if contains(out, tag) {
			l.fail(p, "duplicate language "+strconv.Quote(tag))
			return
		}
		out = append(out, tag)
	})
	if v.kind == jsonArray && len(v.items) == 0 {
		l.fail(path, "empty")
	}
	if len(out) == 0 {
		return []string{"en"}
	}
	return out
}

func validLanguageTag(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts[0]) < 2 || len(parts[0]) > 3 {
		return false
	}
	for i, part := range parts {
		if part == "" || len(part) > 8 {
			return false
		}
		for j := 0; j < len(part); j++ {
			c := part[j]
			if !(c >= 'a' && c <= 'z') && !(i > 0 && (c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
				return false
			}
		}
	}
	return true
}

func (l *loader) url(path string, v *jsonValue) string {
	s := l.str(path, v)
	if v.kind != jsonString || s == "" {
		return s
	}
	if !strings.HasPrefix(s, "https://") && !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "/") {
		l.fail(path, strconv.Quote(s)+" is not an absolute http(s) URL or a path starting with /")
	}
	if strings.ContainsAny(s, " \t\r\n\"<>") {
		l.fail(path, "contains spaces, quotes or angle brackets")
	}
	return s
}

// texts reads the banner's text overrides: {"LANG": {"KEY": "text", ...}, ...}. A language need not
// be one of "languages": a site may reword the banner's own words in any language the banner speaks.
func (l *loader) texts(path string, v *jsonValue) map[string]Text {
	out := map[string]Text{}
	l.members(path, v, func(lang, lp string, v *jsonValue) bool {
		if !validLanguageTag(lang) {
			l.fail(lp, strconv.Quote(lang)+" is not a language tag like en or nb")
			return true
		}
		l.members(lp, v, func(key, kp string, v *jsonValue) bool {
			known := false
			for _, k := range BannerTextKeys {
				known = known || k == key
			}
			if !known {
				l.fail(kp, "unknown text (texts: "+strings.Join(BannerTextKeys[:], ", ")+")")
				return true
			}
			s := l.str(kp, v)
			if v.kind == jsonString && strings.TrimSpace(s) == "" {
				l.fail(kp, "empty")
				return true
			}
			if out[key] == nil {
				out[key] = Text{}
			}
			out[key][lang] = s
			return true
		})
		return true
	})
	if len(out) == 0 {
		return nil
	}
	return out
}

func (l *loader) consent(path string, v *jsonValue, c *ConsentSettings) {
	l.members(path, v, func(key, path string, v *jsonValue) bool {
		switch key {
		case "cookie":
			c.Cookie = l.str(path, v)
			if v.kind == jsonString && (c.Cookie == "" || !validCookieName(c.Cookie, false)) {
				l.fail(path, strconv.Quote(c.Cookie)+" is not a valid cookie name")
			}
		case "domain":
			d := strings.TrimPrefix(l.str(path, v), ".")
			if v.kind == jsonString {
				if h, ok := l.hostPattern(path, d, false); ok {
					if strings.HasPrefix(h, "*.") || strings.ContainsAny(h, "/?") {
						l.fail(path, "must be a plain domain like example.com")
					}
					c.Domain = h
				}
			}
		case "lifetimeDays":
			c.Lifetime = days(l.integer(path, v, 1, 3650))
		case "receiptEndpoint":
			c.ReceiptEndpoint = l.url(path, v)
		default:
			return false
		}
		return true
	})
}

func (l *loader) undeclared(path string, v *jsonValue, u *UndeclaredSettings) {
	mode := func(path string, v *jsonValue) UndeclaredMode {
		switch s := l.str(path, v); s {
		case "block":
			return Block
		case "report":
			return Report
		default:
			if v.kind == jsonString {
				l.fail(path, strconv.Quote(s)+" is not block or report")
			}
		}
		return Block
	}
	if v.kind == jsonString {
		m := mode(path, v)
		*u = UndeclaredSettings{m, m, m}
		return
	}
	l.members(path, v, func(key, path string, v *jsonValue) bool {
		switch key {
		case "cookies":
			u.Cookies = mode(path, v)
		case "storage":
			u.Storage = mode(path, v)
		case "hosts":
			u.Hosts = mode(path, v)
		default:
			return false
		}
		return true
	})
}

// consentModeTypes are the Google Consent Mode v2 consent types
// (https://developers.google.com/tag-platform/security/concepts/consent-mode).
var consentModeTypes = []string{"ad_storage", "ad_user_data", "ad_personalization", "analytics_storage",
	"functionality_storage", "personalization_storage", "security_storage"}

func (l *loader) categories(path string, v *jsonValue) []Category {
	var out []Category
	seen := map[string]string{}
	l.list(path, v, func(cp string, item *jsonValue) {
		c := Category{}
		hasLabel := false
		l.members(cp, item, func(key, path string, v *jsonValue) bool {
			switch key {
			case "id":
				c.ID = l.id(path, v)
				if prev, dup := seen[c.ID]; dup && c.ID != "" {
					l.fail(path, "duplicate category id "+strconv.Quote(c.ID)+" (also "+prev+")")
				} else if c.ID != "" {
					seen[c.ID] = cp
				}
			case "required":
				c.Required = l.boolean(path, v)
			case "label":
				c.Label = l.text(path, v)
				hasLabel = true
			case "description":
				c.Description = l.text(path, v)
			case "consentMode":
				for i, t := range l.strings(path, v) {
					if !contains(consentModeTypes, t) {
						l.fail(index(path, i), strconv.Quote(t)+" is not a Consent Mode type ("+
							strings.Join(consentModeTypes, ", ")+")")
					}
					c.ConsentMode = append(c.ConsentMode, t)
				}
			case "gpc":
				c.GPC = l.boolean(path, v)
			default:
				return false
			}
			return true
		})
		if item.kind != jsonObject {
			return
		}
		if c.ID == "" && !l.has(field(cp, "id")) {
			l.fail(field(cp, "id"), "required")
		}
		if !hasLabel {
			l.fail(field(cp, "label"), "required")
		} else if c.Label[l.defaultLanguage()] == "" {
			l.fail(field(cp, "label"), "missing in the default language "+strconv.Quote(l.defaultLanguage()))
		}
		if c.Required && c.GPC {
			l.fail(field(cp, "gpc"), "a required category cannot be denied by GPC")
		}
		out = append(out, c)
	})
	if v.kind == jsonArray {
		if len(v.items) == 0 {
			l.fail(path, "empty")
		} else if len(v.items) > 64 {
			l.fail(path, "more than 64 categories")
		}
		required := false
		for _, c := range out {
			required = required || c.Required
		}
		if !required && len(out) > 0 {
			l.fail(path, "no required category: one must hold what is strictly necessary, the consent cookie first")
		}
	}
	return out
}

// maxServices bounds a policy; a page decides against every service.
const maxServices = 4096

func (l *loader) services(path string, v *jsonValue) []serviceSource {
	var out []serviceSource
	seen := map[string]string{}
	l.list(path, v, func(sp string, item *jsonValue) {
		s := serviceSource{path: sp}
		l.members(sp, item, func(key, path string, v *jsonValue) bool {
			switch key {
			case "id":
				s.id = l.id(path, v)
				if s.id == builtinService {
					l.fail(path, strconv.Quote(s.id)+" is reserved for the consent cookie's own service")
				} else if prev, dup := seen[s.id]; dup && s.id != "" {
					l.fail(path, "duplicate service id "+strconv.Quote(s.id)+" (also "+prev+")")
				} else if s.id != "" {
					seen[s.id] = sp
				}
			case "category":
				s.category, s.categoryAt = l.str(path, v), path
			case "provider":
				s.provider = l.str(path, v)
			case "catalogue":
				s.catalogue, s.categoryAt = l.str(path, v), first(s.categoryAt, field(sp, "category"))
			case "description":
				s.desc = l.text(path, v)
			case "privacyUrl":
				s.privacyURL = l.url(path, v)
			case "hosts":
				l.list(path, v, func(hp string, h *jsonValue) {
					if pat, ok := l.hostPattern(hp, l.str(hp, h), true); ok {
						s.hosts = append(s.hosts, pat)
					}
				})
			case "cookies":
				s.cookies = l.items(path, v, true)
			case "storage":
				s.storage = l.items(path, v, false)
			default:
				return false
			}
			return true
		})
		if item.kind != jsonObject {
			return
		}
		if s.id == "" && !l.has(field(sp, "id")) {
			l.fail(field(sp, "id"), "required")
		}
		out = append(out, s)
	})
	if v.kind == jsonArray && len(v.items) > maxServices {
		l.fail(path, "more than "+strconv.Itoa(maxServices)+" services")
	}
	return out
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (l *loader) items(path string, v *jsonValue, cookie bool) []Item {
	var out []Item
	l.list(path, v, func(ip string, item *jsonValue) {
		it := Item{}
		hasName := false
		l.members(ip, item, func(key, path string, v *jsonValue) bool {
			switch key {
			case "name":
				hasName = true
				it.Name = l.str(path, v)
				switch {
				case v.kind != jsonString:
				case it.Name == "":
					l.fail(path, "empty")
				case it.Name == "*" || strings.Contains(it.Name, "**"):
					l.fail(path, strconv.Quote(it.Name)+" would match everything")
				case cookie && !validCookieName(it.Name, true):
					l.fail(path, strconv.Quote(it.Name)+" is not a cookie name (RFC 6265 token, '*' as wildcard)")
				case !cookie && !validStorageKey(it.Name):
					l.fail(path, strconv.Quote(it.Name)+" contains control characters")
				}
			case "expiry":
				s := l.str(path, v)
				if e, ok := ParseExpiry(s); ok {
					it.Expiry = e
				} else if v.kind == jsonString {
					l.fail(path, strconv.Quote(s)+" is not session, persistent or a count and unit like 30m, 24h, 7d, 2w, 13mo, 2y")
				}
			case "expiryNote":
				it.ExpiryNote = l.text(path, v)
			case "description":
				it.Description = l.text(path, v)
			case "domain":
				d := strings.TrimPrefix(l.str(path, v), ".")
				if v.kind == jsonString {
					if h, ok := l.hostPattern(path, d, false); ok {
						it.Domain = h
					}
				}
			default:
				return false
			}
			return true
		})
		if item.kind == jsonObject && !hasName {
			l.fail(field(ip, "name"), "required")
		}
		out = append(out, it)
	})
	return out
}

func (l *loader) id(path string, v *jsonValue) string {
	s := l.str(path, v)
	if v.kind != jsonString {
		return ""
	}
	if s == "" {
		l.fail(path, "empty")
		return ""
	}
	if !validID(s) {
		l.fail(path, strconv.Quote(s)+" must be 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit")
	}
	return s
}

func validID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || i > 0 && (c == '-' || c == '_')) {
			return false
		}
	}
	return true
}

// validCookieName checks an RFC 6265 §4.1.1 token (cookie-name), optionally with '*' wildcards.
func validCookieName(s string, glob bool) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '*' && glob {
			continue
		}
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?={}", c) >= 0 {
			return false
		}
	}
	return true
}

func validStorageKey(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] == 0x7f {
			return false
		}
	}
	return true
}

// hostPattern validates and normalizes "host", "*.domain", and (when withPath) an optional path
// prefix: "www.googletagmanager.com/gtag/js?id=G-".
func (l *loader) hostPattern(path, s string, withPath bool) (string, bool) {
	if s == "" {
		l.fail(path, "empty")
		return "", false
	}
	if strings.Contains(s, "://") {
		l.fail(path, strconv.Quote(s)+" must be a host (www.example.com or *.example.com), not a URL")
		return "", false
	}
	domain, wildcard, rest := splitHostPattern(s)
	if rest != "" && !withPath {
		l.fail(path, strconv.Quote(s)+" must be a host without a path")
		return "", false
	}
	if strings.ContainsAny(rest, " \t\r\n#") {
		l.fail(path, strconv.Quote(s)+": the path prefix contains spaces or '#'")
		return "", false
	}
	if strings.HasSuffix(domain, ".") {
		domain = strings.TrimRight(domain, ".")
	}
	if strings.IndexByte(domain, '*') >= 0 {
		l.fail(path, strconv.Quote(s)+": '*' is allowed only as a leading \"*.\"")
		return "", false
	}
	if strings.IndexByte(domain, ':') >= 0 {
		l.fail(path, strconv.Quote(s)+" must not name a port")
		return "", false
	}
	norm := normalizeHost(domain)
	if !validHostname(norm) {
		l.fail(path, strconv.Quote(s)+" is not a valid host name")
		return "", false
	}
	if wildcard {
		norm = "*." + norm
	}
	return norm + rest, true
}

func validHostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}
