package site

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nhsx/kb/internal/diag"
)

// sameTitle marks the warnings sameTitles makes, for rewarnTitles.
const sameTitle = "is also the title of"

// rewarnTitles brings the warnings about shared titles up to date after the
// titles of pages changed (was holds each one's title before). Only the
// pages sharing an old or a new title are looked at again: at 10,000 pages,
// warning about every shared title again took a title edit 50 ms.
func (s *Site) rewarnTitles(was map[*Page]string) {
	if s.titled == nil {
		s.titled = map[string][]*Page{}
		for _, p := range s.sortedPages() {
			if key := titleKey(p.Title); key != "" {
				s.titled[key] = append(s.titled[key], p)
			}
		}
	} else {
		for p, title := range was {
			old := titleKey(title)
			s.titled[old] = slices.DeleteFunc(s.titled[old], func(q *Page) bool { return q == p })
			if len(s.titled[old]) == 0 {
				delete(s.titled, old) // a title edited many times leaves no trail
			}
			if key := titleKey(p.Title); key != "" {
				s.titled[key] = append(s.titled[key], p)
			}
		}
	}
	keys, files := map[string]bool{}, map[string]bool{}
	for p, title := range was {
		keys[titleKey(title)], keys[titleKey(p.Title)] = true, true
		files[p.Path] = true
	}
	delete(keys, "")
	for key := range keys {
		for _, p := range s.titled[key] {
			files[p.Path] = true
		}
	}
	w := slices.DeleteFunc(slices.Clone(s.Warnings), func(d diag.Diagnostic) bool {
		return files[d.File] && strings.Contains(d.Message(), sameTitle)
	})
	for key := range keys {
		warnSame(s.titled[key], &w)
	}
	w.Sort()
	s.Warnings = w
}

// titleKey is what two titles share when readers cannot tell them apart.
func titleKey(title string) string {
	return strings.ToLower(strings.Join(strings.Fields(title), " "))
}

// sameTitles warns about pages that share a title: lists and search results
// show titles alone, so readers see the same entry twice and cannot tell
// which is which.
func (s *Site) sameTitles(w *diag.List) {
	byTitle := map[string][]*Page{}
	var order []string
	for _, p := range s.sortedPages() {
		key := titleKey(p.Title)
		if key == "" {
			continue
		}
		if byTitle[key] == nil {
			order = append(order, key)
		}
		byTitle[key] = append(byTitle[key], p)
	}
	for _, key := range order {
		warnSame(byTitle[key], w)
	}
}

// warnSame gives each of pages, which share a title, a warning naming the
// others, with where their titles are written.
func warnSame(pages []*Page, w *diag.List) {
	if len(pages) < 2 {
		return
	}
	pages = slices.SortedFunc(slices.Values(pages), func(a, b *Page) int { return strings.Compare(a.Path, b.Path) })
	for _, p := range pages {
		w.AddText(p.ValuePos("title", p.Title), othersNamed(p, pages))
	}
}

// namedOthers is how many of the other pages with a title a warning names
// with where their titles are written; past it, it counts the rest. Naming
// them all made each of a group's warnings as long as the group, and the
// warnings of a site with big groups grew with the square of their size.
const namedOthers = 3

// sameTitleText is a warning about a shared title, held as the title and
// where the others are written rather than as its sentence (see
// diag.Text): the corpus of 100,000 pages has 82,000 of them.
type sameTitleText struct {
	title string
	named [namedOthers]diag.Pos // the first others, in order; File "" past the last
	more  int                   // how many others are not named
}

// othersNamed is the warning for p about the pages other than it, naming
// them in order: "x and y", or "x, y and z and 4 more".
func othersNamed(p *Page, pages []*Page) sameTitleText {
	t := sameTitleText{title: p.Title}
	n := 0
	for _, o := range pages {
		switch {
		case o == p:
		case n < namedOthers:
			t.named[n] = o.ValuePos("title", o.Title)
			n++
		default:
			t.more++
		}
	}
	return t
}

func (t sameTitleText) Text() string {
	var named []string
	for _, at := range t.named {
		if at.File != "" {
			named = append(named, at.String())
		}
	}
	s := strings.Join(named, " and ")
	if t.more > 0 {
		s = fmt.Sprintf("%s and %d more", strings.Join(named, ", "), t.more)
	}
	return fmt.Sprintf("title %q "+sameTitle+" %s: give each page its own title, so that lists and search results tell them apart", t.title, s)
}
