package site

// termSet is two or three term numbers in increasing order; a pair has -1
// for its third.
type termSet [3]int32

// setLists keeps, for each set of terms, the items holding all of them, in
// item order. The lists share one array rather than each have its own: at
// 100,000 items there are a hundred thousand lists and millions of entries,
// and a slice each, grown by appending, would hold twice the memory.
type setLists struct {
	slot  map[termSet]int32 // each set's list is items[start[slot]:start[slot+1]]
	start []int32
	items []int32
}

// newSetLists makes the lists of n items, each item giving its sets to add.
func newSetLists(n int, sets func(i int, add func(termSet))) setLists {
	l := setLists{slot: map[termSet]int32{}}
	var count []int32
	for i := range n {
		sets(i, func(s termSet) {
			k, ok := l.slot[s]
			if !ok {
				k = int32(len(count))
				l.slot[s] = k
				count = append(count, 0)
			}
			count[k]++
		})
	}
	l.start = make([]int32, len(count)+1)
	for k, c := range count {
		l.start[k+1] = l.start[k] + c
	}
	l.items = make([]int32, l.start[len(count)])
	next := count // where each list's next item goes
	copy(next, l.start)
	for i := range n {
		sets(i, func(s termSet) {
			k := l.slot[s]
			l.items[next[k]] = int32(i)
			next[k]++
		})
	}
	return l
}

// list is the items holding every term of s.
func (l *setLists) list(s termSet) []int32 {
	k, ok := l.slot[s]
	if !ok {
		return nil
	}
	return l.items[l.start[k]:l.start[k+1]]
}

// eachPair calls do with the positions in ts of each pair of its terms.
func eachPair(ts []int32, do func(a, b int)) {
	for a := range ts {
		for b := a + 1; b < len(ts); b++ {
			do(a, b)
		}
	}
}

// eachTriple calls do with the positions in ts of each triple of its terms.
func eachTriple(ts []int32, do func(a, b, c int)) {
	for a := range ts {
		for b := a + 1; b < len(ts); b++ {
			for c := b + 1; c < len(ts); c++ {
				do(a, b, c)
			}
		}
	}
}
