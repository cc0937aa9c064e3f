package search

import (
	"cmp"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"html"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
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
	// Suggestion is this query with its misspelt words put right, when it
	// finds nothing or very little ("did you mean"; see suggest).
	Suggestion string `json:"suggestion,omitempty"`
	// Partial is set when the search left words out (past MaxQueryWords) or
	// ran out of time: the results may miss pages.
	Partial bool `json:"partial,omitempty"`
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
	// Sources are the documents the page cites, as its Sources list shows them.
	Sources []Source `json:"sources"`
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
//
// bleve finds and scores the pages that match the words; filtering, facet
// counts, sorting and paging then run over the in-memory rows, and a second,
// small bleve search loads and highlights only the page of hits shown.
func (x *Index) Search(ctx context.Context, r Request) (*Result, error) {
	start := time.Now()
	if err := x.checkTerms(r); err != nil {
		return nil, err
	}
	units, dropped, err := x.units(r.Query)
	if err != nil {
		return nil, err
	}
	x.expand(ctx, units)
	timedOut := ctx.Err() != nil // near spellings may be missing
	tbl, err := x.table()
	if err != nil {
		return nil, err
	}
	out := &Result{Query: r.Query, Page: r.Page, Size: r.Size, Sort: r.Sort, Partial: dropped || timedOut}
	text := x.textQuery(units)
	var matches []match
	if !matchesNothing(units) {
		matches, err = x.match(ctx, tbl, text, r.Query != "", r.Sort == SortNewest)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		// Out of time: show what was found, and say it is not everything.
		out.Partial, err = true, nil
		ctx = context.WithoutCancel(ctx)
	}
	if err != nil {
		return nil, err
	}
	f := newFilter(r, tbl)
	out.Facets = x.facets(tbl, matches, f, r)
	kept := matches[:0:0]
	for _, m := range matches {
		if f.keep(&tbl.rows[m.row], "") {
			kept = append(kept, m)
		}
	}
	out.Total = len(kept)
	out.Pages = (out.Total + r.Size - 1) / r.Size
	lo, hi := min((r.Page-1)*r.Size, len(kept)), min(r.Page*r.Size, len(kept))
	kept = firstSorted(kept, hi, order(tbl, r.Sort == SortNewest || text == nil))
	if out.Results, err = x.load(ctx, tbl, r.Query, units, kept[lo:hi]); err != nil {
		return nil, err
	}
	if out.Total <= fewResults && !out.Partial {
		out.Suggestion = x.suggest(ctx, tbl, r, units, out.Total)
	}
	out.Took = float64(time.Since(start).Microseconds()) / 1000
	return out, nil
}

// match is a page that matches the words, with its score.
type match struct {
	row   int32
	score float64
}

// match lists every page the text query matches; with no words (nil text and
// no query) every page matches, and a query of only stop words matches none.
//
// Newest-first needs no scores, and not computing them halves the cost of a
// common word that matches most pages.
func (x *Index) match(ctx context.Context, tbl *table, text query.Query, asked, unscored bool) ([]match, error) {
	if text == nil {
		if asked {
			return nil, nil
		}
		all := make([]match, len(tbl.rows))
		for i := range all {
			all[i].row = int32(i)
		}
		return all, nil
	}
	found := make([]match, 0, len(tbl.rows)/8)
	record := func(sctx *bsearch.SearchContext) (bsearch.DocumentMatchHandler, bool, error) {
		keep, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
		return func(d *bsearch.DocumentMatch) error {
			if d != nil {
				if i, ok := tbl.lookup(d); ok {
					found = append(found, match{row: i, score: d.Score})
				}
			}
			return keep(d)
		}, loadID || tbl.internal == nil, err
	}
	req := bleve.NewSearchRequestOptions(text, 0, 0, false)
	if unscored {
		req.Score = bleve.ScoreNone
	}
	ctx = context.WithValue(ctx, bsearch.MakeDocumentMatchHandlerKey, bsearch.MakeDocumentMatchHandler(record))
	if _, err := x.bi.SearchInContext(ctx, req); err != nil {
		return found, fmt.Errorf("searching: %w", err) // what was found in time
	}
	return found, nil
}

// order compares matches by score (then newest), or newest first (then
// score); the row, which follows the URL, breaks ties so paging is stable.
func order(tbl *table, newest bool) func(a, b match) int {
	return func(a, b match) int {
		ra, rb := &tbl.rows[a.row], &tbl.rows[b.row]
		first, second := cmp.Compare(b.score, a.score), cmp.Compare(rb.Date, ra.Date)
		if newest {
			first, second = second, first
		}
		if first != 0 {
			return first
		}
		if second != 0 {
			return second
		}
		return cmp.Compare(a.row, b.row)
	}
}

// firstSorted returns the first k matches in order. Only the page shown needs
// sorting, so a common word's thousands of matches go through a k-long heap
// instead of a full sort.
func firstSorted(ms []match, k int, cmpf func(a, b match) int) []match {
	if k <= 0 {
		return nil
	}
	if k*4 >= len(ms) {
		slices.SortFunc(ms, cmpf)
		return ms[:k]
	}
	h := &worstFirst{cmp: cmpf}
	for _, m := range ms {
		if len(h.ms) < k {
			heap.Push(h, m)
		} else if cmpf(m, h.ms[0]) < 0 {
			h.ms[0] = m
			heap.Fix(h, 0)
		}
	}
	slices.SortFunc(h.ms, cmpf)
	return h.ms
}

// worstFirst is a heap whose top is the match that sorts last.
type worstFirst struct {
	ms  []match
	cmp func(a, b match) int
}

func (h *worstFirst) Len() int           { return len(h.ms) }
func (h *worstFirst) Less(i, j int) bool { return h.cmp(h.ms[i], h.ms[j]) > 0 }
func (h *worstFirst) Swap(i, j int)      { h.ms[i], h.ms[j] = h.ms[j], h.ms[i] }
func (h *worstFirst) Push(x any)         { h.ms = append(h.ms, x.(match)) }
func (h *worstFirst) Pop() any {
	m := h.ms[len(h.ms)-1]
	h.ms = h.ms[:len(h.ms)-1]
	return m
}

// load fetches the stored fields of the hits shown, in the order given, with
// snippets marking the words searched for.
func (x *Index) load(ctx context.Context, tbl *table, q string, units []unit, ms []match) ([]Hit, error) {
	hits := make([]Hit, 0, len(ms))
	if len(ms) == 0 {
		return hits, nil
	}
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = tbl.rows[m.row].URL
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(ids), len(ids), 0, false)
	req.Fields = []string{fTitle, fSummary, fSources}
	req.Score = bleve.ScoreNone
	res, err := x.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("loading results: %w", err)
	}
	byID := make(map[string]*bsearch.DocumentMatch, len(res.Hits))
	for _, h := range res.Hits {
		byID[h.ID] = h
	}
	body, summary := x.marker(x.markTerms(units, false)), x.marker(x.markTerms(units, true))
	partOnly := x.partOnly(q)
	for i, m := range ms {
		if h := byID[ids[i]]; h != nil {
			hit := x.hit(h, &tbl.rows[m.row], body, summary)
			hit.Score = m.score
			hit.Snippet = x.unmarkStray(hit.Snippet, partOnly)
			hits = append(hits, hit)
		}
	}
	return hits, nil
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

// hit turns a bleve hit and its row into the API's shape, with a snippet
// of the page's prose marking the body's terms or, failing that, of its
// summary marking the summary's; else the summary as it is.
func (x *Index) hit(h *bsearch.DocumentMatch, r *row, body, summary *marker) Hit {
	str := func(f string) string { s, _ := h.Fields[f].(string); return s }
	out := Hit{URL: h.ID, Title: str(fTitle), Type: r.Type, Summary: str(fSummary)}
	if r.Date != 0 {
		out.Date = time.Unix(r.Date, 0).UTC().Format(time.DateOnly)
	}
	out.Measures = x.labelsOf(fMeasures, r.Measures)
	out.Topics = x.labelsOf(fTopics, r.Topics)
	out.Organisations = x.labelsOf(fOrgs, r.Orgs)
	out.Sources = sourcesOf(str(fSources))
	if out.Snippet = body.snippet(x.lex.decode(r.code, r.prose)); out.Snippet == "" {
		out.Snippet = summary.snippet(out.Summary)
	}
	if out.Snippet == "" {
		out.Snippet = html.EscapeString(out.Summary)
	}
	return out
}

// labelsOf names slugs.
func (x *Index) labelsOf(field string, slugs []string) []Label {
	out := []Label{}
	for _, s := range slugs {
		out = append(out, Label{Slug: s, Name: x.name(field, s)})
	}
	return out
}
