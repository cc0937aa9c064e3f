package markdown

import (
	"iter"
	"slices"
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
	// text, offset<<3 | level), then each anchor's number, the anchors
	// sorted by their text.
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
	idList := slices.Compact(slices.Sorted(ids))
	strs := make([]string, 0, len(links)+2*len(heads)+len(idList))
	for _, l := range links {
		strs = append(strs, l.Dest)
	}
	for _, h := range heads {
		strs = append(strs, h.ID, h.Text)
	}
	strs = append(strs, idList...)
	nums := make([]uint32, 0, linkNums*len(links)+headingNums*len(heads)+len(idList))
	tab.numbers(strs, func(n uint32) { nums = append(nums, n) })
	// the strings' numbers are in place; the offsets and levels go between
	out := make([]uint32, 0, cap(nums))
	for i, l := range links {
		out = append(out, nums[i], uint32(l.Offset))
	}
	base := len(links)
	for i, h := range heads {
		out = append(out, nums[base+2*i], nums[base+2*i+1], uint32(h.Offset)<<levelBits|uint32(h.Level)&(1<<levelBits-1))
	}
	out = append(out, nums[base+2*len(heads):]...)
	f := facts{nums: out, nLinks: uint32(len(links)), nHeads: uint32(len(heads))}
	if len(raw) > 0 {
		r := slices.Clip(raw)
		f.raw = &r
	}
	return f
}

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
	if f.nHeads == 0 {
		return nil
	}
	out := make([]Heading, f.nHeads)
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

// ids returns the anchors' numbers, in the order of their text.
func (f *facts) ids() []uint32 {
	return f.nums[linkNums*int(f.nLinks)+headingNums*int(f.nHeads):]
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
	return lo < len(ids) && tab.str(ids[lo]) == id
}

func (f *facts) idSet(tab *strtab) map[string]bool {
	ids := f.ids()
	out := make(map[string]bool, len(ids))
	for _, n := range ids {
		out[tab.str(n)] = true
	}
	return out
}

// eachID yields every anchor.
func (f *facts) eachID(tab *strtab, yield func(string) bool) {
	for _, n := range f.ids() {
		if !yield(tab.str(n)) {
			return
		}
	}
}

// sameIDs reports whether f, of ftab, and g, of gtab, have the same anchors.
func (f *facts) sameIDs(ftab *strtab, g *facts, gtab *strtab) bool {
	a, b := f.ids(), g.ids()
	if ftab == gtab {
		return slices.Equal(a, b)
	}
	return slices.EqualFunc(a, b, func(x, y uint32) bool { return ftab.str(x) == gtab.str(y) })
}
