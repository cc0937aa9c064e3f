package markdown

import (
	"iter"
	"slices"
	"strings"
)

// facts are a Doc of facts' links, headings and anchors, packed into one
// slice of numbers, which the collector need not look into: each string is
// the number of its copy in its converter's table (see strtab), beside a
// link's or heading's offset in the source and a heading's level. The site
// model keeps them for every page for the whole build; held as slices of
// structs with a string each, and the anchors as a map, they were about
// 1.5 KB a page, and with the strings packed in a text of each page's own,
// about 700 bytes.
type facts struct {
	// nums holds each link's (dest, offset), then each heading's (id,
	// text, offset<<3 | level), then the number of each anchor that is not
	// a heading's id, sorted by their text (see explicitIDs).
	nums           []uint32
	nLinks, nHeads uint32
	raw            *[]RawLink // links left as text: rare, kept as found
}

const (
	linkNums    = 2
	headingNums = 3
	levelBits   = 3 // a heading's level is 1 to 6
)

// packFacts packs what a document's walks found. Offsets fit in 29 bits:
// a page is at most 10 MB (content.MaxFileSize).
func packFacts(tab *strtab, links []Link, raw []RawLink, heads []Heading, ids iter.Seq[string]) facts {
	anchors, explicit := anchorsBeside(heads, slices.Compact(slices.Sorted(ids)))
	strs := make([]string, 0, len(links)+2*len(heads)+len(anchors))
	for _, l := range links {
		strs = append(strs, l.Dest)
	}
	for _, h := range heads {
		strs = append(strs, h.ID, h.Text)
	}
	strs = append(strs, anchors...)
	nums := make([]uint32, 0, len(strs))
	tab.numbers(strs, func(n uint32) { nums = append(nums, n) })
	// the strings' numbers are in place; the offsets and levels go between
	out := make([]uint32, 0, linkNums*len(links)+headingNums*len(heads)+len(anchors))
	for i, l := range links {
		out = append(out, nums[i], uint32(l.Offset))
	}
	base := len(links)
	for i, h := range heads {
		out = append(out, nums[base+2*i], nums[base+2*i+1], uint32(h.Offset)<<levelBits|uint32(h.Level)&(1<<levelBits-1))
	}
	out = append(out, nums[base+2*len(heads):]...)
	f := facts{nums: out, nLinks: uint32(len(links)), nHeads: uint32(len(heads))}
	if explicit {
		f.nHeads |= explicitIDs
	}
	if len(raw) > 0 {
		r := slices.Clip(raw)
		f.raw = &r
	}
	return f
}

// explicitIDs marks, in nHeads, facts whose anchors are all listed: those
// whose headings' ids are not each a distinct anchor. Otherwise the
// headings' ids are anchors without being listed again, and only the
// others are (a page's anchors are most often its headings' ids alone).
const explicitIDs = 1 << 31

// anchorsBeside returns the anchors of ids, which are sorted, that are not
// a heading's id, when every heading's id is an anchor of its own; else ids
// and explicit.
func anchorsBeside(heads []Heading, ids []string) (anchors []string, explicit bool) {
	seen := make(map[string]bool, len(heads))
	for _, h := range heads {
		if _, ok := slices.BinarySearch(ids, h.ID); !ok || seen[h.ID] {
			return ids, true
		}
		seen[h.ID] = true
	}
	anchors = make([]string, 0, len(ids)-len(heads))
	for _, id := range ids {
		if !seen[id] {
			anchors = append(anchors, id)
		}
	}
	return anchors, false
}

// heads is how many headings f has.
func (f *facts) heads() int { return int(f.nHeads &^ explicitIDs) }

func (f *facts) linkList(tab *strtab) []Link {
	if f.nLinks == 0 {
		return nil
	}
	out := make([]Link, f.nLinks)
	for i := range out {
		n := f.nums[linkNums*i:]
		out[i] = Link{Dest: tab.str(n[0]), Offset: int(n[1])}
	}
	return out
}

func (f *facts) headingList(tab *strtab) []Heading {
	if f.heads() == 0 {
		return nil
	}
	out := make([]Heading, f.heads())
	base := linkNums * int(f.nLinks)
	for i := range out {
		n := f.nums[base+headingNums*i:]
		out[i] = Heading{ID: tab.str(n[0]), Text: tab.str(n[1]), Offset: int(n[2] >> levelBits), Level: int(n[2] & (1<<levelBits - 1))}
	}
	return out
}

func (f *facts) rawList() []RawLink {
	if f.raw == nil {
		return nil
	}
	return *f.raw
}

// ids returns the numbers of the anchors listed, in the order of their text.
func (f *facts) ids() []uint32 {
	return f.nums[linkNums*int(f.nLinks)+headingNums*f.heads():]
}

// headIDs yields the number of each heading's id when they are anchors
// not listed (see explicitIDs).
func (f *facts) headIDs(yield func(uint32) bool) {
	if f.nHeads&explicitIDs != 0 {
		return
	}
	base := linkNums * int(f.nLinks)
	for i := range f.heads() {
		if !yield(f.nums[base+headingNums*i]) {
			return
		}
	}
}

func (f *facts) hasID(tab *strtab, id string) bool {
	ids := f.ids()
	lo, hi := 0, len(ids) // the first anchor not before id
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if tab.str(ids[m]) < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(ids) && tab.str(ids[lo]) == id {
		return true
	}
	for n := range f.headIDs {
		if tab.str(n) == id {
			return true
		}
	}
	return false
}

func (f *facts) idSet(tab *strtab) map[string]bool {
	out := make(map[string]bool, f.heads()+len(f.ids()))
	for id := range f.eachID(tab) {
		out[id] = true
	}
	return out
}

// eachID yields every anchor, once.
func (f *facts) eachID(tab *strtab) iter.Seq[string] {
	return func(yield func(string) bool) {
		for n := range f.headIDs {
			if !yield(tab.str(n)) {
				return
			}
		}
		for _, n := range f.ids() {
			if !yield(tab.str(n)) {
				return
			}
		}
	}
}

// sorted returns the anchors' numbers in the order of their text.
func (f *facts) sorted(tab *strtab) []uint32 {
	ids := slices.AppendSeq(slices.Clone(f.ids()), f.headIDs)
	slices.SortFunc(ids, func(a, b uint32) int { return strings.Compare(tab.str(a), tab.str(b)) })
	return ids
}

// sameIDs reports whether f, of ftab, and g, of gtab, have the same anchors.
func (f *facts) sameIDs(ftab *strtab, g *facts, gtab *strtab) bool {
	a, b := f.sorted(ftab), g.sorted(gtab)
	if ftab == gtab {
		return slices.Equal(a, b)
	}
	return slices.EqualFunc(a, b, func(x, y uint32) bool { return ftab.str(x) == gtab.str(y) })
}
