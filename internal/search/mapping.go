// Package search is the knowledge base's search: a bleve index of the site's
// searchable pages (taken in as Page records, so that it needs none of the
// site's packages), NHS synonyms applied at query time, and the queries,
// filters and facets run over it. Words are read by search/analysis; the JSON
// API and the results page are served by search/web.
package search

import (
	"hash/crc64"
	"strings"
	"time"
	"unsafe"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/whitespace"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/nhsx/kb/internal/search/analysis"
)

// Field names, shared by the mapping, the queries and the loading of hits.
// The index holds only what queries and hits read: filters, facets, sorting
// and the hits' type, date and terms come from the rows (see row).
const (
	fTitle    = "title"
	fSummary  = "summary"
	fHeadings = "headings"
	fBody     = "body"
	fTags     = "tags"     // names of the page's measures, topics and organisations, as text
	fConcepts = "concepts" // a token per mention of a vocabulary group (see concepts)
	fSources  = "sources"  // the page's sources as JSON, stored only: shown with hits, never searched

	// Names of row fields, for labels and facets.
	fType     = "type"
	fMeasures = "measures"
	fTopics   = "topics"
	fOrgs     = "organisations"
)

// textFields are searched by words, with the weight each carries: a match in
// the title or summary says more about a page than one deep in its body.
var textFields = []textField{
	{fTitle, 6}, {fSummary, 3}, {fTags, 2}, {fHeadings, 2}, {fBody, 1},
}

type textField struct {
	name  string
	boost float64
}

// document is what one page becomes in the index. Field names match the
// constants above; stored fields come back with each hit, so an opened index
// answers without the site's sources.
type document struct {
	Title    string `json:"title"`
	Summary  string `json:"summary"`
	Headings string `json:"headings"`
	Body     string `json:"body"`
	Tags     string `json:"tags"`
	Concepts string `json:"concepts"`
	Sources  string `json:"sources"`
	// Text is the start of Body: its prose, without the navigation, which
	// snippets are made from. The index's text file holds it (see lexicon).
	Text string `json:"-"`

	// What the rows hold: in the fingerprint, not in the index.
	URL           string    `json:"-"`
	Type          string    `json:"-"`
	Measures      []string  `json:"-"`
	Topics        []string  `json:"-"`
	Organisations []string  `json:"-"`
	Date          time.Time `json:"-"`
}

// sum fingerprints the document: equal sums mean the index would hold the
// same for it.
func (d *document) sum() uint64 {
	// crc64.Update reads the text where it is: io.WriteString to a hash
	// copied each page's body (150 MB at 10,000 pages).
	var crc uint64
	add := func(s string, sep byte) {
		crc = crc64.Update(crc, crcTable, unsafe.Slice(unsafe.StringData(s), len(s)))
		crc = crc64.Update(crc, crcTable, []byte{sep})
	}
	for _, f := range []string{d.Title, d.Summary, d.Headings, d.Body, d.Tags, d.Concepts, d.Type,
		d.URL, d.Date.UTC().Format(time.RFC3339), d.Sources, d.Text} {
		add(f, 0)
	}
	for _, list := range [][]string{d.Measures, d.Topics, d.Organisations} {
		for _, f := range list {
			add(f, 1)
		}
		crc = crc64.Update(crc, crcTable, []byte{0})
	}
	return crc
}

var crcTable = crc64.MakeTable(crc64.ECMA)

// docFrom turns a page into its index document.
func docFrom(p *Page, syn *analysis.Synonyms) document {
	d := document{Title: p.Title, Summary: p.Summary, Type: p.Type, URL: p.URL, Date: p.Date,
		Measures: slugsOf(p.Measures), Topics: slugsOf(p.Topics), Organisations: slugsOf(p.Organisations)}
	var tags []string
	for _, ls := range [][]Label{p.Measures, p.Topics, p.Organisations} {
		for _, l := range ls {
			tags = append(tags, l.Name)
		}
	}
	if p.Programme != "" {
		tags = append(tags, p.Programme)
	}
	d.Tags = strings.Join(tags, "\n")
	d.Sources = sourcesJSON(p.Sources)
	d.Headings = strings.Join(p.Headings, "\n")
	d.Text, d.Body = p.Prose, p.Prose
	if p.Nav != "" {
		d.Body += p.Nav
		d.Text = d.Body[:len(d.Text)] // one copy of the prose
	}
	if syn != nil {
		d.Concepts = syn.Concepts(d.Title, d.Summary, d.Tags, d.Headings, d.Body)
	}
	return d
}

// whitespaceAnalyzer splits the concepts field on spaces and nothing else.
const whitespaceAnalyzer = "kb-whitespace"

// newMapping is the index mapping: English analysis (stemming, stop words)
// for text, BM25 scoring, and nothing that no query or hit reads (see
// TestLeanMapping). The body keeps no positions: they were over a third of
// a 10,000-page index, and its phrases are checked against the lexicon's
// codes of the pages instead (see bodyPhrase).
func newMapping() mapping.IndexMapping {
	text := func(store, positions bool) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analysis.IndexAnalyzer
		f.Store = store
		// Positions, for phrases; the fields searched with phrases keep
		// them, without offsets (see indexAnalyzer).
		f.IncludeTermVectors = positions
		f.IncludeInAll = false
		// bleve keeps doc values (every term of every page again, page by
		// page) for sorting and faceting on a field; kb does neither on text,
		// and for the body they were a good part of the cost of indexing.
		f.DocValues = false
		return f
	}
	stored := func() *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Index = false
		f.Store = true
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	doc := mapping.NewDocumentStaticMapping()
	// No catch-all field: every query names its fields, and bleve would
	// otherwise gather each page's terms once more into "_all".
	doc.AddSubDocumentMapping("_all", mapping.NewDocumentDisabledMapping())
	doc.AddFieldMappingsAt(fTitle, text(true, true))
	doc.AddFieldMappingsAt(fSummary, text(true, true))
	doc.AddFieldMappingsAt(fHeadings, text(false, true))
	doc.AddFieldMappingsAt(fBody, text(false, false))
	doc.AddFieldMappingsAt(fTags, text(false, true))
	concepts := text(false, false) // searched for one token at a time
	concepts.Analyzer = whitespaceAnalyzer
	doc.AddFieldMappingsAt(fConcepts, concepts)
	doc.AddFieldMappingsAt(fSources, stored())

	m := mapping.NewIndexMapping()
	_ = m.AddCustomAnalyzer(whitespaceAnalyzer, map[string]any{"type": custom.Name, "tokenizer": whitespace.Name})
	_ = analysis.AddTextAnalyzers(m)
	m.DefaultMapping = doc
	m.DefaultAnalyzer = analysis.TextAnalyzer
	m.ScoringModel = index.BM25Scoring
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m
}
