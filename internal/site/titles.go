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
	first := pages[:min(len(pages), namedOthers+1)]
	at := make([]string, len(first))
	for i, o := range first {
		at[i] = o.ValuePos("title", o.Title).String()
	}
	named := strings.Join(at, "\x00") // one string for the group's warnings
	var last sameTitleText
	var boxed diag.Text // last as a Text: the pages past the first share one
	for _, p := range pages {
		t := sameTitleText{title: p.Title, named: named, self: int32(slices.Index(first, p)), more: int32(len(pages) - 1 - namedOthers)}
		if boxed == nil || t != last {
			last, boxed = t, t
		}
		w.AddText(p.ValuePos("title", p.Title), boxed)
	}
}

// namedOthers is how many of the other pages with a title a warning names
// with where their titles are written; past it, it counts the rest. Naming
// them all made each of a group's warnings as long as the group, and the
// warnings of a site with big groups grew with the square of their size.
const namedOthers = 3

// sameTitleText is a warning about a shared title, held as the title and
// where the first pages of the group have theirs rather than as its
// sentence (see diag.Text): the corpus of 100,000 pages has 82,000 of them,
// and the positions are one string that the group's warnings share.
type sameTitleText struct {
	title string
	// named is where the first namedOthers+1 pages of the group, in order,
	// have their titles, separated by NUL; self is the warned page's place
	// among them, or -1, and more how many others are not named (if > 0).
	named      string
	self, more int32
}

// Text names the pages other than the warned one: "x and y", or "x, y and
// z and 4 more".
func (t sameTitleText) Text() string {
	var named []string
	for i, at := range strings.Split(t.named, "\x00") {
		if i != int(t.self) && len(named) < namedOthers {
			named = append(named, at)
		}
	}
	s := strings.Join(named, " and ")
	if t.more > 0 {
		s = fmt.Sprintf("%s and %d more", strings.Join(named, ", "), t.more)
	}
	return fmt.Sprintf("title %q "+sameTitle+" %s: give each page its own title, so that lists and search results tell them apart", t.title, s)
}
