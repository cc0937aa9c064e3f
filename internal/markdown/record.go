package markdown

import (
	"maps"
	"slices"
)

// Record is what a Doc of facts knows beyond its source, in a form that
// encoding/gob can keep on disk: kb build keeps it between runs, so that
// a page whose bytes did not change is not parsed again for its facts.
type Record struct {
	Links    []Link
	Raw      []RawLink
	Headings []Heading
	// IDs are the anchors that are not a heading's id, and NotIDs the
	// headings' ids that are not anchors (none, usually): the headings
	// give the rest, so that they are not kept twice.
	IDs, NotIDs []string
	Renamed     map[string]string
}

// Record returns d's facts. Callers keep only documents parsed without a
// problem: neither MetaErr nor Limit is recorded.
func (d *Doc) Record() Record {
	r := Record{Links: d.Links(), Raw: d.RawLinks(), Headings: d.Headings(), Renamed: d.Renamed}
	heading := make(map[string]bool, len(r.Headings))
	for _, h := range r.Headings {
		heading[h.ID] = true
		if !d.HasID(h.ID) {
			r.NotIDs = append(r.NotIDs, h.ID)
		}
	}
	for id := range d.eachID {
		if !heading[id] {
			r.IDs = append(r.IDs, id)
		}
	}
	slices.Sort(r.IDs)
	return r
}

// eachID yields every anchor of d.
func (d *Doc) eachID(yield func(string) bool) {
	if d.walks != nil {
		maps.Keys(d.IDs())(yield)
		return
	}
	d.facts.eachID(d.strs())(yield)
}

// Restore makes the Doc of facts that r was recorded from; load gives its
// source, the bytes r was recorded from, when it is rendered. The front
// matter's decoded map is not kept (the page's fields were decoded from it
// when r was made), so Meta is nil.
func (c *Converter) Restore(r Record, load Loader) *Doc { return c.RestoreInto(new(Doc), r, load) }

// RestoreInto is Restore made in d, which it overwrites and returns (see
// FactsInto).
func (c *Converter) RestoreInto(d *Doc, r Record, load Loader) *Doc {
	*d = Doc{load: load, conv: c, Renamed: r.Renamed}
	not := func(id string) bool { return slices.Contains(r.NotIDs, id) }
	ids := func(yield func(string) bool) {
		for _, h := range r.Headings {
			if !not(h.ID) && !yield(h.ID) {
				return
			}
		}
		for _, id := range r.IDs {
			if !yield(id) {
				return
			}
		}
	}
	d.facts = packFacts(c.strs, r.Links, r.Raw, r.Headings, ids)
	return d
}
