package site

import (
	"fmt"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/content"
)

// The later pages of a paged list are served without being listed in URLs:
// links may point at them, aliases may not take them, and numbers past the
// list's last page, or written otherwise, are not pages.
func TestLaterPagesOfListsAreServed(t *testing.T) {
	cfg, _ := config.Load(t.TempDir())
	cfg.PageSize = 2
	tree := &content.Tree{}
	for i := range 5 { // five guides on topic t: /topics/t/ has three pages
		tree.Pages = append(tree.Pages, parseGuide(t, i, fmt.Sprintf("---\ntitle: G%d\nsummary: S\nmeasures: [well-led]\ntopics: [t]\n---\nBody.\n", i)))
	}
	tree.Pages = append(tree.Pages,
		parseGuide(t, 5, "---\ntitle: Links\nsummary: S\nmeasures: [well-led]\naliases: [/guides/page/3/, /guides/page/4/]\n---\n[a](/topics/t/page/3/) [b](/topics/t/page/4/) [c](/topics/t/page/2)\n"))
	s, errs := New(cfg, tree, Options{})
	for u, want := range map[string]bool{"/topics/t/": true, "/topics/t/page/2/": true, "/topics/t/page/3/": true, "/guides/page/3/": true,
		"/topics/t/page/4/": false, "/topics/t/page/1/": false, "/topics/t/page/02/": false, "/topics/t/page/+2/": false, "/topics/t/page/2": false, "/topics/x/page/2/": false, "/page/2/": false} {
		if owner, ok := s.Serves(u); ok != want || ok && owner != "kb" {
			t.Errorf("Serves(%s) = %q, %v; want %v", u, owner, ok, want)
		}
	}
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	want := []string{
		"content/guides/g5.md:5:11: alias /guides/page/3/ is already used by a page kb generates: remove it from one of them",
		"content/guides/g5.md:7:24: link to /topics/t/page/4/, which is not a page of this site: link to the Markdown file instead, such as ../guides/page.md",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
