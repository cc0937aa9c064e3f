package site

import (
	"path"
	"reflect"

	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/diag"
)

// SamePlace reports whether a new parse of a page leaves everything outside
// the page itself as it was: the same front matter (so the same URL, lists,
// taxonomies and related items), the same bundle files, and the same anchors
// (so links into it still resolve). Only its body differs. The preview server
// then swaps the page in with Replace instead of rebuilding the whole model,
// which on a large site costs more than the edit itself.
func SamePlace(a, b *content.Page) bool {
	if a.Doc == nil || b.Doc == nil || !reflect.DeepEqual(a.Resources, b.Resources) {
		return false
	}
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := range va.NumField() {
		f := va.Type().Field(i)
		if !f.IsExported() || f.Name == "Doc" || f.Name == "File" || f.Name == "Resources" || f.Name == "FileSize" || f.Name == "FileTime" {
			continue
		}
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			return false
		}
	}
	return reflect.DeepEqual(a.Doc.IDs(), b.Doc.IDs())
}

// Replace swaps new parses of pages into the site in place, resolving their
// links as New does. Each page must be SamePlace with the page it replaces.
// On any problem nothing is changed and the problems are returned. drafts
// lists the source paths of unpublished pages, for the messages about links
// to them.
func (s *Site) Replace(pages []*content.Page, drafts map[string]bool) diag.List {
	var errs diag.List
	files := s.files()
	anchors := func(p *Page) map[string]bool { return p.Doc.IDs() }
	type rewrite struct {
		l    int
		dest string
	}
	plans := make([][]rewrite, len(pages))
	for i, cp := range pages {
		old := s.BySource[cp.Path]
		if old == nil {
			errs.Addf(diag.Pos{File: cp.Path}, "internal error: page is not in the site")
			continue
		}
		np := *old
		np.Page = cp
		r := resolver{s: s, p: &np, files: files, drafts: drafts, anchors: anchors}
		for j, l := range cp.Doc.Links() {
			if dest, msg := r.resolve(l.Dest); msg != "" {
				errs.Addf(diag.At(cp.Path, cp.Doc.Source, l.Offset), "%s", msg)
			} else if dest != l.Dest {
				plans[i] = append(plans[i], rewrite{j, dest})
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	for i, cp := range pages {
		links := cp.Doc.Links()
		for _, rw := range plans[i] {
			links[rw.l].SetDest(rw.dest)
		}
		p := s.BySource[cp.Path]
		p.Page = cp
		p.TOC = toc(p)
	}
	return nil
}

// files maps the source path of every bundle and static file to its URL.
func (s *Site) files() map[string]string {
	files := map[string]string{}
	for _, p := range s.BySource {
		for _, r := range p.Resources {
			files[path.Join(path.Dir(p.Path), r.Name)] = p.URL + r.Name
		}
	}
	for _, r := range s.Static {
		files["content/"+r.Name] = "/" + r.Name
	}
	return files
}
