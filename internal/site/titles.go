package site

import (
	"fmt"
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
			w.Addf(p.ValuePos("title", p.Title), "title %q "+sameTitle+" %s: give each page its own title, so that lists and search results tell them apart", p.Title, othersNamed(p, pages))
		}
	}
}

// namedOthers is how many of the other pages with a title a warning names
// with where their titles are written; past it, it counts the rest. Naming
// them all made each of a group's warnings as long as the group, and the
// warnings of a site with big groups grew with the square of their size.
const namedOthers = 3

// othersNamed names the pages other than p, in order: "x and y", or
// "x, y and z and 4 more".
func othersNamed(p *Page, pages []*Page) string {
	var named []string
	more := 0
	for _, o := range pages {
		switch {
		case o == p:
		case len(named) < namedOthers:
			named = append(named, o.ValuePos("title", o.Title).String())
		default:
			more++
		}
	}
	s := strings.Join(named, " and ")
	if more > 0 {
		s = fmt.Sprintf("%s and %d more", strings.Join(named, ", "), more)
	}
	return s
}
