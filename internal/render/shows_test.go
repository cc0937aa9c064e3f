package render

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/markdown"
	"github.com/nhsx/kb/internal/site"
)

// TestJobsShow checks what each kind of job shows when the jobs are gone
// through with one buffer, as the build does: each answer is made in the
// room the last one left, so a short answer after a long one must not keep
// the long one's tail, and an empty one must still differ from "the whole
// site".
func TestJobsShow(t *testing.T) {
	s := fourGuides(t)
	a := s.BySource["content/guides/a.md"]
	x := s.Topics[0].List // a term's list, of which a list page shows the first two
	items := x.Pages()
	if len(items) != 4 || len(a.Related()) != 3 {
		t.Fatalf("topic x holds %v, a's related items are %v: want all four guides, and the other three", urls(items), urls(a.Related()))
	}
	b := items[1]
	mine := append([]*site.Page{a}, a.Related()...)
	jobs := []Job{
		{Path: "index.html"}, // the whole site
		{Path: "topics/x/index.html", deps: x.Slice(0, 2)},        // a list page
		{Path: "a/index.html", page: a},                           // an item
		{Path: "404.html", deps: s.ListOf()},                      // no page, not the whole site
		{Path: "topics/x/page/2/index.html", deps: x.Slice(2, 2)}, // an empty list page with room after it
		{Path: "a/index.html", page: a},
	}
	want := [][]*site.Page{nil, {a, b}, mine, {}, {}, mine}
	var buf []*site.Page
	for i := range jobs {
		buf = jobs[i].Shows(buf)
		if !slices.Equal(buf, want[i]) || (buf == nil) != (want[i] == nil) {
			t.Errorf("%s shows %v, want %v", jobs[i].Path, urls(buf), urls(want[i]))
		}
	}
}

// fourGuides is a site of four guides, a to d, all on topic x.
func fourGuides(t *testing.T) *site.Site {
	t.Helper()
	cfg, errs := config.Load(t.TempDir())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	tree := &content.Tree{}
	for i, name := range []string{"a", "b", "c", "d"} {
		p := &content.Page{Path: "content/guides/" + name + ".md"}
		src := fmt.Sprintf("---\ntitle: %s\nsummary: S\nmeasures: [well-led]\ntopics: [x]\ndate: 2026-01-0%d\n---\nBody.\n", strings.ToUpper(name), i+1)
		var errs diag.List
		if !content.ParseSource(p, []byte(src), markdown.New(), nil, &errs) || len(errs) > 0 {
			t.Fatalf("%s: %v", p.Path, errs)
		}
		tree.Pages = append(tree.Pages, p)
	}
	s, errs := site.New(cfg, tree, site.Options{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return s
}

func urls(pages []*site.Page) []string {
	var out []string
	for _, p := range pages {
		out = append(out, p.URL)
	}
	return out
}
