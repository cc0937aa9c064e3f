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
// an item has a few thousand candidates sharing two terms at 100,000 pages,
// and scoring them all took 12 s.
//
// An item's candidates fall in three kinds, taken in turn, each scored only
// if it can still reach the best found so far (the floor):
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

func newFastRelater(s *Site, r *relater) *fastRelater {
	f := &fastRelater{r: r, termAt: make([]int32, len(s.Items)+1)}
	ids := map[*Term]int32{}
	for i, p := range s.Items {
		start := len(f.terms)
		for k, ts := range [][]*Term{p.TopicTerms, p.OrgTerms} {
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
	f.terms = slices.Clip(f.terms)
	f.lists = newTermLists(len(s.Items), len(f.weight), f.termsOf, func(i int) bool { return len(f.termsOf(i)) <= wideTerms })
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

// best picks item i's related items, using score and touched as relater
// does and leaving score zeroed. A score of zero means not yet scored: every
// candidate shares a term, and so scores at least 2.
func (f *fastRelater) best(i int, score, touched []int32, items []*Page) ([]*Page, []int32) {
	var floor floor
	take := func(j, s int32) {
		score[j] = s
		touched = append(touched, j)
		floor.add(s)
	}
	mine := f.termsOf(i) // at most 31 (see relater.dense)
	touched = f.sharingThree(i, score, touched)
	for _, j := range touched {
		score[j] = f.scoreShared(i, int(j), score[j])
		floor.add(score[j])
	}
	for _, j := range f.wide {
		if int(j) != i && score[j] == 0 && f.shared(i, int(j)) >= 3 {
			take(j, f.score(i, int(j)))
		}
	}
	// Now every item sharing three terms or more is scored: those not yet
	// scored in a pair's list share that pair alone.
	measures := int32(bits.OnesCount8(f.r.masks[i]))
	eachPair(mine, func(a, b int32) {
		w := f.weight[a] + f.weight[b]
		k, _ := f.lists.pair(a, b) // i holds both
		if w+measures < floor.at() {
			return
		}
		for _, j := range f.lists.pairList(k) {
			if int(j) != i && score[j] == 0 {
				take(j, w+int32(bits.OnesCount8(f.r.masks[i]&f.r.masks[j])))
			}
		}
	})
	// Those not yet scored in a term's list share that term alone, or a
	// pair whose list was passed over: they score less than the pair's
	// bound, and so less than the floor, as does their group here.
	for _, id := range mine {
		for _, g := range f.groups[id] {
			s := f.weight[id] + int32(bits.OnesCount8(f.r.masks[i]&g.mask))
			if s < floor.at() {
				continue
			}
			taken := 0
			for _, j := range g.items {
				if taken == MaxRelated {
					break
				}
				if int(j) != i && score[j] == 0 {
					take(j, s)
					taken++
				}
			}
		}
	}
	related := top(touched, score, MaxRelated, items)
	for _, j := range touched {
		score[j] = 0
	}
	return related, touched
}

// sharingThree appends to touched the items sharing three or more of item
// i's terms, found in the lists by triple, leaving in score the bits of i's
// terms each shares: an item is in as many lists as it shares triples, and
// the lists are walked before anything is scored, so the bits cost less
// than scoring each item once from its terms.
func (f *fastRelater) sharingThree(i int, score, touched []int32) []int32 {
	mine := f.termsOf(i)
	for x := range mine {
		for y := x + 1; y < len(mine); y++ {
			k, _ := f.lists.pair(mine[x], mine[y]) // i holds both
			for z := y + 1; z < len(mine); z++ {
				bits := int32(1)<<x | int32(1)<<y | int32(1)<<z
				for _, j := range f.lists.tripleList(k, mine[z]) {
					if int(j) != i {
						if score[j] == 0 {
							touched = append(touched, j)
						}
						score[j] |= bits
					}
				}
			}
		}
	}
	return touched
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
