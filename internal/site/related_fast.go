package site

import (
	"math/bits"
	"slices"
)

// fastRelater finds the related items of items with long topic and
// organisation lists without scoring every item on them. The lists grow
// with the site, so scoring all of them made relating grow with the square
// of the site: 0.3 s of processor time at 10,000 pages, 23 s at 100,000.
// Lists by pair of terms grow with it too, more slowly: on the shared
// corpus (two to six of 60 topics, up to three of 40 organisations a page)
// an item's lists by pair hold thousands of items at 100,000 pages, and
// scoring all of them took 12 s.
//
// While the lists by pair stay short (see tripleFrom), the items sharing
// two terms or more are found in them and scored in full, and those sharing
// one as below. Once they are long, an item's candidates fall in three
// kinds, taken in turn, each scored only if it can still reach the best
// found so far (the floor):
//   - those sharing three or more of its topics and organisations, found in
//     the lists of items holding each triple of terms, which stay short, and
//     scored in full;
//   - those sharing exactly two, from the lists by pair, walked only when
//     the pair's weight and all of the item's measures reach the floor;
//   - those sharing one term t, which score t's weight plus their shared
//     measures: within t's list, items with the same measures score alike,
//     and ties go to the earlier item, so only the first MaxRelated of each
//     such group can be among the best.
//
// The outcome is the same as scoring every candidate
// (TestFastRelatedEqualsFull). Content lists each term of a page once.
type fastRelater struct {
	r      *relater
	weight []int32        // by term: 4 for a topic, 2 for an organisation
	termAt []int32        // item i's terms are terms[termAt[i]:termAt[i+1]]
	terms  []int32        // each item's terms, in order
	lists  *termLists     // items holding each pair and triple of terms
	wide   []int32        // items with more than wideTerms terms: in no triple list
	groups [][]shareGroup // by term: its items by measures
}

// wideTerms is how many topics and organisations an item may have and be
// listed by triple: an item with n terms is in n(n-1)(n-2)/6 triple lists.
// Wider items, rare on any real site, are checked by every item instead.
const wideTerms = 12

// shareGroup is the items of a term's list with the same measures, in order.
type shareGroup struct {
	mask  uint8
	items []int32
}

func newFastRelater(s *Site, r *relater, by tripleChoice) *fastRelater {
	n := 0
	for _, p := range s.Items {
		n += len(p.sharedNums())
	}
	f := &fastRelater{r: r, termAt: make([]int32, len(s.Items)+1), terms: make([]int32, 0, n)}
	ids := map[int32]int32{} // by term number
	for i, p := range s.Items {
		start := len(f.terms)
		for k, ts := range [][]int32{p.topicNums(), p.orgNums()} {
			for _, t := range ts {
				id, ok := ids[t]
				if !ok {
					id = int32(len(f.weight))
					ids[t] = id
					f.weight = append(f.weight, int32(4-2*k))
				}
				f.terms = append(f.terms, id)
			}
		}
		slices.Sort(f.terms[start:])
		f.termAt[i+1] = int32(len(f.terms))
		if len(f.terms)-start > wideTerms {
			f.wide = append(f.wide, int32(i))
		}
	}
	f.lists = newTermLists(len(s.Items), len(f.weight), f.termsOf, func(i int) bool { return len(f.termsOf(i)) <= wideTerms }, by)
	f.groups = make([][]shareGroup, len(f.weight))
	for i := range s.Items {
		for _, id := range f.termsOf(i) {
			f.groups[id] = addToGroup(f.groups[id], r.masks[i], int32(i))
		}
	}
	return f
}

// termsOf is item i's terms, in order.
func (f *fastRelater) termsOf(i int) []int32 { return f.terms[f.termAt[i]:f.termAt[i+1]] }

func addToGroup(gs []shareGroup, mask uint8, item int32) []shareGroup {
	for k := range gs {
		if gs[k].mask == mask {
			gs[k].items = append(gs[k].items, item)
			return gs
		}
	}
	return append(gs, shareGroup{mask: mask, items: []int32{item}})
}

// best picks the numbers of item i's related items, using score and touched as relater
// does and leaving score zeroed. A score of zero means not yet scored: every
// candidate shares a term, and so scores at least 2.
func (f *fastRelater) best(i int, score, touched []int32) ([]int32, []int32) {
	p := pick{f: f, i: i, mine: f.termsOf(i), score: score, touched: touched}
	if f.lists.byTriple() {
		p.sharing(3)
		for _, j := range f.wide {
			if int(j) != i && score[j] == 0 && f.shared(i, int(j)) >= 3 {
				p.take(j, f.score(i, int(j)))
			}
		}
		p.sharingPairAlone()
	} else {
		p.sharing(2) // the lists by pair are short
	}
	p.sharingOneAlone()
	related := top(p.touched, score, MaxRelated)
	for _, j := range p.touched {
		score[j] = 0
	}
	return related, p.touched
}

// pick is the scoring of one item's candidates, kind by kind.
type pick struct {
	f       *fastRelater
	i       int
	mine    []int32 // i's terms: at most 31 (see relater.dense)
	score   []int32 // by item
	touched []int32 // the items scored
	floor   floor
}

func (p *pick) take(j, s int32) {
	p.score[j] = s
	p.touched = append(p.touched, j)
	p.floor.add(s)
}

// sharing scores the items sharing n (2 or 3) or more of i's terms, found
// in the lists by pair or triple. Walking the lists, it keeps in score the
// bits of i's terms each item shares (an item is in as many lists as it
// shares pairs or triples), and scores them from their bits after.
func (p *pick) sharing(n int) {
	start := len(p.touched)
	for x := range p.mine {
		for y := x + 1; y < len(p.mine); y++ {
			k, _ := p.f.lists.pair(p.mine[x], p.mine[y]) // i holds both
			if n == 2 {
				p.mark(p.f.lists.pairList(k), 1<<x|1<<y)
				continue
			}
			for z := y + 1; z < len(p.mine); z++ {
				p.mark(p.f.lists.tripleList(k, p.mine[z]), 1<<x|1<<y|1<<z)
			}
		}
	}
	for _, j := range p.touched[start:] {
		p.score[j] = p.f.scoreShared(p.i, int(j), p.score[j])
		p.floor.add(p.score[j])
	}
}

// mark adds bits to the score of each item of list but i.
func (p *pick) mark(list []int32, bits int32) {
	for _, j := range list {
		if int(j) != p.i {
			if p.score[j] == 0 {
				p.touched = append(p.touched, j)
			}
			p.score[j] |= bits
		}
	}
}

// sharingPairAlone scores the items sharing exactly two of i's terms, once
// every item sharing three or more is scored: those not yet scored in a
// pair's list. A pair's list is walked only if the pair's weight and all
// of i's measures reach the floor.
func (p *pick) sharingPairAlone() {
	f, i := p.f, p.i
	measures := int32(bits.OnesCount8(f.r.masks[i]))
	eachPair(p.mine, func(a, b int32) {
		w := f.weight[a] + f.weight[b]
		if w+measures < p.floor.at() {
			return
		}
		k, _ := f.lists.pair(a, b) // i holds both
		for _, j := range f.lists.pairList(k) {
			if int(j) != i && p.score[j] == 0 {
				p.take(j, w+int32(bits.OnesCount8(f.r.masks[i]&f.r.masks[j])))
			}
		}
	})
}

// sharingOneAlone scores the first MaxRelated items not yet scored of each
// group of a term's list alike in measures, unless the group scores less
// than the floor. Those items share that term alone, or a pair whose list
// sharingPairAlone passed over: they score less than the pair's bound, and
// so less than the floor, as does their group here.
func (p *pick) sharingOneAlone() {
	f, i := p.f, p.i
	for _, id := range p.mine {
		for _, g := range f.groups[id] {
			s := f.weight[id] + int32(bits.OnesCount8(f.r.masks[i]&g.mask))
			if s < p.floor.at() {
				continue
			}
			taken := 0
			for _, j := range g.items {
				if taken == MaxRelated {
					break
				}
				if int(j) != i && p.score[j] == 0 {
					p.take(j, s)
					taken++
				}
			}
		}
	}
}

// scoreShared scores item j for item i as relater.candidates does for a
// dense item, given the bits of i's terms j shares: each shared term's
// weight, and one for each shared measure.
func (f *fastRelater) scoreShared(i, j int, shared int32) int32 {
	s := int32(bits.OnesCount8(f.r.masks[i] & f.r.masks[j]))
	mine := f.termsOf(i)
	for shared != 0 {
		k := bits.TrailingZeros32(uint32(shared))
		s += f.weight[mine[k]]
		shared &^= 1 << k
	}
	return s
}

// score scores item j for item i from their terms, as scoreShared does.
func (f *fastRelater) score(i, j int) int32 {
	s := int32(bits.OnesCount8(f.r.masks[i] & f.r.masks[j]))
	mine, theirs := f.termsOf(i), f.termsOf(j)
	for len(mine) > 0 && len(theirs) > 0 {
		switch {
		case mine[0] < theirs[0]:
			mine = mine[1:]
		case mine[0] > theirs[0]:
			theirs = theirs[1:]
		default:
			s += f.weight[mine[0]]
			mine, theirs = mine[1:], theirs[1:]
		}
	}
	return s
}

// shared counts the terms items i and j share.
func (f *fastRelater) shared(i, j int) int {
	n := 0
	for _, t := range f.termsOf(j) {
		if _, ok := slices.BinarySearch(f.termsOf(i), t); ok {
			n++
		}
	}
	return n
}

// floor keeps the MaxRelated highest scores given to it: a candidate scoring
// less than the lowest of them cannot be among the best.
type floor struct {
	best [MaxRelated]int32 // in descending order
	n    int
}

func (f *floor) add(v int32) {
	if f.n == MaxRelated && v <= f.best[f.n-1] {
		return
	}
	k := min(f.n, MaxRelated-1)
	for k > 0 && f.best[k-1] < v {
		f.best[k] = f.best[k-1]
		k--
	}
	f.best[k] = v
	f.n = min(f.n+1, MaxRelated)
}

// at is the MaxRelated-th highest score given, or 0 when fewer were.
func (f *floor) at() int32 {
	if f.n < MaxRelated {
		return 0
	}
	return f.best[MaxRelated-1]
}
