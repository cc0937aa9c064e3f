package content

import (
	"strings"
	"sync"
)

// Strings keeps one copy of each front-matter value that many pages repeat:
// measures, types, programmes and owners (topics and organisations are
// numbered instead, see names). Decoded page by page, each page held its own
// copies, which at 100,000 pages came to tens of megabytes for a few hundred
// distinct values. It is safe for concurrent use, as pages are parsed on
// every core.
type Strings struct {
	m     sync.Map
	lists sync.Map // joined by NUL → the list
}

// Intern returns the copy of s kept, keeping s when it is the first.
func (s *Strings) Intern(v string) string {
	if got, ok := s.m.Load(v); ok {
		return got.(string)
	}
	got, _ := s.m.LoadOrStore(v, v)
	return got.(string)
}

// InternList returns the copy of list kept, keeping list when it is the
// first: for lists of few distinct values, such as a page's measures (seven
// of them, so a site's pages have few distinct lists), each page's own
// slice was 32 bytes for a few hundred lists. The list is not to be changed
// after.
func (s *Strings) InternList(list []string) []string {
	if len(list) == 0 {
		return list
	}
	key := strings.Join(list, "\x00")
	if got, ok := s.lists.Load(key); ok {
		return got.([]string)
	}
	got, _ := s.lists.LoadOrStore(key, list)
	return got.([]string)
}

// Interning returns vocab with strings: parses given it share one copy of
// each repeated value (see Strings).
func Interning(vocab Vocabulary, strings *Strings) Vocabulary {
	if vocab == nil {
		return nil // what checks against no vocabulary tells apart
	}
	return interning{vocab, strings}
}

type interning struct {
	Vocabulary
	*Strings
}

// interner is what Interning adds to a Vocabulary.
type interner interface {
	Intern(string) string
	InternList([]string) []string
}

// internOf returns vocab's interner, or one that keeps every string as it is.
func internOf(vocab Vocabulary) func(string) string {
	if in, ok := vocab.(interner); ok {
		return in.Intern
	}
	return func(s string) string { return s }
}

// measuresOf returns the copy vocab keeps of a page's list of measures,
// its values already interned, or the list itself.
func measuresOf(vocab Vocabulary, list []string) []string {
	if in, ok := vocab.(interner); ok {
		return in.InternList(list)
	}
	return list
}

// Share puts in r the copies vocab keeps of the values pages repeat, as a
// parse given vocab would have (see Interning): restored pages are most of a
// kb build's after an edit.
func (r *Record) Share(vocab Vocabulary) {
	intern := internOf(vocab)
	r.Type, r.Programme, r.Owner = intern(r.Type), intern(r.Programme), intern(r.Owner)
	r.Measures = measuresOf(vocab, internAll(r.Measures, intern))
}

// Pack copies the strings of list into one new string and puts in list's
// places its parts, so that strings a build keeps side by side to its end
// (a folder's paths, a site's URLs, its pages' output paths) are one object
// for the collector rather than one each.
func Pack(list []string) {
	n := 0
	for _, s := range list {
		n += len(s)
	}
	var b strings.Builder
	b.Grow(n)
	for _, s := range list {
		b.WriteString(s)
	}
	all := b.String()
	for i, s := range list {
		list[i], all = all[:len(s)], all[len(s):]
	}
}

// shared returns rel + "/" + name, as the end of abs when abs ends with it
// (a folder's path ends with its path from the source folder, where / is
// the separator): every page keeps both, for the whole build.
func shared(abs, rel, name string) string {
	n := len(rel) + 1 + len(name)
	if len(abs) >= n {
		if tail := abs[len(abs)-n:]; tail[:len(rel)] == rel && tail[len(rel)] == '/' && tail[len(rel)+1:] == name {
			return tail
		}
	}
	return rel + "/" + name
}
