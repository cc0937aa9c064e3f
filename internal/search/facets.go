package search

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/wgll"
)

// Facets count the matching pages by each filter's values. A filter's own
// counts ignore that filter (but not the others), so ticking one measure
// still shows how many pages each other measure would add.
type Facets struct {
	Measure      []FacetValue `json:"measure"`
	Type         []FacetValue `json:"type"`
	Topic        []FacetValue `json:"topic"`
	Organisation []FacetValue `json:"organisation"`
}

// FacetValue is one value of a filter with the number of pages it has.
type FacetValue struct {
	Value    string `json:"value"`
	Label    string `json:"label"`
	Count    int    `json:"count"`
	Selected bool   `json:"selected"`
}

// facetField ties a URL parameter to its index field.
type facetField struct {
	param, field string
	size         int // how many values to count: all measures and types, the top topics
	values       func(Request) []string
}

var facetFields = []facetField{
	{"measure", fMeasures, 7, func(r Request) []string { return r.Measures }},
	{"type", fType, len(content.Sections), func(r Request) []string { return r.Types }},
	{"topic", fTopics, 10, func(r Request) []string { return r.Topics }},
	{"organisation", fOrgs, 10, func(r Request) []string { return r.Organisations }},
}

// facets builds the facet lists. Fields with a filter set need one more
// count-only search without that filter.
func (x *Index) facets(ctx context.Context, text query.Query, r Request, got bsearch.FacetResults) (Facets, error) {
	var out Facets
	for _, f := range facetFields {
		res := got[f.param]
		if len(f.values(r)) > 0 {
			req := bleve.NewSearchRequestOptions(x.withFilters(text, r, f.param), 0, 0, false)
			req.AddFacet(f.param, bleve.NewFacetRequest(f.field, f.size))
			sr, err := x.bi.SearchInContext(ctx, req)
			if err != nil {
				return out, fmt.Errorf("counting %s: %w", f.param, err)
			}
			res = sr.Facets[f.param]
		}
		vals := x.facetValues(f, res, f.values(r))
		switch f.param {
		case "measure":
			out.Measure = vals
		case "type":
			out.Type = vals
		case "topic":
			out.Topic = vals
		case "organisation":
			out.Organisation = vals
		}
	}
	return out, nil
}

// facetValues lists counted values, then any selected value the counts left
// out, so a ticked box never disappears. Measures and types keep the
// framework's order and show every value; others go by count.
func (x *Index) facetValues(f facetField, res *bsearch.FacetResult, selected []string) []FacetValue {
	counts := map[string]int{}
	var order []string
	if res != nil && res.Terms != nil {
		for _, t := range res.Terms.Terms() {
			counts[t.Term] = t.Count
			order = append(order, t.Term)
		}
	}
	switch f.param {
	case "measure":
		order = wgll.Slugs()
	case "type":
		order = content.Types()
	}
	for _, s := range selected {
		if !slices.Contains(order, s) {
			order = append(order, s)
		}
	}
	out := []FacetValue{}
	for _, v := range order {
		out = append(out, FacetValue{Value: v, Label: x.name(f.field, v), Count: counts[v], Selected: slices.Contains(selected, v)})
	}
	return out
}

// name is the display name of a filter value.
func (x *Index) name(field, slug string) string {
	switch field {
	case fMeasures:
		if m, ok := wgll.Lookup(slug); ok {
			return m.Name
		}
	case fType:
		for _, s := range content.Sections {
			if s.Type == slug {
				return typeLabel(s.Name)
			}
		}
	case fTopics, fOrgs:
		x.mu.RLock()
		defer x.mu.RUnlock()
		m := x.labels.Topics
		if field == fOrgs {
			m = x.labels.Organisations
		}
		if n := m[slug]; n != "" {
			return n
		}
	}
	return slug
}

// typeLabel turns a section name (Case studies) into its item type's (Case study).
func typeLabel(section string) string {
	switch {
	case strings.HasSuffix(section, "ies"):
		return strings.TrimSuffix(section, "ies") + "y"
	case strings.HasSuffix(section, "s"):
		return strings.TrimSuffix(section, "s")
	}
	return section
}

// unknownTerm explains an unknown topic or organisation, suggesting the
// nearest known one.
func unknownTerm(what, got string, known []string) string {
	msg := fmt.Sprintf("unknown %s %q: no page has it", what, got)
	if near := wgll.Nearest(got, known); near != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", near)
	}
	return msg
}
