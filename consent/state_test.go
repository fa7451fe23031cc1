package consent

import (
	"bufio"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestStateRoundTrip(t *testing.T) {
	p := examplePolicy(t)
	id := ConsentID([]byte("0123456789ab"))
	cases := []struct {
		name  string
		state State
	}{
		{"reject all", State{Source: SourceBanner}},
		{"analytics", State{Granted: []string{"analytics"}, Source: SourceAPI}},
		{"accept all", State{Granted: []string{"necessary", "analytics", "marketing", "media"}, Source: SourceBanner}},
		{"per-service grant", State{GrantedServices: []string{"youtube"}, Source: SourcePlaceholder}},
		{"per-service denial", State{Granted: []string{"media", "analytics"}, DeniedServices: []string{"ga", "youtube"}, Source: SourceBanner}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.state
			in.At, in.ID = testNow, id
			v := p.EncodeState(in)
			if len(v) > 60 {
				t.Errorf("cookie is %d bytes: %s", len(v), v)
			}
			for i := 0; i < len(v); i++ {
				if b64Value(v[i]) < 0 && v[i] != '.' {
					t.Fatalf("cookie %q has a character outside base64url and '.'", v)
				}
			}
			out, err := p.DecodeState(v, testNow+Hour)
			if err != nil {
				t.Fatalf("DecodeState(%q): %v", v, err)
			}
			want := append([]string{"necessary"}, c.state.Granted...)
			for _, g := range want {
				if !out.Grants(g) {
					t.Errorf("lost grant %q: %+v", g, out)
				}
			}
			if len(out.Granted) != len(dedupe(want)) {
				t.Errorf("granted %v, want %v", out.Granted, dedupe(want))
			}
			if strings.Join(out.GrantedServices, ",") != strings.Join(c.state.GrantedServices, ",") ||
				strings.Join(out.DeniedServices, ",") != strings.Join(c.state.DeniedServices, ",") {
				t.Errorf("services: %+v", out)
			}
			if !out.Decided || out.Source != c.state.Source || out.ID != id || out.At != testNow || out.Revision != p.Revision {
				t.Errorf("state %+v", out)
			}
		})
	}
}

func dedupe(s []string) []string {
	var out []string
	for _, x := range s {
		if !contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func TestStateSizeWithTenCategories(t *testing.T) {
	var cats []string
	for i := 0; i < 10; i++ {
		cats = append(cats, `{"id": "c`+strconv.Itoa(i)+`", "label": "C", "required": `+strconv.FormatBool(i == 0)+`}`)
	}
	p, err := Load([]byte(minimal("["+strings.Join(cats, ",")+"]", "")))
	if err != nil {
		t.Fatal(err)
	}
	v := p.EncodeState(State{Granted: []string{"c1", "c3", "c9"}, At: testNow, ID: ConsentID([]byte("123456789012"))})
	if len(v) >= 64 {
		t.Errorf("consent cookie for 10 categories is %d bytes: %s", len(v), v)
	}
	t.Logf("10 categories: %d bytes (%s)", len(v), v)
}

// TestDecodeStateRejects: every way a cookie can be wrong gives "no decision" and says why.
func TestDecodeStateRejects(t *testing.T) {
	p := examplePolicy(t)
	good := p.EncodeState(State{Granted: []string{"analytics"}, At: testNow, Source: SourceBanner, ID: ConsentID([]byte("abcdefghijkl"))})
	fields := strings.Split(good, ".")
	rejoin := func(i int, v string) string {
		f := append([]string(nil), fields...)
		f[i] = v
		s := strings.Join(f[:7], ".")
		return s + "." + checksum(s+".")
	}
	other := loadTestPolicy(t, "testdata/example.json")
	other.Revision = "AAAAAAAA"
	fromOther := other.EncodeState(State{Granted: []string{"analytics", "marketing"}, At: testNow, ID: ConsentID([]byte("abcdefghijkl"))})
	cases := []struct {
		name  string
		value string
		now   int64
		want  error
	}{
		{"empty", "", testNow, ErrNoConsent},
		{"truncated", good[:len(good)-3], testNow, ErrChecksum},
		{"one field short", strings.Join(fields[:7], "."), testNow, ErrMalformed},
		{"extra field", good + ".x", testNow, ErrMalformed},
		{"granted bit flipped by hand", strings.Replace(good, "."+fields[2]+".", ".P.", 1), testNow, ErrChecksum},
		{"unknown version", "2" + good[1:], testNow, ErrVersion},
		{"other revision", fromOther, testNow, ErrRevision},
		{"expired", good, testNow + 181*Day, ErrExpired},
		{"dated in the future", good, testNow - 48*Hour, ErrFuture},
		{"oversized", strings.Repeat("A", 5000), testNow, ErrMalformed},
		{"category bit beyond the policy", rejoin(2, "_"), testNow, ErrMalformed},
		{"too many category characters", rejoin(2, "DA"), testNow, ErrMalformed},
		{"service bit beyond the policy", rejoin(3, "AA_"), testNow, ErrMalformed},
		{"not base64url", rejoin(2, "*"), testNow, ErrMalformed},
		{"negative time", rejoin(4, "-1"), testNow, ErrMalformed},
		{"bad time", rejoin(4, "zzzzzzzzz"), testNow, ErrMalformed},
		{"unknown source", rejoin(5, "x"), testNow, ErrMalformed},
		{"no source", rejoin(5, "-"), testNow, ErrMalformed},
		{"short id", rejoin(6, "abc"), testNow, ErrMalformed},
		{"id with a bad character", rejoin(6, "abcdefghijk!"), testNow, ErrMalformed},
		{"only dots", ".......", testNow, ErrVersion},
		{"a JSON value", `{"granted":["marketing"]}`, testNow, ErrMalformed},
		{"percent-encoded", strings.ReplaceAll(good, ".", "%2E"), testNow, ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := p.DecodeState(c.value, c.now)
			if !errors.Is(err, c.want) {
				t.Errorf("DecodeState(%q) error = %v, want %v", c.value, err, c.want)
			}
			if s.Decided || len(s.Granted) != 0 || len(s.GrantedServices) != 0 {
				t.Errorf("DecodeState(%q) = %+v: a rejected cookie granted something", c.value, s)
			}
		})
	}
	if _, err := p.DecodeState(`"`+good+`"`, testNow); err != nil {
		t.Errorf("quoted cookie value: %v", err)
	}
}

// TestCodecVectors checks the consent cookie format against committed vectors, so that a change of
// the format (which would make every visitor's stored decision invalid) cannot go unnoticed.
// Regenerate with go test ./consent -run CodecVectors -update after a deliberate format change.
func TestCodecVectors(t *testing.T) {
	p := examplePolicy(t)
	type vector struct {
		name  string
		state State
	}
	vectors := []vector{
		{"reject-all", State{Source: SourceBanner}},
		{"analytics", State{Granted: []string{"analytics"}, Source: SourceBanner}},
		{"accept-all", State{Granted: []string{"analytics", "marketing", "media"}, Source: SourceAPI}},
		{"youtube-only", State{GrantedServices: []string{"youtube"}, Source: SourcePlaceholder}},
		{"media-without-youtube", State{Granted: []string{"media"}, DeniedServices: []string{"youtube"}, Source: SourceBanner}},
	}
	const path = "testdata/codec/vectors.txt"
	if *update {
		var b strings.Builder
		b.WriteString("# Consent cookie test vectors for testdata/example.json (revision " + p.Revision + ").\n")
		b.WriteString("# name<TAB>cookie value<TAB>granted categories<TAB>granted services<TAB>denied services<TAB>unix time<TAB>source\n")
		for i, v := range vectors {
			v.state.At = testNow + int64(i)*Minute
			v.state.ID = ConsentID([]byte("vector-" + v.name + "-0123"))
			s, err := p.DecodeState(p.EncodeState(v.state), testNow)
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString(strings.Join([]string{v.name, p.EncodeState(v.state), strings.Join(s.Granted, ","),
				strings.Join(s.GrantedServices, ","), strings.Join(s.DeniedServices, ","),
				strconv.FormatInt(s.At, 10), s.Source.String()}, "\t") + "\n")
		}
		if err := os.MkdirAll("testdata/codec", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		n++
		col := strings.Split(line, "\t")
		if len(col) != 7 {
			t.Fatalf("bad vector line %q", line)
		}
		t.Run(col[0], func(t *testing.T) {
			s, err := p.DecodeState(col[1], testNow+Hour)
			if err != nil {
				t.Fatalf("DecodeState(%q): %v", col[1], err)
			}
			got := []string{strings.Join(s.Granted, ","), strings.Join(s.GrantedServices, ","),
				strings.Join(s.DeniedServices, ","), strconv.FormatInt(s.At, 10), s.Source.String()}
			if strings.Join(got, "\t") != strings.Join(col[2:], "\t") {
				t.Errorf("decoded %q, want %q", got, col[2:])
			}
			if again := p.EncodeState(s); again != col[1] {
				t.Errorf("re-encoded as %q, want %q", again, col[1])
			}
		})
	}
	if n != len(vectors) {
		t.Errorf("%d vectors in %s, want %d (run with -update)", n, path, len(vectors))
	}
}
