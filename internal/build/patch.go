package build

import (
	"strings"
	"time"

	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/site"
)

// siteFor makes the site model for this build. When every changed file is an
// item that keeps its place (the usual edits: the body, the title or summary),
// the last good model is patched in place; otherwise it is built anew. The
// plan says which outputs the patch can have changed.
func (b *Incremental) siteFor(tree *content.Tree) (s *site.Site, plan patchPlan, errs diag.List) {
	if pages, ok := b.patchable(tree); ok {
		s = b.good.model.Site
		plan.dated = redated(s, pages)
		patch, errs := s.Replace(pages, b.drafts())
		if len(errs) > 0 {
			return nil, plan, errs
		}
		for _, p := range patch.Also {
			b.dirty[p] = true
		}
		switch {
		case patch.Moved:
		case patch.Shown:
			plan.sameDeps = true
		default:
			plan.own = map[string]bool{}
			for _, p := range pages {
				plan.own[strings.TrimPrefix(s.BySource[p.Path].URL, "/")+"index.html"] = true
			}
		}
		return s, plan, nil
	}
	opt := site.Options{Drafts: b.opt.Drafts, Now: b.opt.Now}
	if b.good != nil && b.good.model != nil && !b.settingsDirty {
		opt.Previous, opt.Changed = b.good.model.Site, b.dirty
	} else if b.relink != nil && b.good != nil && b.static == b.good.static {
		opt.Relink = b.relink
	}
	b.relink = nil
	s, errs = site.New(b.cfg, tree, opt)
	if len(errs) == 0 {
		s.Built = time.Now()
		if opt.Previous != nil {
			b.markRenamed(opt.Previous.Organisations, s)
		} else if b.good != nil && b.good.orgs != nil {
			b.markRenamed(b.good.orgs, s)
		}
	}
	return s, plan, errs
}

// patchPlan says which outputs a patched model can have changed besides the
// whole-site ones; the zero value, for a model built anew or one whose lists
// changed, means those whose pages changed or whose list of pages did.
type patchPlan struct {
	// own holds the output paths of the edited pages when only their bodies
	// changed: no other output shows what did.
	own map[string]bool
	// sameDeps is set when every output lists the same pages as before: those
	// showing an edited page are the ones to render again.
	sameDeps bool
	// dated is set when an edited page's date or review date changed: the
	// sitemap shows them. Otherwise a patch leaves it as it was.
	dated bool
}

// redated reports whether any of pages has another date or review date than
// the page of s it replaces.
func redated(s *site.Site, pages []*content.Page) bool {
	for _, p := range pages {
		old := s.BySource[p.Path]
		if !old.Date.Equal(p.Date) || !old.Reviewed.Equal(p.Reviewed) {
			return true
		}
	}
	return false
}

// markRenamed marks the pages of each organisation whose name changed as
// dirty, so that their outputs and search documents follow: an organisation
// takes its name from the first of its pages, so an edit to one page can
// rename it on all the others.
func (b *Incremental) markRenamed(prev []*site.Term, s *site.Site) {
	names := make(map[string]string, len(prev))
	for _, t := range prev {
		names[t.Slug] = t.Name
	}
	for _, t := range s.Organisations {
		if name, ok := names[t.Slug]; ok && name != t.Name {
			for _, p := range t.Pages() {
				b.dirty[p.Path] = true
			}
		}
	}
}

// patchable returns the new parses to swap in, if the edit allows a patch.
func (b *Incremental) patchable(tree *content.Tree) ([]*content.Page, bool) {
	if b.good == nil || b.good.model == nil || b.settingsDirty || b.layoutsDirty || len(b.dirty) == 0 ||
		resourceKey(tree.Static) != b.good.static {
		return nil, false
	}
	s := b.good.model.Site
	var pages []*content.Page
	for path := range b.dirty {
		c, old := b.pages[path], s.BySource[path]
		if c == nil || !c.ok || old == nil || old.Kind != content.Item || c.page.Draft && !b.opt.Drafts ||
			!site.SamePlace(old.Page, c.page) {
			return nil, false
		}
		pages = append(pages, c.page)
	}
	return pages, true
}

// drafts lists the unpublished pages, for messages about links to them.
func (b *Incremental) drafts() map[string]bool {
	d := map[string]bool{}
	if b.opt.Drafts {
		return d
	}
	for path, c := range b.pages {
		if c.ok && c.page.Draft {
			d[path] = true
		}
	}
	return d
}
