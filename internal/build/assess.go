package build

import (
	"strings"

	"github.com/nhsx/kb/internal/assess"
	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/frame"
	"github.com/nhsx/kb/internal/render"
	"github.com/nhsx/kb/internal/site"
	"github.com/nhsx/kb/internal/theme"
)

// loadAssessment reads the self-assessment's statements, adding their
// problems to errs; nil when the site has none.
func loadAssessment(opt Options, cfg *config.Config, errs *diag.List) *assess.Set {
	set, aerrs := assess.Load(opt.Source, cfg, opt.Now)
	errs.Append(aerrs)
	return set
}

// assessJobs are the self-assessment's index, forms and empty results page,
// which are the same for every reader and so are built; results from answers
// are served (kb serve, the Netlify function). A theme without the
// assessment layouts, or a site without statements, has none. The jobs show
// no pages (render.Job.Shows is nil): the forms carry every recommendable
// item's title and topics for the browser's results, so they are made again
// on every build.
func assessJobs(set *assess.Set, s *site.Site, th *theme.Theme, r *render.Renderer) []render.Job {
	if set == nil || len(set.Statements) == 0 || !th.Has(assess.FormLayout) || !th.Has(assess.ResultsLayout) {
		return nil
	}
	r.AddNav("Self-assessment", "/self-assessment/")
	items := AssessItems(s)
	var jobs []render.Job
	for _, p := range assess.Paths() {
		jobs = append(jobs, render.Job{Path: strings.TrimPrefix(p, "/") + "index.html", Layout: assess.FormLayout,
			Run: func() ([]byte, error) {
				frames, err := AssessFrames(r)
				if err != nil {
					return nil, err
				}
				body, _, err := set.Page(frames, p, items, s.Config.BaseURL)
				return body, err
			}})
	}
	return jobs
}

// AssessFrames renders the frame of every self-assessment page through the
// theme, with its title and main part left as slots.
func AssessFrames(r *render.Renderer) (assess.Frames, error) {
	frames := assess.Frames{}
	for _, p := range assess.FramePages() {
		v := &render.View{Layout: p.Layout, Title: frame.Title, URL: p.Path, Description: p.Description, Assess: frame.Main}
		for _, c := range p.Crumbs {
			v.Breadcrumbs = append(v.Breadcrumbs, render.Crumb{Title: c.Title, URL: c.URL})
		}
		body, err := r.Page(v)
		if err != nil {
			return nil, err
		}
		if frames[p.Key()], err = frame.Parse(p.Layout, body); err != nil {
			return nil, err
		}
	}
	return frames, nil
}

// AssessItems lists a site's published items for the self-assessment to
// recommend.
func AssessItems(s *site.Site) []assess.Item {
	items := make([]assess.Item, 0, len(s.Items))
	for _, p := range s.Items {
		items = append(items, assess.Item{Title: p.Title, URL: p.URL, Type: p.Type, Summary: p.Summary,
			Measures: p.Measures, Topics: p.Topics()})
	}
	return items
}

// AssessSource is what the self-assessment serves from in m's site, with
// the statements set (kb serve reads them again for each request).
func (m *Model) AssessSource(set *assess.Set) (*assess.Source, error) {
	frames, err := AssessFrames(m.Renderer)
	if err != nil {
		return nil, err
	}
	return &assess.Source{Set: set, Items: AssessItems(m.Site), Frames: frames, BaseURL: m.Config.BaseURL}, nil
}
