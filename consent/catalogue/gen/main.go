// Command gen writes catalogue_gen.go, the compact vendor catalogue, from the
// Open Cookie Database (a CSV file) and the hand-curated vendors.txt, and copies
// the database's licence beside it (Apache-2.0 requires it to ship with the data).
//
// Run it from consent/catalogue: `go generate` or `go run ./gen`. The output is
// deterministic: vendors sorted by id, their cookies, storage keys and hosts
// sorted by name, descriptions in one sorted table.
//
// Every OCD row lands in exactly one vendor: the curated vendor that claims its
// Platform (or takes the row by name), otherwise a vendor of its own Platform,
// with an id slugged from the Platform name. Rows without a Platform are skipped.
package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"io"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// ocdSource names the data and the commit it was taken from; it goes into the
// generated file's attribution line.
const ocdSource = "Open Cookie Database (github.com/jkwakman/Open-Cookie-Database, commit 0ee5a17fe1cb), Apache-2.0"

func main() {
	ocd := flag.String("ocd", "../../../shared/data/open-cookie-database/open-cookie-database.csv", "Open Cookie Database CSV; its LICENSE must sit beside it")
	vendors := flag.String("vendors", "vendors.txt", "hand-curated vendor list")
	dir := flag.String("dir", ".", "directory to write catalogue_gen.go and LICENSE.open-cookie-database to")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("gen: ")

	if err := run(*ocd, *vendors, *dir); err != nil {
		log.Fatal(err)
	}
}

func run(ocdPath, vendorsPath, dir string) error {
	rows, err := readOCD(ocdPath)
	if err != nil {
		return err
	}
	curated, err := readCurated(vendorsPath)
	if err != nil {
		return err
	}
	cat, err := build(rows, curated)
	if err != nil {
		return err
	}
	src, err := render(cat)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "catalogue_gen.go"), src, 0o644); err != nil {
		return err
	}
	licence, err := os.ReadFile(filepath.Join(filepath.Dir(ocdPath), "LICENSE"))
	if err != nil {
		return fmt.Errorf("the OCD licence must ship with its data: %w", err)
	}
	return os.WriteFile(filepath.Join(dir, "LICENSE.open-cookie-database"), licence, 0o644)
}

// row is one cleaned row of the Open Cookie Database.
type row struct {
	line      int // CSV record number, for messages
	platform  string
	category  string // lower-case
	name      string // glob: a wildcard row's name ends with '*'
	domain    string
	desc      string
	retention string
	portal    string
}

// readOCD reads the CSV and cleans each field (see clean). Columns are found by
// header name, so that a reordering upstream is harmless.
func readOCD(path string) ([]row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	want := []string{"Platform", "Category", "Cookie / Data Key name", "Domain", "Description", "Retention period", "User Privacy & GDPR Rights Portals", "Wildcard match"}
	for _, w := range want {
		if _, ok := col[w]; !ok {
			return nil, fmt.Errorf("%s: no column %q", path, w)
		}
	}
	var rows []row
	for n := 2; ; n++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		get := func(c string) string { return clean(rec[col[c]]) }
		rw := row{
			line:      n,
			platform:  get("Platform"),
			category:  strings.ToLower(get("Category")),
			name:      get("Cookie / Data Key name"),
			domain:    cookieDomain(get("Domain")),
			desc:      get("Description"),
			retention: get("Retention period"),
			portal:    get("User Privacy & GDPR Rights Portals"),
		}
		if rw.name == "" {
			return nil, fmt.Errorf("%s:%d: empty cookie name", path, n)
		}
		if get("Wildcard match") == "1" && !strings.HasSuffix(rw.name, "*") {
			rw.name += "*"
		}
		rows = append(rows, rw)
	}
	return rows, nil
}

// clean drops invisible characters (soft hyphens, zero-width spaces and
// joiners, which the OCD has inside a few names and descriptions), folds all
// white space (tabs, newlines) to single spaces, and turns backquotes into
// quotes: the generated file holds the data in one raw string literal, one
// tab-separated record a line.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\u00ad', '\u200b', '\u200c', '\u200d', '\ufeff':
			return -1
		case '`':
			return '\''
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// curatedVendor is one [id] section of vendors.txt.
type curatedVendor struct {
	line      int
	id        string
	name      string
	category  string
	privacy   string
	aliases   []string
	platforms []string
	takes     []take
	renames   map[string]string
	asStorage map[string]bool
	hosts     []string
	cookies   []item
	storage   []item
}

type take struct {
	line           int
	platform, name string
}

var (
	idRE       = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	hostRE     = regexp.MustCompile(`^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?(/[!-~]*)?$`)
	categories = map[string]bool{"functional": true, "personalization": true, "analytics": true, "marketing": true, "security": true, "necessary": true}
)

// readCurated parses vendors.txt (its syntax is described at its top).
func readCurated(path string) ([]*curatedVendor, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var (
		out []*curatedVendor
		cur *curatedVendor
	)
	for i, raw := range strings.Split(string(data), "\n") {
		n := i + 1
		fail := func(format string, a ...any) error {
			return fmt.Errorf("%s:%d: %s", path, n, fmt.Sprintf(format, a...))
		}
		line := raw
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if j := commentStart(line); j >= 0 {
			line = line[:j]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "[") {
			id, ok := strings.CutSuffix(line[1:], "]")
			if !ok || !idRE.MatchString(id) {
				return nil, fail("bad vendor header %q: want [id], id of [a-z0-9-]", line)
			}
			cur = &curatedVendor{line: n, id: id, renames: map[string]string{}, asStorage: map[string]bool{}}
			out = append(out, cur)
			continue
		}
		if cur == nil {
			return nil, fail("directive before the first [vendor]")
		}
		key, val, _ := strings.Cut(line, " ")
		val = strings.TrimSpace(val)
		if val == "" {
			return nil, fail("%s: no value", key)
		}
		switch key {
		case "name":
			cur.name = val
		case "category":
			if !categories[val] {
				return nil, fail("unknown category %q", val)
			}
			cur.category = val
		case "privacy":
			if !strings.HasPrefix(val, "https://") {
				return nil, fail("privacy: want an https URL")
			}
			cur.privacy = val
		case "alias":
			if !idRE.MatchString(val) {
				return nil, fail("bad alias %q", val)
			}
			cur.aliases = append(cur.aliases, val)
		case "platform":
			cur.platforms = append(cur.platforms, val)
		case "take":
			f := splitBar(val)
			if len(f) != 2 {
				return nil, fail("take: want PLATFORM | NAME")
			}
			cur.takes = append(cur.takes, take{n, f[0], f[1]})
		case "rename":
			f := splitBar(val)
			if len(f) != 2 {
				return nil, fail("rename: want OCD-NAME | NEW-NAME")
			}
			cur.renames[f[0]] = f[1]
		case "asstorage":
			cur.asStorage[val] = true
		case "host":
			for _, h := range strings.Fields(val) {
				if !hostRE.MatchString(h) {
					return nil, fail("bad host %q: want lower-case host or *.domain, optionally followed by a path prefix", h)
				}
				cur.hosts = append(cur.hosts, h)
			}
		case "cookie", "storage":
			f := splitBar(val)
			if len(f) != 3 || f[0] == "" {
				return nil, fail("%s: want NAME | RETENTION | DESCRIPTION", key)
			}
			it := item{name: f[0], retention: f[1], desc: f[2]}
			if key == "cookie" {
				cur.cookies = append(cur.cookies, it)
			} else {
				cur.storage = append(cur.storage, it)
			}
		default:
			return nil, fail("unknown directive %q", key)
		}
	}
	for _, v := range out {
		if v.name == "" || v.category == "" {
			return nil, fmt.Errorf("%s:%d: [%s] needs a name and a category", path, v.line, v.id)
		}
	}
	return out, nil
}

// commentStart returns where a trailing comment starts: a '#' after white
// space (a URL's fragment has none before it), or -1.
func commentStart(s string) int {
	for i := 1; i < len(s); i++ {
		if s[i] == '#' && (s[i-1] == ' ' || s[i-1] == '\t') {
			return i
		}
	}
	return -1
}

func splitBar(s string) []string {
	f := strings.Split(s, "|")
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	return f
}

// item is a cookie or storage key of the output.
type item struct {
	name, category, retention, domain, desc string
}

// vendor is a vendor of the output.
type vendor struct {
	id, name, category, privacy string
	curated                     bool
	hosts, aliases              []string
	cookies, storage            []item
}

type catalogue struct {
	vendors []*vendor // sorted by id
	descs   []string  // sorted, unique
}

// build assigns every OCD row to a vendor and merges in the curated data.
func build(rows []row, curated []*curatedVendor) (*catalogue, error) {
	byPlatform := map[string]*curatedVendor{}
	ids := map[string]string{} // id or alias -> what claimed it
	for _, c := range curated {
		for _, id := range append([]string{c.id}, c.aliases...) {
			if prev, dup := ids[id]; dup {
				return nil, fmt.Errorf("vendors.txt:%d: id %q already used by %s", c.line, id, prev)
			}
			ids[id] = "[" + c.id + "]"
		}
		for _, p := range c.platforms {
			if prev, dup := byPlatform[p]; dup {
				return nil, fmt.Errorf("vendors.txt:%d: platform %q already claimed by [%s]", c.line, p, prev.id)
			}
			byPlatform[p] = c
		}
	}

	// Rows taken by name from another platform.
	taken := map[int]*curatedVendor{} // row index -> vendor
	for _, c := range curated {
		for _, t := range c.takes {
			found := false
			for i, r := range rows {
				if r.platform == t.platform && r.name == t.name {
					if prev, dup := taken[i]; dup {
						return nil, fmt.Errorf("vendors.txt:%d: %s | %s already taken by [%s]", t.line, t.platform, t.name, prev.id)
					}
					taken[i] = c
					found = true
				}
			}
			if !found {
				return nil, fmt.Errorf("vendors.txt:%d: take %s | %s: no such OCD row", t.line, t.platform, t.name)
			}
		}
	}

	// Group the rows: curated vendors by id, the rest by platform slug.
	type group struct {
		rows      []row
		platforms map[string]int // spelling -> rows, for the display name
	}
	groups := map[string]*group{}
	add := func(key string, r row) {
		g := groups[key]
		if g == nil {
			g = &group{platforms: map[string]int{}}
			groups[key] = g
		}
		g.rows = append(g.rows, r)
		g.platforms[r.platform]++
	}
	skipped := 0
	for i, r := range rows {
		switch c := taken[i]; {
		case c != nil:
			r.domain = "" // it described the other platform's deployment
			add(c.id, r)
		case byPlatform[r.platform] != nil:
			add(byPlatform[r.platform].id, r)
		case r.platform == "":
			skipped++
		default:
			slug := slugify(r.platform)
			if slug == "" {
				return nil, fmt.Errorf("OCD record %d: platform %q has no usable id", r.line, r.platform)
			}
			if who, clash := ids[slug]; clash {
				return nil, fmt.Errorf("OCD platform %q (id %q) is not claimed but its id is used by %s: claim it with `platform %s` or rename", r.platform, slug, who, r.platform)
			}
			add("\x00"+slug, r)
		}
	}
	if skipped > 0 {
		log.Printf("skipped %d OCD rows without a platform", skipped)
	}

	var out []*vendor
	for key, g := range groups {
		if strings.HasPrefix(key, "\x00") {
			v := &vendor{id: key[1:], name: mostCommon(g.platforms)}
			v.category = mostCommonField(g.rows, func(r row) string { return r.category })
			v.privacy = mostCommonField(g.rows, func(r row) string { return r.portal })
			var err error
			if v.cookies, v.storage, err = items(v.id, g.rows, nil); err != nil {
				return nil, err
			}
			out = append(out, v)
		}
	}
	for _, c := range curated {
		var rs []row
		if g := groups[c.id]; g != nil {
			rs = g.rows
		}
		v := &vendor{id: c.id, name: c.name, category: c.category, privacy: c.privacy, curated: true, aliases: c.aliases}
		if v.privacy == "" {
			v.privacy = mostCommonField(rs, func(r row) string { return r.portal })
		}
		for _, p := range c.platforms {
			found := false
			for _, r := range rs {
				found = found || r.platform == p
			}
			if !found {
				return nil, fmt.Errorf("vendors.txt:%d: [%s] platform %q has no OCD rows", c.line, c.id, p)
			}
		}
		var err error
		if v.cookies, v.storage, err = items(v.id, rs, c); err != nil {
			return nil, err
		}
		v.hosts = sortedUnique(c.hosts)
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })

	// Hosts must identify one vendor each.
	hostOwner := map[string]string{}
	for _, v := range out {
		for _, h := range v.hosts {
			if prev, dup := hostOwner[h]; dup {
				return nil, fmt.Errorf("host %q is listed by both [%s] and [%s]", h, prev, v.id)
			}
			hostOwner[h] = v.id
		}
	}

	descSet := map[string]bool{}
	for _, v := range out {
		for _, it := range append(append([]item(nil), v.cookies...), v.storage...) {
			if it.desc != "" {
				descSet[it.desc] = true
			}
		}
	}
	descs := make([]string, 0, len(descSet))
	for d := range descSet {
		descs = append(descs, d)
	}
	sort.Strings(descs)
	return &catalogue{vendors: out, descs: descs}, nil
}

// items turns a vendor's OCD rows into its cookies and storage keys, applying
// the curated renames, asstorage moves and additions. A name appears once: the
// first OCD row wins over later duplicates, a curated item over the OCD row.
func items(id string, rows []row, c *curatedVendor) (cookies, storage []item, err error) {
	usedRename := map[string]bool{}
	usedStorage := map[string]bool{}
	seenC, seenS := map[string]int{}, map[string]int{}
	put := func(list *[]item, seen map[string]int, it item, replace bool) {
		if i, dup := seen[it.name]; dup {
			if replace {
				(*list)[i] = it
			}
			return
		}
		seen[it.name] = len(*list)
		*list = append(*list, it)
	}
	for _, r := range rows {
		it := item{name: r.name, category: r.category, retention: r.retention, domain: r.domain, desc: r.desc}
		toStorage := false
		if c != nil {
			if nn, ok := c.renames[r.name]; ok {
				usedRename[r.name] = true
				it.name = nn
			}
			if c.asStorage[r.name] {
				usedStorage[r.name] = true
				toStorage = true
			}
		}
		// The OCD marks a few data keys as kept in local storage.
		if strings.EqualFold(r.retention, "Local Storage") {
			toStorage = true
			it.retention = "persistent"
		}
		if toStorage {
			put(&storage, seenS, it, false)
		} else {
			put(&cookies, seenC, it, false)
		}
	}
	if c != nil {
		for from := range c.renames {
			if !usedRename[from] {
				return nil, nil, fmt.Errorf("[%s] rename %q: no such OCD row", id, from)
			}
		}
		for name := range c.asStorage {
			if !usedStorage[name] {
				return nil, nil, fmt.Errorf("[%s] asstorage %q: no such OCD row", id, name)
			}
		}
		for _, it := range c.cookies {
			it.category = c.category
			put(&cookies, seenC, it, true)
		}
		for _, it := range c.storage {
			it.category = c.category
			put(&storage, seenS, it, true)
		}
	}
	byName := func(l []item) func(i, j int) bool { return func(i, j int) bool { return l[i].name < l[j].name } }
	sort.Slice(cookies, byName(cookies))
	sort.Slice(storage, byName(storage))
	return cookies, storage, nil
}

// slugify makes an id from an OCD platform name: "Bing / Microsoft" ->
// "bing-microsoft", "Yandex.Metrica" -> "yandex-metrica". Spellings that
// differ only in case or punctuation ("HubSpot", "Hubspot") share one id.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return b.String()
}

// mostCommon returns the key with the highest count, the smallest on a tie.
func mostCommon(m map[string]int) string {
	best, n := "", -1
	for k, c := range m {
		if c > n || c == n && k < best {
			best, n = k, c
		}
	}
	return best
}

func mostCommonField(rows []row, f func(row) string) string {
	m := map[string]int{}
	for _, r := range rows {
		if v := f(r); v != "" {
			m[v]++
		}
	}
	return mostCommon(m)
}

func sortedUnique(s []string) []string {
	s = append([]string(nil), s...)
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// categoryCode must match categoryName in catalogue.go.
var categoryCode = map[string]string{
	"functional": "f", "personalization": "p", "analytics": "a",
	"marketing": "m", "security": "s", "necessary": "n",
}

// render writes the Go source. The format of catalogueData is documented in
// catalogue.go, beside its parser.
func render(cat *catalogue) ([]byte, error) {
	descIndex := map[string]int{}
	var data strings.Builder
	data.WriteString("consentry-catalogue 1\n")
	for i, d := range cat.descs {
		descIndex[d] = i
		fmt.Fprintf(&data, "D\t%s\n", d)
	}
	var nCookies, nStorage, nCurated int
	code := func(c string) (string, error) {
		if c == "" {
			return "", nil
		}
		k, ok := categoryCode[c]
		if !ok {
			return "", fmt.Errorf("unknown category %q", c)
		}
		return k, nil
	}
	for _, v := range cat.vendors {
		vc, err := code(v.category)
		if err != nil {
			return nil, fmt.Errorf("vendor %s: %w", v.id, err)
		}
		curated := "0"
		if v.curated {
			curated = "1"
			nCurated++
		}
		fmt.Fprintf(&data, "V\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", v.id, v.name, vc, v.privacy, curated,
			strings.Join(v.hosts, " "), strings.Join(v.aliases, " "))
		for _, kind := range []struct {
			tag   string
			items []item
			n     *int
		}{{"C", v.cookies, &nCookies}, {"S", v.storage, &nStorage}} {
			for _, it := range kind.items {
				ic, err := code(it.category)
				if err != nil {
					return nil, fmt.Errorf("vendor %s, %s: %w", v.id, it.name, err)
				}
				desc := ""
				if it.desc != "" {
					desc = fmt.Sprint(descIndex[it.desc])
				}
				fmt.Fprintf(&data, "%s\t%s\t%s\t%s\t%s\t%s\n", kind.tag, it.name, ic, it.retention, it.domain, desc)
				*kind.n++
			}
		}
	}
	body := data.String()
	if strings.Contains(body, "`") || strings.Contains(body, "\r") {
		return nil, errors.New("data contains a backquote or carriage return")
	}

	var buf bytes.Buffer
	fmt.Fprintf(&buf, "// Code generated by go run ./gen; DO NOT EDIT.\n\n")
	fmt.Fprintf(&buf, "// Data from the %s;\n// see LICENSE.open-cookie-database. Curated hosts and storage keys: vendors.txt.\n\n", ocdSource)
	fmt.Fprintf(&buf, "package catalogue\n\n")
	fmt.Fprintf(&buf, "// Counts of the records in catalogueData, checked by the tests.\n")
	fmt.Fprintf(&buf, "const (\n\tgenVendors = %d\n\tgenCurated = %d\n\tgenCookies = %d\n\tgenStorage = %d\n)\n\n", len(cat.vendors), nCurated, nCookies, nStorage)
	fmt.Fprintf(&buf, "const catalogueData = `%s`\n", body)
	return format.Source(buf.Bytes())
}

// cookieDomain reduces the OCD's Domain column to the one domain a cookie is set on: the column
// holds notes such as "google-analytics.com (3rd party) or " and ".bing.com (3rd party) or
// .microsoft.com (3rd party)"; the first domain-like word is kept, lower-cased, without its dot.
func cookieDomain(s string) string {
	for _, w := range strings.Fields(strings.ToLower(s)) {
		w = strings.TrimPrefix(strings.Trim(w, "(),;"), ".")
		if strings.Contains(w, ".") && !strings.ContainsAny(w, "()/ ") && w != "3rd" {
			return w
		}
	}
	return ""
}
