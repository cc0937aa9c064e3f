package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/review"
	"github.com/nhsx/kb/internal/sitetest"
)

// reviewSite runs kb review on testdata/review.txtar as of 1 February 2026.
func reviewSite(t *testing.T, args ...string) string {
	t.Helper()
	_, root := sitetest.Load(t, "testdata/review.txtar")
	args = append([]string{"review", "--source", root, "--theme", sitetest.ThemeDir(t), "--today", "2026-02-01"}, args...)
	code, stdout, stderr := kb(t, args...)
	if code != 0 || stderr != "" {
		t.Fatalf("kb review: exit %d, stderr %q", code, stderr)
	}
	return stdout
}

func TestReviewTable(t *testing.T) {
	got := reviewSite(t)
	want := `REVIEW DUE  STATUS              REVIEWED    OWNER         OLDEST ACCESSED  ACCESSED               PATH                    TITLE
2026-01-10  overdue by 22 days  2025-07-10  Digital team  2025-06-01       2025-07-01 2025-06-01  content/guides/a.md     Alpha guide
2026-03-01  due in 28 days      2025-09-01  -             -                -                      content/standards/b.md  Beta, a standard
2026-09-01  due in 212 days     -           -             -                -                      content/guides/c.md     Gamma guide
-           no review date      -           -             -                -                      content/_index.md       Home
-           no review date      -           -             -                -                      content/about.md        About
`
	if got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
}

func TestReviewCSVDueWithin(t *testing.T) {
	got := reviewSite(t, "--format", "csv", "--due-within", "90d")
	want := `review_due,status,reviewed,owner,oldest_accessed,accessed,path,title
2026-01-10,overdue by 22 days,2025-07-10,Digital team,2025-06-01,2025-07-01 2025-06-01,content/guides/a.md,Alpha guide
2026-03-01,due in 28 days,2025-09-01,,,,content/standards/b.md,"Beta, a standard"
`
	if got != want {
		t.Errorf("csv:\n%s\nwant:\n%s", got, want)
	}
}

func TestReviewJSON(t *testing.T) {
	var got struct {
		Today string         `json:"today"`
		Pages []review.Entry `json:"pages"`
	}
	if err := json.Unmarshal([]byte(reviewSite(t, "--format", "json", "--due-within", "4w")), &got); err != nil {
		t.Fatal(err)
	}
	if got.Today != "2026-02-01" || len(got.Pages) != 2 {
		t.Fatalf("today %q, %d pages: %+v", got.Today, len(got.Pages), got.Pages)
	}
	a := got.Pages[0]
	if a.Path != "content/guides/a.md" || a.URL != "/guides/a/" || a.ReviewDue != "2026-01-10" || a.Days == nil || *a.Days != -22 ||
		a.Reviewed != "2025-07-10" || a.Owner != "Digital team" || a.OldestAccessed != "2025-06-01" || len(a.Sources) != 2 ||
		a.Sources[1] != (review.SourceRow{Title: "Second source", URL: "https://example.org/second", Accessed: "2025-06-01"}) {
		t.Errorf("first page = %+v", a)
	}
	if b := got.Pages[1]; b.Path != "content/standards/b.md" || b.Sources == nil || len(b.Sources) != 0 {
		t.Errorf("second page = %+v", b)
	}
}

func TestReviewRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"--due-within", "3 months"}, {"--format", "xml"}, {"--today", "1/2/2026"}} {
		code, _, stderr := kb(t, append([]string{"review"}, args...)...)
		if code != 2 || !strings.HasPrefix(stderr, "kb review: ") {
			t.Errorf("%q: exit %d, stderr %q", args, code, stderr)
		}
	}
}
