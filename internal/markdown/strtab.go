package markdown

import (
	"strings"
	"sync"
	"sync/atomic"
)

// strtab keeps one copy of each string the facts of a converter's documents
// hold (link destinations, heading ids and texts, anchors), so that a Doc of
// facts is only numbers: a site's pages repeat their headings ("Scope",
// "Timeline") and link to the same pages, and at 100,000 pages each page's
// own copies came to about 500 bytes, a seventh of the site model, which
// the collector marked on every cycle of the render. It is safe for
// concurrent use: pages are parsed on every core, and read while later
// ones are.
//
// Strings are never dropped: the preview adds those of each edit, a few
// bytes for each new heading or link.
type strtab struct {
	mu  sync.Mutex
	ids map[string]uint32
	// list is every string by its number. Readers load it without the lock:
	// a number reaches them only after its string was stored (with the Doc
	// holding it), and a string once stored never moves.
	list  atomic.Pointer[[]string]
	block strings.Builder // where new strings are copied, many to a block
}

// blockSize is the size of the blocks strings are copied into: few objects
// for the collector, little left unused at the end of each.
const blockSize = 16 << 10

func newStrtab() *strtab {
	t := &strtab{ids: map[string]uint32{}}
	t.list.Store(new([]string))
	return t
}

// number returns the number of each of ss in turn, through put, adding
// those not yet kept; one lock for a document's strings.
func (t *strtab) numbers(ss []string, put func(uint32)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var list []string
	for _, s := range ss {
		n, ok := t.ids[s]
		if !ok {
			if list == nil {
				list = *t.list.Load()
			}
			s = t.keep(s)
			n = uint32(len(list))
			list = append(list, s)
			t.ids[s] = n
		}
		put(n)
	}
	if list != nil {
		t.list.Store(&list)
	}
}

// keep copies s into the current block.
func (t *strtab) keep(s string) string {
	if len(s) > blockSize/8 {
		return strings.Clone(s)
	}
	if t.block.Cap()-t.block.Len() < len(s) {
		t.block = strings.Builder{}
		t.block.Grow(blockSize)
	}
	at := t.block.Len()
	t.block.WriteString(s)
	return t.block.String()[at:] // a Builder never changes the bytes written
}

// str is the string numbered n.
func (t *strtab) str(n uint32) string { return (*t.list.Load())[n] }
