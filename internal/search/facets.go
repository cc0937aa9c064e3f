package search

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"strings"

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
	size         int // how many values to list: all measures and types, the top topics
}

var facetFields = []facetField{
	{"measure", fMeasures, 7},
	{"type", fType, len(wgll.Sections)},
	{"topic", fTopics, 10},
	{"organisation", fOrgs, 10},
}

// filter is a request's filters in the table's terms. Within a filter any
// value may match; across filters all must.
type filter struct {
	measures     uint8
	types        []int
	topics, orgs []uint16
	none         bool // a filter names a value no page has
}

func newFilter(r Request, tbl *table) filter {
	var f filter
	for _, m := range r.Measures {
		f.measures |= 1 << wgll.Index(m)
	}
	for _, t := range r.Types {
		f.types = append(f.types, slices.Index(wgll.Types(), t))
	}
	lookup := func(ts terms, slugs []string) []uint16 {
		var ids []uint16
		for _, s := range slugs {
			if id, ok := ts.ids[s]; ok {
				ids = append(ids, id)
			} else {
				f.none = true
			}
		}
		return ids
	}
	f.topics = lookup(tbl.topics, r.Topics)
	f.orgs = lookup(tbl.orgs, r.Organisations)
	return f
}

// keep reports whether a row passes every filter but the one named skip (a
// filter's own facet counts ignore it).
func (f *filter) keep(r *row, skip string) bool {
	switch {
	case f.none:
		return false
	case skip != "measure" && f.measures != 0 && r.measures&f.measures == 0:
		return false
	case skip != "type" && len(f.types) > 0 && !slices.Contains(f.types, r.typ):
		return false
	case skip != "topic" && len(f.topics) > 0 && !overlaps(r.topics, f.topics):
		return false
	case skip != "organisation" && len(f.orgs) > 0 && !overlaps(r.orgs, f.orgs):
		return false
	}
	return true
}

func overlaps(a, b []uint16) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// facets counts the matches by each filter's values, in one pass.
func (x *Index) facets(tbl *table, ms []match, f filter, r Request) Facets {
	var measures [8]int
	var types [8]int
	topics := make([]int, len(tbl.topics.slugs))
	orgs := make([]int, len(tbl.orgs.slugs))
	for _, m := range ms {
		row := &tbl.rows[m.row]
		if f.keep(row, "measure") {
			for b := row.measures; b != 0; b &= b - 1 {
				measures[bits.TrailingZeros8(b)]++
			}
		}
		if f.keep(row, "type") && row.typ >= 0 {
			types[row.typ]++
		}
		if f.keep(row, "topic") {
			for _, t := range row.topics {
				topics[t]++
			}
		}
		if f.keep(row, "organisation") {
			for _, o := range row.orgs {
				orgs[o]++
			}
		}
	}
	return Facets{
		Measure:      x.facetValues(facetFields[0], counted(wgll.Slugs(), measures[:]), r.Measures),
		Type:         x.facetValues(facetFields[1], counted(wgll.Types(), types[:]), r.Types),
		Topic:        x.facetValues(facetFields[2], counted(tbl.topics.slugs, topics), r.Topics),
		Organisation: x.facetValues(facetFields[3], counted(tbl.orgs.slugs, orgs), r.Organisations),
	}
}

// counted pairs names with their non-zero counts.
func counted(names []string, counts []int) map[string]int {
	out := map[string]int{}
	for i, n := range names {
		if counts[i] > 0 {
			out[n] = counts[i]
		}
	}
	return out
}

// facetValues lists counted values, then any selected value the counts left
// out, so a ticked box never disappears. Measures and types keep the
// framework's order and show every value; others go by count, the top ones.
func (x *Index) facetValues(f facetField, counts map[string]int, selected []string) []FacetValue {
	var order []string
	switch f.param {
	case "measure":
		order = wgll.Slugs()
	case "type":
		order = wgll.Types()
	default:
		for v := range counts {
			order = append(order, v)
		}
		slices.SortFunc(order, func(a, b string) int {
			if c := cmp.Compare(counts[b], counts[a]); c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
		order = order[:min(f.size, len(order))]
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
		return TypeName(slug)
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

// TypeName is the name of one item of a type ("Case study"), or the type
// itself if it is not one.
func TypeName(typ string) string { return wgll.TypeName(typ) }

// unknownTerm explains an unknown topic or organisation, suggesting the
// nearest known one.
func unknownTerm(what, got string, known []string) string {
	msg := fmt.Sprintf("unknown %s %q: no page has it", what, got)
	if near := wgll.Nearest(got, known); near != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", near)
	}
	return msg
}
