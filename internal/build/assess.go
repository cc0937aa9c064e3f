package build

import (
	"github.com/nhsx/kb/internal/assess"
	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/diag"
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
// assessment layouts, or a site without statements, has none.
func assessJobs(set *assess.Set, s *site.Site, th *theme.Theme, r *render.Renderer) []render.Job {
	if set == nil || len(set.Statements) == 0 || !th.Has(assess.FormLayout) || !th.Has(assess.ResultsLayout) {
		return nil
	}
	r.AddNav("Self-assessment", "/self-assessment/")
	return set.Jobs(r, assess.ItemsOf(s), s.Config.BaseURL)
}
