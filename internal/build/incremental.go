package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/markdown"
	"github.com/nhsx/kb/internal/par"
	"github.com/nhsx/kb/internal/publish"
	"github.com/nhsx/kb/internal/render"
	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/search/analysis"
	"github.com/nhsx/kb/internal/site"
	"github.com/nhsx/kb/internal/theme"
)

// Incremental is a build kept alive between edits, for the preview server. It
// re-parses only the Markdown files that changed and re-renders only the
// outputs those pages reach, which keeps a one-page edit fast on a large site.
// One goroutine runs its builds; it is not safe for concurrent use.
type Incremental struct {
	opt  Options
	dev  bool
	conv *markdown.Converter
	// stop, when set, is kb build's context: once it is done (Ctrl-C,
	// SIGTERM), no more files are read and parsed, and load reports it,
	// rather than the first pass running on over every page.
	stop context.Context

	pages map[string]*parsed // content path → that file's last parse
	// Fingerprints of the files read whole on every build: they are few and
	// small, and hashing them is cheaper than trusting coarse mtimes.
	settingsSum            [32]byte
	layoutSums, staticSums map[string][32]byte // each theme file, by path
	cfg                    *config.Config
	// vocab is cfg as parses check against it, sharing one copy of each
	// front-matter value pages repeat (see content.Strings).
	vocab     content.Vocabulary
	cfgErrs   diag.List
	synonyms  *analysis.Synonyms
	theme     *theme.Theme
	themeErrs diag.List
	assets    []render.Output
	static    string // resourceKey of content/'s files outside bundles

	good *goodBuild // the last build that succeeded; nil before the first
	// What changed since the last good build: a failed build keeps it, so
	// the build after the fix re-renders everything the edits reached.
	dirty                                    map[string]bool
	settingsDirty, layoutsDirty, assetsDirty bool
	// known are the files the last kb build read, by content path, when this
	// build starts from its records on disk (see state.go); nil after.
	known map[string]fileRecord
	// factsOK is set while the settings are those the known files' facts
	// were recorded with (see recorded); stamp is when the build that
	// recorded them began (see trusted).
	factsOK bool
	stamp   int64
	// relink names the pages whose links the site model must check, when
	// the records show nothing else can have broken (see relinkOnly).
	relink map[string]bool
	// dirtyLayouts names the changed layouts when only page layouts changed;
	// with layoutsDirty and no names, a shared one (base, a partial) did.
	dirtyLayouts map[string]bool

	walk *walked // the last walk of content/ (see hints.go)
	// walks counts the builds that walked content/ rather than trust the
	// watcher's hints, for tests.
	walks int
}

// goodBuild is what the next build compares itself with.
type goodBuild struct {
	model *Model
	outs  map[string]render.Output
	sigs  map[string]uint64 // output path → hash of its Deps' source paths
	urls  map[string]string // source path → URL
	kinds map[string]content.Kind
	// static lists content/'s files outside bundles: a change to them can
	// break links in pages that did not change.
	static string
	// orgs are the organisations' names, when the model is not kept (a
	// build restored from disk): a rename reaches pages that did not change.
	orgs []*site.Term
}

// parsed is one Markdown file as last read.
type parsed struct {
	size   int64
	mod    int64 // see content.ModTime
	change int64 // see content.ChangeTime
	sum    [32]byte
	res    string // names and sizes of the bundle's resources
	page   *content.Page
	errs   diag.List
	ok     bool
}

// Update says what one build changed, for the server to reload browsers and
// the search index to follow.
type Update struct {
	Model *Model
	// Outputs is the whole site; the map is never changed once returned, so
	// the server may serve from it while the next build runs.
	Outputs  map[string]render.Output
	Changed  []string     // output paths new or different since the last good build
	Removed  []string     // output paths that build had and this one has not
	Upserted []*site.Page // pages added or changed, whose search documents need writing
	Deleted  []string     // URLs of pages gone (deleted, renamed, made draft)
	Rendered int          // how many outputs were rendered
	Full     bool         // everything was re-rendered (first build, settings, layouts, a non-item page)
	Elapsed  time.Duration
	// docs are the search documents the render made of the pages it
	// rendered, an edit's build only (see Documents).
	docs map[*site.Page]search.Page
}

// NewIncremental prepares an incremental build; dev marks the outputs for the
// preview server (the reload script). Nothing is read until Build.
func NewIncremental(opt Options, dev bool) *Incremental {
	opt.Defaults()
	return &Incremental{opt: opt, dev: dev, conv: markdown.New(), pages: map[string]*parsed{}, dirty: map[string]bool{}}
}

// Options returns the options the build runs with, defaults filled in.
func (b *Incremental) Options() Options { return b.opt }

// forced turns watcher paths into the content paths to re-read.
func (b *Incremental) forced(hints []string) map[string]bool {
	out := make(map[string]bool, len(hints))
	src, _ := filepath.Abs(b.opt.Source)
	for _, h := range hints {
		if abs, err := filepath.Abs(h); err == nil {
			if rel, err := filepath.Rel(src, abs); err == nil && filepath.IsLocal(rel) {
				out[filepath.ToSlash(rel)] = true
			}
		}
	}
	return out
}

// loadSettings re-reads site.yaml and topics.yaml when either changed. A
// change re-parses every page (topics are checked against topics.yaml) and
// reloads the theme, whose functions close over the settings.
func (b *Incremental) loadSettings() {
	h := sha256.New()
	for _, name := range []string{config.SettingsFile, config.TopicsFile, analysis.SynonymsFile} {
		data, _ := os.ReadFile(filepath.Join(b.opt.Source, name))
		h.Write([]byte(name + "\x00"))
		h.Write(data)
		h.Write([]byte{0})
	}
	sum := [32]byte(h.Sum(nil))
	if b.cfg != nil && sum == b.settingsSum {
		return
	}
	// Restored from the last kb build's records: the same settings are read
	// for this process, and change nothing.
	restored := b.cfg == nil && b.good != nil && sum == b.settingsSum
	b.settingsSum = sum
	b.cfg, b.cfgErrs = config.Load(b.opt.Source)
	b.vocab = content.Interning(b.cfg, &content.Strings{})
	b.synonyms, b.cfgErrs = readSynonyms(b.opt.Source, b.cfgErrs)
	overrideBaseURL(b.cfg, b.opt.BaseURL, &b.cfgErrs)
	b.theme = nil
	if restored {
		return
	}
	b.pages = map[string]*parsed{}
	b.factsOK = false // decoded with other settings
	b.settingsDirty = true
}

// loadTheme reloads the layouts when any of them changed, and notes a change
// to the static files (CSS, JavaScript) so that only the assets are re-read.
func (b *Incremental) loadTheme() {
	layouts := fileSums(filepath.Join(b.opt.ThemeDir, "layouts"), filepath.Join(b.opt.Source, "layouts"))
	static := fileSums(filepath.Join(b.opt.ThemeDir, "static"), filepath.Join(b.opt.Source, "static"))
	if !maps.Equal(static, b.staticSums) || b.assets == nil {
		b.staticSums = static
		b.assetsDirty = true
	}
	changed, shared := diffSums(b.layoutSums, layouts)
	if b.theme != nil && len(changed) == 0 {
		return
	}
	if b.theme == nil && b.good != nil && !b.settingsDirty && len(changed) == 0 && b.layoutSums != nil {
		// restored from the last kb build's records, with the same layouts
		b.theme, b.themeErrs = LoadTheme(b.opt, b.cfg)
		return
	}
	b.layoutSums = layouts
	b.theme, b.themeErrs = LoadTheme(b.opt, b.cfg)
	if b.layoutsDirty && b.dirtyLayouts == nil || shared || b.good == nil {
		b.dirtyLayouts = nil // everything, as a shared layout changed
	} else {
		if b.dirtyLayouts == nil {
			b.dirtyLayouts = map[string]bool{}
		}
		for _, name := range changed {
			b.dirtyLayouts[name] = true
		}
	}
	b.layoutsDirty = true
	b.assetsDirty = true
}

// diffSums lists the layouts (by name, such as single) whose files changed,
// and whether a shared one (base.html, a partial) did, which every page uses.
func diffSums(old, cur map[string][32]byte) (changed []string, shared bool) {
	for _, m := range []map[string][32]byte{old, cur} {
		for file := range m {
			if old[file] == cur[file] {
				continue
			}
			name := strings.TrimSuffix(filepath.ToSlash(filepath.Base(file)), ".html")
			dir := filepath.Base(filepath.Dir(file))
			if name == "base" || dir == "partials" || !strings.HasSuffix(file, ".html") {
				shared = true
			}
			changed = append(changed, name)
		}
	}
	return changed, shared
}

// fileSums hashes each file below the folders (a theme's and the site's
// overrides), by path.
func fileSums(dirs ...string) map[string][32]byte {
	sums := map[string][32]byte{}
	for _, dir := range dirs {
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				var data []byte
				// A named pipe would block the read for ever; render.Assets
				// reports it.
				if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
					data, _ = os.ReadFile(p)
				}
				sums[p] = sha256.Sum256(data)
			}
			return nil
		})
	}
	return sums
}

// loadContent lists content/ (walking it unless the hints name only pages
// written, see scan) and re-parses the files that are new, hinted, or whose
// size or mtime changed; a file whose bytes turn out the same (a touch, a
// chmod) is not counted as changed.
func (b *Incremental) loadContent(hints []string, errs *diag.List) *content.Tree {
	files, static := b.scan(hints, errs)
	forced := b.forced(hints)
	var reread []*content.Page
	known := 0 // files parsed before: when all are, none was deleted
	for _, f := range files {
		c := b.pages[f.Path]
		if c != nil {
			known++
		}
		size, mod, err := f.FileSize, f.FileTime, error(nil)
		if mod == 0 {
			var fi os.FileInfo
			if fi, err = os.Stat(f.File); err == nil {
				size, mod = fi.Size(), content.ModTime(fi)
			}
		}
		if c == nil || err != nil || forced[f.Path] || size != c.size || mod != c.mod {
			reread = append(reread, f)
			continue
		}
		b.syncResources(c, f)
	}
	if known < len(b.pages) {
		seen := make(map[string]bool, len(files))
		for _, f := range files {
			seen[f.Path] = true
		}
		for p := range b.pages {
			if !seen[p] {
				delete(b.pages, p)
				b.dirty[p] = true
			}
		}
	}
	b.parse(reread)
	if b.stopped() {
		return &content.Tree{}
	}
	tree := &content.Tree{Static: static, Pages: make([]*content.Page, 0, len(files))}
	for _, f := range files {
		c := b.pages[f.Path]
		errs.Append(c.errs)
		if c.ok {
			tree.Pages = append(tree.Pages, c.page)
		} else {
			tree.Unread = append(tree.Unread, f)
		}
	}
	return tree
}

// stopped reports whether the build was asked to stop.
func (b *Incremental) stopped() bool { return b.stop != nil && b.stop.Err() != nil }

// syncResources gives a cached page the bundle files found now: adding or
// removing a download changes the page without changing its Markdown.
func (b *Incremental) syncResources(c *parsed, fresh *content.Page) {
	res := resourceKey(fresh.Resources)
	if res == c.res {
		return
	}
	c.res = res
	if c.page != nil {
		cp := *c.page
		cp.Resources = fresh.Resources
		c.page = &cp
	}
	b.dirty[fresh.Path] = true
}

func resourceKey(rs []content.Resource) string {
	var buf bytes.Buffer
	for _, r := range rs {
		buf.WriteString(r.Name)
		buf.WriteByte(0)
		buf.WriteString(strconv.FormatInt(r.Size, 10))
		buf.WriteByte(0)
	}
	return buf.String()
}

// parse reads files in parallel and records those whose bytes changed.
func (b *Incremental) parse(files []*content.Page) {
	results := make([]*parsed, len(files))
	// A first parse makes every file's in one array: the build keeps them
	// all to its end, and each object it keeps is one more for the
	// collector to find on every cycle. A later one (the preview's, after
	// an edit) makes few, each on its own, so that none keeps a whole
	// array alive.
	var made []parsed
	if len(b.pages) == 0 {
		made = make([]parsed, len(files))
	}
	// With no records of an earlier build every file is read, so the
	// kernel may as well start on them ahead; with records most are not.
	started, stop := func() {}, func() {}
	if made != nil && b.known == nil {
		started, stop = content.ReadAhead(len(files), func(i int, ask func(string)) { ask(files[i].SourceFile()) })
	}
	par.ForIO(len(files), func(i int) {
		started()
		if b.stopped() {
			return
		}
		var slot *parsed
		if made != nil {
			slot = &made[i]
		}
		results[i] = b.parseOne(files[i], b.pages[files[i].Path], slot)
	})
	stop()
	if b.stopped() {
		return // the build ends here: what was parsed is of no use
	}
	for i, f := range files {
		if results[i] != b.pages[f.Path] && !b.kept(f.Path, results[i]) {
			b.dirty[f.Path] = true
		}
		b.pages[f.Path] = results[i]
	}
	// A file the last kb build read and that is gone now was deleted.
	for path := range b.known {
		if _, ok := b.pages[path]; !ok {
			b.dirty[path] = true
		}
	}
	b.relink = b.relinkOnly()
	b.known, b.factsOK = nil, false
}

// parseOne returns old when the file's bytes are unchanged, else a new parse
// (or the facts the last kb build recorded, see trusted), made in slot when
// it is not nil.
func (b *Incremental) parseOne(f *content.Page, old, slot *parsed) *parsed {
	c := slot
	if c == nil && old == nil {
		c = new(parsed)
	}
	if old == nil && b.trusted(f, c) {
		return c
	}
	fi, statErr := os.Stat(f.File)
	var raw []byte
	readErr := errors.New("not an ordinary file") // a named pipe would block; Parse reports it
	if statErr == nil && fi.Mode().IsRegular() {
		raw, readErr = os.ReadFile(f.File)
	}
	sum := sha256.Sum256(raw)
	res := resourceKey(f.Resources)
	if old != nil && statErr == nil && readErr == nil && sum == old.sum && res == old.res {
		old.size, old.mod, old.change = fi.Size(), content.ModTime(fi), content.ChangeTime(fi)
		return old
	}
	if c == nil {
		c = new(parsed)
	}
	*c = parsed{sum: sum, res: res, page: f}
	if statErr == nil {
		c.size, c.mod, c.change = fi.Size(), content.ModTime(fi), content.ChangeTime(fi)
	}
	if r := b.recorded(f.Path, sum, res); r != nil && statErr == nil && readErr == nil {
		r.Share(b.vocab)
		content.Restore(f, sum, b.conv, r)
		c.ok = true
		return c
	}
	if readErr != nil {
		c.ok = content.Parse(f, b.conv, b.vocab, &c.errs) // reports why it cannot be read
	} else {
		c.ok = content.ParseRaw(f, raw, sum, b.conv, b.vocab, &c.errs)
	}
	return c
}

// render runs the jobs picked and assembles the whole site in memory, for
// the preview server.
func (b *Incremental) render(m *Model, p picked) (*Update, error) {
	var docs *renderedDocs
	if !p.full {
		docs = &renderedDocs{want: b.dirty, pages: map[*site.Page]search.Page{}}
		m.Renderer.Index = docs
	}
	outs, errs := render.Run(context.Background(), p.run)
	m.Renderer.Index = nil
	if err := errs.Err(); err != nil {
		return nil, err
	}
	up := &Update{Model: m, Full: p.full, Rendered: len(p.run)}
	if docs != nil {
		up.docs = docs.pages
	}
	var err error
	if up.Outputs, err = b.assemble(p.jobs, outs, render.Files(m.Site)); err != nil {
		return nil, err
	}
	b.diff(up)
	return up, nil
}

// pageDirty reports a changed page that is not an item: the home page, a
// section or measure introduction, or a plain page, which the footer lists on
// every page. Those are rare edits, so everything is re-rendered for them.
func (b *Incremental) pageDirty() bool {
	for p := range b.dirty {
		if c := b.pages[p]; c != nil && c.ok && c.page.Kind != content.Item {
			return true
		}
		if b.good != nil {
			if k, ok := b.good.kinds[p]; ok && k != content.Item {
				return true
			}
		}
	}
	return false
}

// depsOf hashes the source paths of a job's pages: a list whose pages are
// the same, in the same order, and unchanged, renders the same (whether one
// of them changed, pick asks the pageSet).
//
// The hash is FNV-1a, the same in every process, so that signatures can be
// kept on disk for the next kb build (see state.go).
func depsOf(deps []*site.Page) uint64 {
	h := fnv.New64a()
	for _, p := range deps {
		h.Write([]byte(p.Path))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// pageSet is the pages an edit changed, looked up by pointer: they are
// checked against every page of every output, so this must be quick for the
// usual one or two, and not slow for thousands (a branch checked out).
type pageSet struct {
	few  []*site.Page
	many map[*site.Page]bool
}

func (ps pageSet) has(p *site.Page) bool {
	if ps.many != nil {
		return ps.many[p]
	}
	for _, q := range ps.few {
		if q == p {
			return true
		}
	}
	return false
}

func (ps pageSet) any(deps []*site.Page) bool {
	for _, p := range deps {
		if ps.has(p) {
			return true
		}
	}
	return false
}

// dirtyPages returns the pages of s changed since the last good build.
func (b *Incremental) dirtyPages(s *site.Site) pageSet {
	var ps pageSet
	for path := range b.dirty {
		if p := s.BySource[path]; p != nil {
			ps.few = append(ps.few, p)
		}
	}
	if len(ps.few) > 16 {
		ps.many = make(map[*site.Page]bool, len(ps.few))
		for _, p := range ps.few {
			ps.many[p] = true
		}
	}
	return ps
}

// pagedRest counts, for each list of more than one page, the items on its
// pages after the first, by the first page's output path. Every page of a
// list shows the list's length and page count, so each must be rendered again
// when the length changes, even if its own items did not.
func pagedRest(jobs []render.Job) map[string]int {
	rest := map[string]int{}
	var buf []*site.Page
	for i := range jobs {
		if l := listOf(jobs[i].Path); l != jobs[i].Path {
			buf = jobs[i].Shows(buf)
			rest[l] += len(buf)
		}
	}
	return rest
}

// listOf returns the first page of the paged list an output path is a later
// page of (guides/page/3/index.html → guides/index.html), else the path.
func listOf(path string) string {
	dir, ok := strings.CutSuffix(path, "/index.html")
	if !ok {
		return path
	}
	n := strings.TrimRight(dir, "0123456789")
	base, ok := strings.CutSuffix(n, "page/")
	if !ok || len(n) == len(dir) || base != "" && !strings.HasSuffix(base, "/") {
		return path
	}
	return base + "index.html"
}

func (b *Incremental) goodSig(path string) (uint64, bool) {
	if b.good == nil {
		return 0, false
	}
	s, ok := b.good.sigs[path]
	return s, ok
}

// assemble makes the new output map: fresh renders, then the last good
// build's bytes for jobs not re-run, then assets and content files.
func (b *Incremental) assemble(jobs []render.Job, fresh []render.Output, files []render.Output) (map[string]render.Output, error) {
	all := make(map[string]render.Output, len(jobs)+len(b.assets)+len(files))
	if err := distinct(jobs, publish.Dedupe(b.assets), files); err != nil {
		return nil, err
	}
	for _, j := range jobs {
		if b.good != nil {
			if o, ok := b.good.outs[j.Path]; ok {
				all[j.Path] = o
			}
		}
	}
	for _, o := range fresh {
		all[o.Path] = o
	}
	for _, o := range publish.Dedupe(b.assets) {
		all[o.Path] = o
	}
	for _, o := range files {
		all[o.Path] = o
	}
	return all, nil
}

// distinct refuses two outputs for one path, as the staging folder does for
// kb build: the site model reports every collision content can cause, so
// one here is kb's own bug, and the preview must not hide it.
func distinct(jobs []render.Job, assets, files []render.Output) error {
	seen := make(map[string]bool, len(jobs)+len(assets)+len(files))
	claim := func(p string) error {
		if seen[p] {
			return fmt.Errorf("internal error: two outputs for %s; please report this as a kb bug", p)
		}
		seen[p] = true
		return nil
	}
	for _, j := range jobs {
		if err := claim(j.Path); err != nil {
			return err
		}
	}
	for _, o := range append(slices.Clip(assets), files...) {
		if err := claim(o.Path); err != nil {
			return err
		}
	}
	return nil
}

// diff fills in the outputs changed and removed since the last good build.
func (b *Incremental) diff(up *Update) {
	var old map[string]render.Output
	if b.good != nil {
		old = b.good.outs
	}
	for p, o := range up.Outputs {
		prev, ok := old[p]
		if !ok || prev.File != o.File || !bytes.Equal(prev.Data, o.Data) {
			up.Changed = append(up.Changed, p)
		}
	}
	for p := range old {
		if _, ok := up.Outputs[p]; !ok {
			up.Removed = append(up.Removed, p)
		}
	}
	sort.Strings(up.Changed)
	sort.Strings(up.Removed)
}

// searchChanges lists the pages whose search documents need writing and the
// URLs whose documents need deleting.
func (b *Incremental) searchChanges(up *Update) {
	s := up.Model.Site
	if b.good != nil && b.good.model != nil && s == b.good.model.Site { // patched: every page keeps its URL
		for src := range b.dirty {
			if p := s.BySource[src]; p != nil {
				up.Upserted = append(up.Upserted, p)
			}
		}
		sort.Slice(up.Upserted, func(i, j int) bool { return up.Upserted[i].Path < up.Upserted[j].Path })
		return
	}
	for src, p := range s.BySource {
		if b.good == nil || b.settingsDirty || b.dirty[src] || b.good.urls[src] != p.URL {
			up.Upserted = append(up.Upserted, p)
		}
	}
	sort.Slice(up.Upserted, func(i, j int) bool { return up.Upserted[i].Path < up.Upserted[j].Path })
	if b.good == nil {
		return
	}
	for src, u := range b.good.urls {
		if p := s.BySource[src]; p == nil || p.URL != u {
			up.Deleted = append(up.Deleted, u)
		}
	}
	sort.Strings(up.Deleted)
}

// commit makes this build the one the next compares with.
func (b *Incremental) commit(up *Update, sigs map[string]uint64, static string) {
	g := &goodBuild{model: up.Model, outs: up.Outputs, sigs: sigs, static: static}
	if b.good != nil && b.good.model != nil && up.Model.Site == b.good.model.Site { // patched: the same pages at the same URLs
		g.urls, g.kinds = b.good.urls, b.good.kinds
	} else {
		g.urls, g.kinds = make(map[string]string, len(up.Model.Site.BySource)), map[string]content.Kind{}
		for src, p := range up.Model.Site.BySource {
			g.urls[src] = p.URL
			g.kinds[src] = p.Kind
		}
	}
	b.good = g
	b.dirty = map[string]bool{}
	b.settingsDirty, b.layoutsDirty, b.assetsDirty = false, false, false
	b.dirtyLayouts = nil
}
