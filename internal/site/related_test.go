package site

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/markdown"
	"github.com/nhsx/kb/internal/wgll"
)

// relatedTree makes n guides with random measures, topics (few, so that most
// pages have plenty of candidates; one of them rare) and organisations; some
// have no topic at all.
func relatedTree(t *testing.T, n int, rng *rand.Rand) *content.Tree {
	tree := &content.Tree{}
	for i := range n {
		tree.Pages = append(tree.Pages, guidePage(t, i, rng))
	}
	return tree
}

func guidePage(t *testing.T, i int, rng *rand.Rand) *content.Page {
	topics := ""
	for range 1 + rng.IntN(3) {
		topics += fmt.Sprintf("t%d, ", rng.IntN(6))
	}
	if rng.IntN(25) == 0 {
		topics = "" // a page with no topic: its candidates come from measures
	}
	if rng.IntN(40) == 0 {
		topics += "rare, "
	}
	orgs := ""
	if rng.IntN(3) == 0 {
		orgs = fmt.Sprintf("Org %d", rng.IntN(30))
	}
	src := fmt.Sprintf("---\ntitle: Guide %d %d\nsummary: S\nmeasures: [%s]\ntopics: [%s]\norganisations: [%s]\ndate: 2026-01-%02d\n---\nBody.\n",
		i, rng.IntN(1000), wgll.Slugs()[rng.IntN(7)], topics, orgs, 1+rng.IntN(28))
	return parseGuide(t, i, src)
}

// parseGuide parses the source of guide number i.
func parseGuide(t *testing.T, i int, src string) *content.Page {
	p := &content.Page{Path: fmt.Sprintf("content/guides/g%d.md", i)}
	var errs diag.List
	if !content.ParseSource(p, []byte(src), markdown.New(), nil, &errs) || len(errs) > 0 {
		t.Fatalf("page %d: %v", i, errs)
	}
	return p
}

// TestRelatedFromPreviousMatchesAFreshBuild edits one page at a time (its
// topics, title, date and organisation change) and checks that the related
// items New reuses from the previous site are what a fresh build finds.
func TestRelatedFromPreviousMatchesAFreshBuild(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	cfg, _ := config.Load(t.TempDir())
	cfg.PageSize = 20
	tree := relatedTree(t, 800, rng)
	prev, errs := New(cfg, tree, Options{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for edit := range 80 {
		i := rng.IntN(len(tree.Pages))
		next := &content.Tree{Pages: slices.Clone(tree.Pages)}
		next.Pages[i] = guidePage(t, i, rng)
		path := next.Pages[i].Path
		reused, errs := New(cfg, next, Options{Previous: prev, Changed: map[string]bool{path: true}})
		fresh, _ := New(cfg, next, Options{})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		for _, p := range fresh.Items {
			want, got := paths(p.Related()), paths(reused.BySource[p.Path].Related())
			if !slices.Equal(got, want) {
				t.Fatalf("edit %d of %s: related of %s = %v, want %v", edit, path, p.Path, got, want)
			}
		}
		tree, prev = next, reused
	}
}

func paths(ps []*Page) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Path)
	}
	return out
}

// TestRelinkAfterEdits: after an edit, links are resolved again only where
// they can have changed, and the edits that break links elsewhere are still
// caught.
func TestRelinkAfterEdits(t *testing.T) {
	cfg, _ := config.Load(t.TempDir())
	parse := func(path, src string) *content.Page {
		p := &content.Page{Path: path}
		var errs diag.List
		if !content.ParseSource(p, []byte(src), markdown.New(), nil, &errs) || len(errs) > 0 {
			t.Fatalf("%s: %v", path, errs)
		}
		return p
	}
	target := func(title, heading string) *content.Page {
		return parse("content/guides/b.md", "---\ntitle: "+title+"\nsummary: S\nmeasures: [well-led]\n---\n## "+heading+"\n")
	}
	a := parse("content/guides/a.md", "---\ntitle: A\nsummary: S\nmeasures: [well-led]\n---\nSee [B](b.md#risks).\n")
	tree := &content.Tree{Pages: []*content.Page{a, target("B", "Risks")}}
	prev, errs := New(cfg, tree, Options{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	changed := map[string]bool{"content/guides/b.md": true}

	// A new title for b: a's link is not resolved again, and still points at b.
	renamed := &content.Tree{Pages: []*content.Page{a, target("B renamed", "Risks")}}
	s, errs := New(cfg, renamed, Options{Previous: prev, Changed: changed})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if only := s.relinkOnly(prev, changed); !maps.Equal(only, map[string]bool{"content/guides/b.md": true}) {
		t.Errorf("relinked %v after a title edit, want only the edited page", only)
	}
	pa := s.BySource["content/guides/a.md"]
	if got := s.LinkDest(pa)(pa.Doc.Links()[0].Dest); got != "/guides/b/#risks" {
		t.Errorf("a's link = %q", got)
	}

	// b loses the heading a links to: a must be checked again, and fails.
	broken := &content.Tree{Pages: []*content.Page{a, target("B", "Other")}}
	_, errs = New(cfg, broken, Options{Previous: s, Changed: changed})
	if len(errs) != 1 || errs[0].File != "content/guides/a.md" {
		t.Errorf("after b lost its anchor: %v, want one error in a.md", errs)
	}
}

// The fast way of relating items with long lists picks what scoring every
// candidate picks, item for item: on sites where most lists are long, with
// pages listing a topic twice, pages with no topic, rare topics and
// organisations.
func TestFastRelatedEqualsFull(t *testing.T) {
	cfg, _ := config.Load(t.TempDir())
	for seed := range uint64(9) {
		rng := rand.New(rand.NewPCG(seed, 7))
		tree := relatedTree(t, 900, rng)
		if seed >= 6 { // scores of one shared term and its measures tie with two terms' (4+2 = 6+0)
			tree = &content.Tree{}
			for i := range 1200 {
				two := rng.Perm(4)
				ms := wgll.Slugs()[two[0]] + ", " + wgll.Slugs()[two[1]]
				org := ""
				if rng.IntN(40) == 0 {
					org = "Org 0"
				}
				src := fmt.Sprintf("---\ntitle: Guide %d\nsummary: S\nmeasures: [%s]\ntopics: [t%d]\norganisations: [%s]\n---\nBody.\n",
					i, ms, rng.IntN(3), org)
				tree.Pages = append(tree.Pages, parseGuide(t, i, src))
			}
		} else if seed >= 3 { // one or two of many topics, few organisations: most best share one term, and tie
			tree = &content.Tree{}
			for i := range 1500 {
				src := fmt.Sprintf("---\ntitle: Guide %d\nsummary: S\nmeasures: [%s]\ntopics: [t%d, t%d]\norganisations: [Org %d]\n---\nBody.\n",
					i, wgll.Slugs()[rng.IntN(3)], rng.IntN(5), rng.IntN(40), rng.IntN(4))
				tree.Pages = append(tree.Pages, parseGuide(t, i, src))
			}
		}
		s, errs := New(cfg, tree, Options{})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if dense := checkFastEqualsFull(t, s, fmt.Sprintf("seed %d", seed)); dense < len(s.Items)/2 {
			t.Fatalf("seed %d: %d of %d items have long lists, want most", seed, dense, len(s.Items))
		}
	}
}
