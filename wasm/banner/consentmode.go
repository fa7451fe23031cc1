package banner

import (
	"strconv"
	"strings"

	"github.com/consentry/consentry/consent"
)

// Google Consent Mode v2 (https://developers.google.com/tag-platform/security/guides/consent).
// The categories of a policy name the consent types they stand for ("consentMode"); the page sends
//
//   - gtag("consent", "default", ...) synchronously from the gate, before any other script of the
//     page runs (so before any Google tag can), from ConsentModeDefault, which the build embeds in
//     consentry.js; then gtag("set", "ads_data_redaction", true) and ("url_passthrough", true)
//     when the policy asks;
//   - gtag("consent", "update", ...) from ConsentModeUpdate on every page view with a decision and
//     on every decision.
//
// "gtag" is Google's own snippet, function gtag(){dataLayer.push(arguments)}: the commands go into
// window.dataLayer as Arguments objects, the only form gtag.js and Google Tag Manager read as
// commands, in the order they were pushed, whether or not the site defines gtag itself (before or
// after Consentry).

// ConsentModeTypes are the consent types of Consent Mode v2, in the order the signals list them.
var ConsentModeTypes = [...]string{"ad_storage", "ad_user_data", "ad_personalization", "analytics_storage",
	"functionality_storage", "personalization_storage", "security_storage"}

// ConsentParam is one consent type's signal.
type ConsentParam struct {
	_       [0]func() // not comparable: spares the page module a generated equality function
	Type    string
	Granted bool
}

// ConsentModeEnabled reports whether the page sends Consent Mode signals: some category of the
// policy names a consent type. A site without Google tags gets no dataLayer.
func ConsentModeEnabled(p *consent.Policy) bool {
	for _, c := range p.Categories {
		if len(c.ConsentMode) > 0 {
			return true
		}
	}
	return false
}

// ConsentModeDefault returns the default signal before any decision, for every consent type: a type
// is granted when every category that names it is granted before a decision (required ones;
// under opt-out, all), and security_storage is granted unless a category that is not required
// names it; every other type is denied. gpcTypes are the types that a GPC-marked category names:
// the gate denies them when the browser sends the signal.
func ConsentModeDefault(p *consent.Policy) (params []ConsentParam, gpcTypes []string) {
	before := p.GrantedCategories(consent.State{}, false)
	for _, t := range ConsentModeTypes {
		for _, c := range p.Categories {
			if c.GPC && contains(c.ConsentMode, t) && !contains(gpcTypes, t) {
				gpcTypes = append(gpcTypes, t)
			}
		}
	}
	return consentParams(p, before), gpcTypes
}

// ConsentModeUpdate returns the signal for the categories' reasons cats
// (consent.Policy.CategoryReasons): a type is granted when every category that names it is
// granted; security_storage when no category denies it; an unnamed type is denied.
func ConsentModeUpdate(p *consent.Policy, cats []consent.Reason) []ConsentParam {
	on := make([]bool, len(cats))
	for i, r := range cats {
		on[i] = r == consent.ReasonRequired || r == consent.ReasonGranted
	}
	return consentParams(p, on)
}

func consentParams(p *consent.Policy, on []bool) []ConsentParam {
	out := make([]ConsentParam, len(ConsentModeTypes))
	for i, t := range ConsentModeTypes {
		named, all := false, true
		for ci, c := range p.Categories {
			if contains(c.ConsentMode, t) {
				named = true
				all = all && ci < len(on) && on[ci]
			}
		}
		out[i] = ConsentParam{Type: t, Granted: named && all || !named && t == "security_storage"}
	}
	return out
}

// ConsentModeCommands returns the gate's synchronous commands as a JSON array of gtag argument
// lists: ["consent", "default", {...}] (with wait_for_update when the policy sets it), then the
// "set" commands of ads_data_redaction and url_passthrough when the policy turns them on.
func ConsentModeCommands(p *consent.Policy) string {
	params, _ := ConsentModeDefault(p)
	var b strings.Builder
	b.WriteString(`[["consent","default",`)
	b.WriteString(ParamsJSON(params, p.ConsentMode.WaitForUpdate))
	b.WriteString("]")
	if p.ConsentMode.AdsDataRedaction {
		b.WriteString(`,["set","ads_data_redaction",true]`)
	}
	if p.ConsentMode.URLPassthrough {
		b.WriteString(`,["set","url_passthrough",true]`)
	}
	b.WriteString("]")
	return b.String()
}

// ParamsJSON writes params as the object gtag takes: {"ad_storage":"denied",...}, with
// "wait_for_update" when waitMS > 0.
func ParamsJSON(params []ConsentParam, waitMS int) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, p := range params {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + p.Type + `":`)
		if p.Granted {
			b.WriteString(`"granted"`)
		} else {
			b.WriteString(`"denied"`)
		}
	}
	if waitMS > 0 {
		b.WriteString(`,"wait_for_update":` + strconv.Itoa(waitMS))
	}
	b.WriteByte('}')
	return b.String()
}
