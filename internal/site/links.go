package site

import (
	"maps"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/markdown"
	"github.com/nhsx/kb/internal/par"
)

// resolveLinks reports links to pages, files or anchors that do not exist.
// Nothing is rewritten: a page's links are resolved again as it is rendered
// (see LinkDest), from the destinations as written.
//
// only, when not nil, limits the work to those source paths (see relinkOnly).
func (s *Site) resolveLinks(drafts map[string]bool, errs *diag.List, only map[string]bool) {
	files := s.files()
	pages := s.sortedPages()
	if only != nil {
		pages = slices.DeleteFunc(slices.Clone(pages), func(p *Page) bool { return !only[p.Path] })
	}
	found := make([]diag.List, len(pages))
	par.For(len(pages), func(i int) {
		p := pages[i]
		r := resolver{s: s, p: p, files: files, drafts: drafts}
		at := p.Positions() // the source is read only for a message
		rawLinks(p.Page, at, &found[i])
		for _, l := range p.Doc.Links() {
			if _, msg := r.resolve(l.Dest); msg != "" {
				found[i].Addf(at.At(l.Offset), "%s", msg)
			}
		}
	})
	for _, f := range found {
		errs.Append(f)
	}
}

// relinkOnly returns the pages whose links must be checked again after an
// edit, or nil for all of them. When nothing a link can point at changed (the
// same URLs, files and drafts, and the edited pages keep their anchors), the
// links of every page parsed as before were found good by the previous build.
func (s *Site) relinkOnly(prev *Site, changed map[string]bool) map[string]bool {
	if prev == nil || !maps.Equal(s.URLs, prev.URLs) || !maps.Equal(s.paged, prev.paged) || !maps.Equal(s.files(), prev.files()) || !maps.Equal(s.drafts, prev.drafts) {
		return nil
	}
	for path := range changed {
		p, q := s.BySource[path], prev.BySource[path]
		if p != nil && q != nil && !p.Doc.SameIDs(q.Doc) {
			return nil
		}
	}
	only := map[string]bool{}
	for path, p := range s.BySource {
		if q := prev.BySource[path]; changed[path] || q == nil || q.Page != p.Page {
			only[path] = true
		}
	}
	return only
}

// LinkDest returns the function that gives, for each link or image
// destination as written in p, the address it stands for in the built site
// (../guides/x.md#risks to /guides/x/#risks): the renderer's link hook calls
// it as it writes p's HTML. A destination that does not resolve is kept as
// written; the build has reported it already.
func (s *Site) LinkDest(p *Page) func(string) string {
	r := resolver{s: s, p: p, files: s.files(), drafts: s.drafts}
	return func(dest string) string {
		if to, msg := r.resolve(dest); msg == "" {
			return to
		}
		return dest
	}
}

type resolver struct {
	s      *Site
	p      *Page
	files  map[string]string
	drafts map[string]bool
}

// resolve returns the URL a destination stands for, or a message saying what
// is wrong and how to fix it.
func (r resolver) resolve(dest string) (string, string) {
	dest = strings.TrimSpace(dest)
	if dest == "" {
		return dest, "link has no destination: write [text](../section/page.md)"
	}
	if external(dest) {
		return dest, ""
	}
	raw, frag, _ := strings.Cut(dest, "#")
	target, err := url.PathUnescape(raw)
	if err != nil {
		return dest, "link " + dest + " is not a valid address"
	}
	if target == "" {
		if to, ok := r.p.Doc.Renamed[frag]; ok {
			return "#" + to, ""
		}
		if frag != "" && !r.p.Doc.HasID(frag) {
			return dest, "link to #" + frag + ", but this page has no heading with that anchor" + r.suggest(r.p, frag)
		}
		return dest, ""
	}
	if strings.HasPrefix(target, "/") {
		return r.rooted(dest, target)
	}
	src := path.Join(path.Dir(r.p.Path), target)
	if src == ".." || strings.HasPrefix(src, "../") || !strings.HasPrefix(src, "content/") && src != "content" {
		return dest, "link " + dest + " points outside the content folder: link only to pages and files inside content/"
	}
	if strings.HasSuffix(strings.ToLower(target), ".md") {
		return r.page(dest, src, frag)
	}
	if u, ok := r.files[src]; ok {
		return u + fragment(frag), ""
	}
	for _, index := range []string{"index.md", "_index.md"} {
		if _, ok := r.s.BySource[path.Join(src, index)]; ok || r.s.unread[path.Join(src, index)] {
			return r.page(dest, path.Join(src, index), frag)
		}
	}
	return dest, "link to missing file " + target + ": check the name, or add the file beside the page (a page bundle)"
}

func (r resolver) page(dest, src, frag string) (string, string) {
	t, ok := r.s.BySource[src]
	if !ok {
		if r.s.unread[src] {
			return dest, "" // the page exists; its own error says what to fix
		}
		if r.drafts[src] {
			return dest, "link to " + src + ", which is a draft and not published: publish it (remove draft: true) or remove the link"
		}
		return dest, r.missing(src)
	}
	if to, ok := t.Doc.Renamed[frag]; ok {
		frag = to
	}
	if frag != "" && !t.Doc.HasID(frag) {
		return dest, "link to " + src + "#" + frag + ", but that page has no heading with that anchor" + r.suggest(t, frag)
	}
	return t.URL + fragment(frag), ""
}

// rooted checks a link written as a site path, such as /measures/improve-care/.
func (r resolver) rooted(dest, target string) (string, string) {
	if _, ok := r.s.Serves(target); ok || strings.HasPrefix(target, "/assets/") {
		return dest, ""
	}
	for _, f := range r.files {
		if f == target {
			return dest, ""
		}
	}
	if !strings.HasSuffix(target, "/") && path.Ext(target) == "" {
		if _, ok := r.s.Serves(target + "/"); ok {
			return dest, ""
		}
	}
	return dest, "link to " + target + ", which is not a page of this site: link to the Markdown file instead, such as ../guides/page.md"
}

func (r resolver) suggest(t *Page, frag string) string {
	var ids []string
	for _, h := range t.Doc.Headings() {
		ids = append(ids, h.ID)
	}
	if len(ids) == 0 {
		return ": it has no headings, so link to the page without #" + frag
	}
	return " (anchors there: #" + strings.Join(ids, ", #") + ")"
}

func fragment(f string) string {
	if f == "" {
		return ""
	}
	return "#" + f
}

// external reports destinations that leave the site: any scheme, a
// protocol-relative address, or an e-mail link.
func external(dest string) bool {
	if strings.HasPrefix(dest, "//") {
		return true
	}
	u, err := url.Parse(dest)
	return err == nil && u.Scheme != ""
}

// Links is re-exported for callers that inspect a page's links.
type Links = []markdown.Link
