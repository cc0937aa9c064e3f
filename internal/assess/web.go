package assess

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"strings"
	"sync"

	"github.com/nhsx/kb/internal/frame"
	"github.com/nhsx/kb/internal/wgll"
)

// The self-assessment's addresses.
const (
	IndexPath   = "/self-assessment/"
	ResultsPath = "/self-assessment/results/"
)

// Layouts of the theme the self-assessment renders with.
const (
	FormLayout    = "assessment"
	ResultsLayout = "assessment-results"
)

// pages.html is the main part of every self-assessment page; each is shown
// in the site's frame of that page, so that serving the self-assessment
// needs no theme.
//
//go:embed pages.html
var pagesFS embed.FS

// pages parses pages.html once, on first use; executing never changes it.
var pages = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("pages.html").Funcs(template.FuncMap{
		"measureNumber": func(slug string) int { return wgll.Index(slug) + 1 },
		"typeName":      wgll.TypeName,
	}).ParseFS(pagesFS, "pages.html"))
})

// Crumb is a link of a page's breadcrumbs.
type Crumb struct{ Title, URL string }

// FramePage is the site's page around one of the self-assessment's: the
// layout whose head it has, its address, description and breadcrumbs. The
// build renders each through the theme once (package frame); the title and
// main part change with each answer.
type FramePage struct {
	Layout, Path, Description string
	Crumbs                    []Crumb
}

// Key names the frame in Frames.
func (p FramePage) Key() string { return p.Layout + " " + p.Path }

// Frames are the rendered frames of FramePages, by Key.
type Frames map[string]*frame.Frame

// FramePages lists every page the self-assessment shows: the index (at its
// own address, and at the results' when the answers are at fault), each
// audience's form, and the results.
func FramePages() []FramePage {
	home := []Crumb{{Title: "Home", URL: "/"}}
	under := []Crumb{{Title: "Home", URL: "/"}, {Title: "Self-assessment", URL: IndexPath}}
	index := "A private self-assessment against the seven What Good Looks Like measures that points to what to read next."
	out := []FramePage{{FormLayout, IndexPath, index, home}, {FormLayout, ResultsPath, index, home}}
	for _, a := range Audiences {
		out = append(out, FramePage{FormLayout, FormURL(a.Slug),
			"Statements of what good looks like for " + strings.ToLower(a.Name) + ", to answer privately.", under})
	}
	return append(out, FramePage{ResultsLayout, ResultsPath, "Where each What Good Looks Like measure stands, and what to read next.", under})
}

// page shows main, made by the named template of pages.html from v, in the
// frame of layout at path.
func (f Frames) page(layout, path, title, name string, v *View) ([]byte, error) {
	fr := f[FramePage{Layout: layout, Path: path}.Key()]
	if fr == nil {
		return nil, errors.New("no frame for " + layout + " at " + path)
	}
	var main, page bytes.Buffer
	if err := pages().ExecuteTemplate(&main, name, v); err != nil {
		return nil, err
	}
	err := fr.Page(&page, title, template.HTML(main.String()))
	return page.Bytes(), err
}

// View is what pages.html is executed with.
type View struct {
	Audiences []Audience // the index page's choice
	Audience  Audience   // the form's or result's audience; empty on the index
	Groups    []Group    // the form's statements by measure
	Choices   []Choice
	Errors    BadAnswers
	Scores    map[string]int // answers kept when the form is shown again
	Result    *Result
	Query     string // the answers as a query string
	Action    string
	CSV       string // the results as CSV
	Form      string // the form of this audience
	// Data is what the form's script needs to show the results itself
	// (browser.go); empty on other pages.
	Data template.JS
	// Sources are the documents the statements follow, for the form's list.
	Sources []*Reference
	topics  map[string]string
}

// TopicName is the name of a topic slug.
func (v *View) TopicName(slug string) string {
	if n := v.topics[slug]; n != "" {
		return n
	}
	return slug
}

// Group is one measure's statements on the form.
type Group struct {
	Slug, Name string
	Statements []*Statement
}

// References lists the documents an audience's statements follow, each once,
// in the order first cited.
func (s *Set) References(audience string) []*Reference {
	var out []*Reference
	seen := map[string]bool{}
	for _, st := range s.For(audience) {
		for _, r := range st.Sources {
			if !seen[r.URL] {
				seen[r.URL] = true
				out = append(out, r)
			}
		}
	}
	return out
}

// FormURL is the address of an audience's form.
func FormURL(audience string) string { return IndexPath + audience + "/" }

// Checked says whether a radio was chosen before.
func (v *View) Checked(id, value string) bool {
	score, ok := v.Scores[id]
	return ok && valueOf(score) == value
}

// ErrorFor returns the message for a statement's fieldset, or "".
func (v *View) ErrorFor(param string) string {
	for _, p := range v.Errors {
		if p.Param == param {
			return p.Message
		}
	}
	return ""
}

// Href is where an error summary entry links: the field at fault.
func (v *View) Href(p Problem) string {
	switch {
	case p.Param == "audience" || v.Audience.Slug == "":
		return "#audience"
	case p.Param == "format" || v.groupOf(p.Param) == "":
		return "#answers"
	}
	return "#" + p.Param + "-0"
}

func (v *View) groupOf(id string) string {
	for _, g := range v.Groups {
		for _, st := range g.Statements {
			if st.ID == id {
				return g.Slug
			}
		}
	}
	return ""
}

// Paths lists the pages that are the same for every reader: the index, one
// form for each audience, and the results page before any answer (which
// offers the forms).
func Paths() []string {
	out := []string{IndexPath}
	for _, a := range Audiences {
		out = append(out, FormURL(a.Slug))
	}
	return append(out, ResultsPath)
}

// Page renders one of Paths; ok is false for any other path. The forms carry
// the items to recommend and the site's address, for the browser to show
// results and write the CSV without a server.
func (s *Set) Page(r Frames, path string, items []Item, base string) (body []byte, ok bool, err error) {
	switch path {
	case IndexPath:
		body, err = s.indexPage(r, nil, IndexPath)
		return body, true, err
	case ResultsPath:
		body, err = s.indexPage(r, nil, ResultsPath)
		return body, true, err
	}
	for _, a := range Audiences {
		if path == FormURL(a.Slug) {
			body, err = s.formPage(r, a, nil, nil, items, base)
			return body, true, err
		}
	}
	return nil, false, nil
}

func (s *Set) indexPage(r Frames, bad BadAnswers, url string) ([]byte, error) {
	return r.page(FormLayout, url, titleOf("Where are we? A self-assessment", bad), "form",
		&View{Audiences: Audiences, Errors: bad, Action: ResultsPath})
}

func (s *Set) formPage(r Frames, a Audience, bad BadAnswers, scores map[string]int, items []Item, base string) ([]byte, error) {
	title := titleOf(formTitle(a), bad)
	data, err := s.browserJSON(a, title, items, base)
	if err != nil {
		return nil, err
	}
	v := &View{Data: data, Audience: a, Choices: Choices, Errors: bad, Scores: scores, Action: ResultsPath, Form: FormURL(a.Slug)}
	for _, slug := range s.Measures(a.Slug) {
		m, _ := wgll.Lookup(slug)
		g := Group{Slug: slug, Name: m.Name}
		for _, st := range s.For(a.Slug) {
			if st.Measure == slug {
				g.Statements = append(g.Statements, st)
			}
		}
		v.Groups = append(v.Groups, g)
	}
	v.Sources = s.References(a.Slug)
	return r.page(FormLayout, v.Form, title, "form", v)
}

func titleOf(t string, bad BadAnswers) string {
	if len(bad) > 0 {
		return "Error: " + t
	}
	return t
}

// Source is what the handler answers from: the statements, the items to
// recommend, the frames of its pages, and the site's base URL for the CSV's
// addresses.
type Source struct {
	Set     *Set
	Items   []Item
	Frames  Frames
	BaseURL string
}

// Handler serves the results of a GET of answers, and the index and forms.
// Answers are read from the address and forgotten with the response: nothing
// is stored or logged, and the results are never cached. load gives the
// latest site (kb serve rebuilds it; the function loads it once).
func Handler(load func() (*Source, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodGet && req.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "the self-assessment only reads: use GET", http.StatusMethodNotAllowed)
			return
		}
		if !strings.HasSuffix(req.URL.Path, "/") {
			u := *req.URL
			u.Path += "/"
			http.Redirect(w, req, u.RequestURI(), http.StatusMovedPermanently)
			return
		}
		src, err := load()
		if err != nil || src == nil || src.Set == nil {
			msg := "the self-assessment is not available: its statements could not be read"
			if err != nil {
				msg += "\n" + err.Error()
			}
			http.Error(w, msg, http.StatusServiceUnavailable)
			return
		}
		status, ctype, body, err := src.Set.Respond(req.URL.Path, req.URL.RawQuery, src.Items, src.Frames, src.BaseURL)
		if err != nil {
			http.Error(w, "the self-assessment page could not be shown", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		if ctype == csvType {
			w.Header().Set("Content-Disposition", `attachment; filename="`+CSVName+`"`)
		}
		w.WriteHeader(status)
		if req.Method == http.MethodGet {
			w.Write(body)
		}
	})
}

const (
	htmlType = "text/html; charset=utf-8"
	csvType  = "text/csv; charset=utf-8"
)

// Respond answers one request for a self-assessment address: the status,
// content type and body. kb serve and the Netlify function both call it, so
// their answers are the same byte for byte.
func (s *Set) Respond(path, rawQuery string, items []Item, r Frames, base string) (int, string, []byte, error) {
	if path != ResultsPath || rawQuery == "" {
		body, ok, err := s.Page(r, path, items, base)
		switch {
		case err != nil:
			return 0, "", nil, err
		case !ok:
			return http.StatusNotFound, "text/plain; charset=utf-8", []byte("no such page of the self-assessment\n"), nil
		}
		return http.StatusOK, htmlType, body, nil
	}
	a, err := s.ParseQuery(rawQuery)
	var bad BadAnswers
	if errors.As(err, &bad) {
		var body []byte
		if aud, ok := AudienceOf(a.audienceOr()); ok {
			body, err = s.formPage(r, aud, bad, a.scoresOr(), items, base)
		} else {
			body, err = s.indexPage(r, bad, ResultsPath)
		}
		return http.StatusBadRequest, htmlType, body, err
	}
	if err != nil {
		return 0, "", nil, err
	}
	res := s.Evaluate(a, items)
	q := s.Query(a)
	if a.Format == "csv" {
		var buf bytes.Buffer
		if err := res.CSV(&buf, strings.TrimSuffix(base, "/")); err != nil {
			return 0, "", nil, err
		}
		return http.StatusOK, csvType, buf.Bytes(), nil
	}
	v := &View{Audience: res.Audience, Result: res, Query: q, CSV: ResultsPath + "?" + q + "&format=csv", Form: FormURL(a.Audience),
		topics: s.TopicNames}
	body, err := r.page(ResultsLayout, ResultsPath, resultsTitle, "results", v)
	return http.StatusOK, htmlType, body, err
}

func (a *Answers) audienceOr() string {
	if a == nil {
		return ""
	}
	return a.Audience
}

func (a *Answers) scoresOr() map[string]int {
	if a == nil {
		return nil
	}
	return a.Scores
}
