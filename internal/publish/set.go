package publish

import "sync"

// set is a set of paths safe for concurrent use: a plain map under a
// mutex. A staging folder keeps one entry for every output of a build
// until it commits; sync.Map's nodes, each with its key boxed, took three
// times the room and gave the garbage collector three times the pointers
// to follow, through the whole render of a large site.
type set struct {
	mu sync.Mutex
	m  map[string]struct{}
}

// add puts s in the set and reports whether it was not there already.
func (p *set) add(s string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[string]struct{}{}
	}
	if _, ok := p.m[s]; ok {
		return false
	}
	p.m[s] = struct{}{}
	return true
}

// has reports whether s is in the set.
func (p *set) has(s string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.m[s]
	return ok
}

// each calls f with every path of the set, in no order; f must not
// change the set.
func (p *set) each(f func(s string)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for s := range p.m {
		f(s)
	}
}
