package site

import (
	"time"

	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/diag"
)

// warn lists what is worth a contributor's attention but does not stop a
// build: pages past their review date (NHS content must be reviewed on time),
// pages sharing a title, and topics in the controlled list that no page uses.
func (s *Site) warn() diag.List {
	var w diag.List
	for _, p := range s.sortedPages() {
		s.overdue(p, &w)
	}
	s.sameTitles(&w)
	used := map[string]bool{}
	for _, t := range s.Topics {
		used[t.Slug] = true
	}
	for _, t := range s.Config.Topics {
		if !used[t.Slug] {
			w.Addf(diag.Pos{File: config.TopicsFile, Line: s.Config.TopicLine(t.Slug), Col: 1}, "topic %q is not used by any published page: tag a page with it or remove it", t.Slug)
		}
	}
	return w
}

// overdue warns when p is past its review date.
func (s *Site) overdue(p *Page, w *diag.List) {
	if !p.ReviewDue.IsZero() && p.ReviewDue.Before(s.now) {
		w.Addf(p.KeyPos("review_due"), "review was due on %s: review the page, then update reviewed and review_due", p.ReviewDue.Format(time.DateOnly))
	}
}
