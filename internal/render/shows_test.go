package render

import (
	"slices"
	"testing"

	"github.com/nhsx/kb/internal/site"
)

// TestJobsShow checks what each kind of job shows, and that going through
// jobs with one buffer, as the build does, never writes into a list's own
// pages: those are parts of the site's lists (a term's items), and an item's
// job that came after a list's would have overwritten them.
func TestJobsShow(t *testing.T) {
	a, b, c, d := &site.Page{URL: "/a/"}, &site.Page{URL: "/b/"}, &site.Page{URL: "/c/"}, &site.Page{URL: "/d/"}
	a.Related = []*site.Page{c, d}
	items := []*site.Page{b, c, d} // a term's list, of which a list page shows the first two
	jobs := []Job{
		{Path: "index.html"},                                   // the whole site
		{Path: "topics/x/index.html", deps: items[:2]},         // a list page
		{Path: "a/index.html", page: a},                        // an item
		{Path: "404.html", deps: []*site.Page{}},               // no page, not the whole site
		{Path: "topics/x/page/2/index.html", deps: items[2:2]}, // an empty list page with room after it
		{Path: "a/index.html", page: a},
	}
	want := [][]*site.Page{nil, {b, c}, {a, c, d}, {}, {}, {a, c, d}}
	var buf []*site.Page
	for i := range jobs {
		buf = jobs[i].Shows(buf)
		if !slices.Equal(buf, want[i]) || (buf == nil) != (want[i] == nil) {
			t.Errorf("%s shows %v, want %v", jobs[i].Path, urls(buf), urls(want[i]))
		}
	}
	if !slices.Equal(items, []*site.Page{b, c, d}) {
		t.Errorf("the term's list was written into: %v", urls(items))
	}
}

func urls(pages []*site.Page) []string {
	var out []string
	for _, p := range pages {
		out = append(out, p.URL)
	}
	return out
}
