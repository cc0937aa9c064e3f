package content

import (
	"slices"
	"strings"
	"sync"
)

// names numbers the topics and organisations pages are tagged with, once
// each, for as long as the process runs. A page keeps its tags as these
// numbers (see Page.Topics), which the collector never reads, where its
// lists of strings were a pointer a tag for the collector to follow on
// every cycle of a build's render. A site has a few hundred such names; the
// preview adds the new ones its edits bring.
var names nameTable

// nameTable is safe for concurrent use: pages are parsed on every core.
type nameTable struct {
	mu    sync.RWMutex
	index map[string]uint32
	list  []string
}

// number returns s's number, giving it the next one when it has none.
func (t *nameTable) number(s string) uint32 {
	t.mu.RLock()
	n, ok := t.index[s]
	t.mu.RUnlock()
	if ok {
		return n
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if n, ok := t.index[s]; ok {
		return n
	}
	if t.index == nil {
		t.index = map[string]uint32{}
	}
	s = strings.Clone(s) // not to keep the page's front matter it came from
	n = uint32(len(t.list))
	t.index[s] = n
	t.list = append(t.list, s)
	return n
}

// names returns the names numbered nums, in a new slice (nil for none).
func (t *nameTable) names(nums []uint32) []string {
	if len(nums) == 0 {
		return nil
	}
	out := make([]string, len(nums))
	t.mu.RLock()
	for i, n := range nums {
		out[i] = t.list[n]
	}
	t.mu.RUnlock()
	return out
}

// Topics returns the page's topics, as written, in a new slice (nil when it
// has none).
func (p *Page) Topics() []string { return names.names(p.tags[:p.ntopics]) }

// Organisations returns the page's organisations, as written, in a new
// slice (nil when it has none).
func (p *Page) Organisations() []string { return names.names(p.tags[p.ntopics:]) }

// NumTags is the number of the page's topics and organisations together.
func (p *Page) NumTags() int { return len(p.tags) }

// SetTags gives the page its topics and organisations.
func (p *Page) SetTags(topics, orgs []string) {
	p.tags, p.ntopics = nil, int32(len(topics))
	if len(topics)+len(orgs) == 0 {
		return
	}
	p.tags = make([]uint32, 0, len(topics)+len(orgs))
	for _, list := range [][]string{topics, orgs} {
		for _, s := range list {
			p.tags = append(p.tags, names.number(s))
		}
	}
}

// SameTags reports whether two pages have the same topics and
// organisations, in the same order.
func SameTags(a, b *Page) bool {
	return a.ntopics == b.ntopics && slices.Equal(a.tags, b.tags)
}
