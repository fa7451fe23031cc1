package audit

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/consentry/consentry/consent"
)

// Choice is the consent a visitor gave before the page opens: none yet (the banner would ask),
// every category, or some of them. The audit writes it into the consent cookie, as the page
// would have, before the first request.
type Choice struct {
	decided    bool
	all        bool
	categories []string
}

var (
	// None is a visitor who has not decided: there is no consent cookie. Under an opt-in policy
	// only required categories are granted; this is the state that catches leaks before consent.
	None = Choice{}
	// All is a visitor who accepted every category.
	All = Choice{decided: true, all: true}
	// Reject is a visitor who rejected every category that is not required.
	Reject = Choice{decided: true}
)

// Categories is a visitor who granted the categories with these ids (required categories are
// always granted). Categories() is Reject.
func Categories(ids ...string) Choice {
	return Choice{decided: true, categories: slices.Clone(ids)}
}

// String names the choice as ParseChoice reads it: "none", "all", "reject", or the category ids
// joined by '+' ("analytics+marketing").
func (c Choice) String() string {
	switch {
	case !c.decided:
		return "none"
	case c.all:
		return "all"
	case len(c.categories) == 0:
		return "reject"
	}
	return strings.Join(c.categories, "+")
}

// ParseChoice reads a choice as Choice.String writes it.
func ParseChoice(s string) (Choice, error) {
	switch s {
	case "none":
		return None, nil
	case "all":
		return All, nil
	case "reject":
		return Reject, nil
	case "":
		return None, errors.New("empty consent choice (none, all, reject, or categories joined by '+')")
	}
	ids := strings.Split(s, "+")
	for _, id := range ids {
		if id == "" {
			return None, fmt.Errorf("consent choice %q: empty category id", s)
		}
	}
	return Categories(ids...), nil
}

// Validate reports a category of the choice that policy p does not have (Run reports it too, as
// an error, rather than audit another state than the one asked for).
func (c Choice) Validate(p *consent.Policy) error {
	_, err := c.state(p)
	return err
}

// state is the consent state the choice stands for under p, and an error naming any category the
// policy does not have: consent.Policy.EncodeState drops unknown ids, which would silently audit
// another state than the one asked for.
func (c Choice) state(p *consent.Policy) (consent.State, error) {
	if !c.decided {
		return consent.State{}, nil
	}
	var granted []string
	for _, cat := range p.Categories {
		if cat.Required || c.all || slices.Contains(c.categories, cat.ID) {
			granted = append(granted, cat.ID)
		}
	}
	for _, id := range c.categories {
		if _, ok := p.CategoryIndex(id); !ok {
			ids := make([]string, len(p.Categories))
			for i, cat := range p.Categories {
				ids[i] = cat.ID
			}
			return consent.State{}, fmt.Errorf("unknown category %q (categories: %s)", id, strings.Join(ids, ", "))
		}
	}
	return consent.State{Decided: true, Granted: granted, Revision: p.Revision, Source: consent.SourceAPI}, nil
}
