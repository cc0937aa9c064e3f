package markdown

// Record is what a Doc of facts knows beyond its source, in a form that
// encoding/gob can keep on disk: kb build keeps it between runs, so that
// a page whose bytes did not change is not parsed again for its facts.
type Record struct {
	Links    []Link
	Raw      []RawLink
	Headings []Heading
	IDs      map[string]bool
	Renamed  map[string]string
}

// Record returns d's facts. Callers keep only documents parsed without a
// problem: neither MetaErr nor Limit is recorded.
func (d *Doc) Record() Record {
	return Record{Links: d.Links(), Raw: d.RawLinks(), Headings: d.Headings(), IDs: d.IDs(), Renamed: d.Renamed}
}

// Restore makes the Doc of facts that r was recorded from, given the same
// source. The front matter's decoded map is not kept (the page's fields
// were decoded from it when r was made), so Meta is nil.
func (c *Converter) Restore(src []byte, r Record) *Doc {
	d := &Doc{Source: src, conv: c, Renamed: r.Renamed}
	d.links, d.raw, d.headings, d.ids = r.Links, r.Raw, r.Headings, r.IDs
	if d.ids == nil {
		d.ids = map[string]bool{} // gob drops empty maps; a walk makes one
	}
	d.linksOnce.Do(func() {})
	d.headingsOnce.Do(func() {})
	d.idsOnce.Do(func() {})
	return d
}
