package site

import (
	"path"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/diag"
)

// listed are the fields of a page that lists and related items show or
// order by, but that decide nothing about where the page belongs.
var listed = []string{"Title", "Summary", "Programme", "Date", "Reviewed", "ReviewDue", "Weight"}

// unplaced are the other fields SamePlace leaves out: the body and bundle
// files (compared their own way), and where the file is on disk.
var unplaced = map[string]bool{"Doc": true, "Resources": true, "File": true, "FileSize": true, "FileTime": true, "FileChange": true}

// SamePlace reports whether a new parse of a page keeps its place in the
// site: the same URL, section, type, measures, topics, organisations,
// aliases, bundle files and anchors, so that the same lists hold it and links
// into it resolve as before. Its body may differ, and so may what lists show
// or order by (title, summary, programme, dates, weight). The preview server
// then swaps the page in with Replace instead of rebuilding the whole model,
// which on a large site costs more than the edit itself.
func SamePlace(a, b *content.Page) bool {
	if a.Doc == nil || b.Doc == nil || !reflect.DeepEqual(a.Resources, b.Resources) {
		return false
	}
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := range va.NumField() {
		f := va.Type().Field(i)
		if !f.IsExported() || unplaced[f.Name] || slices.Contains(listed, f.Name) {
			continue
		}
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			return false
		}
	}
	return content.SameTags(a, b) && a.Doc.SameIDs(b.Doc)
}

// Replace swaps new parses of items into the site in place, resolving their
// links as New does, and moves each within the lists that hold it when its
// title, weight or date changed (picking related items again where the move
// can change them). Each page must be SamePlace with the page it replaces.
// On any problem nothing is changed and the problems are returned. drafts
// lists the source paths of unpublished pages, for the messages about links
// to them.
func (s *Site) Replace(pages []*content.Page, drafts map[string]bool) (Patch, diag.List) {
	var errs diag.List
	files := s.files()
	for _, cp := range pages {
		old := s.BySource[cp.Path]
		if old == nil {
			errs.Addf(diag.Pos{File: cp.Path}, "internal error: page is not in the site")
			continue
		}
		np := *old
		np.Page = cp
		r := resolver{s: s, p: &np, files: files, drafts: drafts}
		at := cp.Positions()
		rawLinks(cp, at, &errs)
		for _, l := range cp.Doc.Links() {
			if _, msg := r.resolve(l.Dest); msg != "" {
				errs.Addf(at.At(l.Offset), "%s", msg)
			}
		}
	}
	if len(errs) > 0 {
		return Patch{}, errs
	}
	var patch Patch
	var moved []*Page
	was := map[*Page]string{} // the titles of pages retitled, before
	for _, cp := range pages {
		p := s.BySource[cp.Path]
		old := p.Page
		p.Page = cp
		patch.Shown = patch.Shown || !sameShown(old, cp)
		if old.Title != cp.Title || old.Weight != cp.Weight || !old.Date.Equal(cp.Date) {
			listed, item := s.move(p)
			patch.Moved = patch.Moved || listed
			if item {
				moved = append(moved, p)
			}
			patch.Also = append(patch.Also, s.renameOrgs(p)...)
			if old.Title != cp.Title {
				was[p] = old.Title
			}
		}
		if !old.ReviewDue.Equal(cp.ReviewDue) || old.KeyPos("review_due") != cp.KeyPos("review_due") {
			s.rewarn(p)
		}
	}
	if len(moved) > 0 {
		s.relateAround(moved)
	}
	if len(was) > 0 {
		s.rewarnTitles(was)
	}
	return patch, nil
}

// Patch says what Replace changed besides the pages' own bodies.
type Patch struct {
	// Shown is set when a page's title, summary or another field that lists
	// and related items show changed, so those outputs must be rendered again.
	Shown bool
	// Moved is set when a page moved within a list (so the items on a page
	// of it may differ) or related items were picked again.
	Moved bool
	// Also lists the source paths of other pages that now show something
	// new beyond the lists they are in: the members of an organisation whose
	// name, taken from its first page, changed.
	Also []string
}

// sameShown reports whether two parses of a page agree on every field that
// lists show or order by.
func sameShown(a, b *content.Page) bool {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for _, f := range listed {
		if !reflect.DeepEqual(va.FieldByName(f).Interface(), vb.FieldByName(f).Interface()) {
			return false
		}
	}
	return true
}

// move puts p, whose title, weight or date changed, back in order in every
// list that holds it. It reports whether any list changed, and whether p's
// place among the items (which breaks ties between related items) did. A
// list that changes is replaced, not rewritten, so a renderer holding it
// still sees it whole.
func (s *Site) move(p *Page) (listed, item bool) {
	var changed bool
	s.ordered, _ = reorder(s.sortedPages(), p, less)
	s.Items, item = reorder(s.Items, p, newer)
	listed = item
	lessNum := func(a, b int32) bool { return less(s.page(a), s.page(b)) }
	if sec := s.section(p.Section); sec != nil {
		sec.nums, changed = reorder(sec.nums, p.num, lessNum)
		listed = listed || changed
	}
	for _, n := range p.allTermNums() {
		t := s.terms[n]
		t.nums, changed = reorder(t.nums, p.num, lessNum)
		listed = listed || changed
	}
	return listed, item
}

// reorder moves p to where before puts it in list, which is otherwise in
// order. It returns list itself when p is already in place, else a new list
// and true.
func reorder[T comparable](list []T, p T, before func(a, b T) bool) ([]T, bool) {
	i := slices.Index(list, p)
	if i < 0 || (i == 0 || !before(p, list[i-1])) && (i == len(list)-1 || !before(list[i+1], p)) {
		return list, false
	}
	out := make([]T, 0, len(list))
	out = append(append(out, list[:i]...), list[i+1:]...)
	j := sort.Search(len(out), func(k int) bool { return before(p, out[k]) })
	return slices.Insert(out, j, p), true
}

// renameOrgs names p's organisations again after p moved: an organisation
// takes its name from the first of its pages, as place does. It returns the
// pages of those whose name changed.
func (s *Site) renameOrgs(p *Page) []string {
	var also []string
	for _, t := range p.OrgTerms() {
		orgs := t.At(0).Organisations()
		i := slices.IndexFunc(orgs, func(name string) bool { return orgSlug(name) == t.Slug })
		if name := orgs[i]; name != t.Name {
			t.Name = name
			for _, q := range t.Pages() {
				also = append(also, q.Path)
			}
		}
	}
	if len(also) > 0 {
		s.Organisations = slices.Clone(s.Organisations)
		orderTerms(s.Organisations)
	}
	return also
}

// rewarn brings the warnings about p up to date.
func (s *Site) rewarn(p *Page) {
	// Its shared title's warning stays: rewarnTitles keeps that one.
	w := slices.DeleteFunc(slices.Clone(s.Warnings), func(d diag.Diagnostic) bool {
		return d.File == p.Path && !strings.Contains(d.Message(), sameTitle)
	})
	s.overdue(p, &w)
	w.Sort()
	s.Warnings = w
}

// relateAround picks related items again after pages moved among the items:
// only the pages that may have one of them as a candidate can see a tie break
// the other way (see unaffected).
func (s *Site) relateAround(moved []*Page) {
	reach := map[*Page]bool{}
	for _, p := range moved {
		reach[p] = true
		p.eachSharing(func(q *Page) { reach[q] = true })
	}
	s.relateSome(func(p *Page) bool { return reach[p] || p.candidates < sparseLimit })
}

// files maps the source path of every bundle and static file to its URL.
func (s *Site) files() map[string]string {
	if s.fileURLs != nil {
		return s.fileURLs
	}
	files := map[string]string{}
	for _, p := range s.BySource {
		for _, r := range p.Resources {
			files[path.Join(path.Dir(p.Path), r.Name)] = p.URL + r.Name
		}
	}
	for _, r := range s.Static {
		files["content/"+r.Name] = "/" + r.Name
	}
	s.fileURLs = files
	return files
}
