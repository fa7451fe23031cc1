package consent

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// This file is a small JSON reader for policy files. The engine does not use encoding/json because
// the page module links this package into js/wasm, where encoding/json (and the reflect machinery it
// brings) would add about 1.3 MB. A hand-written reader also keeps every member's position and order,
// which the loader needs to name the exact field path of an error and to reject unknown fields.

type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

func (k jsonKind) String() string {
	switch k {
	case jsonNull:
		return "null"
	case jsonBool:
		return "a boolean"
	case jsonNumber:
		return "a number"
	case jsonString:
		return "a string"
	case jsonArray:
		return "an array"
	}
	return "an object"
}

// jsonValue is one parsed JSON value. Objects keep their members in document order.
type jsonValue struct {
	kind    jsonKind
	str     string // string value, or the literal text of a number
	boolean bool
	items   []*jsonValue
	members []jsonMember
	offset  int // byte offset in the document, for line:column in errors
}

type jsonMember struct {
	key   string
	value *jsonValue
}

// maxJSONDepth bounds nesting so that a hostile file cannot exhaust the stack.
const maxJSONDepth = 64

type jsonParser struct {
	data  []byte
	pos   int
	depth int
}

// jsonSyntaxError says what is wrong and where (1-based line and column).
type jsonSyntaxError struct {
	Line, Column int
	Msg          string
}

func (e *jsonSyntaxError) Error() string {
	return "line " + strconv.Itoa(e.Line) + ", column " + strconv.Itoa(e.Column) + ": " + e.Msg
}

func lineColumn(data []byte, offset int) (line, col int) {
	line, col = 1, 1
	for i := 0; i < offset && i < len(data); i++ {
		if data[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// parseJSON parses one JSON document (RFC 8259). Duplicate object keys are an error: a policy file
// that says two things about one field is ambiguous.
func parseJSON(data []byte) (*jsonValue, error) {
	p := &jsonParser{data: data}
	// A UTF-8 byte order mark is tolerated: editors on some systems write one.
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		p.pos = 3
	}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos != len(p.data) {
		return nil, p.errorf("unexpected " + p.describe() + " after the document")
	}
	return v, nil
}

func (p *jsonParser) errorf(msg string) error {
	l, c := lineColumn(p.data, p.pos)
	return &jsonSyntaxError{Line: l, Column: c, Msg: msg}
}

func (p *jsonParser) describe() string {
	if p.pos >= len(p.data) {
		return "end of file"
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	return strconv.QuoteRune(r)
}

func (p *jsonParser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value() (*jsonValue, error) {
	p.space()
	if p.pos >= len(p.data) {
		return nil, p.errorf("unexpected end of file")
	}
	start := p.pos
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.string()
		if err != nil {
			return nil, err
		}
		return &jsonValue{kind: jsonString, str: s, offset: start}, nil
	case c == 't':
		return p.literal("true", &jsonValue{kind: jsonBool, boolean: true, offset: start})
	case c == 'f':
		return p.literal("false", &jsonValue{kind: jsonBool, offset: start})
	case c == 'n':
		return p.literal("null", &jsonValue{kind: jsonNull, offset: start})
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	return nil, p.errorf("unexpected " + p.describe())
}

func (p *jsonParser) literal(word string, v *jsonValue) (*jsonValue, error) {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return nil, p.errorf("unexpected " + p.describe())
	}
	p.pos += len(word)
	return v, nil
}

func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > maxJSONDepth {
		return p.errorf("nested deeper than " + strconv.Itoa(maxJSONDepth) + " levels")
	}
	return nil
}

func (p *jsonParser) object() (*jsonValue, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	v := &jsonValue{kind: jsonObject, offset: p.pos}
	p.pos++ // {
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.depth--
		return v, nil
	}
	for {
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.errorf("expected a member name in double quotes, found " + p.describe())
		}
		keyPos := p.pos
		key, err := p.string()
		if err != nil {
			return nil, err
		}
		for _, m := range v.members {
			if m.key == key {
				p.pos = keyPos
				return nil, p.errorf("duplicate member " + strconv.Quote(key))
			}
		}
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.errorf("expected ':' after member name, found " + p.describe())
		}
		p.pos++
		item, err := p.value()
		if err != nil {
			return nil, err
		}
		v.members = append(v.members, jsonMember{key, item})
		p.space()
		if p.pos < len(p.data) && p.data[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.data) && p.data[p.pos] == '}' {
			p.pos++
			p.depth--
			return v, nil
		}
		return nil, p.errorf("expected ',' or '}' in object, found " + p.describe())
	}
}

func (p *jsonParser) array() (*jsonValue, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	v := &jsonValue{kind: jsonArray, offset: p.pos}
	p.pos++ // [
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.depth--
		return v, nil
	}
	for {
		item, err := p.value()
		if err != nil {
			return nil, err
		}
		v.items = append(v.items, item)
		p.space()
		if p.pos < len(p.data) && p.data[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.data) && p.data[p.pos] == ']' {
			p.pos++
			p.depth--
			return v, nil
		}
		return nil, p.errorf("expected ',' or ']' in array, found " + p.describe())
	}
}

func (p *jsonParser) number() (*jsonValue, error) {
	start := p.pos
	digits := func() int {
		n := 0
		for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.data[p.pos] == '-' {
		p.pos++
	}
	intStart := p.pos
	if digits() == 0 {
		return nil, p.errorf("malformed number")
	}
	if p.data[intStart] == '0' && p.pos-intStart > 1 {
		p.pos = intStart
		return nil, p.errorf("malformed number: leading zero")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return nil, p.errorf("malformed number")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return nil, p.errorf("malformed number")
		}
	}
	return &jsonValue{kind: jsonNumber, str: string(p.data[start:p.pos]), offset: start}, nil
}

// string reads a JSON string at p.pos (which is '"') and returns its decoded value.
func (p *jsonParser) string() (string, error) {
	p.pos++ // opening quote
	start := p.pos
	// Fast path: no escapes.
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			s := p.data[start:p.pos]
			if !utf8.Valid(s) {
				return "", p.errorf("invalid UTF-8 in string")
			}
			p.pos++
			return string(s), nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.pos++
	}
	buf := append([]byte(nil), p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			if !utf8.Valid(buf) {
				return "", p.errorf("invalid UTF-8 in string")
			}
			return string(buf), nil
		case c < 0x20:
			return "", p.errorf("control character in string")
		case c == '\\':
			p.pos++
			if p.pos >= len(p.data) {
				return "", p.errorf("unterminated string")
			}
			e := p.data[p.pos]
			p.pos++
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return "", p.errorf("malformed \\u escape")
				}
				if utf16.IsSurrogate(r) {
					r2 := rune(-1)
					if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
						p.pos += 2
						if r2, ok = p.hex4(); !ok {
							return "", p.errorf("malformed \\u escape")
						}
					}
					r = utf16.DecodeRune(r, r2)
				}
				buf = utf8.AppendRune(buf, r)
			default:
				p.pos--
				return "", p.errorf("unknown escape \\" + string(rune(e)))
			}
		default:
			buf = append(buf, c)
			p.pos++
		}
	}
	return "", p.errorf("unterminated string")
}

func (p *jsonParser) hex4() (rune, bool) {
	if len(p.data)-p.pos < 4 {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.pos : p.pos+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c-'a') + 10
		case c >= 'A' && c <= 'F':
			r |= rune(c-'A') + 10
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}
