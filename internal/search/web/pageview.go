package web

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/nhsx/kb/internal/search"
)

// PageView is what the theme's search layout gets as .Search: the request,
// its results, the filter form, the filters chosen and the paging links,
// ready to print.
type PageView struct {
	Query  string
	Sort   string
	Result *search.Result // nil when the words of the request are at fault
	Hits   []HitView
	Groups []FacetGroup
	// Error says what is wrong with the request, for a reader; Param names
	// the field at fault and ErrorHref is the link to it.
	Error, Param, ErrorHref string
	Size                    int  // page size, when not the default (kept by the form)
	Start                   int  // the number of the first hit on this page, for the ordered list
	Filtered                bool // whether any filter is set, to word "no results" helpfully
	// Selected lists the filters chosen, each with a link that removes it;
	// Clear is the same search with no filters.
	Selected []SelectedFilter
	Clear    string
	// Paging: the links to the previous and next page with their labels
	// ("2 of 5"), the numbered pages around this one, and, when the page asked
	// for is past the last, PastEnd with a link to the last page.
	Prev, Next           string
	PrevLabel, NextLabel string
	Pages                []PageLink
	PastEnd              bool
	Last                 string
	LastPage             int
	// Suggestion links to the suggested query with the same filters.
	Suggestion string
}

// HitView is a hit with its snippet marked as safe HTML (the index escaped
// the text and added only <mark> tags) and its date as a time, so the theme
// prints it as every other page does.
type HitView struct {
	search.Hit
	SnippetHTML template.HTML
	TypeName    string
	Time        time.Time
}

// FacetGroup is one filter of the form: a fieldset of checkboxes.
type FacetGroup struct {
	Param, Legend string
	Values        []search.FacetValue
}

// SelectedFilter is one chosen filter value and the link that removes it.
type SelectedFilter struct {
	Legend, Label, Remove string
}

// PageLink is one item of the numbered pagination: a page, or a gap.
type PageLink struct {
	Number   int
	URL      string
	Current  bool
	Ellipsis bool
}

// fill adds hits, facets, the chosen filters and paging links to the view.
func (v *PageView) fill(sr search.Request, res *search.Result) {
	for _, h := range res.Results {
		hv := HitView{Hit: h, SnippetHTML: template.HTML(h.Snippet), TypeName: search.TypeName(h.Type)}
		hv.Time, _ = time.Parse(time.DateOnly, h.Date)
		v.Hits = append(v.Hits, hv)
	}
	v.Start = (sr.Page-1)*sr.Size + 1
	v.Filtered = len(sr.Measures)+len(sr.Types)+len(sr.Topics)+len(sr.Organisations) > 0
	for _, g := range []FacetGroup{
		{"measure", "Success measure", res.Facets.Measure},
		{"type", "Type", res.Facets.Type},
		{"topic", "Topic", res.Facets.Topic},
		{"organisation", "Organisation", res.Facets.Organisation},
	} {
		g.Values = offered(g.Values)
		v.Groups = append(v.Groups, g)
		for _, fv := range g.Values {
			if fv.Selected {
				v.Selected = append(v.Selected, SelectedFilter{g.Legend, fv.Label, link(without(sr, g.Param, fv.Value))})
			}
		}
	}
	if v.Filtered {
		r := sr
		r.Measures, r.Types, r.Topics, r.Organisations, r.Page = nil, nil, nil, nil, 1
		v.Clear = link(r)
	}
	if res.Suggestion != "" {
		r := sr
		r.Query, r.Page = res.Suggestion, 1
		v.Suggestion = link(r)
	}
	v.paging(sr, res.Pages)
}

// offered leaves out the values no result has, unless chosen: ticking them
// could only give no results.
func offered(vals []search.FacetValue) []search.FacetValue {
	var out []search.FacetValue
	for _, fv := range vals {
		if fv.Count > 0 || fv.Selected {
			out = append(out, fv)
		}
	}
	return out
}

// without is r with one filter value taken off, from its first page.
func without(r search.Request, param, value string) search.Request {
	drop := func(vals []string) []string {
		var out []string
		for _, s := range vals {
			if s != value {
				out = append(out, s)
			}
		}
		return out
	}
	switch param {
	case "measure":
		r.Measures = drop(r.Measures)
	case "type":
		r.Types = drop(r.Types)
	case "topic":
		r.Topics = drop(r.Topics)
	case "organisation":
		r.Organisations = drop(r.Organisations)
	}
	r.Page = 1
	return r
}

// link is the results page's address for r.
func link(r search.Request) string {
	if q := r.Values().Encode(); q != "" {
		return PagePath + "?" + q
	}
	return PagePath
}

// paging sets the previous and next links, the numbered pages (the first,
// the last, and the two either side of this one), and the past-the-end link.
func (v *PageView) paging(sr search.Request, pages int) {
	last := min(max(pages, 1), search.MaxPage)
	at := func(n int) string { r := sr; r.Page = n; return link(r) }
	if sr.Page > last {
		v.PastEnd, v.LastPage, v.Last = true, last, at(last)
		return
	}
	if sr.Page > 1 {
		v.Prev, v.PrevLabel = at(sr.Page-1), fmt.Sprintf("%d of %d", sr.Page-1, last)
	}
	if sr.Page < last {
		v.Next, v.NextLabel = at(sr.Page+1), fmt.Sprintf("%d of %d", sr.Page+1, last)
	}
	if last == 1 {
		return
	}
	for n := 1; n <= last; n++ {
		switch {
		case n == 1 || n == last || (n >= sr.Page-1 && n <= sr.Page+1):
			v.Pages = append(v.Pages, PageLink{Number: n, URL: at(n), Current: n == sr.Page})
		case len(v.Pages) > 0 && !v.Pages[len(v.Pages)-1].Ellipsis:
			v.Pages = append(v.Pages, PageLink{Ellipsis: true})
		}
	}
}

// FilterNames are the chosen filters' names joined for the status line:
// "Improve care, Case study".
func (v *PageView) FilterNames() string {
	names := make([]string, len(v.Selected))
	for i, s := range v.Selected {
		names[i] = s.Label
	}
	return strings.Join(names, ", ")
}

// errorHref is the link of the error summary: the field at fault, or the
// search box when that field is not on the page.
func (v *PageView) errorHref() string {
	switch v.Param {
	case "sort":
		if v.Result != nil {
			return "#search-sort"
		}
	case "measure", "type", "topic", "organisation":
		for _, g := range v.Groups {
			if g.Param == v.Param && len(g.Values) > 0 {
				return "#filter-" + v.Param
			}
		}
	case "page", "size":
		if v.Result != nil {
			return "#search-results"
		}
	}
	return "#search-query"
}

// FiltersOpen is whether the filter panel starts open: when the error is
// about a filter, so its link leads to something visible.
func (v *PageView) FiltersOpen() bool { return strings.HasPrefix(v.ErrorHref, "#filter-") }

// MaxWords is how many words of a query are searched for.
func (v *PageView) MaxWords() int { return search.MaxQueryWords }

// SizeString is the page size as a form value, or "" for the default.
func (v *PageView) SizeString() string {
	if v.Size == 0 {
		return ""
	}
	return strconv.Itoa(v.Size)
}
