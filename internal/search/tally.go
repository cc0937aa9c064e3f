package search

import "sync"

// tally counts the numbers (vocabulary words or terms) met in one page's
// code: a count for every number there is, and the numbers met, in the
// order first met. Counting in place of sorting every word's number, then
// running over the runs, was most of what a page's words and terms cost.
type tally struct {
	counts []int32 // by number; zero for every number not met
	seen   []int32
}

// size makes room for numbers below n.
func (t *tally) size(n int) {
	if len(t.counts) < n {
		t.counts = append(t.counts, make([]int32, n-len(t.counts))...)
	}
}

func (t *tally) add(n int32) {
	if t.counts[n] == 0 {
		t.seen = append(t.seen, n)
	}
	t.counts[n]++
}

// clear makes t count afresh, in time with the numbers met, not with all.
func (t *tally) clear() {
	for _, n := range t.seen {
		t.counts[n] = 0
	}
	t.seen = t.seen[:0]
}

// tallies lends tallies out, one to each page being counted, so that the
// counts (as many as the site has words or terms) are not made afresh for
// every page. It keeps those returned for good, not in a sync.Pool: a
// pool is emptied by every collection, and the counts, hundreds of
// kilobytes on a large site, were made again and again through a build.
// There are never more than the pages counted at once.
type tallies struct {
	mu   sync.Mutex
	free []*tally
}

func (ts *tallies) get() *tally {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if n := len(ts.free); n > 0 {
		t := ts.free[n-1]
		ts.free = ts.free[:n-1]
		return t
	}
	return &tally{}
}

func (ts *tallies) put(t *tally) {
	t.clear()
	ts.mu.Lock()
	ts.free = append(ts.free, t)
	ts.mu.Unlock()
}
