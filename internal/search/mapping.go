// Package search is the knowledge base's search: a bleve index built from the
// site model, NHS synonyms applied at query time, and one HTTP handler that
// serves the JSON API and the server-rendered results page to kb serve and the
// Netlify function alike.
package search

import (
	"hash/crc64"
	"html"
	"io"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/whitespace"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/nhsx/kb/internal/markdown"
	"github.com/nhsx/kb/internal/site"
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
	fText     = "text"     // the body's prose, stored only: snippets are made from it

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
	// Text is the start of Body: its prose, without the navigation.
	Text string `json:"text"`

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
	h := crc64.New(crcTable)
	for _, f := range []string{d.Title, d.Summary, d.Headings, d.Body, d.Tags, d.Concepts, d.Type,
		d.URL, d.Date.UTC().Format(time.RFC3339), d.Sources, d.Text} {
		io.WriteString(h, f)
		h.Write([]byte{0})
	}
	for _, list := range [][]string{d.Measures, d.Topics, d.Organisations} {
		for _, f := range list {
			io.WriteString(h, f)
			h.Write([]byte{1})
		}
		h.Write([]byte{0})
	}
	return h.Sum64()
}

var crcTable = crc64.MakeTable(crc64.ECMA)

// docFrom turns a published page into its index document.
func docFrom(p *site.Page, syn *Synonyms) document { return docOf(p, p.Doc, syn) }

// docOf makes p's document from doc, p's Markdown: the whole document when
// the caller has just parsed it for rendering, so that it is not parsed again.
func docOf(p *site.Page, doc *markdown.Doc, syn *Synonyms) document {
	d := document{Title: p.Title, Summary: p.Summary, Type: p.Type, URL: p.URL, Date: p.Date,
		Measures: p.Measures, Topics: p.Topics}
	var tags []string
	for _, t := range p.MeasureTerms {
		tags = append(tags, t.Name)
	}
	for _, t := range p.TopicTerms {
		tags = append(tags, t.Name)
	}
	for _, t := range p.OrgTerms {
		d.Organisations = append(d.Organisations, t.Slug)
		tags = append(tags, t.Name)
	}
	if p.Programme != "" {
		tags = append(tags, p.Programme)
	}
	d.Tags = strings.Join(tags, "\n")
	d.Sources = sourcesJSON(p.Sources)
	if doc != nil {
		var hs []string
		for _, h := range doc.Headings() {
			hs = append(hs, h.Text)
		}
		d.Headings = strings.Join(hs, "\n")
		text, prose := doc.SearchText()
		d.Text = html.UnescapeString(text[:prose])
		d.Body = d.Text
		if nav := html.UnescapeString(text[prose:]); nav != "" {
			d.Body += nav
			d.Text = d.Body[:len(d.Text)] // one copy of the prose
		}
	}
	if syn != nil {
		d.Concepts = syn.concepts.find(strings.Join([]string{d.Title, d.Summary, d.Tags, d.Headings, d.Body}, "\n"))
	}
	return d
}

// whitespaceAnalyzer splits the concepts field on spaces and nothing else.
const whitespaceAnalyzer = "kb-whitespace"

// newMapping is the index mapping: English analysis (stemming, stop words)
// for text, BM25 scoring, and nothing that no query or hit reads (see
// TestLeanMapping).
func newMapping() mapping.IndexMapping {
	text := func(store, positions bool) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = indexAnalyzer
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
	doc.AddFieldMappingsAt(fBody, text(false, true))
	doc.AddFieldMappingsAt(fTags, text(false, true))
	concepts := text(false, false) // searched for one token at a time
	concepts.Analyzer = whitespaceAnalyzer
	doc.AddFieldMappingsAt(fConcepts, concepts)
	doc.AddFieldMappingsAt(fSources, stored())
	doc.AddFieldMappingsAt(fText, stored())

	m := mapping.NewIndexMapping()
	_ = m.AddCustomAnalyzer(whitespaceAnalyzer, map[string]any{"type": custom.Name, "tokenizer": whitespace.Name})
	_ = addTextAnalyzers(m)
	m.DefaultMapping = doc
	m.DefaultAnalyzer = textAnalyzer
	m.ScoringModel = index.BM25Scoring
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m
}
