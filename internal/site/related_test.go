package site

import (
	"fmt"
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
			want, got := paths(p.Related), paths(reused.BySource[p.Path].Related)
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
