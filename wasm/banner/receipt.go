package banner

import "strconv"

// Receipt is the record of one decision that the page POSTs to the policy's receiptEndpoint. It
// holds what the visitor decided and nothing that identifies them beyond the decision's random id:
// no IP address, no user agent, no cookie.
type Receipt struct {
	ID       string   // the decision's random id, as in the consent cookie
	Granted  []string // granted category ids, required ones included
	Services []string // services allowed on their own, outside their category (placeholders, switches)
	Revision string   // the policy revision the decision is for
	At       string   // when, ISO 8601 in UTC ("2026-11-22T12:00:00.000Z")
	Source   string   // banner, api, placeholder
	GPC      bool     // whether the browser sent the Global Privacy Control signal
}

// JSON is the request body: {"id":..., "granted":[...], "services":[...], "revision":...,
// "at":..., "source":..., "gpc":...}. (Concatenation rather than strings.Builder: its inlined
// methods cost the page module kilobytes here.)
func (r Receipt) JSON() string {
	return `{"id":` + jsonString(r.ID) + `,"granted":` + jsonList(r.Granted) + `,"services":` + jsonList(r.Services) +
		`,"revision":` + jsonString(r.Revision) + `,"at":` + jsonString(r.At) + `,"source":` + jsonString(r.Source) +
		`,"gpc":` + strconv.FormatBool(r.GPC) + `}`
}

func jsonList(list []string) string {
	s := "["
	for i, x := range list {
		if i > 0 {
			s += ","
		}
		s += jsonString(x)
	}
	return s + "]"
}

// jsonString quotes s as a JSON string (RFC 8259 §7): quotes, backslashes and control characters
// escaped, everything else as it is (UTF-8).
func jsonString(s string) string {
	const hex = "0123456789abcdef"
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			b = append(b, c)
		}
	}
	return string(append(b, '"'))
}
