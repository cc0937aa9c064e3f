package search

import (
	"slices"
	"sort"

	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/nhsx/kb/internal/wgll"
)

// row is what filtering, facet counting and sorting need of one page. The
// index keeps every row in memory so that none of them reads bleve's doc
// values: on a 10,000-page site that was most of the time a query took.
type row struct {
	URL      string   `json:"u"`
	Type     string   `json:"t"`
	Measures []string `json:"m"`
	Topics   []string `json:"p,omitempty"`
	Orgs     []string `json:"o,omitempty"`
	Date     int64    `json:"d,omitempty"` // Unix seconds; 0 when undated
	// Sum fingerprints the page's index document, so that the next build
	// can tell whether the page needs indexing again.
	Sum uint64 `json:"h"`

	// The page's body as numbers of lexicon pieces (code), and the length
	// of the part of it snippets come from (prose; see lexicon); both are
	// kept in the index's text file, not with the rows.
	pageText

	measures uint8    // Measures as bits in framework order
	typ      int      // Type's index in wgll.Sections
	topics   []uint16 // Topics as indexes into table.topics
	orgs     []uint16 // Orgs as indexes into table.orgs
}

func rowFrom(p *Page) row {
	r := row{URL: p.URL, Type: p.Type, Measures: slugsOf(p.Measures), Topics: slugsOf(p.Topics), Orgs: slugsOf(p.Organisations)}
	if !p.Date.IsZero() {
		r.Date = p.Date.Unix()
	}
	return r.prepare()
}

// prepare derives the compact forms the hot loops use.
func (r row) prepare() row {
	r.measures = 0
	for _, m := range r.Measures {
		if i := wgll.Index(m); i >= 0 {
			r.measures |= 1 << i
		}
	}
	r.typ = slices.Index(wgll.Types(), r.Type)
	return r
}

// table is the rows in a fixed order, with bleve's internal document IDs
// mapped to them when the index cannot change (an index opened read-only keeps
// its document numbers; one being updated renumbers them as it merges).
type table struct {
	rows         []row
	byURL        map[string]int32
	internal     map[string]int32 // nil: look rows up by URL
	topics, orgs terms
}

// terms numbers the topic or organisation slugs in use, so that counting them
// is indexing a slice rather than hashing strings.
type terms struct {
	slugs []string
	ids   map[string]uint16
}

func (t *terms) id(slug string) uint16 {
	if id, ok := t.ids[slug]; ok {
		return id
	}
	id := uint16(len(t.slugs))
	t.ids[slug] = id
	t.slugs = append(t.slugs, slug)
	return id
}

func (t *terms) intern(slugs []string) []uint16 {
	ids := make([]uint16, len(slugs))
	for i, s := range slugs {
		ids[i] = t.id(s)
	}
	return ids
}

func newTable(rows map[string]row) *table {
	t := &table{rows: make([]row, 0, len(rows)), byURL: make(map[string]int32, len(rows)),
		topics: terms{ids: map[string]uint16{}}, orgs: terms{ids: map[string]uint16{}}}
	for _, r := range rows {
		t.rows = append(t.rows, r)
	}
	sort.Slice(t.rows, func(i, j int) bool { return t.rows[i].URL < t.rows[j].URL })
	for i := range t.rows {
		r := &t.rows[i]
		t.byURL[r.URL] = int32(i)
		r.topics = t.topics.intern(r.Topics)
		r.orgs = t.orgs.intern(r.Orgs)
	}
	return t
}

// lookup finds the row of a matched document.
func (t *table) lookup(d *bsearch.DocumentMatch) (int32, bool) {
	if t.internal != nil {
		i, ok := t.internal[string(d.IndexInternalID)]
		return i, ok
	}
	i, ok := t.byURL[d.ID]
	return i, ok
}

// rowOf finds the row of a document a searcher matched, whose URL is not
// loaded yet: by its internal ID, or else through the reader.
func (t *table) rowOf(r index.IndexReader, d *bsearch.DocumentMatch) (int32, bool) {
	if t.internal != nil {
		i, ok := t.internal[string(d.IndexInternalID)]
		return i, ok
	}
	id, err := r.ExternalID(d.IndexInternalID)
	if err != nil {
		return 0, false
	}
	i, ok := t.byURL[id]
	return i, ok
}

// mapInternal records each row's internal document ID, for a read-only index.
func (t *table) mapInternal(x *Index) error {
	adv, err := x.bi.Advanced()
	if err != nil {
		return err
	}
	reader, err := adv.Reader()
	if err != nil {
		return err
	}
	defer reader.Close()
	t.internal = make(map[string]int32, len(t.rows))
	for i, r := range t.rows {
		id, err := reader.InternalID(r.URL)
		if err != nil {
			return err
		}
		if id != nil {
			t.internal[string(id)] = int32(i)
		}
	}
	return nil
}
