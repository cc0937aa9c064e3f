package content

import (
	"bytes"

	"github.com/nhsx/kb/internal/diag"
)

// The placeholder text kb new writes into a new page. It lives here, beside
// the check that stops it being published, so the two never drift apart.
const (
	// PlaceholderSummary is the summary a new page starts with.
	PlaceholderSummary = "One or two plain sentences saying what this page is for and who it helps."
	// PlaceholderBody starts the body a new page starts with.
	PlaceholderBody = "Write the page here, with ## headings for its sections."
)

// checkPlaceholders reports a page about to be published that still holds
// kb new's placeholder summary or body: a draft may keep them while it is
// being written.
func (p *Page) checkPlaceholders(errs *diag.List) {
	if p.Draft || p.fm == nil {
		return
	}
	if p.Summary == PlaceholderSummary {
		errs.Addf(p.ValuePos("summary", PlaceholderSummary), "summary is still kb new's placeholder: write one or two sentences saying what this page is for and who it helps")
	}
	placeholder := []byte(PlaceholderBody) // once: not a copy of every line
	for i := p.fm.end + 1; p.fm.end > 0 && i < len(p.fm.lines); i++ {
		if j := bytes.Index(p.fm.lines[i], placeholder); j >= 0 {
			errs.Addf(diag.Pos{File: p.fm.file, Line: i + 1, Col: len([]rune(string(p.fm.lines[i][:j]))) + 1},
				"the page still holds kb new's placeholder text (%q): replace it with the page's own text", PlaceholderBody)
			return
		}
	}
}
