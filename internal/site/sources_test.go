package site

import (
	"testing"
	"time"

	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/content"
)

// TestAccessedNotAfterToday checks sources against the site's clock: an
// accessed date is fine on the day itself and an error the day before.
func TestAccessedNotAfterToday(t *testing.T) {
	cfg, _ := config.Load(t.TempDir())
	page := parseGuide(t, 1, "---\ntitle: G\nsummary: S\nmeasures: [well-led]\nsources:\n  - title: T\n    url: https://example.org/t\n    publisher: P\n    accessed: 2026-06-01\n---\n")
	tree := &content.Tree{Pages: []*content.Page{page}}
	// Late on the day, in a zone ahead of UTC, is still that day.
	for _, now := range []time.Time{time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 1, 23, 30, 0, 0, time.FixedZone("NZST", 12*3600))} {
		if _, errs := New(cfg, tree, Options{Now: now}); len(errs) != 0 {
			t.Errorf("now %s: %v", now, errs)
		}
	}
	_, errs := New(cfg, tree, Options{Now: time.Date(2026, 5, 31, 23, 0, 0, 0, time.UTC)})
	want := "content/guides/g1.md:9:15: source 1: accessed 2026-06-01 is in the future: give the day you last read the source, today or earlier"
	if len(errs) != 1 || errs[0].Error() != want {
		t.Errorf("errors = %v, want %s", errs, want)
	}
}
