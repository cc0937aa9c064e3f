package search

import (
	"context"
	"fmt"
	"html"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Result is one page of answers to a Request. Its JSON is the API's answer.
type Result struct {
	Query   string  `json:"query"`
	Results []Hit   `json:"results"`
	Total   int     `json:"total"`
	Page    int     `json:"page"`
	Pages   int     `json:"pages"`
	Size    int     `json:"size"`
	Sort    string  `json:"sort"`
	Facets  Facets  `json:"facets"`
	Took    float64 `json:"took"` // milliseconds
}

// Hit is one matching page.
type Hit struct {
	URL           string  `json:"url"`
	Title         string  `json:"title"`
	Type          string  `json:"type"`
	Summary       string  `json:"summary"`
	Date          string  `json:"date,omitempty"` // YYYY-MM-DD
	Measures      []Label `json:"measures"`
	Topics        []Label `json:"topics"`
	Organisations []Label `json:"organisations"`
	// Snippet is HTML: escaped text with the matched words in <mark>.
	Snippet string  `json:"snippet"`
	Score   float64 `json:"score"`
}

// Label is a slug with its display name.
type Label struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// Search runs r. Input errors are *BadRequest; any other error is the
// index's fault.
func (x *Index) Search(ctx context.Context, r Request) (*Result, error) {
	start := time.Now()
	if err := x.checkTerms(r); err != nil {
		return nil, err
	}
	text, err := x.textQuery(r.Query)
	if err != nil {
		return nil, err
	}
	if r.Query != "" && text == nil {
		text = bleve.NewMatchNoneQuery()
	}
	req := bleve.NewSearchRequestOptions(x.withFilters(text, r, ""), r.Size, (r.Page-1)*r.Size, false)
	req.Fields = []string{fTitle, fSummary, fType, fURL, fDate, fMeasures, fTopics, fOrgs}
	if text != nil {
		req.Highlight = bleve.NewHighlightWithStyle("html")
		req.Highlight.Fields = []string{fBody, fSummary}
	}
	if r.Sort == SortNewest || text == nil {
		req.SortBy([]string{"-" + fDate, "-_score", fURL})
	}
	for _, f := range facetFields {
		req.AddFacet(f.param, bleve.NewFacetRequest(f.field, f.size))
	}
	res, err := x.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("searching: %w", err)
	}
	out := &Result{Query: r.Query, Total: int(res.Total), Page: r.Page, Size: r.Size, Sort: r.Sort}
	out.Pages = (out.Total + r.Size - 1) / r.Size
	for _, h := range res.Hits {
		out.Results = append(out.Results, x.hit(h))
	}
	if out.Results == nil {
		out.Results = []Hit{}
	}
	if out.Facets, err = x.facets(ctx, text, r, res.Facets); err != nil {
		return nil, err
	}
	out.Took = float64(time.Since(start).Microseconds()) / 1000
	return out, nil
}

// withFilters narrows q to the request's filters, leaving out the one named
// skip (for that field's own facet counts). A nil q matches everything.
func (x *Index) withFilters(q query.Query, r Request, skip string) query.Query {
	must := []query.Query{}
	if q != nil {
		must = append(must, q)
	}
	for _, f := range facetFields {
		vals := f.values(r)
		if f.param == skip || len(vals) == 0 {
			continue
		}
		var any []query.Query
		for _, v := range vals {
			tq := bleve.NewTermQuery(v)
			tq.SetField(f.field)
			tq.SetBoost(0.01) // filters narrow; they should not reorder
			any = append(any, tq)
		}
		must = append(must, bleve.NewDisjunctionQuery(any...))
	}
	switch len(must) {
	case 0:
		return bleve.NewMatchAllQuery()
	case 1:
		return must[0]
	}
	return bleve.NewConjunctionQuery(must...)
}

// checkTerms rejects topics and organisations the index has never seen.
func (x *Index) checkTerms(r Request) error {
	x.mu.RLock()
	defer x.mu.RUnlock()
	for _, c := range []struct {
		param string
		vals  []string
		known map[string]string
	}{{"topic", r.Topics, x.labels.Topics}, {"organisation", r.Organisations, x.labels.Organisations}} {
		for _, v := range c.vals {
			if _, ok := c.known[v]; !ok {
				keys := make([]string, 0, len(c.known))
				for k := range c.known {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				return bad(c.param, "%s", unknownTerm(c.param, v, keys))
			}
		}
	}
	return nil
}

// hit turns a bleve hit into the API's shape.
func (x *Index) hit(h *bsearch.DocumentMatch) Hit {
	str := func(f string) string { s, _ := h.Fields[f].(string); return s }
	out := Hit{URL: h.ID, Title: str(fTitle), Type: str(fType), Summary: str(fSummary), Score: h.Score}
	if t, err := time.Parse(time.RFC3339, str(fDate)); err == nil && !t.IsZero() {
		out.Date = t.Format(time.DateOnly)
	}
	out.Measures = x.labelsOf(fMeasures, h.Fields[fMeasures])
	out.Topics = x.labelsOf(fTopics, h.Fields[fTopics])
	out.Organisations = x.labelsOf(fOrgs, h.Fields[fOrgs])
	for _, f := range []string{fBody, fSummary} {
		if frags := h.Fragments[f]; len(frags) > 0 {
			out.Snippet = frags[0]
			break
		}
	}
	if out.Snippet == "" {
		out.Snippet = html.EscapeString(out.Summary)
	}
	return out
}

// labelsOf names stored slugs; bleve gives one value as a string and many as
// a slice.
func (x *Index) labelsOf(field string, v any) []Label {
	var slugs []string
	switch v := v.(type) {
	case string:
		slugs = []string{v}
	case []any:
		for _, s := range v {
			if s, ok := s.(string); ok {
				slugs = append(slugs, s)
			}
		}
	}
	out := []Label{}
	for _, s := range slugs {
		out = append(out, Label{Slug: s, Name: x.name(field, s)})
	}
	return out
}
