package site

import (
	"slices"
	"strings"

	"github.com/nhsx/kb/internal/diag"
)

// sameTitle marks the warnings sameTitles makes, for rewarnTitles.
const sameTitle = "is also the title of"

// rewarnTitles brings the warnings about shared titles up to date after a
// page's title changed.
func (s *Site) rewarnTitles() {
	w := slices.DeleteFunc(slices.Clone(s.Warnings), func(d diag.Diagnostic) bool { return strings.Contains(d.Msg, sameTitle) })
	s.sameTitles(&w)
	w.Sort()
	s.Warnings = w
}

// sameTitles warns about pages that share a title: lists and search results
// show titles alone, so readers see the same entry twice and cannot tell
// which is which. Each page's warning names the others, with where their
// titles are written.
func (s *Site) sameTitles(w *diag.List) {
	byTitle := map[string][]*Page{}
	var order []string
	for _, p := range s.sortedPages() {
		key := strings.ToLower(strings.Join(strings.Fields(p.Title), " "))
		if key == "" {
			continue
		}
		if byTitle[key] == nil {
			order = append(order, key)
		}
		byTitle[key] = append(byTitle[key], p)
	}
	for _, key := range order {
		pages := byTitle[key]
		if len(pages) < 2 {
			continue
		}
		slices.SortFunc(pages, func(a, b *Page) int { return strings.Compare(a.Path, b.Path) })
		for _, p := range pages {
			var others []string
			for _, o := range pages {
				if o != p {
					others = append(others, o.ValuePos("title", o.Title).String())
				}
			}
			w.Addf(p.ValuePos("title", p.Title), "title %q "+sameTitle+" %s: give each page its own title, so that lists and search results tell them apart", p.Title, strings.Join(others, " and "))
		}
	}
}
