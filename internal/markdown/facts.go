package markdown

import (
	"cmp"
	"iter"
	"slices"
	"strings"
)

// facts are a Doc of facts' links, headings and anchors, packed: every
// string in one text, and each link, heading and anchor as offsets into it.
// The site model keeps them for every page for the whole build; held as
// slices of structs with a string each, and the anchors as a map, they were
// about 1.5 KB a page, the largest part of the model after the front matter.
type facts struct {
	text  string
	links []linkAt
	heads []headingAt
	ids   []span    // every anchor, sorted by its text
	raw   []RawLink // links left as text: rare, kept as found
}

// span is a string of facts.text, by its offsets.
type span struct{ from, to uint32 }

type linkAt struct {
	dest   span
	offset int32
}

type headingAt struct {
	id, text span
	offset   int32
	level    uint8
}

// packer builds facts, writing each distinct string into the text once.
type packer struct {
	b    strings.Builder
	seen map[string]span
}

func (p *packer) add(s string) span {
	if at, ok := p.seen[s]; ok {
		return at
	}
	at := span{uint32(p.b.Len()), uint32(p.b.Len() + len(s))}
	p.b.WriteString(s)
	p.seen[s] = at
	return at
}

// packFacts packs what a document's walks found. Offsets fit in 32 bits:
// a page is at most 10 MB (content.MaxFileSize).
func packFacts(links []Link, raw []RawLink, heads []Heading, ids iter.Seq[string]) facts {
	var idList []string
	for id := range ids {
		idList = append(idList, id)
	}
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
	p := packer{seen: make(map[string]span, len(links)+2*len(heads)+len(idList))}
	p.b.Grow(size) // exactly, or more when strings repeat: the text is kept all build
	f := facts{raw: slices.Clip(raw)}
	if len(links) > 0 {
		f.links = make([]linkAt, len(links))
		for i, l := range links {
			f.links[i] = linkAt{dest: p.add(l.Dest), offset: int32(l.Offset)}
		}
	}
	if len(heads) > 0 {
		f.heads = make([]headingAt, len(heads))
		for i, h := range heads {
			f.heads[i] = headingAt{id: p.add(h.ID), text: p.add(h.Text), offset: int32(h.Offset), level: uint8(h.Level)}
		}
	}
	if len(idList) > 0 {
		f.ids = make([]span, len(idList))
		for i, id := range idList {
			f.ids[i] = p.add(id)
		}
	}
	f.text = p.b.String()
	slices.SortFunc(f.ids, func(a, b span) int { return strings.Compare(f.str(a), f.str(b)) })
	f.ids = slices.Clip(slices.Compact(f.ids)) // one string has one span
	return f
}

func (f *facts) str(s span) string { return f.text[s.from:s.to] }

func (f *facts) linkList() []Link {
	if len(f.links) == 0 {
		return nil
	}
	out := make([]Link, len(f.links))
	for i, l := range f.links {
		out[i] = Link{Dest: f.str(l.dest), Offset: int(l.offset)}
	}
	return out
}

func (f *facts) headingList() []Heading {
	if len(f.heads) == 0 {
		return nil
	}
	out := make([]Heading, len(f.heads))
	for i, h := range f.heads {
		out[i] = Heading{Level: int(h.level), ID: f.str(h.id), Text: f.str(h.text), Offset: int(h.offset)}
	}
	return out
}

func (f *facts) hasID(id string) bool {
	_, ok := slices.BinarySearchFunc(f.ids, id, func(s span, id string) int { return cmp.Compare(f.str(s), id) })
	return ok
}

func (f *facts) idSet() map[string]bool {
	out := make(map[string]bool, len(f.ids))
	for _, s := range f.ids {
		out[f.str(s)] = true
	}
	return out
}

func (f *facts) sameIDs(g *facts) bool {
	return slices.EqualFunc(f.ids, g.ids, func(a, b span) bool { return f.str(a) == g.str(b) })
}
