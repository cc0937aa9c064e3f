package build

import (
	"html"
	"net/http"
	"time"

	"github.com/nhsx/kb/internal/content"
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
// in, their text taken from their syntax trees on all cores.
func SearchPages(pages []*site.Page) []search.Page {
	var keep []*site.Page
	for _, p := range pages {
		if Searchable(p) {
			keep = append(keep, p)
		}
	}
	out := make([]search.Page, len(keep))
	par.For(len(keep), func(i int) { out[i] = searchPage(keep[i]) })
	return out
}

// searchPage is p as the index takes it in.
func searchPage(p *site.Page) search.Page {
	sp := search.Page{URL: p.URL, Path: p.Path, Type: p.Type, Date: p.Date, Title: p.Title, Summary: p.Summary,
		Measures: labels(p.MeasureTerms), Topics: labels(p.TopicTerms), Organisations: labels(p.OrgTerms),
		Programme: p.Programme}
	for _, s := range p.Sources {
		src := search.Source{Title: s.Title, URL: s.URL, Publisher: s.Publisher, Accessed: dateString(s.Accessed)}
		src.Published = dateString(s.Published)
		sp.Sources = append(sp.Sources, src)
	}
	if p.Doc != nil {
		for _, h := range p.Doc.Headings() {
			sp.Headings = append(sp.Headings, h.Text)
		}
		text, prose := p.Doc.SearchText()
		sp.Prose, sp.Nav = html.UnescapeString(text[:prose]), html.UnescapeString(text[prose:])
	}
	return sp
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
