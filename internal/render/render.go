package render

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"strings"
	"sync"
	"unsafe"

	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/markdown"
	"github.com/nhsx/kb/internal/par"
	"github.com/nhsx/kb/internal/site"
	"github.com/nhsx/kb/internal/theme"
)

// Output is one file of the built site.
type Output struct {
	Path string // slash-separated, relative to the site root: guides/x/index.html
	Data []byte
	File string // set instead of Data for files copied as they are
}

// Job renders one output.
type Job struct {
	Path   string
	Layout string
	// Run makes the output; call Exec, as an item's or plain page's job
	// has none (see singles).
	Run func() ([]byte, error)
	// deps are the pages a list or a view shows (see Shows): the zero List
	// when it depends on the whole site. An item's or plain page's job has
	// none of its own.
	deps site.List
	// lender, when set, lent the bytes Exec returns from its pool (see
	// theme.Lend): RunTo gives them back once they are put. An item's or
	// plain page's job leaves it to r (see lends).
	lender *theme.Theme
	// page, in an item's or plain page's job, is the page r renders.
	page *site.Page
	r    *Renderer
}

// lends returns the theme that lent the bytes Exec returns, if one did.
func (j *Job) lends() *theme.Theme {
	if j.page != nil {
		return j.r.theme
	}
	return j.lender
}

// Shows returns the pages whose change makes the output stale: a page and
// its related items, or the items of a list; nil when the output depends on
// the whole site (home, feeds, sitemap). The preview server and kb build
// re-render only the outputs showing a page an edit changed. An item's job
// holds no list of its own: its page gives them, and at 100,000 pages those
// lists were 6 more pointers a page for the collector to follow on every
// cycle of the render.
//
// The pages are written in buf's room (buf[:0], grown as needed), never
// into the job's list, which is part of the site's: a caller going through
// many jobs passes what the last call returned as the next buf.
func (j *Job) Shows(buf []*site.Page) []*site.Page {
	switch {
	case j.page != nil:
		return append(append(buf[:0], j.page), j.page.Related()...)
	case j.deps.Site() == nil:
		return nil
	}
	if out := j.deps.AppendTo(buf[:0]); out != nil {
		return out
	}
	return noPages
}

// noPages is what Shows returns for an output showing no page that does not
// depend on the whole site either (the 404 and search pages): empty, but
// not nil. Its capacity is 0, so appending to it never writes in it.
var noPages = []*site.Page{}

// Exec makes the job's output.
func (j *Job) Exec() ([]byte, error) {
	if j.Run == nil {
		return j.r.lend(singleLayout(j.page), j.r.singleView(j.page))
	}
	return j.Run()
}

// Renderer renders one site with one theme.
type Renderer struct {
	site  *site.Site
	theme *theme.Theme
	conv  *markdown.Converter
	nav   []Crumb
	memo  *memo
	// bodies lends the buffers items' Markdown is rendered into: a view's
	// Content is its buffer, given back once the view's page is executed.
	bodies sync.Pool
	// Dev marks every view for the preview server, whose reload script the
	// base layout then includes; kb build never sets it.
	Dev bool
	// Extra are the jobs of pages made outside this package from the same
	// site, such as the self-assessment's forms (internal/assess): listed in
	// the sitemap and counted like the others.
	Extra []Job
	// Index, when set, is handed each page's whole document (syntax tree
	// included) as the page is rendered, so that the search index is made
	// from the parse the render needed anyway, one page at a time. The
	// Indexer decides which pages it indexes (build.Searchable).
	Index Indexer
}

// Indexer takes a page's search document as the page is rendered. It is
// called from several goroutines at once, once for each page rendered from
// its Markdown.
type Indexer interface {
	Add(p *site.Page, whole *markdown.Doc)
}

// New prepares a renderer.
func New(s *site.Site, t *theme.Theme, conv *markdown.Converter) *Renderer {
	r := &Renderer{site: s, theme: t, conv: conv, memo: newMemo(t)}
	for _, sec := range s.Sections {
		r.nav = append(r.nav, Crumb{Title: sec.Name, URL: sec.URL})
	}
	r.nav = append(r.nav, Crumb{Title: "Success measures", URL: "/measures/"}, Crumb{Title: "Topics", URL: "/topics/"})
	return r
}

// AddNav adds a link to the header's navigation, for pages the site makes
// beside its content (the self-assessment). Call it before rendering.
func (r *Renderer) AddNav(title, url string) {
	r.nav = append(r.nav, Crumb{Title: title, URL: url})
}

// All runs every job on all cores and gathers every error.
func (r *Renderer) All() ([]Output, diag.List) {
	return Run(context.Background(), r.Jobs())
}

// Run runs jobs in parallel, keeping their order in the result, and starts
// none once ctx is done (see RunTo).
func Run(ctx context.Context, jobs []Job) ([]Output, diag.List) {
	outs := make([]Output, len(jobs))
	errs := RunTo(ctx, jobs, nil, func(i int, o Output) error {
		if jobs[i].lends() != nil {
			o.Data = bytes.Clone(o.Data) // kept at its size; the buffer goes back
		}
		outs[i] = o
		return nil
	})
	return outs, errs
}

// RunTo runs jobs in parallel on all cores and hands each output to put as
// soon as it is rendered, so a build of thousands of pages need not hold them
// all in memory. put is called from several goroutines at once, and must
// not keep o.Data once it returns: the bytes of most outputs are lent from
// the theme's pool and given back for the next page (a caller that keeps
// outputs copies them, as Run does). earlier, when set, names the file that
// holds an output's version from an earlier build ("" for none), which put
// will read to compare: it is read ahead with the pages' sources. Once ctx
// is done (Ctrl-C), no job starts: each one left fails with ctx's error,
// which the caller reports rather than the diagnostics. The jobs are handed
// over whole, so that the read-ahead runs ahead of the workers from the
// first job to the last.
func RunTo(ctx context.Context, jobs []Job, earlier func(path string) string, put func(i int, o Output) error) diag.List {
	errs := make([]error, len(jobs))
	started, stop := content.ReadAhead(len(jobs), func(i int, ask func(string)) {
		if p := jobs[i].page; p != nil {
			ask(p.SourceFile())
		}
		if earlier != nil {
			ask(earlier(jobs[i].Path))
		}
	})
	defer stop()
	par.ForIO(len(jobs), func(i int) {
		if err := ctx.Err(); err != nil {
			errs[i] = err
			return // its slot stays taken: the read-ahead stops too
		}
		started()
		data, err := jobs[i].Exec()
		if err == nil {
			err = put(i, Output{Path: jobs[i].Path, Data: data})
		}
		if l := jobs[i].lends(); l != nil && data != nil {
			l.Return(data)
		}
		errs[i] = err
	})
	return collect(errs)
}

// collect turns job errors into diagnostics. One broken layout fails every
// page using it: it is reported once.
func collect(errs []error) diag.List {
	var list diag.List
	seen := map[string]bool{}
	for _, err := range errs {
		if err == nil {
			continue
		}
		d, ok := err.(diag.Diagnostic)
		if !ok {
			d = diag.Diagnostic{Pos: diag.Pos{File: "theme"}, Msg: err.Error()}
		}
		if !seen[d.Error()] {
			seen[d.Error()] = true
			list = append(list, d)
		}
	}
	return list
}

// Jobs lists every output of the site.
func (r *Renderer) Jobs() []Job {
	s := r.site
	// Made at about its length: the preview lists every job on each save,
	// and the jobs are held through a whole build's render. Lists add about
	// a third as many pages again as the items on a typical site.
	pages := len(s.Items) + len(s.Plain)
	jobs := make([]Job, 0, pages+pages/2+len(r.Extra)+64)
	jobs = append(jobs, r.view("index.html", "home", site.List{}, r.homeView))
	jobs = r.singles(jobs, s.Items, s.Plain)
	for _, sec := range s.Sections {
		jobs = append(jobs, r.sectionJobs(sec)...)
	}
	jobs = append(jobs, r.view("measures/index.html", "measures", site.List{}, r.measuresView))
	for _, m := range s.Measures {
		jobs = append(jobs, r.measureJob(m))
	}
	jobs = append(jobs, r.view("topics/index.html", "terms", site.List{}, func() *View { return r.termsView("topics", "Topics", s.Topics) }))
	for _, t := range s.Topics {
		jobs = append(jobs, r.termJobs("topics", "Topics", t)...)
	}
	jobs = append(jobs, r.view("organisations/index.html", "terms", site.List{}, func() *View {
		return r.termsView("organisations", "Organisations", s.Organisations)
	}))
	for _, t := range s.Organisations {
		jobs = append(jobs, r.termJobs("organisations", "Organisations", t)...)
	}
	jobs = append(jobs, r.view("404.html", "404", r.site.ListOf(), r.notFoundView))
	if r.theme.Has("search") {
		jobs = append(jobs, r.view("search/index.html", "search", r.site.ListOf(), r.searchView))
	}
	jobs = append(jobs, r.Extra...)
	jobs = append(jobs, r.aliasJobs()...)
	return append(jobs, r.feedJobs(jobs)...)
}

// view makes a job that executes a layout with the view mk makes. The job
// names its layout, so that the preview server re-renders only the pages of a
// layout that changed.
func (r *Renderer) view(out, layout string, deps site.List, mk func() *View) Job {
	j := Job{Path: out, deps: deps, Layout: layout, lender: r.theme}
	j.Run = func() ([]byte, error) { return r.lend(layout, mk()) }
	return j
}

// lend executes layout with v into a buffer the theme lends (see Job), or
// fails as v's source could not be read again.
func (r *Renderer) lend(layout string, v *View) ([]byte, error) {
	defer r.giveBack(v)
	if v.unread != nil {
		return nil, v.unread
	}
	v.Layout = layout
	return r.theme.Lend(layout, v)
}

// giveBack returns v's body buffer, if it has one, once nothing reads v.
func (r *Renderer) giveBack(v *View) {
	if v.body != nil {
		v.Content = ""
		r.bodies.Put(v.body)
		v.body = nil
	}
}

// Page renders one view with the theme, for the preview server and search.
func (r *Renderer) Page(v *View) ([]byte, error) {
	r.fill(v)
	return r.theme.Page(v.Layout, v)
}

func (r *Renderer) fill(v *View) *View {
	v.Site = r.site
	v.Nav = r.nav
	v.memo = r.memo
	v.Dev = v.Dev || r.Dev
	if v.Canonical == "" {
		v.Canonical = Absolute(r.site, v.URL)
	}
	if v.Description == "" {
		v.Description = r.site.Config.Description
	}
	return v
}

func outPath(url string) string {
	return strings.TrimPrefix(url, "/") + "index.html"
}

// singles appends the jobs of the pages of lists, items or plain pages. A
// site's jobs are held through its whole render, and the preview lists them
// on every save, so those of its pages are made without an object of their
// own: their paths are parts of one string, the pages they show come from
// their page (see Shows), and Exec renders the page rather than a closure
// over it.
func (r *Renderer) singles(jobs []Job, lists ...[]*site.Page) []Job {
	var paths []string
	for _, l := range lists {
		for _, p := range l {
			paths = append(paths, outPath(p.URL))
		}
	}
	content.Pack(paths)
	for _, l := range lists {
		for _, p := range l {
			jobs = append(jobs, Job{Path: paths[0], Layout: singleLayout(p), page: p, r: r})
			paths = paths[1:]
		}
	}
	return jobs
}

// singleLayout is the layout of an item's page, or a plain page's.
func singleLayout(p *site.Page) string {
	if p.Kind == content.Plain {
		return "page"
	}
	return "single"
}

// singleView renders the page's Markdown and makes its view.
func (r *Renderer) singleView(p *site.Page) *View {
	// The page's source and syntax tree live for this render (and its
	// search document) only: the site model keeps neither.
	whole, err := p.Doc.Whole()
	if err != nil {
		return &View{unread: err}
	}
	buf, _ := r.bodies.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	err = r.conv.RenderTo(buf, whole, r.site.LinkDest(p))
	if r.Index != nil {
		r.Index.Add(p, whole)
	}
	if err != nil {
		buf.Reset()
		fmt.Fprintf(buf, "<p>This page could not be rendered: %s</p>", template.HTMLEscapeString(err.Error()))
	}
	v := &View{Title: p.Title, Description: p.Summary, URL: p.URL, Page: p, Content: bodyHTML(buf.Bytes()), body: buf}
	v.Breadcrumbs = []Crumb{{Title: "Home", URL: "/"}}
	if p.Kind == content.Item {
		sec := sectionOf(r.site, p.Section)
		v.Section = sec
		v.Breadcrumbs = append(v.Breadcrumbs, Crumb{Title: sec.Name, URL: sec.URL})
	}
	return r.fill(v)
}

func sectionOf(s *site.Site, folder string) *site.Section {
	for _, sec := range s.Sections {
		if sec.Folder == folder {
			return sec
		}
	}
	return nil
}

// intro renders an introduction page's body for v, or nothing when there is
// none; a source that cannot be read again fails v's output.
func (r *Renderer) intro(v *View, p *site.Page) template.HTML {
	if p == nil {
		return ""
	}
	whole, err := p.Doc.Whole()
	if err != nil {
		v.unread = err
		return ""
	}
	body, err := r.conv.Render(whole, r.site.LinkDest(p))
	if err != nil {
		return ""
	}
	return bodyHTML(body)
}

// bodyHTML is a page's rendered Markdown as the HTML its view shows,
// without a copy: body is the render's own buffer, which nothing else
// changes while the view is read, and a page's body is the largest string
// its render makes.
func bodyHTML(body []byte) template.HTML {
	return template.HTML(unsafe.String(unsafe.SliceData(body), len(body)))
}
