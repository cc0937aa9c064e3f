// Package build is the one place that knows the order of a build: read the
// settings and content, build the site model, load the theme, render, and
// publish. The preview server and the search index use the same steps.
package build

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	kb "github.com/nhsx/kb"
	"github.com/nhsx/kb/internal/assess"
	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/markdown"
	"github.com/nhsx/kb/internal/publish"
	"github.com/nhsx/kb/internal/render"
	"github.com/nhsx/kb/internal/search/analysis"
	"github.com/nhsx/kb/internal/site"
	"github.com/nhsx/kb/internal/theme"
)

// Options say what to build and where.
type Options struct {
	Source   string // the knowledge base folder: content/, site.yaml, topics.yaml
	Out      string // where the site goes (public/)
	ThemeDir string // the theme folder; default: <source>/themes/default
	Drafts   bool
	BaseURL  string // overrides site.yaml's base_url
	// IndexDir is where the search index is written; "" skips it.
	IndexDir string
	// Cache is the folder where a build keeps its records for the next one
	// (relative paths are inside Source, as IndexDir's): with them, a build
	// after an edit renders only what the edit reaches and writes only the
	// files that changed, in place. "" keeps none: every build is full.
	Cache string
	// Now is the date review and accessed dates are checked against; zero
	// means today. Tests set it.
	Now time.Time

	// trustRecent trusts a recorded file's size and times however shortly
	// before the last build it changed (see settle): for tests, whose files
	// all change moments before their builds.
	trustRecent bool
}

// Model is a loaded, checked site ready to render.
type Model struct {
	Options  Options
	Config   *config.Config
	Site     *site.Site
	Theme    *theme.Theme
	Renderer *render.Renderer
	Conv     *markdown.Converter
	// Synonyms is the site's NHS vocabulary (synonyms.txt), which search
	// uses; it is read and checked with the content.
	Synonyms *analysis.Synonyms
	// Assessment is the self-assessment's statements; nil when the site
	// has none (content/self-assessment/).
	Assessment *assess.Set
}

// Stats summarise a build for its one-line report.
type Stats struct {
	Count
	Files, Measures, Topics, Organisations int
	// Indexed counts the pages the search index took in anew (or dropped);
	// the others were kept from the previous build's index. -1: no index.
	Indexed int
	// Rendered counts the outputs rendered, and Written those whose bytes
	// changed and were written in place, when the build brought the last
	// build's folder up to date (InPlace); a full build renders them all.
	Rendered, Written int
	InPlace           bool
	Elapsed           time.Duration
}

func (s Stats) String() string {
	out := fmt.Sprintf("%s, %d files in all (%d measures, %d topics, %d organisations",
		s.Count, s.Files, s.Measures, s.Topics, s.Organisations)
	if s.Indexed >= 0 {
		out += fmt.Sprintf("; %d indexed for search", s.Indexed)
	}
	if s.InPlace {
		out += fmt.Sprintf("; %d rendered, %d written or removed in place", s.Rendered, s.Written)
	}
	return out + ") in " + s.Elapsed.Round(time.Millisecond).String()
}

// Defaults fills in the theme folder.
func (o *Options) Defaults() {
	if o.Source == "" {
		o.Source = "."
	}
	if o.ThemeDir == "" {
		o.ThemeDir = filepath.Join(o.Source, "themes", "default")
	}
}

// Load reads and checks everything a build needs, reporting every problem:
// the stages of every build up to the renderer (see pipeline.go), from an
// empty cache.
func Load(opt Options) (*Model, error) {
	opt.Defaults()
	m, _, err := NewIncremental(opt, false).load(nil)
	return m, err
}

// LoadFrame loads the site without its items: settings, theme, sections and
// plain pages, which give the header, navigation and footer (see
// content.LoadFrame). It is for the Netlify search function, whose only page
// is the search results, so that its cold start and memory do not grow with
// the number of items.
func LoadFrame(opt Options) (*Model, error) {
	opt.Defaults()
	var errs diag.List
	cfg, cerrs := config.Load(opt.Source)
	errs.Append(cerrs)
	overrideBaseURL(cfg, opt.BaseURL, &errs)
	conv := markdown.New()
	tree, lerrs := content.LoadFrame(opt.Source, conv, cfg)
	errs.Append(lerrs)
	s, serrs := site.New(cfg, tree, site.Options{Drafts: opt.Drafts, Now: opt.Now})
	errs.Append(serrs)
	set := loadAssessment(opt, cfg, &errs)
	th, terrs := LoadTheme(opt, cfg)
	errs.Append(terrs)
	syn, errs := readSynonyms(opt.Source, errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	s.Built = time.Now()
	r := render.New(s, th, conv)
	r.Extra = assessJobs(set, s, th, r)
	return &Model{Options: opt, Config: cfg, Site: s, Theme: th, Conv: conv, Renderer: r, Synonyms: syn, Assessment: set}, nil
}

// overrideBaseURL puts the base URL given to the build in place of
// site.yaml's, if it is a web address.
func overrideBaseURL(cfg *config.Config, base string, errs *diag.List) {
	if base == "" {
		return
	}
	if why := config.CheckBaseURL(base); why != "" {
		errs.Addf(diag.Pos{File: "--base-url"}, "%s", config.BaseURLError("the base URL", base, why))
		return
	}
	cfg.BaseURL = base
}

// readSynonyms reads the site's vocabulary, adding its problems to errs.
func readSynonyms(source string, errs diag.List) (*analysis.Synonyms, diag.List) {
	syn, err := analysis.ReadSynonyms(source)
	var list diag.List
	switch {
	case errors.As(err, &list):
		errs.Append(list)
	case err != nil:
		errs.Addf(diag.Pos{File: analysis.SynonymsFile}, "%v", err)
	}
	return syn, errs
}

// LoadTheme loads the theme's layouts, then the site's own layouts/ folder over
// them. Without a theme folder on disk the embedded default is used.
func LoadTheme(opt Options, cfg *config.Config) (*theme.Theme, diag.List) {
	var layers []theme.Layer
	if dirExists(filepath.Join(opt.ThemeDir, "layouts")) {
		name := filepath.ToSlash(opt.ThemeDir)
		if rel, err := filepath.Rel(opt.Source, opt.ThemeDir); err == nil && filepath.IsLocal(rel) {
			name = filepath.ToSlash(rel)
		}
		layers = append(layers, theme.Layer{Name: name + "/layouts",
			Layouts: os.DirFS(filepath.Join(opt.ThemeDir, "layouts")), Static: staticFS(filepath.Join(opt.ThemeDir, "static")), StaticName: name + "/static"})
	} else {
		layouts, _ := fs.Sub(kb.DefaultTheme, "themes/default/layouts")
		static, _ := fs.Sub(kb.DefaultTheme, "themes/default/static")
		layers = append(layers, theme.Layer{Name: "themes/default/layouts", Layouts: layouts, Static: static, StaticName: "themes/default/static"})
	}
	if over := filepath.Join(opt.Source, "layouts"); dirExists(over) {
		layers = append(layers, theme.Layer{Name: "layouts", Layouts: os.DirFS(over)})
	}
	if over := filepath.Join(opt.Source, "static"); dirExists(over) {
		layers = append(layers, theme.Layer{Name: "static", Static: staticFS(over), StaticName: "static"})
	}
	return theme.Load(render.Funcs(cfg), layers...)
}

// staticFS opens a static folder so that a symbolic link in it is followed
// only to a file inside it: os.Root refuses a path that escapes, where
// os.DirFS would publish whatever a link points at, .git/config included.
func staticFS(dir string) fs.FS {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return os.DirFS(dir) // missing: walking it reports that
	}
	return root.FS()
}

func dirExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// Render produces every output of the model in memory: pages, assets and
// content files.
func (m *Model) Render() ([]render.Output, error) {
	outs, errs := m.Renderer.All()
	if err := errs.Err(); err != nil {
		return nil, err
	}
	extra, err := m.extras()
	if err != nil {
		return nil, err
	}
	return append(outs, extra...), nil
}

// Check loads and renders without writing anything, so that template errors
// are found as well as content errors.
func Check(opt Options) (*Model, error) {
	m, err := Load(opt)
	if err != nil {
		return nil, err
	}
	_, errs := m.Renderer.All()
	return m, errs.Err()
}

// Build runs the whole build and swaps the result into opt.Out. Pages are
// written as they are rendered, into a staging folder; on any error that is
// thrown away and the previous output (and index) are left untouched. Only
// a disk failure while the index is finished, after every page is written,
// can leave the new site beside the old index.
//
// The model it returns holds no page's syntax tree (each render parses its
// page and lets it go), and can render or index its pages again.
func Build(opt Options) (*Model, Stats, error) { return BuildContext(context.Background(), opt) }

// BuildContext is Build that stops when ctx is done (kb build on Ctrl-C or
// SIGTERM): no page is rendered after that, the staging folder is removed,
// and the previous output is left as it was. It returns ctx's error then.
func BuildContext(ctx context.Context, opt Options) (*Model, Stats, error) {
	start := time.Now()
	opt.Defaults()
	if err := checkOut(opt); err != nil {
		return nil, Stats{}, err
	}
	b := NewIncremental(opt, false)
	b.stop = ctx
	cache, key := CachePath(opt), stateKey(opt)
	prev := readState(cache, key)
	if prev != nil && (prev.Marker == 0 || prev.Marker != markerStamp(opt.Out)) {
		prev = nil // not the folder the records describe
	}
	if prev != nil {
		b.restore(prev)
	}
	m, plan, err := b.load(nil)
	if err != nil {
		return nil, Stats{}, err
	}
	p := b.pick(m, plan)
	if err := b.loadAssets(); err != nil {
		return nil, Stats{}, err
	}
	extra := append(publish.Dedupe(b.assets), render.Files(m.Site)...)
	if err := ctx.Err(); err != nil {
		return nil, Stats{}, err
	}
	// save writes the records for the next build, once the site is live.
	save := func(sums map[string][32]byte) {
		rec := b.record(key, m, p.signatures(), sums, prev)
		rec.Marker, rec.Stamp = markerStamp(opt.Out), start.UnixNano()
		if err := writeState(cache, rec, prev); err != nil {
			dropState(cache) // the next build is a full one, and right
		}
	}
	var stats Stats
	// In place, the outputs rendered are held until all are: a bounded few.
	if prev != nil && !p.full && len(p.run) <= max(len(p.jobs)/2, inPlaceMax) {
		var sums map[string][32]byte
		if stats, sums, err = b.inPlace(ctx, m, p, extra, prev); err == nil {
			save(sums)
		}
	} else {
		stats, err = staged(ctx, m, p.jobs, extra, cache, save)
	}
	if err != nil {
		return nil, Stats{}, err
	}
	stats.Elapsed = time.Since(start)
	return m, stats, nil
}

// inPlaceMax is how many outputs a build renders in memory, to write them
// in place only once all are rendered; past it (and half the site), the
// build renders the whole site into a staging folder instead.
const inPlaceMax = 2000

// staged renders every output into a staging folder and swaps it in (see
// publish.Stage), with the search index beside it: a build of the whole
// site. Once the site is live, save gets each output's fingerprint and
// writes the records for the next build while the index is merged and
// saved; they are dropped again if the index fails.
func staged(ctx context.Context, m *Model, jobs []render.Job, extra []render.Output, cache string, save func(map[string][32]byte)) (Stats, error) {
	st, err := publish.Stage(ctx, m.Options.Out)
	if err != nil {
		return Stats{}, err
	}
	pending, err := openIndex(m, m.Options.IndexDir, false)
	if err != nil {
		st.Abort()
		return Stats{}, err
	}
	// Each item goes to the index from its own render, which parsed it: no
	// page's syntax tree outlives its render.
	m.Renderer.Index = pending.indexer()
	sums := newSums(st, jobs, extra)
	stats, err := m.write(ctx, sums)
	m.Renderer.Index = nil
	if err == nil {
		err = dropState(cache) // the records describe the folder being replaced
	}
	if err != nil {
		st.Abort()
		pending.abort()
		return Stats{}, err
	}
	// Every page is written, so nothing in the content or the theme can fail
	// any more: the site goes live now, and its old version is removed while
	// the index is merged and saved.
	cleared, err := st.CommitAndClear()
	saved := make(chan struct{})
	go func(live bool) {
		defer close(saved)
		if live {
			save(sums.byPath())
		}
	}(err == nil)
	stats, err = finish(stats, pending, m, cleared, err)
	<-saved
	if err != nil {
		dropState(cache)
		return Stats{}, err
	}
	return stats, nil
}

// finish completes the index once the site is published, and swaps it in.
func finish(stats Stats, pending *pendingIndex, m *Model, cleared <-chan error, err error) (Stats, error) {
	staged, ierr := pending.close(m.Site)
	if err == nil {
		err = ierr
	}
	if cleared != nil {
		if cerr := <-cleared; err == nil {
			err = cerr
		}
	}
	if err == nil {
		err = staged.Commit()
	}
	if err != nil {
		staged.Abort()
		return Stats{}, err
	}
	stats.Indexed = staged.Indexed()
	return stats, nil
}

// extras lists what is copied rather than rendered: the theme's assets and
// the content's own files.
func (m *Model) extras() ([]render.Output, error) {
	assets, err := render.Assets(m.Theme, m.Options.ThemeDir)
	if err != nil {
		return nil, err
	}
	// Only the theme's layers replace one another's files; a content file
	// where another output goes is refused by the site model, and by the
	// staging folder should one ever get past it.
	return append(publish.Dedupe(assets), render.Files(m.Site)...), nil
}

// write renders every page straight into the staging folder, then copies the
// extras. Once ctx is done the remaining pages are not rendered.
func (m *Model) write(ctx context.Context, s *sums) (Stats, error) {
	if err := render.RunTo(ctx, s.jobs, s.to.Earlier, s.put).Err(); err != nil {
		if ctx.Err() != nil {
			return Stats{}, ctx.Err()
		}
		return Stats{}, err
	}
	if err := s.putExtra(); err != nil {
		return Stats{}, err
	}
	return Stats{Count: countOf(m, s.jobs), Files: len(s.jobs) + len(s.extra), Measures: len(m.Site.Measures), Topics: len(m.Site.Topics),
		Organisations: len(m.Site.Organisations)}, nil
}

// checkOut refuses an output folder kb does not own (see publish.Check), and
// one that would overwrite the sources, or hold them: the swap replaces the
// whole folder. Paths are compared after following symbolic links, so that a
// link on the way to --out cannot lead into the sources.
func checkOut(opt Options) error {
	if opt.Out == "" {
		return errors.New("no output folder: pass --out DIR")
	}
	out, err := realPath(opt.Out)
	if err != nil {
		return err
	}
	for _, p := range []string{opt.Source, filepath.Join(opt.Source, "content"), opt.ThemeDir} {
		src, err := realPath(p)
		if err != nil {
			return err
		}
		if out == src || within(src, out) || (p != opt.Source && within(out, src)) {
			return fmt.Errorf("--out %s would overwrite %s: choose a folder outside the sources, such as public/", opt.Out, p)
		}
	}
	return publish.Check(opt.Out)
}

// realPath is p made absolute with every symbolic link on the way followed,
// as far as the path exists.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for dir := abs; ; dir = filepath.Dir(dir) {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(real, rest), nil
		}
		if dir == filepath.Dir(dir) {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(dir), rest)
	}
}

// within reports whether p is inside dir.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && filepath.IsLocal(rel)
}
