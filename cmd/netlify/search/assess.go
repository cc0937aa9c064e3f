package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"strings"

	"github.com/nhsx/kb/internal/assess"
	"github.com/nhsx/kb/internal/search"
)

// withAssessment adds the self-assessment (/self-assessment/) to the
// function, when the bundle has its statements and frames (file). The items
// to recommend come from the index, since the function never reads the
// items themselves. Both are read once, at a cold start.
func withAssessment(next http.Handler, fsys fs.FS, file string, idx *search.Index) (http.Handler, error) {
	data, err := fs.ReadFile(fsys, file)
	if errors.Is(err, fs.ErrNotExist) {
		return next, nil // the site has no self-assessment
	}
	if err != nil {
		return nil, err
	}
	src, err := assess.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if src.Items, err = indexItems(idx); err != nil {
		return nil, fmt.Errorf("listing the items for the self-assessment: %w", err)
	}
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
