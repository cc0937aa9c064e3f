package site

import (
	"time"

	"github.com/nhsx/kb/internal/diag"
)

// checkSources reports sources said to have been read on a day that has not
// come yet. The accessed date tells readers and editors when the page's facts
// were last checked against the source; one in the future would make a page
// look checked when it is not. It is checked here rather than with the rest
// of a source because it needs the site's clock (Options.Now).
func (s *Site) checkSources(errs *diag.List) {
	today := dateOf(s.now)
	for _, p := range s.sortedPages() {
		for i, src := range p.Sources {
			if src.Accessed.After(today) {
				errs.Addf(src.Pos("accessed"), "source %d: accessed %s is in the future: give the day you last read the source, today or earlier", i+1, src.Accessed.Format(time.DateOnly))
			}
		}
	}
}

// dateOf is the calendar day of t where it was taken, as midnight UTC: the
// form front-matter dates are decoded to.
func dateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
