package main

import (
	"context"
	"net/http"
	"strings"

	"github.com/nhsx/kb/internal/assess"
	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/search"
)

// withAssessment adds the self-assessment's results (/self-assessment/) to
// the function. The statements come with the site's sources in the bundle;
// the items to recommend come from the index, since the function never reads
// the items themselves. Both are read once, at a cold start.
func withAssessment(next http.Handler, m *build.Model, idx *search.Index) (http.Handler, error) {
	if m.Assessment == nil || len(m.Assessment.Statements) == 0 {
		return next, nil
	}
	items, err := indexItems(idx)
	if err != nil {
		return nil, err
	}
	src := &assess.Source{Set: m.Assessment, Items: items, Renderer: m.Renderer, BaseURL: m.Config.BaseURL}
	h := assess.Handler(func() (*assess.Source, error) { return src, nil })
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, assess.IndexPath) {
			h.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	}), nil
}

// indexItems lists every item of the types a result recommends, page by page
// of an empty search.
func indexItems(idx *search.Index) ([]assess.Item, error) {
	var items []assess.Item
	for page := 1; page <= search.MaxPage; page++ {
		res, err := idx.Search(context.Background(), search.Request{Types: assess.Recommended, Page: page,
			Size: search.MaxPageSize, Sort: search.SortNewest})
		if err != nil {
			return nil, err
		}
		for _, h := range res.Results {
			items = append(items, assess.Item{Title: h.Title, URL: h.URL, Type: h.Type, Summary: h.Summary,
				Measures: slugs(h.Measures), Topics: slugs(h.Topics)})
		}
		if page >= res.Pages {
			break
		}
	}
	return items, nil
}

func slugs(ls []search.Label) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Slug
	}
	return out
}
