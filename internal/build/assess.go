package build

import (
	"slices"
	"strings"

	"github.com/nhsx/kb/internal/assess"
	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/render"
)

// assessPages renders the self-assessment's index and forms, which are the
// same for every reader and so are built; the results depend on the answers
// and are served (kb serve, the Netlify function). A theme without the
// assessment layout, or a site without statements, has none.
func (m *Model) assessPages() ([]render.Output, error) {
	if m.Assessment == nil || len(m.Assessment.Statements) == 0 || !m.Theme.Has(assess.FormLayout) {
		return nil, nil
	}
	pages, err := m.Assessment.Pages(m.Renderer)
	if err != nil {
		if d, ok := err.(diag.Diagnostic); ok {
			return nil, diag.List{d}
		}
		return nil, err
	}
	var outs []render.Output
	for u, body := range pages {
		outs = append(outs, render.Output{Path: strings.TrimPrefix(u, "/") + "index.html", Data: body})
	}
	slices.SortFunc(outs, func(a, b render.Output) int { return strings.Compare(a.Path, b.Path) })
	return outs, nil
}
