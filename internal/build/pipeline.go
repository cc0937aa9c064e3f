package build

import (
	"time"

	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/render"
	"github.com/nhsx/kb/internal/site"
)

// The one order of every build. kb build, kb check, kb serve and a build that
// keeps its index all go through the same stages, each depending only on
// what it names:
//
//  1. settings: site.yaml, topics.yaml, synonyms.txt (hashed; a change
//     re-reads every page and the theme)
//  2. theme: layouts and static files (hashed, file by file)
//  3. content: each Markdown file whose size, time or bytes changed is parsed
//     for its facts (front matter, links, headings, anchors), never kept as a
//     syntax tree; kb build restores the facts of a file whose bytes are
//     those its records were made from (content.Record) rather than parse it
//  4. site model: patched in place for an edit that keeps its page's place,
//     else made anew from the facts, reusing the related items edits cannot
//     reach
//  5. jobs: every output, and those of them to render, from the pages each
//     shows (render.Job.Shows) and the layouts that changed
//  6. render: each job renders its output (an item parses its page, renders
//     it with links resolved, and hands it to the search index), and the
//     output goes to the preview's memory or to the staging folder
//
// A full build is this with an empty cache: every job is picked.

// Build brings the site up to date with the files on disk, in memory, for
// the preview server. hints are files known to have changed (from the
// watcher): they are re-read even when their size and mtime look unchanged,
// since mtimes can be coarser than edits. On error the previous outputs stay
// as they were and the error lists every problem as path:line:col: message.
func (b *Incremental) Build(hints []string) (*Update, error) {
	start := time.Now()
	m, plan, err := b.load(hints)
	if err != nil {
		return nil, err
	}
	p := b.pick(m, plan)
	if err := b.loadAssets(); err != nil {
		return nil, err
	}
	up, err := b.render(m, p)
	if err != nil {
		return nil, err
	}
	b.searchChanges(up)
	b.commit(up, p.signatures(), b.static)
	up.Elapsed = time.Since(start)
	return up, nil
}

// load runs stages 1 to 4 and makes the renderer: the model of the site as
// the files on disk now have it. Problems of every stage are reported
// together, as far as the earlier ones let the later ones run.
func (b *Incremental) load(hints []string) (*Model, patchPlan, error) {
	var errs diag.List
	b.loadSettings()
	errs.Append(b.cfgErrs)
	b.loadTheme()
	errs.Append(b.themeErrs)
	tree := b.loadContent(hints, &errs)
	if b.stopped() {
		return nil, patchPlan{}, b.stop.Err()
	}
	b.static = resourceKey(tree.Static)
	if len(errs) > 0 {
		// Links and URLs are still checked, across the pages that could be
		// read, so that one pass shows every problem.
		_, serrs := site.New(b.cfg, tree, site.Options{Drafts: b.opt.Drafts, Now: b.opt.Now})
		errs.Append(serrs)
		loadAssessment(b.opt, b.cfg, &errs)
		return nil, patchPlan{}, errs.Err()
	}
	s, plan, serrs := b.siteFor(tree)
	errs.Append(serrs)
	set := loadAssessment(b.opt, b.cfg, &errs)
	if err := errs.Err(); err != nil {
		return nil, plan, err
	}
	r := render.New(s, b.theme, b.conv)
	r.Dev = b.dev
	r.Extra = assessJobs(set, s, b.theme, r)
	m := &Model{Options: b.opt, Config: b.cfg, Site: s, Theme: b.theme, Renderer: r, Conv: b.conv, Synonyms: b.synonyms, Assessment: set}
	return m, plan, nil
}

// loadAssets reads the theme's static files when they changed: what the
// outputs copy rather than render (kb check and Load do without them).
func (b *Incremental) loadAssets() error {
	if !b.assetsDirty && b.assets != nil {
		return nil
	}
	assets, err := render.Assets(b.theme, b.opt.ThemeDir)
	if err != nil {
		return err
	}
	b.assets = assets
	return nil
}

// picked is stage 5's result: every job of the site, those to run, and each
// output's signature (the pages it shows) for the next build to compare.
type picked struct {
	jobs, run []render.Job
	// sigs is nil after a full pick, which needs none: signatures (see
	// signatures) are made once the site is rendered, not held through it.
	sigs map[string]uint64
	full bool
}

// signatures returns each output's signature.
func (p *picked) signatures() map[string]uint64 {
	if p.sigs == nil {
		p.sigs = signatures(p.jobs)
	}
	return p.sigs
}

// signatures hashes each job's pages (see depsOf); a job that is a later
// page of a list also counts the items on the list's other later pages
// (see pagedRest).
func signatures(jobs []render.Job) map[string]uint64 {
	sigs := make(map[string]uint64, len(jobs))
	rest := pagedRest(jobs)
	var buf []*site.Page
	for i := range jobs {
		j := &jobs[i]
		buf = j.Shows(buf)
		sig := depsOf(buf)
		if n, ok := rest[listOf(j.Path)]; ok {
			sig = sig*31 + uint64(n)
		}
		sigs[j.Path] = sig
	}
	return sigs
}

// pick chooses the jobs whose output may have changed: a job runs when one
// of its pages changed or its list of pages did, or, after a patch, as the
// plan says. With nothing built before, every job runs.
func (b *Incremental) pick(m *Model, plan patchPlan) picked {
	jobs := m.Renderer.Jobs()
	full := b.good == nil || b.settingsDirty || b.layoutsDirty && b.dirtyLayouts == nil || b.pageDirty()
	p := picked{jobs: jobs, full: full}
	dirty := b.dirtyPages(m.Site)
	if plan.own != nil || plan.sameDeps { // patched: the same outputs show the same pages
		p.sigs = b.good.sigs
		p.run = b.patchedRun(m, jobs, plan, dirty)
		return p
	}
	if full {
		p.run = jobs // the same jobs: a copy would be held through the render
		return p
	}
	p.sigs = signatures(jobs)
	var buf []*site.Page
	for i := range jobs {
		j := &jobs[i]
		buf = j.Shows(buf)
		if old, had := b.goodSig(j.Path); !had || buf == nil || dirty.any(buf) || old != p.sigs[j.Path] || b.dirtyLayouts[j.Layout] {
			p.run = append(p.run, *j)
		}
	}
	return p
}

// patchedRun picks the jobs a patch can have changed. When only the edited
// pages' bodies changed, that is their own outputs: nothing else shows a
// body. Otherwise it is every output showing an edited page, and those that
// list no pages (the home page, the indexes, the feed), except the sitemap
// while no date changed. The self-assessment's pages run every time, as
// their statements are read on every build.
func (b *Incremental) patchedRun(m *Model, jobs []render.Job, plan patchPlan, dirty pageSet) []render.Job {
	always := make(map[string]bool, len(m.Renderer.Extra))
	for _, j := range m.Renderer.Extra {
		always[j.Path] = true
	}
	sitemap := plan.dated || !b.sameOutputs(jobs) // else it is as it was
	var run []render.Job
	var buf []*site.Page
	for i := range jobs {
		j := &jobs[i]
		buf = j.Shows(buf)
		var ok bool
		switch {
		case always[j.Path], plan.own[j.Path]:
			ok = true
		case j.Path == render.SitemapPath:
			ok = sitemap
		case buf == nil:
			ok = plan.own == nil
		default:
			ok = plan.sameDeps && dirty.any(buf)
		}
		if ok {
			run = append(run, *j)
		}
	}
	return run
}

// sameOutputs reports whether jobs make exactly the outputs the last good
// build's did, the list the sitemap is made from.
func (b *Incremental) sameOutputs(jobs []render.Job) bool {
	if len(jobs) != len(b.good.sigs) {
		return false
	}
	for _, j := range jobs {
		if _, ok := b.good.sigs[j.Path]; !ok {
			return false
		}
	}
	return true
}
