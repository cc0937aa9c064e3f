package site

import "slices"

// termLists keeps, for each pair and each triple of terms, the items holding
// all of them, in item order. At 100,000 items there are thousands of pairs,
// a hundred and sixty thousand triples and four million entries, so the
// lists share arrays rather than each have a slice (appending would hold
// twice the memory), and a triple is found from its pair, whose few
// thousand numbers stay in the processor's cache, rather than through a map
// of its own.
type termLists struct {
	pairSlot  map[uint64]int32 // by pairKey
	pairAt    []int32          // pair k's items are pairItems[pairAt[k]:pairAt[k+1]]
	pairItems []int32

	thirdAt     []int32 // pair k's triples are thirds[thirdAt[k]:thirdAt[k+1]]
	thirds      []int32 // each triple's greatest term, increasing within a pair
	tripleAt    []int32 // triple t's items are tripleItems[tripleAt[t]:tripleAt[t+1]]
	tripleItems []int32
}

// tripleChoice says whether to list items by triple: when pairs' lists
// are long (tripleAuto), or always or never, for the tests of both ways.
type tripleChoice int

const (
	tripleAuto tripleChoice = iota
	tripleAlways
	tripleNever
)

// tripleFrom is how many items a pair's list holds on average before lists
// by triple pay for their making: 30 on the shared 10,000-page corpus,
// where making them would double the time an edit in the preview spends
// before relating (20 ms to 60 ms), and 300 at 100,000 pages, where they
// make relating four times as fast.
const tripleFrom = 100

func pairKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// newTermLists lists the items of the terms numbered below nTerms; terms
// gives each item's terms in increasing order, and triple whether an item
// goes in the lists by triple, if there are any (see tripleChoice).
func newTermLists(n, nTerms int, terms func(i int) []int32, triple func(i int) bool, by tripleChoice) *termLists {
	l := &termLists{pairSlot: map[uint64]int32{}}
	var count []int32
	var high []int32 // by pair: its greater term
	for i := range n {
		eachPair(terms(i), func(a, b int32) {
			k, ok := l.pairSlot[pairKey(a, b)]
			if !ok {
				k = int32(len(count))
				l.pairSlot[pairKey(a, b)] = k
				count = append(count, 0)
				high = append(high, b)
			}
			count[k]++
		})
	}
	l.pairAt = starts(count)
	l.pairItems = make([]int32, l.pairAt[len(count)])
	next := count // where each pair's next item goes
	copy(next, l.pairAt)
	for i := range n {
		eachPair(terms(i), func(a, b int32) {
			k := l.pairSlot[pairKey(a, b)]
			l.pairItems[next[k]] = int32(i)
			next[k]++
		})
	}
	if by == tripleAlways || by == tripleAuto && len(l.pairItems) > tripleFrom*len(high) {
		l.addTriples(n, high, make([]int32, nTerms), terms, triple)
	}
	return l
}

// starts turns counts into where each list starts, with the end of the last.
func starts(count []int32) []int32 {
	at := make([]int32, len(count)+1)
	for k, c := range count {
		at[k+1] = at[k] + c
	}
	return at
}

// addTriples lists by triple the items holding each pair and a greater
// third term, pair by pair, using count (by term, all zero) as scratch.
func (l *termLists) addTriples(n int, high, count []int32, terms func(i int) []int32, triple func(i int) bool) {
	total := 0
	for i := range n {
		if n := len(terms(i)); triple(i) {
			total += n * (n - 1) * (n - 2) / 6
		}
	}
	l.tripleItems = make([]int32, 0, total)
	l.thirdAt = make([]int32, 1, len(high)+1)
	l.tripleAt = []int32{0}
	var seen []int32
	for k, b := range high {
		pair := l.pairItems[l.pairAt[k]:l.pairAt[k+1]]
		seen = seen[:0]
		eachThird(pair, b, terms, triple, func(_, c int32) {
			if count[c] == 0 {
				seen = append(seen, c)
			}
			count[c]++
		})
		slices.Sort(seen)
		for _, c := range seen {
			start := l.tripleAt[len(l.tripleAt)-1]
			l.thirds = append(l.thirds, c)
			l.tripleAt = append(l.tripleAt, start+count[c])
			count[c] = start // now where c's next item goes
		}
		l.thirdAt = append(l.thirdAt, int32(len(l.thirds)))
		end := int(l.tripleAt[len(l.tripleAt)-1])
		l.tripleItems = slices.Grow(l.tripleItems, end-len(l.tripleItems))[:end]
		eachThird(pair, b, terms, triple, func(j, c int32) {
			l.tripleItems[count[c]] = j
			count[c]++
		})
		for _, c := range seen {
			count[c] = 0
		}
	}
}

// eachThird calls do with each item of a pair's list that goes in the lists
// by triple and each of its terms greater than b, the pair's greater term.
func eachThird(pair []int32, b int32, terms func(i int) []int32, triple func(i int) bool, do func(j, c int32)) {
	for _, j := range pair {
		if !triple(int(j)) {
			continue
		}
		ts := terms(int(j))
		for _, c := range ts[above(ts, b):] {
			do(j, c)
		}
	}
}

// above is where in ts, increasing, the terms greater than b begin.
func above(ts []int32, b int32) int {
	k, found := slices.BinarySearch(ts, b)
	if found {
		k++
	}
	return k
}

// byTriple reports whether there are lists by triple.
func (l *termLists) byTriple() bool { return l.tripleAt != nil }

// pair is the number of the pair of terms a < b, if an item holds both.
func (l *termLists) pair(a, b int32) (int32, bool) {
	k, ok := l.pairSlot[pairKey(a, b)]
	return k, ok
}

// pairList is the items holding both terms of pair k.
func (l *termLists) pairList(k int32) []int32 { return l.pairItems[l.pairAt[k]:l.pairAt[k+1]] }

// tripleList is the items holding both terms of pair k and term c, greater.
func (l *termLists) tripleList(k, c int32) []int32 {
	thirds := l.thirds[l.thirdAt[k]:l.thirdAt[k+1]]
	t, ok := slices.BinarySearch(thirds, c)
	if !ok {
		return nil
	}
	t += int(l.thirdAt[k])
	return l.tripleItems[l.tripleAt[t]:l.tripleAt[t+1]]
}

// eachPair calls do with each pair of ts, in order.
func eachPair(ts []int32, do func(a, b int32)) {
	for x, a := range ts {
		for _, b := range ts[x+1:] {
			do(a, b)
		}
	}
}
