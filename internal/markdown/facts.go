package markdown

import (
	"iter"
	"slices"
	"strings"
)

// facts are a Doc of facts' links, headings and anchors, packed: every
// string in one text, and every number (a string's offsets in the text, a
// link's or heading's offset in the source, a heading's level) in one
// slice. The site model keeps them for every page for the whole build; held
// as slices of structs with a string each, and the anchors as a map, they
// were about 1.5 KB a page, the largest part of the model after the front
// matter.
type facts struct {
	text string
	// nums holds each link's (dest from, to, offset), then each heading's
	// (id from, to, text from, to, offset, level), then each anchor's
	// (from, to), the anchors sorted by their text.
	nums           []uint32
	nLinks, nHeads uint32
	raw            *[]RawLink // links left as text: rare, kept as found
}

const (
	linkNums    = 3
	headingNums = 6
	idNums      = 2
)

// packer builds facts, writing each distinct string into the text once.
type packer struct {
	b    strings.Builder
	seen map[string][2]uint32
	nums []uint32
}

// add appends the span of s in the text to nums.
func (p *packer) add(s string) {
	at, ok := p.seen[s]
	if !ok {
		at = [2]uint32{uint32(p.b.Len()), uint32(p.b.Len() + len(s))}
		p.b.WriteString(s)
		p.seen[s] = at
	}
	p.nums = append(p.nums, at[0], at[1])
}

// packFacts packs what a document's walks found. Offsets fit in 32 bits:
// a page is at most 10 MB (content.MaxFileSize).
func packFacts(links []Link, raw []RawLink, heads []Heading, ids iter.Seq[string]) facts {
	idList := slices.Sorted(ids)
	idList = slices.Compact(idList)
	size := 0
	for _, l := range links {
		size += len(l.Dest)
	}
	for _, h := range heads {
		size += len(h.ID) + len(h.Text)
	}
	for _, id := range idList {
		size += len(id)
	}
	p := packer{seen: make(map[string][2]uint32, len(links)+2*len(heads)+len(idList)),
		nums: make([]uint32, 0, linkNums*len(links)+headingNums*len(heads)+idNums*len(idList))}
	p.b.Grow(size) // exactly, or more when strings repeat: the text is kept all build
	for _, l := range links {
		p.add(l.Dest)
		p.nums = append(p.nums, uint32(l.Offset))
	}
	for _, h := range heads {
		p.add(h.ID)
		p.add(h.Text)
		p.nums = append(p.nums, uint32(h.Offset), uint32(h.Level))
	}
	for _, id := range idList {
		p.add(id)
	}
	f := facts{text: p.b.String(), nums: p.nums, nLinks: uint32(len(links)), nHeads: uint32(len(heads))}
	if len(raw) > 0 {
		r := slices.Clip(raw)
		f.raw = &r
	}
	return f
}

func (f *facts) str(from, to uint32) string { return f.text[from:to] }

func (f *facts) linkList() []Link {
	if f.nLinks == 0 {
		return nil
	}
	out := make([]Link, f.nLinks)
	for i := range out {
		n := f.nums[linkNums*i:]
		out[i] = Link{Dest: f.str(n[0], n[1]), Offset: int(n[2])}
	}
	return out
}

func (f *facts) headingList() []Heading {
	if f.nHeads == 0 {
		return nil
	}
	out := make([]Heading, f.nHeads)
	base := linkNums * int(f.nLinks)
	for i := range out {
		n := f.nums[base+headingNums*i:]
		out[i] = Heading{ID: f.str(n[0], n[1]), Text: f.str(n[2], n[3]), Offset: int(n[4]), Level: int(n[5])}
	}
	return out
}

func (f *facts) rawList() []RawLink {
	if f.raw == nil {
		return nil
	}
	return *f.raw
}

// ids returns the anchors' numbers: two a piece, in the order of their text.
func (f *facts) ids() []uint32 {
	return f.nums[linkNums*int(f.nLinks)+headingNums*int(f.nHeads):]
}

// id is the text of the i'th anchor of ids.
func (f *facts) id(ids []uint32, i int) string { return f.str(ids[idNums*i], ids[idNums*i+1]) }

func (f *facts) hasID(id string) bool {
	ids := f.ids()
	n := len(ids) / idNums
	lo, hi := 0, n // the first anchor not before id

	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if f.id(ids, m) < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < n && f.id(ids, lo) == id
}

func (f *facts) idSet() map[string]bool {
	ids := f.ids()
	out := make(map[string]bool, len(ids)/idNums)
	for i := range len(ids) / idNums {
		out[f.id(ids, i)] = true
	}
	return out
}

// eachID yields every anchor.
func (f *facts) eachID(yield func(string) bool) {
	ids := f.ids()
	for i := range len(ids) / idNums {
		if !yield(f.id(ids, i)) {
			return
		}
	}
}

func (f *facts) sameIDs(g *facts) bool {
	a, b := f.ids(), g.ids()
	if len(a) != len(b) {
		return false
	}
	for i := range len(a) / idNums {
		if f.id(a, i) != g.id(b, i) {
			return false
		}
	}
	return true
}
