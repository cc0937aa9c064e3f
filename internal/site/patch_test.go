package site

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/wgll"
)

// placed is what decides a guide's place in the site; shownGuide adds what
// lists show or order by, which the test below edits.
type placed struct {
	measure, topics, org string
}

func shownGuide(t *testing.T, i int, pl placed, rng *rand.Rand) *content.Page {
	weight := ""
	if rng.IntN(5) == 0 {
		weight = fmt.Sprintf("weight: %d\n", 1+rng.IntN(3))
	}
	src := fmt.Sprintf("---\ntitle: Guide %d\nsummary: S%d\nmeasures: [%s]\ntopics: [%s]\norganisations: [%s]\ndate: 2026-01-%02d\nreview_due: 20%d-01-01\n%s---\nBody.\n",
		rng.IntN(50), rng.IntN(9), pl.measure, pl.topics, pl.org, 1+rng.IntN(5), 25+rng.IntN(3), weight)
	return parseGuide(t, i, src)
}

// TestReplaceMatchesAFreshBuild edits the title, summary, date, weight and
// review date of one page at a time (few titles and dates, so that ties are
// common) and checks that the model Replace patches reads as a fresh build of
// the same pages: every list in the same order, the same related items,
// organisation names and warnings.
func TestReplaceMatchesAFreshBuild(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	cfg, _ := config.Load(t.TempDir())
	cfg.PageSize = 20
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var places []placed
	tree := &content.Tree{}
	for i := range 600 {
		pl := placed{measure: wgll.Slugs()[rng.IntN(7)], topics: fmt.Sprintf("t%d, t%d", rng.IntN(6), rng.IntN(6))}
		if rng.IntN(3) == 0 { // spelt three ways: the first page in order names it
			pl.org = []string{"Org %d", "org %d", "ORG %d"}[rng.IntN(3)]
			pl.org = fmt.Sprintf(pl.org, rng.IntN(5))
		}
		places = append(places, pl)
		tree.Pages = append(tree.Pages, shownGuide(t, i, pl, rng))
	}
	cur, errs := New(cfg, tree, Options{Now: now})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for edit := range 150 {
		var pages []*content.Page
		for range 1 + rng.IntN(2) {
			i := rng.IntN(len(tree.Pages))
			tree.Pages[i] = shownGuide(t, i, places[i], rng)
			pages = slices.DeleteFunc(pages, func(p *content.Page) bool { return p.Path == tree.Pages[i].Path })
			pages = append(pages, tree.Pages[i])
		}
		for _, p := range pages {
			if !SamePlace(cur.BySource[p.Path].Page, p) {
				t.Fatalf("edit %d: %s does not keep its place", edit, p.Path)
			}
		}
		if _, errs := cur.Replace(pages, nil); len(errs) > 0 {
			t.Fatal(errs)
		}
		fresh, _ := New(cfg, &content.Tree{Pages: slices.Clone(tree.Pages)}, Options{Now: now})
		if got, want := describeSite(cur), describeSite(fresh); got != want {
			t.Fatalf("edit %d of %v: the patched model differs from a fresh one:\n%s", edit, paths2(pages), firstDiff(got, want))
		}
	}
}

// describeSite writes out the parts of a model lists and pages are made of.
func describeSite(s *Site) string {
	var b strings.Builder
	fmt.Fprintln(&b, "items", paths(s.Items))
	fmt.Fprintln(&b, "ordered", paths(s.sortedPages()))
	for _, sec := range s.Sections {
		fmt.Fprintln(&b, "section", sec.Folder, paths(sec.Pages()))
	}
	for _, terms := range [][]*Term{s.Measures, s.Topics, s.Organisations} {
		for _, t := range terms {
			fmt.Fprintln(&b, "term", t.URL, t.Name, paths(t.Pages()))
		}
	}
	for _, p := range s.Items {
		fmt.Fprintln(&b, "related", p.Path, paths(p.Related()))
	}
	for _, w := range s.Warnings {
		fmt.Fprintln(&b, "warning", w.Error())
	}
	return b.String()
}

func paths2(ps []*content.Page) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Path)
	}
	return out
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return "got:  " + g[i][:min(len(g[i]), 400)] + "\nwant: " + w[i][:min(len(w[i]), 400)]
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}
