package site

import (
	"math/bits"
	"sync"

	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/par"
	"github.com/nhsx/kb/internal/wgll"
)

// MaxRelated is how many related items a page shows.
const MaxRelated = 5

// sparseLimit is how many candidates from shared topics and organisations a
// page needs before measures only add to their scores rather than bring in
// candidates of their own.
const sparseLimit = 200

// relate picks each item's related items: those sharing the most topics, then
// the most measures. Candidates come from the topic and measure lists rather
// than from every pair, so the cost grows with overlap, not with pages squared.
// The preview server runs it on every edit that moves a page between lists,
// and on the items around a page whose date or title moved it among the
// items, so the inner loop works on item numbers only: no map lookups, no
// pointers chased.
func (s *Site) relate(prev *Site, changed map[string]bool) {
	keep := s.unaffected(prev, changed)
	s.relateSome(func(p *Page) bool {
		k, ok := keep[p.Path]
		if ok {
			p.related, p.nrelated, p.candidates = k.related, k.n, k.candidates
		}
		return !ok
	})
}

// relateSome picks the related items of the items for which redo says so.
// redo is called once for each item, from several goroutines.
func (s *Site) relateSome(redo func(*Page) bool) {
	r := newRelater(s)
	// Each goroutine keeps a score per item and a candidate list, reused
	// from item to item: candidate lists run to thousands.
	type scratch struct{ score, cands []int32 }
	// The fast way is made once, by the first item with a long list (see
	// fastRelater): a site whose lists are all short never needs it.
	var fast *fastRelater
	var once sync.Once
	par.ForWith(len(s.Items), func() *scratch { return &scratch{score: make([]int32, len(s.Items))} }, func(w *scratch, i int) {
		if !redo(s.Items[i]) {
			return
		}
		if dense, most := r.dense(s.Items[i]); dense {
			once.Do(func() { fast = newFastRelater(s, r, tripleAuto) })
			var best []int32
			best, w.cands = fast.best(i, w.score, w.cands[:0])
			s.Items[i].setRelated(best, s.Items)
			s.Items[i].candidates = most
			return
		}
		w.cands, s.Items[i].candidates = r.candidates(s.Items[i], i, w.score, w.cands[:0])
		s.Items[i].setRelated(top(w.cands, w.score, MaxRelated), s.Items)
		for _, j := range w.cands {
			w.score[j] = 0
		}
	})
}

func newRelater(s *Site) *relater {
	r := &relater{masks: make([]uint8, len(s.Items)), lists: make([][]int32, len(s.terms))}
	index := make([]int32, len(s.pages)) // item numbers by page number
	for i, p := range s.Items {
		index[p.num] = int32(i)
		for _, m := range p.measureNums() {
			r.masks[i] |= 1 << wgll.Index(s.terms[m].Slug)
		}
	}
	for n, t := range s.terms {
		list := make([]int32, t.Len())
		for k, q := range t.nums {
			list[k] = index[q]
		}
		r.lists[n] = list
	}
	return r
}

// relater holds what scoring needs, by item number. It is read-only while
// the workers run.
type relater struct {
	masks []uint8   // each item's measures as bits
	lists [][]int32 // each term's items, by term number
}

// dense reports whether p has at least sparseLimit candidates from one of
// its topic or organisation lists alone, and so certainly from all of them
// (see candidates), with that number: the items fastRelater picks for, as
// long as they have no more terms than its bits (see fastRelater.best).
func (r *relater) dense(p *Page) (bool, int) {
	most := 0
	shared := p.sharedNums()
	for _, t := range shared {
		most = max(most, len(r.lists[t])-1) // the list holds p itself
	}
	return most >= sparseLimit && len(shared) <= 31, most
}

// candidates scores the items that share something with item i, leaving the
// scores in score and appending the items scored to touched. It also says how
// many came from shared topics and organisations alone.
func (r *relater) candidates(p *Page, i int, score []int32, touched []int32) ([]int32, int) {
	add := func(ts []int32, weight int32) {
		for _, t := range ts {
			for _, j := range r.lists[t] {
				if int(j) == i {
					continue
				}
				if score[j] == 0 {
					touched = append(touched, j)
				}
				score[j] += weight
			}
		}
	}
	add(p.topicNums(), 4)
	add(p.orgNums(), 2)
	shared := len(touched)
	if shared < sparseLimit {
		add(p.measureNums(), 1)
	} else {
		// Add measure overlap only to items already in the running.
		for _, j := range touched {
			score[j] += int32(bits.OnesCount8(r.masks[i] & r.masks[j]))
		}
	}
	return touched, shared
}

// top picks the numbers of the k best-scored candidate items, ties to the
// earlier item, with one pass and a k-long insertion list: sorting thousands
// of candidates per page was the slowest step of a 10,000-page build.
func top(cands []int32, score []int32, k int) []int32 {
	best := make([]int32, 0, k+1)
	better := func(x, y int32) bool { return score[x] > score[y] || score[x] == score[y] && x < y }
	for _, c := range cands {
		if len(best) == k && !better(c, best[k-1]) {
			continue
		}
		i := len(best)
		best = append(best, c)
		for ; i > 0 && better(c, best[i-1]); i-- {
			best[i] = best[i-1]
		}
		best[i] = c
		if len(best) > k {
			best = best[:k]
		}
	}
	return best
}

// unaffected returns, by source path, the related items that stay as they
// were in prev: those of pages sharing no topic or organisation with a
// changed page, before or after the change. A page's related items come only
// from pages sharing its topics or organisations (measures just add to
// their scores), and removing or moving one item keeps the others in the
// same order, so the ties break the same way. Any other change (pages added
// or removed, sparse pages that fall back to measures) recomputes everything.
func (s *Site) unaffected(prev *Site, changed map[string]bool) map[string]kept {
	if prev == nil || len(prev.Items) != len(s.Items) {
		return nil
	}
	reach := map[string]bool{}
	mark := func(q *Page) { reach[q.Path] = true }
	for path := range changed {
		for _, site := range []*Site{prev, s} {
			p := site.BySource[path]
			if p == nil {
				continue
			}
			reach[path] = true
			p.eachSharing(mark)
		}
	}
	keep := make(map[string]kept, len(s.Items))
	for _, old := range prev.Items {
		if reach[old.Path] || old.candidates < sparseLimit || s.BySource[old.Path] == nil {
			continue
		}
		k := kept{n: old.nrelated, candidates: old.candidates}
		for i, n := range old.related[:old.nrelated] {
			q := s.BySource[prev.page(n).Path]
			if q == nil || q.Kind != content.Item {
				k.n = 0
				break
			}
			k.related[i] = q.num
		}
		if k.n == old.nrelated {
			keep[old.Path] = k
		}
	}
	return keep
}

// kept is what a page's related items reuse from the previous site.
type kept struct {
	related    [MaxRelated]int32 // numbers in the new site
	n          uint8
	candidates int
}
