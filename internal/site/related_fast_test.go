package site

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/wgll"
)

// checkFastEqualsFull checks, for every item of s with long lists, that the
// fast way, with lists by triple and without, picks what scoring every
// candidate picks, and that New picked that too. It returns how many items
// have long lists.
func checkFastEqualsFull(t *testing.T, s *Site, label string) (dense int) {
	t.Helper()
	r := newRelater(s)
	fast := []*fastRelater{newFastRelater(s, r, tripleAlways), newFastRelater(s, r, tripleNever)}
	score := make([]int32, len(s.Items))
	for i, p := range s.Items {
		cands, _ := r.candidates(p, i, score, nil)
		want := itemPaths(s, top(cands, score, MaxRelated))
		for _, j := range cands {
			score[j] = 0
		}
		if ok, _ := r.dense(p); !ok {
			continue
		}
		dense++
		for _, f := range fast {
			got, touched := f.best(i, score, nil)
			if !slices.Equal(itemPaths(s, got), want) {
				t.Fatalf("%s, by triple %t: related of %s = %v, want %v", label, f.lists.byTriple(), p.Path, itemPaths(s, got), want)
			}
			if slices.ContainsFunc(touched, func(j int32) bool { return score[j] != 0 }) {
				t.Fatalf("%s: scores left after relating %s", label, p.Path)
			}
		}
		if !slices.Equal(paths(p.Related()), want) {
			t.Fatalf("%s: New related %s to %v, want %v", label, p.Path, paths(p.Related()), want)
		}
	}
	return dense
}

// itemPaths gives the source paths of the items of s numbered nums.
func itemPaths(s *Site, nums []int32) []string {
	out := make([]string, len(nums))
	for i, j := range nums {
		out[i] = s.Items[j].Path
	}
	return out
}

// TestFastRelatedEqualsFullAtRandom compares the fast way with scoring every
// candidate on sites of random shape: how many topics and organisations
// there are and a page lists (the shared corpus has two to six of 60 topics
// and up to three of 40 organisations), how many measures, and how many
// pages are drafts, list no topic or organisation, or list more terms than
// the lists by triple take. Across the shapes, the best of some items must
// share one term with them, of others two, of others three or more, and
// some must be wide items: each way of finding candidates decides.
func TestFastRelatedEqualsFullAtRandom(t *testing.T) {
	shapes := 16
	if testing.Short() {
		shapes = 4
	}
	picked := map[string]int{}
	for seed := range uint64(shapes) {
		rng := rand.New(rand.NewPCG(seed, 11))
		sh := randomShape(rng)
		cfg, _ := config.Load(t.TempDir())
		tree := &content.Tree{}
		for i := range sh.pages {
			tree.Pages = append(tree.Pages, parseGuide(t, i, sh.page(rng, i)))
		}
		s, errs := New(cfg, tree, Options{Drafts: seed%2 == 0})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		label := fmt.Sprintf("shape %d %+v", seed, sh)
		if checkFastEqualsFull(t, s, label) == 0 {
			t.Fatalf("%s: no item has long lists", label)
		}
		tallyPicks(s, picked)
	}
	t.Logf("related items by what they share with their page: %v", picked)
	for _, kind := range []string{"one term", "two terms", "three or more", "wide"} {
		if picked[kind] == 0 {
			t.Errorf("no related item shares %s with its page, want some: %v", kind, picked)
		}
	}
}

// TestFastRelatedEqualsFullOnCorpus compares the two ways on the shared
// corpora, when KB_CORPUS_10K or KB_CORPUS_100K names them: at 100,000 pages
// it takes minutes, scoring every candidate of every item.
func TestFastRelatedEqualsFullOnCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("reading a corpus is slow")
	}
	for _, env := range []string{"KB_CORPUS_10K", "KB_CORPUS_100K"} {
		t.Run(env, func(t *testing.T) {
			s := corpusSite(t, env)
			if dense := checkFastEqualsFull(t, s, env); dense < len(s.Items)/2 {
				t.Fatalf("%d of %d items have long lists, want most", dense, len(s.Items))
			}
		})
	}
}

// shape is how a random site's pages are made.
type shape struct {
	pages            int
	topics, orgs     int // in all
	minTopics, moreT int // a page lists minTopics to minTopics+moreT topics
	maxOrgs          int
	measures         int // how many of the measures pages use
	wide, bare       int // one page in wide lists 13 to 20 topics; one in bare none
	drafts           int // one page in drafts is a draft
}

func randomShape(rng *rand.Rand) shape {
	sh := shape{
		pages:     600 + rng.IntN(900),
		topics:    4 + rng.IntN(40),
		orgs:      rng.IntN(12),
		minTopics: 1 + rng.IntN(2),
		moreT:     rng.IntN(5),
		measures:  1 + rng.IntN(7),
		wide:      []int{0, 20, 80}[rng.IntN(3)],
		bare:      10 + rng.IntN(40),
		drafts:    10 + rng.IntN(20),
	}
	sh.maxOrgs = min(sh.orgs, rng.IntN(4))
	// most topics' lists long enough for the fast way
	sh.topics = max(3, min(sh.topics, sh.pages*(2*sh.minTopics+sh.moreT)/2/250))
	return sh
}

// page is the source of page i, which may list a topic twice.
func (sh shape) page(rng *rand.Rand, i int) string {
	n := sh.minTopics + rng.IntN(sh.moreT+1)
	if sh.wide > 0 && rng.IntN(sh.wide) == 0 {
		n = 13 + rng.IntN(8)
	}
	var topics, orgs []string
	for range n {
		topics = append(topics, fmt.Sprintf("t%d", rng.IntN(sh.topics)))
	}
	for range rng.IntN(sh.maxOrgs + 1) {
		orgs = append(orgs, fmt.Sprintf("Org %d", rng.IntN(sh.orgs)))
	}
	if rng.IntN(sh.bare) == 0 {
		topics, orgs = nil, nil
	}
	var measures []string
	for _, k := range rng.Perm(sh.measures)[:1+rng.IntN(min(3, sh.measures))] {
		measures = append(measures, wgll.Slugs()[k])
	}
	return fmt.Sprintf("---\ntitle: Guide %d\nsummary: S\nmeasures: [%s]\ntopics: [%s]\norganisations: [%s]\ndate: 2026-01-%02d\ndraft: %t\n---\nBody.\n",
		i, strings.Join(measures, ", "), strings.Join(topics, ", "), strings.Join(orgs, ", "), 1+rng.IntN(28), rng.IntN(sh.drafts) == 0)
}

// tallyPicks counts, for the items with long lists, how many topics and
// organisations their related items share with them, and how many of those
// are wide.
func tallyPicks(s *Site, picked map[string]int) {
	r := newRelater(s)
	f := newFastRelater(s, r, tripleAlways)
	index := map[*Page]int{}
	for i, p := range s.Items {
		index[p] = i
	}
	for i, p := range s.Items {
		if ok, _ := r.dense(p); !ok {
			continue
		}
		for _, q := range p.Related() {
			j := index[q]
			switch n := f.shared(i, j); {
			case len(f.termsOf(j)) > wideTerms:
				picked["wide"]++
			case n >= 3:
				picked["three or more"]++
			default:
				picked[[]string{"none", "one term", "two terms"}[n]]++
			}
		}
	}
}
