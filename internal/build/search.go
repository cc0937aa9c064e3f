package build

import (
	"errors"
	"html"
	"net/http"
	"slices"
	"time"

	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/markdown"
	"github.com/nhsx/kb/internal/par"
	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/search/web"
	"github.com/nhsx/kb/internal/site"
)

// Searchable reports whether the search index holds p: the items (blueprints,
// standards, templates, case studies, guides), not the lists, measure pages
// or plain pages. It is the one place that decides; the build's index and
// the preview's, as it is made and as pages change, all ask it.
func Searchable(p *site.Page) bool { return p.Kind == content.Item }

// SearchPages are the searchable pages among pages as the index takes them
// in, as kb serve's index in memory is made: each page is read and parsed
// again for its text (the site model keeps only its facts), on all cores.
// A page whose source changed since its facts were taken is an error.
func SearchPages(pages []*site.Page) ([]search.Page, error) { return searchPagesFrom(pages, nil) }

// searchPagesFrom is SearchPages, taking a page's document from made when
// it is there rather than parsing the page again.
func searchPagesFrom(pages []*site.Page, made map[*site.Page]search.Page) ([]search.Page, error) {
	keep := searchable(pages)
	out := make([]search.Page, len(keep))
	errs := make([]error, len(keep))
	par.ForIO(len(keep), func(i int) {
		var ok bool
		if out[i], ok = made[keep[i]]; !ok {
			out[i], errs[i] = wholeSearchPage(keep[i])
		}
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// wholeSearchPage is p as the index takes it in, text included, from a new
// parse of its source.
func wholeSearchPage(p *site.Page) (search.Page, error) {
	whole, err := p.Doc.Whole()
	if err != nil {
		return search.Page{}, err
	}
	return searchPage(p, whole), nil
}

// searchable are the pages among pages that the index holds.
func searchable(pages []*site.Page) []*site.Page {
	var keep []*site.Page
	for _, p := range pages {
		if Searchable(p) {
			keep = append(keep, p)
		}
	}
	return keep
}

// searchPage is p as the index takes it in, its headings and text from
// whole, p's document with its syntax tree (parsed for p's render, or
// again); with whole nil, the page without its text, which is all the
// index's records of its pages need.
func searchPage(p *site.Page, whole *markdown.Doc) search.Page {
	sp := search.Page{URL: p.URL, Path: p.Path, Type: p.Type, Date: p.Date, Title: p.Title, Summary: p.Summary,
		Measures: labels(p.MeasureTerms()), Topics: labels(p.TopicTerms()), Organisations: labels(p.OrgTerms()),
		Programme: p.Programme}
	for _, s := range p.Sources {
		src := search.Source{Title: s.Title, URL: s.URL, Publisher: s.Publisher, Accessed: dateString(s.Accessed)}
		src.Published = dateString(s.Published)
		sp.Sources = append(sp.Sources, src)
	}
	if whole != nil {
		for _, h := range whole.Headings() {
			sp.Headings = append(sp.Headings, h.Text)
		}
		text, prose := whole.SearchText()
		sp.Prose, sp.Nav = html.UnescapeString(text[:prose]), html.UnescapeString(text[prose:])
	}
	return sp
}

// searchIndexer hands the index writer the search.Page of each searchable
// page as its render parses it (render.Indexer), so the page is not parsed
// again for the index.
type searchIndexer struct{ w *search.Writer }

func (x searchIndexer) Add(p *site.Page, whole *markdown.Doc) {
	if Searchable(p) {
		x.w.Add(searchPage(p, whole))
	}
}

// closeIndex finishes w with exactly the searchable pages of s (among the
// pages rendered from Markdown, which are what the render hands w), parsing
// again those the render did not hand it.
func closeIndex(w *search.Writer, s *site.Site) (int, error) {
	keep := searchable(append(slices.Clone(s.Items), s.Plain...))
	row := func(i int) search.Page { return searchPage(keep[i], nil) }
	return w.CloseEach(len(keep), row, func(i int) (search.Page, error) { return wholeSearchPage(keep[i]) })
}

func labels(terms []*site.Term) []search.Label {
	out := make([]search.Label, len(terms))
	for i, t := range terms {
		out[i] = search.Label{Slug: t.Slug, Name: t.Name}
	}
	return out
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// SearchHandler serves search over idx (the API and the results page) in
// the frame of m's theme, as kb serve and cmd/prodserve do.
func (m *Model) SearchHandler(idx *search.Index, opts ...web.Option) (http.Handler, error) {
	f, err := m.Renderer.SearchFrame()
	if err != nil {
		return nil, err
	}
	return web.Handler(idx, f, opts...), nil
}
