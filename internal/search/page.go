package search

import (
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/nhsx/kb/internal/render"
)

// PageView is what the theme's search layout gets as .Search: the request,
// its results, the filter form and the paging links, ready to print.
type PageView struct {
	Query  string
	Sort   string
	Result *Result // nil when the request was bad
	Hits   []HitView
	Groups []FacetGroup
	// Error says what is wrong with the request; Param names the field at fault.
	Error, Param string
	Prev, Next   string // links to the previous and next page of results
	Size         int    // page size, when not the default (kept by the form)
	Start        int    // the number of the first hit on this page, for the ordered list
	Filtered     bool   // whether any filter is set, to word "no results" helpfully
	// Suggestion links to the suggested query with the same filters.
	Suggestion string
}

// HitView is a hit with its snippet marked as safe HTML: the index escaped
// the text and added only <mark> tags.
type HitView struct {
	Hit
	SnippetHTML template.HTML
	TypeName    string
}

// FacetGroup is one filter of the form: a fieldset of checkboxes.
type FacetGroup struct {
	Param, Legend string
	Values        []FacetValue
}

// page renders the results page. Bad input still gets the page, with the
// problem shown in an error summary, and status 400.
func (h *handler) page(w http.ResponseWriter, sr Request, res *Result, err error) {
	v := &PageView{Query: sr.Query, Sort: sr.Sort, Result: res}
	if sr.Size != DefaultSize {
		v.Size = sr.Size
	}
	status := http.StatusOK
	var br *BadRequest
	var busy *Busy
	switch {
	case errors.As(err, &br):
		status, v.Error, v.Param = http.StatusBadRequest, br.Message, br.Param
	case errors.As(err, &busy):
		w.Header().Set("Retry-After", retryAfter)
		status, v.Error = http.StatusServiceUnavailable, busy.Message
	case err != nil:
		slog.Error("search failed", "err", err)
		status, v.Error = http.StatusServiceUnavailable, "Search is unavailable just now. Try again in a minute."
	default:
		v.fill(sr, res, h.idx)
	}
	title := "Search"
	if sr.Query != "" && err == nil {
		title = "Search results for ‘" + sr.Query + "’"
	}
	body, rerr := h.r.Page(&render.View{Layout: "search", Title: title, URL: PagePath, Search: v,
		Description: "Search the knowledge base by words, success measure and type of item."})
	if rerr != nil {
		slog.Error("rendering search page", "err", rerr)
		http.Error(w, "the search page could not be shown", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if status == http.StatusOK {
		w.Header().Set("Cache-Control", h.cache)
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// fill adds hits, facets and paging links to the view.
func (v *PageView) fill(sr Request, res *Result, idx *Index) {
	for _, h := range res.Results {
		v.Hits = append(v.Hits, HitView{Hit: h, SnippetHTML: template.HTML(h.Snippet), TypeName: idx.name(fType, h.Type)})
	}
	v.Start = (sr.Page-1)*sr.Size + 1
	v.Filtered = len(sr.Measures)+len(sr.Types)+len(sr.Topics)+len(sr.Organisations) > 0
	v.Groups = []FacetGroup{
		{"measure", "Success measure", res.Facets.Measure},
		{"type", "Type", res.Facets.Type},
		{"topic", "Topic", res.Facets.Topic},
		{"organisation", "Organisation", res.Facets.Organisation},
	}
	link := func(page int) string {
		r := sr
		r.Page = page
		if q := r.Values().Encode(); q != "" {
			return PagePath + "?" + q
		}
		return PagePath
	}
	if sr.Page > 1 {
		v.Prev = link(sr.Page - 1)
	}
	if res.Suggestion != "" {
		r := sr
		r.Query, r.Page = res.Suggestion, 1
		v.Suggestion = PagePath + "?" + r.Values().Encode()
	}
	if sr.Page < res.Pages && sr.Page < MaxPage {
		v.Next = link(sr.Page + 1)
	}
}

// MaxWords is how many words of a query are searched for.
func (v *PageView) MaxWords() int { return MaxQueryWords }

// SizeString is the page size as a form value, or "" for the default.
func (v *PageView) SizeString() string {
	if v.Size == 0 {
		return ""
	}
	return strconv.Itoa(v.Size)
}
