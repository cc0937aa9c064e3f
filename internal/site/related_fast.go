package site

import (
	"math/bits"
	"slices"
)

// fastRelater finds the related items of items with long topic and
// organisation lists without scoring every item on them. The lists grow
// with the site, so scoring all of them made relating grow with the square
// of the site: 0.3 s of processor time at 10,000 pages, 23 s at 100,000.
//
// An item's candidates fall in two kinds. Those sharing two or more of its
// topics and organisations are found in the lists of items holding each
// pair of terms, which stay short, and are scored in full. Those sharing
// one term t score t's weight plus their shared measures: within t's list,
// items with the same measures score alike, and ties go to the earlier
// item, so only the first MaxRelated of each such group can be among the
// best. The outcome is the same as scoring every candidate
// (TestFastRelatedEqualsFull). Content lists each term of a page once.
type fastRelater struct {
	r      *relater
	weight []int32            // by term: 4 for a topic, 2 for an organisation
	terms  [][]int32          // by item: its terms, in order
	pairs  map[uint64][]int32 // items holding both of two terms, in order
	groups [][]shareGroup     // by term: its items by measures
}

// shareGroup is the items of a term's list with the same measures, in order.
type shareGroup struct {
	mask  uint8
	items []int32
}

func newFastRelater(s *Site, r *relater) *fastRelater {
	f := &fastRelater{r: r, terms: make([][]int32, len(s.Items)), pairs: map[uint64][]int32{}}
	ids := map[*Term]int32{}
	for i, p := range s.Items {
		for k, ts := range [][]*Term{p.TopicTerms, p.OrgTerms} {
			for _, t := range ts {
				id, ok := ids[t]
				if !ok {
					id = int32(len(f.weight))
					ids[t] = id
					f.weight = append(f.weight, int32(4-2*k))
				}
				f.terms[i] = append(f.terms[i], id)
			}
		}
		slices.Sort(f.terms[i])
		for a, ta := range f.terms[i] {
			for _, tb := range f.terms[i][a+1:] {
				key := pairKey(ta, tb)
				f.pairs[key] = append(f.pairs[key], int32(i))
			}
		}
	}
	f.groups = make([][]shareGroup, len(f.weight))
	for i, ids := range f.terms {
		for _, id := range ids {
			f.groups[id] = addToGroup(f.groups[id], r.masks[i], int32(i))
		}
	}
	return f
}

func addToGroup(gs []shareGroup, mask uint8, item int32) []shareGroup {
	for k := range gs {
		if gs[k].mask == mask {
			gs[k].items = append(gs[k].items, item)
			return gs
		}
	}
	return append(gs, shareGroup{mask: mask, items: []int32{item}})
}

func pairKey(a, b int32) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(uint32(a))<<32 | uint64(uint32(b))
}

// best picks item i's related items, using score and touched as relater
// does and leaving score zeroed.
func (f *fastRelater) best(i int, score, touched []int32, items []*Page) ([]*Page, []int32) {
	mine := f.terms[i] // at most 31 (see relater.dense)
	// Score holds, until scored, the bits of i's terms each candidate was
	// found to share, one pair of terms at a time.
	for a := range mine {
		for b := a + 1; b < len(mine); b++ {
			pair := int32(1)<<a | int32(1)<<b
			for _, j := range f.pairs[pairKey(mine[a], mine[b])] {
				if int(j) != i {
					if score[j] == 0 {
						touched = append(touched, j)
					}
					score[j] |= pair
				}
			}
		}
	}
	for _, j := range touched {
		score[j] = f.sharedBits(i, int(j), score[j])
	}
	// A group scoring less than the fifth best so far cannot reach the
	// best: most items' best share two terms or more, and skip them all.
	floor := fifthBest(touched, score)
	for _, id := range mine {
		for _, g := range f.groups[id] {
			s := f.weight[id] + int32(bits.OnesCount8(f.r.masks[i]&g.mask))
			if s < floor {
				continue
			}
			taken := 0
			for _, j := range g.items {
				if taken == MaxRelated {
					break
				}
				if int(j) == i || score[j] != 0 {
					continue // i itself, or sharing more than this term
				}
				score[j] = s
				touched = append(touched, j)
				taken++
			}
		}
	}
	related := top(touched, score, MaxRelated, items)
	for _, j := range touched {
		score[j] = 0
	}
	return related, touched
}

// sharedBits scores item j for item i as relater.candidates does for a
// dense item, given the bits of i's terms j shares: each shared term's
// weight, and one for each shared measure.
func (f *fastRelater) sharedBits(i, j int, shared int32) int32 {
	s := int32(bits.OnesCount8(f.r.masks[i] & f.r.masks[j]))
	for k, id := range f.terms[i] {
		if shared&(1<<k) != 0 {
			s += f.weight[id]
		}
	}
	return s
}

// fifthBest is the MaxRelated-th highest score among cands, or 0 when there
// are fewer.
func fifthBest(cands, score []int32) int32 {
	var best [MaxRelated]int32 // in descending order
	n := 0
	for _, j := range cands {
		v := score[j]
		if n == MaxRelated && v <= best[n-1] {
			continue
		}
		k := min(n, MaxRelated-1)
		for k > 0 && best[k-1] < v {
			best[k] = best[k-1]
			k--
		}
		best[k] = v
		n = min(n+1, MaxRelated)
	}
	if n < MaxRelated {
		return 0
	}
	return best[MaxRelated-1]
}
