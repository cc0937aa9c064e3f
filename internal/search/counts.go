package search

import (
	"sync"

	index "github.com/blevesearch/bleve_index_api"
)

// termCounts are one field's term counts as bleve takes them: the map and
// the counts it points into, made together so that both can be lent again.
type termCounts struct {
	freqs index.TokenFrequencies
	tfs   []index.TokenFreq
}

// countPool lends the term counts of bodies. Each page's body makes a map
// of a few hundred terms that bleve reads once, when it indexes the page's
// batch, and never again: made afresh, they were a twelfth of all a
// 100,000-page build allocated, and so of its collections. It keeps a
// batch's worth: a sync.Pool, emptied by every collection, lent back too
// few of them, as a large build collects about once a batch.
type countPool struct {
	mu   sync.Mutex
	free []*termCounts
}

// maxLentTerms bounds the maps kept for lending: clearing a map costs as
// much as its largest fill, so one huge page must not slow every later one.
const maxLentTerms = 4096

// get lends counts with room for n terms, empty.
func (cp *countPool) get(n int) *termCounts {
	var c *termCounts
	cp.mu.Lock()
	if n := len(cp.free); n > 0 {
		c, cp.free = cp.free[n-1], cp.free[:n-1]
	}
	cp.mu.Unlock()
	if c == nil {
		return &termCounts{freqs: make(index.TokenFrequencies, n), tfs: make([]index.TokenFreq, 0, n)}
	}
	if cap(c.tfs) < n {
		c.tfs = make([]index.TokenFreq, 0, n)
	}
	return c
}

// put takes counts back once nothing reads them any more.
func (cp *countPool) put(c *termCounts) {
	if c == nil || len(c.freqs) > maxLentTerms {
		return
	}
	clear(c.freqs)
	clear(c.tfs) // no Term left pointing at a term's name
	c.tfs = c.tfs[:0]
	cp.mu.Lock()
	if len(cp.free) < batchSize {
		cp.free = append(cp.free, c)
	}
	cp.mu.Unlock()
}

// drain lets go of the counts kept for lending, once no more pages are
// coming: at 100,000 pages they were 32 MB of the live heap through the
// final merge, where the build's memory peaks.
func (cp *countPool) drain() {
	cp.mu.Lock()
	cp.free = nil
	cp.mu.Unlock()
}
