package markdown

import "slices"

// Record is what a Doc of facts knows beyond its source, in a form that
// encoding/gob can keep on disk: kb build keeps it between runs, so that
// a page whose bytes did not change is not parsed again for its facts.
type Record struct {
	Links    []Link
	Raw      []RawLink
	Headings []Heading
	IDs      []string // sorted: gob reads a list faster than a map
	Renamed  map[string]string
}

// Record returns d's facts. Callers keep only documents parsed without a
// problem: neither MetaErr nor Limit is recorded.
func (d *Doc) Record() Record {
	ids := make([]string, 0, len(d.IDs()))
	for id := range d.IDs() {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return Record{Links: d.Links(), Raw: d.RawLinks(), Headings: d.Headings(), IDs: ids, Renamed: d.Renamed}
}

// Restore makes the Doc of facts that r was recorded from, given the same
// source. The front matter's decoded map is not kept (the page's fields
// were decoded from it when r was made), so Meta is nil.
func (c *Converter) Restore(src []byte, r Record) *Doc {
	d := &Doc{Source: src, conv: c, Renamed: r.Renamed}
	d.links, d.raw, d.headings = r.Links, r.Raw, r.Headings
	d.ids = make(map[string]bool, len(r.IDs))
	for _, id := range r.IDs {
		d.ids[id] = true
	}
	d.linksOnce.Do(func() {})
	d.headingsOnce.Do(func() {})
	d.idsOnce.Do(func() {})
	return d
}
